"""A ruled 表三 on a scan whose rule between two labels was lost: the grid reads the first row's
numbers as the second's. The same recognitions laid out as words read both rows right. Where the
table's arithmetic pins the word reading it is taken; where it does not, the cell is doubted naming
both readings; never a wrong number loaded without a warning (tests/fixtures/gen_damaged.py cuts the
rows from a text-PDF fixture's rendered pages; extractors/arbitrate.py decides)."""

from __future__ import annotations

import functools
import sys
from dataclasses import replace
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

from gen_damaged import DPI, Strip, lose_rule, table_three

from extractors.checks import check_report
from extractors.model import Document, Table
from extractors.reconcile import reconcile
from extractors.report import Report
from extractors.template import load_template
from ocr.engine import load_engine
from ocr.page import ocr_image

T = load_template()
SOURCE = "p20_county_2023.pdf"  # 新收 11 0 0 0 0 0 11 over 结转 0 0 0 0 0 0 0
HEAD = Strip(2, ("本年新收", "上年结转", "予以公开"), heading="三、收到和处理")
TOTALS = Strip(3, ("（七）总计", "结转下年度"))  # what the balance 新收 + 结转 = 总计 + 结转下年度 needs


@functools.cache
def scanned(with_totals: bool, damaged: bool, grid_cuts: bool = False) -> tuple[Document, dict[str, int]]:
    """The damaged page read. The grid cuts a cell two rows' labels share (one line in the middle
    of each row: ocr.page._line_per_row); to hold the grid's misreading against the words, that cut
    is switched off unless `grid_cuts`, as for a joined cell the grid cannot cut (labels wrapped
    off their rows' middles)."""
    page = table_three(SOURCE, [HEAD, TOTALS] if with_totals else [HEAD])
    image = lose_rule(page, "本年新收", "上年结转") if damaged else page.image
    if grid_cuts:
        blocks = ocr_image(load_engine(), image, DPI, 1)
    else:
        with mock.patch("ocr.page._line_per_row", lambda t, cell, pieces, idx, lines: [(cell, pieces, idx)]):
            blocks = ocr_image(load_engine(), image, DPI, 1)
    gold = {k: v for k, v in page.gold.items() if k.split(".")[1] in _rows_on(with_totals)}
    return Document("damaged.png", "image", "ocr", tuple(blocks), pages=1), gold


def _rows_on(with_totals: bool) -> set[str]:
    rows = {"new_received", "carried_over", "granted"}
    return rows | {"total_processed", "carried_forward"} if with_totals else rows


def read(doc: Document, loosen: bool = False) -> tuple[Report, dict[str, str]]:
    """The document reconciled. The lost rule runs the two rows' labels together into one cell;
    unless `loosen`, the row that glued label names is held as an anchor (reconcile._loosened off),
    as where the rows' count around it could not settle the placement, so that the grid's misreading
    is held against the words'."""
    if loosen:
        report = reconcile(doc, T)
    else:
        with mock.patch("extractors.reconcile._loosened", lambda anchors, *_: anchors):
            report = reconcile(doc, T)
    failed = {c.rule_id: c.detail for c in check_report(report, T) if not c.passed and c.rule_id != "missing_cells"}
    return report, failed


def grid_only(doc: Document) -> Document:
    return replace(doc, blocks=tuple(replace(b, alternative=()) if isinstance(b, Table) else b for b in doc.blocks))


def unwarned(report: Report, failed: dict[str, str], gold: dict[str, int]) -> list[str]:
    """Cells loaded with a number the source does not print there, and no failed check on the cell
    or on a rule of its table."""
    got = {f.cell_id: f.value for f in report.facts if f.method != "inferred"}
    return [k for k, v in got.items() if k.startswith("applications.") and v != gold.get(k)
            and k not in failed and not any(r.startswith("applications.") and r.count(".") == 1 for r in failed)]


def test_the_lost_rule_makes_the_grid_reading_move_a_row():
    doc, _ = scanned(with_totals=True, damaged=True)
    report, _ = read(grid_only(doc))
    got = {f.cell_id: f.value for f in report.facts}
    # the source prints 0 there; if the grid reads it right one day, the damage here exercises nothing
    # and must be made to mislead the grid again
    assert got.get("applications.carried_over.natural_person") == 11


def test_rows_under_two_labels_run_together_are_placed_by_their_count():
    # the glued label names 上年结转 on 新收's numbers; between the rows around it there is room for
    # exactly the two rows of numbers, so the name is not taken and both rows are placed by order
    doc, gold = scanned(with_totals=True, damaged=True)
    report, _ = read(grid_only(doc), loosen=True)
    assert {f.cell_id: f.value for f in report.facts if f.cell_id in gold} == {k: float(v) for k, v in gold.items()}


def test_the_grid_itself_cuts_the_cell_two_rows_labels_share():
    doc, gold = scanned(with_totals=True, damaged=True, grid_cuts=True)
    report, _ = read(grid_only(doc))
    assert {f.cell_id: f.value for f in report.facts if f.cell_id in gold} == {k: float(v) for k, v in gold.items()}


def test_the_word_reading_is_taken_where_the_balance_pins_it():
    doc, gold = scanned(with_totals=True, damaged=True)
    report, failed = read(doc)
    got = {f.cell_id: f for f in report.facts if f.method != "inferred"}
    assert {k: got[k].value for k in gold if k in got} == {k: float(v) for k, v in gold.items()}
    assert got["applications.carried_over.natural_person"].layout == "words"
    assert "applications.carried_over.natural_person" not in failed


def test_the_cell_is_doubted_naming_both_readings_where_the_arithmetic_does_not_pin_it():
    # without 总计 and 结转下年度 on the page, 结转's row total holds with 11 … 11 and with 0 … 0
    doc, gold = scanned(with_totals=False, damaged=True)
    report, failed = read(doc)
    why = failed["applications.carried_over.natural_person"]
    assert "11 (grid" in why and "0 (words" in why
    assert unwarned(report, failed, gold) == []


def test_an_undamaged_ruled_table_reads_alike_both_ways():
    doc, gold = scanned(with_totals=True, damaged=False)
    report, failed = read(doc)
    assert not any("read two ways" in why for why in failed.values())
    assert {f.cell_id: f.value for f in report.facts if f.cell_id in gold} == {k: float(v) for k, v in gold.items()}
