"""Mutation testing of the whole pipeline: mutants of a document's source, and what the pipeline
made of every cell a mutant changed.

A source row is mapped to template cells only where the gold proves it: the row's last cells, read
as numbers (blank where the gold says missing), equal the gold values of the template row its label
names (or of 表四's fifteen cells, a bare row). Then one operator edits that row in the source:

- change: one number changed;               swap: two different numbers of the row swapped;
- shift: the numbers moved one column right (the last one falls off);
- drop: one cell removed (the numbers after it move left);
- duplicate: the row printed again with other numbers, after it, and (another mutant) before it;
- glue: two neighbouring numbers printed as one (5 and 1 as 51);
- label_up: the row's label moved to a line of its own just above its numbers.

Every changed cell is then classified against the source's own gold (what the report means):
right (read as the gold value), missing (not read), warned (read wrong, and a check failed on its
table or on the cell: the scorer's rule), or silent (read wrong, nothing failed). A change or swap
whose printed numbers still satisfy every rule (any number of 表二, which has no rule) is one no
rule can see: its cells are counted apart as unprotected; so is a shift whose numbers, read one
column further right as printed (the first cell blank), still satisfy every rule. A dropped cell,
two glued numbers or a row printed twice are seen in the row itself, whatever the rules say. Cells the mutant did not touch but the
pipeline now reads wrong unwarned are counted as collateral.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from extractors.labels import match_label
from extractors.numbers import is_blank, parse_number
from extractors.template import Template, load_template
from flows.pipeline import process
from tests.goldcheck import flagged
from tests.mutation.sources import NewRow, Source, Spec, kind_of, load_source

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from gen_numbers import failing_rules  # the fixture generator's: rules the printed numbers break

OPERATORS = ("change", "swap", "shift", "drop", "duplicate", "glue", "label_up")
OUTCOMES = ("right", "missing", "warned", "silent")


@dataclass(frozen=True)
class Mapped:
    """A source row whose numbers are proven to be these template cells."""

    index: int  # row in Source.rows
    values: tuple[int, ...]  # positions of the value cells in the row
    cells: tuple[str, ...]  # their template cell ids
    label: int | None  # position of the label cell just before the values


@dataclass(frozen=True)
class Mutant:
    operator: str
    row: Mapped
    edit: Spec
    changed: tuple[str, ...]  # cell ids the mutation touched
    visible: bool  # False: the printed numbers still satisfy every rule (no rule can see it)


@dataclass
class Result:
    outcomes: Counter = field(default_factory=Counter)  # (operator, protected?, outcome) -> cells
    mutants: Counter = field(default_factory=Counter)  # operator -> mutants ingested
    collateral: Counter = field(default_factory=Counter)  # operator -> untouched cells read wrong, unwarned
    silent: list[str] = field(default_factory=list)  # "doc operator cell read/gold" of every silent cell

    def add(self, other: Result) -> None:
        self.outcomes.update(other.outcomes)
        self.mutants.update(other.mutants)
        self.collateral.update(other.collateral)
        self.silent.extend(other.silent)


def _widths(template: Template) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for t in template.tables:
        for r in (*t.rows, *t.variant_rows):
            cols = [c for rr, c in t.cells if rr == r.id] or list(t.cols)
            out[(t.id, r.id)] = [f"{t.id}.{r.id}.{c}" for c in cols]
    return out


def _agrees(texts: list[str], cells: list[str], gold: dict) -> bool:
    if not any(parse_number(t) is not None for t in texts):
        return False
    for text, cell in zip(texts, cells, strict=True):
        want = gold["cells"].get(cell)
        got = None if is_blank(text) else parse_number(text)
        if got is None and not is_blank(text):
            return False
        if (want is None) != (got is None) or (want is not None and abs(float(want) - got) > 1e-6):  # type: ignore[operator]
            return False
    return True


def map_rows(source: Source, gold: dict, template: Template) -> list[Mapped]:
    widths = _widths(template)
    review = [c for c in template.cell_ids() if c.startswith("review_litigation.")]
    out: list[Mapped] = []
    taken: set[str] = set()
    for i, row in enumerate(source.rows):
        end = len(row)
        while end and not row[end - 1].strip():
            end -= 1  # padding after the row's last number
        cands: list[tuple[list[str], int | None]] = []
        if end >= 15:
            cands.append((review, None))
        for n in sorted({len(w) for w in widths.values()}, reverse=True):
            k = end - n
            if k < 1 or parse_number(row[k - 1]) is not None or is_blank(row[k - 1]):
                continue
            m = match_label("".join(row[:k]), template)
            if m and len(widths[(m.table_id, m.row_id)]) == n:
                cands.append((widths[(m.table_id, m.row_id)], k - 1))
        for cells, label in cands:
            start = end - len(cells)
            if start < 0 or taken & set(cells) or not _agrees(row[start:end], cells, gold):
                continue
            out.append(Mapped(i, tuple(range(start, end)), tuple(cells), label))
            taken |= set(cells)
            break
    return out


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def mutants(source: Source, rows: list[Mapped], gold: dict, template: Template,
            operators: tuple[str, ...] = OPERATORS) -> Iterator[Mutant]:
    base = {k: float(v) for k, v in gold["cells"].items()}
    failing = failing_rules(base, template)

    def visible(new: dict[str, float], blank: tuple[str, ...] = ()) -> bool:
        printed = {k: v for k, v in {**base, **new}.items() if k not in blank}
        return bool(failing_rules(printed, template) - failing)

    for m in rows:
        row = source.rows[m.index]
        rng = random.Random(m.index)
        keep: NewRow = [(k, t) for k, t in enumerate(row)]
        nums = [j for j, p in enumerate(m.values) if parse_number(row[p]) is not None]
        n = len(m.values)

        def with_texts(texts: dict[int, str], keep: NewRow = keep) -> NewRow:
            return [(k, texts.get(k, t)) for k, t in keep]

        for op in operators:
            if op == "change" and nums:
                j = rng.choice(nums)
                v = parse_number(row[m.values[j]]) or 0.0
                new = v + rng.choice((1, 2, 3, 10))
                yield Mutant(op, m, [with_texts({m.values[j]: _fmt(new)})], (m.cells[j],),
                             visible({m.cells[j]: new}))
            elif op == "swap":
                pairs = [(a, b) for a, b in pairwise(nums)
                         if parse_number(row[m.values[a]]) != parse_number(row[m.values[b]])]
                if not pairs:
                    continue
                a, b = rng.choice(pairs)
                pa, pb = m.values[a], m.values[b]
                yield Mutant(op, m, [with_texts({pa: row[pb], pb: row[pa]})], (m.cells[a], m.cells[b]),
                             visible({m.cells[a]: base[m.cells[b]], m.cells[b]: base[m.cells[a]]}))
            elif op == "shift" and n >= 2:
                texts = {p: ("" if k == 0 else row[m.values[k - 1]]) for k, p in enumerate(m.values)}
                # read as printed, the row is a blank first cell and the numbers one column right:
                # where that breaks no rule (表二, or a row of zeros) no rule can see the shift
                moved = {m.cells[k]: base[m.cells[k - 1]] for k in range(1, n) if m.cells[k - 1] in base}
                blank = tuple(m.cells[k] for k in range(n) if k == 0 or m.cells[k - 1] not in base)
                yield Mutant(op, m, [with_texts(texts)], m.cells, visible(moved, blank))
            elif op == "drop" and n >= 2:
                j = n // 2
                yield Mutant(op, m, [[c for c in keep if c[0] != m.values[j]]], m.cells, True)
            elif op == "duplicate" and nums:
                texts = {m.values[j]: _fmt((parse_number(row[m.values[j]]) or 0) + 1 + j % 2) for j in nums}
                # printed again after the row, and before it (where reading the first copy is wrong)
                for edit in ([keep, with_texts(texts)], [with_texts(texts), keep]):
                    yield Mutant(op, m, edit, tuple(m.cells[j] for j in nums), True)
            elif op == "glue":
                pairs = [(a, b) for a, b in pairwise(nums) if b == a + 1]
                if not pairs:
                    continue
                a, b = rng.choice(pairs)
                pa, pb = m.values[a], m.values[b]
                glued = [(k, row[pa] + row[pb]) if k == pa else (k, t) for k, t in keep if k != pb]
                yield Mutant(op, m, [glued], m.cells, True)
            elif op == "label_up" and m.label is not None:
                above: NewRow = ([(m.label, row[m.label])] if source.kind == "text" else
                                 [(k, t if k == m.label else "") for k, t in keep])
                yield Mutant(op, m, [above, with_texts({m.label: ""})], m.cells, True)


def classify(mutant: Mutant, data: bytes, name: str, gold: dict, template: Template, kind: str) -> Result:
    p = process(data, name, template)
    res = Result()
    res.mutants[mutant.operator] += 1
    got = {f.cell_id: f.value for f in (p.report.facts if p.report else ()) if f.method != "inferred"}
    failed = {c.rule_id for c in p.checks if not c.passed}
    protected = "protected" if mutant.visible else "unprotected"
    for cell in mutant.changed:
        want = gold["cells"].get(cell)
        if cell not in got:
            outcome = "missing"
        elif want is not None and abs(got[cell] - float(want)) < 1e-6:
            outcome = "right"
        elif flagged(failed, cell):
            outcome = "warned"
        else:
            outcome = "silent"
            res.silent.append(f"{name} {kind} {mutant.operator} {protected} row {mutant.row.index}: "
                              f"{cell} read {got[cell]:g}, gold {want}")
        res.outcomes[(mutant.operator, protected, outcome)] += 1
    touched = set(mutant.changed)
    for cell, want in gold["cells"].items():
        if cell in touched or cell not in got or abs(got[cell] - float(want)) < 1e-6 or flagged(failed, cell):
            continue
        res.collateral[mutant.operator] += 1
        res.silent.append(f"{name} {kind} {mutant.operator} collateral row {mutant.row.index}: "
                          f"{cell} read {got[cell]:g}, gold {want}")
    for cell in got:
        if cell in gold["missing"] and cell not in touched:
            res.collateral[mutant.operator] += 1
            res.silent.append(f"{name} {kind} {mutant.operator} invented row {mutant.row.index}: {cell}")
    return res


def document_mutants(path: Path, gold: dict, template: Template, operators: tuple[str, ...] = OPERATORS,
                     sample: int | None = None, seed: int = 0) -> tuple[list[tuple[Mutant, bytes]], int]:
    """Every mutant of one document (of `sample` of its mapped rows) with its bytes, and how many of
    its rows were mapped to template cells."""
    source = load_source(path)
    rows = map_rows(source, gold, template)
    mapped = len(rows)
    if sample is not None and len(rows) > sample:
        # evenly spread over the document, so every table gives rows; `seed` moves the start
        step = len(rows) / sample
        start = random.Random(seed).random() * step
        rows = [rows[int(start + k * step)] for k in range(sample)]
    return [(m, source.render({m.row.index: m.edit})) for m in mutants(source, rows, gold, template, operators)], mapped


def run_document(path: Path, gold: dict, template: Template | None = None, operators: tuple[str, ...] = OPERATORS,
                 sample: int | None = None, seed: int = 0) -> tuple[str, Result, int]:
    """All mutants of one document (or of `sample` of its mapped rows), ingested in-process and
    classified: (source kind, result, rows mapped)."""
    template = template or load_template()
    kind = kind_of(path)
    made, mapped = document_mutants(path, gold, template, operators, sample, seed)
    res = Result()
    for mutant, data in made:
        res.add(classify(mutant, data, path.name, gold, template, kind))
    return kind, res, mapped
