"""One page per body: its reports over the years, its trend chart, and its two latest years side by
side, every cell of the template with the change from one year to the next marked."""

from __future__ import annotations

from collections import defaultdict

import duckdb

from extractors.template import Template
from warehouse.site.data import Report, slug
from warehouse.site.html import e, num, page
from warehouse.views import dictionary


def values_of(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, float]:
    return {f"{t}.{r}.{c}": v for t, r, c, v in con.execute(
        "SELECT table_id, row_id, col_id, value FROM facts WHERE doc_id = ?", [doc_id]).fetchall()}


def side_by_side(con: duckdb.DuckDBPyConnection, old: Report, new: Report, template: Template) -> str:
    """The template's cells that either report has, the two years' values and the change; a changed
    cell is marked (▲ up, ▼ down; a cell only one year has counts as changed)."""
    a, b = values_of(con, old.doc_id), values_of(con, new.doc_id)
    out = []
    changed = 0
    for t in template.tables:
        rows = []
        for entry in dictionary(template):
            if entry.table_id != t.id or (entry.cell_id not in a and entry.cell_id not in b):
                continue
            va, vb = a.get(entry.cell_id), b.get(entry.cell_id)
            cls, delta = "", ""
            if va != vb:
                changed += 1
                cls = "changed"
                if va is not None and vb is not None:
                    delta = f"{vb - va:+,g}"
                    cls += " up" if vb > va else " down"
                else:
                    delta = "new" if va is None else "gone"
            rows.append(f'<tr class="{cls}" data-cell="{e(entry.cell_id)}"><td>{e(entry.comment())}</td>'
                        f'<td class="num">{num(va)}</td><td class="num">{num(vb)}</td><td class="num">{e(delta)}</td></tr>')
        if rows:
            out.append(f"<h3>{e(t.section)}</h3><table class=\"compare\"><thead><tr><th>项目 Cell</th>"
                       f"<th>{e(old.year)}</th><th>{e(new.year)}</th><th>变化 Change</th></tr></thead>"
                       f"<tbody>{''.join(rows)}</tbody></table>")
    head = (f'<h2 id="compare">{e(old.year)} ↔ {e(new.year)}</h2><p class="note">{changed} cells changed '
            f'(highlighted; ▲ up, ▼ down). Review pages: <a href="../{e(old.page)}">{e(old.year)}</a>, '
            f'<a href="../{e(new.page)}">{e(new.year)}</a>.</p>')
    return head + "".join(out)


def group_by_body(reports: list[Report]) -> dict[str, list[Report]]:
    out: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        if r.body_key:
            out[r.body_key].append(r)
    return out


def body_page(con: duckdb.DuckDBPyConnection, key: str, reports: list[Report], template: Template,
              chart: str | None) -> str:
    name = next((r.agency for r in sorted(reports, key=lambda r: -(r.year or 0)) if r.agency), key)
    first = reports[0]
    region = " ".join(x for x in (first.province, first.city, first.county, first.town) if x)
    rows = "".join(
        f'<tr><td>{e(r.year)}</td><td>{e(r.agency)}</td><td>{e(r.status)}</td><td class="num">{num(r.figures.requests)}</td>'
        f'<td class="num">{r.failed_checks}</td><td><a href="../{e(r.page)}">review</a></td><td class="note">{e(r.source)}</td></tr>'
        for r in sorted(reports, key=lambda r: (r.year or 0, r.doc_id)))
    parts = [f'<p class="note">{e(region)}</p>',
             ("<table><thead><tr><th>年度</th><th>发布机关</th><th>状态</th><th>新收申请</th><th>未通过校验</th>"
              f"<th>审阅</th><th>来源</th></tr></thead><tbody>{rows}</tbody></table>")]
    if chart:
        parts.append(f'<figure><img src="../charts/{chart}" alt="trend chart"><figcaption class="note">'
                     "Per year: requests received, outcome shares, reviews and suits, fees.</figcaption></figure>")
    read = sorted((r for r in reports if r.chosen and r.status == "ok" and r.year), key=lambda r: r.year or 0)
    if len(read) >= 2:
        parts.append(side_by_side(con, read[-2], read[-1], template))
    else:
        parts.append('<p class="note">Only one year read: nothing to compare yet.</p>')
    return page(name, "\n".join(parts), "bodies.html", depth=1)


def bodies_index(groups: dict[str, list[Report]]) -> str:
    rows = []
    for key, rs in sorted(groups.items(), key=lambda kv: (kv[1][0].province or "", kv[1][0].city or "",
                                                          kv[1][0].county or "", kv[1][0].agency or "")):
        name = next((r.agency for r in rs if r.agency), key)
        years = sorted({r.year for r in rs if r.year and r.status == "ok"})
        region = " ".join(x for x in (rs[0].province, rs[0].city, rs[0].county, rs[0].town) if x)
        rows.append(f'<tr><td><a href="bodies/{slug(key)}.html">{e(name)}</a></td><td>{e(region)}</td>'
                    f'<td>{e(", ".join(str(y) for y in years))}</td></tr>')
    body = ("<table><thead><tr><th>机关 Body</th><th>地区 Region</th><th>年度 Years read</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")
    return page(f"机关 {len(groups)} bodies", body, "bodies.html")
