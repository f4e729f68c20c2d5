"""The coverage matrix: bodies × years, a gap wherever a body has no report for a year. Against the
registry of the bodies that must publish (warehouse/bodies.py) when one was imported, else against
the bodies the crawls found (a body found for 2022 and 2024 but not 2023 then shows the 2023 gap)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import duckdb

from warehouse.bodies import has_registry
from warehouse.site.data import Report, slug
from warehouse.site.html import e, page

FILTER_JS = r"""
(function () {
  "use strict";
  var box = document.getElementById("filter");
  var only = document.getElementById("gaps-only");
  function render() {
    var q = box.value.trim().toLowerCase();
    document.querySelectorAll("table.matrix tbody tr").forEach(function (tr) {
      var hit = !q || tr.textContent.toLowerCase().indexOf(q) >= 0;
      if (hit && only.checked) { hit = tr.querySelector("td.gap") !== null; }
      tr.style.display = hit ? "" : "none";
    });
  }
  box.addEventListener("input", render);
  only.addEventListener("change", render);
})();
"""


@dataclass(frozen=True)
class Row:
    name: str
    region: str
    key: str | None  # the body key its reports are grouped by (None: a registry body no name of which resolved)
    registered: bool
    code: str | None = None


def _found_rows(reports: list[Report]) -> list[Row]:
    names: dict[str, Counter[str]] = {}
    regions: dict[str, str] = {}
    for r in reports:
        if r.body_key and r.agency:
            names.setdefault(r.body_key, Counter())[r.agency] += 1
            regions.setdefault(r.body_key, " ".join(x for x in (r.province, r.city, r.county, r.town) if x))
    return [Row(c.most_common(1)[0][0], regions[k], k, False) for k, c in names.items()]


def _registry_rows(con: duckdb.DuckDBPyConnection) -> list[Row]:
    rows = con.execute("SELECT name, division_code, agency_key, province, city, county FROM bodies"
                       " ORDER BY division_code, name").fetchall()
    return [Row(n, " ".join(x for x in (p, c, co) if x), k, True, code) for n, code, k, p, c, co in rows]


def matrix_page(con: duckdb.DuckDBPyConnection, reports: list[Report]) -> str:
    seen = [r.year for r in reports if r.year]
    years = list(range(min(seen), max(seen) + 1)) if seen else []  # a year nobody published is a column of gaps
    by_cell: dict[tuple[str | None, int], Report] = {(r.body_key, r.year): r for r in reports if r.chosen and r.body_key and r.year}
    by_name = {(f"name:{r.agency}", r.year): r for r in reports if r.chosen and r.agency and r.year}
    registry = has_registry(con)
    found = _found_rows(reports)
    if registry:
        rows = _registry_rows(con)
        keys = {r.key for r in rows if r.key} | {f"name:{r.name}" for r in rows}
        extra = [r for r in found if r.key not in keys]
        against = f"the registry of {len(rows)} bodies that must publish (nianbao bodies import)"
    else:
        rows, extra = found, []
        against = "the bodies the crawls and ingests found (no registry imported: nianbao bodies import FILE.csv)"
    rows = sorted(rows, key=lambda r: (r.region, r.name))
    gaps: Counter[int] = Counter()

    def cell(row: Row, year: int) -> str:
        rep = by_cell.get((row.key, year)) or by_name.get((f"name:{row.name}", year))
        if rep is None:
            gaps[year] += 1
            return f'<td class="gap" title="{e(row.name)} {year}: no report">缺</td>'
        cls, mark = ("ok", "✓") if rep.status == "ok" else ("unread", "!")
        tip = f"{rep.agency or row.name} {year}: {rep.status}" + (f", {rep.failed_checks} failed checks" if rep.failed_checks else "")
        return f'<td class="{cls}" title="{e(tip)}"><a href="{e(rep.page)}">{mark}</a></td>'

    def table(rs: list[Row], caption: str) -> str:
        head = "".join(f"<th>{y}</th>" for y in years)
        body = []
        for r in rs:
            name = e(r.name)
            if r.key and any(rep.body_key == r.key for rep in reports):
                name = f'<a href="bodies/{slug(r.key)}.html">{name}</a>'
            code = f"<td>{e(r.code)}</td>" if registry else ""
            body.append(f"<tr><td>{name}</td><td>{e(r.region)}</td>{code}" + "".join(cell(r, y) for y in years) + "</tr>")
        code_head = "<th>区划代码</th>" if registry else ""
        return (f'<h2>{e(caption)}</h2><table class="matrix"><thead><tr><th>机关 Body</th><th>地区 Region</th>{code_head}'
                f'{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')

    main = table(rows, f"{len(rows)} bodies × {len(years)} years")
    per_year = dict(gaps)
    more = table(extra, f"{len(extra)} bodies found that the registry does not list") if extra else ""
    summary = ", ".join(f"{y}: {per_year.get(y, 0)}" for y in years)
    body = (f'<p class="note">Against {e(against)}. Gaps per year — {e(summary)}.</p>'
            '<p class="legend"><span class="ok">✓ report read</span><span class="unread">! document found, '
            'not read as a report</span><span class="gap">缺 no report</span></p>'
            '<div class="filters"><label>检索 Filter <input id="filter" type="search" placeholder="机关、地区"></label>'
            '<label><input id="gaps-only" type="checkbox"> 只看有缺 only bodies with gaps</label></div>'
            f"{main}{more}")
    return page("覆盖情况 Coverage: who has not published", body, "coverage.html", scripts=("coverage.js",))
