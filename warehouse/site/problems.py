"""The problem list: every failed check, grouped by the template table it concerns and then by rule,
each naming its report and linking to the report's review page (the `nianbao inspect` page)."""

from __future__ import annotations

from collections import defaultdict

import duckdb

from extractors.template import Template
from warehouse.site.data import Report
from warehouse.site.html import e, page

_QUERY = """
SELECT c.doc_id, c.rule_id, coalesce(c.detail, ''), r.text
FROM checks c LEFT JOIN rules r USING (rule_id)
WHERE NOT c.passed AND c.rule_id <> 'missing_cells'
ORDER BY c.rule_id, c.doc_id
"""


def table_of(rule_id: str, template: Template) -> str:
    """The template table a rule (or a doubted cell: table.row.col) belongs to; '' for rules that
    span documents or tables (cross_year, prose against tables)."""
    head = rule_id.split(".", 1)[0]
    return head if head in {t.id for t in template.tables} else ""


def problems_page(con: duckdb.DuckDBPyConnection, reports: list[Report], template: Template) -> str:
    docs = {r.doc_id: r for r in reports}
    groups: dict[str, dict[str, list[tuple[Report, str]]]] = defaultdict(lambda: defaultdict(list))
    texts: dict[str, str] = {}
    for doc_id, rule_id, detail, text in con.execute(_QUERY).fetchall():
        rep = docs.get(doc_id)
        if rep is None:
            continue
        groups[table_of(rule_id, template)][rule_id].append((rep, detail))
        texts[rule_id] = text or ("a cell whose reading is doubted" if rule_id.count(".") == 2 else "")
    sections = {t.id: t.section for t in template.tables}
    order = [t.id for t in template.tables] + [""]
    out = []
    total = sum(len(v) for g in groups.values() for v in g.values())
    out.append(f'<p class="note">{total} failed checks in {len({r.doc_id for g in groups.values() for v in g.values() for r, _ in v})}'
               " reports. Each links to its report's review page: the tables as read, the failed check highlighted,"
               " each number beside the piece of the page it was read from.</p>")
    for tid in order:
        if tid not in groups:
            continue
        rules = groups[tid]
        n = sum(len(v) for v in rules.values())
        out.append(f'<h2 id="t-{e(tid or "other")}">{e(sections.get(tid, "跨表、跨年度 Across tables and years"))} ({n})</h2>')
        for rule_id in sorted(rules):
            items = rules[rule_id]
            rows = "".join(
                f'<tr><td><a href="{e(rep.page)}">{e(rep.agency or rep.source)}</a></td><td>{e(rep.year)}</td>'
                f"<td>{e(' '.join(x for x in (rep.province, rep.city, rep.county) if x))}</td><td>{e(detail)}</td></tr>"
                for rep, detail in items)
            out.append(f'<details class="rule" open><summary><code>{e(rule_id)}</code> {e(texts.get(rule_id, ""))} '
                       f"— {len(items)}</summary><table><thead><tr><th>机关 Body</th><th>年度</th><th>地区</th>"
                       f"<th>详情 Detail</th></tr></thead><tbody>{rows}</tbody></table></details>")
    if not groups:
        out.append("<p>No failed checks.</p>")
    return page("问题清单 Problems: failed checks by table and rule", "\n".join(out), "problems.html")
