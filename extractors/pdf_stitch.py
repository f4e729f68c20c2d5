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
from dataclasses import replace

from extractors.model import Cell
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


def _starts_item(text: str) -> bool:
    return bool(_ENUM.match(text))


def _join(a: str, b: str) -> str:
    return clean_text(f"{a} {b}")


def _union_bounds(a: Sequence[float], b: Sequence[float]) -> tuple[float, ...] | None:
    """Column boundaries of both parts, or None when the layouts are not the same table's."""
    if abs(a[0] - b[0]) > _COL_TOL or abs(a[-1] - b[-1]) > _COL_TOL:
        return None

    def within(small: Sequence[float], big: Sequence[float]) -> bool:
        return all(any(abs(x - y) <= _COL_TOL for y in big) for x in small)

    if not (within(a, b) or within(b, a)):
        return None
    out = list(a)
    for x in b:
        if not any(abs(x - y) <= _COL_TOL for y in out):
            out.append(x)
    return tuple(sorted(out))


def _remap(part: TablePart, bounds: Sequence[float], row_offset: int) -> list[Cell]:
    def idx(x: float) -> int:
        return min(range(len(bounds)), key=lambda i: abs(bounds[i] - x))

    out = []
    for c in part.cells:
        c0, c1 = idx(part.xs[c.col]), idx(part.xs[c.col + c.col_span])
        out.append(replace(c, row=c.row + row_offset, col=c0, col_span=max(1, c1 - c0)))
    return out


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


def _edge_pairs(head: list[Cell], n_head: int, tail: list[Cell]) -> tuple[list[tuple[Cell, Cell]], bool]:
    """Cells of head's last row paired with tail's first-row cells of the same columns, and whether
    every cell on both sides found its partner."""
    last = {(c.col, c.col_span): c for c in head if c.row + c.row_span == n_head}
    first = {(c.col, c.col_span): c for c in tail if c.row == 0}
    pairs = [(last[k], first[k]) for k in last if k in first]
    return pairs, len(pairs) == len(last) == len(first)


def _row_is_cut(pairs: list[tuple[Cell, Cell]], complete: bool, n_head: int) -> bool:
    """Head's last row and tail's first row are the two halves of one row: between them they fill
    the row's cells, the numbers sit on one side only, and the tail does not open a new item."""
    if not complete:
        return False
    local = [(a, b) for a, b in pairs if a.row == n_head - 1 and a.row_span == 1 and b.row_span == 1]
    if not local:
        return False
    nums_a = any(is_number(a.text) for a, _ in local)
    nums_b = any(is_number(b.text) for _, b in local)
    if nums_a and nums_b:
        return False
    one_sided = False
    for a, b in local:
        if a.text and b.text:
            if is_number(a.text) or is_number(b.text) or _starts_item(b.text):
                return False
        elif a.text or b.text:
            one_sided = True
    return one_sided


def _continues(a: Cell, b: Cell) -> bool:
    """b, opening the next page, is the rest of the merged cell a that ends the page."""
    if a.row_span == 1 and b.row_span == 1:
        return False
    if is_number(a.text) or is_number(b.text):
        return False
    return not (a.text and b.text and _starts_item(b.text))


def _stitch(head: TablePart, tail: TablePart, bounds: tuple[float, ...]) -> TablePart:
    n_head = head.n_rows
    head_cells = _remap(head, bounds, 0)
    tail_cells = _drop_repeated_header(head_cells, _remap(tail, bounds, 0))
    if not tail_cells:
        return replace(head, xs=bounds, cells=tuple(head_cells))
    pairs, complete = _edge_pairs(head_cells, n_head, tail_cells)
    cut = _row_is_cut(pairs, complete, n_head)
    offset = n_head - 1 if cut else n_head
    grown = {id(a): b for a, b in pairs if cut or _continues(a, b)}  # head cell -> its rest in tail
    absorbed = {id(b) for b in grown.values()}
    out: list[Cell] = []
    for c in head_cells:
        b = grown.get(id(c))
        if b is not None:
            c = replace(c, text=_join(c.text, b.text), row_span=b.row + offset + b.row_span - c.row)
        out.append(c)
    out.extend(replace(c, row=c.row + offset) for c in tail_cells if id(c) not in absorbed)
    return replace(head, xs=bounds, cells=tuple(out))


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
                bounds = _union_bounds(head.xs, item.xs)
                if bounds is not None:
                    out[-1] = _stitch(head, item, bounds)
                    continue
            out.append(item)
        prev_page_ends_table = bool(items) and isinstance(items[-1], TablePart)
    return out
