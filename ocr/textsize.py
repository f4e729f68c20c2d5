"""How tall the text on a strip of the page is, read from its ink, and the resolution text
detection needs to find it.

Text detection runs at DET_DPI (100): 9 pt text is some 12 px tall there, which the detector finds,
at a quarter of the work of 200 dpi. Smaller print is not found: a table of 8 pt set sideways on a
portrait sheet shrinks to 5.7 pt, 8 px at 100 dpi, and its lone digits (5 px) come back with no box.
So each strip is measured before it is detected; where its characters would be shorter than 7 pt's
height at DET_DPI, it is detected at the resolution that gives them the height 9 pt has there. A
strip of ordinary print (8 pt and up) stays at DET_DPI, its cost unchanged.

The measure is the ink's connected components: in print, a digit or a whole Chinese character is
often one component and a character's parts are shorter, so a high quantile of the components'
heights is the characters' height. Specks of noise are shorter than any character part that counts
and are left out; a rule's remnant or a heading only raises the quantile, which keeps DET_DPI.
"""

from __future__ import annotations

import cv2
import numpy as np

DET_DPI = 100.0  # text detection resolution for ordinary print (see the module's docstring)
SMALL_PX = 10.0  # characters shorter than this at DET_DPI (7 pt) are missed there
WORKABLE_PX = 12.5  # the height small characters are detected at: 9 pt's at DET_DPI
_QUANTILE = 90  # of component heights: the characters' height, not their parts'
_MIN_PT = 3.5  # a component shorter than this (in points) is a speck or a stroke, not measured
_MIN_COMPONENTS = 20  # fewer than this: too little ink to measure; DET_DPI


def char_height(ink: np.ndarray, dpi: float) -> float | None:
    """Height of the characters in a strip of text ink (a binary mask at `dpi`), in pixels; None
    where the strip holds too little ink to tell."""
    if not ink.any():
        return None
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    w = stats[1:, cv2.CC_STAT_WIDTH]
    # a character part, not a speck; not a rule's stretch or a picture (taller or wider than an inch)
    keep = (h >= dpi * _MIN_PT / 72) & (h <= dpi) & (w <= dpi)
    if int(keep.sum()) < _MIN_COMPONENTS:
        return None
    return float(np.percentile(h[keep], _QUANTILE))


def detection_dpi(ink: np.ndarray, dpi: float) -> float:
    """The resolution to detect the text of this strip at: DET_DPI, or where its characters would
    come out shorter than SMALL_PX there, the one that makes them WORKABLE_PX tall, up to the
    image's own `dpi`."""
    height = char_height(ink, dpi)
    if height is None:
        return min(DET_DPI, dpi)
    at_det = height * DET_DPI / dpi
    if at_det >= SMALL_PX:
        return min(DET_DPI, dpi)
    return min(dpi, DET_DPI * WORKABLE_PX / at_det)
