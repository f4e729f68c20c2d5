"""Reading again what a seal covers (ocr.sealed): each pass given a page as the first reading left
it, a table's cells and what was read in them."""

from __future__ import annotations

from functools import partial

import cv2
import numpy as np

from ocr import preprocess as pp
from ocr.engine import load_engine
from ocr.grid import GridCell, GridTable, Job
from ocr.sealed import UnderSeal, cells_on_ring
from ocr.trust import seal_policy

SEAL = (600, 500, 240)  # centre and radius, pixels of a 150 dpi page
CHAR_PX = 150 * 12 / 72
PAPER, PRINT, RING = 245, 60, 150
# cells 60 px tall, 100 wide; two on the ring's bottom arc (x 600 and 700), one inside the disc
CELLS = {"on_ring": (550, 710, 650, 770), "on_ring_right": (650, 700, 750, 760), "clear": (350, 300, 450, 360)}


def _pages(digits: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """The page as scanned: print around the seal (for the print's grey), a grey ring as wide as
    a scanner's blur leaves it, and in each cell named its digit printed across the ring. The
    page as unfaded: the same with the ring's band, and what lies on it, taken to paper."""
    page = np.full((1100, 1200), PAPER, np.uint8)
    for k in range(12):  # rows of print outside the seal: the page's print grey
        cv2.putText(page, "0 1 2 3 4 5 6 7 8 9", (60, 60 + 20 * k), cv2.FONT_HERSHEY_SIMPLEX, 0.6, PRINT, 2)
    cv2.circle(page, SEAL[:2], SEAL[2], RING, 12)
    for name, text in digits.items():
        x0, y0, x1, y1 = CELLS[name]
        (w, h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 0.8, 2)
        cx = (x0 + x1) // 2
        # the digit's middle on the ring's line
        cy = SEAL[1] + int(np.sqrt(SEAL[2] ** 2 - (cx - SEAL[0]) ** 2))
        cv2.putText(page, text, (cx - w // 2, cy + h // 2), cv2.FONT_HERSHEY_SIMPLEX, 0.8, PRINT, 2)
    page = cv2.GaussianBlur(page, (0, 0), 1.2).astype(np.uint8)
    (y0, y1, x0, x1), dist = pp.around_seal(page.shape, SEAL, SEAL[2] + 20)
    unfaded = page.copy()
    unfaded[y0:y1, x0:x1][np.abs(dist - SEAL[2]) <= 12] = PAPER
    return page, unfaded


def _reread(digits: dict[str, str]) -> dict[str, str]:
    page, unfaded = _pages(digits)
    engine = load_engine()
    u = UnderSeal(engine, SEAL, partial(seal_policy, seal=SEAL), CHAR_PX,
                  (unfaded, pp.ink_mask(unfaded)), (page, pp.ink_mask(page)))
    cells = [GridCell(0, k, 1, 1, *box) for k, box in enumerate(CELLS.values())]
    table = GridTable((300, 800), (300, 800), tuple(cells))
    # the first reading: the cells on the ring read nothing (their digits went with the ring)
    jobs: list[Job] = [(c, [], []) for c in cells]
    [(_, out)], recs = cells_on_ring(u, [(table, jobs)], [], inset=3)
    return {name: " ".join(recs[i].text for i in idx) for name, (_, _, idx) in zip(CELLS, out)}


def test_a_digit_on_a_seals_ring_that_went_with_it_is_read_on_the_page_as_scanned():
    read = _reread({"on_ring": "0", "on_ring_right": "6"})
    assert read == {"on_ring": "0", "on_ring_right": "6", "clear": ""}


def test_a_cell_the_ring_crosses_with_nothing_printed_in_it_stays_empty():
    assert _reread({}) == {"on_ring": "", "on_ring_right": "", "clear": ""}


def test_what_is_read_on_the_ring_is_doubted():
    page, unfaded = _pages({"on_ring": "0"})
    u = UnderSeal(load_engine(), SEAL, partial(seal_policy, seal=SEAL), CHAR_PX,
                  (unfaded, pp.ink_mask(unfaded)), (page, pp.ink_mask(page)))
    cell = GridCell(0, 0, 1, 1, *CELLS["on_ring"])
    _, recs = cells_on_ring(u, [(GridTable((300, 800), (300, 800), (cell,)), [(cell, [], [])])], [], inset=3)
    assert [r.text for r in recs] == ["0"] and all(r.min_char_confidence <= 0.6 for r in recs)

