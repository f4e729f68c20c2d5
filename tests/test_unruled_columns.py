"""The columns of a table printed without rules are where its numbers and headers are, not every
white river a split piece of text leaves.

OCR may read a centred sub-heading of 表二 (第二十条第（五）项) as two pieces with a gap between
them. Its second piece, alone in the river between two columns of numbers, made a column of its
own: 规章's row then read 0, a blank, 0, 0, four cells for three values, and 表二's first rows
were lost."""

from __future__ import annotations

from extractors.layout import lay_out
from extractors.pdf_chars import Glyph
from extractors.pdf_ruled import TablePart
from tests.test_unruled_sizes import _text

SIZE = 7.9


def _line(top: float, *pieces: tuple[str, float]) -> list[Glyph]:
    out: list[Glyph] = []
    for text, x in pieces:
        out += _text(text, x, top, SIZE, not text.isdigit())
    return out


def _table_two(split_heading: bool) -> list[Glyph]:
    # as a rough scan of 表二 was read (points): the sub-headings centred over the first two columns
    heading = [("第二十条", 269.0), ("(五)项", 313.0)] if split_heading else [("第二十条第（五）项", 269.0)]
    return (_line(616, ("第二十条第（一）项", 269))
            + _line(628, ("信息内容", 144), ("本年制发件数", 260), ("本年废止件数", 356), ("现行有效件数", 452))
            + _line(641, ("规章", 92), ("0", 281), ("0", 377), ("0", 473))
            + _line(653, ("行政规范性文件", 92), ("1", 282), ("0", 377), ("6", 473))
            + _line(664, *heading)
            + _line(676, ("信息内容", 144), ("本年处理决定数量", 348))
            + _line(689, ("行政许可", 92), ("9", 377))
            + _line(712, ("信息内容", 144), ("本年处理决定数量", 348))
            + _line(725, ("行政处罚", 92), ("1", 378))
            + _line(737, ("行政强制", 92), ("3", 377))
            + _line(748, ("第二十条第（八）项", 269))
            + _line(760, ("信息内容", 144), ("本年收费金额（单位：万元）", 328)))


def _row_of(table: TablePart, label: str) -> list[str]:
    (row,) = {c.row for c in table.cells if c.text == label}
    return [c.text for c in sorted((c for c in table.cells if c.row == row), key=lambda c: c.col)]


def _table(glyphs: list[Glyph]) -> TablePart:
    (table,) = [it for _, it in lay_out(glyphs, 1, 842.0) if isinstance(it, TablePart)]
    return table


def test_a_heading_read_in_two_pieces_makes_no_column_between_numbers():
    row = _row_of(_table(_table_two(split_heading=True)), "规章")
    assert [t for t in row if t] == ["规章", "0", "0", "0"]
    assert row[row.index("0"):][:3] == ["0", "0", "0"]  # three cells side by side, no blank between


def test_the_same_table_with_its_heading_whole_reads_alike():
    assert _row_of(_table(_table_two(split_heading=False)), "规章") == _row_of(
        _table(_table_two(split_heading=True)), "规章")
