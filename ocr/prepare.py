"""A page image made ready for reading: seal out, denoised, a photographed sheet flattened by its
outline, level, upright, flat paper; and the map (a 3x3 homography) that takes its pixels back to the
image as given (for provenance boxes)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from extractors.model import BBox
from ocr import preprocess as pp
from ocr.crops import Rect
from ocr.engine import Engine, detect
from ocr.orient import page_turn, turn
from ocr.outline import flatten

ORIENT_DPI = 50.0  # enough to tell lines running across from lines running down


@dataclass(frozen=True)
class Prepared:
    """The page made ready for reading (upright, level, flat paper) and the affine map from its
    pixels back to those of the image as given."""

    gray: np.ndarray
    back: np.ndarray  # 3x3: prepared pixel -> original pixel
    turned: int
    skew: float
    photo: bool = False  # a photographed sheet, flattened by its outline


def _turn_matrix(shape: tuple[int, int], degrees: int) -> np.ndarray:
    """3x3 map from original coordinates to those after a clockwise quarter turn (continuous
    coordinates, box edges rather than pixel centres, as `turn_boxes` maps them)."""
    h, w = shape
    k = (degrees // 90) % 4
    if k == 0:
        m = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    elif k == 1:
        m = np.array([[0, -1.0, float(h)], [1.0, 0, 0]])
    elif k == 2:
        m = np.array([[-1.0, 0, float(w)], [0, -1.0, float(h)]])
    else:
        m = np.array([[0, 1.0, 0], [-1.0, 0, float(w)]])
    return _h(m)


def _h(affine: np.ndarray) -> np.ndarray:
    """A 2x3 affine map as a 3x3 homography."""
    return np.vstack([affine, [0.0, 0.0, 1.0]])


def prepare(engine: Engine, image: np.ndarray, dpi: float) -> Prepared:
    gray = pp.denoise(pp.to_gray(pp.suppress_red(image)))
    forward = np.eye(3)
    # a photographed sheet: perspective out first, so that deskew and the grid see straight lines
    sheet = flatten(gray, dpi)
    if sheet is not None:
        gray, forward = sheet.gray, sheet.homography
    flat = pp.flatten_background(gray)
    angle = pp.skew_angle(pp.ink_mask(flat))
    if abs(angle) >= 0.1:
        m, size = pp.rotation_matrix(flat.shape[:2], angle)
        flat = pp.rotate(flat, m, size)
        forward = _h(m) @ forward
    # which way up needs only where the lines are: a detection pass at low resolution
    boxes = detect(engine, flat, scale=min(1.0, ORIENT_DPI / dpi))
    turned = page_turn(engine, flat, boxes)
    if turned:
        forward = _turn_matrix(flat.shape[:2], turned) @ forward
        flat = turn(flat, turned)
    return Prepared(gray=flat, back=np.linalg.inv(forward), turned=turned, skew=angle, photo=sheet is not None)


def to_points(rect: Rect | BBox, back: np.ndarray, scale: float) -> BBox:
    """A box of the prepared page mapped back to the image as given (its four corners through the
    3x3 map, then their extent), times `scale`."""
    x0, y0, x1, y1 = rect
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64) @ back.T
    pts = pts[:, :2] / pts[:, 2:3]
    return (
        round(float(pts[:, 0].min()) * scale, 2),
        round(float(pts[:, 1].min()) * scale, 2),
        round(float(pts[:, 0].max()) * scale, 2),
        round(float(pts[:, 1].max()) * scale, 2),
    )
