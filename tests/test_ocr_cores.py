"""Reading a number under a seal by its darkest strokes (ocr.cores)."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.cores import dark_core, read_by_cores
from ocr.engine import load_engine
from ocr.preprocess import ink_mask

CHAR_PX = 25.0


def _zero_under_lettering(seed: int = 5) -> np.ndarray:
    """A black 0 with a seal's character touching its left side: grey strokes inked
    unevenly, a few pixels of them pooled as dark as the print."""
    rng = np.random.default_rng(seed)
    gray = np.full((60, 90), 235, np.uint8)
    seal = np.zeros_like(gray)
    for y in (14, 24, 34, 44):
        cv2.line(seal, (6, y), (45, y + 3), 255, 3)
    cv2.line(seal, (20, 8), (22, 52), 255, 3)
    cv2.line(seal, (38, 10), (40, 50), 255, 3)
    shade = rng.uniform(60, 150, gray.shape)
    gray = np.where(seal > 0, np.minimum(gray, shade), gray).astype(np.uint8)
    cv2.ellipse(gray, (53, 30), (7, 11), 0, 0, 360, 15, 3)  # the 0
    return cv2.GaussianBlur(gray, (3, 3), 0)


def test_a_0_under_a_seals_lettering_is_read_by_its_dark_core():
    gray = _zero_under_lettering()
    rec = read_by_cores(load_engine(), gray, ink_mask(gray), (4, 4, 70, 56), CHAR_PX, 0.5)
    assert rec is not None and rec.text.strip() == "0"


def test_the_lettering_alone_reads_as_no_number():
    gray = _zero_under_lettering()
    gray[:, 42:] = 235  # the 0 gone: the seal's character alone
    assert read_by_cores(load_engine(), gray, ink_mask(gray), (4, 4, 52, 56), CHAR_PX, 0.5) is None


def test_a_lone_stroke_left_at_the_core_is_no_number():
    # a label's character cut by a ring, its darkest part one stroke: it reads as 1, surely
    gray = np.full((40, 40), 235, np.uint8)
    cv2.line(gray, (20, 6), (21, 32), 20, 3)
    cv2.line(gray, (8, 10), (16, 14), 150, 2)
    assert read_by_cores(load_engine(), gray, ink_mask(gray), (2, 2, 38, 38), CHAR_PX, 0.5) is None


def test_the_dark_core_drops_specks_and_keeps_strokes_a_character_tall():
    gray = np.full((50, 50), 235, np.uint8)
    cv2.line(gray, (25, 8), (25, 40), 20, 3)  # a stroke 32 pixels tall
    gray[20:23, 5:8] = 10  # a speck as dark
    core = dark_core(gray, ink_mask(gray), (0, 0, 50, 50), 50, CHAR_PX)
    assert core is not None
    assert (core < 128).sum() > 60 and not (core[15:30, 0:12] < 128).any()
