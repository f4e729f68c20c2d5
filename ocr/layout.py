"""Recognised text pieces outside ruled tables -> lines -> paragraphs, and unruled tables.

A table printed without ruling lines shows itself by its whitespace: consecutive lines that each
hold several pieces separated by wide gaps, the pieces falling into the same columns line after
line. Everything else is prose: lines grouped into paragraphs by indentation, spacing and short
last lines, joined without spaces (Chinese wraps anywhere).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ocr.crops import Rect


@dataclass(frozen=True)
class ReadPiece:
    rect: Rect
    text: str
    confidence: float


@dataclass(frozen=True)
class Line:
    pieces: tuple[ReadPiece, ...]  # left to right

    @property
    def rect(self) -> Rect:
        return (
            min(p.rect[0] for p in self.pieces),
            min(p.rect[1] for p in self.pieces),
            max(p.rect[2] for p in self.pieces),
            max(p.rect[3] for p in self.pieces),
        )

    @property
    def height(self) -> int:
        return int(np.median([p.rect[3] - p.rect[1] for p in self.pieces]))

    @property
    def text(self) -> str:
        out = ""
        for prev, p in zip((None,) + self.pieces[:-1], self.pieces):
            if prev is not None and p.rect[0] - prev.rect[2] > 0.5 * self.height:
                out += " "
            out += p.text
        return out

    def gaps(self) -> list[int]:
        return [b.rect[0] - a.rect[2] for a, b in zip(self.pieces, self.pieces[1:])]


@dataclass(frozen=True)
class TextBlock:
    """A paragraph: its lines' text joined, and its box."""

    text: str
    rect: Rect


@dataclass(frozen=True)
class LooseCell:
    row: int
    col: int
    text: str
    rect: Rect
    confidence: float


@dataclass(frozen=True)
class LooseTable:
    """A table found from text positions alone (no ruling lines)."""

    cells: tuple[LooseCell, ...]
    rect: Rect


def group_lines(pieces: list[ReadPiece]) -> list[Line]:
    """Pieces on the same baseline band form a line; lines top to bottom."""
    rows: list[list[ReadPiece]] = []
    for p in sorted(pieces, key=lambda p: (p.rect[1] + p.rect[3]) / 2):
        cy = (p.rect[1] + p.rect[3]) / 2
        h = p.rect[3] - p.rect[1]
        if rows:
            last = rows[-1]
            top = np.median([q.rect[1] for q in last])
            bottom = np.median([q.rect[3] for q in last])
            lh = bottom - top
            if top <= cy <= bottom and abs(h - lh) < 0.8 * max(h, lh):
                last.append(p)
                continue
        rows.append([p])
    return [Line(tuple(sorted(r, key=lambda p: p.rect[0]))) for r in rows]


def _tabular(line: Line) -> bool:
    return len(line.pieces) >= 2 and max(line.gaps()) >= 2 * line.height


def _columns(lines: list[Line]) -> list[tuple[int, int]]:
    """Column extents: the union of the pieces' spans across lines, split at shared blank gaps."""
    spans = sorted((p.rect[0], p.rect[2]) for ln in lines for p in ln.pieces)
    h = np.median([ln.height for ln in lines])
    cols: list[list[int]] = []
    for a, b in spans:
        if cols and a - cols[-1][1] < 0.8 * h:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    return [(a, b) for a, b in cols]


def _loose_table(lines: list[Line]) -> LooseTable | None:
    cols = _columns(lines)
    if len(cols) < 2:
        return None
    cells = []
    for r, ln in enumerate(lines):
        by_col: dict[int, list[ReadPiece]] = {}
        for p in ln.pieces:
            cx = (p.rect[0] + p.rect[2]) / 2
            c = min(range(len(cols)), key=lambda k: 0 if cols[k][0] <= cx <= cols[k][1] else 1 + min(abs(cx - cols[k][0]), abs(cx - cols[k][1])))
            by_col.setdefault(c, []).append(p)
        for c, ps in sorted(by_col.items()):
            sub = Line(tuple(ps))
            cells.append(LooseCell(r, c, sub.text, sub.rect, min(p.confidence for p in ps)))
    rects = [ln.rect for ln in lines]
    rect = (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))
    return LooseTable(tuple(cells), rect)


def _paragraphs(lines: list[Line], left: int, right: int) -> list[TextBlock]:
    out: list[TextBlock] = []
    current: list[Line] = []

    def flush() -> None:
        if current:
            rects = [ln.rect for ln in current]
            rect = (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))
            out.append(TextBlock("".join(ln.text for ln in current), rect))
            current.clear()

    for ln in lines:
        if current:
            prev = current[-1]
            h = max(prev.height, ln.height)
            gap = ln.rect[1] - prev.rect[3]
            indented = ln.rect[0] - left > 1.2 * h
            prev_short = right - prev.rect[2] > 1.5 * h
            centred_pair = (
                abs((ln.rect[0] + ln.rect[2]) - (left + right)) < 2 * h
                and abs((prev.rect[0] + prev.rect[2]) - (left + right)) < 2 * h
                and abs(ln.height - prev.height) < 0.25 * h
            )
            if not centred_pair and (indented or prev_short or gap > 1.2 * h) or centred_pair and gap > 1.2 * h:
                flush()
        current.append(ln)
    flush()
    return out


def arrange(pieces: list[ReadPiece]) -> list[TextBlock | LooseTable]:
    """Blocks top to bottom: runs of two or more tabular lines become tables, the rest paragraphs."""
    lines = [ln for ln in group_lines(pieces) if ln.text.strip()]
    if not lines:
        return []
    left = min(ln.rect[0] for ln in lines)
    right = max(ln.rect[2] for ln in lines)
    blocks: list[TextBlock | LooseTable] = []
    i = 0
    prose: list[Line] = []
    while i < len(lines):
        j = i
        while j < len(lines) and _tabular(lines[j]):
            if j > i and lines[j].rect[1] - lines[j - 1].rect[3] > 3 * lines[j].height:
                break
            j += 1
        if j - i >= 2:
            table = _loose_table(lines[i:j])
            if table is not None:
                blocks.extend(_paragraphs(prose, left, right))
                prose = []
                blocks.append(table)
                i = j
                continue
        prose.append(lines[i])
        i += 1
    blocks.extend(_paragraphs(prose, left, right))
    return blocks
