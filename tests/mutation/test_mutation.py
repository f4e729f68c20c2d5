"""A sample of mutants, one document per source kind: no mutation a rule or the row itself can
reveal ends as a wrong number nobody is warned about (bench/mutation_report.py runs them all)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.template import load_template
from tests.goldcheck import SHARED, load_gold
from tests.mutation.mutate import OPERATORS, Result, document_mutants, run_document
from tests.mutation.sources import HtmlSource, load_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROWS = 8  # mapped rows mutated per document (spread over its tables), every operator on each


def _fixture(kind: str, name: str) -> tuple[Path, dict]:
    return FIXTURES / kind / name, json.loads((FIXTURES / kind / "gold.json").read_text("utf-8"))["documents"][name]


def _samples() -> list[tuple[Path, dict]]:
    out = [_fixture("html", "h05_city_2023.html"), _fixture("docx", "d02_dept_2024.docx")]
    if (SHARED / "seeds").is_dir():
        out.append((SHARED / "seeds" / "001_49bc154c30d92ca6.txt",
                    load_gold(SHARED / "gold" / "seeds.json")["001_49bc154c30d92ca6.txt"]))
    return out


SAMPLES = _samples()


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[Result, int]]:
    template = load_template()
    out = {}
    for path, gold in SAMPLES:
        kind, res, mapped = run_document(path, gold, template, sample=ROWS, seed=12)
        out[kind] = (res, mapped)
    return out


def test_most_rows_of_each_sample_are_mapped_to_template_cells(results):
    for kind, (_, mapped) in results.items():
        assert mapped >= 20, kind


@pytest.mark.parametrize("operator", OPERATORS)
def test_no_mutation_a_rule_or_the_row_can_reveal_is_silent(results, operator):
    silent = [line for res, _ in results.values() for line in res.silent
              if f" {operator} protected " in line]
    assert silent == []
    assert all(res.mutants[operator] for res, _ in results.values() if operator != "swap")


def test_no_mutation_makes_an_untouched_cell_wrong_unwarned(results):
    assert [line for res, _ in results.values() for line in res.silent
            if " collateral " in line or " invented " in line] == []


def test_a_change_no_rule_can_see_is_reported_apart_not_hidden():
    path, gold = _fixture("html", "h05_city_2023.html")
    _, res, _ = run_document(path, gold, load_template(), ("change",))
    # 表二's numbers are tied by no rule: a changed one is read as printed, wrong, and unwarned
    unprotected = [line for line in res.silent if " unprotected " in line]
    assert unprotected and all(": active_disclosure." in line for line in unprotected)
    assert res.outcomes[("change", "protected", "warned")] > 0


def test_a_mutant_is_its_source_with_one_row_edited():
    path, gold = _fixture("html", "h05_city_2023.html")
    made, _ = document_mutants(path, gold, load_template(), ("label_up",), sample=1, seed=3)
    ((mutant, data),) = made
    rows = load_source(path).rows
    mutated = HtmlSource.load(data).rows
    i, m = mutant.row.index, mutant.row
    assert len(mutated) == len(rows) + 1
    assert mutated[:i] == rows[:i] and mutated[i + 2:] == rows[i + 1:]
    assert mutated[i][m.label] == rows[i][m.label]  # the label, alone on a row above its numbers
    assert mutated[i + 1][m.label] == ""
    assert mutated[i + 1][m.values[0]:] == rows[i][m.values[0]:]
