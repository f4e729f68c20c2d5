"""Ruled tables in a page image: ruling lines -> lattice -> cells with spans.

1. Long thin horizontal and vertical strokes are ruling lines (morphological opening with long
   kernels; characters' strokes are shorter than the kernel).
2. Connected groups of ruling lines with at least two rows and two columns are tables.
3. The distinct line positions of a table make a lattice. Between two neighbouring lattice cells,
   either a ruling line separates them or it does not; cells not separated are one merged cell,
   which becomes one `GridCell` with its row and column spans.

Everything is in the pixels of the (upright, deskewed) page image.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.crops import Piece

# A ruling line covers (almost) all of the edge between two cells; a character's stroke that happens
# to sit on the edge's position covers at most a character's height of it, never the padding.
_EDGE_COVER = 0.85


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    x0: int  # pixel box between the ruling lines around the cell
    y0: int
    x1: int
    y1: int


@dataclass(frozen=True)
class GridTable:
    xs: tuple[int, ...]  # lattice column boundaries, left to right
    ys: tuple[int, ...]  # lattice row boundaries, top to bottom
    cells: tuple[GridCell, ...]

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


# a ruled cell, the pieces of text cut in it, and their readings' indices in the page's list
Job = tuple[GridCell, list[Piece], list[int]]


def cell_interior(cell: GridCell, inset: int) -> tuple[int, int, int, int] | None:
    """A ruled cell's box less `inset` pixels off each side, clear of its rules; None if nothing is left."""
    x0, y0, x1, y1 = cell.x0 + inset, cell.y0 + inset, cell.x1 - inset, cell.y1 - inset
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


@dataclass(frozen=True)
class RulingMasks:
    horizontal: np.ndarray  # 255 where a horizontal ruling line is
    vertical: np.ndarray

    @property
    def both(self) -> np.ndarray:
        return cv2.bitwise_or(self.horizontal, self.vertical)


def _lines(ink: np.ndarray, n: int, horizontal: bool) -> np.ndarray:
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1) if horizontal else (1, n))
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)


LONG_STROKE = 1.3  # in 12 pt characters: no stroke of body or table print runs this far straight


def long_strokes(ink: np.ndarray, char_px: float) -> RulingMasks:
    """Straight runs of ink longer than any character's stroke, however short against a rule: what
    is left of a rule worn to pieces too short to be found as lines (`ruling_masks`), such as one
    header row's stretch of a column rule. `char_px`: a 12 pt character's size in pixels."""
    n = max(3, int(LONG_STROKE * char_px))
    return RulingMasks(_lines(ink, n, horizontal=True), _lines(ink, n, horizontal=False))


def ruling_masks(
    ink: np.ndarray, dpi: float, min_inches: float = 0.35, heal: bool = False, piece_inches: float = 0.2
) -> RulingMasks:
    """Horizontal and vertical strokes at least `min_inches` long (a large character is ~0.25 in).

    With `heal`, a rule broken into pieces (a worn printer, a faint copy, JPEG loss at 120 dpi) is
    joined first: pieces longer than any character's stroke in table text (`piece_inches`) are kept,
    gaps up to 0.12 in between them closed, and what is then `min_inches` long is a rule. Closing
    the raw ink instead would chain the strokes of a run of bold characters into a false rule;
    pieces this long are rules' own."""
    n = max(15, int(dpi * min_inches))
    if not heal:
        return RulingMasks(_lines(ink, n, True), _lines(ink, n, False))
    piece = max(8, int(dpi * piece_inches))
    gap = max(3, int(dpi * 0.12))
    out = []
    for horizontal in (True, False):
        pieces = _lines(ink, piece, horizontal)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1) if horizontal else (1, gap))
        joined = cv2.morphologyEx(pieces, cv2.MORPH_CLOSE, kernel)
        out.append(_lines(joined, n, horizontal))
    return RulingMasks(out[0], out[1])


def _cluster(segs: list[tuple[float, int, int]], tol: float, min_gap: float) -> list[int]:
    """Line positions from segments: positions closer than `tol` are one line (thick lines, slight
    skew), weighted by length. Two lines closer than `min_gap` (less than any row of text) cannot
    both be rules: the one with less length behind it goes (the arc of a seal beside a rule)."""
    groups: list[list[tuple[float, int, int]]] = []
    for sg in sorted(segs):
        if groups and sg[0] - groups[-1][-1][0] <= tol:
            groups[-1].append(sg)
        else:
            groups.append([sg])
    lines = []
    for g in groups:
        w = np.array([b - a for _, a, b in g], dtype=np.float64)
        pos = float(np.average([p for p, _, _ in g], weights=w)) if w.sum() else g[0][0]
        lines.append([pos, float(w.sum())])
    changed = True
    while changed:
        changed = False
        for i in range(len(lines) - 1):
            if lines[i + 1][0] - lines[i][0] < min_gap:
                del lines[i if lines[i][1] < lines[i + 1][1] else i + 1]
                changed = True
                break
    return [round(p) for p, _ in lines]


Stroke = tuple[float, int, int, float]  # position across, start along, end along, thickness


def _strokes(mask: np.ndarray, horizontal: bool) -> list[Stroke]:
    """The straight strokes of a ruling mask, one per connected component."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        along = w if horizontal else h
        across = y + h / 2.0 if horizontal else x + w / 2.0
        start = x if horizontal else y
        out.append((across, start, start + along, area / max(along, 1)))
    return out


def _segments(strokes: list[Stroke], max_thick: float) -> list[tuple[float, int, int]]:
    """Line segments (position across, start along, end along) of the strokes no thicker than a
    rule: a thicker one is the band of a seal's ring, a filled bar."""
    return [(p, a, b) for p, a, b, thick in strokes if thick <= max_thick]


def _rule_thickness(strokes: list[Stroke], dpi: float) -> float:
    """The thickest stroke still a rule: 0.035 in, or half as thick again as the region's long
    rules are. Bold rules spread by a rough scan run 6-7 px thick at 150 dpi and were all taken for
    bars, the table lost whole; a seal's band or a shaded bar is thicker than its table's rules."""
    base = max(5.0, dpi * 0.035)
    # an inch or more: no seal's arc runs so straight
    widths = [thick for _, a, b, thick in strokes if b - a >= dpi]
    return max(base, 1.5 * float(np.median(widths))) if widths else base


def _coverage(mask: np.ndarray, horizontal: bool, at: int, start: int, end: int, tol: int) -> float:
    """Share of the span start..end along which the mask has a line within `tol` of `at`."""
    if end - start < 2:
        return 1.0  # too short to judge: keep the cells apart rather than chain merges through it
    if horizontal:
        band = mask[max(0, at - tol) : at + tol + 1, start:end]
        hit = band.max(axis=0) > 0
    else:
        band = mask[start:end, max(0, at - tol) : at + tol + 1]
        hit = band.max(axis=1) > 0
    return float(hit.mean()) if hit.size else 0.0


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _lattice(
    h_segs: list[tuple[float, int, int]], v_segs: list[tuple[float, int, int]], tol: float, min_gap: float
) -> tuple[list[int], list[int]]:
    ys = _cluster(h_segs, tol, min_gap)
    xs = _cluster(v_segs, tol, min_gap)
    # a table printed without side or top/bottom borders: its outer rules' ends stand in for them
    left, right = min(s[1] for s in h_segs), max(s[2] for s in h_segs)
    top, bottom = min(s[1] for s in v_segs), max(s[2] for s in v_segs)
    if xs[0] - left > 3 * tol:
        xs.insert(0, left)
    if right - xs[-1] > 3 * tol:
        xs.append(right)
    if ys[0] - top > 3 * tol:
        ys.insert(0, top)
    if bottom - ys[-1] > 3 * tol:
        ys.append(bottom)
    return xs, ys


def _table_from_lines(
    masks: RulingMasks, edge_masks: RulingMasks, region: tuple[int, int, int, int], dpi: float
) -> GridTable | None:
    x, y, w, h = region
    hm = masks.horizontal[y : y + h, x : x + w]
    vm = masks.vertical[y : y + h, x : x + w]
    h_strokes, v_strokes = _strokes(hm, horizontal=True), _strokes(vm, horizontal=False)
    max_thick = _rule_thickness(h_strokes + v_strokes, dpi)
    h_segs, v_segs = _segments(h_strokes, max_thick), _segments(v_strokes, max_thick)
    if len(h_segs) < 2 or len(v_segs) < 2:
        return None
    tol = max(3.0, dpi * 0.03)
    xs, ys = _lattice(h_segs, v_segs, tol, min_gap=dpi * 0.1)
    if len(xs) < 3 or len(ys) < 2:
        # a box ruled only across (no inner column rules): its columns are in the whitespace,
        # which the text layout reads (ocr.layout)
        return None
    eh = edge_masks.horizontal[y : y + h, x : x + w]
    ev = edge_masks.vertical[y : y + h, x : x + w]
    nr, nc = len(ys) - 1, len(xs) - 1
    uf = _UnionFind(nr * nc)
    t = int(tol)
    for r in range(nr):
        for c in range(nc):
            # measured from rule to rule: a real edge joins the lines at both its ends, while a
            # character's stroke that happens to sit on the edge's position stops short of them
            if c + 1 < nc and _coverage(ev, False, xs[c + 1], ys[r] + t, ys[r + 1] - t, t) < _EDGE_COVER:
                uf.union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and _coverage(eh, True, ys[r + 1], xs[c] + t, xs[c + 1] - t, t) < _EDGE_COVER:
                uf.union(r * nc + c, (r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(uf.find(r * nc + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0 = min(m[0] for m in members)
        r1 = max(m[0] for m in members)
        c0 = min(m[1] for m in members)
        c1 = max(m[1] for m in members)
        cells.append(
            GridCell(
                row=r0,
                col=c0,
                row_span=r1 - r0 + 1,
                col_span=c1 - c0 + 1,
                x0=x + xs[c0],
                y0=y + ys[r0],
                x1=x + xs[c1 + 1],
                y1=y + ys[r1 + 1],
            )
        )
    if len(cells) < 2:
        return None  # a framed paragraph, not a table
    cells.sort(key=lambda g: (g.row, g.col))
    return GridTable(xs=tuple(x + v for v in xs), ys=tuple(y + v for v in ys), cells=tuple(cells))


Box = tuple[int, int, int, int]  # x, y, w, h


def find_tables(ink: np.ndarray, dpi: float) -> list[GridTable]:
    """Ruled tables on a page, top to bottom. `ink` is 255 on strokes, 0 on paper."""
    masks = ruling_masks(ink, dpi, heal=True)
    # edges between lattice cells may be short (a narrow column), so test them on a finer mask
    edge_masks = ruling_masks(ink, dpi, min_inches=0.1, heal=True, piece_inches=0.1)
    joined = cv2.dilate(masks.both, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    pieces: list[Box] = [(int(stats[i][0]), int(stats[i][1]), int(stats[i][2]), int(stats[i][3])) for i in range(1, n)]
    boxes = _side_by_side(_merge_overlapping(pieces, max(3, int(dpi * 0.03))), dpi)
    tables = []
    for x, y, w, h in boxes:
        if w < dpi * 0.8 or h < dpi * 0.2:
            continue
        table = _table_from_lines(masks, edge_masks, (int(x), int(y), int(w), int(h)), dpi)
        if table is not None:
            tables.append(table)
    tables.sort(key=lambda t: t.ys[0])
    return tables


def _side_by_side(boxes: list[Box], dpi: float) -> list[Box]:
    """One box for two that span the same rows, top and bottom, side by side a little apart: one
    table whose rules a seal took in between (表四 read as two tables, its row parted 6 and 9)."""
    tol, apart = dpi * 0.1, dpi * 2.5
    out = sorted(boxes)
    k = 0
    while k < len(out):
        a = out[k]
        j = next((j for j, b in enumerate(out) if j != k and 0 <= b[0] - (a[0] + a[2]) <= apart
                  and abs(b[1] - a[1]) <= tol and abs((b[1] + b[3]) - (a[1] + a[3])) <= tol
                  and min(a[3], b[3]) >= dpi * 0.2), None)
        if j is None:
            k += 1
            continue
        out[k] = _union(a, out.pop(j))
        out.sort()
        k = 0
    return out


def _merge_overlapping(boxes: list[Box], margin: int) -> list[Box]:
    """One box for rule pieces whose boxes overlap (within `margin`): a table whose rules are worn
    into dashes falls apart into pieces that do not touch, each of which was read as a table of its
    own, over the others (the same cells read twice, 表四's header a table apart from its numbers).
    Pieces of one table lie within each other's span; two tables lie apart, a heading between.
    Merged until none overlaps: a merged box may reach a piece neither of its parts did."""
    merged = list(boxes)
    while True:
        pair = next(((i, j) for i in range(len(merged)) for j in range(i + 1, len(merged))
                     if _near(merged[i], merged[j], margin)), None)
        if pair is None:
            return merged
        i, j = pair
        merged[i] = _union(merged[i], merged.pop(j))


def _near(a: Box, b: Box, margin: int) -> bool:
    return (a[0] - margin <= b[0] + b[2] and b[0] - margin <= a[0] + a[2]
            and a[1] - margin <= b[1] + b[3] and b[1] - margin <= a[1] + a[3])


def _union(a: Box, b: Box) -> Box:
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    return x0, y0, max(a[0] + a[2], b[0] + b[2]) - x0, max(a[1] + a[3], b[1] + b[3]) - y0


def erase_rule_remnants(
    ink: np.ndarray, text_ink: np.ndarray, gray: np.ndarray, rect: tuple[int, int, int, int], dpi: float,
    row_lines: tuple[int, ...] = (),
) -> None:
    """Take the pieces of broken rules out of a table's area, in place (`text_ink` to 0, `gray` to
    paper); `ink` is the page's ink with its rules.

    Pieces too short to be found as rules are still straight strokes lined up with each other
    across most of the table: a column (or row) of pixels where vertical (horizontal) strokes cover
    over 40% of the table's height (width) is a rule's place. A digit 1 is such a stroke too, but
    one per row at most, and never over that share of the rows. Nor do the strokes of characters
    count: a header printed down its narrow cells (结/果/维/持) lines its characters' strokes up
    over most of the table's height, and its column's digits were erased with them.

    A column rule that parts one block of rows only stands over too small a share: its stubs are
    found where they cross the table's `row_lines` (the lattice's ys), see `_rule_pieces`."""
    x0, y0, x1, y1 = rect
    sub = ink[y0:y1, x0:x1]
    if sub.size == 0:
        return
    k = max(3, int(dpi * 0.06))
    text_sub = text_ink[y0:y1, x0:x1]
    gray_sub = gray[y0:y1, x0:x1]
    chars, thin = _shapes(text_sub, dpi)
    for horizontal in (False, True):
        strokes = _lines(sub, k, horizontal)
        axis = 1 if horizontal else 0
        length = sub.shape[1] if horizontal else sub.shape[0]
        # a rule one or two pixels off straight after deskew: count over a 5-pixel window
        counted = np.count_nonzero((strokes > 0) & ~chars, axis=axis)
        profile = np.convolve(counted, np.ones(5), mode="same") / 5
        at = profile >= 0.4 * length
        near = np.convolve(at.astype(np.float32), np.ones(7), mode="same") > 0
        mask = np.zeros(sub.shape, dtype=bool)
        if horizontal:
            mask[near, :] = strokes[near, :] > 0
        else:
            mask[:, near] = strokes[:, near] > 0
        if not horizontal and row_lines:
            mask |= _rule_pieces((strokes > 0) & ~chars, thin, [v - y0 for v in row_lines], max(2, round(dpi * 0.03)))
        if not mask.any():
            continue
        mask = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        text_sub[mask] = 0
        gray_sub[mask] = 255


def _rule_pieces(strokes: np.ndarray, thin: np.ndarray, lines: list[int], touch: int) -> np.ndarray:
    """The pieces of a short column rule worn into stubs, as a mask: upright `strokes` that run on
    across one of the lattice's row `lines` (by `touch` pixels each way), and the strokes standing
    alone (`thin`: no part of a character) on the line of one of those. A rule meets the rules
    across it; a 1 stands inside its cell and crosses none, nor stands on a rule's line. (The share
    of the table's height misses a rule that parts the columns of a block of rows only: 表二's
    本年制发件数 | 本年度止件数, whose stubs read as 1 and I beside the numbers.) A stroke that
    merely reaches a line is no evidence: the brackets of labels, (一) over (二), reach the lines of
    a tight row; and a character's stroke on a rule's line (a header over several columns) stays.
    Column rules only: a row rule's line runs through the text of a label wrapped in a merged
    cell."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(strokes.astype(np.uint8), connectivity=8)
    centre = [float(stats[i][0] + stats[i][2] / 2) for i in range(n)]
    across = [i for i in range(1, n)
              if any(stats[i][1] + touch <= c <= stats[i][1] + stats[i][3] - 1 - touch for c in lines)]
    on = [centre[i] for i in across]
    alone = set(np.unique(labels[thin & (labels > 0)]).tolist())
    kept = across + [i for i in alone if i not in across and any(abs(centre[i] - x) <= 2 for x in on)]
    return np.isin(labels, kept)


def _shapes(text_ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Where characters are, and where lone upright strokes are, from one pass over the ink's
    components.

    Characters: the boxes of components shaped like one (about square, up to a large character's
    size, inked over a quarter of their box). A rule's remnant is a bare stroke, far taller than
    wide or far wider than tall, or a junction of two (a corner, a T, a cross), which inks little
    of its box. Lone strokes: the ink of components far taller than wide."""
    chars = np.zeros(text_ink.shape, dtype=bool)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(text_ink, connectivity=8)
    big = dpi * 0.3  # a large character's size (about 22 pt)
    lone = []
    for i in range(1, n):
        x, y, w, h, px = (int(v) for v in stats[i])
        if w <= big and h <= big and min(w, h) > 0.5 * max(w, h) and px >= 0.25 * w * h:
            chars[y : y + h, x : x + w] = True
        if w <= max(4, 0.35 * h):
            lone.append(i)
    return chars, np.isin(labels, lone)


def erase_dashes(
    text_ink: np.ndarray, gray: np.ndarray, vertical_rules: np.ndarray, dpi: float,
    region: tuple[int, int, int, int] | None = None, skip: tuple[tuple[int, int, int, int], ...] = (),
) -> None:
    """Take the dashes of a rule worn to pieces off the page, in place (`text_ink` to 0, `gray` to
    paper). Such a rule is too broken to be found as a line, and what is left of it lies among the
    text, where each dash alone reads as 1 or I and stands as a column of its own.

    A dash is a bare stroke: as wide in every row as in the others (a printed 1 is not: its foot or
    its flag widens it), several times taller than wide. But at 120 dpi a small 1 has lost its foot
    and a column of 1s lines up as well as dashes do; what tells them apart is where they stand: a
    rule's dashes on the line of a rule found elsewhere on the page (`vertical_rules`, the healed
    rules' mask), a column's 1s in the middle of the column, far from any rule. So three or more
    dashes on one x where a vertical rule stands are the rule's remains, if they differ in length
    as a worn rule's pieces do (1s printed beside a rule, text touching it, are all one height).
    Anything else stays.

    Only within `region` (the page by default) and outside the `skip` rects: a table read cell by
    cell clips each cell's text to the cell, which keeps its rules' remains out of it."""
    rx0, ry0, rx1, ry1 = region or (0, 0, text_ink.shape[1], text_ink.shape[0])
    n, labels, stats, _ = cv2.connectedComponentsWithStats(text_ink[ry0:ry1, rx0:rx1], connectivity=8)
    min_len = max(5, int(dpi * 0.06))
    dashes: list[tuple[float, int, float]] = []  # x centre, label, stroke width
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i][:4])
        if h < min_len or w > 0.5 * h:
            continue
        if any(sx0 <= x + rx0 and x + w + rx0 <= sx1 and sy0 <= y + ry0 and y + h + ry0 <= sy1
               for sx0, sy0, sx1, sy1 in skip):
            continue
        widths = np.count_nonzero(labels[y : y + h, x : x + w] == i, axis=1)
        stroke = float(np.median(widths))
        if stroke > 0 and h >= 2.5 * stroke and widths.max() <= 1.6 * stroke + 1:
            dashes.append((x + w / 2, i, stroke))
    dashes.sort()
    clusters: list[list[tuple[float, int, float]]] = []
    for d in dashes:
        if clusters and d[0] - clusters[-1][-1][0] <= max(2.0, d[2]):
            clusters[-1].append(d)
        else:
            clusters.append([d])
    ruled_x = np.flatnonzero(np.count_nonzero(vertical_rules, axis=0) > 0) - rx0

    def on_a_rule(c: list[tuple[float, int, float]]) -> bool:
        x = float(np.median([d[0] for d in c]))
        reach = max(3.0, max(d[2] for d in c))
        return ruled_x.size > 0 and float(np.min(np.abs(ruled_x - x))) <= reach

    def worn(c: list[tuple[float, int, float]]) -> bool:
        heights = [int(stats[i][3]) for _, i, _ in c]
        return max(heights) >= 1.3 * min(heights)

    gone = [i for c in clusters if len(c) >= 3 and on_a_rule(c) and worn(c) for _, i, _ in c]
    if gone:
        mask = np.isin(labels, gone)
        text_ink[ry0:ry1, rx0:rx1][mask] = 0
        gray[ry0:ry1, rx0:rx1][mask] = 255


def _without_specks(ink: np.ndarray, least: int) -> np.ndarray:
    """The ink less its pieces smaller than `least` pixels both ways: a rough scan's speckle, which
    stands everywhere in a margin, is no text."""
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    big = (stats[:, cv2.CC_STAT_WIDTH] >= least) | (stats[:, cv2.CC_STAT_HEIGHT] >= least)
    big[0] = False
    return np.where(big[labels], ink, 0).astype(np.uint8)


def widen_to_text(table: GridTable, text_ink: np.ndarray, dpi: float,
                  others: tuple[tuple[int, int, int, int], ...] = ()) -> GridTable:
    """A table whose left rule was lost (broken, faint, or never printed) ends at the next rule in,
    leaving its label column outside the grid, where it would be read apart from its rows. Text
    beside the grid on the left, within its rows, reaching to within a column's gap of it and
    standing in a good share of its rows, is that column: the lattice gains a column, one cell a
    row; never over another grid (`others`, the page's tables' boxes). Only the left: the labels
    are there, and marks right of a table (a seal's remnants, a margin note) are no column of it."""
    x0, y0, _x1, y1 = table.bbox
    reach = int(dpi * 3.0)  # the widest label column
    gap = int(dpi * 0.4)  # text starts this close to the lost rule
    rule = max(3, int(dpi * 0.03))  # the grid's own outer rule and its blur are not text beside it
    # another grid on the left, beside these rows, is no label column of this one: a table parted
    # in two where a seal took its rules (the left part's cells had been read again as labels)
    left = max((o[2] for o in others if o[2] <= x0 and o[1] < y1 and o[3] > y0), default=0)
    a, b = max(0, x0 - reach, left + rule), x0 - rule
    if b <= a:
        return table
    beside = _without_specks(text_ink[y0:y1, a:b], max(3, int(dpi * 0.04)))
    cols = np.flatnonzero(np.count_nonzero(beside, axis=0) > 0)
    if cols.size == 0 or b - a - 1 - cols.max() > gap:
        return table
    # ink in a good share of the table's rows: a label column, not a stray mark
    ys = table.ys
    rows_hit = sum(1 for r in range(len(ys) - 1) if np.count_nonzero(beside[ys[r] - y0 + 2 : ys[r + 1] - y0 - 2]) > 20)
    if rows_hit < max(2, 0.3 * (len(ys) - 1)):
        return table
    x = max(0, a + int(cols.min()) - rule)
    cells = [GridCell(c.row, c.col + 1, c.row_span, c.col_span, c.x0, c.y0, c.x1, c.y1) for c in table.cells]
    cells += [GridCell(r, 0, 1, 1, x, ys[r], table.xs[0], ys[r + 1]) for r in range(len(ys) - 1)]
    cells.sort(key=lambda g: (g.row, g.col))
    return GridTable(xs=(x, *table.xs), ys=ys, cells=tuple(cells))
