"""`nianbao site --out DIR`: the static site, written whole into a folder that works offline (no
CDN, no server: open index.html). Pages:

- index.html: every report, searched and filtered in the browser (search.py);
- coverage.html: bodies × years with the gaps marked (coverage.py);
- problems.html: failed checks by table and rule (problems.py);
- trends.html and charts/: per region, per year (trends.py, charts.py);
- bodies.html and bodies/: one page per body, with its two latest years side by side (bodies.py);
- reports/: the review page of every report (warehouse/inspect.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extractors.template import Template
from warehouse.inspect import build_page
from warehouse.site import bodies, coverage, problems, search, trends
from warehouse.site.charts import per_year, trend_svg
from warehouse.site.data import load_reports, slug
from warehouse.site.html import CSS

MARKER = ".nianbao-site"  # in every site's folder: a folder without it is never replaced


class SiteError(Exception):
    """The site cannot be written there; the message says why."""


@dataclass(frozen=True)
class Built:
    out: Path
    reports: int
    bodies: int
    charts: int


def build(con: duckdb.DuckDBPyConnection, out: Path, template: Template, crops: bool = True,
          progress: Callable[[str], None] | None = None) -> Built:
    """Write the site into out (emptied of an earlier site's pages first)."""
    say = progress or (lambda _: None)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise SiteError(f"{out}: exists and is not a site nianbao wrote (choose a new or empty folder)")
    tmp = out.with_name(f".{out.name}.building")
    if tmp.exists():
        shutil.rmtree(tmp)
    for d in ("reports", "bodies", "charts"):
        (tmp / d).mkdir(parents=True)
    reports = load_reports(con)
    files: dict[str, str] = {
        MARKER: "written by nianbao site; the folder is replaced whole by the next build\n", "style.css": CSS, "search.js": search.JS, "coverage.js": coverage.FILTER_JS,
        "data.js": search.data_js(reports), "index.html": search.index_page(reports),
        "coverage.html": coverage.matrix_page(con, reports),
        "problems.html": problems.problems_page(con, reports, template),
    }
    say(f"{len(reports)} reports: review pages")
    for r in reports:
        files[r.page] = build_page(con, r.doc_id, template, with_crops=crops)
    say("trend charts")
    page, charts = trends.trends_page(reports, trend_svg)
    files["trends.html"] = page
    groups = bodies.group_by_body(reports)
    files["bodies.html"] = bodies.bodies_index(groups)
    for key, rs in groups.items():
        years = per_year(rs)
        chart = None
        if len(years) >= 2:
            chart = f"body-{slug(key)}.svg"
            charts[chart] = trend_svg(years)
        files[f"bodies/{slug(key)}.html"] = bodies.body_page(con, key, rs, template, chart)
    for name, svg in charts.items():
        files[f"charts/{name}"] = svg
    for name, text in files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    # the whole site replaces the old one at once: a reader never sees half of each
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.rename(out)
    return Built(out, len(reports), len(groups), len(charts))
