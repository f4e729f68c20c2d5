"""Template tables in other arrangements: 表二 one cell per row, tables turned by a quarter, 表三's
header rows repeated inside it. Fixtures: tests/fixtures/arrange/ (tests/fixtures/gen_arrange.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from goldcheck import assert_cells

from extractors.arrange import is_transposed
from extractors.labels import match_column
from extractors.model import Cell, Document, Paragraph, Table
from extractors.reconcile import reconcile
from extractors.template import load_template
from flows.pipeline import process

FOLDER = Path(__file__).parent / "fixtures" / "arrange"
GOLD = json.loads((FOLDER / "gold.json").read_text("utf-8"))["documents"]
T = load_template()


def _table(rows: list[list[str]]) -> Table:
    return Table(tuple(Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row)))


@pytest.mark.parametrize("name", sorted(GOLD))
def test_arranged_fixture_reads_every_printed_cell(name):
    gold = GOLD[name]
    p = process((FOLDER / name).read_bytes(), name, T)
    assert p.report is not None and p.report.template_version == gold["template_version"]
    assert_cells(p.report, gold)


def test_a_line_naming_row_and_column_is_that_one_cell():
    rows = [["第二十条第（一）项"], ["规章", "本年制发件数", "2"], ["规章", "本年度止件数", "1"],
            ["行政规范性文件", "现行有效件数", "40"], ["本年处理决定数量", "行政许可", "97"]]
    v = reconcile(Document("x", "html", "html", (Paragraph("二、主动公开政府信息情况"), _table(rows)))).values()
    assert v["active_disclosure.regulations.issued"] == 2
    assert v["active_disclosure.regulations.repealed"] == 1  # the header misspelt
    assert v["active_disclosure.normative_documents.in_force"] == 40
    assert v["active_disclosure.administrative_licensing.decisions"] == 97  # column named first
    assert "active_disclosure.regulations.in_force" not in v


def test_a_column_header_is_matched_within_its_table_only():
    assert match_column("本年制发件数", T, "active_disclosure") == "issued"
    assert match_column("自然人", T, "applications") == "natural_person"
    assert match_column("自然人", T, "active_disclosure") is None
    assert match_column("信息内容", T, "active_disclosure") is None


def test_a_table_with_rows_across_the_top_is_turned_back():
    turned = _table([["信息内容", "规章", "行政规范性文件"], ["本年制发件数", "0", "3"], ["现行有效件数", "5", "40"]])
    assert is_transposed(turned, T)
    v = reconcile(Document("x", "html", "html", (Paragraph("二、主动公开政府信息情况"), turned))).values()
    assert (v["active_disclosure.regulations.in_force"], v["active_disclosure.normative_documents.issued"]) == (5, 3)


def test_a_table_printed_the_usual_way_is_not_turned():
    usual = _table([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", "5"],
                    ["行政规范性文件", "3", "1", "40"]])
    assert not is_transposed(usual, T)
