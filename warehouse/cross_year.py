"""The cross-year rule: a report's applications.carried_over (上年结转, per column) equals the same
agency's previous-year applications.carried_forward (结转下年度继续办理).

It ties two documents, so it is evaluated in the warehouse, not per document: whenever a document is
loaded, every `cross_year` row of its agency (old and new reading of its name) is recomputed from what
is loaded, in the load's own transaction. One row per document that has a previous-year report of the
same agency with at least one comparable column; documents of the same agency are matched by
`regions.agency_key` (洪泽区人民政府 and 淮安市洪泽区人民政府 are one body).
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from extractors.report import Check
from extractors.template import Template
from warehouse.rows import insert_rows

RULE_ID = "cross_year"

_PAIRS = """
WITH d AS (
    SELECT d.doc_id, d.year, r.agency_key
    FROM documents d JOIN regions r USING (doc_id)
    WHERE d.status = 'ok' AND d.year IS NOT NULL AND list_contains(?, r.agency_key)
), v AS (
    SELECT doc_id, row_id, col_id, value FROM facts
    WHERE table_id = 'applications' AND row_id IN ('carried_over', 'carried_forward') AND method <> 'inferred'
)
SELECT cur.doc_id, prev.doc_id, prev.year, a.col_id, a.value, b.value
FROM d cur
JOIN d prev ON prev.agency_key = cur.agency_key AND prev.year = cur.year - 1
JOIN v a ON a.doc_id = cur.doc_id AND a.row_id = 'carried_over'
JOIN v b ON b.doc_id = prev.doc_id AND b.row_id = 'carried_forward' AND b.col_id = a.col_id
ORDER BY cur.doc_id, prev.doc_id
"""


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def evaluate(rows: Iterable[tuple[str, str, int, str, float, float]], template: Template) -> dict[str, Check]:
    """One check per current document from (doc, previous doc, previous year, column, carried_over,
    previous carried_forward) rows. The detail names only this document's cells by id, so that a
    reader (the review page) can point at them; the previous report is named by year and doc id."""
    order = {c: i for i, c in enumerate(template.table("applications").cols)}
    by_doc: dict[str, list[tuple[str, int, str, float, float]]] = {}
    for doc, prev, year, col, cur_v, prev_v in rows:
        by_doc.setdefault(doc, []).append((prev, year, col, cur_v, prev_v))
    out = {}
    for doc, items in by_doc.items():
        items.sort(key=lambda x: (x[0], order.get(x[2], 99)))
        bad = [f"applications.carried_over.{col}={_fmt(c)} but the {year} report ({prev[:12]}) carried forward "
               f"{_fmt(p)}" for prev, year, col, c, p in items if abs(c - p) > 1e-6]
        out[doc] = Check(RULE_ID, not bad, "; ".join(bad))
    return out


def refresh(con: duckdb.DuckDBPyConnection, agency_keys: Iterable[str | None], template: Template) -> None:
    """Recompute the cross_year rows of every document of these agencies; runs inside the caller's
    transaction. Idempotent: the same warehouse gives the same rows."""
    keys = sorted({k for k in agency_keys if k})
    if not keys:
        return
    docs = con.execute(
        "SELECT r.doc_id, d.year, d.status = 'ok' FROM regions r JOIN documents d USING (doc_id)"
        " WHERE list_contains(?, r.agency_key)", [keys]).fetchall()
    if not docs:
        return
    ids = [d for d, _, _ in docs]
    had = {r[0] for r in con.execute(
        "SELECT DISTINCT doc_id FROM checks WHERE rule_id = ? AND list_contains(?, doc_id)", [RULE_ID, ids]).fetchall()}
    years = {y for _, y, ok in docs if ok and y is not None}
    if not had and not any(y - 1 in years for y in years):
        return  # the usual load: an agency's first report, or none a year apart; nothing to write
    con.execute("DELETE FROM checks WHERE rule_id = ? AND list_contains(?, doc_id)", [RULE_ID, ids])
    checks = evaluate(con.execute(_PAIRS, [keys]).fetchall(), template)
    insert_rows(con, "checks", [[d, c.rule_id, c.passed, c.detail] for d, c in checks.items()])
    con.execute(
        "UPDATE documents SET n_failed_checks = (SELECT count(*) FROM checks c WHERE c.doc_id = documents.doc_id"
        " AND NOT c.passed AND c.rule_id <> 'missing_cells') WHERE list_contains(?, doc_id)",
        [sorted(had | checks.keys())])
