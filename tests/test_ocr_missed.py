"""Ink the text detector passed over (ocr.missed): read where it is text, never where it is a
rule's remnant, a speck or a blot."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.engine import Recognition
from ocr.missed import Missed, missed_pieces, readable
from ocr.preprocess import ink_mask

CHAR_PX = 25.0  # a 12 pt character at 150 dpi


def _page(texts_at: list[tuple[str, int, int]], width: int = 900, height: int = 300) -> np.ndarray:
    gray = np.full((height, width), 255, np.uint8)
    for text, x, y in texts_at:
        cv2.putText(gray, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    return ink_mask(gray)


def _rec(text: str, conf: float = 0.99) -> Recognition:
    return Recognition(text, conf, conf, tuple(0.5 for _ in text), tuple(conf for _ in text))


def test_a_lone_row_of_widely_spaced_digits_comes_back_one_piece_per_number():
    ink = _page([(d, 40 + 60 * k, 100) for k, d in enumerate("100120000")])
    pieces = missed_pieces(ink, covered=[], char_px=CHAR_PX, margin=3)
    assert len(pieces) == 9 and len({p.line for p in pieces}) == 1


def test_ink_inside_a_covered_box_is_not_missed():
    ink = _page([("2323", 40, 100), ("731", 400, 100)])
    pieces = missed_pieces(ink, covered=[(30, 70, 200, 110)], char_px=CHAR_PX, margin=3)
    assert len(pieces) == 1 and pieces[0].rect[0] >= 390


def test_specks_and_a_long_stretch_of_rule_are_no_pieces():
    ink = np.zeros((300, 900), np.uint8)
    ink[50:52, 100:102] = 255  # a speck
    ink[40:120, 600:603] = 255  # a vertical rule's remnant, taller than any digit
    ink[200:203, 100:500] = 255  # a horizontal one
    assert missed_pieces(ink, covered=[], char_px=CHAR_PX, margin=3) == []


def test_a_digit_beside_the_corner_of_a_worn_rule_is_a_piece_of_its_own():
    # what is left of a table's left border and the rule under a header: an L of thin strokes
    # taller and wider than any character, ending just beside a 0. Read as one piece, the two
    # read as nothing and the row lost its first number.
    ink = _page([("0", 140, 150), ("0", 260, 150), ("1", 380, 150)])
    ink[112:154, 112:115] = 255  # the border's remnant, down to the 0's baseline
    ink[112:115, 112:150] = 255  # the rule under the header, from the corner
    pieces = missed_pieces(ink, covered=[], char_px=CHAR_PX, margin=3)
    assert len(pieces) == 3
    first = min(pieces, key=lambda p: p.rect[0]).rect
    assert first[0] >= 135 and first[3] - first[1] < CHAR_PX


def test_digits_blurred_solid_are_pieces_but_an_inked_box_is_not():
    gray = np.full((300, 900), 255, np.uint8)
    for k, d in enumerate("000"):
        cv2.putText(gray, d, (40 + 60 * k, 100), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2)
    gray = cv2.GaussianBlur(gray, (0, 0), 2.2)  # a 130 dpi scan's blur closes the 0s' counters
    ink = ink_mask(gray)
    ink[200:218, 500:512] = 255  # a filled box of a digit's size: a blot
    pieces = missed_pieces(ink, covered=[], char_px=CHAR_PX, margin=3)
    filled = [np.count_nonzero(ink[p.rect[1] : p.rect[3], p.rect[0] : p.rect[2]]) / ((p.rect[2] - p.rect[0]) * (p.rect[3] - p.rect[1])) for p in pieces]
    assert len(pieces) == 3 and all(f > 0.75 for f in filled)


def test_a_thin_stroke_alone_on_its_line_is_no_piece():
    ink = np.zeros((300, 900), np.uint8)
    ink[100:118, 300:303] = 255  # as tall as a digit: a 1, or a rule's stub; nothing says which
    assert missed_pieces(ink, covered=[], char_px=CHAR_PX, margin=3) == []


def _kept(pieces: list[Missed], recs: list[Recognition]) -> list[str | None]:
    return [None if rc is None else rc.text for rc in readable(pieces, recs)]


def _row(*texts: str) -> tuple[list[Missed], list[Recognition]]:
    return [Missed((40 + 60 * k, 80, 55 + 60 * k, 100), 0) for k in range(len(texts))], [_rec(t) for t in texts]


def test_numbers_and_words_the_detector_missed_are_read():
    pieces, recs = _row("2323", "总计", "7")
    assert _kept(pieces, recs) == ["2323", "总计", "7"]


def test_a_lone_1_or_11_is_not_read_since_a_rule_remnant_reads_so():
    pieces, recs = _row("1", "11", "I")
    assert _kept(pieces, recs) == [None, None, None]


def test_a_1_among_other_missed_numbers_of_its_line_is_read():
    pieces, recs = _row("1", "0", "0", "1", "2")
    assert _kept(pieces, recs) == ["1", "0", "0", "1", "2"]


def test_a_single_character_or_a_mark_is_not_read():
    pieces, recs = _row("十", "」", ".")
    assert _kept(pieces, recs) == [None, None, None]


def test_an_unconfident_reading_is_not_read():
    pieces, recs = [Missed((40, 80, 90, 100), 0)], [_rec("2323", conf=0.4)]
    assert _kept(pieces, recs) == [None]


def test_a_letter_like_a_digit_among_missed_numbers_is_that_digit_doubted():
    pieces, recs = _row("3", "1", "S", "0")  # a blurred 5 read as S
    kept = readable(pieces, recs)
    assert kept[2] is not None and kept[2].text == "5" and kept[2].min_char_confidence <= 0.5
    assert kept[0] is not None and kept[0].min_char_confidence > 0.9  # the digits stay sure


def test_a_letter_like_a_digit_alone_is_not_read():
    pieces, recs = _row("S", "总计")
    assert _kept(pieces, recs) == [None, "总计"]
