"""What the template's arithmetic says about single read cells, after reconciliation placed them.

- `correct_ocr`: an OCR reading doubted for its low confidence is replaced by the value the rules
  force on it, method `ocr_corrected` (raw text kept), only where every rule on the cell whose other
  cells were all read implies one and the same value, and at least one of those rules rests on
  cells read with confidence and not doubted; or, counts being never negative, where a rule's
  other side was read surely as 0 (every part of a total of 0 is 0). Anything less leaves the
  reading doubted.
- `read_marks`: a cell read as a mark, no number, takes the value the rules force on it, by the
  same standard, method `ocr_corrected` with the mark kept.
- `annotate`: every fact records which of its rules were evaluable (all their cells read); a cell
  read from an image that takes part in rules none of which could be evaluated is doubted: nothing
  but the OCR itself vouches for its value or its row (a phone photo's numbers read into the wrong
  rows pass when every rule touching them lacks a cell), unless its row's printed total equals
  the numbers read beside it (the blank cells of the row hold nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace

from extractors.report import Fact
from extractors.rules import RuleInstance, evaluated, instances, rules_of
from extractors.template import Template

OCR_DOUBT_PREFIX = "OCR confidence"


def ocr_doubt(confidence: float, text: str) -> str:
    """Why a reading the recogniser was unsure of is doubted (what `correct_ocr` may correct)."""
    return f"{OCR_DOUBT_PREFIX} {confidence:.2f} for {text!r}"


def _read(facts: list[Fact]) -> dict[str, Fact]:
    return {f.cell_id: f for f in facts if f.method != "inferred"}


def _trusted(read: dict[str, Fact], doubted: Collection[str], confident: float) -> Callable[[str], bool]:
    """Whether a read cell may anchor a rule: not doubted, and not read below `confident`."""
    def trusted(cell: str) -> bool:
        f = read[cell]
        return cell not in doubted and (f.confidence is None or f.confidence >= confident)
    return trusted


def correct_ocr(facts: list[Fact], doubts: list[tuple[str, str]], template: Template,
                confident: float) -> tuple[list[Fact], list[tuple[str, str]]]:
    read = _read(facts)
    rules = instances(template, set(read))
    doubted: dict[str, list[str]] = {}
    for cell, why in doubts:
        doubted.setdefault(cell, []).append(why)
    trusted = _trusted(read, doubted, confident)
    values = {c: f.value for c, f in read.items()}
    fixed: dict[str, float] = {}
    for cell, whys in doubted.items():
        f = read.get(cell)
        # only a reading doubted for its OCR confidence alone: a cell doubted for its placement
        # (printed twice, ambiguous alignment) is not the rules' to settle
        if f is None or f.method != "ocr" or not all(w.startswith(OCR_DOUBT_PREFIX) for w in whys):
            continue
        value = _settled(cell, rules_of(cell, rules), values, trusted)
        if value is not None:
            fixed[cell] = value
    if not fixed:
        return facts, doubts
    out = [replace(f, value=fixed[f.cell_id], method="ocr_corrected" if fixed[f.cell_id] != f.value else f.method)
           if f.cell_id in fixed and f.method != "inferred" else f for f in facts]
    return out, [(c, w) for c, w in doubts if c not in fixed]


def read_marks(facts: list[Fact], doubts: list[tuple[str, str]], marks: Sequence[Fact], template: Template,
               confident: float) -> list[Fact]:
    """Cells read from an image as a mark and no number (a 0 under a seal's lettering read as d or
    Ie) that hold no fact: each takes the value the rules force on it, as `correct_ocr` corrects an
    unsure number (every evaluable rule agreeing, one resting on cells read surely; or a total read
    surely as 0), method `ocr_corrected` with the mark kept as what was read. A mark in a cell
    whose value the rules do not force stays unread (a blank the rules may still infer)."""
    read = _read(facts)
    rules = instances(template, set(read) | {m.cell_id for m in marks})
    trusted = _trusted(read, {c for c, _ in doubts}, confident)
    values = {c: f.value for c, f in read.items()}
    out = []
    for m in marks:
        if m.cell_id in read:
            continue
        value = _settled(m.cell_id, rules_of(m.cell_id, rules), values, trusted)
        if value is not None:
            out.append(replace(m, value=value, method="ocr_corrected"))
    return out


def _forced(cell: str, rules: list[RuleInstance], values: dict[str, float],
            trusted: Callable[[str], bool]) -> float | None:
    implied: set[float] = set()
    anchored = False
    for r in rules:
        v = r.implied(cell, values)
        if v is None:
            continue
        implied.add(round(v, 6))
        anchored |= all(trusted(c) for c in r.cells if c != cell)
    if len(implied) != 1 or not anchored:
        return None
    (v,) = implied
    return v if v >= 0 and float(v).is_integer() else None


def _settled(cell: str, rules: list[RuleInstance], values: dict[str, float],
             trusted: Callable[[str], bool]) -> float | None:
    """The value the rules force on `cell` (`_forced`), else 0 where a rule's other side, read
    surely, leaves it nothing (`_most`); None where they leave it open."""
    value = _forced(cell, rules, values, trusted)
    if value is None and any(_most(cell, r, values, trusted) == 0 for r in rules):
        return 0.0
    return value


def _most(cell: str, rule: RuleInstance, values: dict[str, float], trusted: Callable[[str], bool]) -> float | None:
    """The most `cell` can hold under `rule`, counts being never negative: the cells on the other
    side of its equation, every one read and trusted, less the trusted cells on its own side (its
    cells not read hold at least nothing). A total read surely as 0 leaves each of its parts 0,
    whatever else of the row was lost (a seal's 4 in a row totalling 0). None where a cell on the
    other side was not read or not trusted."""
    mine = dict(rule.terms)[cell]
    other = [(c, k) for c, k in rule.terms if (k > 0) != (mine > 0)]
    if not other or not all(c in values and trusted(c) for c, _ in other):
        return None
    same = sum(abs(k) * values[c] for c, k in rule.terms
               if c != cell and (k > 0) == (mine > 0) and c in values and trusted(c))
    return (sum(abs(k) * values[c] for c, k in other) - same) / abs(mine)


def annotate(facts: list[Fact], template: Template) -> tuple[list[Fact], list[tuple[str, str]]]:
    """Facts with `rules_evaluated` filled in, and a doubt for each image-read cell none of whose
    rules could be evaluated."""
    read = _read(facts)
    rules = instances(template, set(read))
    out: list[Fact] = []
    doubts: list[tuple[str, str]] = []
    for f in facts:
        if f.method == "inferred":
            out.append(f)
            continue
        mine = rules_of(f.cell_id, rules)
        ev = evaluated(f.cell_id, rules, read)
        out.append(replace(f, rules_evaluated=ev))
        if f.method in ("ocr", "ocr_corrected") and mine and not ev and not _row_total_confirms(mine, read):
            doubts.append((f.cell_id, ("read from an image and no rule on it could be evaluated "
                           f"({', '.join(dict.fromkeys(r.rule_id for r in mine))} lack cells)")))
    return out, doubts


def _row_total_confirms(rules: list[RuleInstance], read: dict[str, Fact]) -> bool:
    """The cell's row prints its total, and the numbers read beside it already add up to it: the
    cells left blank hold nothing, so the row as read is whole."""
    for r in rules:
        if not r.rule_id.endswith(".row_total"):
            continue
        total = next(c for c, k in r.terms if k > 0)
        if total in read and abs(sum(read[c].value for c, k in r.terms if k < 0 and c in read)
                                 - read[total].value) < 1e-6:
            return True
    return False
