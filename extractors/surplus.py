"""A row read with one value too many: the doubtful mark whose removal leaves the only reading the
row's own sums admit.

A stray mark among a row's numbers (what a worn rule left between two cells, read as 1 or as an
unreadable mark) makes the row one value longer than its template row, and a row that does not fit
is not placed at all. Of the row's values, only one the reader itself doubted (a blank, an
unreadable mark, or a number read with low confidence) is first taken for the stray: each is taken
out in turn; a removal counts where every sum lying wholly within the row (表三's row total, 表四's
three totals) can be evaluated and holds. Where all the removals that count leave one and the same
values, the row is those values. Where none counts, the values read with confidence are tried the
same way (a worn rule's stub can read as a clean 1); a row so trimmed is placed with its cells
doubted. Anything else leaves the row unplaced, as before. Rows without a
sum of their own (表二) are never trimmed: nothing would say which mark was the stray.

Reconciliation's step, not OCR's: it knows the template's sums and nothing of how the marks were
read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Protocol, TypeVar


class _Value(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def value(self) -> float | None: ...


V = TypeVar("V", bound=_Value)

# (total's position, parts' positions) within a row's values
Sum = tuple[int, tuple[int, ...]]


def row_sums(cells: Sequence[str], rules: Sequence[tuple[str, list[str]]]) -> list[Sum]:
    """The sums (total cell, part cells) that lie wholly within a row of `cells`, as positions."""
    at = {c: k for k, c in enumerate(cells)}
    return [(at[total], tuple(at[p] for p in parts)) for total, parts in rules
            if total in at and all(p in at for p in parts)]


def drop_stray(values: Sequence[V], sums: Sequence[Sum], doubtful: Callable[[V], bool],
               extra: int = 1) -> tuple[tuple[V, ...], bool] | None:
    """`values` less the `extra` strays that leave the only reading all `sums` admit, and whether a
    stray was read with confidence (then the row's placement is a guess the sums alone support, and
    its cells are doubted); None where no removal, or more than one reading, fits. The values the
    reader doubted are tried first: a stub read as 1 with confidence is tried only where none of
    them fits, and only for one stray (two confident strays are more guess than the sums can bear)."""
    if not sums or extra < 1 or len(values) <= extra:
        return None
    for only_doubtful in (True, False):
        if not only_doubtful and extra > 1:
            break
        pool = [k for k, v in enumerate(values) if doubtful(v) == only_doubtful]
        kept: tuple[V, ...] | None = None
        readings: set[tuple[float | None, ...]] = set()
        for gone in combinations(pool, extra):
            rest = tuple(v for k, v in enumerate(values) if k not in gone)
            if _holds(rest, sums):
                readings.add(tuple(r.value for r in rest))
                kept = rest
        if readings:
            return (kept, not only_doubtful) if len(readings) == 1 and kept is not None else None
    return None


def _holds(values: Sequence[_Value], sums: Sequence[Sum]) -> bool:
    for total, parts in sums:
        nums = [values[k].value if values[k].kind == "num" else None for k in (total, *parts)]
        if any(v is None for v in nums) or abs(float(nums[0] or 0) - sum(float(v or 0) for v in nums[1:])) > 1e-6:
            return False
    return True
