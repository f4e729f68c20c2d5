"""Recognised pieces of text -> positioned glyphs, the input of the shared layout stage.

The recogniser reads one piece (a run of text on one line) at a time and says, for each character,
where along the crop its evidence peaked. That is enough to place each character as a glyph in page
coordinates: centred where it was read, as wide as its kind of character is (a CJK character is
square, a digit about half as wide), clipped to the piece's ink. From there OCR text goes through the
same row/column reconstruction as a PDF's text layer (extractors.layout), so a scanned table without
ruling lines reads as its text-PDF twin does.

Units: the glyphs are in points of the prepared page (pixels x 72 / dpi), so every threshold of the
layout stage, written in font sizes and points, means the same for both sources.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from itertools import pairwise

import numpy as np

from extractors.pdf_chars import Glyph
from ocr.crops import Rect
from ocr.engine import Recognition

# ink height of a line as a share of its font size: CJK characters fill most of the em, digits and
# Latin letters about seven tenths of it
_CJK_INK = 0.92
_DIGIT_INK = 0.72
_BRACKET_INK = 1.1
_NARROW_INK = set("、，。：；“”‘’！？")  # full-width punctuation: an em wide, little ink


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _em(rect: Rect, text: str) -> float:
    """The font size of a piece in pixels. A run of CJK characters is set one em per character,
    which its width measures well; otherwise the ink height says it, taller where brackets reach
    below the line."""
    x0, y0, x1, y1 = rect
    h = max(1, y1 - y0)
    chars = [c for c in text if not c.isspace()]
    if len(chars) >= 2 and all(_wide(c) and c not in _NARROW_INK for c in chars):
        return (x1 - x0) / len(chars)
    if any(c in "()（）[]【】" for c in chars):
        return h / _BRACKET_INK
    return h / (_CJK_INK if any(_wide(c) for c in chars) else _DIGIT_INK)


def piece_glyphs(rect: Rect, rec: Recognition, pad: int, to_pt: float) -> list[Glyph]:
    """The characters of one recognised piece as glyphs. `rect` is the piece's ink box in prepared
    page pixels, `pad` the paper margin its crop was given on each side (char positions are
    fractions of the padded crop's width), `to_pt` points per pixel."""
    text = rec.text
    if not text.strip():
        return []
    x0, y0, x1, y1 = rect
    size = _em(rect, text)
    width = (x1 - x0) + 2 * pad
    n = len(text)
    if len(rec.char_x) == n:
        centres = [x0 - pad + f * width for f in rec.char_x]
    else:  # no positions: spread the characters evenly over the ink
        centres = [x0 + (k + 0.5) * (x1 - x0) / n for k in range(n)]
    confs = rec.char_conf if len(rec.char_conf) == n else (rec.min_char_confidence,) * n
    # A piece is one run of text with no wide gap inside (the crops were cut at the gaps), so its
    # glyphs tile it: each character reaches halfway to its neighbours' centres. A gap between two
    # glyphs of one piece would be an artefact of the estimated widths, and the layout stage would
    # read it as a cell boundary.
    centres = sorted(min(max(c, x0), x1) for c in centres)
    edges = [float(x0)] + [(a + b) / 2 for a, b in pairwise(centres)] + [float(x1)]
    out: list[Glyph] = []
    for k, ch in enumerate(text):
        gx0, gx1 = edges[k], max(edges[k + 1], edges[k] + 1)
        out.append(
            Glyph(ch, gx0 * to_pt, y0 * to_pt, gx1 * to_pt, y1 * to_pt, size * to_pt, conf=float(confs[k]))
        )
    return out


def snap_sizes(glyphs: list[Glyph], tolerance: float = 0.3) -> list[Glyph]:
    """Font sizes measured from ink scatter by a fifth from piece to piece (brackets reach higher
    than digits, a JPEG blurs edges), where a text layer states them exactly; the layout stage
    tells a table's rows from a heading or from the prose around it partly by size. A page is set
    in a few sizes (title, headings, body, table): those are the peaks of its glyphs' sizes, and
    every glyph takes the nearest peak within `tolerance` (headings and titles keep their own)."""
    if not glyphs:
        return glyphs
    logs = np.log(np.array([g.size for g in glyphs]))
    step = 0.04
    lo = float(logs.min())
    bins = np.floor((logs - lo) / step).astype(int)
    counts = np.bincount(bins).astype(float)
    smooth = np.convolve(counts, np.ones(5), mode="same")
    suppress = int(np.log(1 + tolerance) / step)
    # the peaks are the profile's own local maxima, highest first, each further than `tolerance`
    # from a higher one: the flank of one broad peak is no size of its own (taken as one, it split
    # a table's rows into two sizes, and the table into pieces at every change)
    padded = np.concatenate(([-1.0], smooth, [-1.0]))
    maxima = np.nonzero((smooth >= padded[:-2]) & (smooth >= padded[2:]))[0]
    chosen: list[int] = []
    for k in sorted(maxima.tolist(), key=lambda k: -smooth[k]):
        if smooth[k] < max(3.0, 0.05 * len(glyphs)) or len(chosen) == 4:
            break  # title, heading, body, table: a page has no more sizes worth keeping apart
        if all(abs(k - j) > suppress for j in chosen):
            chosen.append(k)
    peaks: list[float] = []
    for k in chosen:
        near = np.abs(bins - k) <= 2
        peaks.append(float(np.median(logs[near])) if near.any() else lo + (k + 0.5) * step)
    if not peaks:
        return glyphs
    centres = np.array(peaks)
    nearest = np.abs(logs[:, None] - centres[None, :]).argmin(axis=1)
    out = []
    for g, x, k in zip(glyphs, logs, nearest):
        ok = abs(x - centres[k]) <= np.log(1 + tolerance)
        out.append(replace(g, size=float(np.exp(centres[k]))) if ok else g)
    return out
