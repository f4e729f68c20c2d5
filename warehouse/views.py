"""The analyst's side of the warehouse: the data dictionary, the wide views (one row per report, one
column per cell, each column commented with its Chinese labels), the long facts view with document
metadata and region, coverage, failed checks and agencies whose region could not be read.

Views are rebuilt only when their SQL changes (a hash kept in `warehouse_meta`), so opening the
warehouse stays cheap and a read of an unchanged warehouse never writes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import cache

import duckdb

from extractors.rules import protection
from extractors.template import VERSIONS, Template, TemplateTable, load_template, raw_template
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
    variant BOOLEAN NOT NULL,            -- a row some reports print instead of others (（六）其他处理)
    versions VARCHAR,                    -- the template versions that have the cell: '2019 2021', '2019'
    earlier_label VARCHAR,               -- the 2019 format's wording of a shared cell, where it differs
    rules VARCHAR[]                      -- the template rules that protect the cell; [] for none (表二)
);
ALTER TABLE dictionary ADD COLUMN IF NOT EXISTS rules VARCHAR[];
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
    d.pipeline_version, d.ingested_at, d.template_version, d.followed_url
FROM documents d LEFT JOIN regions r USING (doc_id)
"""

_FACTS_LONG = """
CREATE OR REPLACE VIEW facts_long AS
SELECT f.doc_id, p.agency, p.year, p.province, p.city, p.county, p.town, p.adcode, p.agency_key, p.host,
    f.table_id, f.row_id, f.col_id, k.cell_id, f.value, f.method, f.method = 'inferred' AS inferred,
    k.table_label, k.row_group, k.row_label, k.col_group, k.col_label, k.unit,
    f.raw_text, f.page, f.x0, f.top, f.x1, f.bottom, f.confidence, f.pipeline_version,
    f.label_score, f.rules_evaluated, k.rules AS rules_protecting,
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
    count(*) FILTER (WHERE status = 'old_format') AS old_format,
    count(*) FILTER (WHERE status = 'failed') AS failed,
    list(source ORDER BY source) FILTER (WHERE status = 'failed') AS failed_sources,
    list(source ORDER BY source) AS sources,
    count(*) FILTER (WHERE status = 'behind_link') AS behind_link
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
    versions: str = ""
    earlier_label: str | None = None
    rules: tuple[str, ...] = ()  # the rules that protect the cell (extractors/rules.py)

    def comment(self) -> str:
        parts = [self.row_group, self.row_label, self.col_group, self.col_label]
        text = " / ".join(p for p in parts if p)
        return f"{text} （{self.unit}）" if self.unit else text


def column_name(row_id: str, col_id: str) -> str:
    return f"{row_id}__{col_id}"


def raw_template_table(table_id: str, version: str = VERSIONS[0]) -> dict:
    return next(t for t in raw_template(version)["tables"] if t["id"] == table_id)


def _col_groups(raw_groups: dict[str, list[str]] | None, col_id: str) -> str | None:
    if not raw_groups:
        return None
    # the narrowest group holding the column (法人或其他组织 inside 申请人情况)
    holding = sorted((len(v), k) for k, v in raw_groups.items() if col_id in v)
    return " / ".join(k for _, k in sorted(holding, reverse=True)) or None


def dictionary(template: Template) -> list[Entry]:
    """Every statistical cell of every template version, variant rows included: `template`'s cells
    in printed order, then per table the cells only another version has. A cell both versions have
    is one entry, with the versions that have it and the other version's wording where it differs."""
    entries = {e.cell_id: e for e in _entries(template)}
    for v in VERSIONS:
        if v == template.version:
            continue
        for e in _entries(load_template(v)):
            if e.cell_id in entries:
                mine = entries[e.cell_id]
                earlier = e.comment() if (e.row_label, e.col_label) != (mine.row_label, mine.col_label) else None
                entries[e.cell_id] = replace(mine, versions=" ".join(sorted({*mine.versions.split(), v})),
                                             earlier_label=earlier)
            else:
                last = max((x.position for x in entries.values() if x.table_id == e.table_id), default=-1)
                entries[e.cell_id] = replace(e, position=last + 1)
    order = {t.id: k for k, t in enumerate(template.tables)}
    return sorted(entries.values(), key=lambda e: (order.get(e.table_id, len(order)), e.position))


def _entries(template: Template) -> list[Entry]:
    """The cells of one version, in printed order."""
    raw = {t["id"]: t for t in raw_template(template.version)["tables"]}
    protected = protection(template)
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
                units.get((r, c)) or rt.get("unit"), r in variant_ids, template.version, None,
                protected.get(f"{t.id}.{r}.{c}", ()),
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
    parts = statements(template) + [repr(e) for e in dictionary(template)] + [repr(rule_texts(template))]
    parts += [repr(comments.COLUMN), repr(comments.TABLES)]
    return hashlib.sha256("\n;\n".join(parts).encode()).hexdigest()


def rule_texts(template: Template) -> dict[str, str]:
    """Each rule's text; where another version words a rule otherwise, its wording follows."""
    texts = {r.id: r.text for r in template.rules}
    for v in VERSIONS:
        if v == template.version:
            continue
        for r in load_template(v).rules:
            if r.id not in texts:
                texts[r.id] = f"{v} format: {r.text}"
            elif r.text != texts[r.id].split(" | ")[0]:
                texts[r.id] += f" | {v} format: {r.text}"
    return texts


def is_current(con: duckdb.DuckDBPyConnection, template: Template) -> bool:
    try:
        row = con.execute("SELECT value FROM warehouse_meta WHERE key = 'views'").fetchone()
    except duckdb.CatalogException:
        return False
    return row is not None and row[0] == digest(template)


def ensure(con: duckdb.DuckDBPyConnection, template: Template) -> None:
    """Create the dictionary and views where they are missing or their definition changed."""
    con.execute(META)
    for column in ("versions", "earlier_label"):  # a warehouse made before template versions existed
        con.execute(f"ALTER TABLE dictionary ADD COLUMN IF NOT EXISTS {column} VARCHAR")
    if is_current(con, template):
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM rules")
        insert_rows(con, "rules", [[rule_id, text] for rule_id, text in rule_texts(template).items()])
        con.execute("DELETE FROM dictionary")
        # by name: a warehouse made before some of these columns has them in another order
        entries = dictionary(template)
        names = list(entries[0].__dict__) if entries else []
        insert_rows(con, "dictionary", [[list(v) if isinstance(v, tuple) else v for v in e.__dict__.values()]
                                        for e in entries], names)
        for s in statements(template):
            con.execute(s)
        comments.apply(con, but=comments.LOADED)
        con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('views', ?)", [digest(template)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
