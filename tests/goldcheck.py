"""Comparing a Report with gold facts in the format of ../shared/gold/seeds.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractors.report import Report
from flows.pipeline import Processed

SHARED = Path(__file__).resolve().parents[2] / "shared"


@dataclass(frozen=True)
class Score:
    recall: float
    wrong: dict[str, tuple[float, float]]  # cell id -> (read, gold)
    invented: list[str]
    absent: list[str]


def assert_cells(report: Report, gold: dict) -> None:
    """A fixture's report holds at least 99.5% of its gold cells, no cell with another value, and
    nothing where the source prints none."""
    got = report.values()
    right = sum(1 for k, v in gold["cells"].items() if got.get(k) == v)
    assert right >= 0.995 * len(gold["cells"]), sorted(set(gold["cells"]) - set(got))
    assert not [k for k, v in gold["cells"].items() if k in got and got[k] != v]
    assert not set(got) & set(gold["missing"])


def load_gold(path: Path) -> dict[str, dict]:
    g = json.loads(path.read_text("utf-8"))
    return g.get("documents", g)


def score(report: Report, gold: dict) -> Score:
    got = report.values()
    cells = gold["cells"]
    right = sum(1 for k, v in cells.items() if k in got and abs(got[k] - float(v)) < 1e-6)
    wrong = {k: (got[k], float(v)) for k, v in cells.items() if k in got and abs(got[k] - float(v)) >= 1e-6}
    invented = [k for k in got if k in set(gold["missing"])]
    absent = [k for k in cells if k not in got]
    return Score(right / len(cells) if cells else 1.0, wrong, invented, absent)


def flagged(failed_rules: set[str], cell_id: str) -> bool:
    """A wrong cell is warned about by a failed check on its own table or on the cell itself, as
    ../shared/tools/score.py counts it; missing_cells warns about no wrong value."""
    table = cell_id.split(".")[0]
    return any(r == cell_id or r.startswith(table + ".") for r in failed_rules if r != "missing_cells")


@dataclass(frozen=True)
class Tally:
    """One document scored the way ../shared/tools/score.py scores a warehouse."""

    cells: int
    right: int
    read: int
    silent_wrong: list[str]
    invented: list[str]
    meta_ok: int  # agency and year, 0..2


def tally(processed: Processed, gold: dict) -> Tally:
    report = processed.report
    failed = {c.rule_id for c in processed.checks if not c.passed}
    got = report.values() if report else {}
    right = [k for k, v in gold["cells"].items() if k in got and abs(got[k] - float(v)) < 1e-6]
    wrong = [k for k, v in gold["cells"].items() if k in got and abs(got[k] - float(v)) >= 1e-6]
    meta = 0
    if report:
        meta = int(report.agency in gold.get("agency_accept", [gold["agency"]])) + int(report.year == gold["year"])
    return Tally(len(gold["cells"]), len(right), len(right) + len(wrong),
                 [k for k in wrong if not flagged(failed, k)], [k for k in got if k in set(gold["missing"])], meta)


# lines for the terminal summary: per condition group figures of the scan corpus
SCAN_REPORT = pytest.StashKey[list[str]]()
