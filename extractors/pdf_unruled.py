"""Tables printed without ruling lines: a grid from the positions of the text alone.

A run of lines most of which break into several widely spaced pieces is a table. Its columns are
the vertical white rivers through the run: the x-coverage of the text is split recursively at its
deepest valley while that valley is markedly lower than the text on both sides (a header or label
spanning columns crosses a river without filling it). Its rows are anchored on the lines that carry
numbers; text in other columns (labels wrapped over several lines, centred or top-aligned in their
cell) is first gathered into cell blocks, a line continuing the one above when that one ran to the
column's right edge, and each block goes to the anchor row it shares a line with, else the nearest.
A block midway between two anchors (a label wrapped over three lines around its numbers has its
first line exactly as far from the row above) is placed by what it says, not by which anchor is
nearer by a rounding error: a line opening a list item (（二）, 1., 一、) starts the row below, any
other continues the label above.
Lines above the first line that has text over the number columns are header rows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import median

from extractors.model import BBox, Cell
from extractors.pdf_chars import Glyph, Line, block_text, clean_text, raw_line_text, split_segments
from extractors.pdf_ruled import TablePart
from extractors.pdf_stitch import is_number, starts_item

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SEG_GAP_EM = 1.0  # a gap this wide (in font sizes) separates two cells on a line
_MIN_MULTI = 3  # lines with several pieces a run needs to be a table
_VALLEY = 0.5  # a river's coverage is at most this share of the text beside it
# Two anchors whose distances from a block differ by less than this (in font sizes) are a tie: rows
# are set on a regular pitch, so a label line midway between two rows is midway exactly, and its
# position then differs only by float noise (a re-saved PDF) or by the scatter of OCR boxes.
_TIE_EM = 0.25


@dataclass(frozen=True)
class _Piece:
    """Text of one line inside one column range (make with `_Piece.of`)."""

    line: int
    glyphs: tuple[Glyph, ...]
    c0: int
    c1: int  # exclusive
    x0: float
    top: float
    x1: float
    bottom: float
    text: str

    @staticmethod
    def of(line: int, glyphs: Sequence[Glyph], c0: int, c1: int) -> _Piece:
        ln = Line.of(glyphs)
        return _Piece(
            line, ln.glyphs, c0, c1, ln.x0, ln.top, ln.x1, ln.bottom, clean_text(raw_line_text(ln.glyphs))
        )


@dataclass
class _Block:
    pieces: list[_Piece]
    row: int = -1
    row_end: int = -1  # inclusive
    by_text: bool = False  # its row was decided by what it says (a tie between two anchors)

    @property
    def c0(self) -> int:
        return min(p.c0 for p in self.pieces)

    @property
    def c1(self) -> int:
        return max(p.c1 for p in self.pieces)

    @property
    def top(self) -> float:
        return self.pieces[0].top

    @property
    def bottom(self) -> float:
        return self.pieces[-1].bottom

    @property
    def bbox(self) -> BBox:
        return (
            round(min(p.x0 for p in self.pieces), 2),
            round(self.top, 2),
            round(max(p.x1 for p in self.pieces), 2),
            round(self.bottom, 2),
        )


def find_unruled(lines: list[Line], page: int) -> tuple[list[TablePart], list[Line]]:
    """Tables without rules among the page's free lines, and the lines left over as prose."""
    segs = [split_segments(ln, _SEG_GAP_EM) for ln in lines]
    parts: list[TablePart] = []
    used: set[int] = set()
    for i0, i1 in _regions(lines, segs):
        part = _grid(lines[i0:i1], page)
        if part is not None:
            parts.append(part)
            used.update(range(i0, i1))
    return parts, [ln for k, ln in enumerate(lines) if k not in used]


def _size(line: Line) -> float:
    return median(g.size for g in line.glyphs)


def _sizes(segs: Sequence[Line]) -> dict[bool, float]:
    """A line's font size for its text (key False: pieces holding a CJK character) and for the rest
    (True: numbers, and the marks a scan reads among them, V for a 0 under a seal), from its pieces."""
    by: dict[bool, list[float]] = {}
    for seg in segs:
        text = raw_line_text(seg.glyphs)
        by.setdefault(not _CJK.search(text), []).extend(g.size for g in seg.glyphs)
    return {k: median(v) for k, v in by.items()}


def _same_size(seen: dict[bool, list[float]], segs: Sequence[Line], line: Line) -> bool:
    """Whether a line (its pieces `segs`) is set in the size of the lines `seen` (each kind's
    sizes, line by line, as `_sizes` gives them; their median is the run's). Text is compared with
    text (Chinese), closely: it is what tells a table from a heading or the prose around it. A line
    of numbers alone (and the marks a scan reads among them) is no heading and no prose: a table's numbers may be set in another size than its
    labels, and OCR measures them from a digit's height (a CJK character's size from its width),
    which scatters from line to line by a third; compared in one size, every change between a
    label line and a line of numbers broke a scanned table into pieces."""
    mine = _sizes(segs)
    if False not in mine:
        return True
    if seen.get(False):
        ref = median(seen[False])
        return abs(mine[False] - ref) <= 0.15 * ref
    ref = median(v for vs in seen.values() for v in vs)
    return abs(_size(line) - ref) <= 0.3 * ref


def _add_sizes(seen: dict[bool, list[float]], segs: Sequence[Line]) -> None:
    for kind, size in _sizes(segs).items():
        seen.setdefault(kind, []).append(size)


def _regions(lines: Sequence[Line], segs: Sequence[Sequence[Line]]) -> list[tuple[int, int]]:
    """Runs of lines that look like one table: several multi-piece lines in one font size, no wide
    vertical gap, no full-width prose line."""
    out: list[tuple[int, int]] = []
    k = 0
    n = len(lines)
    while k < n:
        if len(segs[k]) < 2:
            k += 1
            continue
        size = _size(lines[k])
        seen: dict[bool, list[float]] = {}
        _add_sizes(seen, segs[k])
        x0, x1 = lines[k].x0, lines[k].x1
        j = k + 1
        while j < n:
            ln = lines[j]
            if ln.top - lines[j - 1].bottom > 2.2 * size:
                break
            if not _same_size(seen, segs[j], ln) and not _row_among_rows(lines, segs, seen, j, size):
                break
            if len(segs[j]) < 2 and ln.x1 - ln.x0 > 0.9 * max(x1 - x0, 1):
                break
            _add_sizes(seen, segs[j])
            x0, x1 = min(x0, ln.x0), max(x1, ln.x1)
            j += 1
        i = k
        # single-piece lines just above in the same size: titles of the table's own header rows
        while i > 0 and (not out or i > out[-1][1]):
            up = lines[i - 1]
            if lines[i].top - up.bottom > 1.2 * size or not _same_size(seen, segs[i - 1], up):
                break
            if len(segs[i - 1]) < 2 and up.x1 - up.x0 > 0.9 * max(x1 - x0, 1):
                break
            i -= 1
        multi = [len(s) for s in segs[i:j] if len(s) >= 2]
        # three lines in columns, two that each cross three columns, or one crossing five (a
        # table's last rows carried over to the next page)
        if len(multi) >= _MIN_MULTI or (len(multi) == 2 and min(multi) >= 3) or max(multi, default=0) >= 5:
            out.append((i, j))
            k = j
        else:
            k += 1
    return out


def _numbers(segs: Sequence[Line]) -> int:
    return sum(is_number(raw_line_text(s.glyphs)) for s in segs)


def _row_among_rows(lines: Sequence[Line], segs: Sequence[Sequence[Line]], seen: dict[bool, list[float]],
                    j: int, size: float) -> bool:
    """A line of a table whose label is set, or measured, in another size than the table's text:
    OCR sizes a label from its box, and a seal's ring or lettering over the label grows the box
    (a row's label measured half as large again as the others broke 表三 into pieces, a row a value
    short in a piece of its own). Such a line is still the table's where it carries numbers in
    several pieces and the run has rows of numbers already, or where it is one piece alone whose
    next line, close below, is a row of numbers in the run's size. A heading or prose after a
    table is followed by a header or more prose, not at once by a row of numbers."""
    if True not in seen:
        return False  # no row of numbers yet: a heading above the table's header rows
    if len(segs[j]) >= 2 and _numbers(segs[j]) >= 2:
        return True
    k = j + 1
    return (len(segs[j]) == 1 and k < len(lines) and lines[k].top - lines[j].bottom <= 2.2 * size
            and len(segs[k]) >= 2 and _numbers(segs[k]) >= 2 and _same_size(seen, segs[k], lines[k]))


def _columns(lines: Sequence[Line]) -> tuple[list[float], list[float]]:
    """Column boundaries (x) from the coverage profile of the text, outer edges included, and how
    far each may be off (half the width of its river)."""
    lo = int(min(ln.x0 for ln in lines)) - 1
    hi = int(max(ln.x1 for ln in lines)) + 2
    cover = [0] * (hi - lo + 1)
    spans: list[list[tuple[int, int]]] = []  # per line, its pieces as profile index ranges
    for ln in lines:
        mine = []
        for s in split_segments(ln, _SEG_GAP_EM):
            a, b = int(s.x0) - lo, min(int(s.x1 + 0.999) - lo, len(cover))
            mine.append((a, b))
            for x in range(a, b):
                cover[x] += 1
        spans.append(mine)
    wide = 1.5 * median(g.size for ln in lines for g in ln.glyphs)
    cuts: list[tuple[float, float]] = []

    def straddle(a: int, p0: int, p1: int, b: int) -> int:
        """Lines with a piece ending left of [p0, p1) and another starting right of it, within
        [a, b): the gap is a real gap between two cells there. A centred header over left-aligned
        labels makes a valley no line straddles."""
        return sum(1 for sp in spans if any(a < y <= p0 for x, y in sp) and any(p1 <= x < b for x, y in sp))

    def split(a: int, b: int) -> None:
        if b - a < 4:
            return
        pre = _running_max(cover[a:b])
        suf = _running_max(cover[a:b][::-1])[::-1]
        candidates: list[tuple[float, int, int, int]] = []  # (ratio, -width, p0, p1)
        x = a + 1
        while x < b - 1:
            y = x
            while y + 1 < b - 1 and cover[y + 1] == cover[x]:
                y += 1
            c, walls = cover[x], min(pre[x - a - 1], suf[y - a + 1])
            deep = walls - c >= 2 and c <= _VALLEY * walls
            # a clean gap wider than a character, however few lines
            clean = c == 0 and walls >= 1 and y + 1 - x >= wide
            if deep or clean:
                candidates.append((c / walls, -(y + 1 - x), x, y + 1))
            x = y + 1
        # the deepest, widest valley that some line really straddles
        best = next((k for k in sorted(candidates) if straddle(a, k[2], k[3], b) >= 1), None)
        if best is None:
            return
        _, _, p0, p1 = best
        cuts.append((lo + (p0 + p1) / 2, (p1 - p0) / 2))
        split(a, p0)
        split(p1, b)

    split(0, len(cover))
    cuts.sort()
    edge = wide / 1.5  # outer edges: text extents, off by a character where numbers are centred
    return [float(lo), *(c[0] for c in cuts), float(hi)], [edge, *(c[1] for c in cuts), edge]


def _running_max(values: list[int]) -> list[int]:
    out, m = [], 0
    for v in values:
        m = max(m, v)
        out.append(m)
    return out


def _col_of(xs: Sequence[float], x: float) -> int:
    for k in range(len(xs) - 1):
        if x < xs[k + 1]:
            return k
    return len(xs) - 2


def _pieces(lines: Sequence[Line], xs: Sequence[float]) -> list[list[_Piece]]:
    """Each line cut at the column boundaries where its glyphs leave a gap; a run of glyphs with no
    gap across a boundary is one piece spanning columns."""
    out = []
    for i, ln in enumerate(lines):
        runs: list[list[Glyph]] = []
        prev: Glyph | None = None
        for g in ln.glyphs:
            if not g.text.strip():
                continue
            if prev is None:
                runs.append([g])
            else:
                gap = g.x0 - prev.x1
                crossing = _col_of(xs, prev.cx) != _col_of(xs, g.cx)
                if gap >= _SEG_GAP_EM * min(g.size, prev.size) or (crossing and gap > 0.15 * g.size):
                    runs.append([g])
                else:
                    runs[-1].append(g)
            prev = g
        pieces = []
        for r in runs:
            c0 = _col_of(xs, r[0].x0 + 0.3 * r[0].size)
            c1 = _col_of(xs, max(g.x1 for g in r) - 0.3 * r[-1].size) + 1
            pieces.append(_Piece.of(i, r, c0, max(c1, c0 + 1)))
        out.append(pieces)
    return out


def _blocks(pieces: Sequence[Sequence[_Piece]], anchors: set[int], header_end: int) -> list[_Block]:
    """Pieces in the same columns stacked into cell blocks. A piece continues the block above when
    that block's last piece ran to the right edge of the column (its text wrapped), nothing lies
    between them, the piece does not open a new list item, and the two are not on two different
    anchor lines (two rows of numbers are two rows, however their labels look)."""
    right: dict[tuple[int, int], float] = {}
    for row in pieces:
        for p in row:
            if not is_number(p.text):
                right[(p.c0, p.c1)] = max(right.get((p.c0, p.c1), 0.0), p.x1)
    open_blocks: dict[tuple[int, int], _Block] = {}
    blocks: list[_Block] = []
    for row in pieces:
        for p in row:
            key = (p.c0, p.c1)
            b = open_blocks.get(key)
            if b is not None and _continues(b.pieces[-1], p, right.get(key, 0.0), anchors, header_end):
                b.pieces.append(p)
                continue
            b = _Block([p])
            blocks.append(b)
            open_blocks[key] = b
        # a block is closed by anything printed over its columns in between
        for p in row:
            for key in list(open_blocks):
                if open_blocks[key].pieces[-1] is not p and key[0] < p.c1 and p.c0 < key[1]:
                    del open_blocks[key]
    return blocks


def _continues(last: _Piece, p: _Piece, right: float, anchors: set[int], header_end: int) -> bool:
    size = p.glyphs[0].size
    text = p.text
    if is_number(text) or is_number(last.text) or starts_item(text):
        return False
    if (last.line < header_end) != (p.line < header_end):
        return False
    if last.line in anchors and p.line in anchors:
        return False
    if p.top - last.bottom >= 0.9 * size:
        return False
    # text set one character per line (a narrow cell, or a label written vertically)
    if len(last.glyphs) == 1 and len(p.glyphs) == 1 and abs(last.glyphs[0].cx - p.glyphs[0].cx) < 0.3 * size:
        return True
    return last.x1 >= right - 0.8 * size


def _grid(lines: Sequence[Line], page: int) -> TablePart | None:
    xs, slack = _columns(lines)
    if len(xs) < 3:
        return None
    pieces = _pieces(lines, xs)
    while (k := _hollow(pieces)) is not None:
        xs, slack = xs[:k] + xs[k + 1 :], slack[:k] + slack[k + 1 :]
        pieces = _pieces(lines, xs)
    num_cols = {p.c0 for row in pieces for p in row if is_number(p.text)}
    numbered = [i for i, row in enumerate(pieces) if any(is_number(p.text) for p in row)]
    if not numbered:
        numbered = list(range(len(lines)))

    def over_numbers(p: _Piece) -> bool:
        return any(p.c0 <= c < p.c1 for c in num_cols)

    header_end = max(
        (i + 1 for i in range(numbered[0]) if any(over_numbers(p) for p in pieces[i])), default=0
    )
    # below the header, a row is a line with numbers or with text over the number columns (a
    # sub-table's own header); lines with text in the label columns only are wrapped labels
    anchors = [
        i for i in range(header_end, len(lines)) if i in numbered or any(over_numbers(p) for p in pieces[i])
    ]
    blocks = _blocks(pieces, set(anchors), header_end)
    # header rows: one per line that opens a block there
    head_lines = sorted({b.pieces[0].line for b in blocks if b.pieces[0].line < header_end})
    head_row = {ln: k for k, ln in enumerate(head_lines)}
    n_head = len(head_lines)
    body_row = {a: n_head + 1 + k for k, a in enumerate(anchors)}  # n_head is the "pre" row
    post = n_head + 1 + len(anchors)
    centers = [(lines[a].top + lines[a].bottom) / 2 for a in anchors]
    for b in blocks:
        first_line = b.pieces[0].line
        if first_line < header_end:
            b.row = head_row[first_line]
            last_line = b.pieces[-1].line
            b.row_end = max(k for ln, k in head_row.items() if ln <= last_line)
            continue
        # the anchor rows the block shares a line with, or whose middle it covers
        on = [body_row[p.line] for p in b.pieces if p.line in body_row]
        on += [body_row[a] for a, c in zip(anchors, centers) if b.top <= c <= b.bottom]
        if on:
            b.row, b.row_end = min(on), max(on)
            continue
        k, b.by_text = _nearest(b, centers)
        b.row = b.row_end = body_row[anchors[k]]
    _separate(blocks, body_row, anchors, post, n_head)
    part = _assemble(blocks, xs, lines, page)
    return replace(part, slack=tuple(slack)) if part else None


def _hollow(pieces: Sequence[Sequence[_Piece]]) -> int | None:
    """A column between two columns of numbers that no row of numbers touches and that no header
    above the first row of numbers names alone: the white inside one piece of text that OCR read as
    two with a gap between (表二's sub-heading 第二十条 (六)项 centred across the river between two
    columns of numbers), not a column; it is the left one's. A column of labels is touched by its
    rows' numbers lines, a column of numbers holds them in several rows. The index of its left
    boundary, or None."""
    numbered = [i for i, row in enumerate(pieces) if any(is_number(p.text) for p in row)]
    rows = [pieces[i] for i in numbered]
    counts = Counter(c for row in rows for c in {p.c0 for p in row if is_number(p.text)})
    number_cols = sorted(c for c, n in counts.items() if n >= 2)
    if len(number_cols) < 2:
        return None
    first = numbered[0]
    # a heading across several columns (第二十条第（一）项 over its sub-table) names none of them
    headed = {p.c0 for row in pieces[:first] for p in row if p.c1 - p.c0 == 1}
    touched = {c for row in rows for p in row for c in range(p.c0, p.c1)}
    for k in range(number_cols[0] + 1, number_cols[-1]):
        if k not in touched and k not in headed:
            return k
    return None


def _nearest(b: _Block, centers: Sequence[float]) -> tuple[int, bool]:
    """The anchor row a block sharing no line with one belongs to: the nearest, and whether a tie
    was decided by the block's text instead (see _TIE_EM)."""
    mid = (b.top + b.bottom) / 2
    below = next((k for k, c in enumerate(centers) if c > mid), len(centers))
    if 0 < below < len(centers):
        up, down = mid - centers[below - 1], centers[below] - mid
        if abs(up - down) <= _TIE_EM * b.pieces[0].glyphs[0].size:
            return (below if starts_item(b.pieces[0].text) else below - 1), True
        return (below - 1 if up < down else below), False
    return min(below, len(centers) - 1), False


def _separate(
    blocks: list[_Block], body_row: dict[int, int], anchors: list[int], post: int, n_head: int
) -> None:
    """Blocks of one column sent to the same row although a block of that column sits on the row's
    anchor line: the stray block belongs to the row above or below (the tail of a row cut by the
    page break, the head of the next). A block placed by its text stays; so does one opening a
    list item just above an anchor block that opens none: it is the head of that block's label."""
    by_cell: dict[tuple[int, int], list[_Block]] = {}
    for b in blocks:
        if b.row >= n_head:
            by_cell.setdefault((b.row, b.c0), []).append(b)
    for group in by_cell.values():
        if len(group) < 2:
            continue
        fixed = [b for b in group if any(p.line in body_row for p in b.pieces)]
        # blocks side by side on the anchor line (a row header 三 beside the label) fix it alike
        if not fixed or len({b.row for b in fixed}) != 1:
            continue
        top, bottom = min(b.top for b in fixed), max(b.bottom for b in fixed)
        opens = any(starts_item(b.pieces[0].text) for b in fixed)
        for b in group:
            if b in fixed or b.by_text:
                continue
            if b.bottom <= top and starts_item(b.pieces[0].text) and not opens:
                continue
            if b.bottom <= top:
                b.row = b.row_end = max(n_head, fixed[0].row - 1)
            elif b.top >= bottom:
                b.row = b.row_end = min(post, fixed[0].row + 1)


def _assemble(
    blocks: list[_Block], xs: Sequence[float], lines: Sequence[Line], page: int
) -> TablePart | None:
    used_rows = sorted({r for b in blocks for r in range(b.row, b.row_end + 1)})
    if len(used_rows) < 2 and len(blocks) < 5:
        return None
    renum = {r: k for k, r in enumerate(used_rows)}
    groups: dict[tuple[int, int], list[_Block]] = {}
    for b in sorted(blocks, key=lambda b: (b.row, b.c0, b.top)):
        groups.setdefault((renum[b.row], b.c0), []).append(b)  # two blocks in one cell read as one
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for (r0, c0), group in sorted(groups.items()):
        r1 = max(renum[b.row_end] for b in group)
        c1 = max(b.c1 for b in group)
        # never overlap a cell already placed: shrink the span instead
        while c1 - 1 > c0 and any((rr, c1 - 1) in taken for rr in range(r0, r1 + 1)):
            c1 -= 1
        while r1 > r0 and any((r1, cc) in taken for cc in range(c0, c1)):
            r1 -= 1
        if (r0, c0) in taken:
            continue
        boxes = [b.bbox for b in group]
        bbox = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        glyphs = [g for b in group for p in b.pieces for g in p.glyphs]
        confs = [g.conf for g in glyphs if g.conf is not None]
        cells.append(Cell(r0, c0, block_text(glyphs), r1 - r0 + 1, c1 - c0, page, bbox,
                          confidence=round(min(confs), 4) if confs else None, layout="words"))
        taken.update((rr, cc) for rr in range(r0, r1 + 1) for cc in range(c0, c1))
    for r in range(len(used_rows)):
        for c in range(len(xs) - 1):
            if (r, c) not in taken:
                cells.append(Cell(r, c, "", page=page))
    top = min(ln.top for ln in lines)
    bottom = max(ln.bottom for ln in lines)
    bbox = (round(xs[0], 2), round(top, 2), round(xs[-1], 2), round(bottom, 2))
    ordered = tuple(sorted(cells, key=lambda c: (c.row, c.col)))
    return TablePart(page, bbox, tuple(xs), (), ordered, ruled=False)
