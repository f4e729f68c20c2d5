"""Text dumps (the seeds and the real markdown extractions) read to the template, cell by cell."""

from __future__ import annotations

import pytest

from extractors.checks import run_checks
from extractors.reconcile import reconcile
from extractors.template import load_template
from extractors.text_dump import extract_text
from tests.goldcheck import SHARED, load_gold, score

SEEDS = SHARED / "seeds"
REAL = SHARED / "real"
needs_shared = pytest.mark.skipif(not SEEDS.exists(), reason="../shared is not beside the checkout")


def _read(path):
    return reconcile(extract_text(path.read_bytes(), str(path)))


def _gold(folder, name):
    return load_gold(SHARED / "gold" / "seeds.json" if folder == SEEDS else REAL / "gold.json")[name]


SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt")) if SEEDS.exists() else []
REAL_TEXT = ["shanghai_office_2025.md", "shanghai_kewei_2024.md", "shuyang_2025.md"]


@needs_shared
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_read_completely_and_exactly(name):
    report = _read(SEEDS / name)
    s = score(report, _gold(SEEDS, name))
    assert s.wrong == {} and s.invented == [] and s.absent == []


@needs_shared
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_metadata(name):
    report = _read(SEEDS / name)
    gold = _gold(SEEDS, name)
    assert (report.agency, report.year) == (gold["agency"], gold["year"])


@needs_shared
@pytest.mark.parametrize("name", REAL_TEXT)
def test_real_text_extraction_has_no_wrong_or_invented_cells(name):
    report = _read(REAL / name)
    s = score(report, _gold(REAL, name))
    assert s.wrong == {} and s.invented == []
    assert s.recall >= 0.99


@needs_shared
def test_detached_labels_are_placed_by_template_order():
    # pdf.js output of 上海市科委: label lines float away from their rows of numbers
    report = _read(REAL / "shanghai_kewei_2024.md")
    v = report.values()
    assert v["applications.partially_granted.natural_person"] == 0
    assert v["applications.withheld_internal_affairs.total"] == 1
    assert v["applications.other_no_correction.total"] == 10
    assert "applications.carried_forward.total" not in v  # printed blank


@needs_shared
def test_blank_cell_stays_missing():
    # seed 003: the row 2 of （六）其他处理 is printed with empty cells
    v = _read(SEEDS / "003_5209c43573004a9c.txt").values()
    assert not any(k.startswith("applications.other_unpaid_fee.") for k in v)
    assert v["applications.other_reason.total"] == 0


@needs_shared
def test_bare_row_of_fifteen_after_broken_table_is_table_four():
    v = _read(SEEDS / "000_900cea2f89254ff6.txt").values()
    assert sum(1 for k in v if k.startswith("review_litigation.")) == 15
    assert not any(k.startswith("applications.withheld_administrative_query") for k in v)


@needs_shared
def test_partial_row_is_read_but_doubted():
    report = _read(REAL / "shanghai_office_2025.md")
    checks = run_checks(report.facts, load_template(), report.doubts)
    doubted = {c.rule_id for c in checks if not c.passed}
    assert "active_disclosure.regulations.in_force" in doubted


def test_a_table_two_header_of_the_other_version_is_not_read_as_this_one():
    from extractors.model import Cell, Document, Table

    # a 2021-format report (its 表二 says 本年制发件数 / 现行有效件数 / 本年收费金额) with one sub-table
    # printed under the 2019 format's columns: those numbers are no 2021 cell
    rows = [["第二十条第（一）项"], ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规章", "13", "13", "524"], ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可", "7"],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["第二十条第（八）项"],
            ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "3.5"]]
    table = Table(tuple(Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row)))
    report = reconcile(Document("x", "html", "html", (table,)))
    assert report.template_version == "2021"
    v = report.values()
    assert "active_disclosure.regulations.issued" not in v
    assert v["active_disclosure.administrative_licensing.decisions"] == 7


def test_table_flattened_into_paragraphs_keeps_a_blank_cell_in_its_column():
    from extractors.model import Document, Paragraph

    texts = ["三、收到和处理政府信息公开申请情况", "（一）予以公开", "81", "5", "", "0", "0", "0", "86",
             "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "26", "1", "0", "0", "0", "0", "27"]
    doc = Document("x", "html", "html", tuple(Paragraph(t) for t in texts))
    v = reconcile(doc).values()
    assert v["applications.granted.commercial_enterprise"] == 5
    assert "applications.granted.research_institution" not in v
    assert v["applications.granted.public_interest_org"] == 0
    assert v["applications.partially_granted.total"] == 27


def test_a_row_whose_label_was_misread_as_an_earlier_rows_is_still_placed_by_order():
    """OCR read a wrapped parent's fragment (予公开, of （三）不予公开) beside row 5's numbers and it
    matched （一）予以公开: a label out of template order that no other row holds is no anchor,
    but its numbers are still one of the rows between the anchors around it."""
    from extractors.model import Cell, Document, Paragraph, Table

    rows = [["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] + ["0"] * 7, ["1.属于国家秘密"] + ["0"] * 7]
    rows += [[""] + [str(k)] * 6 + [str(6 * k)] for k in range(2, 5)]  # rows 2-4 of （三）, unlabelled
    rows += [["予公开"] + ["5"] * 6 + ["30"]]  # row 5, beside a misread label
    rows += [[""] + [str(k)] * 6 + [str(6 * k)] for k in range(6, 13)]  # up to 1.信访举报投诉类申请
    rows += [["2.重复申请"] + ["0"] * 7]
    table = Table(tuple(Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row)))
    doc = Document("x", "html", "html", (Paragraph("三、收到和处理政府信息公开申请情况"), table))
    v = reconcile(doc).values()
    assert "applications.granted.natural_person" not in v
    assert v["applications.withheld_internal_affairs.total"] == 30
    assert v["applications.withheld_prohibited_by_law.total"] == 12
    assert v["applications.not_processed_petition.total"] == 72


def test_a_cell_ocr_read_as_an_unsure_mark_keeps_its_rows_count_and_takes_what_its_sums_force():
    """A seal over a 0 read as 'Q' at 0.6: no label, no number, but one of the row's cells, whose
    value the row's total and other cells, read surely, force: a correction, the mark kept."""
    from extractors.model import Cell, Document, Paragraph, Table

    rows = [["1.属于国家秘密", "0", "1", "0", "0", "0", "0", "1"],
            ["2.其他法律行政法规禁止公开", "Q", "2", "0", "0", "0", "0", "2"]]
    table = Table(tuple(Cell(r, c, t, confidence=0.6 if t == "Q" else 0.99)
                        for r, row in enumerate(rows) for c, t in enumerate(row)))
    v = reconcile(Document("x", "pdf", "pdf-scan", (Paragraph("三、收到和处理政府信息公开申请情况"), table))).values()
    assert v["applications.withheld_prohibited_by_law.commercial_enterprise"] == 2
    assert v["applications.withheld_prohibited_by_law.total"] == 2
    fact = next(f for f in reconcile(Document("x", "pdf", "pdf-scan", (Paragraph("三、收到和处理政府信息公开申请情况"), table))).facts
                if f.cell_id == "applications.withheld_prohibited_by_law.natural_person")
    assert (fact.value, fact.method, fact.raw_text) == (0, "ocr_corrected", "Q")


def test_a_number_read_inside_a_ruled_label_cell_gives_way_to_the_rows_own_cells():
    """OCR read a mark at the end of a label cell as '24'; the seven cells beside it are the row."""
    from extractors.model import Cell, Document, Paragraph, Table

    rows = [["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"] + ["0"] * 7,
            ["3.其他 24"] + ["1", "0", "0", "0", "0", "0", "1"]]
    table = Table(tuple(Cell(r, c, t, bbox=(100.0 * c, 30.0 * r, 100.0 * c + 90, 30.0 * r + 20), confidence=0.99)
                        for r, row in enumerate(rows) for c, t in enumerate(row)))
    v = reconcile(Document("x", "pdf", "pdf-scan", (Paragraph("三、收到和处理政府信息公开申请情况"), table))).values()
    assert v["applications.other_reason.natural_person"] == 1
    assert v["applications.other_reason.total"] == 1


def test_a_label_cell_holding_its_rows_only_number_still_gives_it():
    from extractors.model import Cell, Document, Paragraph, Table

    rows = [["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可 97"]]
    table = Table(tuple(Cell(r, c, t, bbox=(100.0 * c, 30.0 * r, 100.0 * c + 90, 30.0 * r + 20))
                        for r, row in enumerate(rows) for c, t in enumerate(row)))
    v = reconcile(Document("x", "pdf", "pdf", (Paragraph("二、主动公开政府信息情况"), table))).values()
    assert v["active_disclosure.administrative_licensing.decisions"] == 97


def test_a_number_read_glued_to_a_labels_last_character_is_the_rows_first_number():
    """A wrapped label's last line ends beside the row's first number; OCR read no space between."""
    from extractors.model import Cell, Document, Paragraph, Table

    rows = [["3.其他"] + ["0"] * 7, ["(七)总计"] + ["5", "0", "0", "0", "0", "0", "5"],
            ["四、结转下年度继续办理0"] + ["0"] * 6]
    table = Table(tuple(Cell(r, c, t, confidence=0.99) for r, row in enumerate(rows) for c, t in enumerate(row)))
    v = reconcile(Document("x", "pdf", "pdf-scan", (Paragraph("三、收到和处理政府信息公开申请情况"), table))).values()
    assert v["applications.carried_forward.natural_person"] == 0
    assert v["applications.carried_forward.total"] == 0


def test_a_misread_label_naming_a_row_printed_above_is_placed_where_the_count_agrees():
    """（一）予以公开 is printed with its numbers above; further down 予公开 (of （三）不予公开)
    beside row 5's numbers matches it too. Not a second printing: with it the gap's count agrees."""
    from extractors.model import Cell, Document, Paragraph, Table

    rows = [["（一）予以公开"] + ["9"] * 6 + ["54"],
            ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] + ["0"] * 7, ["1.属于国家秘密"] + ["0"] * 7]
    rows += [[""] + [str(k)] * 6 + [str(6 * k)] for k in range(2, 5)]
    rows += [["予公开"] + ["5"] * 6 + ["30"]]
    rows += [[""] + [str(k)] * 6 + [str(6 * k)] for k in range(6, 13)]
    rows += [["2.重复申请"] + ["0"] * 7]
    table = Table(tuple(Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row)))
    report = reconcile(Document("x", "html", "html", (Paragraph("三、收到和处理政府信息公开申请情况"), table)))
    v = report.values()
    assert v["applications.granted.total"] == 54
    assert v["applications.withheld_internal_affairs.total"] == 30
    assert v["applications.not_processed_petition.total"] == 72
    assert not any("granted" in why for _, why in report.doubts)


def test_a_stroke_read_between_two_words_of_a_label_is_part_of_the_label_not_a_value():
    """他 read as its two parts, 亻 as an unsure 1: (六)其 1 也处理 and the row's seven numbers."""
    from extractors.model import Cell, Document, Paragraph, Table

    rows = [["5.要求行政机关确认或重新出具已获取信息"] + ["0"] * 7,
            ["(六)其", "1", "也处理"] + ["2", "0", "0", "0", "0", "0", "2"],
            ["(七)总计"] + ["2", "0", "0", "0", "0", "0", "2"]]
    conf = {"(六)其": 0.5, "1": 0.5, "也处理": 0.42}
    table = Table(tuple(Cell(r, c, t, confidence=conf.get(t, 0.99)) for r, row in enumerate(rows) for c, t in enumerate(row)))
    v = reconcile(Document("x", "pdf", "pdf-scan", (Paragraph("三、收到和处理政府信息公开申请情况"), table))).values()
    assert v["applications.other_processing.natural_person"] == 2
    assert v["applications.other_processing.total"] == 2


def test_an_underscore_parts_a_doubted_cell_into_a_mark_and_its_number():
    """The row's last cell read I_0 at 0.43: a column rule's stub, the row rule under it, the 0. The
    mark is a stray the row is trimmed of, and the 0 its last value."""
    from extractors.model import Cell, Document, Paragraph, Table

    rows = [["(七)总计"] + ["3", "0", "0", "0", "0", "0", "3"],
            ["四、结转下年度继续办理"] + ["0"] * 6 + ["I_0"]]
    table = Table(tuple(Cell(r, c, t, confidence=0.43 if t == "I_0" else 0.99)
                        for r, row in enumerate(rows) for c, t in enumerate(row)))
    v = reconcile(Document("x", "pdf", "pdf-scan", (Paragraph("三、收到和处理政府信息公开申请情况"), table))).values()
    assert v["applications.carried_forward.natural_person"] == 0
    assert v["applications.carried_forward.total"] == 0


def test_an_underscore_ending_a_doubted_cells_number_is_dropped():
    """A cell read 0_ at 0.63: the 0 and the row rule under it. As a label it cut the row in two."""
    from extractors.model import Cell, Document, Paragraph, Table

    rows = [["(七)总计"] + ["3", "0", "0", "0", "0", "0", "3"],
            ["四、结转下年度继续办理"] + ["0"] * 5 + ["0_", "0"]]
    table = Table(tuple(Cell(r, c, t, confidence=0.63 if t == "0_" else 0.99)
                        for r, row in enumerate(rows) for c, t in enumerate(row)))
    v = reconcile(Document("x", "pdf", "pdf-scan", (Paragraph("三、收到和处理政府信息公开申请情况"), table))).values()
    assert v["applications.carried_forward.other_org"] == 0
    assert v["applications.carried_forward.total"] == 0
