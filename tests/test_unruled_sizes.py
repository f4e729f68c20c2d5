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


def _grown(glyphs: list[Glyph], text: str, size: float) -> list[Glyph]:
    """The label line `text` as OCR measures it under a seal: its box, and so its size, grown."""
    line = [g for g in glyphs if g.text == text[0] and g.x0 == 60]
    top = line[0].top
    return [g for g in glyphs if not (g.top == top and g.x0 < 200)] + _text(text, 60, top - 1.0, size, True)


def test_a_label_measured_larger_under_a_seal_does_not_part_the_table():
    # a seal's ring over a label grows its box half as large again: the table went on as two
    glyphs = _grown(_page(8.4, 10.7), "3、危及三安全", 12.8)
    (table,) = _tables(glyphs)
    numbers = [c.text for c in table.cells if c.text.isdigit()]
    assert numbers == [str(v) for nums in ROWS for v in nums]


def test_a_line_in_another_size_after_the_table_stays_prose():
    after = _text("五、存在的主要问题及改进情况", 60, 100 + 24 * len(ROWS) + 4, 12.8, True)
    after += _text("本年度政府信息公开工作仍存在一些不足。", 60, 100 + 24 * len(ROWS) + 22, 8.4, True)
    items = [it for _, it in lay_out(_page(8.4, 10.7) + after, 1, 842.0)]
    assert [it.text for it in items if isinstance(it, Paragraph)][:1] == ["五、存在的主要问题及改进情况"]
