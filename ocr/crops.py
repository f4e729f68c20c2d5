"""Text pieces of a page as crops for the recogniser: inside table cells and along text lines.

A piece is one run of text on one line, clipped to its cell, so the recogniser never reads across
a ruling line (which is how full-page OCR turns the cells `14 | 2 | 0` into `1420`). Within a text
line, a wide blank gap also ends a piece: the recogniser drops spaces, so `14  2  0` printed
without rules must be read as three pieces.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

Rect = tuple[int, int, int, int]  # x0, y0, x1, y1 in page pixels


@dataclass(frozen=True)
class Piece:
    rect: Rect  # tight box around the ink, in page pixels
    vertical: bool = False  # characters stacked top to bottom (a narrow cell's label)


def ink_rect(ink: np.ndarray, rect: Rect, min_pixels: int = 12, min_height: int = 0) -> Rect | None:
    """Tight box around the text ink inside `rect`; None when there is (almost) none.

    With `min_height`, components at least that tall are the text's core; smaller marks count only
    where they sit beside the core on its line (a decimal point, 、), not when they float apart
    from it (dust, a seal's remnants), which would otherwise be read as extra digits."""
    x0, y0, x1, y1 = rect
    sub = ink[y0:y1, x0:x1]
    if sub.size == 0 or int(np.count_nonzero(sub)) < min_pixels:
        return None
    n, _, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    keep = [i for i in range(1, n) if stats[i][4] >= 3]
    if min_height:
        core = [i for i in keep if stats[i][3] >= min_height]
        if not core:
            return None
        cy0 = min(int(stats[i][1]) for i in core)
        cy1 = max(int(stats[i][1] + stats[i][3]) for i in core)
        cx0 = min(int(stats[i][0]) for i in core)
        cx1 = max(int(stats[i][0] + stats[i][2]) for i in core)
        # marks between the core's strokes belong to the text (、 or a decimal point); before or
        # after it only when they touch it (dust a few pixels off a 0 would read as ".0")
        reach = max(2, min_height // 3)
        keep = [
            i
            for i in keep
            if stats[i][3] >= min_height
            or (
                stats[i][1] >= cy0 - 2
                and stats[i][1] + stats[i][3] <= cy1 + 2
                and stats[i][0] + stats[i][2] >= cx0 - reach
                and stats[i][0] <= cx1 + reach
            )
        ]
    if not keep or sum(int(stats[i][4]) for i in keep) < min_pixels:
        return None
    xs0 = min(int(stats[i][0]) for i in keep)
    ys0 = min(int(stats[i][1]) for i in keep)
    xs1 = max(int(stats[i][0] + stats[i][2]) for i in keep)
    ys1 = max(int(stats[i][1] + stats[i][3]) for i in keep)
    return x0 + xs0, y0 + ys0, x0 + xs1, y0 + ys1


def split_on_gaps(ink: np.ndarray, rect: Rect, gap_factor: float = 1.0, min_gap_px: int = 0) -> list[Rect]:
    """Cut a one-line box at blank columns wider than `gap_factor` x its height (word or number
    spacing; the gaps between characters of one word are far narrower), or than `min_gap_px`
    where given (a box of several lines)."""
    x0, y0, x1, y1 = rect
    sub = ink[y0:y1, x0:x1]
    if sub.size == 0:
        return []
    cols = np.count_nonzero(sub, axis=0) > 0
    min_gap = min_gap_px or max(4, int((y1 - y0) * gap_factor))
    runs: list[list[int]] = []
    gap = 0
    for i, on in enumerate(cols):
        if on:
            if runs and gap < min_gap:
                runs[-1][1] = i + 1
            else:
                runs.append([i, i + 1])
            gap = 0
        else:
            gap += 1
    out = []
    for a, b in runs:
        r = ink_rect(ink, (x0 + a, y0, x0 + b, y1), min_pixels=6)
        if r is not None:
            out.append(r)
    return out


def text_bands(ink: np.ndarray, rect: Rect, min_gap: int) -> list[tuple[int, int]]:
    """Rows of text inside `rect`: runs of inked rows separated by at least `min_gap` blank rows.
    A line of several characters leaves no blank row (their strokes sit at different heights),
    the leading between two lines does."""
    x0, y0, x1, y1 = rect
    rows = np.count_nonzero(ink[y0:y1, x0:x1], axis=1) > 0
    bands: list[list[int]] = []
    gap = 0
    for i, on in enumerate(rows):
        if on:
            if bands and gap < min_gap:
                bands[-1][1] = i + 1
            else:
                bands.append([i, i + 1])
            gap = 0
        else:
            gap += 1
    return [(y0 + a, y0 + b) for a, b in bands]


def split_tall_bands(ink: np.ndarray, x0: int, x1: int, bands: list[tuple[int, int]], line_px: float) -> list[tuple[int, int]]:
    """Lines set so tight that no blank row parts them: a band much taller than one line is cut at
    its emptiest row, away from its ends, until every band is about one line tall."""
    singles = [b - a for a, b in bands if b - a >= 0.6 * line_px]
    ref = float(min(singles)) if singles else line_px
    ref = min(ref, 1.3 * line_px)
    out: list[tuple[int, int]] = []
    todo = list(bands)
    while todo:
        a, b = todo.pop(0)
        if b - a <= 1.6 * ref:
            out.append((a, b))
            continue
        lo, hi = a + int(0.6 * ref), b - int(0.6 * ref)
        counts = np.count_nonzero(ink[lo:hi, x0:x1], axis=1)
        # two lines set tight still leave a row nearly empty between them; a single line of large
        # text (a title) has ink in every row, and is one line whatever its height
        typical = float(np.median(np.count_nonzero(ink[a:b, x0:x1], axis=1)))
        if counts.size == 0 or counts.min() > 0.2 * typical:
            out.append((a, b))
            continue
        cut = lo + int(np.argmin(counts))
        todo[:0] = [(a, cut), (cut + 1, b)]
    return sorted(out)


def cell_pieces(ink: np.ndarray, interior: Rect, char_px: float) -> list[Piece]:
    """Pieces of text inside one cell, found from its ink alone (the cell already bounds them, so
    no detector is needed): the ink's box; a narrow tall column of stacked characters as one
    vertical piece; otherwise each text line, cut at wide gaps."""
    core = max(3, int(char_px * 0.3))
    box = ink_rect(ink, interior, min_height=core)
    if box is None:
        return []
    w, h = box[2] - box[0], box[3] - box[1]
    if h > 1.8 * w and h > 1.8 * char_px and w < 1.6 * char_px and _stacked(ink, box, char_px):
        return [Piece(box, vertical=True)]
    pieces: list[Piece] = []
    bands = text_bands(ink, box, min_gap=max(2, int(char_px * 0.12)))
    for a, b in split_tall_bands(ink, box[0], box[2], bands, line_px=char_px):
        line = ink_rect(ink, (box[0], a, box[2], b), min_pixels=6, min_height=core)
        if line is None:
            continue
        pieces.extend(Piece(r) for r in split_on_gaps(ink, line, gap_factor=1.2))
    return pieces


def _stacked(ink: np.ndarray, box: Rect, char_px: float) -> bool:
    """Whether a narrow tall box of ink holds characters stacked top to bottom: its bands of ink
    at least half a character tall (characters, or several joined by their strokes) still span
    the height of two. A digit with the dust of a rough scan above and below it (strokes of a few
    pixels, tall enough to count as text) made a box as tall as a stacked label, re-set side by
    side and read as words (0 as `OE 区`)."""
    bands = [(a, b) for a, b in text_bands(ink, box, min_gap=max(2, int(char_px * 0.12))) if b - a >= 0.5 * char_px]
    return bool(bands) and bands[-1][1] - bands[0][0] > max(1.8 * char_px, 1.8 * (box[2] - box[0]))


def _merge_thin(bands: list[tuple[int, int]], thin: float, char_px: float) -> list[tuple[int, int]]:
    """Bands thinner than a character can be (the strokes of 三 or 二) are parts of a line, not
    lines: each joins its nearer neighbour where the two together are no taller than a character.
    A lone 一 beside the next line's text would make a band taller than that, and stays apart."""
    out = list(bands)
    tallest = max((b - a for a, b in out), default=0)
    one_char = max(1.25 * char_px, 1.2 * tallest)
    done: set[tuple[int, int]] = set()
    while len(out) > 1:
        k = next((i for i, (a, b) in enumerate(out) if b - a < thin and (a, b) not in done), None)
        if k is None:
            break
        up = out[k][0] - out[k - 1][1] if k > 0 else None
        down = out[k + 1][0] - out[k][1] if k + 1 < len(out) else None
        j = k - 1 if down is None or (up is not None and up <= down) else k + 1
        a, b = min(out[j][0], out[k][0]), max(out[j][1], out[k][1])
        if b - a > one_char:
            done.add(out[k])
            continue
        out[min(j, k) : max(j, k) + 1] = [(a, b)]
    # two parts of one large character (生 over 口 in 告) stand closer than two lines ever do
    k = 0
    while k + 1 < len(out):
        (a0, a1), (b0, b1) = out[k], out[k + 1]
        if b0 - a1 < 0.15 * max(a1 - a0, b1 - b0):
            out[k : k + 2] = [(a0, b1)]
        else:
            k += 1
    return out


def line_pieces(ink: np.ndarray, rect: Rect, char_px: float) -> list[Rect]:
    """Pieces of text inside a detected text region: a detector's box often takes in the line
    above or below (a label wrapped onto a second line, numbers set between two label lines), and
    a piece must be one line for the recogniser and for the layout stage. So the region's ink is
    cut into lines first (blank rows, then over-tall bands at their emptiest row), then each line
    at wide gaps."""
    box = ink_rect(ink, rect, min_pixels=8)
    if box is None:
        return []
    core = max(3, int(char_px * 0.3))
    out: list[Rect] = []
    # columns first: numbers set between the two lines of a wrapped label would bridge the blank
    # rows between those lines
    for col in split_on_gaps(ink, box, min_gap_px=max(4, int(0.8 * char_px))):
        bands = _merge_thin(text_bands(ink, col, min_gap=1), 0.3 * char_px, char_px)
        for a, b in split_tall_bands(ink, col[0], col[2], bands, line_px=char_px):
            line = ink_rect(ink, (col[0], a, col[2], b), min_pixels=6)
            if line is None:
                continue
            for r in split_on_gaps(ink, line, gap_factor=1.0):
                # dust beside a digit would stretch its box (and move it off its row); a lone
                # 一 has no taller core and keeps its own box
                out.append(ink_rect(ink, r, min_pixels=6, min_height=core) or r)
    return out


def overlap(a: Rect, b: Rect) -> int:
    """The area two boxes share (0 where they do not meet)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0


CROP_PAD = 0.25  # paper margin around a piece's crop, as a share of its height


def crop(gray: np.ndarray, rect: Rect, bounds: Rect | None = None, pad_frac: float = CROP_PAD) -> np.ndarray:
    """The piece with a margin of paper around it (the recogniser was trained on padded lines),
    kept inside `bounds` so no ruling line enters the crop."""
    x0, y0, x1, y1 = rect
    pad = max(2, int((y1 - y0) * pad_frac))
    bx0, by0, bx1, by1 = bounds if bounds is not None else (0, 0, gray.shape[1], gray.shape[0])
    X0, Y0 = max(bx0, x0 - pad), max(by0, y0 - pad)
    X1, Y1 = min(bx1, x1 + pad), min(by1, y1 + pad)
    out = np.full((y1 - y0 + 2 * pad, x1 - x0 + 2 * pad), 255, dtype=np.uint8)
    oy, ox = Y0 - (y0 - pad), X0 - (x0 - pad)
    out[oy : oy + (Y1 - Y0), ox : ox + (X1 - X0)] = gray[Y0:Y1, X0:X1]
    return out


def stacked_to_line(gray: np.ndarray, ink: np.ndarray, rect: Rect) -> np.ndarray:
    """Re-set characters stacked top to bottom side by side, so the line recogniser can read them."""
    x0, y0, x1, y1 = rect
    rows = np.count_nonzero(ink[y0:y1, x0:x1], axis=1) > 0
    w = x1 - x0
    runs = _runs(rows)
    widths = []
    for a, b in runs:
        cols = np.flatnonzero(np.count_nonzero(ink[y0 + a : y0 + b, x0:x1], axis=0))
        widths.append(int(cols[-1] - cols[0] + 1) if cols.size else 0)
    chars = [(runs[i][0], runs[j][1]) for i, j in _segment_stack(runs, widths, w)]
    pad = max(2, w // 4)
    tiles = []
    for a, b in chars:
        c = np.full((w + 2 * pad, (x1 - x0) + 2 * pad), 255, dtype=np.uint8)
        piece = gray[y0 + a : y0 + b, x0:x1]
        top = pad + max(0, (w - piece.shape[0]) // 2)
        hh = min(piece.shape[0], c.shape[0] - top)
        c[top : top + hh, pad : pad + piece.shape[1]] = piece[:hh]
        tiles.append(c)
    if not tiles:
        return crop(gray, rect)
    return np.hstack(tiles)


def _runs(on: np.ndarray) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = None
    for i, v in enumerate(on):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(on)))
    return out


def _segment_stack(runs: list[tuple[int, int]], widths: list[int], w: int) -> list[tuple[int, int]]:
    """Group runs of inked rows into characters: each about as tall as the column is wide (the
    strokes of 三 are one character), never much taller; a mark small both ways (、) may stand
    alone, a flat wide stroke (the top of 三) may not."""

    def cost(i: int, j: int) -> float:
        h = runs[j][1] - runs[i][0]
        if h > 1.1 * w:
            return 5.0 + h / w
        if h < 0.6 * w:
            small_mark = i == j and widths[i] < 0.6 * w
            return 0.05 if small_mark else 0.5
        return ((h - w) / w) ** 2

    n = len(runs)
    best = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(max(0, j - 8), j):
            c = best[i] + cost(i, j - 1)
            if c < best[j]:
                best[j], back[j] = c, i
    out = []
    j = n
    while j > 0:
        out.append((back[j], j - 1))
        j = back[j]
    return out[::-1]
