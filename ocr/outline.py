"""A photographed page flattened by its outline: perspective taken out before anything is read.

A phone photo shows the sheet lying on something darker (a desk, a hand, a floor), seen at an
angle. The sheet is the largest bright region whose outline is close to a quadrilateral; mapping
its four corners onto an upright rectangle of A4 proportions takes out perspective and scale at
once, and the page then reads as a scan does. A scan or a rendered page fills its image with paper
(or shows only a thin scanner edge) and passes through untouched: the outline must leave a clear
band of darker background on at least two sides.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_WORK_PX = 800  # the outline is found on a copy this long on its long side
_MIN_COVER, _MAX_COVER = 0.2, 0.93  # share of the image the sheet covers
_MIN_CONTRAST = 35  # paper this much brighter than the background around it (grey levels)
_A4 = 297 / 210


@dataclass(frozen=True)
class Flattened:
    gray: np.ndarray
    homography: np.ndarray  # 3x3: original pixel -> flattened pixel


def find_sheet(gray: np.ndarray) -> np.ndarray | None:
    """The sheet's corners (4x2, clockwise from top-left) in `gray`'s pixels, or None when the
    image is not a photo of a sheet against a darker background."""
    h, w = gray.shape[:2]
    f = _WORK_PX / max(h, w)
    small = cv2.resize(gray, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    # text and rules are dark specks inside the sheet; closing fills them so the sheet is one blob
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(c)
    cover = area / float(small.shape[0] * small.shape[1])
    if not _MIN_COVER <= cover <= _MAX_COVER:
        return None
    hull = cv2.convexHull(c)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4:
        return None
    quad = quad.reshape(4, 2).astype(np.float32)
    # the outline must be the sheet's: nearly its whole blob, with darker ground around it
    if cv2.contourArea(quad) < 0.9 * area or cv2.contourArea(quad) > 1.1 * area:
        return None
    inside = np.zeros(small.shape, np.uint8)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    ring = cv2.subtract(cv2.dilate(inside, np.ones((25, 25), np.uint8)), cv2.dilate(inside, np.ones((9, 9), np.uint8)))
    core = cv2.erode(inside, np.ones((25, 25), np.uint8))
    if not ring.any() or not core.any():
        return None
    if float(np.median(small[core > 0])) - float(np.median(small[ring > 0])) < _MIN_CONTRAST:
        return None
    return _order(quad / f)


def _order(pts: np.ndarray) -> np.ndarray:
    """Corners clockwise from the top-left."""
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def flatten(gray: np.ndarray, dpi: float) -> Flattened | None:
    """The sheet cut out and made rectangular at `dpi` (an A4 sheet, upright or on its side, as
    its outline's proportions say), or None when the image shows no sheet on a background."""
    quad = find_sheet(gray)
    if quad is None:
        return None
    top = np.linalg.norm(quad[1] - quad[0])
    side = np.linalg.norm(quad[3] - quad[0])
    across = (top + np.linalg.norm(quad[2] - quad[3])) / 2
    down = (side + np.linalg.norm(quad[2] - quad[1])) / 2
    short_px = round(210 / 25.4 * dpi)
    if down >= across:
        w, h = short_px, round(short_px * _A4)
    else:
        w, h = round(short_px * _A4), short_px
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(quad, dst)
    out = cv2.warpPerspective(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return Flattened(out, m)
