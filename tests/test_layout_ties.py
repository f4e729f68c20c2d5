"""A borderless table's rows do not hang on float noise (issue 11).

A label wrapped over three lines around its numbers has its first line exactly midway between its
own numbers and the row above. Which row that line joins is decided by what it says (a line
opening a list item starts the row below; any other continues the label above), so moving glyphs
by a rounding error (pdfium re-saving a PDF moves every glyph by some 1e-5 pt) or by the scatter
of OCR boxes (a fraction of a point) gives back the same table, whichever way they move.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from extractors.layout import lay_out
from extractors.pdf_chars import Glyph
from extractors.pdf_ruled import TablePart

P18 = Path(__file__).parent / "fixtures" / "pdf" / "p18_city_2022.pdf"
SHIFTS = (1e-4, 1e-2, 0.1, 0.3, 0.5)  # points; the font is 10.5 pt


def _table(glyphs: list[Glyph], height: float = 842.0) -> list[list[str]]:
    """The texts of the one unruled table laid out from `glyphs`, row by row."""
    parts = [it for _, it in lay_out(glyphs, 1, height) if isinstance(it, TablePart)]
    assert len(parts) == 1
    rows: dict[int, list[str]] = {}
    for c in parts[0].cells:
        rows.setdefault(c.row, []).append(c.text)
    return [rows[r] for r in sorted(rows)]


def _moved(glyphs: list[Glyph], dy) -> list[Glyph]:
    return [replace(g, top=g.top + dy(g), bottom=g.bottom + dy(g)) for g in glyphs]


def _row_of(table: list[list[str]], label: str) -> list[str]:
    return next(r for r in table if any(t.startswith(label) for t in r))


# -- the p18 fixture's 表三, whose （二）部分公开 label lies midway between two rows of numbers


@pytest.fixture(scope="module")
def p18_page() -> tuple[list[Glyph], float]:
    import pdfplumber

    from extractors.pdf_text import _glyphs

    with pdfplumber.open(P18) as pdf:
        page = pdf.pages[1]
        return _glyphs(page.chars), float(page.height)


def _table3(glyphs: list[Glyph], height: float) -> list[list[str]]:
    parts = [it for _, it in lay_out(glyphs, 2, height) if isinstance(it, TablePart)]
    part = next(p for p in parts if any("部分公开" in c.text for c in p.cells))
    rows: dict[int, list[str]] = {}
    for c in part.cells:
        rows.setdefault(c.row, []).append(c.text)
    return [rows[r] for r in sorted(rows)]


def test_the_wrapped_label_keeps_its_own_numbers(p18_page):
    table = _table3(*p18_page)
    assert _row_of(table, "（二）部分公开") == ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                                                "15", "0", "0", "0", "0", "0", "15"]
    assert _row_of(table, "三、本年度办理结果")[1:] == ["（一）予以公开", "66", "4", "0", "0", "0", "0", "70"]


@pytest.mark.parametrize("shift", [s * sign for s in SHIFTS for sign in (1, -1)])
def test_moving_the_midway_line_up_or_down_gives_the_same_table(p18_page, shift):
    glyphs, height = p18_page
    first = next(g for g in glyphs if g.text == "区")  # on （二）部分公开（区分处理, the label's first line
    same_line = {g for g in glyphs if abs(g.top - first.top) < 0.5}
    moved = _moved(glyphs, lambda g: shift if g in same_line else 0.0)
    assert _table3(moved, height) == _table3(glyphs, height)


@pytest.mark.parametrize("shift", SHIFTS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_line_moved_by_its_own_small_amount_gives_the_same_table(p18_page, shift, seed):
    glyphs, height = p18_page
    rng = random.Random(seed)
    by_line: dict[float, float] = {}
    for g in sorted(glyphs, key=lambda g: g.top):
        key = next((t for t in by_line if abs(t - g.top) < 2.0), g.top)
        by_line.setdefault(key, rng.uniform(-shift, shift))
    offset = {id(g): by_line[next(t for t in by_line if abs(t - g.top) < 2.0)] for g in glyphs}
    moved = [replace(g, top=g.top + offset[id(g)], bottom=g.bottom + offset[id(g)]) for g in glyphs]
    assert _table3(moved, height) == _table3(glyphs, height)


# -- the rule itself, on a table set by hand (10 pt glyphs, rows 15 pt apart)


def _line(text: str, x: float, top: float, size: float = 10.0) -> list[Glyph]:
    out, w = [], 0.0
    for ch in text:
        cw = size * (0.5 if ch.isascii() else 1.0)
        out.append(Glyph(ch, x + w, top, x + w + cw, top + size, size))
        w += cw
    return out


def _hand_table(midway_line: str) -> list[Glyph]:
    """Three rows of numbers; the middle row's label wraps over three lines around its numbers and
    its first line (`midway_line`, shorter than the column) lies exactly midway between rows."""
    g = _line("（一）予以公开", 50, 100) + _line("66", 250, 100) + _line("70", 320, 100)
    g += _line(midway_line, 50, 115)
    g += _line("处理的，只计这一情形，不计其", 50, 130) + _line("15", 250, 130) + _line("15", 320, 130)
    g += _line("他情形）", 50, 145)
    g += _line("（三）不予公开", 50, 160) + _line("4", 250, 160) + _line("4", 320, 160)
    return g


@pytest.mark.parametrize("shift", [0.0, *[s * sign for s in SHIFTS for sign in (1, -1)]])
def test_a_midway_line_opening_a_list_item_starts_the_row_below(shift):
    glyphs = _moved(_hand_table("（二）部分公开（区"), lambda g: shift if g.top == 115 else 0.0)
    assert _table(glyphs) == [["（一）予以公开", "66", "70"],
                              ["（二）部分公开（区处理的，只计这一情形，不计其他情形）", "15", "15"],
                              ["（三）不予公开", "4", "4"]]


@pytest.mark.parametrize("shift", [0.0, *[s * sign for s in SHIFTS for sign in (1, -1)]])
def test_a_midway_line_opening_nothing_continues_the_label_above(shift):
    glyphs = _moved(_hand_table("部分公开（区分"), lambda g: shift if g.top == 115 else 0.0)
    assert _table(glyphs) == [["（一）予以公开部分公开（区分", "66", "70"],
                              ["处理的，只计这一情形，不计其他情形）", "15", "15"],
                              ["（三）不予公开", "4", "4"]]


@pytest.mark.parametrize("shift", [-5.0, 5.0])
def test_a_list_item_moved_a_third_of_a_row_either_way_still_starts_the_row_below(shift):
    # beyond a tie: the nearer anchor takes it, and a block of a row's cell lying off the row's
    # anchor line goes to the neighbouring row, unless it is the head of the label on that line
    glyphs = _moved(_hand_table("（二）部分公开（区"), lambda g: shift if g.top == 115 else 0.0)
    assert _table(glyphs)[1] == ["（二）部分公开（区处理的，只计这一情形，不计其他情形）", "15", "15"]
