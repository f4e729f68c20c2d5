"""No guess goes in unwarned: where reconciliation cannot tell which number a cell holds, the cell
is missing or doubted (a failed check whose rule_id is the cell's id), never silently chosen."""

from __future__ import annotations

from extractors.checks import check_report
from extractors.model import Cell, Document, Paragraph, Table
from extractors.reconcile import reconcile
from extractors.template import load_template

T = load_template()
TITLE = Paragraph("某县人民政府2023年政府信息公开工作年度报告")
APPS = Paragraph("三、收到和处理政府信息公开申请情况")
ACTIVE = Paragraph("二、主动公开政府信息情况")
REVIEW = Paragraph("四、政府信息公开行政复议、行政诉讼情况")


def table(rows: list[list[str]], confidence: float | None = None,
          low: dict[tuple[int, int], float] | None = None) -> Table:
    """A table of text rows; `confidence` makes it an OCR reading, `low` lowers single cells'."""
    low = low or {}
    return Table(tuple(Cell(r, c, text, confidence=low.get((r, c), confidence))
                       for r, row in enumerate(rows) for c, text in enumerate(row)))


def read(*blocks, method: str = "html"):
    report = reconcile(Document("x.html", "html", method, (TITLE, *blocks)), T)
    failed = {c.rule_id: c.detail for c in check_report(report, T) if not c.passed}
    return {f.cell_id: f for f in report.facts}, failed


# ----------------------------------------------------------------------------- a row printed twice


def test_table_three_row_printed_twice_differently_is_doubted():
    _facts, failed = read(APPS, table([
        ["（一）予以公开", "5", "1", "0", "0", "0", "0", "6"],
        ["（二）部分公开", "2", "0", "0", "0", "0", "0", "2"],
        ["（一）予以公开", "7", "1", "0", "0", "0", "0", "8"],
    ]))
    assert "applications.granted.natural_person" in failed
    assert "applications.granted.total" in failed
    assert "5" in failed["applications.granted.natural_person"] and "7" in failed["applications.granted.natural_person"]
    assert "applications.granted.commercial_enterprise" not in failed  # printed alike both times


def test_table_two_row_printed_twice_differently_is_doubted():
    facts, failed = read(ACTIVE, table([
        ["行政许可", "12"], ["行政处罚", "3"], ["行政许可", "21"],
    ]))
    assert facts["active_disclosure.administrative_licensing.decisions"].value == 12
    assert "active_disclosure.administrative_licensing.decisions" in failed
    assert "active_disclosure.administrative_penalty.decisions" not in failed


def test_row_printed_twice_alike_is_not_doubted():
    _, failed = read(ACTIVE, table([["行政许可", "12"], ["行政许可", "12"]]))
    assert "active_disclosure.administrative_licensing.decisions" not in failed


# ----------------------------------------------------------------------------- blanks at both ends


def test_row_with_blanks_at_both_ends_is_not_silently_shifted():
    # 8 cells for 7 columns: the leading or the trailing blank is padding, nobody can say which
    facts, failed = read(APPS, table([["（一）予以公开", "", "5", "1", "0", "0", "0", "6", ""]]))
    for col in T.table("applications").cols:
        cell = f"applications.granted.{col}"
        assert cell not in facts or cell in failed or facts[cell].method == "inferred"


def test_row_with_padding_at_one_end_only_is_trusted():
    facts, failed = read(APPS, table([["（一）予以公开", "5", "1", "0", "0", "0", "0", "6", "", ""]]))
    assert facts["applications.granted.total"].value == 6
    assert not any(k.startswith("applications.granted.") for k in failed)


# ----------------------------------------------------------------------------- units of the fee cell


def test_fee_printed_in_yuan_is_converted_to_wan_yuan():
    facts, failed = read(ACTIVE, table([["行政事业性收费", "5000元"]]))
    fee = facts["active_disclosure.administrative_fees.amount"]
    assert (fee.value, fee.raw_text) == (0.5, "5000元")
    assert "active_disclosure.administrative_fees.amount" not in failed


def test_fee_in_wan_yuan_is_kept():
    facts, _ = read(ACTIVE, table([["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "1.2"]]))
    assert facts["active_disclosure.administrative_fees.amount"].value == 1.2


def test_fee_under_a_yuan_header_is_converted_and_doubted():
    facts, failed = read(ACTIVE, table([["信息内容", "本年收费金额（单位：元）"], ["行政事业性收费", "5000"]]))
    assert facts["active_disclosure.administrative_fees.amount"].value == 0.5
    assert "active_disclosure.administrative_fees.amount" in failed


# ----------------------------------------------------------------------------- label scores


def test_exact_label_scores_one_and_is_trusted():
    facts, failed = read(APPS, table([["（一）予以公开", "5", "1", "0", "0", "0", "0", "6"]]))
    assert facts["applications.granted.total"].label_score == 1.0
    assert not any(k.startswith("applications.granted.") for k in failed)


def test_misspelt_label_no_better_than_another_rows_is_doubted():
    # 其他法律行政法规禁止公开 with 法规禁 lost: the match scores 0.75, below what 本年新收… scores
    # against 上年结转… (0.79), so the row it names is not certain
    facts, failed = read(APPS, table([["2.其他法律行政止公开", "0", "1", "0", "0", "0", "0", "1"]]))
    fact = facts["applications.withheld_prohibited_by_law.total"]
    assert fact.label_score is not None and fact.label_score < 0.79
    assert "applications.withheld_prohibited_by_law.total" in failed


def test_rows_placed_by_order_have_no_label_score():
    rows = [["（一）予以公开", "5", "1", "0", "0", "0", "0", "6"],
            ["", "2", "0", "0", "0", "0", "0", "2"],
            ["1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"]]
    facts, _ = read(APPS, table(rows))
    assert facts["applications.partially_granted.total"].label_score is None


# ----------------------------------------------------------------------------- fallback year


def test_year_not_in_title_is_doubted():
    doc = Document("x.html", "html", "html", (Paragraph("我县2023年政府信息公开工作"), Paragraph("2023年以来"),
                                              ACTIVE, table([["行政许可", "12"]])))
    report = reconcile(doc, T)
    assert report.year == 2023
    assert "meta.year" in {c.rule_id for c in check_report(report, T) if not c.passed}


def test_year_from_title_is_not_doubted():
    _, failed = read(ACTIVE, table([["行政许可", "12"]]))
    assert "meta.year" not in failed


# ----------------------------------------------------------------------------- OCR and the rules

REVIEW_ROWS = [["行政复议", "3", "1", "0", "2", "6"],
               ["未经复议直接起诉", "1", "0", "0", "0", "1"],
               ["复议后起诉", "0", "0", "0", "0", "0"]]


def test_low_confidence_reading_pinned_by_a_rule_is_corrected():
    rows = [r[:] for r in REVIEW_ROWS]
    rows[0][4] = "7"  # 2 misread as 7, at low confidence; 3+1+0+2 = 6 pins it
    facts, failed = read(REVIEW, table(rows, 0.98, low={(0, 4): 0.5}), method="ocr")
    fact = facts["review_litigation.administrative_review.pending"]
    assert (fact.value, fact.method, fact.raw_text) == (2, "ocr_corrected", "7")
    assert "review_litigation.administrative_review.pending" not in failed


def test_low_confidence_reading_with_another_doubtful_cell_in_its_rule_stays_doubted():
    rows = [r[:] for r in REVIEW_ROWS]
    rows[0][4] = "7"
    facts, failed = read(REVIEW, table(rows, 0.98, low={(0, 4): 0.5, (0, 1): 0.5}), method="ocr")
    assert facts["review_litigation.administrative_review.pending"].method == "ocr"
    assert "review_litigation.administrative_review.pending" in failed


def _review_row(row: list[str], unsure: int, cell: str):
    """表四's row read from an image with one cell unsure (0.6): that cell's fact and whether it failed."""
    facts, failed = read(REVIEW, table([row], 0.98, low={(0, unsure): 0.6}), method="ocr")
    cell_id = f"review_litigation.{cell}"
    return facts[cell_id], cell_id in failed


def test_a_part_of_a_total_read_surely_as_zero_is_zero_whatever_else_was_lost():
    # a seal's stroke read as 4 in a row whose total is 0; another cell of the row was not read, so
    # no rule is complete, but counts are never negative: every part of a total of 0 is 0
    fact, failed = _review_row(["复议后起诉", "", "4", "0", "0", "0"], 2, "litigation_after_review.corrected")
    assert (fact.value, fact.method, fact.raw_text) == (0, "ocr_corrected", "4")
    assert not failed


def test_an_unsure_part_under_a_nonzero_total_with_a_cell_lost_stays_doubted():
    # the lost cell may hold 1, or the 4 be a 1
    fact, failed = _review_row(["复议后起诉", "", "4", "0", "0", "5"], 2, "litigation_after_review.corrected")
    assert (fact.value, fact.method) == (4, "ocr")
    assert failed


def test_a_mark_read_in_a_cell_takes_the_value_its_row_forces():
    # a 0 under a seal's lettering read as d: the row's other cells and its total, read surely,
    # leave it one value; it is a reading corrected by the rules, the mark kept as what was read
    fact, failed = _review_row(["行政复议", "3", "1", "d", "2", "6"], 3, "administrative_review.other_result")
    assert (fact.value, fact.method, fact.raw_text) == (0, "ocr_corrected", "d")
    assert not failed


def test_a_mark_beside_a_cell_not_read_stays_unread():
    rows = [["行政复议", "3", "d", "", "2", "6"]]  # 1 and 0, or 0 and 1: the rules do not say
    facts, _ = read(REVIEW, table(rows, 0.98, low={(0, 2): 0.6}), method="ocr")
    assert "review_litigation.administrative_review.corrected" not in facts


def test_a_blank_cell_with_nothing_read_is_inferred_not_corrected():
    rows = [["行政复议", "3", "1", "", "2", "6"]]
    facts, _ = read(REVIEW, table(rows, 0.98), method="ocr")
    assert "review_litigation.administrative_review.other_result" not in facts or \
        facts["review_litigation.administrative_review.other_result"].method == "inferred"


def test_image_cell_whose_rules_all_lack_cells_is_doubted():
    rows = [["行政复议", "3", "1", "", "2", "9"]]  # the blank may hold 3, or a number sits in the wrong row
    facts, failed = read(REVIEW, table(rows, 0.98), method="ocr")
    assert facts["review_litigation.administrative_review.upheld"].rules_evaluated == ()
    assert "review_litigation.administrative_review.upheld" in failed


def test_image_cell_whose_row_total_adds_up_without_the_blank_is_trusted():
    rows = [["行政复议", "3", "1", "", "2", "6"]]  # 3+1+2 = 6: the blank holds nothing
    facts, failed = read(REVIEW, table(rows, 0.98), method="ocr")
    assert facts["review_litigation.administrative_review.upheld"].rules_evaluated == ()
    assert "review_litigation.administrative_review.upheld" not in failed


def test_image_cell_confirmed_by_its_row_total_is_trusted():
    facts, failed = read(REVIEW, table(REVIEW_ROWS, 0.98), method="ocr")
    fact = facts["review_litigation.administrative_review.upheld"]
    assert fact.rules_evaluated == ("review_litigation.row_total",)
    assert "review_litigation.administrative_review.upheld" not in failed


def test_text_cell_without_evaluable_rules_is_not_doubted_for_it():
    _facts, failed = read(REVIEW, table([["行政复议", "3", "1", "", "2", "6"]]))
    assert "review_litigation.administrative_review.upheld" not in failed


def test_numbers_under_two_rows_labels_run_together_are_doubted():
    # the PDF of a report whose 行政规范性文件 label sat on a line of its own: the line joined 规章's
    _, failed = read(ACTIVE, table([["规章行政规范性文件", "0", "0", "0"], ["", "1", "8", "51"]]))
    assert "active_disclosure.normative_documents.issued" in failed


def test_number_read_by_ocr_in_a_prose_line_keeps_its_doubt():
    # a small two-column table whose rules were not found comes out of the layout stage as prose
    # lines; the recogniser's doubt about a number on such a line reaches the fact
    facts, failed = read(ACTIVE, Paragraph("第二十条第（六）项"), Paragraph("信息内容 本年处理决定数量"),
                         Paragraph("行政处罚 10732", confidence=0.99), Paragraph("行政强制 10", confidence=0.41),
                         method="ocr")
    assert facts["active_disclosure.administrative_coercion.decisions"].value == 10
    assert facts["active_disclosure.administrative_coercion.decisions"].confidence == 0.41
    assert "active_disclosure.administrative_coercion.decisions" in failed
    assert "active_disclosure.administrative_penalty.decisions" not in failed


def test_a_lone_unsure_character_beside_a_label_is_a_mark_not_part_of_it():
    # a seal's fragment read as 面 in a cell of its own between 规章 and its numbers
    rows = [["规章", "面", "0", "0", "0"], ["行政规范性文件", "", "1", "0", "6"]]
    facts, _ = read(ACTIVE, table(rows, 0.98, low={(0, 1): 0.67}), method="ocr")
    assert [facts[f"active_disclosure.regulations.{c}"].value for c in ("issued", "repealed", "in_force")] == [0, 0, 0]


def test_a_number_printed_with_a_leading_zero_is_doubted():
    # no count is printed so: a mark beside the digit in the source (OCR's 01 is split, test_surplus)
    facts, failed = read(REVIEW, table([["0", "0", "0", "0", "0", "0", "0", "01", "0", "1",
                                         "0", "0", "0", "0", "0"]]))
    assert facts["review_litigation.litigation_direct.other_result"].value == 1
    assert "review_litigation.litigation_direct.other_result" in failed
    assert "review_litigation.litigation_direct.upheld" not in failed
