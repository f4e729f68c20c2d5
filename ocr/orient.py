"""Which way up a page is: 0, 90, 180 or 270 degrees of clockwise turn needed to read it.

Two cheap questions instead of four full OCR passes:
1. Do the text lines run across or down the page? The page's one detection pass answers it: lines
   of text come back as wide boxes when the page is upright or upside down, tall ones when it lies
   on its side (the detector finds text in any of the four turns).
2. Upright or upside down? PP-OCR's line-direction classifier (0 / 180) votes on the longest lines.
Shapes are not always decisive: a table set sideways on a portrait sheet with its page number
upright has its columns' stacked cells detected as wide boxes beside its lines running down. Where
neither shape holds most of the text area by far, the longest boxes are read under all four turns
and the turn under which the recogniser reads most Chinese characters with confidence wins (it
reads the text; the shapes only suggest).
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr.engine import Engine, Recognition, TextBox, recognize, upside_down_probability

_SAMPLE_LINES = 8
# text area in boxes of one shape at least this many times that in the other: the shapes decide.
# Upright pages of the fixtures and rough scans with tables measure 3 and up; a sideways table
# with an upright page number about 2.
_DECISIVE = 8.0
_VOTE_LINES = 6
_SURE = 0.9  # a character read at least this sure counts in the vote


def turn(img: np.ndarray, clockwise_degrees: int) -> np.ndarray:
    """Rotate by a multiple of 90 degrees clockwise."""
    k = (clockwise_degrees // 90) % 4
    if k == 0:
        return img
    code = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}[k]
    return cv2.rotate(img, code)


def _areas(boxes: list[TextBox]) -> tuple[int, int]:
    """Text area in wide boxes and in tall ones."""
    wide = sum(b.width * b.height for b in boxes if b.width > 1.5 * b.height)
    tall = sum(b.width * b.height for b in boxes if b.height > 1.5 * b.width)
    return wide, tall


def lines_run_down(boxes: list[TextBox]) -> bool:
    """True when most detected text area is in tall boxes (the page lies on its side)."""
    wide, tall = _areas(boxes)
    return tall > 1.5 * wide


def _sure_chinese(rec: Recognition) -> int:
    return sum(1 for ch, p in zip(rec.text, rec.char_conf) if p >= _SURE and "\u4e00" <= ch <= "\u9fff")


def read_turn(engine: Engine, gray: np.ndarray, boxes: list[TextBox]) -> int | None:
    """The clockwise turn under which the page's longest text boxes read best (most Chinese
    characters recognised with confidence); None where no turn reads any."""
    longest = sorted(boxes, key=lambda b: -max(b.width, b.height))[:_VOTE_LINES]
    crops = [c for c in (gray[b.y0 : b.y1, b.x0 : b.x1] for b in longest) if c.size]
    if not crops:
        return None
    votes = {t: sum(_sure_chinese(r) for r in recognize(engine, [turn(c, t) for c in crops]))
             for t in (0, 90, 180, 270)}
    best = max(votes, key=lambda t: (votes[t], t == 0))
    return best if votes[best] else None


def _sample_crops(gray: np.ndarray, boxes: list[TextBox]) -> list[np.ndarray]:
    lines = sorted((b for b in boxes if b.width > 2 * b.height), key=lambda b: -b.width)[:_SAMPLE_LINES]
    crops = []
    for b in lines:
        # a few characters tell the direction; the classifier sees 4 character widths anyway
        x1 = min(b.x1, b.x0 + 4 * b.height)
        crops.append(gray[b.y0 : b.y1, b.x0 : x1])
    return [c for c in crops if c.size]


def upside_down(engine: Engine, gray: np.ndarray, boxes: list[TextBox]) -> bool:
    """Whether the page's longest lines are, by majority of the line classifier, upside down."""
    probs = upside_down_probability(engine, _sample_crops(gray, boxes))
    return bool(probs) and float(np.mean(probs)) > 0.5


def turn_boxes(boxes: list[TextBox], shape: tuple[int, int], clockwise_degrees: int) -> list[TextBox]:
    """The same boxes on the image turned by `turn` (shape is the image's before turning)."""
    h, w = shape
    k = (clockwise_degrees // 90) % 4
    out = []
    for b in boxes:
        if k == 0:
            out.append(b)
        elif k == 1:
            out.append(TextBox(h - b.y1, b.x0, h - b.y0, b.x1, b.score))
        elif k == 2:
            out.append(TextBox(w - b.x1, h - b.y1, w - b.x0, h - b.y0, b.score))
        else:
            out.append(TextBox(b.y0, w - b.x1, b.y1, w - b.x0, b.score))
    out.sort(key=lambda b: (b.y0, b.x0))
    return out


def page_turn(engine: Engine, gray: np.ndarray, boxes: list[TextBox]) -> int:
    """Clockwise turn (0, 90, 180, 270) that makes the page's text upright, from the text boxes
    detected on the page as it is."""
    if not boxes:
        return 0
    wide, tall = _areas(boxes)
    if max(wide, tall) < _DECISIVE * min(wide, tall):
        read = read_turn(engine, gray, boxes)
        if read is not None:
            return read
    base = 0
    if lines_run_down(boxes):
        base = 90
        boxes = turn_boxes(boxes, gray.shape[:2], 90)
        gray = turn(gray, 90)
    return (base + (180 if upside_down(engine, gray, boxes) else 0)) % 360
