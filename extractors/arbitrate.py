"""Two readings of the same tables, held against each other cell by cell and judged by the rules.

An extractor may read a table two ways (model.Table.alternative): a ruled table on a scan is read
between its ruling lines, and the same recognitions are laid out as words, rules ignored
(ocr/grid_words.py). A rule the page lost or gained moves numbers between cells of the first
reading and not of the second; a row the word layout misjudges does the reverse. Neither reading is
right by kind, so reconciliation reads the document both ways (`second_reading`: rows are matched
to the template by their labels and order in each, as always) and hands both sets of facts here.

What a reading says of a cell: its number; blank where it read the cell's row but no number in the
cell (a blank adds nothing to a sum, so the rules see 0); nothing where it did not read the row.

- where the readings agree, or the second says nothing, the first stands unchanged;
- a reading is *confirmed* on a cell where at least one rule on the cell (its row's total, its
  column's total, 表三's balance) can be evaluated and every such rule holds, the other cells as
  the reading has them, and those of rows it did not read as the other reading has them (a grid
  that lost 新收's row is judged with the words' 新收, else the balance could never speak);
- the second reading is taken where it is the only one of the two confirmed (its number, or its
  blank, which takes the first reading's number away); the first stays, undoubted, where it alone is;
- otherwise (both confirmed: a change that keeps every sum; or neither) the first reading is kept
  and the cell doubted, the doubt naming both readings. A number only the second reading has is
  loaded where the rules confirm it, and doubted where no rule on it can be evaluated (表二's cells,
  which no rule ties); one the rules refute is not loaded.

A taken reading keeps its own provenance (page, box, raw text, confidence, `layout`) and its own
doubts; nothing here knows where either reading came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Literal

from extractors.model import Block, Document, Table
from extractors.report import Fact
from extractors.rules import RuleInstance, instances, rules_of
from extractors.template import Template

Standing = Literal["confirmed", "refuted", "open", "absent"]
_EPS = 1e-6


def second_reading(doc: Document) -> Document | None:
    """The document with every table that carries a second reading replaced by it; None where no
    table does (then there is nothing to compare)."""
    if not any(isinstance(b, Table) and b.alternative for b in doc.blocks):
        return None
    blocks: list[Block] = []
    for b in doc.blocks:
        blocks.extend(b.alternative if isinstance(b, Table) and b.alternative else (b,))
    return replace(doc, blocks=tuple(blocks))


def standing(cell: str, rules: list[RuleInstance], values: Mapping[str, float]) -> Standing:
    """What the rules on `cell` say of one reading (`values`: its cells, the cell among them)."""
    if cell not in values:
        return "absent"
    verdicts = []
    for r in rules:
        if all(c in values for c in r.cells):
            verdicts.append(abs(sum(k * values[c] for c, k in r.terms)) < _EPS)
    if not verdicts:
        return "open"
    return "confirmed" if all(verdicts) else "refuted"


class _Reading:
    """One reading's cells, and what it says of a cell it has no number for: where it read the
    cell's row, the cell is blank there (it adds nothing to a sum: 0 to the rules); where it read
    nothing of the row, it says nothing of the cell."""

    def __init__(self, facts: list[Fact]) -> None:
        self.facts = {f.cell_id: f for f in facts}
        self.values = {c: f.value for c, f in self.facts.items()}
        self.rows = {(f.table_id, f.row_id) for f in facts}

    def blank(self, cell: str) -> bool:
        t, r, _ = cell.split(".")
        return cell not in self.facts and (t, r) in self.rows

    def says(self, cell: str) -> float | None:
        """The cell's number, 0.0 for a blank, None where the reading says nothing of it."""
        return self.values[cell] if cell in self.values else 0.0 if self.blank(cell) else None

    def standing(self, cell: str, rules: list[RuleInstance], other: _Reading) -> Standing:
        """What the rules say of this reading of `cell`, its own cells around it; the cells of rows it
        did not read (a row a missed rule cost it) as the other reading has them."""
        v = self.says(cell)
        if v is None:
            return "absent"
        lent = {c: x for c, x in other.values.items() if tuple(c.split(".")[:2]) not in self.rows}
        return standing(cell, rules, {**lent, **self.values, cell: v})

    def describe(self, cell: str) -> str:
        f = self.facts.get(cell)
        if f is None:
            return "blank"
        where = [f.layout or f.method]
        if f.page is not None:
            where.append(f"page {f.page}")
        if f.confidence is not None:
            where.append(f"confidence {f.confidence:.2f}")
        return f"{f.raw_text or f'{f.value:g}'} ({', '.join(where)})"


def arbitrate(first: list[Fact], first_doubts: list[tuple[str, str]], second: list[Fact],
              second_doubts: list[tuple[str, str]], template: Template) -> tuple[list[Fact], list[tuple[str, str]]]:
    """The facts and doubts of the first reading, with the second's taken on the cells where the
    rules confirm it alone, and a doubt on each cell of the first reading the two read differently
    that the rules do not settle (see the module's docstring)."""
    a, b = _Reading(first), _Reading(second)
    disputed = []
    for cell in dict.fromkeys([*a.facts, *b.facts]):
        va, vb = a.says(cell), b.says(cell)
        if vb is None:
            continue  # the second reading did not read the cell's row: it says nothing against the first
        # a row only the second reading has; a number against another, or against a blank
        if va is None or abs(va - vb) > _EPS or a.blank(cell) != b.blank(cell):
            disputed.append(cell)
    if not disputed:
        return first, first_doubts
    rules = instances(template, set(a.facts) | set(b.facts))
    taken: set[str] = set()
    doubts: list[tuple[str, str]] = []
    for cell in disputed:
        mine = rules_of(cell, rules)
        sa, sb = a.standing(cell, mine, b), b.standing(cell, mine, a)
        if sb == "confirmed" and sa != "confirmed":
            taken.add(cell)
        elif cell in a.facts and (sa == "confirmed") == (sb == "confirmed"):
            why = "the rules on it hold with both" if sa == "confirmed" else "the rules on it confirm neither"
            doubts.append((cell, f"read two ways: {a.describe(cell)} kept, {b.describe(cell)}; {why}"))
        elif cell not in a.facts and cell in b.facts and sb == "open" and sa != "confirmed":
            # a number the first reading lost (its row, or the cell) and no rule can judge: loaded, doubted
            taken.add(cell)
            first_said = "the row not read" if sa == "absent" else "blank"
            why = f"read two ways: {b.describe(cell)}, {first_said} by the other reading; no rule on it can be evaluated"
            doubts.append((cell, why))
    # a taken blank takes the first reading's number away
    facts = [b.facts[f.cell_id] if f.cell_id in taken else f for f in first
             if f.cell_id not in taken or f.cell_id in b.facts]
    facts += [b.facts[c] for c in disputed if c in taken and c in b.facts and c not in a.facts]
    kept = [(c, why) for c, why in first_doubts if c not in taken]
    return facts, kept + [(c, why) for c, why in second_doubts if c in taken] + doubts
