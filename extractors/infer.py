"""Cells the source lacks but the template's arithmetic determines exactly.

A blank 总计 beside six printed numbers is their sum; a blank item beside a printed total and the
other items is the difference. Such a value is stored with method `inferred`, never as read, and
only where every other cell of the rule was read and the result is a non-negative whole number.
"""

from __future__ import annotations

from extractors.checks import sum_rules
from extractors.report import Fact
from extractors.template import Template


def infer_missing(facts: list[Fact], template: Template) -> list[Fact]:
    """Inferred facts for missing cells that one sum rule pins down (repeated until none is left)."""
    values = {f.cell_id: f.value for f in facts}
    inferred: list[Fact] = []
    changed = True
    while changed:
        changed = False
        for _, total, parts in sum_rules(template, values):
            cells = [total, *parts]
            absent = [c for c in cells if c not in values]
            if len(absent) != 1:
                continue
            (cell,) = absent
            s = sum(values[p] for p in parts if p in values)
            value = s if cell == total else values[total] - s
            if value < 0 or not float(value).is_integer():
                continue  # the printed numbers disagree: nothing to infer from them
            t, r, c = cell.split(".")
            fact = Fact(t, r, c, float(value), "inferred", "", None, None, None)
            values[cell] = value
            inferred.append(fact)
            changed = True
    return inferred
