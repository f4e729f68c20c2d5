"""Ruling lines -> lattice -> cells with spans (ocr.grid), on tables drawn with OpenCV."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.grid import find_tables
from ocr.preprocess import ink_mask

DPI = 150.0


def _page(h: int = 700, w: int = 900) -> np.ndarray:
    return np.full((h, w), 255, np.uint8)


def _rule_grid(img: np.ndarray, xs: list[int], ys: list[int], skip: set[tuple[str, int, int]] = frozenset()) -> None:
    """Draw every edge of the lattice except those in `skip` (('h'|'v', row/col line, cell index))."""
    for i, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if ("h", i, c) not in skip:
                cv2.line(img, (xs[c], y), (xs[c + 1], y), 0, 2)
    for j, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if ("v", j, r) not in skip:
                cv2.line(img, (x, ys[r]), (x, ys[r + 1]), 0, 2)


def test_a_fully_ruled_grid_gives_one_cell_per_position():
    img = _page()
    _rule_grid(img, [100, 300, 500, 700], [100, 160, 220])
    (t,) = find_tables(ink_mask(img), DPI)
    assert sorted((c.row, c.col, c.row_span, c.col_span) for c in t.cells) == [
        (r, c, 1, 1) for r in range(2) for c in range(3)
    ]


def test_a_missing_vertical_edge_makes_a_cell_spanning_two_columns():
    img = _page()
    _rule_grid(img, [100, 300, 500, 700], [100, 160, 220], skip={("v", 1, 0)})
    (t,) = find_tables(ink_mask(img), DPI)
    top_left = next(c for c in t.cells if c.row == 0 and c.col == 0)
    assert (top_left.row_span, top_left.col_span) == (1, 2)
    assert not any(c.row == 0 and c.col == 1 for c in t.cells)


def test_a_missing_horizontal_edge_makes_a_cell_spanning_two_rows():
    img = _page()
    _rule_grid(img, [100, 300, 500], [100, 160, 220, 280], skip={("h", 1, 0), ("h", 2, 0)})
    (t,) = find_tables(ink_mask(img), DPI)
    first = next(c for c in t.cells if c.col == 0 and c.row == 0)
    assert first.row_span == 3


def test_cell_boxes_lie_between_the_ruling_lines():
    img = _page()
    _rule_grid(img, [100, 300, 500], [100, 160, 220])
    (t,) = find_tables(ink_mask(img), DPI)
    cell = next(c for c in t.cells if (c.row, c.col) == (1, 1))
    assert abs(cell.x0 - 300) <= 2 and abs(cell.x1 - 500) <= 2
    assert abs(cell.y0 - 160) <= 2 and abs(cell.y1 - 220) <= 2


def test_bold_text_inside_cells_adds_no_rows_or_columns():
    img = _page()
    _rule_grid(img, [100, 400, 700], [100, 170, 240])
    for y in (145, 215):
        cv2.putText(img, "IIIIIIII HHHH ----", (110, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 4)
    (t,) = find_tables(ink_mask(img), DPI)
    assert (len(t.ys) - 1, len(t.xs) - 1) == (2, 2)


def test_a_table_without_side_borders_still_closes_its_outer_columns():
    img = _page()
    xs, ys = [100, 300, 500, 700], [100, 160, 220]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 2)
    for x in xs[1:-1]:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 2)
    (t,) = find_tables(ink_mask(img), DPI)
    assert len(t.xs) - 1 == 3


def test_a_framed_paragraph_is_not_a_table():
    img = _page()
    cv2.rectangle(img, (100, 100), (700, 300), 0, 2)
    assert find_tables(ink_mask(img), DPI) == []


def test_two_tables_on_a_page_come_top_to_bottom():
    img = _page()
    _rule_grid(img, [100, 300, 500], [400, 460, 520])
    _rule_grid(img, [100, 300, 500], [100, 160, 220])
    tables = find_tables(ink_mask(img), DPI)
    assert [t.ys[0] for t in tables] == sorted(t.ys[0] for t in tables) and len(tables) == 2


def test_a_box_ruled_only_across_is_left_to_the_text_layout():
    img = _page()
    xs, ys = [100, 700], [100, 160, 220, 280]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 2)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 2)
    assert find_tables(ink_mask(img), DPI) == []


def _broken(img: np.ndarray, rng: np.random.Generator, every: int = 40, gap: int = 4) -> None:
    """Break every rule: a blank gap of `gap` pixels at random places, one per `every` pixels."""
    h, w = img.shape
    for _ in range(h * w // (every * every)):
        y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
        img[max(0, y - gap // 2) : y + gap // 2 + 1, max(0, x - gap // 2) : x + gap // 2 + 1] = 255


def test_rules_broken_by_small_gaps_still_give_the_whole_lattice():
    img = _page()
    xs, ys = [100, 300, 400, 500, 600, 700], [100, 150, 200, 250, 300, 350]
    _rule_grid(img, xs, ys)
    _broken(img, np.random.default_rng(1))
    (t,) = find_tables(ink_mask(img), DPI)
    assert (len(t.xs), len(t.ys)) == (len(xs), len(ys))
    assert all(c.row_span == 1 and c.col_span == 1 for c in t.cells)


def test_a_lost_left_rule_gives_its_column_back_from_the_text_beside_the_grid():
    from ocr.grid import widen_to_text

    img = _page()
    xs, ys = [300, 420, 540], [100, 150, 200, 250]
    _rule_grid(img, xs, ys)
    for y in (115, 165, 215):  # labels left of the first rule, where the table's own left rule was
        cv2.rectangle(img, (120, y), (280, y + 20), 0, -1)
    ink = ink_mask(img)
    (t,) = find_tables(ink, DPI)
    assert len(t.xs) == 3
    wide = widen_to_text(t, ink, DPI)
    assert len(wide.xs) == 4 and wide.xs[0] < 120
    assert sorted((c.row, c.col) for c in wide.cells) == [(r, c) for r in range(3) for c in range(3)]


def test_text_far_from_the_grid_is_no_column_of_it():
    from ocr.grid import widen_to_text

    img = _page()
    _rule_grid(img, [500, 620, 740], [100, 150, 200, 250])
    for y in (115, 165, 215):
        cv2.rectangle(img, (20, y), (100, y + 20), 0, -1)  # a margin note 2.7 in away
    ink = ink_mask(img)
    (t,) = find_tables(ink, DPI)
    assert widen_to_text(t, ink, DPI) == t


def test_a_scans_specks_beside_the_grid_are_no_column_of_it():
    """Speckle in a rough scan's margin stands in every row of a table, up to its left rule, but a
    speck is no character: counted as text it made a label column from the page's edge, in which
    a speck read as 1 put a value too many in 表四's row."""
    from ocr.grid import widen_to_text

    img = _page()
    _rule_grid(img, [300, 420, 540], [100, 150, 200, 250])
    rng = np.random.default_rng(3)
    for _ in range(120):  # 2-pixel specks over the margin, a dozen or more in every row
        x, y = int(rng.integers(20, 290)), int(rng.integers(100, 250))
        img[y : y + 2, x : x + 2] = 0
    ink = ink_mask(img)
    (t,) = find_tables(ink, DPI)
    assert widen_to_text(t, ink, DPI).xs == t.xs


def test_a_grid_on_the_left_is_no_label_column_of_the_grid_beside_it():
    from ocr.grid import widen_to_text

    img = _page()
    _rule_grid(img, [20, 120, 260], [60, 130, 200, 290])  # other rows: no part of the same table
    for y in (80, 150, 220):  # the left grid's numbers, up to its right rule
        cv2.rectangle(img, (190, y), (255, y + 20), 0, -1)
    _rule_grid(img, [300, 420, 540], [100, 150, 200, 250])
    ink = ink_mask(img)
    left, right = find_tables(ink, DPI)
    left, right = sorted((left, right), key=lambda t: t.bbox[0])
    assert widen_to_text(right, ink, DPI).xs != right.xs  # (taken for a label column without others)
    assert widen_to_text(right, ink, DPI, (left.bbox,)).xs == right.xs


def test_two_grids_on_the_same_rows_a_little_apart_are_one_table_a_seal_parted():
    img = _page()
    _rule_grid(img, [100, 160, 220, 280], [100, 150, 200])
    _rule_grid(img, [420, 480, 540], [100, 150, 200])  # the rules between them taken with a seal
    (t,) = find_tables(ink_mask(img), DPI)
    assert t.bbox[0] <= 101 and t.bbox[2] >= 539


def _dashes_page(x: int, lengths: list[int], width: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Text ink holding strokes of the given lengths down one x, a vertical rule found on that x
    further down the page, and the grey page."""
    ink = np.zeros((900, 600), np.uint8)
    y = 40
    for n in lengths:
        ink[y : y + n, x : x + width] = 255
        y += n + 30
    rules = np.zeros_like(ink)
    rules[700:880, x : x + width] = 255
    return ink, rules, np.where(ink > 0, 0, 255).astype(np.uint8)


def test_a_rule_worn_to_dashes_is_taken_off_the_page():
    from ocr.grid import erase_dashes

    ink, rules, gray = _dashes_page(300, [19, 22, 13, 30])
    erase_dashes(ink, gray, rules, dpi=150)
    assert not ink.any() and gray.min() == 255


def test_a_column_of_1s_beside_a_rule_is_kept():
    """1s all one height (a small font has lost its foot at 120 dpi): a column, not a worn rule."""
    from ocr.grid import erase_dashes

    ink, rules, gray = _dashes_page(300, [18, 18, 18, 18])
    erase_dashes(ink, gray, rules, dpi=150)
    assert np.count_nonzero(ink) == 4 * 18 * 3


def test_strokes_on_no_rules_line_are_kept():
    from ocr.grid import erase_dashes

    ink, rules, gray = _dashes_page(300, [19, 22, 13, 30])
    erase_dashes(ink, gray, np.roll(rules, 60, axis=1), dpi=150)
    assert np.count_nonzero(ink) == (19 + 22 + 13 + 30) * 3


def test_dashes_inside_a_table_read_cell_by_cell_are_left_to_the_cells():
    from ocr.grid import erase_dashes

    ink, rules, gray = _dashes_page(300, [19, 22, 13, 30])
    erase_dashes(ink, gray, rules, dpi=150, skip=((250, 0, 350, 600),))
    assert np.count_nonzero(ink) == (19 + 22 + 13 + 30) * 3


def test_a_header_printed_down_its_cell_is_no_rule_and_its_digit_stays():
    # a narrow column of 表四: 结/果/维/持 set one under the other, then the row's number. The
    # characters' upright strokes line up over most of the table's height, as a worn rule's pieces
    # would; taking them for a rule erased the sides of the 0 under them.
    from ocr.grid import erase_rule_remnants

    gray = np.full((200, 120), 255, np.uint8)
    for k in range(4):  # four characters, 26 px high, dense with upright strokes
        top = 6 + 32 * k
        cv2.rectangle(gray, (48, top), (72, top + 26), 0, 2)
        for x in (56, 59, 62, 65):
            cv2.line(gray, (x, top), (x, top + 26), 0, 2)
    for x in (54, 66):  # the 0: a narrow digit's straight sides, closed above and below
        cv2.line(gray, (x, 168), (x, 186), 0, 2)
    cv2.ellipse(gray, (60, 168), (6, 4), 0, 180, 360, 0, 2)
    cv2.ellipse(gray, (60, 186), (6, 4), 0, 0, 180, 0, 2)
    ink = ink_mask(gray)
    text_ink, before = ink.copy(), int(np.count_nonzero(ink[160:195, 45:76]))
    erase_rule_remnants(ink, text_ink, gray.copy(), (0, 0, 120, 200), 150.0)
    assert np.count_nonzero(text_ink[160:195, 45:76]) == before


def test_a_table_whose_rules_fell_apart_into_pieces_is_one_table():
    # a worn rule's long gaps cut the rules of one table into pieces that touch nowhere: each piece
    # had been read as a table of its own, lying over the others (its cells read twice)
    img = _page()
    xs, ys = [100, 250, 400, 550, 700], [100, 150, 200, 250, 300]
    _rule_grid(img, xs, ys)
    # gaps wider than any rule's healing cut the top right block off the rest: two pieces whose
    # boxes overlap
    img[90:160, 300:340] = 255
    img[160:195, 340:] = 255
    tables = find_tables(ink_mask(img), DPI)
    assert len(tables) == 1
    assert tables[0].bbox[0] <= 102 and tables[0].bbox[2] >= 698


def test_two_tables_a_heading_apart_stay_two():
    img = _page()
    _rule_grid(img, [100, 300, 500], [100, 160, 220])
    _rule_grid(img, [100, 300, 500], [260, 320, 380])
    assert len(find_tables(ink_mask(img), DPI)) == 2


def _worn_column_rule(rows: int, rule_x: int, gap_rows: set[int]) -> tuple[np.ndarray, list[int]]:
    """A table 30 px a row, its rules across whole, a column rule at `rule_x` standing in the
    first `rows` rows of twelve only, with a gap in the rows of `gap_rows`."""
    gray = np.full((12 * 30 + 20, 400), 255, np.uint8)
    ys = [10 + 30 * r for r in range(13)]
    for y in ys:
        cv2.line(gray, (10, y), (390, y), 0, 2)
    for x in (10, 390):
        cv2.line(gray, (x, ys[0]), (x, ys[-1]), 0, 2)
    for r in range(rows):
        if r not in gap_rows:
            cv2.line(gray, (rule_x, ys[r]), (rule_x, ys[r + 1]), 0, 2)
    return gray, ys


def test_a_column_rule_of_a_few_rows_worn_to_stubs_is_taken_off():
    # the rule parting two columns of one block of rows (表二's 本年制发件数 | 本年度止件数) stands
    # over a small share of the whole table; its stubs read as 1 and I beside the numbers
    from ocr.grid import erase_rule_remnants

    gray, ys = _worn_column_rule(4, 200, {1})
    ink = ink_mask(gray)
    text_ink = ink.copy()
    for y in ys:  # the rules across were found and taken off the text's ink
        text_ink[y - 2 : y + 3, :] = 0
    erase_rule_remnants(ink, text_ink, gray.copy(), (0, 0, 400, gray.shape[0]), DPI, row_lines=tuple(ys))
    assert np.count_nonzero(text_ink[ys[0] + 4 : ys[4] - 4, 195:206]) == 0


def test_a_column_of_1s_in_a_few_rows_stays_in_a_broken_table():
    # a column's 1s line up as a short rule's stubs would, but inside their cells: they cross no rule
    from ocr.grid import erase_rule_remnants

    gray, ys = _worn_column_rule(0, 200, set())
    for r in range(4):
        cv2.line(gray, (200, ys[r] + 8), (200, ys[r + 1] - 8), 0, 2)
    ink = ink_mask(gray)
    text_ink = ink.copy()
    ones = np.zeros(ink.shape, bool)
    for r in range(4):
        ones[ys[r] + 6 : ys[r + 1] - 6, 195:206] = True
    before = int(np.count_nonzero(text_ink[ones]))
    erase_rule_remnants(ink, text_ink, gray.copy(), (0, 0, 400, gray.shape[0]), DPI, row_lines=tuple(ys))
    assert before > 0 and np.count_nonzero(text_ink[ones]) == before


def test_bold_rules_spread_by_a_rough_scan_are_still_rules():
    # rules 7 px thick at 150 dpi: every one had been taken for a bar, and the table lost whole
    img = _page()
    xs, ys = [100, 300, 400, 500, 600, 700], [100, 150, 200, 250, 300]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 7)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 7)
    (t,) = find_tables(ink_mask(img), DPI)
    assert (len(t.xs), len(t.ys)) == (len(xs), len(ys))
