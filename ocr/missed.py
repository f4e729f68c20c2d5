"""Text the detector passed over: character-sized ink outside every detected box, as line pieces.

The text detector works on the page at 100 dpi and finds lines by their look; a lone row of single
digits set far apart (a table's data row that a page break left on its own, 1  0  0  1  2 ...) can
come back with no box at all, and so does a digit or two of a row whose other cells were found.
Ink is what was printed; the detector only proposes where to read. So the ink no detected box and
no ruled table covers is taken apart into its connected components; those shaped like characters
(not specks, not a rule's remnant, not a seal) are gathered into lines by their vertical overlap
and cut into pieces at wide gaps, as a detected line is. What the recogniser then reads from them
joins the other loose pieces on their way to the layout stage; what it cannot read confidently
is dropped (ocr.page), so a blot never becomes a digit.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.crops import Rect
from ocr.engine import Recognition
from ocr.grid import long_strokes
from ocr.trust import STUB_TEXTS, digits_read

BLOT_FILL = 0.92  # share of its box a component inks above which it is a blot, not strokes


@dataclass(frozen=True)
class _Comp:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def h(self) -> int:
        return self.y1 - self.y0

    @property
    def w(self) -> int:
        return self.x1 - self.x0


def _character_like(c: _Comp, pixels: int, char_px: float) -> bool:
    """A component that could be (part of) a printed character of 8-24 pt: not a speck, not a
    stretch of ruling line, not a blot."""
    if not 0.35 * char_px <= c.h <= 2.2 * char_px or c.w > 2.5 * char_px:
        return False
    if pixels < max(6, int(0.02 * char_px * char_px)):
        return False
    if c.h > 1.2 * char_px and c.w < 0.2 * c.h:  # a vertical rule's remnant, taller than a digit
        return False
    # an inked rectangle (a blot, a filled box) rather than strokes. Blur fills a digit's counters
    # (a 0 at 130 dpi inks 85% of its box), so only a box inked nearly whole is a blot; what a
    # blurred blot reads as is judged by the recogniser's confidence after
    return pixels <= BLOT_FILL * c.w * c.h or c.w * c.h < 0.1 * char_px * char_px


def _lines(comps: list[_Comp]) -> list[list[_Comp]]:
    """Components gathered into text lines: each joins the line it overlaps by half its height."""
    lines: list[list[_Comp]] = []
    spans: list[list[int]] = []
    for c in sorted(comps, key=lambda c: (c.y0 + c.y1) / 2):
        for k, (a, b) in enumerate(spans):
            if min(b, c.y1) - max(a, c.y0) >= 0.5 * min(c.h, b - a):
                lines[k].append(c)
                spans[k] = [min(a, c.y0), max(b, c.y1)]
                break
        else:
            lines.append([c])
            spans.append([c.y0, c.y1])
    return lines


def _pieces(line: list[_Comp]) -> list[Rect]:
    """One line's components cut into pieces at gaps wider than the line is tall (the spacing
    between numbers; a character's own strokes and its neighbours' sit far closer)."""
    height = max(c.y1 for c in line) - min(c.y0 for c in line)
    groups: list[list[_Comp]] = []
    right = -(10**9)
    for c in sorted(line, key=lambda c: c.x0):
        if groups and c.x0 - right <= height:
            groups[-1].append(c)
        else:
            groups.append([c])
        right = max(right, c.x1) if len(groups[-1]) > 1 else c.x1
    return [(min(c.x0 for c in g), min(c.y0 for c in g), max(c.x1 for c in g), max(c.y1 for c in g)) for g in groups]


def _lone_stroke(piece: Rect, line: list[_Comp]) -> bool:
    """A piece that is one thin upright stroke alone on its line: a rule's remnant or a scratch as
    often as a 1, and nothing beside it to say which."""
    w, h = piece[2] - piece[0], piece[3] - piece[1]
    return len(line) == 1 and w < 0.3 * h


def _without_long_strokes(ink: np.ndarray, char_px: float) -> np.ndarray:
    """The ink less every straight run longer than any character's stroke: what is left of a
    worn rule that no grid took (a corner of it touching a 0 made one piece of both, read as
    nothing, and the row lost a number)."""
    runs = long_strokes(ink, char_px).both
    if not runs.any():
        return ink
    out = ink.copy()
    out[cv2.dilate(runs, np.ones((3, 3), np.uint8)) > 0] = 0
    return out


@dataclass(frozen=True)
class Missed:
    rect: Rect  # page pixels
    line: int  # pieces of one text line share it


def missed_pieces(text_ink: np.ndarray, covered: list[Rect], char_px: float, margin: int) -> list[Missed]:
    """Pieces of character-like ink that lie in none of the `covered` rects (detected text boxes,
    ruled tables, a seal's square), each one line cut at wide gaps, in page pixels."""
    ink = text_ink.copy()
    h, w = ink.shape[:2]
    for x0, y0, x1, y1 in covered:
        ink[max(0, y0 - margin) : min(h, y1 + margin), max(0, x0 - margin) : min(w, x1 + margin)] = 0
    ink = _without_long_strokes(ink, char_px)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    comps = []
    for i in range(1, n):
        x, y, cw, ch, px = (int(v) for v in stats[i])
        c = _Comp(x, y, x + cw, y + ch)
        if _character_like(c, px, char_px):
            comps.append(c)
    out: list[Missed] = []
    for k, line in enumerate(_lines(comps)):
        out.extend(Missed(p, k) for p in _pieces(line) if not _lone_stroke(p, line))
    return sorted(out, key=lambda m: (m.rect[1], m.rect[0]))


MISSED_CONFIDENCE = 0.6  # below this a reading of ink the detector passed over is more likely a blot
# what a rule's remnant, a pair of doubled rules' remnants or a junction of rules reads as
_STROKES = STUB_TEXTS | {"j"}


def _confident(rec: Recognition) -> str:
    """The reading without spaces, or '' where it is unsure or holds no digit or character."""
    text = "".join(rec.text.split())
    if rec.confidence < MISSED_CONFIDENCE or not any(c.isdigit() or c.isalpha() for c in text):
        return ""
    return text


def readable(pieces: list[Missed], recs: list[Recognition]) -> list[Recognition | None]:
    """The reading each missed piece counts as, or None. A remnant of a broken rule is the ink the
    detector passes over most; it reads as 1, 11 or I (a stretch of line), or as one character (a
    junction: 十 or 」), often confidently. So a missed piece counts when its reading is confident
    and holds two characters not all strokes, or one digit other than 1; a reading of strokes only
    (1, 11) counts where two other pieces of its line read as such numbers (a lone row of digits
    the detector passed over: 1  0  0  1  2), never alone. So does a letter that looks like a digit
    (a blurred 5 read as S) among them, given as that digit and doubted. A lone character is
    left unread (missing, so named) rather than risked."""
    texts = [_confident(rc) for rc in recs]

    def plain(t: str) -> bool:
        return bool(t) and not all(c in _STROKES for c in t) and (len(t) >= 2 or t.isdigit())

    numbers_on: dict[int, int] = {}
    for m, t in zip(pieces, texts):
        if plain(t) and t.isdigit():
            numbers_on[m.line] = numbers_on.get(m.line, 0) + 1
    out: list[Recognition | None] = []
    for m, t, rc in zip(pieces, texts, recs):
        among_numbers = numbers_on.get(m.line, 0) >= 2
        if t and among_numbers and not t.isdigit() and (digits := digits_read(rc)).text.isdigit():
            out.append(digits)
        elif plain(t) or (t.isdigit() and among_numbers):
            out.append(rc)
        else:
            out.append(None)
    return out
