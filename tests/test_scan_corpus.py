"""Rough scans (every page its own dpi, skew, blur, noise, JPEG loss, paper, seal, rules, photo
perspective, rotation) read as their text twins: per condition group, recall at least the bar, no
silent wrong number, nothing invented, every printed rule break caught.

Both sets are scored: `tuning` (seed 1) and `unseen` (seed 2, never looked at while tuning). CI
reads a sample of each (the first document of every condition group); NIANBAO_SCAN_CORPUS=full
reads all 60 of each (some 20 minutes on two cores; bench/bench_scans.py prints the same table).
The per-group table goes into the terminal summary.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from background import Task, results
from goldcheck import SCAN_REPORT
from scan_corpus import SETS, DocScore, GroupScore, by_group, make_set, report, sample, score_one

FULL = os.environ.get("NIANBAO_SCAN_CORPUS") == "full"
# Per condition group, over the documents read: just below today's figures on the CI sample
# (tuning 1.0 in every group; unseen 1.0 but rough 0.925), so a regression fails. Issue 11's
# goal, 0.99 everywhere, is not reached yet for rough scans.
RECALL_BAR = {"rough": 0.9}
DEFAULT_BAR = 0.97


def background_tasks(folder: Path) -> Iterator[Task]:
    """Both sets made and read in the session's background workers (tests/background.py), from its
    start: some two minutes of OCR on two cores."""
    for name, seed in SETS.items():
        sub = folder / f"scans-{name}"
        sub.mkdir()
        for doc, gold in sorted(make_set(seed, sub, only=None if FULL else sample(seed, 1)).items()):
            yield (name, doc), score_one, (str(sub / doc), gold)


@pytest.fixture(scope="module")
def both(request, tmp_path_factory) -> dict[str, list[DocScore]]:
    done = results(request, tmp_path_factory)
    out: dict[str, list[DocScore]] = {name: [v for (s, _), v in done.items() if s == name] for name in SETS}
    for name in SETS:
        request.config.stash.setdefault(SCAN_REPORT, []).extend(report(name, by_group(out[name])))
    return out


@pytest.fixture(params=sorted(SETS))
def scored(request, both) -> dict[str, GroupScore]:
    return by_group(both[request.param])


def test_no_wrong_number_loads_unwarned(scored):
    silent = {d.name: d.silent for v in scored.values() for d in v.docs if d.silent}
    assert silent == {}


def test_nothing_is_invented(scored):
    invented = {d.name: d.invented for v in scored.values() for d in v.docs if d.invented}
    assert invented == {}


def test_every_printed_rule_break_is_caught(scored):
    missed = [d.name for v in scored.values() for d in v.docs if d.rule_expected and not d.rule_caught]
    assert missed == []


def test_every_condition_group_reads_at_the_bar(scored):
    low = {g: round(v.recall, 4) for g, v in scored.items() if v.recall < RECALL_BAR.get(g, DEFAULT_BAR)}
    assert low == {}
