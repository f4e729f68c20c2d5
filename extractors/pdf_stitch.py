"""One table printed over several pages, read back as one table.

A table part that ends its page and a part that opens the next page (page numbers and running
headers are already gone) belong together when their columns line up: same outer edges, and the
column boundaries of one are among those of the other (a continuation may lack a split the start
has, or the reverse). Where they meet, three things can have been cut by the page break:

- a merged cell (a label spanning rows, 三、本年度办理结果 printed one character per line, or
  （四）无 / 法提供): the two pieces become one cell spanning both;
- a whole row (label on one page, rest of the label and the numbers on the next): the two pieces
  become one row;
- nothing: the next page starts a new row.

Header rows the exporter repeats at the top of the continuation are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractors.model import Cell, Paragraph
from extractors.pdf_chars import clean_text
from extractors.pdf_ruled import TablePart

_COL_TOL = 6.0  # points two column boundaries may differ by and still be the same boundary

_NUMBER = re.compile(r"[-+]?\d[\d,，]*(?:\.\d+)?%?")
# A list marker opening a label: （三） (3) 三、 3. 3、 ③ -- a new item, never the tail of a cut one.
_ENUM = re.compile(
    r"^(?:[（(][一二三四五六七八九十百\d]+[）)]|[一二三四五六七八九十百]+[、.．]|\d+[.、．](?!\d)|[①-⑳])"
)


def is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text.replace(" ", "")))


def starts_item(text: str) -> bool:
    return bool(_ENUM.match(text))


def _join(a: str, b: str) -> str:
    return clean_text(f"{a} {b}")


@dataclass(frozen=True)
class _Union:
    bounds: tuple[float, ...]
    slack: tuple[float, ...]
    head_map: tuple[int, ...]  # index in bounds of each head boundary
    tail_map: tuple[int, ...]


def _union_bounds(head: TablePart, tail: TablePart) -> _Union | None:
    """Column boundaries of both parts, or None when the layouts are not the same table's. A
    boundary inferred from white space (unruled tables) may sit anywhere in its river."""

    def near(i: int, j: int) -> bool:
        return abs(head.xs[i] - tail.xs[j]) <= _COL_TOL + head.slack_at(i) + tail.slack_at(j)

    nh, nt = len(head.xs), len(tail.xs)
    if not (near(0, 0) and near(nh - 1, nt - 1)):
        return None
    # one-to-one and in order: the closest pairs first, never two crossing
    match_t: list[int | None] = [None] * nt
    match_h: list[int | None] = [None] * nh
    pairs = sorted(
        ((abs(head.xs[i] - tail.xs[j]), i, j) for i in range(nh) for j in range(nt) if near(i, j)),
    )
    for _, i, j in pairs:
        if match_h[i] is not None or match_t[j] is not None:
            continue
        if any(m is not None and (k < i) != (m < j) for k, m in enumerate(match_h) if k != i):
            continue
        match_h[i], match_t[j] = j, i
    if None in match_t and None in match_h:
        # each has a boundary the other lacks: ruled tables are then two layouts; columns found
        # from white space may miss a split where a page holds little text in them, so most
        # boundaries agreeing is enough there
        matched = sum(1 for m in match_t if m is not None)
        if head.ruled and tail.ruled or matched < max(3, 0.6 * min(nh, nt)):
            return None
    points = [(x, head.slack_at(i), ("h", i)) for i, x in enumerate(head.xs)]
    for j, x in enumerate(tail.xs):
        m = match_t[j]
        if m is None:
            points.append((x, tail.slack_at(j), ("t", j)))
        elif tail.slack_at(j) < points[m][1]:
            points[m] = (x, tail.slack_at(j), ("h", m))  # the sharper of two matched boundaries
    points.sort(key=lambda p: p[0])
    pos = {p[2]: k for k, p in enumerate(points)}
    head_map = tuple(pos[("h", i)] for i in range(nh))
    tail_map = tuple(pos[("t", j) if (m := match_t[j]) is None else ("h", m)] for j in range(nt))
    return _Union(tuple(p[0] for p in points), tuple(p[1] for p in points), head_map, tail_map)


def _remap(part: TablePart, index: Sequence[int]) -> list[Cell]:
    return [
        replace(c, col=index[c.col], col_span=max(1, index[c.col + c.col_span] - index[c.col]))
        for c in part.cells
    ]


def _signature(cells: Sequence[Cell], n: int) -> list[tuple[int, int, int, int, str]] | None:
    """The first n rows as (row, col, spans, text), or None when a cell reaches below them."""
    sig = []
    for c in cells:
        if c.row < n:
            if c.row + c.row_span > n:
                return None
            sig.append((c.row, c.col, c.row_span, c.col_span, c.text))
    return sorted(sig)


def _drop_repeated_header(head: list[Cell], tail: list[Cell]) -> list[Cell]:
    for n in (3, 2, 1):
        sig_tail = _signature(tail, n)
        if (
            sig_tail
            and sig_tail == _signature(head, n)
            and any(s[4] and not is_number(s[4]) for s in sig_tail)
        ):
            return [replace(c, row=c.row - n) for c in tail if c.row >= n]
    return tail


def _overlap(a: Cell, b: Cell) -> bool:
    return a.col < b.col + b.col_span and b.col < a.col + a.col_span


def _row_is_cut(last: list[Cell], first: list[Cell], n_head: int) -> bool:
    """Head's last row and tail's first row are the two halves of one row: the numbers sit on one
    side only, facing empty cells on the other, and no text of the tail opens a new item."""
    a_local = [a for a in last if a.row == n_head - 1 and a.row_span == 1]
    b_local = [b for b in first if b.row_span == 1]
    if not a_local or not b_local:
        return False
    nums_a = any(is_number(a.text) for a in a_local)
    nums_b = any(is_number(b.text) for b in b_local)
    if nums_a == nums_b:
        return False
    for b in first:
        if not b.text:
            continue
        if starts_item(b.text):
            return False
        for a in last:
            if _overlap(a, b) and a.text and (is_number(a.text) or is_number(b.text)):
                return False
    return True


def _continues(a: Cell, b: Cell) -> bool:
    """b, opening the next page, is the rest of the merged cell a that ends the page."""
    if a.row_span == 1 and b.row_span == 1:
        return False
    if is_number(a.text) or is_number(b.text):
        return False
    return not (a.text and b.text and starts_item(b.text))


def _target(b: Cell, last: list[Cell]) -> Cell | None:
    """The cell of head's last row that a piece of a cut row continues: the one with the same
    columns, else the most specific label over its columns (the rightmost one with text)."""
    over = [a for a in last if _overlap(a, b)]
    same = [a for a in over if (a.col, a.col_span) == (b.col, b.col_span)]
    if same:
        return same[0]
    labels = [a for a in over if a.text and not is_number(a.text)]
    if b.text and labels:
        return max(labels, key=lambda a: a.col)
    return min(over, key=lambda a: a.col) if over else None


def _second_reading(head: TablePart, tail: TablePart) -> tuple[Paragraph | TablePart, ...]:
    """The joined table's second reading (TablePart.alternative): each part's own, stitched as the
    parts are; a part with none reads the same both ways and stands for itself."""
    if not head.alternative and not tail.alternative:
        return ()
    joined = stitch_pages([head.alternative or (head,), tail.alternative or (tail,)])
    return tuple(b for b in joined if isinstance(b, (Paragraph, TablePart)))


def _stitch(head: TablePart, tail: TablePart, u: _Union) -> TablePart:
    n_head = head.n_rows
    head_cells = _remap(head, u.head_map)
    tail_cells = _drop_repeated_header(head_cells, _remap(tail, u.tail_map))
    head = replace(head, alternative=_second_reading(head, tail))
    if not tail_cells:
        return replace(head, xs=u.bounds, slack=u.slack, cells=tuple(head_cells))
    last = [c for c in head_cells if c.row + c.row_span == n_head]
    first = [c for c in tail_cells if c.row == 0]
    cut = _row_is_cut(last, first, n_head)
    offset = n_head - 1 if cut else n_head
    grown: dict[int, list[Cell]] = {}  # head cell -> the tail pieces it absorbs
    for b in first:
        if cut:
            a = _target(b, last)
        else:
            a = next(
                (a for a in last if (a.col, a.col_span) == (b.col, b.col_span) and _continues(a, b)), None
            )
        if a is not None:
            grown.setdefault(id(a), []).append(b)
    absorbed = {id(b) for bs in grown.values() for b in bs}
    out: list[Cell] = []
    for c in head_cells:
        for b in grown.get(id(c), []):
            end = max(c.row + c.row_span, b.row + offset + b.row_span)
            c = replace(c, text=_join(c.text, b.text), row_span=end - c.row)
        out.append(c)
    out.extend(replace(c, row=c.row + offset) for c in tail_cells if id(c) not in absorbed)
    return replace(head, xs=u.bounds, slack=u.slack, cells=tuple(out))


def stitch_pages(pages: Sequence[Sequence[object]]) -> list[object]:
    """Blocks of all pages in order, a table part that ends a page joined with a compatible part that
    opens the next page. Anything that is not a TablePart passes through untouched."""
    out: list[object] = []
    prev_page_ends_table = False
    for items in pages:
        for k, item in enumerate(items):
            head = out[-1] if out else None
            if (
                k == 0
                and prev_page_ends_table
                and isinstance(item, TablePart)
                and isinstance(head, TablePart)
            ):
                union = _union_bounds(head, item)
                if union is not None:
                    out[-1] = _stitch(head, item, union)
                    continue
            out.append(item)
        prev_page_ends_table = bool(items) and isinstance(items[-1], TablePart)
    return out
