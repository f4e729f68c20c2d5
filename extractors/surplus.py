"""A row read with one value too many: the doubtful mark whose removal leaves the only reading the
row's own sums admit.

A stray mark among a row's numbers (what a worn rule left between two cells, read as 1 or as an
unreadable mark) makes the row one value longer than its template row, and a row that does not fit
is not placed at all. Of the row's values, only one the reader itself doubted (a blank, an
unreadable mark, or a number read with low confidence) is first taken for the stray: each is taken
out in turn; a removal counts where every sum lying wholly within the row (表三's row total, 表四's
three totals) holds, a value not known standing in at most one place of a sum as the whole,
non-negative count that balances it, and one sum at least holding with every value known. Where all the removals that count leave one and the same
values, the row is those values. Where none counts, the values read with confidence are tried the
same way (a worn rule's stub can read as a clean 1); a row so trimmed is placed with its cells
doubted. Anything else leaves the row unplaced, as before. Rows without a
sum of their own (表二) are never trimmed: nothing would say which mark was the stray.

A row read short is split where one number holds two cells' digits (`split_joined`), or, where
its values stand at one even pitch with a gap of two or three pitches inside, has the cells that
were not read put in those gaps (`fill_holes`: a cell under a seal, a 0 too faint to read).

Reconciliation's step, not OCR's: it knows the template's sums and nothing of how the marks were
read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import combinations, pairwise
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


MOST_UNSETTLED = 2  # cells of a trimmed row left unknown where the readings its sums admit differ


def drop_stray(values: Sequence[V], sums: Sequence[Sum], doubtful: Callable[[V], bool],
               extra: int = 1, unknown: V | None = None) -> tuple[tuple[V, ...], bool] | None:
    """`values` less the `extra` strays that leave the only reading all `sums` admit, and whether a
    stray was read with confidence (then the row's placement is a guess the sums alone support, and
    its cells are doubted); None where no removal fits. The values the reader doubted are tried
    first: a stub read as 1 with confidence is tried only where none of them fits, and only for
    one stray (two confident strays are more guess than the sums can bear). Where the readings that
    fit differ in a cell or two (a seal's letter read as 1 beside a 0 in the same cell: which of
    the two is the stray, the sums cannot tell), those cells are `unknown` and the rest, the same in
    every reading, are kept, doubted; without `unknown`, or with more cells unsettled, None."""
    if not sums or extra < 1 or len(values) <= extra:
        return None
    for only_doubtful in (True, False):
        if not only_doubtful and extra > 1:
            break
        pool = [k for k, v in enumerate(values) if doubtful(v) == only_doubtful]
        fits = [rest for gone in combinations(pool, extra)
                if _holds(rest := tuple(v for k, v in enumerate(values) if k not in gone), sums)]
        if fits:
            # readings that differ only where one of them holds a value not known (a mark taken as
            # the stray, or kept as the 0 that balances a sum) say the same: the fullest is kept
            best = max(fits, key=lambda r: sum(v.value is not None for v in r))
            if all(_compatible(best, r) for r in fits):
                return best, not only_doubtful
            unsettled = {k for r in fits for k, (x, y) in enumerate(zip(best, r))
                         if x.value is not None and y.value is not None and x.value != y.value}
            if unknown is None or len(unsettled) > MOST_UNSETTLED:
                return None
            return tuple(unknown if k in unsettled else v for k, v in enumerate(best)), True
    return _with_a_misread(values, sums, doubtful, unknown) if extra == 1 and unknown is not None else None


def _with_a_misread(values: Sequence[V], sums: Sequence[Sum], doubtful: Callable[[V], bool],
                    unknown: V) -> tuple[tuple[V, ...], bool] | None:
    """The row less one stray where a number beside it was misread too (a 0 read unsure as 100):
    no removal balances the sums as read. One number the reader doubted then stands as not known,
    balanced by its sums as a mark is. Strays are tried among the marks first (a rule's corner read
    as L), then among the doubted numbers. The readings that fit are compared by what their sums
    make of the values not known: the cells they settle differently (the misread 100 or the 0
    beside it, which of the two the sums cannot tell) are unknown, at most MOST_UNSETTLED of them,
    the rest kept, doubted; else None."""
    for marks in (True, False):
        fits: list[tuple[tuple[V, ...], tuple[float | None, ...]]] = []
        for gone in (k for k, v in enumerate(values) if doubtful(v) and (v.kind != "num") == marks):
            rest = [v for k, v in enumerate(values) if k != gone]
            for m, v in enumerate(rest):
                if v.kind == "num" and doubtful(v):
                    masked = (*rest[:m], unknown, *rest[m + 1 :])
                    if _holds(masked, sums):
                        fits.append((masked, _settled(masked, sums)))
        if not fits:
            continue
        first, ref = fits[0]
        unsettled = {k for _, r in fits for k, (x, y) in enumerate(zip(ref, r)) if x != y}
        unsettled |= {k for row, _ in fits for k, v in enumerate(row) if v.value is None and ref[k] is None}
        if len(unsettled - {k for k, v in enumerate(first) if v.value is None}) > MOST_UNSETTLED:
            return None
        return tuple(unknown if k in unsettled else v for k, v in enumerate(first)), True
    return None


def _settled(values: Sequence[_Value], sums: Sequence[Sum]) -> tuple[float | None, ...]:
    """The row's values with each one not known that a sum balances filled in (None where none does)."""
    out = [v.value if v.kind == "num" else None for v in values]
    for total, parts in sums:
        missing = [k for k in (total, *parts) if out[k] is None]
        if len(missing) > 1 and out[total] is not None:
            if abs(float(out[total] or 0) - sum(float(out[k] or 0) for k in parts if out[k] is not None)) < 1e-6:
                for k in missing:
                    out[k] = 0.0  # parts not known under a total the known parts already reach
        elif len(missing) == 1:
            rest = sum(float(out[k] or 0) for k in parts if out[k] is not None)
            out[missing[0]] = rest if missing[0] == total else float(out[total] or 0) - rest
    return tuple(out)


def split_joined(values: Sequence[V], sums: Sequence[Sum], splits: Callable[[V], Sequence[tuple[V, V]]]
                 ) -> tuple[V, ...] | None:
    """A row read with one value too few because two cells' digits were read as one number (1 and
    9 as 19, the rule between them lost): the row with the one split of one number (`splits` gives
    a number's ways to part in two) under which every sum holds, at least one with every value
    known; None where no split, or more than one reading, fits."""
    if not sums:
        return None
    fits = [row for k, v in enumerate(values) for a, b in splits(v)
            if _holds(row := (*values[:k], a, b, *values[k + 1 :]), sums)]
    return fits[0] if fits and len({tuple(x.value for x in r) for r in fits}) == 1 else None


PITCH_SLACK = 0.25  # how far, in pitches, a gap between two values may be from a whole number of them


WIDE_BOX = 2.0  # a box wider than this many times the row's typical one holds more than its digit


def pitch_places(extents: Sequence[tuple[float, float]], n: int) -> tuple[int, ...] | None:
    """The columns (of n) of values read left to right, given their boxes' left and right edges,
    whose centres stand at one even pitch but for gaps of whole pitches inside the row: each such
    gap held cells not read. The pitch is the span from the first value's centre to the last's
    over n - 1, so a cell lost at either end (no gap to show it) makes the gaps add up to fewer
    columns, and the row gets None, as it does where a gap is not a whole number of pitches (within
    PITCH_SLACK), or where the row has too few values to show its pitch (the gaps of one pitch must
    outnumber the wide ones). A box far wider than the row's others (a mark read with its digit)
    may have its digit anywhere in it: each gap to or from it takes the one whole number of
    pitches its span of places admits, and where it admits two, None."""
    lost = n - len(extents)
    if lost < 1 or len(extents) <= 2 * lost + 1:
        return None
    widths = sorted(b - a for a, b in extents)
    typical = widths[len(widths) // 2]

    def span(a: float, b: float) -> tuple[float, float]:
        if b - a > WIDE_BOX * typical:
            return a + typical / 2, b - typical / 2
        return (a + b) / 2, (a + b) / 2

    spans = [span(a, b) for a, b in extents]
    pitch = (sum(spans[-1]) - sum(spans[0])) / 2 / (n - 1)
    if pitch <= 0:
        return None
    places = [0]
    for (lo0, hi0), (lo1, hi1) in pairwise(spans):
        near, far = (lo1 - hi0) / pitch - PITCH_SLACK, (hi1 - lo0) / pitch + PITCH_SLACK
        steps = list(range(max(1, math.ceil(near)), math.floor(far) + 1))
        if len(steps) != 1:
            return None
        places.append(places[-1] + steps[0])
    return tuple(places) if places[-1] == n - 1 else None


def fill_holes(values: Sequence[V], n: int, extent: Callable[[V], tuple[float, float] | None], sums: Sequence[Sum],
               unknown: V) -> tuple[V, ...] | None:
    """A row read short of its n values whose gaps show where its lost cells were (`pitch_places`
    of each value's `extent`, its box's left and right edges): the values in their columns and
    `unknown` in the rest, where every sum still admits them (each unknown the non-negative count
    that balances its sum, a sum read whole holding). None where the row has no sums to check the
    placing against, or the places or the sums say otherwise."""
    extents = [extent(v) for v in values]
    if not sums or any(e is None for e in extents):
        return None
    places = pitch_places([e for e in extents if e is not None], n)
    if places is None:
        return None
    row = [unknown] * n
    for k, v in zip(places, values):
        row[k] = v
    return tuple(row) if _holds(row, sums, whole=False) else None


def _compatible(a: Sequence[_Value], b: Sequence[_Value]) -> bool:
    return all(x.value is None or y.value is None or x.value == y.value for x, y in zip(a, b))


def _holds(values: Sequence[_Value], sums: Sequence[Sum], whole: bool = True) -> bool:
    """Whether every sum holds. A value not known (a mark read among the numbers: a misread digit
    as often as a stray) may stand in one place of a sum, as the count that balances it, when that
    is a whole number and not negative; a sum with two such places says nothing and fails, unless
    they are parts and the total's known parts reach it already (counts are never negative: each is
    0); and, where `whole`, at least one sum must hold with every value known, or settled so by its
    total (a row whose values' places are not in question may do without)."""
    known = False
    for total, parts in sums:
        nums = [values[k].value if values[k].kind == "num" else None for k in (total, *parts)]
        missing = [i for i, v in enumerate(nums) if v is None]
        if len(missing) > 1:
            # parts not known under a total that the known parts already reach: each is 0
            if nums[0] is None or abs(float(nums[0]) - sum(float(v or 0) for v in nums[1:])) > 1e-6:
                return False
            known = True  # the total, read, settles every part
            continue
        if not missing:
            if abs(float(nums[0] or 0) - sum(float(v or 0) for v in nums[1:])) > 1e-6:
                return False
            known = True
            continue
        rest = sum(float(v or 0) for i, v in enumerate(nums) if i and v is not None)
        balance = rest if missing[0] == 0 else float(nums[0] or 0) - rest
        if balance < 0 or abs(balance - round(balance)) > 1e-6:
            return False
    return known or not whole
