"""The template's arithmetic as linear equations over cells, for questions about single cells: which
rules protect a cell, which of them the read cells let us evaluate, and what value a rule implies
for one cell when all its other cells are known.

Every rule instance is `sum(coef * value) == 0` over its cells: a total is +1 and its parts -1;
表三's balance (新收 + 上年结转 = 办理结果总计 + 结转下年度) is +1 on the left and -1 on the right.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from extractors.checks import sum_rules
from extractors.template import Template


@dataclass(frozen=True)
class RuleInstance:
    rule_id: str
    terms: tuple[tuple[str, int], ...]  # (cell id, coefficient)

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.terms)

    def implied(self, cell: str, values: Mapping[str, float]) -> float | None:
        """The value the rule forces on `cell` given the others' values, None if one is absent."""
        coef = dict(self.terms)[cell]
        rest = 0.0
        for c, k in self.terms:
            if c == cell:
                continue
            if c not in values:
                return None
            rest += k * values[c]
        return -rest / coef


def instances(template: Template, present: set[str]) -> list[RuleInstance]:
    """Every rule instance of the template; `present` (the cells a report holds) decides whether
    （六）其他处理 printed as one row stands for its three sub-rows, as in checks.sum_rules."""
    out = [RuleInstance(rule_id, ((total, 1), *((p, -1) for p in parts)))
           for rule_id, total, parts in sum_rules(template, present)]
    for c in template.table("applications").cols:
        out.append(RuleInstance("applications.balance", (
            (f"applications.new_received.{c}", 1), (f"applications.carried_over.{c}", 1),
            (f"applications.total_processed.{c}", -1), (f"applications.carried_forward.{c}", -1))))
    return out


def rules_of(cell: str, rules: list[RuleInstance]) -> list[RuleInstance]:
    return [r for r in rules if cell in r.cells]


def evaluated(cell: str, rules: list[RuleInstance], read: Collection[str]) -> tuple[str, ...]:
    """Ids of the rules on `cell` whose every cell was read (so a check evaluated them), in order."""
    ids: list[str] = []
    for r in rules_of(cell, rules):
        if all(c in read for c in r.cells) and r.rule_id not in ids:
            ids.append(r.rule_id)
    return tuple(ids)


def protection(template: Template) -> dict[str, tuple[str, ...]]:
    """Each template cell's protecting rule ids (none for 表二's cells: the template ties them by no
    arithmetic, so a wrong number there can only be caught by reading, never by a rule)."""
    standard = set(template.cell_ids())
    apps = template.table("applications")
    variant = {f"applications.{r.id}.{c}" for r in apps.variant_rows for c in apps.cols}
    # the rules of a report printing the template's rows, and of one printing （六）其他处理 as one row
    rules = instances(template, standard) + instances(template, standard | variant)
    return {cell: tuple(dict.fromkeys(r.rule_id for r in rules_of(cell, rules)))
            for cell in (*template.cell_ids(), *sorted(variant))}


def across_rows(values: Mapping[str, float], rows: Sequence[Collection[str]],
                template: Template) -> tuple[bool, set[int]]:
    """The rules tying the given rows' cells to cells of other rows (a row's own total left out: it
    holds wherever the row is placed), over `values`: whether one of them fails (where the values
    let us evaluate it, or where its read parts already exceed its read total: `_exceeded`), and
    which of the rows take part in one that holds."""
    rules = instances(template, set(values))
    broken, held = False, set()
    for r in rules:
        mine = [k for k, cells in enumerate(rows) if any(c in cells for c in r.cells)]
        if not mine or any(all(c in rows[k] for c in r.cells) for k in mine):
            continue
        if not all(c in values for c in r.cells):
            broken |= _exceeded(r, values)
            continue
        if abs(sum(k * values[c] for c, k in r.terms)) > 1e-6:
            broken = True
        else:
            held.update(mine)
    return broken, held


def _exceeded(rule: RuleInstance, values: Mapping[str, float]) -> bool:
    """Counts are never negative: where one side of a rule is read whole, the other side's read
    cells alone may not exceed it (a 总计 of 0 under outcome rows summing to 1, whatever the rows
    not read hold)."""
    for sign in (1, -1):
        whole = [(c, k) for c, k in rule.terms if k * sign > 0]
        part = [(c, k) for c, k in rule.terms if k * sign < 0 and c in values]
        if all(c in values for c, _ in whole) and sum(-k * sign * values[c] for c, k in part) > sum(
                k * sign * values[c] for c, k in whole) + 1e-6:
            return True
    return False
