"""The one placement of items in order into slots in order that scores clearly best.

Rows of numbers between two labelled rows keep the template's order but may be fewer than its rows
there (a row lost under a seal): each row is an item, each template row a slot, and a score says
how well what is left of a row's label fits a slot. A placement is taken only when it beats every
placement that puts any one item elsewhere by a margin, so that an item nothing pins (no label
left, two slots it fits as well) leaves the whole gap unplaced rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

NONE = -(10**9)  # an item that cannot go in a slot (its width differs)


def best_increasing(scores: Sequence[Sequence[int]], margin: int) -> list[int] | None:
    """`scores[i][j]`: item i in slot j. The slots of the items, ascending with the items, of the
    best total score, where every placement with an item elsewhere totals at least `margin` less;
    None where no placement is possible or none is clearly best."""
    n = len(scores)
    m = len(scores[0]) if n else 0
    if n == 0 or n > m:
        return None
    # before[i][j]: best total of items < i in slots < j; after[i][j]: of items > i in slots > j
    before = [[NONE] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        before[0][j] = 0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            take = before[i - 1][j - 1] + scores[i - 1][j - 1] if before[i - 1][j - 1] > NONE else NONE
            before[i][j] = max(before[i][j - 1], take if scores[i - 1][j - 1] > NONE else NONE)
    after = [[NONE] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        after[n][j] = 0
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = after[i + 1][j + 1] + scores[i][j] if after[i + 1][j + 1] > NONE and scores[i][j] > NONE else NONE
            after[i][j] = max(after[i][j + 1], take)

    def through(i: int, j: int) -> int:
        """The best total with item i in slot j."""
        if scores[i][j] <= NONE or before[i][j] <= NONE or after[i + 1][j + 1] <= NONE:
            return NONE
        return before[i][j] + scores[i][j] + after[i + 1][j + 1]

    best = after[0][0]
    if best <= NONE:
        return None
    slots: list[int] = []
    for i in range(n):
        at = [j for j in range(m) if through(i, j) == best and (not slots or j > slots[-1])]
        if len(at) != 1:
            return None
        others = max((through(i, j) for j in range(m) if j != at[0]), default=NONE)
        if others > NONE and best - others < margin:
            return None
        slots.append(at[0])
    return slots


def increasing(n: int, m: int, fits: Callable[[int, int], bool], most: int) -> list[tuple[int, ...]] | None:
    """Every placement of n items in order into m slots in order where each item fits its slot;
    None where there are more than `most` of them (too many to weigh one by one)."""
    out: list[tuple[int, ...]] = []

    def walk(i: int, start: int, slots: tuple[int, ...]) -> bool:
        if i == n:
            out.append(slots)
            return len(out) <= most
        return all(walk(i + 1, j + 1, (*slots, j)) for j in range(start, m - (n - i - 1)) if fits(i, j))

    return out if walk(0, 0, ()) else None
