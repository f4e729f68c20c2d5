"""Recognised pieces -> glyphs (ocr.words) -> the shared layout stage (extractors.layout): what OCR
reads goes through the same row/column reconstruction as a PDF's text layer."""

from __future__ import annotations

import itertools

from extractors.layout import lay_out
from extractors.model import Paragraph
from extractors.pdf_chars import Glyph
from extractors.pdf_ruled import TablePart
from ocr.engine import Recognition
from ocr.words import piece_glyphs, snap_sizes

DPI = 200.0
TO_PT = 72.0 / DPI
H = 30  # ink height of a CJK line in pixels (about 11 pt at 200 dpi)


def _rec(text: str, conf: float = 0.99) -> Recognition:
    n = len(text)
    return Recognition(text, conf, conf, tuple((k + 0.5) / n for k in range(n)), (conf,) * n)


def _glyphs(x0: int, y: int, text: str, conf: float = 0.99, char_w: int = 32):
    rect = (x0, y, x0 + char_w * len(text), y + H)
    return piece_glyphs(rect, _rec(text, conf), pad=0, to_pt=TO_PT)


def test_the_glyphs_of_one_piece_tile_it_without_gaps():
    gs = _glyphs(100, 100, "行政许可")
    assert [g.text for g in gs] == list("行政许可")
    assert all(abs(a.x1 - b.x0) < 1e-9 for a, b in itertools.pairwise(gs))
    assert abs(gs[0].x0 - 100 * TO_PT) < 1e-9 and abs(gs[-1].x1 - 228 * TO_PT) < 1e-9


def test_a_cjk_piece_measures_its_font_size_by_its_width():
    # four characters over 128 px: 32 px an em, whatever the ink height says
    (g, *_) = _glyphs(100, 100, "行政许可")
    assert abs(g.size - 32 * TO_PT) < 1e-6


def test_sizes_within_the_measuring_error_snap_to_the_pages_typical_size():
    body = _glyphs(100, 100, "行政许可") + _glyphs(100, 150, "行政处罚")
    gs = body + _glyphs(100, 200, "规章", char_w=38) + _glyphs(100, 250, "标题", char_w=70)
    snapped = snap_sizes(gs)
    typical = 32 * TO_PT
    assert {round(g.size, 3) for g in snapped[:10]} == {round(typical, 3)}
    assert snapped[-1].size > 2 * typical  # a heading keeps its own size


def test_a_borderless_table_read_by_ocr_becomes_a_table_part_with_its_confidences():
    glyphs = []
    rows = [("规章", ("0", "0", "5")), ("规范性文件", ("14", "2", "20")), ("行政许可", ("7", "1", "9"))]
    for r, (label, nums) in enumerate(rows):
        y = 100 + r * 50
        glyphs += _glyphs(100, y, label)
        for k, n in enumerate(nums):
            glyphs += piece_glyphs((600 + 200 * k, y + 5, 600 + 200 * k + 16 * len(n), y + 27),
                                   _rec(n, 0.42 if n == "14" else 0.98), pad=0, to_pt=TO_PT)
    items = [it for _, it in lay_out(snap_sizes(glyphs), 1, 842.0)]
    (table,) = [it for it in items if isinstance(it, TablePart)]
    grid = {(c.row, c.col): c.text for c in table.cells if c.text}
    assert [grid[(r, c)] for r in range(3) for c in range(4)] == [
        "规章", "0", "0", "5", "规范性文件", "14", "2", "20", "行政许可", "7", "1", "9"]
    assert next(c for c in table.cells if c.text == "14").confidence == 0.42
    assert {c.layout for c in table.cells} == {"words"}
    assert next(c for c in table.cells if c.text == "规章").confidence == 0.99


def test_a_prose_line_with_one_wide_gap_stays_a_paragraph():
    glyphs = _glyphs(100, 100, "联系电话") + piece_glyphs((700, 100, 950, 130), _rec("0517-1234567"), 0, TO_PT)
    items = [it for _, it in lay_out(glyphs, 1, 842.0)]
    assert all(isinstance(it, Paragraph) for it in items)


def test_equal_digits_read_narrow_side_by_side_are_both_kept():
    # 100 read into a crop whose character positions crowd together: the two 0s are glyphs side by
    # side, less than a third of an em apart. Only a glyph painted over itself is fake bold.
    rect = (1000, 1000, 1030, 1030)  # mid-page: a number in the margin would be a page number
    rec = Recognition("100", 0.99, 0.99, (0.3, 0.5, 0.62), (0.99,) * 3)
    gs = piece_glyphs(rect, rec, pad=0, to_pt=TO_PT)
    [(_, para)] = lay_out(gs, 1, 842.0)
    assert isinstance(para, Paragraph) and para.text == "100"


def test_a_glyph_painted_twice_over_itself_is_read_once():
    from extractors.pdf_chars import Glyph, raw_line_text

    a = Glyph("公", 100.0, 100.0, 110.0, 110.0, 10.0)
    assert raw_line_text([a, Glyph("公", 100.3, 100.0, 110.3, 110.0, 10.0)]) == "公"


def test_one_broad_spread_of_measured_sizes_is_one_size():
    # the sizes measured from ink on a rough scan's page of 表三 (a table in one size, 7.3 to 10.7 pt;
    # two specks at 6 and a heading). The flank just outside the first peak's reach had been taken
    # for a second size (7.42), and the table split into pieces wherever its lines changed size
    spread = [(6.0, 2), (7.27, 8), (7.42, 32), (7.68, 4), (7.83, 1), (7.84, 3), (7.85, 33), (7.87, 10),
              (7.92, 10), (7.95, 18), (8.0, 24), (8.04, 4), (8.16, 2), (8.35, 131), (8.87, 102), (9.33, 41),
              (9.39, 9), (10.0, 110), (10.67, 19), (13.57, 1), (14.0, 1)]
    glyphs = [Glyph("0", 0, 0, 1, 1, size) for size, n in spread for _ in range(n)]
    body = {round(g.size, 3) for g in snap_sizes(glyphs) if 7 < g.size < 11}
    assert len(body) == 1


def test_a_heading_keeps_its_own_size_beside_a_broad_body():
    body = [(7.4, 30), (7.85, 60), (8.35, 130), (8.87, 100), (9.35, 50)]
    glyphs = [Glyph("0", 0, 0, 1, 1, size) for size, n in body for _ in range(n)]
    glyphs += [Glyph("年", 0, 0, 1, 1, 14.0 + 0.1 * k) for k in range(20)]
    sizes = {round(g.size, 3) for g in snap_sizes(glyphs)}
    assert len(sizes) == 2 and max(sizes) > 13.5
