"""The trends page: all reports, then each province and city, each with its chart (charts.py) and
the numbers under it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from warehouse.site.charts import Year, per_year
from warehouse.site.data import OUTCOMES, Report, slug
from warehouse.site.html import e, num, page


def regions(reports: list[Report]) -> list[tuple[str, str, list[Report]]]:
    """(key, name, reports): everything, then each province and each city within it."""
    provinces: dict[str, list[Report]] = defaultdict(list)
    cities: dict[tuple[str, str], list[Report]] = defaultdict(list)
    for r in reports:
        if r.province:
            provinces[r.province].append(r)
            if r.city:
                cities[(r.province, r.city)].append(r)
    out = [("all", "全部 All reports", reports)]
    for p in sorted(provinces):
        out.append((f"province:{p}", p, provinces[p]))
        out += [(f"city:{p}|{c}", f"{p} {c}", rs) for (pp, c), rs in sorted(cities.items()) if pp == p]
    return out


def numbers_table(years: list[Year]) -> str:
    head = "".join(f"<th>{e(label)}</th>" for _, label in OUTCOMES)
    rows = "".join(
        f'<tr><td>{y.year}</td><td class="num">{y.reports}</td><td class="num">{num(y.requests)}</td>'
        + "".join(f'<td class="num">{100 * y.share(k):.0f}%</td>' for k, _ in OUTCOMES)
        + f'<td class="num">{num(y.reviews)}</td><td class="num">{num(y.suits)}</td><td class="num">{num(y.fees, 2)}</td></tr>'
        for y in years)
    return (f"<table><thead><tr><th>年度</th><th>报告</th><th>新收申请</th>{head}<th>行政复议</th><th>行政诉讼</th>"
            f"<th>收费（万元）</th></tr></thead><tbody>{rows}</tbody></table>")


def trends_page(reports: list[Report], draw: Callable[[list[Year]], str]) -> tuple[str, dict[str, str]]:
    """The page, and the charts it shows (file name -> SVG)."""
    charts: dict[str, str] = {}
    parts = ['<p class="note">Sums over the reports read, one per body and year. Charts drawn by matplotlib.</p>']
    toc = []
    for key, name, rs in regions(reports):
        years = per_year(rs)
        if not years:
            continue
        file = f"{slug(key)}.svg"
        charts[file] = draw(years)
        anchor = slug(key)
        toc.append(f'<a href="#{anchor}">{e(name)}</a>')
        parts.append(f'<h2 id="{anchor}">{e(name)}</h2><figure><img src="charts/{file}" alt="trend chart">'
                     f"</figure>{numbers_table(years)}")
    body = f'<p>{" · ".join(toc)}</p>' + "\n".join(parts)
    return page("趋势 Trends by region", body, "trends.html"), charts
