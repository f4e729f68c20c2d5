"""Rows whose cells' digits were run together, split back by the template's own arithmetic.

Text exported from a portal page sometimes loses every cell boundary of a table:
`一、本年新收政府信息公开申请数量21710000218` is the seven cells 2 17 1 0 0 0 0... of one row, or
`5.属于三类内部事务信息3200000326.属于四类过程性信息` two rows and the next row's numbering. A run of
digits has many splits; the rules of the template (each row's 总计, 勾稽关系 per column, the outcome
total per column) usually leave one. A row is split only where every split of every run that all
the rules allow together gives that row the same cells; otherwise its cells stay missing and the
reason is kept. Split cells carry method `split`.

表二 has no rules: its glued digits are split only where a single split exists at all (规章000, or
a one-cell row); otherwise they stay missing with the reason. This module knows the
template, not formats: it reads the reconciled lines' text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from extractors.checks import BALANCE, sum_rules
from extractors.labels import label_key, match_label
from extractors.model import BBox
from extractors.numbers import parse_number
from extractors.report import Fact
from extractors.template import Template

METHOD = "split"
_MAX_DIGITS = 7  # a count of one cell: more digits than this is not one number of these tables
_MAX_STATES = 200_000  # search states per row of the joint search before giving up on it
_UNIT_AFTER = re.compile(r"^\s*[件条项个人次年月日余多%％]")
_NUMBERING = re.compile(r"^(\d{1,2})[.、．]")
_RULE_TABLES = ("applications", "review_litigation")

Values = tuple[int, ...]


class Printed(NamedTuple):
    """One line of a document as printed (its cells' texts joined by spaces)."""

    text: str
    page: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None  # the least OCR confidence among its cells; None: a text layer's


@dataclass(frozen=True)
class GluedRun:
    """One run of digits standing for the cells of one or more template rows."""

    table_id: str
    rows: tuple[str, ...]
    digits: str
    page: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None  # the OCR confidence of the line it was read from


@dataclass(frozen=True)
class Unsplit:
    table_id: str
    rows: tuple[str, ...]
    digits: str
    why: str

    def __str__(self) -> str:
        return f"{self.table_id}.{'+'.join(self.rows)}: {self.digits} {self.why}"


# ---------------------------------------------------------------------------------------------
# finding runs


_RUN = re.compile(r"\d[\d.+\-]*")


def find_runs(lines: list[Printed], template: Template) -> list[GluedRun]:
    """Runs of digits glued to a template row's label (or, for 表四, to its header) in line texts."""
    runs: list[GluedRun] = []
    label_line = ""  # the last line without digits: the label of a run printed on its own line
    for text, page, bbox, confidence in lines:
        matches = list(_RUN.finditer(text))
        if not matches:
            label_line = text
            continue
        for k, m in enumerate(matches):
            run = m.group(0).rstrip(".+-")  # a trailing dot is the next label's numbering (6.属于…)
            before = text[matches[k - 1].end() if k else 0 : m.start()]
            if k == 0 and not before.strip():
                before = label_line
            after = text[m.start() + len(run):]
            # glued: the label's only number, with text (or the line's end) after it; numbers
            # separated by spaces are not glued and are read as such
            gap = text[m.start() + len(run) : matches[k + 1].start()] if k + 1 < len(matches) else "end"
            touching = not before[-1:].isspace()
            if _UNIT_AFTER.match(after) or not before.strip() or not gap.strip() or (len(run) < 2 and not touching):
                continue  # (a lone digit set apart from its label is no run of several cells)
            rows = _rows_named(before, template)
            if rows is None:
                continue
            table_id, row_ids = rows
            run = _without_numbering(run, after if gap == "end" else gap, template)
            width = len(template.table(table_id).row_cols(row_ids[0]))
            # a one-cell row's number is glued only when it touches its label (行政许可17773); set
            # apart (行政许可 7) it is a number as printed, read (or left) by the usual reading
            if run and (len(run) >= width * len(row_ids) if width > 1 else touching):
                runs.append(GluedRun(table_id, row_ids, run, page, bbox, confidence))
        label_line = ""
    return runs


def _rows_named(label: str, template: Template) -> tuple[str, tuple[str, ...]] | None:
    key = label_key(label)
    if "尚未审结" in key and key.endswith("总计"):
        # 表四's header ending in 总计, then its one data row: every row of the table in order
        t = template.table("review_litigation")
        return t.id, tuple(r.id for r in t.rows)
    m = match_label(label, template)
    if m is None:
        return None
    return m.table_id, (m.row_id,)


def _without_numbering(digits: str, after: str, template: Template) -> str:
    """A run followed by `.属于四类过程性信息` (the text up to the next digits) ends with that row's
    numbering (6): drop it."""
    if not re.match(r"^[.、．]", after):
        return digits
    m = match_label(after, template)
    label = next((r.label for t in template.tables for r in (*t.rows, *t.variant_rows)
                  if m and t.id == m.table_id and r.id == m.row_id), "")
    n = _NUMBERING.match(label)
    numbering = n.group(1) if n else digits[-1]
    return digits.removesuffix(numbering)


# ---------------------------------------------------------------------------------------------
# splitting


def _row_rule(template: Template, table_id: str) -> tuple[int | None, tuple[int, ...]]:
    """A table's row-total rule as (total column index, part column indices); None where it has none."""
    cols = template.table(table_id).cols
    for rule_id, total, parts in sum_rules(template, set()):
        if rule_id == f"{table_id}.row_total":
            return cols.index(total.split(".")[2]), tuple(cols.index(p.split(".")[2]) for p in parts)
    return None, ()


def _splits(digits: str, n: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut the digits into n numbers, none with a leading zero."""
    if n == 1:
        if len(digits) <= _MAX_DIGITS and (digits == "0" or not digits.startswith("0")):
            yield (int(digits),)
        return
    first_max = 1 if digits.startswith("0") else _MAX_DIGITS
    for k in range(1, min(first_max, len(digits) - n + 1) + 1):
        for rest in _splits(digits[k:], n - 1):
            yield (int(digits[:k]), *rest)


def candidates(run: GluedRun, template: Template) -> list[tuple[Values, ...]]:
    """The splits of a run into its rows' cells (no number with a leading zero) that satisfy each
    row's own total where the table has one."""
    total, parts = _row_rule(template, run.table_id)
    n = len(template.table(run.table_id).row_cols(run.rows[0]))
    if not run.digits.isdigit() or len(run.digits) > _MAX_DIGITS * n * len(run.rows):
        return []
    out = []
    for flat in _splits(run.digits, n * len(run.rows)):
        rows = tuple(flat[i * n : (i + 1) * n] for i in range(len(run.rows)))
        if total is None or all(r[total] == sum(r[p] for p in parts) for r in rows):
            out.append(rows)
    return out


def _equations(template: Template, present: set[str]) -> list[dict[str, int]]:
    """Column-wise equations between whole rows of 表三: 勾稽关系 and the outcome total (over
    （六）其他处理's one row where the report prints that row)."""
    left, right = BALANCE
    eqs = [{**dict.fromkeys(left, 1), **dict.fromkeys(right, -1)}]
    cells = {f"applications.{r}.total" for r in present}
    for rule_id, total, parts in sum_rules(template, cells):
        if rule_id == "applications.outcome_total":
            eqs.append({**{p.split(".")[1]: 1 for p in parts}, total.split(".")[1]: -1})
            break
    return eqs


def split_glued(lines: list[Printed], template: Template, facts: list[Fact],
                ) -> tuple[list[Fact], list[Unsplit]]:
    """Split facts for the glued rows of a document whose rows were not read otherwise."""
    read = {(f.table_id, f.row_id) for f in facts}
    runs = [r for r in find_runs(lines, template) if not any((r.table_id, row) in read for row in r.rows)]
    if not runs:
        return [], []
    fixed: dict[str, dict[str, float]] = {}
    for f in facts:
        if f.table_id == "applications":
            fixed.setdefault(f.row_id, {})[f.col_id] = f.value
    return solve(runs, fixed, template)


def solve(runs: list[GluedRun], fixed: dict[str, dict[str, float]], template: Template,
          ) -> tuple[list[Fact], list[Unsplit]]:
    """Split facts for the runs that all the rules split one way only, and why the others are not.
    `fixed`: row id -> {col: value} of 表三 rows read as printed."""
    facts: list[Fact] = []
    unsplit: list[Unsplit] = []
    units: list[tuple[GluedRun, list[tuple[Values, ...]]]] = []
    for run in runs:
        cols = template.table(run.table_id).row_cols(run.rows[0])
        if len(cols) == 1 and len(run.rows) == 1:
            # one cell: nothing to split (行政许可17773, 行政事业性收费8294.59)
            value = parse_number(run.digits)
            if value is not None:
                facts.append(Fact(run.table_id, run.rows[0], cols[0], value, METHOD, run.digits, run.page, run.bbox,
                                   run.confidence))
                continue
        cands = candidates(run, template)
        if not cands:
            why = ("not split: signs or decimal points inside" if not run.digits.isdigit() else
                   "not split: no split gives the row its 总计" if run.table_id in _RULE_TABLES else
                   "not split: too few digits")
            unsplit.append(Unsplit(run.table_id, run.rows, run.digits, why))
            continue
        if run.table_id not in _RULE_TABLES and len(cands) > 1:
            unsplit.append(Unsplit(run.table_id, run.rows, run.digits,
                                   f"not split: this table has no rules and {len(cands)} splits are possible"))
            continue
        units.append((run, cands))
    feasible = _joint([(r, c) for r, c in units if r.table_id == "applications"], fixed, template)
    for run, cands in units:
        ok = feasible.get(id(run), cands) if run.table_id == "applications" else cands
        if len(ok) != 1:
            why = ("not split: no split agrees with the other rows' rules" if not ok else
                   f"not split: {len(ok)} splits satisfy the rules")
            unsplit.append(Unsplit(run.table_id, run.rows, run.digits, why))
            continue
        cols = template.table(run.table_id).row_cols(run.rows[0])
        for row_id, values in zip(run.rows, ok[0]):
            facts += [Fact(run.table_id, row_id, c, float(v), METHOD, run.digits, run.page, run.bbox, run.confidence)
                      for c, v in zip(cols, values)]
    return facts, unsplit


def _joint(units: list[tuple[GluedRun, list[tuple[Values, ...]]]], fixed: dict[str, dict[str, float]],
           template: Template) -> dict[int, list[tuple[Values, ...]]]:
    """Per run, the candidates that some assignment of all runs satisfying every usable equation
    uses (a dynamic programme over rows with the equations' partial column sums as state)."""
    cols = template.table("applications").cols
    glued = {row: (id(run), k) for run, _ in units for k, row in enumerate(run.rows)}
    known = {r: tuple(int(v[c]) for c in cols) for r, v in fixed.items() if all(c in v for c in cols)}
    eqs = [e for e in _equations(template, set(glued) | set(known)) if all(r in glued or r in known for r in e)]
    if not eqs:
        return {}
    width = len(cols)

    def contrib(rows: tuple[str, ...], cand: tuple[Values, ...]) -> tuple[int, ...]:
        out = [0] * (width * len(eqs))
        for row, values in zip(rows, cand):
            for e, eq in enumerate(eqs):
                coef = eq.get(row, 0)
                for j, v in enumerate(values if coef else ()):
                    out[e * width + j] += coef * v
        return tuple(out)

    # one step per glued run, plus one for all rows read as printed (a single candidate); each
    # candidate with what it adds to the equations' column sums
    steps: list[tuple[int | None, list[tuple[tuple[Values, ...], tuple[int, ...]]]]] = [
        (None, [((), contrib(tuple(known), tuple(known.values())))])]
    steps += [(id(run), [(c, contrib(run.rows, c)) for c in cands]) for run, cands in units]

    def add(s: tuple[int, ...], d: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(a + b for a, b in zip(s, d))

    zero = (0,) * (width * len(eqs))
    forward: list[set[tuple[int, ...]]] = [{zero}]
    for _, cands in steps:
        deltas = {d for _, d in cands}
        nxt = {add(s, d) for s in forward[-1] for d in deltas}
        if len(nxt) > _MAX_STATES:
            return {id(run): [] if len(c) > 1 else c for run, c in units}
        forward.append(nxt)
    back = {zero} & forward[-1]
    out: dict[int, list[tuple[Values, ...]]] = {}
    for i in range(len(steps) - 1, -1, -1):
        key, cands = steps[i]
        reach = {d: {s for s in forward[i] if add(s, d) in back} for d in {d for _, d in cands}}
        if key is not None:
            out[key] = [c for c, d in cands if reach[d]]
        back = set().union(*reach.values())
    return out
