"""Clean a page image for recognition: red seals out, background flat, noise down, page upright.

Each step is a plain function of an image; `ocr.page` chains them. Orientation needs the recogniser
(which way up reads best), so it lives in `ocr.orient`.
"""

from __future__ import annotations

import cv2
import numpy as np

# Seal ink: saturated red. Text printed under a seal stays dark (low value) and is kept.
_RED_SAT = 60
_RED_VAL = 90
_RED_HUE_LOW = 12
_RED_HUE_HIGH = 155


def red_mask(bgr: np.ndarray) -> np.ndarray:
    """Pixels of red (seal) ink: hue near red, saturated, and not dark."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    h, s, v = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    red_hue = (h <= _RED_HUE_LOW) | (h >= _RED_HUE_HIGH)
    # pink-ish blends of seal over paper have low saturation; compare red against the other channels
    b, g, r = (bgr[:, :, i].astype(np.int16) for i in range(3))
    reddish = (r - np.maximum(g, b)) > 40
    return ((red_hue & (s >= _RED_SAT) & (v >= _RED_VAL)) | (reddish & (v >= _RED_VAL))).astype(np.uint8)


def suppress_red(bgr: np.ndarray) -> np.ndarray:
    """Paint seal ink with the paper colour, so a stamp over a table does not hide its digits.

    Where black text lies under the seal, the pixel is dark and falls outside the mask; the text
    survives. Returns the image unchanged when it holds no red."""
    if bgr.ndim != 3:
        return bgr
    mask = red_mask(bgr)
    if int(mask.sum()) < 50:
        return bgr
    paper = np.median(bgr[mask == 0].reshape(-1, 3), axis=0) if (mask == 0).any() else (255, 255, 255)
    # grow the mask over the seal's soft rim, but never over dark (text) pixels
    grown = cv2.dilate(mask, np.ones((3, 3), np.uint8)) > 0
    grown &= to_gray(bgr) > 140
    out = bgr.copy()
    out[grown | (mask > 0)] = np.asarray(paper, dtype=np.uint8)
    return out


def to_gray(img: np.ndarray) -> np.ndarray:
    return img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)


def noise_level(gray: np.ndarray) -> float:
    """Robust estimate of pixel noise (sigma) from the median absolute Laplacian of the paper."""
    small = gray if gray.shape[0] < 1200 else cv2.resize(gray, None, fx=0.5, fy=0.5)
    lap = cv2.Laplacian(small.astype(np.float32), cv2.CV_32F)
    paper = small >= np.percentile(small, 60)
    vals = np.abs(lap[paper])
    return float(np.median(vals)) if vals.size else 0.0


def denoise(gray: np.ndarray) -> np.ndarray:
    """Median filtering only when the paper is speckled; clean scans pass through untouched
    (smoothing a clean page only softens the strokes of small digits)."""
    level = noise_level(gray)
    if level < 6.0:
        return gray
    if level < 14.0:
        return cv2.medianBlur(gray, 3)
    return cv2.fastNlMeansDenoising(cv2.medianBlur(gray, 3), None, h=12, templateWindowSize=7, searchWindowSize=15)


def flatten_background(gray: np.ndarray) -> np.ndarray:
    """Divide out uneven paper (shadows, grey table shading, yellowed scans) and stretch contrast so
    the paper is white and ink is dark."""
    h, w = gray.shape
    f = 4
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    k = max(15, (min(h, w) // f) // 25) | 1
    bg_small = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg_small = cv2.GaussianBlur(bg_small, (0, 0), k / 3)
    bg = cv2.resize(bg_small, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    flat = gray.astype(np.float32) / np.maximum(bg, 1.0) * 255.0
    lo = float(np.percentile(flat, 0.5))
    flat = (flat - lo) * (255.0 / max(255.0 - lo, 1.0))
    return np.clip(flat, 0, 255).astype(np.uint8)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark strokes as 255 on 0: an adaptive threshold, so grey shading is not ink but its text is."""
    block = max(15, (min(gray.shape) // 60) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def skew_angle(ink: np.ndarray, max_angle: float = 8.0) -> float:
    """The small rotation in degrees (counter-clockwise positive, as cv2.getRotationMatrix2D takes
    it) that levels the page: the one under which the ink lines up most sharply in rows and columns
    together (text lines and rules of an upright page, the same lines of a page on its side)."""
    ys, xs = np.nonzero(ink[::2, ::2])
    if ys.size < 200:
        return 0.0
    if ys.size > 60000:
        pick = np.random.default_rng(0).choice(ys.size, 60000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys = ys.astype(np.float64) - ys.mean()
    xs = xs.astype(np.float64) - xs.mean()
    size = max(ink.shape) // 2 + 1

    def peaks(proj: np.ndarray) -> float:
        hist, _ = np.histogram(proj, bins=2 * size, range=(-size, size))
        return float((hist.astype(np.float64) ** 2).sum())

    def sharpness(deg: float) -> float:
        t = np.deg2rad(deg)
        # rotating the content by +deg (counter-clockwise, y down) levels lines that fall by tan(deg)
        return peaks(ys * np.cos(t) + xs * np.sin(t)) + peaks(xs * np.cos(t) - ys * np.sin(t))

    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    # the sharpest angle is the content's own rotation; undoing it is the opposite turn
    return -float(max(fine, key=sharpness))


def rotation_matrix(shape: tuple[int, int], angle: float) -> tuple[np.ndarray, tuple[int, int]]:
    """Affine matrix rotating by `angle` degrees about the centre, and the output size that holds
    the whole rotated image."""
    h, w = shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = round(h * sin + w * cos), round(h * cos + w * sin)
    m[0, 2] += nw / 2.0 - w / 2.0
    m[1, 2] += nh / 2.0 - h / 2.0
    return m, (nw, nh)


def rotate(img: np.ndarray, matrix: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    border = (255, 255, 255) if img.ndim == 3 else 255
    return cv2.warpAffine(
        img, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border
    )
