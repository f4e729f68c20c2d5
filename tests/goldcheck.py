"""Comparing a Report with gold facts in the format of ../shared/gold/seeds.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractors.report import Report

SHARED = Path(__file__).resolve().parents[2] / "shared"


@dataclass(frozen=True)
class Score:
    recall: float
    wrong: dict[str, tuple[float, float]]  # cell id -> (read, gold)
    invented: list[str]
    absent: list[str]


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


# lines for the terminal summary: per condition group figures of the scan corpus
SCAN_REPORT = pytest.StashKey[list[str]]()
