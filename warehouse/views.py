"""The analyst's side of the warehouse: the data dictionary, the wide views (one row per report, one
column per cell, each column commented with its Chinese labels), the long facts view with document
metadata and region, coverage, failed checks and agencies whose region could not be read.

Views are rebuilt only when their SQL changes (a hash kept in `warehouse_meta`), so opening the
warehouse stays cheap and a read of an unchanged warehouse never writes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb

from extractors.template import Template, TemplateTable
from warehouse import comments
from warehouse.rows import insert_rows

META = """
CREATE TABLE IF NOT EXISTS warehouse_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS dictionary (
    cell_id VARCHAR PRIMARY KEY,         -- table_id.row_id.col_id, as in facts
    table_id VARCHAR NOT NULL,
    row_id VARCHAR NOT NULL,
    col_id VARCHAR NOT NULL,
    column_name VARCHAR NOT NULL,        -- the cell's column in the table's wide view: row_id__col_id
    position INTEGER NOT NULL,           -- printed order within the table
    table_label VARCHAR NOT NULL,        -- the template's section heading
    row_group VARCHAR,                   -- the row's parent heading (（三）不予公开) or group (第二十条第（一）项)
    row_label VARCHAR NOT NULL,
    col_group VARCHAR,                   -- the column's group heading (申请人情况 / 法人或其他组织)
    col_label VARCHAR NOT NULL,
    unit VARCHAR,
    variant BOOLEAN NOT NULL             -- a row some reports print instead of others (（六）其他处理)
);
CREATE TABLE IF NOT EXISTS rules (
    rule_id VARCHAR PRIMARY KEY,         -- as in checks.rule_id
    text VARCHAR NOT NULL
);
"""

# one row per document, its region and its portal host; the base of coverage and the wide views
_REPORTS = """
CREATE OR REPLACE VIEW reports AS
SELECT d.doc_id, d.agency, d.year, d.status, d.source,
    nullif(regexp_extract(d.source, '^https?://([^/:?#]+)', 1), '') AS host,
    r.province, r.province_code, r.city, r.city_code, r.county, r.county_code, r.town, r.adcode,
    r.status AS region_status, r.agency_key,
    d.format, d.method, d.pages, d.n_facts, d.n_failed_checks, d.error, d.original_path,
    d.pipeline_version, d.ingested_at
FROM documents d LEFT JOIN regions r USING (doc_id)
"""

_FACTS_LONG = """
CREATE OR REPLACE VIEW facts_long AS
SELECT f.doc_id, p.agency, p.year, p.province, p.city, p.county, p.town, p.adcode, p.agency_key, p.host,
    f.table_id, f.row_id, f.col_id, k.cell_id, f.value, f.method, f.method = 'inferred' AS inferred,
    k.table_label, k.row_group, k.row_label, k.col_group, k.col_label, k.unit,
    f.raw_text, f.page, f.x0, f.top, f.x1, f.bottom, f.confidence, f.pipeline_version,
    p.source, p.original_path
FROM facts f
JOIN reports p USING (doc_id)
LEFT JOIN dictionary k ON k.table_id = f.table_id AND k.row_id = f.row_id AND k.col_id = f.col_id
"""

_FAILED_CHECKS = """
CREATE OR REPLACE VIEW failed_checks AS
SELECT c.doc_id, p.agency, p.year, p.province, p.city, p.county, c.rule_id, c.detail, p.source
FROM checks c JOIN reports p USING (doc_id)
WHERE NOT c.passed AND c.rule_id <> 'missing_cells'
"""

_COVERAGE = """
CREATE OR REPLACE VIEW coverage AS
SELECT host, province, city, county, agency_key,
    string_agg(DISTINCT agency, ' / ' ORDER BY agency) AS agency,
    year,
    count(*) AS documents,
    count(*) FILTER (WHERE status = 'ok') AS ok,
    count(*) FILTER (WHERE status = 'no_template_tables') AS no_template_tables,
    count(*) FILTER (WHERE status = 'failed') AS failed,
    list(source ORDER BY source) FILTER (WHERE status = 'failed') AS failed_sources,
    list(source ORDER BY source) AS sources
FROM reports
GROUP BY host, province, city, county, agency_key, year
"""

_COVERAGE_YEARS = """
CREATE OR REPLACE VIEW coverage_years AS
SELECT province, city, county, agency_key,
    string_agg(DISTINCT agency, ' / ' ORDER BY agency) AS agency,
    list(DISTINCT host ORDER BY host) FILTER (WHERE host IS NOT NULL) AS hosts,
    list(DISTINCT year ORDER BY year) FILTER (WHERE status = 'ok') AS years,
    min(year) FILTER (WHERE status = 'ok') AS first_year,
    max(year) FILTER (WHERE status = 'ok') AS last_year,
    list_filter(
        range(min(year) FILTER (WHERE status = 'ok'), max(year) FILTER (WHERE status = 'ok') + 1),
        lambda y: NOT list_contains(list(year) FILTER (WHERE status = 'ok'), y)) AS missing_years,
    count(*) FILTER (WHERE status <> 'ok') AS not_ok
FROM reports
WHERE agency_key IS NOT NULL
GROUP BY province, city, county, agency_key
"""

_UNRESOLVED = """
CREATE OR REPLACE VIEW unresolved_agencies AS
SELECT r.agency, r.status, r.province, r.city, r.county, r.note,
    count(*) AS documents, list(d.source ORDER BY d.source) AS sources
FROM regions r JOIN documents d USING (doc_id)
WHERE r.status NOT IN ('resolved', 'national', 'no_agency')
GROUP BY r.agency, r.status, r.province, r.city, r.county, r.note
"""

_BASE_COLUMNS = ("doc_id", "agency", "year", "province", "city", "county", "adcode", "source")


@dataclass(frozen=True)
class Entry:
    """One row of the data dictionary."""

    cell_id: str
    table_id: str
    row_id: str
    col_id: str
    column_name: str
    position: int
    table_label: str
    row_group: str | None
    row_label: str
    col_group: str | None
    col_label: str
    unit: str | None
    variant: bool

    def comment(self) -> str:
        parts = [self.row_group, self.row_label, self.col_group, self.col_label]
        text = " / ".join(p for p in parts if p)
        return f"{text} （{self.unit}）" if self.unit else text


def column_name(row_id: str, col_id: str) -> str:
    return f"{row_id}__{col_id}"


@cache
def _raw_template() -> dict:
    """Units and column groups, which the Template dataclasses leave out."""
    return json.loads(resources.files("extractors").joinpath("data/gip_annual_report_2021.json").read_text("utf-8"))


def raw_template_table(table_id: str) -> dict:
    return next(t for t in _raw_template()["tables"] if t["id"] == table_id)


def _col_groups(raw_groups: dict[str, list[str]] | None, col_id: str) -> str | None:
    if not raw_groups:
        return None
    # the narrowest group holding the column (法人或其他组织 inside 申请人情况)
    holding = sorted((len(v), k) for k, v in raw_groups.items() if col_id in v)
    return " / ".join(k for _, k in sorted(holding, reverse=True)) or None


def dictionary(template: Template) -> list[Entry]:
    """Every statistical cell of the template, variant rows included, in printed order."""
    raw = {t["id"]: t for t in _raw_template()["tables"]}
    out: list[Entry] = []
    for t in template.tables:
        rt = raw[t.id]
        units = {(c["row"], c["col"]): c.get("unit") for c in rt.get("cells", [])}
        rows = {r.id: r for r in (*t.rows, *t.variant_rows)}
        cells = list(t.cells) + [(r.id, c) for r in t.variant_rows for c in t.cols]
        variant_ids = {r.id for r in t.variant_rows}
        for pos, (r, c) in enumerate(cells):
            out.append(Entry(
                f"{t.id}.{r}.{c}", t.id, r, c, column_name(r, c), pos, t.section, rows[r].parent, rows[r].label,
                _col_groups(rt.get("column_groups"), c), t.col_labels[t.cols.index(c)],
                units.get((r, c)) or rt.get("unit"), r in variant_ids,
            ))
    return out


def _wide_view(t: TemplateTable, entries: list[Entry]) -> str:
    cols = ",\n    ".join(
        f"max(f.value) FILTER (WHERE f.row_id = '{e.row_id}' AND f.col_id = '{e.col_id}') AS \"{e.column_name}\""
        for e in entries)
    base = ", ".join(f"p.{c}" for c in _BASE_COLUMNS)
    return (f"CREATE OR REPLACE VIEW {t.id} AS\nSELECT {base},\n    {cols}\n"
            f"FROM reports p JOIN facts f ON f.doc_id = p.doc_id AND f.table_id = '{t.id}'\n"
            f"GROUP BY {base}")


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


_BASE_COMMENTS = {
    "doc_id": "文档编号 (sha256 of the file's bytes)", "agency": "发布机关 (as printed in the title)",
    "year": "报告年度", "province": "省", "city": "市", "county": "县（区）", "adcode": "行政区划代码",
    "source": "来源 (path or URL)",
}


def statements(template: Template) -> list[str]:
    entries = dictionary(template)
    out = [_REPORTS, _FACTS_LONG, _FAILED_CHECKS, _COVERAGE, _COVERAGE_YEARS, _UNRESOLVED]
    for t in template.tables:
        mine = [e for e in entries if e.table_id == t.id]
        out.append(_wide_view(t, mine))
        out.append(f"COMMENT ON VIEW {t.id} IS {_quote(t.section + ' (one row per report, one column per cell)')}")
        out += [f"COMMENT ON COLUMN {t.id}.{c} IS {_quote(_BASE_COMMENTS[c])}" for c in _BASE_COLUMNS]
        out += [f"COMMENT ON COLUMN {t.id}.\"{e.column_name}\" IS {_quote(e.comment())}" for e in mine]
    return out


@cache
def digest(template: Template) -> str:
    """Names this code's dictionary, rules and views; stored in warehouse_meta when they are built."""
    parts = statements(template) + [repr(e) for e in dictionary(template)] + [repr(template.rules)]
    parts += [repr(comments.COLUMN), repr(comments.TABLES)]
    return hashlib.sha256("\n;\n".join(parts).encode()).hexdigest()


def is_current(con: duckdb.DuckDBPyConnection, template: Template) -> bool:
    try:
        row = con.execute("SELECT value FROM warehouse_meta WHERE key = 'views'").fetchone()
    except duckdb.CatalogException:
        return False
    return row is not None and row[0] == digest(template)


def ensure(con: duckdb.DuckDBPyConnection, template: Template) -> None:
    """Create the dictionary and views where they are missing or their definition changed."""
    con.execute(META)
    if is_current(con, template):
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM rules")
        insert_rows(con, "rules", [[r.id, r.text] for r in template.rules])
        con.execute("DELETE FROM dictionary")
        insert_rows(con, "dictionary", [list(e.__dict__.values()) for e in dictionary(template)])
        for s in statements(template):
            con.execute(s)
        comments.apply(con, but=comments.LOADED)
        con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('views', ?)", [digest(template)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
