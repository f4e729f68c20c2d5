"""Text pieces outside ruled tables -> paragraphs and unruled tables (ocr.layout)."""

from __future__ import annotations

from ocr.layout import LooseTable, ReadPiece, TextBlock, arrange, group_lines

H = 30  # line height in pixels


def _p(x0: int, y: int, x1: int, text: str) -> ReadPiece:
    return ReadPiece((x0, y, x1, y + H), text, 0.99)


def test_pieces_on_one_baseline_form_one_line_left_to_right():
    (line,) = group_lines([_p(400, 100, 500, "乙"), _p(100, 102, 300, "甲")])
    assert line.text == "甲 乙"


def test_wrapped_lines_of_a_paragraph_join_without_spaces():
    blocks = arrange([_p(160, 100, 1000, "第一行文字很长一直写到右边"), _p(100, 145, 1000, "第二行继续"), _p(100, 190, 600, "第三行结束。")])
    assert blocks == [TextBlock("第一行文字很长一直写到右边第二行继续第三行结束。", (100, 100, 1000, 220))]


def test_an_indented_line_starts_a_new_paragraph():
    blocks = arrange([_p(100, 100, 1000, "上一段最后一行写满"), _p(160, 145, 1000, "新一段首行缩进"), _p(100, 190, 1000, "新一段第二行")])
    assert [b.text for b in blocks] == ["上一段最后一行写满", "新一段首行缩进新一段第二行"]


def test_a_short_line_ends_its_paragraph():
    blocks = arrange([_p(100, 100, 500, "一、总体情况"), _p(100, 145, 1000, "正文从这里开始写满一行"), _p(100, 190, 1000, "正文第二行")])
    assert blocks[0].text == "一、总体情况"


def test_centred_title_lines_stay_one_paragraph():
    blocks = arrange(
        [_p(400, 100, 700, "某某县人民政府"), _p(300, 145, 800, "2024年政府信息公开工作年度报告"), _p(100, 250, 1000, "正文写满一行")]
    )
    assert blocks[0].text == "某某县人民政府2024年政府信息公开工作年度报告"


def test_lines_with_wide_gaps_in_the_same_columns_become_a_table():
    pieces = []
    for r, (label, nums) in enumerate([("规章", ("0", "0", "5")), ("规范性文件", ("14", "2", "20"))]):
        y = 100 + r * 45
        pieces.append(_p(100, y, 100 + 30 * len(label), label))
        for k, n in enumerate(nums):
            pieces.append(_p(500 + 150 * k, y, 520 + 150 * k, n))
    (table,) = [b for b in arrange(pieces) if isinstance(b, LooseTable)]
    grid = {(c.row, c.col): c.text for c in table.cells}
    assert grid == {(0, 0): "规章", (0, 1): "0", (0, 2): "0", (0, 3): "5",
                    (1, 0): "规范性文件", (1, 1): "14", (1, 2): "2", (1, 3): "20"}


def test_a_single_line_with_a_gap_stays_prose():
    blocks = arrange([_p(100, 100, 300, "联系电话"), _p(700, 100, 1000, "0517-1234567")])
    assert all(isinstance(b, TextBlock) for b in blocks)


def test_cells_of_a_loose_table_keep_the_least_confidence_of_their_pieces():
    pieces = [
        ReadPiece((100, 100, 200, 130), "甲", 0.99),
        ReadPiece((600, 100, 650, 130), "14", 0.42),
        ReadPiece((100, 145, 200, 175), "乙", 0.99),
        ReadPiece((600, 145, 650, 175), "3", 0.97),
    ]
    (table,) = arrange(pieces)
    assert isinstance(table, LooseTable)
    assert next(c for c in table.cells if c.text == "14").confidence == 0.42
