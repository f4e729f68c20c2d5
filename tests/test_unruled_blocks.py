"""Where the layout stage of tables without ruling lines puts a label block that shares no line
with a row of numbers (extractors.pdf_unruled._separate)."""

from __future__ import annotations

from extractors.pdf_chars import Glyph
from extractors.pdf_unruled import _Block, _Piece, _separate


def _piece(line: int, text: str, top: float, c0: int = 0, c1: int = 1) -> _Piece:
    glyphs = [Glyph(ch, 40 + 10 * k, top, 50 + 10 * k, top + 9, 9.0) for k, ch in enumerate(text)]
    return _Piece.of(line, glyphs, c0, c1)


def test_a_label_below_a_row_whose_cell_holds_two_blocks_side_by_side_goes_to_the_row_below():
    # 三 (the column header set upright) and (一)予以公开 both sit on row 9's anchor line; the first
    # line of (二)部分公开… lies below them, sent to row 9 by nearness: it is the next row's label
    header = _Block([_piece(10, "三", 263.5)], row=9, row_end=9)
    label = _Block([_piece(10, "(一)予以公开", 264.5)], row=9, row_end=9)
    below = _Block([_piece(11, "（二）部分公开（区分处理的，只计这", 278.9)], row=9, row_end=9)
    blocks = [header, label, below]
    _separate(blocks, body_row={9: 8, 10: 9}, anchors=[9, 10], post=10, n_head=0)
    assert (header.row, label.row, below.row) == (9, 9, 10)


def test_a_block_between_side_by_side_blocks_of_one_row_stays():
    left = _Block([_piece(10, "三", 260.0)], row=9, row_end=9)
    right = _Block([_piece(10, "(一)予以公开", 270.0)], row=9, row_end=9)
    between = _Block([_piece(11, "本", 265.0)], row=9, row_end=9)
    _separate([left, right, between], body_row={10: 9}, anchors=[10], post=10, n_head=0)
    assert between.row == 9
