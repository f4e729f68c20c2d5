"""A borderless table whose numbers are set in another size than its labels stays one table.

The layout stage tells a table from the prose and headings around it partly by font size. A table's
numbers may be printed larger than its labels, and OCR measures the two kinds from different ink (a
digit's height, a CJK character's width), so a scan's labels came out at 8.4 pt and its numbers at
10.7 pt. Compared line by line in one size, every label line broke the table: each row of numbers
became a table of its own and the labels prose, and 75 cells of 表三 were lost.
"""

from __future__ import annotations

from extractors.layout import lay_out
from extractors.model import Paragraph
from extractors.pdf_chars import Glyph
from extractors.pdf_ruled import TablePart

LABELS = [("1、属于国家秘", "密"), ("2、其他法律行", "政法规禁止公开"), ("3、危及三安全", "一稳定"),
          ("4、保护第三方", "合法权益"), ("5、属于三类内", "部事务信息")]
ROWS = [[1, 0, 0, 2], [3, 1, 0, 4], [0, 0, 0, 0], [7, 2, 1, 10], [5, 0, 0, 5]]


def _text(s: str, x: float, top: float, size: float, wide: bool) -> list[Glyph]:
    # as OCR gives them: a glyph's box is its ink, 0.92 of the size for CJK, 0.72 for a digit
    step, ink = (size, 0.92 * size) if wide else (0.55 * size, 0.72 * size)
    return [Glyph(ch, x + k * step, top, x + (k + 1) * step, top + ink, size) for k, ch in enumerate(s)]


def _page(label_pt: float, number_pt: float) -> list[Glyph]:
    """Rows of a label wrapped over two lines, the row's numbers on a line between them."""
    glyphs: list[Glyph] = []
    top = 100.0
    for (first, second), nums in zip(LABELS, ROWS):
        glyphs += _text(first, 60, top, label_pt, True)
        for k, v in enumerate(nums):
            glyphs += _text(str(v), 220 + 70 * k, top + 6.2, number_pt, False)
        glyphs += _text(second, 60, top + 11.8, label_pt, True)
        top += 24
    return glyphs


def _tables(glyphs: list[Glyph]) -> list[TablePart]:
    return [it for _, it in lay_out(glyphs, 1, 842.0) if isinstance(it, TablePart)]


def test_numbers_set_larger_than_their_labels_stay_in_one_table():
    (table,) = _tables(_page(8.4, 10.7))
    rows: dict[int, list[str]] = {}
    for c in table.cells:
        rows.setdefault(c.row, []).append(c.text)
    found = {tuple(t for t in r if t.isdigit()) for r in rows.values()}
    assert {tuple(str(v) for v in nums) for nums in ROWS} <= found


def test_a_heading_in_a_larger_size_is_still_no_row_of_the_table():
    heading = _text("四、政府信息公开行政复议情况", 60, 60, 14.0, True)
    items = [it for _, it in lay_out(heading + _page(8.4, 10.7), 1, 842.0)]
    assert [it.text for it in items if isinstance(it, Paragraph)] == ["四、政府信息公开行政复议情况"]
    (table,) = [it for it in items if isinstance(it, TablePart)]
    assert not any("四、" in c.text for c in table.cells)


def test_a_mark_read_among_a_rows_numbers_does_not_part_the_table():
    # a 0 under a seal read as V, measured from its ink larger than any label: no text of a heading
    glyphs = _page(8.4, 10.7)
    row3 = min(g.top for g in glyphs if g.text == "3" and g.x0 > 200)  # row 2's numbers line
    glyphs = [g for g in glyphs if not (g.top == row3 and g.x0 > 280 and g.x0 < 300)]
    glyphs += _text("V", 290, row3, 13.5, False)
    (table,) = _tables(glyphs)
    rows: dict[int, list[str]] = {}
    for c in table.cells:
        rows.setdefault(c.row, []).append(c.text)
    assert ["1", "0", "0", "2"] in rows.values() and ["3", "V", "0", "4"] in rows.values()
