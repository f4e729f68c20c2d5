"""Text pieces and their crops (ocr.crops): never read across a rule or a wide gap."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.crops import cell_pieces, crop, ink_rect, split_on_gaps
from ocr.preprocess import ink_mask


def _ink_of(texts_at: list[tuple[str, int]], width: int = 800) -> tuple[np.ndarray, np.ndarray]:
    gray = np.full((80, width), 255, np.uint8)
    for text, x in texts_at:
        cv2.putText(gray, text, (x, 55), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    return gray, ink_mask(gray)


def test_numbers_printed_with_wide_spaces_are_split_into_separate_pieces():
    _, ink = _ink_of([("14", 20), ("2", 200), ("0", 380)])
    rect = ink_rect(ink, (0, 0, ink.shape[1], ink.shape[0]))
    assert len(split_on_gaps(ink, rect)) == 3


def test_the_digits_of_one_number_stay_one_piece():
    _, ink = _ink_of([("1420", 20)])
    rect = ink_rect(ink, (0, 0, ink.shape[1], ink.shape[0]))
    assert len(split_on_gaps(ink, rect)) == 1


def test_a_lone_thin_digit_in_a_cell_is_one_piece():
    _, ink = _ink_of([("1", 40)], width=120)
    assert len(cell_pieces(ink, (0, 0, 120, 80), char_px=25)) == 1


def test_an_empty_cell_yields_no_piece_even_with_specks():
    ink = np.zeros((80, 120), np.uint8)
    ink[10, 10] = ink[50, 90] = 255
    assert cell_pieces(ink, (0, 0, 120, 80), char_px=25) == []


def test_a_cell_holding_two_lines_gives_one_piece_per_line():
    gray = np.full((140, 400), 255, np.uint8)
    cv2.putText(gray, "first line", (10, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    cv2.putText(gray, "second", (10, 110), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    pieces = cell_pieces(ink_mask(gray), (0, 0, 400, 140), char_px=25)
    assert len(pieces) == 2 and pieces[0].rect[3] < pieces[1].rect[1]


def test_a_narrow_tall_column_of_ink_is_read_as_stacked_characters():
    gray = np.full((300, 60), 255, np.uint8)
    for k in range(5):
        cv2.rectangle(gray, (15, 20 + 55 * k), (45, 50 + 55 * k), 0, 2)
    (piece,) = cell_pieces(ink_mask(gray), (0, 0, 60, 300), char_px=25)
    assert piece.vertical


def test_a_digit_with_dust_above_and_below_is_not_a_column_of_stacked_characters():
    # a rough scan's dust: thin dashes a third of a character tall, above and below a lone 0 in a
    # tall cell; as one box with the 0 it looked like a stacked label and read as `OE 区`
    gray = np.full((200, 60), 255, np.uint8)
    cv2.putText(gray, "0", (20, 110), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)
    for x, y in ((18, 30), (40, 50), (25, 150), (38, 175)):
        cv2.line(gray, (x, y), (x + 3, y + 8), 0, 1)
    pieces = cell_pieces(ink_mask(gray), (0, 0, 60, 200), char_px=25)
    assert pieces and not any(p.vertical for p in pieces)


def test_a_crop_never_reaches_past_its_bounds():
    gray = np.zeros((100, 100), np.uint8)  # all ink: anything outside the bounds would show as black
    out = crop(gray, (40, 40, 60, 60), bounds=(35, 35, 65, 65), pad_frac=1.0)
    assert out.shape == (60, 60)
    assert (out == 255).sum() == 60 * 60 - 30 * 30


def _blocks(img: np.ndarray, rects: list[tuple[int, int, int, int]]) -> np.ndarray:
    for x0, y0, x1, y1 in rects:
        cv2.rectangle(img, (x0, y0), (x1, y1), 0, -1)
    return ink_mask(img)


def test_a_detected_region_holding_a_wrapped_label_and_its_numbers_is_cut_into_lines():
    from ocr.crops import line_pieces

    # a label on two lines (20 px tall each, 8 px apart) and numbers set between them, further right
    ink = _blocks(np.full((200, 900), 255, np.uint8), [(20, 40, 300, 60), (20, 68, 60, 88), (500, 54, 512, 74)])
    pieces = sorted(line_pieces(ink, (0, 30, 900, 100), char_px=24))
    assert len(pieces) == 3
    assert {(p[1], p[3]) for p in pieces if p[0] < 100} == {(40, 61), (68, 89)}


def test_the_strokes_of_one_character_stay_one_line():
    from ocr.crops import line_pieces

    # 三: three thin strokes 6 px apart, one character's height in all
    ink = _blocks(np.full((120, 300), 255, np.uint8), [(20, 40, 44, 42), (22, 49, 42, 51), (18, 60, 46, 63)])
    assert len(line_pieces(ink, (0, 30, 300, 80), char_px=24)) == 1


def test_a_line_of_large_text_is_one_line_however_tall():
    from ocr.crops import line_pieces

    # a 22 pt title at 150 dpi: characters 54 px tall with ink in every row, twice the 12 pt line
    # the cutter expects; it must not be cut into a top half and a bottom half
    ink = _blocks(np.full((200, 900), 255, np.uint8), [(40 + 60 * k, 40, 80 + 60 * k, 94) for k in range(10)])
    assert len(line_pieces(ink, (0, 30, 900, 110), char_px=25)) == 1
