"""Page clean-up before recognition (ocr.preprocess): seals, shading, noise, skew."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr.preprocess import (
    denoise,
    flatten_background,
    ink_mask,
    rotate,
    rotation_matrix,
    skew_angle,
    suppress_red,
    to_gray,
)


def _text_page() -> np.ndarray:
    img = np.full((600, 800, 3), 255, np.uint8)
    for i, y in enumerate(range(80, 560, 40)):
        cv2.putText(img, f"Line {i} of 2024 annual report 14 2 0", (40, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (0, 0, 0), 2)
    return img


def test_red_seal_ink_is_painted_with_the_paper_colour():
    img = _text_page()
    cv2.circle(img, (400, 300), 120, (40, 40, 220), 8)  # BGR red ring
    out = suppress_red(img)
    assert out[300, 280].tolist() == [255, 255, 255]  # on the ring, off the text


def test_black_text_under_a_red_seal_survives():
    img = _text_page()
    text_px = np.argwhere(to_gray(img) < 80)
    overlay = img.copy()
    cv2.circle(overlay, (400, 300), 200, (40, 40, 220), -1)
    # the seal is translucent: where it lies over paper it is red, over black text it stays dark
    blended = np.where(to_gray(img)[..., None] < 80, img, overlay)
    out = to_gray(suppress_red(blended))
    ys, xs = text_px[:, 0], text_px[:, 1]
    inside = (ys - 300) ** 2 + (xs - 400) ** 2 < 190**2
    assert (out[ys[inside], xs[inside]] < 80).mean() > 0.95


def test_an_image_without_red_is_returned_unchanged():
    img = _text_page()
    assert suppress_red(img) is img


def test_uneven_shading_is_flattened_to_white_paper():
    gray = to_gray(_text_page()).astype(np.float32)
    shade = np.linspace(0.55, 1.0, gray.shape[1])[None, :]
    shaded = (gray * shade).astype(np.uint8)
    flat = flatten_background(shaded)
    paper = to_gray(_text_page()) == 255
    assert np.percentile(flat[paper], 5) > 200


def test_a_clean_page_is_not_smoothed():
    gray = to_gray(_text_page())
    assert np.array_equal(denoise(gray), gray)


def test_speckled_paper_is_cleaned():
    gray = to_gray(_text_page())
    rng = np.random.default_rng(1)
    noisy = np.clip(gray.astype(np.float32) + rng.normal(0, 25, gray.shape), 0, 255).astype(np.uint8)
    assert np.abs(denoise(noisy).astype(int) - gray).mean() < np.abs(noisy.astype(int) - gray).mean()


def test_skew_is_measured_so_that_rotating_by_it_levels_the_lines():
    gray = to_gray(_text_page())
    m, size = rotation_matrix(gray.shape, 2.0)
    skewed = rotate(gray, m, size)
    angle = skew_angle(ink_mask(skewed))
    assert abs(angle + 2.0) < 0.3
    m2, size2 = rotation_matrix(skewed.shape, angle)
    assert abs(skew_angle(ink_mask(rotate(skewed, m2, size2)))) < 0.3


def test_a_level_page_measures_no_skew():
    assert abs(skew_angle(ink_mask(to_gray(_text_page())))) < 0.2


def test_a_grey_seal_ring_is_found_with_its_centre_and_radius():
    from ocr.preprocess import find_seal

    gray = to_gray(_text_page())
    cv2.circle(gray, (400, 300), 110, 90, 7)
    cx, cy, r = find_seal(gray, 150)
    assert abs(cx - 400) < 8 and abs(cy - 300) < 8 and abs(r - 110) < 8


@pytest.mark.parametrize("dpi", [150, 300])
def test_a_seal_ring_is_located_to_a_pixel_or_two_at_any_resolution(dpi):
    # the search runs at low resolution; a centre a few pixels off left an arc of the ring unfaded
    from ocr.preprocess import find_seal

    k = dpi / 150
    gray = cv2.resize(to_gray(_text_page()), None, fx=k, fy=k)
    cx0, cy0, r0 = int(413 * k), int(307 * k), int(117 * k)
    cv2.circle(gray, (cx0, cy0), r0, 90, int(7 * k))
    cx, cy, r = find_seal(gray, dpi)
    assert max(abs(cx - cx0), abs(cy - cy0), abs(r - r0)) <= 2 * k


def test_a_page_of_text_holds_no_seal():
    from ocr.preprocess import find_seal

    assert find_seal(to_gray(_text_page()), 150) is None


def _ruled_table(dpi: int = 150) -> np.ndarray:
    """A grid of 8 columns by 9 rows, on a page of paper, at `dpi`."""
    gray = np.full((int(dpi * 4), int(dpi * 6)), 245, np.uint8)
    xs = [int(dpi * (0.5 + 0.6 * k)) for k in range(9)]
    ys = [int(dpi * (0.5 + 0.3 * k)) for k in range(10)]
    for x in xs:
        cv2.line(gray, (x, ys[0]), (x, ys[-1]), 40, 2)
    for y in ys:
        cv2.line(gray, (xs[0], y), (xs[-1], y), 40, 2)
    return gray


def test_a_grey_seal_ring_over_a_table_adds_no_column():
    from ocr.grid import find_tables
    from ocr.preprocess import without_ring

    gray = _ruled_table()
    # the ring's left side runs upright between two column rules, over several rows
    cv2.circle(gray, (int(150 * 3.0), int(150 * 1.9)), int(150 * 0.78), 150, 5)
    ink = ink_mask(gray)
    assert len(find_tables(ink, 150)[0].xs) > 9  # the arc taken for rules: the damage this undoes
    seal = (int(150 * 3.0), int(150 * 1.9), int(150 * 0.78))
    (table,) = find_tables(without_ring(ink, seal, 150), 150)
    assert len(table.xs) == 9 and len(table.ys) == 10


def test_light_print_under_a_grey_seal_is_kept_and_the_seal_faded():
    from ocr.preprocess import fade_seal

    gray = to_gray(_text_page())
    gray[gray < 128] = 110  # a light scan: print barely darker than the seal
    seal = (400, 300, 110)
    cv2.circle(gray, seal[:2], seal[2], 155, 7)
    ink = ink_mask(gray)
    _, faded = fade_seal(gray, ink, seal)
    ring = np.zeros_like(ink)
    cv2.circle(ring, seal[:2], seal[2], 255, 3)
    ring[ink_mask(to_gray(_text_page())) > 0] = 0  # the ring where no print crosses it
    inside = np.zeros_like(ink)
    cv2.circle(inside, seal[:2], seal[2] - 10, 255, -1)
    print_inside = (ink > 0) & (inside > 0)
    assert np.count_nonzero(faded[print_inside]) > 0.5 * np.count_nonzero(print_inside)
    assert np.count_nonzero(faded[ring > 0]) < 0.1 * np.count_nonzero(ring)


def test_a_rule_the_seal_ring_runs_along_is_kept():
    from ocr.grid import find_tables
    from ocr.preprocess import without_ring

    gray = _ruled_table()
    # the ring's top lies on row rule 3 (y = 1.4 in) for a stretch over two columns: taken out with
    # the ring, the two rows there became one (a cell holding two numbers broke the grid)
    r = int(150 * 0.78)
    seal = (int(150 * 2.9), int(150 * 1.4) + r, r)
    cv2.circle(gray, seal[:2], r, 150, 5)
    (table,) = find_tables(without_ring(ink_mask(gray), seal, 150), 150)
    assert len(table.xs) == 9 and len(table.ys) == 10
    assert len(table.cells) == 8 * 9


# rough scans of the corpus where the seal had gone unfound (its name, or its ring, then read into the
# cells): (seed, document, page, centre x, centre y, radius)
_SEALS_HARD_TO_FIND = [
    # a grey seal over the foot of 表三's grid, where every circle of a seal's size crosses rules all
    # round: the grid's circles had outvoted the seal's ring
    (11, 25, 5, 935, 630, 128),
    # a red seal scanned in grey over 表三, its rules printed twice: the plain circle search ranked
    # the ring fifteenth among the grid's circles, its radius a fifth short (11 read as 14)
    (28, 26, 3, 845, 689, 129),
]


@pytest.mark.parametrize("seed, doc, page_no, cx, cy, r", _SEALS_HARD_TO_FIND)
def test_a_seal_over_a_dense_ruled_table_is_found(tmp_path, seed, doc, page_no, cx, cy, r):
    import sys
    from pathlib import Path

    from ocr.engine import load_engine
    from ocr.prepare import prepare
    from ocr.preprocess import find_seal
    from ocr.render import open_pdf, render_page

    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    from gen_rough import generate

    generate(seed, tmp_path, only={doc})
    (pdf_path,) = tmp_path.glob("*.pdf")
    page = render_page(open_pdf(pdf_path.read_bytes()), page_no)
    found = find_seal(prepare(load_engine(), page.image, page.dpi).gray, page.dpi)
    assert found is not None
    assert abs(found[0] - cx) <= 6 and abs(found[1] - cy) <= 6 and abs(found[2] - r) <= 6


def test_print_lighter_than_the_seal_is_not_faded_for_a_bold_heading_near_it():
    from ocr.preprocess import fade_seal

    # digits in grey (a blurred rough scan) all round a seal darker than them, and a bold black
    # heading by the corner of the seal's square: the print is what surrounds the seal, so nothing
    # is faded (fading to the heading's black took every digit inside the seal)
    gray = np.full((900, 900), 240, np.uint8)
    seal = (450, 450, 150)
    for y in range(120, 800, 40):
        for x in range(100, 800, 70):
            d = np.hypot(x + 8 - seal[0], y - 8 - seal[1])
            if d < 1.1 * seal[2] or d > 1.8 * seal[2]:  # the square's corners hold the heading alone
                cv2.putText(gray, "0", (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 105, 2)
    cv2.circle(gray, seal[:2], seal[2], 45, 8)
    cv2.rectangle(gray, (286, 286), (340, 310), 240, -1)
    cv2.putText(gray, "HH", (288, 308), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 4)  # in the square's corner
    ink = ink_mask(gray)
    _, faded = fade_seal(gray, ink, seal)
    inside = (slice(380, 520), slice(380, 520))
    assert (faded[inside] > 0).sum() == (ink[inside] > 0).sum()


@pytest.mark.parametrize("ring_grey, kept", [(170, True), (30, False)])
def test_print_crossing_a_pale_ring_stays_when_the_ring_is_erased(ring_grey, kept):
    from ocr.preprocess import seal_marks, to_paper

    # a black stroke of print across the seal's ring: kept where the ring is paler than the print;
    # under a ring as dark as the print nothing tells them apart, and the band goes
    gray = np.full((600, 600), 240, np.uint8)
    seal = (300, 300, 150)
    cv2.circle(gray, seal[:2], seal[2], ring_grey, 8)
    cv2.line(gray, (440, 280), (470, 280), 20, 3)
    ink = ink_mask(gray)
    _, out = to_paper(gray, ink, seal_marks(seal, ink, gray))
    assert (out[279:282, 446:454] > 0).any() == kept
    assert not (out[200:260, 440:460] > 0).any()  # the ring itself, above the stroke, is gone


def test_print_running_through_a_ring_as_dark_as_itself_stays_where_it_lies_on_both_sides():
    from ocr.preprocess import seal_marks, to_paper

    # the stroke of the test above across a ring as dark as the print: grey tells nothing, but the
    # print (the text ink) lies on both sides of the ring along the radius, so the band there stays
    gray = np.full((600, 600), 240, np.uint8)
    seal = (300, 300, 150)
    cv2.circle(gray, seal[:2], seal[2], 30, 8)
    cv2.line(gray, (430, 280), (470, 280), 20, 3)
    ink = ink_mask(gray)
    text = np.zeros_like(ink)
    text[276:285, 425:475] = ink[276:285, 425:475]
    _, out = to_paper(gray, ink, seal_marks(seal, ink, gray, text))
    assert (out[279:282, 443:454] > 0).all()
    assert not (out[200:260, 440:460] > 0).any()  # the ring itself, above the stroke, is gone


def test_grey_print_of_a_dense_table_crossing_a_ring_stays_when_the_ring_is_erased():
    from ocr.preprocess import seal_marks, to_paper

    # a pale ring (150) over a dense ruled table of grey print (a blurred scan's 70): so much print
    # crosses the ring that its darkest tenth is print; a 0 the ring runs through keeps its strokes
    gray = np.full((700, 700), 240, np.uint8)
    seal = (300, 350, 150)
    for y in range(40, 680, 22):
        cv2.line(gray, (20, y), (680, y), 70, 2)
    for x in range(20, 690, 34):
        cv2.line(gray, (x, 20), (x, 680), 70, 2)
    cv2.circle(gray, seal[:2], seal[2], 150, 8)
    cv2.putText(gray, "0", (443, 370), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 70, 2)  # on the ring (x 450)
    ink = ink_mask(gray)
    _, out = to_paper(gray, ink, seal_marks(seal, ink, gray))
    zero = (slice(357, 372), slice(441, 458))
    print_there = (gray[zero] < 100).sum()
    assert (out[zero] > 0).sum() >= 0.8 * print_there
    assert not (out[198:203, 262:288] > 0).any()  # the ring's top between two rules is gone


def _star_points(cx: int, cy: int, outer: float, inner: float) -> np.ndarray:
    pts = [(cx + (outer if k % 2 == 0 else inner) * np.cos(-np.pi / 2 + k * np.pi / 5),
            cy + (outer if k % 2 == 0 else inner) * np.sin(-np.pi / 2 + k * np.pi / 5)) for k in range(10)]
    return np.array(pts, np.int32)


def test_a_pale_seals_whole_star_goes_and_a_0_touching_its_arm_stays():
    from ocr.preprocess import seal_marks, to_paper

    # a pale star (the ink mask holds its wide middle as a hole and its arms as pieces) with a 0 of
    # black print touching the tip of its right arm: the arm left behind had read as a 4, and the 0,
    # one piece with the star in the ink mask, had gone with it
    rng = np.random.default_rng(3)
    gray = np.full((600, 600), 240, np.uint8)
    seal = (300, 300, 150)
    cv2.circle(gray, seal[:2], seal[2], 150, 8)
    star = np.zeros_like(gray)
    cv2.fillPoly(star, [_star_points(300, 300, 33, 13)], 255)
    gray[star > 0] = np.clip(rng.normal(165, 12, int((star > 0).sum())), 0, 255).astype(np.uint8)
    cv2.putText(gray, "0", (330, 302), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 25, 2)
    gray = cv2.GaussianBlur(gray, (3, 3), 0)
    ink = ink_mask(gray)
    _, out = to_paper(gray, ink, seal_marks(seal, ink, gray))
    assert not (out[star > 0] > 0).any()  # none of the star is left
    zero = (slice(289, 303), slice(331, 342))
    assert (out[zero] > 0).sum() >= 0.6 * (gray[zero] < 100).sum()
