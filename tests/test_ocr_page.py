"""A page image -> blocks of the shared model (ocr.page), on a synthetic scanned page."""

from __future__ import annotations

import functools

import cv2
import numpy as np
import pytest

from extractors.model import Paragraph, Table
from ocr.engine import load_engine
from ocr.page import ocr_image

DPI = 150.0
ROWS = [["item", "issued", "repealed", "in force"], ["rules", "14", "2", "0"], ["notices", "1", "10", "235"]]
XS = [100, 420, 620, 820, 1020]
YS = [500, 570, 640, 710]


def _page() -> np.ndarray:
    """An A4 page at 150 dpi: a heading, a ruled 3x4 table whose numbers sit close to the rules."""
    img = np.full((1754, 1240, 3), 255, np.uint8)
    cv2.putText(img, "Annual report 2024", (100, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (0, 0, 0), 3)
    cv2.putText(img, "Table one: documents issued this year", (100, 400), cv2.FONT_HERSHEY_SIMPLEX, 1.1, (0, 0, 0), 2)
    for y in YS:
        cv2.line(img, (XS[0], y), (XS[-1], y), (0, 0, 0), 2)
    for x in XS:
        cv2.line(img, (x, YS[0]), (x, YS[-1]), (0, 0, 0), 2)
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            # numbers right-aligned against the next rule: full-page OCR would run them together
            (w, _), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 1.0, 2)
            x = XS[c] + 15 if c == 0 else XS[c + 1] - w - 12
            cv2.putText(img, text, (x, YS[r] + 48), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    return img


@functools.cache
def _blocks(turn: int | None = None) -> tuple:
    img = _page() if turn is None else cv2.rotate(_page(), turn)
    return tuple(ocr_image(load_engine(), img, DPI, 1))


def _table(blocks) -> Table:
    (table,) = [b for b in blocks if isinstance(b, Table)]
    return table


def test_table_numbers_land_in_their_rows_and_columns():
    grid = {(c.row, c.col): c.text for c in _table(_blocks()).cells}
    assert [[grid[(r, c)] for c in range(4)] for r in range(1, 3)] == [row for row in ROWS[1:]]


def test_every_table_cell_carries_its_recognition_confidence():
    cells = _table(_blocks()).cells
    assert all(c.confidence is not None and 0.0 <= c.confidence <= 1.0 for c in cells)
    assert all(c.confidence > 0.8 for c in cells if c.text.isdigit())


def test_cells_between_ruling_lines_say_the_grid_placed_them():
    assert {c.layout for c in _table(_blocks()).cells} == {"grid"}


def test_cells_carry_page_and_box_in_pdf_points():
    cell = next(c for c in _table(_blocks()).cells if (c.row, c.col) == (1, 1))
    assert cell.page == 1
    x0, y0, x1, y1 = cell.bbox
    k = 72.0 / DPI
    assert abs(x0 - XS[1] * k) < 3 and abs(x1 - XS[2] * k) < 3 and abs(y0 - YS[1] * k) < 3 and abs(y1 - YS[2] * k) < 3


def test_text_outside_the_table_comes_as_paragraphs_in_reading_order():
    kinds = [type(b).__name__ for b in _blocks()]
    assert kinds == ["Paragraph", "Paragraph", "Table"]
    assert "2024" in _blocks()[0].text


@pytest.mark.parametrize("turn", [cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180])
def test_a_turned_page_reads_the_same(turn):
    grid = {(c.row, c.col): c.text for c in _table(_blocks(turn)).cells}
    assert [[grid[(r, c)] for c in range(4)] for r in range(1, 3)] == [row for row in ROWS[1:]]


def test_boxes_of_a_turned_page_point_into_the_page_as_given():
    # turned 180 degrees, the heading (top of the page) is found near the bottom of the given image
    heading = next(b for b in _blocks(cv2.ROTATE_180) if isinstance(b, Paragraph) and "Annual" in b.text)
    assert heading.bbox[1] > 1754 * 72.0 / DPI * 0.8


def test_a_blank_page_gives_no_blocks():
    assert ocr_image(load_engine(), np.full((800, 600, 3), 255, np.uint8), DPI, 1) == []


def test_numbers_under_a_grey_seal_are_doubted():
    img = _page()
    cv2.circle(img, (720, 605), 115, (90, 90, 90), 7)  # a seal ring over the middle numbers
    table = _table(ocr_image(load_engine(), img, DPI, 1))
    under = next(c for c in table.cells if (c.row, c.col) == (1, 2))
    far = next(c for c in table.cells if (c.row, c.col) == (0, 0))
    assert under.confidence <= 0.6
    assert far.confidence > 0.6


def test_a_red_seal_over_numbers_is_taken_out_and_the_numbers_read():
    img = _page()
    overlay = img.copy()
    cv2.circle(overlay, (720, 605), 115, (40, 40, 210), 9)
    cv2.circle(overlay, (720, 605), 30, (40, 40, 210), -1)
    # translucent ink: black print shows through it
    img = np.minimum(img, overlay)
    grid = {(c.row, c.col): c.text for c in _table(ocr_image(load_engine(), img, DPI, 1)).cells}
    assert [[grid[(r, c)] for c in range(4)] for r in range(1, 3)] == [row for row in ROWS[1:]]


def test_a_table_without_ruling_lines_is_built_from_the_text_positions():
    img = np.full((1754, 1240, 3), 255, np.uint8)
    rows = [["rules", "14", "2", "0"], ["notices", "1", "10", "235"], ["orders", "7", "0", "31"]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cv2.putText(img, text, (120 + 260 * c, 400 + 60 * r), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    table = _table(ocr_image(load_engine(), img, DPI, 1))
    grid = {(c.row, c.col): c.text for c in table.cells}
    assert [[grid.get((r, c)) for c in range(4)] for r in range(3)] == rows
    assert {c.layout for c in table.cells if c.text} == {"words"}


def test_a_cell_read_as_a_letter_o_is_given_as_zero_and_doubted():
    from ocr.trust import as_digits

    assert as_digits("O", 0.99) == ("0", 0.5)
    assert as_digits("1O", 0.95) == ("10", 0.5)
    assert as_digits("10", 0.95) == ("10", 0.95)
    assert as_digits("其他", 0.95) == ("其他", 0.95)


def _cut(cell_box: tuple[int, int, int, int], rows: int, xs: tuple[int, ...], ys: tuple[int, ...],
         lines: list[tuple[str, tuple[int, int, int, int]]]):
    """`_split_items` of one label-column cell spanning `rows` rows of a lattice, its pieces the
    `lines` (text, ink box) recognised with confidence; the cut and the recognitions."""
    from ocr.crops import Piece
    from ocr.engine import Recognition
    from ocr.grid import GridCell, GridTable
    from ocr.page import _split_items

    cell = GridCell(0, 0, rows, 1, *cell_box)
    pieces = [Piece(rect) for _, rect in lines]
    recs = [Recognition(text, 0.99, 0.99) for text, _ in lines]
    return _split_items(GridTable(xs, ys, (cell,)), cell, pieces, list(range(len(lines))), recs), recs


def test_a_label_cell_over_rows_a_faint_rule_joined_is_cut_at_each_item_wrapped_or_not():
    # rows 0-2 at y 0-40-100-140; the rule under row 0 and the one under row 1 were not found in the
    # label column: one cell holds "5.要求…" (one line), "1.申请人…" (two lines) and "2.其他" (one line)
    cut, recs = _cut((0, 0, 200, 140), 3, (0, 200, 260), (0, 40, 100, 140), [
        ("5.要求重新出具", (10, 12, 190, 28)), ("1.申请人无正当理由", (10, 50, 190, 66)),
        ("逾期不补正", (10, 72, 150, 88)), ("2.其他", (10, 112, 80, 128))])
    assert [(c.row, c.row_span, [recs[i].text for i in idx]) for c, _, idx in cut] == [
        (0, 1, ["5.要求重新出具"]), (1, 1, ["1.申请人无正当理由", "逾期不补正"]), (2, 1, ["2.其他"])]


def test_a_label_merely_wrapped_in_a_cell_over_rows_stays_whole():
    cut, _ = _cut((0, 0, 200, 100), 2, (0, 200, 260), (0, 50, 100),
                  [("(三)不予", (10, 20, 120, 36)), ("公开", (10, 60, 60, 76))])
    assert [(c.row, c.row_span) for c, _, _ in cut] == [(0, 2)]


def test_a_header_cell_over_the_data_row_a_faint_rule_joined_is_cut_at_the_number():
    # 表四's header 结果维持 (two lines) and the 0 of the data row under it, the rule between lost
    cut, recs = _cut((0, 0, 60, 100), 2, (0, 60, 120), (0, 60, 100),
                     [("结果", (10, 10, 50, 26)), ("维持", (10, 32, 50, 48)), ("0", (25, 72, 35, 88))])
    assert [(c.row, c.row_span, [recs[i].text for i in idx]) for c, _, idx in cut] == [
        (0, 1, ["结果", "维持"]), (1, 1, ["0"])]


def test_two_rows_unnumbered_labels_a_lost_rule_joined_are_cut_one_line_per_row():
    cut, recs = _cut((0, 0, 300, 60), 2, (0, 300, 360), (0, 30, 60), [
        ("本年新收政府信息公开申请数量", (10, 8, 290, 22)), ("上年结转政府信息公开申请数量", (10, 38, 290, 52))])
    assert [(c.row, c.row_span, [recs[i].text for i in idx]) for c, _, idx in cut] == [
        (0, 1, ["本年新收政府信息公开申请数量"]), (1, 1, ["上年结转政府信息公开申请数量"])]


def test_a_label_wrapped_and_centred_in_a_two_row_cell_stays_whole():
    # 自然 / 人 a line's pitch apart about the middle of the merged cell, not a row apart
    cut, _ = _cut((0, 0, 60, 60), 2, (0, 60, 120), (0, 30, 60),
                  [("自然", (15, 14, 45, 27)), ("人", (22, 33, 38, 46))])
    assert [(c.row, c.row_span) for c, _, _ in cut] == [(0, 2)]


def _rec(text: str):
    from ocr.engine import Recognition

    return Recognition(text, 0.9, 0.9)


def test_a_cell_holding_numbers_set_apart_in_one_piece_means_the_grid_lost_an_edge():
    # the cells' ink joined across a lost rule, its stubs with it: one piece read as 110111 3
    from ocr.grid import GridCell
    from ocr.page import _grid_broken

    cell = GridCell(0, 0, 1, 4, 0, 0, 400, 30)
    assert _grid_broken([(cell, [], [0])], [_rec("110111 3")], 25.0)


def test_a_label_with_its_item_number_is_no_sign_of_a_lost_edge():
    from ocr.grid import GridCell
    from ocr.page import _grid_broken

    cell = GridCell(0, 0, 1, 1, 0, 0, 300, 30)
    assert not _grid_broken([(cell, [], [0, 1])], [_rec("1.属于国家秘密"), _rec("12")], 25.0)


def _edge_cut(outside: tuple[int, int] | None) -> bool:
    """A two-column grid whose last cell's piece, read as 176, runs to the grid's edge at x 400;
    `outside`: the columns of ink 20 px high drawn just outside it on the piece's line."""
    from ocr.crops import Piece
    from ocr.grid import GridCell, GridTable
    from ocr.page import _cut_at_edge

    cells = (GridCell(0, 0, 1, 1, 100, 100, 300, 140), GridCell(0, 1, 1, 1, 300, 100, 400, 140))
    t = GridTable(xs=(100, 300, 400), ys=(100, 140), cells=cells)
    ink = np.zeros((300, 600), np.uint8)
    if outside:
        ink[110:130, outside[0] : outside[1]] = 255
    jobs = [(cells[0], [Piece((120, 110, 200, 130))], [0]), (cells[1], [Piece((350, 110, 398, 130))], [1])]
    return _cut_at_edge(t, jobs, [_rec("行政事业性收费"), _rec("176")], ink, 25.0)


def test_a_grid_ending_inside_a_number_is_read_again_as_words():
    # a worn rule's dashes stopped at 17607's 6: the grid's edge cut 07 off its number
    assert _edge_cut((404, 414))
    assert not _edge_cut(None)
    assert not _edge_cut((403, 405))  # a doubled outer rule's other line is no digit


def _borderless_under_a_seal(print_grey: int, seal_ink: int) -> np.ndarray:
    """Rows of numbers set without rules (row r, column c prints (3r + c) mod 10), a seal pressed
    over their middle and scanned in grey: ring, the agency's name along the rim, a star (the
    fixtures' seal). `seal_ink`: how much darker than the paper the seal's fullest ink is."""
    import random
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    from gen_scan import _seal

    img = np.full((1754, 1240), 245, np.uint8)
    for r in range(9):
        for c in range(6):
            cv2.putText(img, str((3 * r + c) % 10), (330 + 110 * c, 420 + 45 * r), cv2.FONT_HERSHEY_SIMPLEX, 0.8,
                        print_grey, 2)
    _, alpha = _seal(random.Random(7), "某县民政局", 150)
    h, w = alpha.shape
    x0, y0 = 605 - w // 2, 590 - h // 2
    region = img[y0 : y0 + h, x0 : x0 + w].astype(np.float32)
    img[y0 : y0 + h, x0 : x0 + w] = np.minimum(region, 245 - seal_ink * alpha).astype(np.uint8)
    return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)


# a seal paler than the print (faded away) and one darker (a red seal in a grey scan: only its
# shape tells it from the print)
@pytest.mark.parametrize("print_grey, seal_ink", [(60, 220), (110, 235)])
def test_digits_inside_a_seal_are_read_doubted_and_its_name_is_not(print_grey, seal_ink):
    blocks = ocr_image(load_engine(), _borderless_under_a_seal(print_grey, seal_ink), DPI, 1)
    cells = [c for b in blocks if isinstance(b, Table) for c in b.cells if c.text]
    words = " ".join([c.text for c in cells] + [b.text for b in blocks if isinstance(b, Paragraph)])
    assert not any(ch in words for ch in "县民政局")
    # rows 3 to 6 of columns 2 and 3: inside the disc, clear of the ring, the name and the star
    px = DPI / 72
    inside = {(round((c.bbox[1] * px - 400) / 45), round((c.bbox[0] * px - 330) / 110)): c for c in cells
              if c.bbox and 520 < c.bbox[1] * px < 700 and 520 < c.bbox[0] * px < 700}
    assert {k: c.text for k, c in inside.items()} == {(r, c): str((3 * r + c) % 10) for r in range(3, 7) for c in (2, 3)}
    assert all(c.confidence is not None and c.confidence <= 0.6 for c in inside.values())


def _ruled_under_a_pale_seal(ruled: bool = True) -> np.ndarray:
    """A ruled table printed light and thin (grey 130, one pixel strokes, blurred), a seal paler
    than a dark print but hardly paler than this one pressed over its middle: fading the seal
    takes much of a thin digit's strokes with it. Not `ruled`: the same page printed without
    rules, its table read as words."""
    import random
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    from gen_scan import _seal

    img = np.full((1754, 1240), 245, np.uint8)
    cv2.putText(img, "Annual report 2024", (100, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 3)
    cv2.putText(img, "Table one: documents issued this year", (100, 400), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 0, 2)
    xs, ys = [100, 300, 420, 540, 660, 780, 900, 1020], [450 + 50 * k for k in range(8)]
    for y in ys if ruled else []:
        cv2.line(img, (xs[0], y), (xs[-1], y), 130, 2)
    for x in xs if ruled else []:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 130, 2)
    for r in range(7):
        cv2.putText(img, f"row{r}", (xs[0] + 10, ys[r] + 35), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 130, 1)
        for c in range(1, 7):
            cv2.putText(img, str((3 * r + c) % 10), (xs[c] + 50, ys[r] + 36), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 130, 1)
    _, alpha = _seal(random.Random(7), "某县民政局", 150)
    h, w = alpha.shape
    x0, y0 = 600 - w // 2, 620 - h // 2
    region = img[y0 : y0 + h, x0 : x0 + w].astype(np.float32)
    img[y0 : y0 + h, x0 : x0 + w] = np.minimum(region, 245 - 70 * alpha).astype(np.uint8)
    return cv2.cvtColor(cv2.GaussianBlur(img, (0, 0), 0.8), cv2.COLOR_GRAY2BGR)


def test_light_thin_digits_under_a_seal_barely_paler_are_read_not_faded_away():
    table = _table(ocr_image(load_engine(), _ruled_under_a_pale_seal(), DPI, 1))
    grid = {(c.row, c.col): c for c in table.cells}
    # rows 2 and 4, columns 2 to 4: inside the seal's disc, clear of its ring, name and star
    inside = [grid[(r, c)] for r in (2, 4) for c in (2, 3, 4)]
    assert [c.text for c in inside] == [str((3 * r + c) % 10) for r in (2, 4) for c in (2, 3, 4)]
    assert all(c.confidence is not None and c.confidence <= 0.6 for c in inside)


def test_a_headers_label_read_down_with_the_number_under_it_is_cut_back_per_row():
    # 表四's header 结果纠正 read down its narrow cell with the data row's 0 below it, the rule between
    # the two rows lost in that column: the cell spans both rows, its one piece read 结果纠正0
    from ocr.crops import Piece
    from ocr.engine import Recognition
    from ocr.grid import GridCell, GridTable
    from ocr.page import _number_under_label, _split_items

    table = GridTable((100, 160, 220), (600, 660, 760, 800), ())
    cell = GridCell(1, 1, 2, 1, 160, 660, 220, 800)
    recs = [Recognition("结果纠正0", 0.95, 0.9, (), (0.95, 0.95, 0.95, 0.95, 0.9))]
    job = _number_under_label(table, (cell, [Piece((175, 665, 205, 790), vertical=True)], [0]), recs)
    parts = _split_items(table, *job, recs)
    assert [(c.row, "".join(recs[i].text for i in idx)) for c, _, idx in parts] == [(1, "结果纠正"), (2, "0")]


def test_a_headers_label_over_the_data_rows_number_is_read_apart_where_its_ink_parts_at_the_row_line():
    # 其他结果 read down its narrow cell, the data row's 0 under it, the rule between the two rows
    # lost in that column but for a scrap on the row line: read as one piece the 0 came out as 。
    from ocr.grid import GridCell, GridTable
    from ocr.page import _pieces_by_row_lines

    ink = np.zeros((900, 300), np.uint8)
    for k in range(4):  # four stacked characters, 20 px each, 4 px apart
        ink[404 + 24 * k : 424 + 24 * k, 170:190] = 255
    ink[503:506, 168:192] = 255  # the lost rule's scrap on the row line (504)
    cv2.ellipse(ink, (180, 528), (5, 8), 0, 0, 360, 255, 2)  # the 0
    table = GridTable((100, 160, 220), (300, 400, 504, 560), ())
    cell = GridCell(1, 1, 2, 1, 160, 400, 220, 560)
    pieces = _pieces_by_row_lines(ink, table, cell, (163, 403, 217, 557), 22.0)
    assert [(p.vertical, p.rect[1] < 504 < p.rect[3]) for p in pieces] == [(True, False), (False, False)]
    assert pieces[1].rect[1] > 510


def test_a_label_whose_character_crosses_the_row_line_stays_one_piece():
    from ocr.grid import GridCell, GridTable
    from ocr.page import _pieces_by_row_lines

    ink = np.zeros((900, 300), np.uint8)
    for k in range(4):  # the third character lies across the row line (504) with no gap near it
        ink[446 + 26 * k : 466 + 26 * k, 170:190] = 255
    ink[466:472, 178:182] = ink[492:498, 178:182] = ink[518:524, 178:182] = 255  # strokes joining them
    table = GridTable((100, 160, 220), (300, 400, 504, 560), ())
    cell = GridCell(1, 1, 2, 1, 160, 400, 220, 560)
    pieces = _pieces_by_row_lines(ink, table, cell, (163, 403, 217, 557), 22.0)
    assert len(pieces) == 1 and pieces[0].vertical


def test_zeros_of_several_cells_read_as_one_piece_mean_the_grid_lost_its_edges():
    # rules worn to dashes: the row's zeros joined by the rules' remnants into one piece of a cell
    from ocr.grid import GridCell
    from ocr.page import _grid_broken

    cell = GridCell(0, 0, 1, 10, 0, 0, 600, 30)
    for text in ("0000|0010000", "00", "ooo", "规范性文件|0---1"):
        assert _grid_broken([(cell, [], [0])], [_rec(text)], 25.0), text
    for text in ("0", "10", "0.5", "1000", "-", "—", "1-"):
        assert not _grid_broken([(cell, [], [0])], [_rec(text)], 25.0), text


def test_light_thin_digits_under_a_seal_in_a_table_without_rules_are_read_not_faded_away():
    blocks = ocr_image(load_engine(), _ruled_under_a_pale_seal(ruled=False), DPI, 1)
    cells = [c for b in blocks if isinstance(b, Table) for c in b.cells if c.text.strip()]
    px = DPI / 72
    # rows 2 and 4, columns 2 to 4: inside the seal's disc, clear of its ring, name and star
    got = {(round((c.bbox[1] * px - 468) / 50), round((c.bbox[0] * px - 230) / 120)): c.text.strip()
           for c in cells if c.bbox}
    assert {k: got.get(k) for k in [(r, c) for r in (2, 4) for c in (2, 3, 4)]} == {
        (r, c): str((3 * r + c) % 10) for r in (2, 4) for c in (2, 3, 4)}


def test_a_wide_piece_of_a_cell_that_reads_as_nothing_means_the_grid_lost_its_edges():
    # a 表四 whose column rules were worn away: its header's stacked labels joined into one strip
    # twenty characters wide that the recogniser read as nothing; a narrow blank reading is a smudge
    from ocr.crops import Piece
    from ocr.grid import GridCell
    from ocr.page import _grid_broken

    cell = GridCell(0, 0, 1, 10, 500, 740, 1070, 810)
    strip, smudge = Piece((507, 750, 1062, 799)), Piece((600, 760, 640, 790))
    assert _grid_broken([(cell, [strip], [0])], [_rec("")], 25.0)
    assert not _grid_broken([(cell, [smudge], [0])], [_rec("")], 25.0)
    assert not _grid_broken([(cell, [strip], [0])], [_rec("结果维持结果纠正其他结果尚未审结总计")], 25.0)
