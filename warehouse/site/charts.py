"""Trend charts: for a set of reports (a region's bodies, or one body) the figures per year, drawn by
matplotlib as SVG: requests received, the shares of the outcomes, administrative reviews and suits,
fees. Only numbers and our own labels go into a chart; the names of bodies and regions stay in the
HTML around it, where they are escaped.

Text is kept as text in the SVG (svg.fonttype none), so the browser draws the Chinese labels with
its own fonts; matplotlib only measures them, with a CJK font where the machine has one."""

from __future__ import annotations

import io
import warnings
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from warehouse.site.data import OUTCOMES, Report

_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "SimHei", "DejaVu Sans"]
_COLORS = ["#2e7d32", "#81c784", "#c62828", "#f9a825", "#6d4c41", "#90a4ae"]


@dataclass(frozen=True)
class Year:
    year: int
    reports: int
    requests: float | None
    processed: float | None
    outcomes: dict[str, float]
    reviews: float | None
    suits: float | None
    fees: float | None

    def share(self, outcome: str) -> float:
        if not self.processed:
            return 0.0
        return self.outcomes.get(outcome, 0.0) / self.processed


def _sum(values: Iterable[float | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) if present else None


def per_year(reports: Iterable[Report]) -> list[Year]:
    """The sums over the reports read, one report per body and year (the chosen copy)."""
    by_year: dict[int, list[Report]] = defaultdict(list)
    for r in reports:
        if r.chosen and r.year and r.status == "ok":
            by_year[r.year].append(r)
    out = []
    for y in sorted(by_year):
        rs = by_year[y]
        fs = [r.figures for r in rs]
        outcomes = {k: _sum(getattr(f, k) for f in fs if f.processed) or 0.0 for k, _ in OUTCOMES}
        out.append(Year(y, len(rs), _sum(f.requests for f in fs), _sum(f.processed for f in fs), outcomes,
                        _sum(f.reviews for f in fs), _sum(f.suits for f in fs), _sum(f.fees for f in fs)))
    return out


def trend_svg(years: list[Year]) -> str:
    """Four panels over the years, as an SVG document (text)."""
    import matplotlib
    from matplotlib.figure import Figure

    xs = [y.year for y in years]
    labels = [str(x) for x in xs]
    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": _FONTS,
                                "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
                                "svg.hashsalt": "nianbao"}), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a machine without a CJK font: glyphs measured as boxes
        fig = Figure(figsize=(9.6, 5.6), layout="constrained")
        ax = fig.subplots(2, 2)
        pos = list(range(len(xs)))

        a = ax[0][0]
        a.bar(pos, [y.requests or 0 for y in years], color="#24476b")
        a.set_title("新收申请 requests received")

        a = ax[0][1]
        bottom = [0.0] * len(years)
        for (key, label), color in zip(OUTCOMES, _COLORS, strict=True):
            shares = [100 * y.share(key) for y in years]
            a.bar(pos, shares, bottom=bottom, color=color, label=label)
            bottom = [b + s for b, s in zip(bottom, shares, strict=True)]
        a.set_ylim(0, 100)
        a.set_title("办理结果占比 outcomes (% of processed)")
        a.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)

        a = ax[1][0]
        a.plot(pos, [y.reviews or 0 for y in years], marker="o", color="#6a1b9a", label="行政复议 reviews")
        a.plot(pos, [y.suits or 0 for y in years], marker="s", color="#ef6c00", label="行政诉讼 suits")
        a.set_title("复议、诉讼 reviews and suits")
        a.legend(fontsize=7, frameon=False)

        a = ax[1][1]
        a.bar(pos, [y.fees or 0 for y in years], color="#00838f")
        a.set_title("行政事业性收费 fees (万元)")

        for a in (ax[0][0], ax[0][1], ax[1][0], ax[1][1]):
            a.set_xticks(pos, labels)
            a.yaxis.get_major_locator().set_params(integer=True)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()
