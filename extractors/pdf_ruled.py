"""Ruled tables of one PDF page: visible rules -> pdfplumber's table finder -> a grid with spans.

Word and WPS paint a white (or tinted) rectangle behind every paragraph line and table cell. Fed to
the table finder as edges, those rectangles turn prose into one-column "tables" and split merged
header cells, so only what is visibly drawn as a rule counts here: stroked lines and rectangles in a
non-white colour, and filled rectangles thin enough to be a rule. Exporters also drop bits of a
table's outer frame (a cell continued from the previous page has no top rule over part of its width);
a rule that stops short of a perpendicular rule's dangling end is extended to meet it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from extractors.model import BBox, Cell, Paragraph, Table
from extractors.pdf_chars import Glyph, block_text

_THIN = 2.5  # a filled rectangle at most this thick is a rule, not a background
_TOL = 3.0  # points: how far apart two rules may be and still meet
_MAX_CURVES = 500  # beyond this the curves are glyph outlines or a drawing, not a table's rules


@dataclass(frozen=True)
class TablePart:
    """A table as it sits on one page: cells with page-local rows/cols, plus the x positions of its
    column boundaries (what cross-page stitching compares)."""

    page: int
    bbox: BBox
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cells: tuple[Cell, ...]
    ruled: bool = True  # False: the grid was inferred from text positions alone
    slack: tuple[float, ...] = ()  # per boundary, how far it may be off (a river's half-width)
    # a second reading of the same text (Table.alternative): paragraphs and parts in reading order
    alternative: tuple[Paragraph | TablePart, ...] = ()

    def to_table(self) -> Table:
        """The part as a block of the shared model, its second reading with it."""
        alt = tuple(a.to_table() if isinstance(a, TablePart) else a for a in self.alternative)
        return Table(cells=self.cells, page=self.page, bbox=self.bbox, alternative=alt)

    def slack_at(self, i: int) -> float:
        return self.slack[i] if self.slack else 0.0

    @property
    def n_rows(self) -> int:
        return max((c.row + c.row_span for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def _visible(color: Any) -> bool:
    if color is None or isinstance(color, str):
        return True
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        vals = [float(c) for c in color]
    except (TypeError, ValueError):
        return True
    if len(vals) in (1, 3):
        return min(vals) < 0.9  # not white in grey or RGB
    if len(vals) == 4:
        return max(vals) > 0.1  # CMYK white is all zeros
    return True


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict:
    return {
        "object_type": "rule_edge",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def _segment(x0: float, y0: float, x1: float, y1: float) -> dict | None:
    if abs(y0 - y1) < 1 and abs(x1 - x0) >= 1:
        y = (y0 + y1) / 2
        return _edge(min(x0, x1), y, max(x0, x1), y, "h")
    if abs(x0 - x1) < 1 and abs(y1 - y0) >= 1:
        x = (x0 + x1) / 2
        return _edge(x, min(y0, y1), x, max(y0, y1), "v")
    return None


def ruling_edges(lines: Iterable[dict], rects: Iterable[dict], curves: Sequence[dict]) -> list[dict]:
    """The page's visible rules as pdfplumber edge dicts."""
    edges: list[dict | None] = []
    for ln in lines:
        if ln.get("stroke", True) and _visible(ln.get("stroking_color")):
            edges.append(_segment(ln["x0"], ln["top"], ln["x1"], ln["bottom"]))
    for r in rects:
        x0, top, x1, bottom = r["x0"], r["top"], r["x1"], r["bottom"]
        w, h = x1 - x0, bottom - top
        if r.get("stroke") and _visible(r.get("stroking_color")):
            edges += [
                _edge(x0, top, x1, top, "h"),
                _edge(x0, bottom, x1, bottom, "h"),
                _edge(x0, top, x0, bottom, "v"),
                _edge(x1, top, x1, bottom, "v"),
            ]
        elif r.get("fill") and _visible(r.get("non_stroking_color")) and min(w, h) <= _THIN:
            if w >= h:
                edges.append(_edge(x0, (top + bottom) / 2, x1, (top + bottom) / 2, "h"))
            else:
                edges.append(_edge((x0 + x1) / 2, top, (x0 + x1) / 2, bottom, "v"))
    if len(curves) <= _MAX_CURVES:
        for c in curves:
            if not (c.get("stroke") and _visible(c.get("stroking_color"))):
                continue
            pts = c.get("pts") or []
            for (ax, ay), (bx, by) in pairwise(pts):
                edges.append(_segment(ax, ay, bx, by))
    return _close_frames([e for e in edges if e is not None])


def _close_frames(edges: list[dict]) -> list[dict]:
    """Extend a rule that stops short of where a perpendicular rule ends, at the same height (or x),
    so the frame closes: the missing top rule over a cell continued from the previous page."""
    h = [dict(e) for e in edges if e["orientation"] == "h"]
    v = [dict(e) for e in edges if e["orientation"] == "v"]

    def close(ends: list[tuple[float, float]], rules: list[dict], lo: str, hi: str, at: str) -> None:
        for pos, end in ends:
            near = [r for r in rules if abs(r[at] - end) <= _TOL]
            if any(r[lo] - _TOL <= pos <= r[hi] + _TOL for r in near):
                continue
            long = [r for r in near if r[hi] - r[lo] >= 20]
            if not long:
                continue
            r = min(long, key=lambda r: min(abs(r[lo] - pos), abs(r[hi] - pos)))
            r[lo], r[hi] = min(r[lo], pos), max(r[hi], pos)

    def seal(v: list[dict], h: list[dict]) -> None:
        # Several vertical rules ending at one height with no rule across them and nothing of the
        # frame beyond: a table cut by the page end (or continued at the top of the next page)
        # whose closing rule the exporter left out.
        for side in ("top", "bottom"):
            loose = sorted(
                (e[side], e["x0"])
                for e in v
                if not any(
                    abs(r["top"] - e[side]) <= _TOL and r["x0"] - _TOL <= e["x0"] <= r["x1"] + _TOL for r in h
                )
            )
            group: list[tuple[float, float]] = []
            for item in [*loose, (float("inf"), 0.0)]:
                if group and item[0] - group[0][0] > _TOL:
                    at = group[0][0]
                    lo, hi = min(p for _, p in group), max(p for _, p in group)
                    beyond = any(
                        (e["bottom"] > at + _TOL if side == "bottom" else e["top"] < at - _TOL)
                        and lo - _TOL <= e["x0"] <= hi + _TOL
                        for e in v
                    )
                    if len(group) >= 3 and not beyond:
                        h.append(_edge(lo, at, hi, at, "h"))
                    group = []
                group.append(item)

    v_ends = [(e["x0"], e["top"]) for e in v] + [(e["x0"], e["bottom"]) for e in v]
    h_ends = [(e["top"], e["x0"]) for e in h] + [(e["top"], e["x1"]) for e in h]
    close(v_ends, h, "x0", "x1", "top")
    close(h_ends, v, "top", "bottom", "x0")
    seal(v, h)
    for e in h:
        e["bottom"], e["width"] = e["top"], e["x1"] - e["x0"]
    for e in v:
        e["x1"], e["height"] = e["x0"], e["bottom"] - e["top"]
    return h + v


def _cluster(values: Iterable[float], tol: float = 1.5) -> tuple[float, ...]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return tuple(out)


def _index(bounds: Sequence[float], v: float) -> int:
    """Index of the boundary nearest to v."""
    i = bisect_right(bounds, v)
    if i == 0:
        return 0
    if i == len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - v < v - bounds[i - 1] else i - 1


@dataclass(frozen=True)
class _Grid:
    bbox: BBox
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    boxes: tuple[tuple[int, int, int, int, BBox], ...]  # row, col, row_span, col_span, bbox


class EdgePage:
    """What pdfplumber's table finder needs of a page when it is given every rule explicitly: its
    box (and no text of its own to look for columns in)."""

    def __init__(self, width: float, height: float) -> None:
        self.bbox = (0.0, 0.0, width, height)
        self.chars: list[dict] = []
        self.edges: list[dict] = []

    def find_tables(self, settings: dict) -> list[Any]:
        from pdfplumber.table import TableFinder, TableSettings

        return TableFinder(self, TableSettings.resolve(settings)).tables  # type: ignore[arg-type]


def find_grids(page: Any, edges: list[dict]) -> list[_Grid]:
    """Tables pdfplumber's finder builds from the given rules, as grids of spanning cells."""
    v = [e for e in edges if e["orientation"] == "v"]
    h = [e for e in edges if e["orientation"] == "h"]
    if len(v) < 2 or len(h) < 2:
        return []
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": v,
        "explicit_horizontal_lines": h,
    }
    grids = []
    for t in page.find_tables(settings):
        xs = _cluster(x for c in t.cells for x in (c[0], c[2]))
        ys = _cluster(y for c in t.cells for y in (c[1], c[3]))
        boxes = []
        for x0, top, x1, bottom in t.cells:
            c0, c1 = _index(xs, x0), _index(xs, x1)
            r0, r1 = _index(ys, top), _index(ys, bottom)
            if c1 > c0 and r1 > r0:
                boxes.append((r0, c0, r1 - r0, c1 - c0, (x0, top, x1, bottom)))
        if boxes:
            grids.append(_Grid(tuple(t.bbox), xs, ys, tuple(boxes)))
    return grids


def fill_grids(
    grids: Sequence[_Grid], glyphs: Sequence[Glyph], page: int
) -> tuple[list[TablePart], list[Glyph]]:
    """Hand every glyph to the cell its centre falls in; the rest stay free text. A one-column "table"
    is a boxed paragraph, so its glyphs go back to the free text too."""
    owners: list[dict[tuple[int, int], int]] = []
    for g in grids:
        own: dict[tuple[int, int], int] = {}
        for i, (r, c, rs, cs, _) in enumerate(g.boxes):
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    own[(rr, cc)] = i
        owners.append(own)
    held: list[list[list[Glyph]]] = [[[] for _ in g.boxes] for g in grids]
    free: list[Glyph] = []
    for gl in glyphs:
        cx, cy = gl.cx, gl.cy
        for k, g in enumerate(grids):
            x0, top, x1, bottom = g.bbox
            if x0 <= cx <= x1 and top <= cy <= bottom:
                col = bisect_right(g.xs, cx) - 1
                row = bisect_right(g.ys, cy) - 1
                owner = owners[k].get((row, col))
                if owner is not None:
                    held[k][owner].append(gl)
                    break
        else:
            free.append(gl)
    parts: list[TablePart] = []
    for k, g in enumerate(grids):
        if len(g.xs) <= 2:
            free.extend(gl for cell in held[k] for gl in cell)
            continue
        cells = tuple(
            Cell(
                row=r,
                col=c,
                text=block_text(held[k][i]),
                row_span=rs,
                col_span=cs,
                page=page,
                bbox=tuple(round(v, 2) for v in box),  # type: ignore[arg-type]
                layout="grid",
            )
            for i, (r, c, rs, cs, box) in enumerate(g.boxes)
        )
        parts.append(TablePart(page, tuple(round(v, 2) for v in g.bbox), g.xs, g.ys, cells))  # type: ignore[arg-type]
    return parts, free
