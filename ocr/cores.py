"""Reading a number under a seal by its darkest strokes.

Where a seal's lettering lies over a cell, the piece cut there holds both: a 0 and a stroke of the
seal's name beside or across it, read as nothing, as `50` or as a word. Print under a seal stays as
dark as it was printed (the seal's ink multiplies with it), while the lettering is a seal's thin
stroke, inked unevenly: kept to the piece's darkest pixels, a digit's strokes still hang together
as a shape a character tall, and the lettering's are specks where its ink pooled. So the piece is
read again at a few depths of its own ink's grey, its specks dropped, and a number taken only where
two depths agree on it (one depth alone can leave a stroke of the lettering that reads as a digit),
and never a lone stroke.
"""

from __future__ import annotations

import re
from collections import Counter

import cv2
import numpy as np

from ocr.crops import Rect, crop
from ocr.engine import Engine, Recognition, recognize

# the shares of the piece's ink, darkest first, each depth keeps
CORE_SHARES = (15, 25, 35)
CORE_HEIGHT = 0.4  # of a character: a digit's darkest strokes hang together at least this tall
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def dark_core(gray: np.ndarray, ink: np.ndarray, rect: Rect, share: float, char_px: float) -> np.ndarray | None:
    """The piece at `rect` as a crop for the recogniser with only its darkest `share` per cent of
    ink kept (grown by a pixel into its blurred rim) and of that only what hangs together at least
    CORE_HEIGHT of a character tall; None where the piece has too little ink or nothing that tall."""
    x0, y0, x1, y1 = rect
    sub, mask = gray[y0:y1, x0:x1], ink[y0:y1, x0:x1] > 0
    if int(mask.sum()) < 10:
        return None
    core = ((sub <= np.percentile(sub[mask], share)) & mask).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(core, connectivity=8)
    tall = [k for k in range(1, n) if stats[k, cv2.CC_STAT_HEIGHT] >= CORE_HEIGHT * char_px]
    if not tall:
        return None
    keep = cv2.dilate(np.isin(labels, tall).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    page = np.full_like(gray, 255)
    page[y0:y1, x0:x1][keep] = sub[keep]
    return crop(page, rect)


def read_by_cores(engine: Engine, gray: np.ndarray, ink: np.ndarray, rect: Rect, char_px: float,
                  sure: float) -> Recognition | None:
    """The number at least two depths of the piece's dark core read alike, each read at least
    `sure`; None where there is no such number. Not strokes alone (1, 11): a stroke is what any
    fragment leaves at its darkest (a label's character cut by a seal's ring, a rule's remnant)."""
    crops = [c for c in (dark_core(gray, ink, rect, s, char_px) for s in CORE_SHARES) if c is not None]
    if len(crops) < 2:
        return None
    numbers = [rc for rc in recognize(engine, crops)
               if _NUMBER.fullmatch(rc.text.strip()) and rc.min_char_confidence >= sure]
    votes = Counter(rc.text.strip() for rc in numbers)
    text, count = votes.most_common(1)[0] if votes else ("", 0)
    if count < 2 or set(text) <= {"1"}:
        return None
    return max((rc for rc in numbers if rc.text.strip() == text), key=lambda rc: rc.min_char_confidence)
