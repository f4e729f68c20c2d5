"""A page image made ready for reading: seal out, denoised, level, upright, flat paper; and the
affine map that takes its pixels back to the image as given (for provenance boxes)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractors.model import BBox
from ocr import preprocess as pp
from ocr.crops import Rect
from ocr.engine import Engine, detect
from ocr.orient import page_turn, turn

ORIENT_DPI = 50.0  # enough to tell lines running across from lines running down


@dataclass(frozen=True)
class Prepared:
    """The page made ready for reading (upright, level, flat paper) and the affine map from its
    pixels back to those of the image as given."""

    gray: np.ndarray
    back: np.ndarray  # 2x3: prepared pixel -> original pixel
    turned: int
    skew: float


def _turn_matrix(shape: tuple[int, int], degrees: int) -> np.ndarray:
    """2x3 map from original coordinates to those after a clockwise quarter turn (continuous
    coordinates, box edges rather than pixel centres, as `turn_boxes` maps them)."""
    h, w = shape
    k = (degrees // 90) % 4
    if k == 0:
        return np.array([[1.0, 0, 0], [0, 1.0, 0]])
    if k == 1:
        return np.array([[0, -1.0, float(h)], [1.0, 0, 0]])
    if k == 2:
        return np.array([[-1.0, 0, float(w)], [0, -1.0, float(h)]])
    return np.array([[0, 1.0, 0], [-1.0, 0, float(w)]])


def _compose(second: np.ndarray, first: np.ndarray) -> np.ndarray:
    a = np.vstack([first, [0, 0, 1]])
    b = np.vstack([second, [0, 0, 1]])
    return (b @ a)[:2]


def prepare(engine: Engine, image: np.ndarray, dpi: float) -> Prepared:
    gray = pp.denoise(pp.to_gray(pp.suppress_red(image)))
    flat = pp.flatten_background(gray)
    forward = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    angle = pp.skew_angle(pp.ink_mask(flat))
    if abs(angle) >= 0.1:
        m, size = pp.rotation_matrix(flat.shape[:2], angle)
        flat = pp.rotate(flat, m, size)
        forward = m
    # which way up needs only where the lines are: a detection pass at low resolution
    boxes = detect(engine, flat, scale=min(1.0, ORIENT_DPI / dpi))
    turned = page_turn(engine, flat, boxes)
    if turned:
        forward = _compose(_turn_matrix(flat.shape[:2], turned), forward)
        flat = turn(flat, turned)
    back = cv2.invertAffineTransform(forward)
    return Prepared(gray=flat, back=back, turned=turned, skew=angle)


def to_points(rect: Rect, back: np.ndarray, scale: float) -> BBox:
    x0, y0, x1, y1 = rect
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64) @ back.T
    return (
        round(float(pts[:, 0].min()) * scale, 2),
        round(float(pts[:, 1].min()) * scale, 2),
        round(float(pts[:, 0].max()) * scale, 2),
        round(float(pts[:, 1].max()) * scale, 2),
    )


