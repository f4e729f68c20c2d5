"""Spreadsheets (XLSX, XLS) read into the shared model with python-calamine: sniffed from the bytes,
merged cells as spans, numbers as printed, one-cell rows as paragraphs. Fixtures:
tests/fixtures/sheets/ (tests/fixtures/gen_sheets.py), with gold."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from extractors.detect import detect_format
from extractors.errors import ExtractionError
from extractors.model import Paragraph, Table
from extractors.template import load_template
from extractors.xlsx import extract_spreadsheet
from flows.pipeline import process

FOLDER = Path(__file__).parent / "fixtures" / "sheets"
GOLD = json.loads((FOLDER / "gold.json").read_text("utf-8"))["documents"]
sys.path.insert(0, str(FOLDER.parent))

from gen_sheets import XCell, xlsx_bytes
from goldcheck import assert_cells


@pytest.mark.parametrize("name", sorted(GOLD))
def test_workbook_reads_every_printed_cell(name):
    gold = GOLD[name]
    data = (FOLDER / name).read_bytes()
    assert detect_format(data) == name.rsplit(".", 1)[1]
    p = process(data, name, load_template())
    assert p.report is not None and p.report.template_version == gold["template_version"]
    assert (p.report.agency, p.report.year) == (gold["agency"], gold["year"])
    assert_cells(p.report, gold)
    assert {f.method for f in p.report.facts} <= {"sheet", "inferred"}


def test_merged_cells_are_one_cell_with_spans_and_numbers_print_as_reports_do():
    data = xlsx_bytes([("表三", [XCell(0, 0, "某县2023年政府信息公开工作年度报告"),
                                 XCell(1, 0, "申请人情况", 1, 3), XCell(2, 0, "自然人"), XCell(2, 1, 5.0),
                                 XCell(2, 2, 7.25)])])
    doc = extract_spreadsheet(data, "x.xlsx", "xlsx")
    assert doc.blocks[0] == Paragraph("表三") and doc.blocks[1] == Paragraph("某县2023年政府信息公开工作年度报告")
    table = doc.blocks[2]
    assert isinstance(table, Table)
    assert [(c.row, c.col, c.text, c.col_span) for c in table.cells] == [
        (0, 0, "申请人情况", 3), (1, 0, "自然人", 1), (1, 1, "5", 1), (1, 2, "7.25", 1)]


def test_a_broken_workbook_is_one_clear_error():
    data = xlsx_bytes([("x", [XCell(0, 0, "a"), XCell(0, 1, "b")])])
    with pytest.raises(ExtractionError, match="XLSX"):
        extract_spreadsheet(data[: len(data) // 2], "x.xlsx", "xlsx")
