"""Cells the source lacks but the template's arithmetic determines exactly.

A blank 总计 beside six printed numbers is their sum; a blank item beside a printed total and the
other items is the difference. Such a value is stored with method `inferred`, never as read, and
only where every other cell of the rule was read and the result is a non-negative whole number.
"""

from __future__ import annotations

from extractors.report import Fact
from extractors.template import Template


def _equations(template: Template, values: dict[str, float]) -> list[tuple[str, list[str]]]:
    """(total cell, part cells) for every sum rule of the template."""
    eqs: list[tuple[str, list[str]]] = []
    apps = template.table("applications")
    cols = list(apps.cols)
    rows = [r.id for r in apps.rows]
    outcome = rows[rows.index("granted") : rows.index("total_processed")]
    if any(f"applications.other_processing.{c}" in values for c in cols):
        outcome = [r for r in outcome if not r.startswith("other_")] + ["other_processing"]
        rows.append("other_processing")
    for r in rows:
        eqs.append((f"applications.{r}.total", [f"applications.{r}.{c}" for c in cols[:-1]]))
    for c in cols:
        eqs.append((f"applications.total_processed.{c}", [f"applications.{r}.{c}" for r in outcome]))
    rl = template.table("review_litigation")
    for row in rl.rows:
        eqs.append((f"review_litigation.{row.id}.total", [f"review_litigation.{row.id}.{c}" for c in rl.cols[:-1]]))
    return eqs


def infer_missing(facts: list[Fact], template: Template) -> list[Fact]:
    """Inferred facts for missing cells that one sum rule pins down (repeated until none is left)."""
    values = {f.cell_id: f.value for f in facts}
    inferred: list[Fact] = []
    changed = True
    while changed:
        changed = False
        for total, parts in _equations(template, values):
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
