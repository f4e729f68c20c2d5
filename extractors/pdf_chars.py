"""Glyphs of a PDF text layer to lines and strings.

Chinese text has no spaces between words, yet PDF exporters put space glyphs (or justification gaps)
between CJK characters, and a cell's text wrapped over lines must read as one string. So every gap,
space glyph and line break becomes at most one space, and a space survives only between two
Latin/digit runs ("hzzwgk@126.com", "Word 2010"): "法律服 / 务机构" reads 法律服务机构 and "2023 年"
reads 2023年.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Glyph:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    conf: float | None = None  # recognition confidence of an OCR glyph; None for a text layer's

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class Line:
    """Glyphs sharing a baseline, left to right, with their extent (make with `Line.of`)."""

    glyphs: tuple[Glyph, ...]
    x0: float
    top: float
    x1: float
    bottom: float

    @staticmethod
    def of(glyphs: Sequence[Glyph]) -> Line:
        gs = tuple(glyphs)
        x0, top, x1, bottom = gs[0].x0, gs[0].top, gs[0].x1, gs[0].bottom
        for g in gs:
            x0 = min(x0, g.x0)
            top = min(top, g.top)
            x1 = max(x1, g.x1)
            bottom = max(bottom, g.bottom)
        return Line(gs, x0, top, x1, bottom)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def text(self) -> str:
        """The line's text; pieces set a column apart stay apart by one space ("行政许可 8398"),
        whatever characters meet there."""
        return " ".join(clean_text(raw_line_text(s.glyphs)) for s in split_segments(self))


def _compat_char(ch: str) -> str:
    # Word/WPS exports often map common ideographs to Kangxi radicals (⽣ U+2F63 for 生) or CJK
    # compatibility ideographs; they look right on paper but compare wrong. NFKC folds exactly these,
    # and is applied to them only: NFKC on everything would turn （一） into (一).
    o = ord(ch)
    if 0x2E80 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF:
        return unicodedata.normalize("NFKC", ch)
    if ch in "\u00a0\u3000\u2002\u2003\u2009\ufeff":
        return " "
    return ch


def glyph_text(text: str) -> str:
    if len(text) == 1:
        return _compat_char(text)
    return "".join(_compat_char(c) for c in text)


_WS = re.compile(r"\s+")


def _latin_digit(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def clean_text(s: str) -> str:
    """Collapse whitespace; keep a space only where both neighbours are Latin letters or digits."""
    s = s.strip()
    if not s:
        return ""
    parts = _WS.split(s)
    out = [parts[0]]
    for p in parts[1:]:
        if _latin_digit(out[-1][-1]) and _latin_digit(p[0]):
            out.append(" ")
        out.append(p)
    return "".join(out)


def raw_line_text(glyphs: Sequence[Glyph]) -> str:
    """Text of one line with a space wherever the glyphs leave a word-sized gap (clean_text decides
    later whether that space stays)."""
    out: list[str] = []
    prev: Glyph | None = None
    for g in glyphs:
        if prev is not None:
            # Fake bold: the same glyph painted twice a fraction of a point apart, over itself. Two
            # equal glyphs side by side (the 0s of 100, narrow in OCR's estimate) do not overlap.
            over_itself = g.x0 < (prev.x0 + prev.x1) / 2
            if g.text == prev.text and over_itself and abs(g.x0 - prev.x0) < 0.3 * g.size and abs(g.top - prev.top) < 1:
                continue
            if g.x0 - prev.x1 > 0.25 * min(g.size, prev.size):
                out.append(" ")
        out.append(g.text)
        prev = g
    return "".join(out)


def group_lines(glyphs: Iterable[Glyph]) -> list[Line]:
    """Glyphs into lines, top to bottom: a glyph joins the line it overlaps vertically by half its
    height. Numbers printed larger than their labels still land on the label's line. The overlap
    is measured against the line's first glyph, not against everything that joined it: boxes
    measured from ink (OCR) scatter, and a line grown by each would swallow the next line of a
    wrapped label."""
    ordered = sorted(glyphs, key=lambda g: (g.top, g.x0))
    bands: list[list] = []  # [top, bottom, glyphs]
    for g in ordered:
        h = g.bottom - g.top
        placed = False
        # Only the few latest lines can still overlap a glyph arriving in top order.
        for band in reversed(bands[-3:]):
            ov = min(g.bottom, band[1]) - max(g.top, band[0])
            if ov >= 0.5 * min(h, band[1] - band[0]) and ov > 0:
                band[2].append(g)
                placed = True
                break
        if not placed:
            bands.append([g.top, g.bottom, [g]])
    lines = [Line.of(sorted(b[2], key=lambda g: g.x0)) for b in bands]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def split_segments(line: Line, gap_em: float = 1.2) -> list[Line]:
    """A line cut where the horizontal gap is wider than `gap_em` of the font size: the pieces of an
    unruled table row. Justified prose never leaves a gap that wide."""
    segs: list[list[Glyph]] = [[]]
    prev: Glyph | None = None
    for g in line.glyphs:
        if not g.text.strip():
            continue
        if prev is not None and g.x0 - prev.x1 > gap_em * min(g.size, prev.size):
            segs.append([])
        segs[-1].append(g)
        prev = g
    return [Line.of(s) for s in segs if s]


def block_text(glyphs: Iterable[Glyph]) -> str:
    """Text of a cell: its lines top to bottom, joined with the same spacing rule as inside a line."""
    return clean_text(" ".join(raw_line_text(ln.glyphs) for ln in group_lines(glyphs)))
