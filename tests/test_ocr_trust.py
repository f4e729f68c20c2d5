"""When a reading is doubted (ocr.trust): confidence policies for recognised cell text."""

from __future__ import annotations

import cv2
import numpy as np

from extractors.pdf_chars import Glyph
from ocr.engine import Recognition, load_engine
from ocr.trust import (
    DISAGREE_CONFIDENCE,
    SEAL_CONFIDENCE,
    a_glimpse,
    a_rule_stretch,
    a_rule_stub,
    a_speck,
    between_columns,
    doubt_under_seal,
    outside_disc,
    second_look,
    stacked_strokes,
    strip_strays,
    text_height,
    under_seal,
    without_seal_lettering,
)


def _rec(text: str, conf: float = 0.99) -> Recognition:
    n = len(text)
    return Recognition(text, conf, conf, tuple((i + 0.5) / n for i in range(n)), (conf,) * n)


def test_a_speck_read_beside_a_digit_is_dropped():
    assert strip_strays(_rec(".0")).text == "0"
    assert strip_strays(_rec("1.")).text == "1"


def test_a_decimal_number_keeps_its_point():
    assert strip_strays(_rec("0.5")).text == "0.5"


def test_a_number_read_differently_the_second_time_is_doubted():
    page = np.full((80, 120), 255, np.uint8)
    cv2.putText(page, "0", (40, 60), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
    rect, bounds = (40, 25, 75, 62), (0, 0, 120, 80)
    (out,) = second_look(load_engine(), page, [_rec("8")], {0: (rect, bounds)})
    assert out.text == "8" and out.min_char_confidence <= DISAGREE_CONFIDENCE


def test_a_number_read_the_same_twice_keeps_its_confidence():
    page = np.full((80, 120), 255, np.uint8)
    cv2.putText(page, "0", (40, 60), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
    first = _rec("0", 0.97)
    (out,) = second_look(load_engine(), page, [first], {0: ((40, 25, 75, 62), (0, 0, 120, 80))})
    assert out == first


def test_a_box_touching_a_seal_disc_is_under_it_and_one_beside_it_is_not():
    seal = (500, 500, 100)
    assert under_seal((590, 490, 620, 510), seal)
    assert not under_seal((620, 490, 660, 510), seal)
    assert not under_seal((0, 0, 10, 10), None)


def test_text_under_a_seal_is_capped_at_the_seal_confidence():
    assert doubt_under_seal(_rec("0", 0.99)).min_char_confidence == SEAL_CONFIDENCE
    assert doubt_under_seal(_rec("0", 0.3)).min_char_confidence == 0.3


def test_under_a_seal_every_character_is_capped_too():
    # a piece laid out as words becomes glyphs that carry each character's own confidence
    assert max(doubt_under_seal(_rec("235", 0.99)).char_conf) == SEAL_CONFIDENCE


def test_a_lone_character_barely_seen_outside_a_cell_is_a_glimpse_not_text():
    """A seal's remnant read as 1 at 0.32 stood as an extra number in a row read as words."""
    assert a_glimpse(_rec("1", 0.32))
    assert not a_glimpse(_rec("1", 0.9))
    assert not a_glimpse(_rec("12", 0.32))  # two characters: a number half seen, kept and doubted


def _rule_at(x: int, y0: int, y1: int, shape: tuple[int, int] = (400, 400)) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    mask[y0:y1, x : x + 2] = 255
    return mask


def test_a_stroke_on_the_line_of_a_rule_just_above_it_is_the_rule_stub_not_a_1():
    rules = _rule_at(200, 100, 180)  # the rule found above the break, at 150 dpi
    assert a_rule_stub("1", 201, 200, 216, rules, 150)
    assert a_rule_stub("I", 202, 200, 216, rules, 150)


def test_a_1_in_a_cell_or_far_below_the_rule_or_a_number_on_the_line_stays():
    rules = _rule_at(200, 100, 180)
    assert not a_rule_stub("1", 152, 200, 216, rules, 150)  # inside the cell, off the line
    assert not a_rule_stub("1", 201, 380, 396, _rule_at(200, 10, 60, (400, 400)), 150)  # no rule near in y
    assert not a_rule_stub("7", 201, 200, 216, rules, 150)  # a digit, not a stroke


def test_a_1_touching_an_unbroken_rule_stays():
    rules = _rule_at(200, 100, 300)  # the rule runs on beside it
    assert not a_rule_stub("1", 201, 200, 216, rules, 150)


def test_a_digit_far_smaller_than_the_page_text_is_a_speck():
    rects = [(0, 0, 40, 20), (50, 0, 90, 21), (0, 30, 60, 49)]
    height = text_height(rects, [_rec("信息"), _rec("7481"), _rec("行政许可")])
    assert height == 20
    assert a_speck((10, 60, 12, 64), "1", height)  # 4 px against 20: dust read as 1
    assert not a_speck((10, 60, 16, 74), "1", height)  # a digit of a smaller table font
    assert not a_speck((10, 60, 12, 64), "。", height)  # punctuation is no digit to slip in


def test_a_lone_digit_but_1_far_narrower_than_any_printed_is_a_speck():
    # specks in a column under a label's line read as 2, four pixels wide against text 20 high
    assert a_speck((10, 60, 14, 72), "2", 20)
    assert not a_speck((10, 60, 14, 76), "1", 20)  # a 1 is printed that narrow
    assert not a_speck((10, 60, 19, 74), "2", 20)  # a 2 of a small table font
    assert not a_speck((10, 60, 14, 74), "20", 20)  # (two digits: a cell cut by a rule, not a speck)


def test_a_lone_stroke_taller_than_the_pages_text_is_a_rules_stretch():
    # a worn right border's stretch beside 行政处罚's 2, read as a sure 1: 28 px against text 20 high
    assert a_rule_stretch((540, 250, 550, 278), "1", 20)
    assert a_rule_stretch((540, 250, 544, 278), "|", 20)
    assert not a_rule_stretch((540, 250, 546, 268), "1", 20)  # a printed 1: a digit's height
    assert not a_rule_stretch((540, 250, 560, 278), "10", 20)  # a number of a larger font
    assert not a_rule_stretch((540, 250, 556, 278), "4", 20)


def test_a_stub_between_two_zeros_of_a_joined_cell_parts_them():
    # a cell a lost rule joined to its neighbour: both cells' 0s and the stub of the rule between
    # them, read as one word (0l0); the stub stands on the line of the rule found above
    from ocr.trust import stubs_apart

    rules = _rule_at(200, 100, 180)
    rec = Recognition("0l0", 0.9, 0.9, (0.2, 0.5, 0.8), (0.9, 0.9, 0.9))
    assert stubs_apart(rec, (176, 200, 226, 216), 0, rules, 150).text == "0 0"
    # a 1 standing off the rule's line, in its own column, stays
    rec = Recognition("10", 0.9, 0.9, (0.3, 0.7), (0.9, 0.9))
    assert stubs_apart(rec, (150, 200, 170, 216), 0, rules, 150).text == "10"


SEAL = (500, 500, 150)  # centre x, y and radius in pixels


def test_a_seals_own_name_read_unsure_inside_its_circle_is_no_text():
    # the name set round the rim, each character turned: read as 县民政局, unsure, in a row of numbers
    rec = without_seal_lettering(Recognition("县民政局", 0.4, 0.3), (400, 390, 600, 430), SEAL)
    assert rec.text == ""


def _ink_box(ink: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(ink)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def test_a_seals_own_name_read_sure_along_its_rim_is_no_text():
    # a red seal scanned in grey: its name as dark and as clear as print, set round the upper rim
    ink = np.zeros((1000, 1000), np.uint8)
    cv2.ellipse(ink, SEAL[:2], (105, 105), 0, 215, 325, 255, 22)
    rec = without_seal_lettering(Recognition("县民政局", 0.97, 0.95), _ink_box(ink), SEAL, ink)
    assert rec.text == ""


def test_a_level_line_of_print_read_sure_inside_a_seal_stays():
    # a column header under the seal (机构), as near its rim as the name
    ink = np.zeros((1000, 1000), np.uint8)
    cv2.rectangle(ink, (460, 405), (540, 425), 255, -1)
    sure = Recognition("科研机构", 0.97, 0.95)
    assert without_seal_lettering(sure, _ink_box(ink), SEAL, ink) == sure


def test_print_under_a_seal_read_sure_or_holding_a_digit_or_outside_it_stays():
    sure = Recognition("某县人民政府", 0.95, 0.9)  # the signature line the seal is pressed on
    assert without_seal_lettering(sure, (300, 480, 700, 520), SEAL) == sure
    number = Recognition("0县", 0.5, 0.4)
    assert without_seal_lettering(number, (420, 480, 460, 520), SEAL) == number
    beside = Recognition("县民政局", 0.4, 0.3)
    assert without_seal_lettering(beside, (700, 480, 900, 520), SEAL) == beside
    assert without_seal_lettering(beside, (400, 390, 600, 430), None) == beside


def test_a_stretch_of_the_seals_ring_cut_off_in_a_cell_is_no_text():
    from ocr.trust import seal_policy

    # the ring's right side passing through a cell: a sliver 2 px wide that read as 1, beside the
    # cell's 0, and the two numbers in one cell broke the grid
    sliver = (648, 480, 651, 490)
    assert seal_policy(_rec("1", 0.95), sliver, SEAL).text == ""


def test_a_digit_inside_the_seal_or_across_its_ring_is_read_doubted():
    from ocr.trust import SEAL_CONFIDENCE, seal_policy

    inside = seal_policy(_rec("0"), (560, 480, 570, 495), SEAL)
    across = seal_policy(_rec("0"), (640, 480, 655, 495), SEAL)  # the ring runs through its middle
    assert (inside.text, across.text) == ("0", "0")
    assert max(inside.min_char_confidence, across.min_char_confidence) <= SEAL_CONFIDENCE


def test_a_character_of_the_seals_name_read_alone_stands_above_the_print():
    # 区 read sure by itself, 27 px tall where the page's print is 17: cut larger than the text
    rec = without_seal_lettering(Recognition("区", 1.0, 1.0), (560, 420, 594, 447), SEAL, print_height=17.0)
    assert rec.text == ""
    header = Recognition("机构", 1.0, 1.0)  # a header under the seal, of the page's size
    assert without_seal_lettering(header, (560, 420, 596, 438), SEAL, print_height=17.0) == header


# a worn column rule of one sub-table as the page gave it (140 dpi, print 18 px high): the junction
# with the header's rule read as T, its dashes in the two rows below as 1 and I
_WORN = [((892, 492, 918, 513), "T"), ((908, 524, 913, 538), "1"), ((908, 562, 912, 576), "I")]
_CELLS = [((700, 520, 712, 536), "0"), ((1000, 520, 1010, 536), "0"),
          ((700, 560, 712, 576), "0"), ((990, 560, 1012, 576), "22")]


def test_strokes_stacked_down_three_rows_between_columns_are_a_worn_rule():
    pieces = _WORN + _CELLS
    worn = stacked_strokes([r for r, _ in pieces], [_rec(t) for _, t in pieces], 18.0)
    assert worn == {0, 1, 2}


def test_a_column_of_printed_1s_is_not_a_worn_rule():
    ones = [((908, y, 913, y + 14), "1") for y in (524, 562, 600)]
    pieces = ones + _CELLS
    assert stacked_strokes([r for r, _ in pieces], [_rec(t) for _, t in pieces], 18.0) == set()


def test_strokes_on_a_line_other_text_stands_on_are_not_a_worn_rule():
    # a number column whose 1s were read as I: its other numbers stand on the same line
    pieces = _WORN + [((902, 542, 920, 556), "14")]
    assert stacked_strokes([r for r, _ in pieces], [_rec(t) for _, t in pieces], 18.0) == set()


def _words(*rows: tuple[float, list[tuple[str, float]]]) -> list[Glyph]:
    """Glyphs of words read as pieces of their own: (row's middle, [(text, centre x), ...])."""
    out = []
    for cy, words in rows:
        for text, cx in words:
            x = cx - 3 * len(text)
            for ch in text:
                out.append(Glyph(ch, x, cy - 7, x + 6, cy + 7, 10.0, conf=0.9))
                x += 6
    return out


# 表四's one row under its header, read as words (pitch 29): its printed 1s stand on the columns,
# the worn rules' stubs between them (after 5, 3 and 1)
_REVIEW_ROW = [("17", 98), ("1", 126), ("4", 155), ("4", 184), ("26", 214), ("5", 243), ("1", 257), ("0", 272),
               ("3", 301), ("1", 316), ("1", 330), ("1", 346), ("9", 359), ("1", 389), ("0", 418), ("1", 448),
               ("0", 477), ("2", 506)]


def test_a_lone_stroke_half_a_pitch_off_its_rows_columns_is_a_worn_rule():
    glyphs = _words((268, _REVIEW_ROW))
    assert sorted(glyphs[k].cx for k in between_columns(glyphs)) == [257, 316, 346]


def test_a_row_whose_columns_differ_in_width_keeps_its_strokes():
    # no one pitch explains the gaps between its numbers: nothing says where a rule ran
    row = [("17", 98), ("4", 140), ("1", 160), ("4", 171), ("26", 214), ("5", 290), ("0", 330)]
    assert between_columns(_words((268, row))) == set()


def test_a_stroke_midway_between_columns_other_rows_stand_in_is_a_worn_rule():
    # a table continued at the top of a page, its rows' numbers at one pitch but the first (a 1
    # in its own column, 302, under 47); the stubs of two rows stand where the rules ran
    columns = [302, 336, 371, 405, 439, 474, 508]
    total = [(v, x) for v, x in zip(("47", "0", "0", "0", "0", "0", "47"), columns)]
    carried = [(v, x) for v, x in zip(("1", "0", "0", "0", "0", "0", "1"), columns)]
    glyphs = _words((102, total), (109, [("1", 354), ("1", 388)]), (122, carried), (126, [("1", 491)]))
    stubs = sorted((glyphs[k].cx, glyphs[k].cy) for k in between_columns(glyphs))
    assert stubs == [(354, 109), (388, 109), (491, 126)]


def test_a_column_of_printed_1s_between_columns_of_numbers_stays():
    columns = [302, 336, 371, 405]
    rows = [(100 + 20 * r, [("1" if x == 336 else "20", x) for x in columns]) for r in range(4)]
    assert between_columns(_words(*rows)) == set()


def test_a_stub_read_stuck_to_the_end_of_a_number_is_a_worn_rule():
    # 3 on its column (260) and the rule's stub after it (274) read as one word, 31; a printed 10
    # centred on its column stays whole
    row = [("3", 120), ("0", 149), ("0", 176), ("0", 204), ("3", 232), ("1", 288), ("0", 315), ("10", 343),
           ("5", 371), ("0", 399)]
    stuck = [Glyph("3", 254, 389, 266, 403, 10.0, conf=0.9), Glyph("1", 266, 389, 276, 403, 10.0, conf=0.9)]
    glyphs = _words((396, row)) + stuck
    assert [(glyphs[k].text, glyphs[k].cx) for k in between_columns(glyphs)] == [("1", 271)]


def test_a_stub_read_with_its_corner_and_one_before_the_first_column_are_worn_rules():
    # 表四's row (pitch 29.7) whose first column holds a 1: the rule before it left an L, the rule
    # between 1 and 3 a stub read with its corner as 1」 over the rule's line
    row = [("L", 89), ("1", 101), ("0", 131), ("1", 161), ("1", 191), ("1」", 201), ("3", 220), ("0", 250),
           ("0", 280), ("0", 310), ("0", 340), ("0", 369), ("0", 399)]
    glyphs = _words((666, row))
    assert sorted(glyphs[k].text for k in between_columns(glyphs)) == ["1", "L", "」"]
    assert all(glyphs[k].cx < 100 or 195 < glyphs[k].cx < 210 for k in between_columns(glyphs))


def test_words_centred_outside_a_seals_disc_are_no_part_of_its_name():
    # a row's label beside the seal, reaching under its edge, and the seal's name inside its ring
    seal = (653, 763, 149)
    assert outside_disc((400, 648, 541, 664), seal)
    assert not outside_disc((584, 643, 702, 680), seal)


def test_a_0_the_seals_ring_crosses_where_it_runs_upright_stays_and_a_stretch_of_ring_does_not():
    from ocr.trust import seal_policy

    # the ring's right side (x 650) runs through the middle of a 0 as narrow as the ring is wide
    zero = (645, 480, 655, 493)
    assert seal_policy(_rec("o", 0.6), zero, SEAL).text == "o"
    assert seal_policy(_rec("0", 0.9), zero, SEAL).text == "0"
    assert seal_policy(_rec("1", 0.9), zero, SEAL).text == ""
    assert seal_policy(_rec("(", 0.9), zero, SEAL).text == ""


def test_a_thin_stroke_running_a_cells_whole_height_beside_its_number_is_a_rule():
    from ocr.trust import a_rule_in_cell

    # a copier's ghost of the column rule inside the cell (3 px wide, the interior's full 23 px),
    # the cell's 0 16 px tall
    interior = (716, 795, 920, 818)
    ghost, zero = (719, 795, 721, 818), (803, 797, 822, 813)
    assert a_rule_in_cell(ghost, interior, [ghost, zero], 25.0)
    assert not a_rule_in_cell(zero, interior, [ghost, zero], 25.0)


def test_a_printed_1_as_tall_as_its_neighbours_or_alone_in_its_cell_stays():
    from ocr.trust import a_rule_in_cell

    interior = (716, 795, 920, 818)
    one, zero = (719, 795, 721, 818), (803, 795, 822, 818)  # a tight cell: both touch its edges
    assert not a_rule_in_cell(one, interior, [one, zero], 25.0)
    assert not a_rule_in_cell(one, interior, [one], 25.0)
    short = (719, 799, 721, 814)
    assert not a_rule_in_cell(short, interior, [short, (803, 797, 822, 813)], 25.0)


def test_the_cross_of_two_worn_rules_read_stuck_to_a_number_is_no_part_of_it():
    # 表四's row (pitch 29.3) read as words: 2 on its column and the rules' cross after it, 2十
    columns = [95 + 29.3 * k for k in range(15)]
    row = [("0", x) for x in columns[:10]] + [("0", x) for x in columns[11:14]] + [("2", columns[14])]
    stuck = [Glyph("2", 386.4, 389, 392.2, 403, 10.0, conf=0.9), Glyph("十", 392.2, 389, 409.4, 403, 10.0, conf=0.9)]
    glyphs = _words((396, row)) + stuck
    assert [glyphs[k].text for k in between_columns(glyphs)] == ["十"]


def test_a_stroke_against_a_cells_side_beside_its_number_is_a_rule_and_a_1_clear_of_it_stays():
    from ocr.trust import a_rule_in_cell

    # a merged cell (two rows' height): the ghost of its left rule 12 px tall against the interior's
    # side, the cell's 0 clear of both sides; had it been read as 1, the cell held two numbers
    interior = (873, 846, 948, 896)
    ghost, zero = (873, 869, 877, 881), (903, 863, 912, 878)
    assert a_rule_in_cell(ghost, interior, [ghost, zero], 25.0)
    one = (880, 866, 884, 879)  # a printed 1 of 10, clear of the side
    assert not a_rule_in_cell(one, interior, [one, zero], 25.0)
    assert not a_rule_in_cell(ghost, interior, [ghost], 25.0)  # alone: nothing says what it is


def test_dust_above_or_below_a_cells_number_is_not_read():
    from ocr.trust import dust_in_cell

    # a rough scan's speck (7 pixels) well below a 0 (18 pixels) in a tall cell: read as S, it left
    # the cell no number; a mark on the number's own line (a decimal point) and the number stay
    zero, below, beside = (700, 1287, 712, 1305), (722, 1328, 728, 1335), (713, 1300, 716, 1305)
    assert dust_in_cell(below, [zero, below], 25.0)
    assert not dust_in_cell(zero, [zero, below], 25.0)
    assert not dust_in_cell(beside, [zero, beside], 25.0)
    assert not dust_in_cell(below, [below], 25.0)


def test_digits_above_two_lines_run_together_in_a_cell_are_not_dust():
    from ocr.trust import dust_in_cell

    # a broken grid's cell: a row's digits (19 to 26 pixels) above a strip of two label lines run
    # together (57 pixels): the digits are less than half the strip's height, and are text
    strip, three, one = (182, 1534, 795, 1591), (583, 1511, 594, 1530), (686, 1497, 691, 1523)
    assert not dust_in_cell(three, [strip, three, one], 25.0)
    assert not dust_in_cell(one, [strip, three, one], 25.0)


def test_an_open_letter_on_a_seals_ring_is_a_0_the_rings_erasing_cut():
    from ocr.engine import Recognition
    from ocr.trust import seal_policy

    # a 0 whose top the ring ran over, erased with the ring, read U: under the seal it is that 0,
    # doubted; the same letter well inside the disc, clear of the ring, stays a letter
    seal = (930, 1215, 152)
    on_ring = seal_policy(Recognition("U", 0.75, 0.75, (0.5,), (0.75,)), (848, 1076, 858, 1088), seal)
    assert on_ring.text == "0" and on_ring.min_char_confidence <= 0.6
    inside = seal_policy(Recognition("U", 0.75, 0.75, (0.5,), (0.75,)), (925, 1200, 935, 1212), seal)
    assert inside.text == "U"


def test_two_open_letters_on_a_seals_ring_are_no_0():
    from ocr.engine import Recognition
    from ocr.trust import seal_policy

    # only a lone letter is a 0 cut open: `nC` (the letters of a word) was taken for one, being a
    # substring of the letters' list
    rec = seal_policy(Recognition("nC", 0.75, 0.75, (0.3, 0.7), (0.75, 0.75)), (848, 1076, 868, 1088), (930, 1215, 152))
    assert rec.text == "nC"
