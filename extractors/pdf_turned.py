"""Text set sideways on a page, turned upright before the one layout stage reads it.

A wide table is often printed across a portrait page, turned a quarter (its text runs up or down
the page), while the page number stays upright; a page may also carry /Rotate, which pdfplumber
applies, so its text arrives running down or up the page as displayed. Each glyph's direction is
read from its text matrix. The page's main direction (most glyphs) is its frame: its glyphs, the
page's rules and any glyph of another direction lying among them (a header cell whose text is
turned to fit a narrow column) are turned so that direction reads left to right, laid out by
pdf_text.layout_page exactly as an upright page is, and the boxes of what comes out are turned back
to the page as displayed (provenance). Glyphs of another direction lying apart (the upright page
number of a sideways page) are laid out in their own frame. Column positions (TablePart.xs) stay
in the frame the table was read in: what stitching compares with the next page's table, turned
the same way.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from extractors.model import BBox, Paragraph
from extractors.pdf_chars import Glyph
from extractors.pdf_ruled import EdgePage, TablePart

_SNAP_DEG = 10.0  # a text matrix within this of a quarter turn is that turn
Layout = Callable[[Any, Sequence[Glyph], list[dict], int, float],
                  tuple[list[TablePart], tuple[Paragraph | TablePart, ...]]]


def char_turn(char: dict) -> int | None:
    """The anticlockwise turn of a pdfplumber char's baseline as displayed: 0 (left to right), 90
    (running up), 180, 270 (running down); None for a slanted one or one with no matrix."""
    m = char.get("matrix")
    if not m or (m[0] == 0 and m[1] == 0):
        return None
    deg = math.degrees(math.atan2(m[1], m[0])) % 360
    q = round(deg / 90) % 4
    return q * 90 if abs((deg - q * 90 + 180) % 360 - 180) <= _SNAP_DEG else None


def upright_box(box: BBox, turn: int, width: float, height: float) -> BBox:
    """A box on the displayed page (width x height) in the frame where text turned by `turn` reads
    left to right."""
    x0, top, x1, bottom = box
    if turn == 90:
        return (height - bottom, x0, height - top, x1)
    if turn == 270:
        return (top, width - x1, bottom, width - x0)
    if turn == 180:
        return (width - x1, height - bottom, width - x0, height - top)
    return box


def page_box(box: BBox, turn: int, width: float, height: float) -> BBox:
    """The inverse of `upright_box`: a box of the upright frame back on the displayed page."""
    x0, top, x1, bottom = box
    if turn == 90:
        return (top, height - x1, bottom, height - x0)
    if turn == 270:
        return (width - bottom, x0, width - top, x1)
    if turn == 180:
        return (width - x1, height - bottom, width - x0, height - top)
    return box


def _frame_size(turn: int, width: float, height: float) -> tuple[float, float]:
    return (height, width) if turn in (90, 270) else (width, height)


def _turn_glyph(g: Glyph, turn: int, width: float, height: float) -> Glyph:
    x0, top, x1, bottom = upright_box((g.x0, g.top, g.x1, g.bottom), turn, width, height)
    # pdfplumber sizes a turned glyph by its extent across the page: its advance, not its height
    return Glyph(g.text, x0, top, x1, bottom, bottom - top, g.conf)


def _turn_edge(e: dict, turn: int, width: float, height: float) -> dict:
    x0, top, x1, bottom = upright_box((e["x0"], e["top"], e["x1"], e["bottom"]), turn, width, height)
    flip = {"h": "v", "v": "h"} if turn in (90, 270) else {}
    return {**e, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "width": x1 - x0,
            "height": bottom - top, "orientation": flip.get(e["orientation"], e["orientation"])}


def _round(b: BBox) -> BBox:
    return (round(b[0], 2), round(b[1], 2), round(b[2], 2), round(b[3], 2))


def _back(item: Paragraph | TablePart, turn: int, width: float, height: float) -> Paragraph | TablePart:
    def box(b: BBox | None) -> BBox | None:
        return None if b is None else _round(page_box(b, turn, width, height))

    if isinstance(item, Paragraph):
        return replace(item, bbox=box(item.bbox))
    cells = tuple(replace(c, bbox=box(c.bbox)) for c in item.cells)
    return replace(item, bbox=box(item.bbox) or item.bbox, cells=cells)


def frames(glyphs: Sequence[Glyph], turns: Sequence[int | None]) -> list[tuple[int, list[int]]]:
    """The page's glyphs (indices) by the frame they are read in, main frame first: the most
    common direction with every glyph lying within its extent, then each other direction's glyphs
    lying outside it."""
    counts = Counter(t for g, t in zip(glyphs, turns) if t is not None and g.text.strip())
    main = max(counts, key=lambda t: (counts[t], t == 0)) if counts else 0
    mine = [i for i, t in enumerate(turns) if t in (main, None)]
    inked = [glyphs[i] for i in mine if glyphs[i].text.strip()]
    if not inked or len(counts) < 2:
        return [(main, list(range(len(glyphs))))]
    pad = sorted(g.size for g in inked)[len(inked) // 2]
    x0, x1 = min(g.x0 for g in inked) - pad, max(g.x1 for g in inked) + pad
    top, bottom = min(g.top for g in inked) - pad, max(g.bottom for g in inked) + pad
    apart: dict[int, list[int]] = {}
    for i, t in enumerate(turns):
        if t in (main, None):
            continue
        g = glyphs[i]
        if x0 <= g.cx <= x1 and top <= g.cy <= bottom:
            mine.append(i)
        else:
            apart.setdefault(t, []).append(i)  # type: ignore[arg-type]
    return [(main, sorted(mine)), *sorted(apart.items())]


def layout_turned(page: Any, glyphs: Sequence[Glyph], turns: Sequence[int | None], edges: list[dict],
                  number: int, width: float, height: float, layout: Layout,
                  ) -> tuple[list[TablePart], tuple[Paragraph | TablePart, ...]]:
    """`layout` (pdf_text.layout_page) over each frame of the page, its items turned back onto the
    page as displayed; frames in the order their text starts down the page."""
    groups = frames(glyphs, turns)
    if groups == [(0, list(range(len(glyphs))))]:
        return layout(page, glyphs, edges, number, height)
    ruled: list[TablePart] = []
    placed: list[tuple[float, tuple[Paragraph | TablePart, ...]]] = []
    for k, (turn, idx) in enumerate(groups):
        mine = [glyphs[i] for i in idx]
        rules = edges if k == 0 else []
        if turn == 0:
            parts, items = layout(page, mine, rules, number, height)
        else:
            w, h = _frame_size(turn, width, height)
            parts, items = layout(EdgePage(w, h), [_turn_glyph(g, turn, width, height) for g in mine],
                                  [_turn_edge(e, turn, width, height) for e in rules], number, h)
            items = tuple(_back(it, turn, width, height) for it in items)
        ruled += parts
        inked = [g.top for g in mine if g.text.strip()]
        placed.append((min(inked, default=height), items))
    placed.sort(key=lambda p: p[0])
    return ruled, tuple(it for _, items in placed for it in items)
