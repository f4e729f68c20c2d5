"""A table read two ways (a scan's ruled table between its rules, and the same recognitions laid out
as words): where the readings differ on a cell, a reading is taken only where it is the only one the
template's arithmetic confirms; otherwise the cell keeps the first reading and is doubted, the doubt
naming both. Never a silent choice (extractors/arbitrate.py)."""

from __future__ import annotations

from extractors.checks import check_report
from extractors.model import Cell, Document, Paragraph, Table
from extractors.reconcile import reconcile
from extractors.template import load_template

T = load_template()
TITLE = Paragraph("某县人民政府2023年政府信息公开工作年度报告")
ACTIVE = Paragraph("二、主动公开政府信息情况")
APPS = Paragraph("三、收到和处理政府信息公开申请情况")

# 表三 as printed: every row adds up, every column's outcomes add up to 总计, and 新收 + 结转 = 总计 + 结转下年度
ROWS = {
    "new_received": [5, 1, 0, 0, 2, 0, 8],
    "carried_over": [2, 0, 0, 0, 0, 0, 2],
    "granted": [3, 1, 0, 0, 1, 0, 5],
    "partially_granted": [1, 0, 0, 0, 1, 0, 2],
    "total_processed": [4, 1, 0, 0, 2, 0, 7],
    "carried_forward": [3, 0, 0, 0, 0, 0, 3],
}


def apps_rows(changes: dict[str, list[str] | None] | None = None) -> list[list[str]]:
    """表三's rows as text, every outcome row not in ROWS printed as zeros; `changes` replaces a
    row's numbers (None: the row is not read at all)."""
    changes = changes or {}
    out = []
    for r in T.table("applications").rows:
        nums = changes.get(r.id, [str(v) for v in ROWS.get(r.id, [0] * 7)])
        if nums is not None:
            out.append([r.label, *nums])
    return out


def table(rows: list[list[str]], layout: str, alternative: tuple = ()) -> Table:
    return Table(tuple(Cell(r, c, text, page=1, confidence=0.99, layout=layout)
                       for r, row in enumerate(rows) for c, text in enumerate(row)), page=1, alternative=alternative)


def read(grid_rows: list[list[str]], word_rows: list[list[str]] | None, *before: Paragraph):
    """A scan whose ruled table the grid read as `grid_rows` and the word layout as `word_rows`."""
    alt = (table(word_rows, "words"),) if word_rows is not None else ()
    doc = Document("x.pdf", "pdf", "ocr", (TITLE, *before, table(grid_rows, "grid", alt)))
    report = reconcile(doc, T)
    failed = {c.rule_id: c.detail for c in check_report(report, T) if not c.passed and c.rule_id != "missing_cells"}
    return {f.cell_id: f for f in report.facts if f.method != "inferred"}, failed


def cell(row: str, col: str) -> str:
    return f"applications.{row}.{col}"


def test_readings_that_agree_change_nothing():
    facts, failed = read(apps_rows(), apps_rows(), APPS)
    assert {f.layout for f in facts.values()} == {"grid"}
    assert failed == {}


def test_a_row_the_grid_moved_is_taken_from_the_word_layout_where_the_balance_pins_it():
    # a lost rule between 新收's and 结转's labels: the grid gives 结转 新收's numbers and loses 新收
    moved = apps_rows({"new_received": None, "carried_over": [str(v) for v in ROWS["new_received"]]})
    facts, failed = read(moved, apps_rows(), APPS)
    for row in ("new_received", "carried_over"):
        assert [facts[cell(row, c)].value for c in T.table("applications").cols] == ROWS[row]
    # the cells the readings gave different numbers come from the word layout; where both read 0, the grid's
    assert facts[cell("new_received", "total")].layout == "words"
    assert facts[cell("carried_over", "natural_person")].layout == "words"
    assert facts[cell("carried_over", "research_institution")].layout == "grid"
    assert failed == {}


def test_a_number_the_grid_put_in_a_blank_cell_is_not_loaded_where_the_row_total_refutes_it():
    spurious = apps_rows({"granted": ["3", "1", "2", "0", "1", "0", "5"]})
    printed = apps_rows({"granted": ["3", "1", "", "0", "1", "0", "5"]})
    facts, failed = read(spurious, printed, APPS)
    assert cell("granted", "research_institution") not in facts
    assert facts[cell("granted", "total")].value == 5
    assert failed == {}


def test_readings_the_rules_cannot_tell_apart_keep_the_grid_and_doubt_the_cell_naming_both():
    # without 总计 and 结转下年度 printed, only the row total speaks, and it holds with both
    grid = apps_rows({"granted": ["3", "1", "0", "0", "1", "0", "5"], "total_processed": None,
                      "carried_forward": None})
    words = apps_rows({"granted": ["1", "3", "0", "0", "1", "0", "5"], "total_processed": None,
                       "carried_forward": None})
    facts, failed = read(grid, words, APPS)
    for col, kept, other in (("natural_person", "3", "1"), ("commercial_enterprise", "1", "3")):
        assert facts[cell("granted", col)].value == float(kept)
        assert facts[cell("granted", col)].layout == "grid"
        why = failed[cell("granted", col)]
        assert f"{kept} (grid" in why and f"{other} (words" in why
    assert cell("granted", "research_institution") not in failed  # read alike


def test_readings_the_rules_refute_both_doubt_the_cell():
    grid = apps_rows({"granted": ["9", "1", "0", "0", "1", "0", "5"]})
    words = apps_rows({"granted": ["8", "1", "0", "0", "1", "0", "5"]})
    facts, failed = read(grid, words, APPS)
    assert facts[cell("granted", "natural_person")].value == 9
    assert "confirm neither" in failed[cell("granted", "natural_person")]


def test_the_grid_is_kept_without_doubt_where_the_rules_refute_the_word_layout():
    words = apps_rows({"partially_granted": ["1", "0", "0", "0", "1", "0", "0"]})
    facts, failed = read(apps_rows(), words, APPS)
    assert facts[cell("partially_granted", "total")].value == 2
    assert facts[cell("partially_granted", "total")].layout == "grid"
    assert failed == {}


def test_a_row_the_word_layout_did_not_read_says_nothing_against_the_grid():
    words = apps_rows({"granted": None, "partially_granted": None})
    facts, failed = read(apps_rows(), words, APPS)
    assert facts[cell("granted", "natural_person")].value == 3
    assert failed == {}


def test_a_row_only_the_word_layout_read_is_loaded_only_where_the_rules_confirm_it():
    lost = apps_rows({"granted": None})
    facts, _ = read(lost, apps_rows(), APPS)
    assert facts[cell("granted", "natural_person")].value == 3
    assert facts[cell("granted", "natural_person")].layout == "words"
    wrong = apps_rows({"granted": ["3", "1", "0", "0", "1", "0", "9"]})
    facts, _ = read(lost, wrong, APPS)
    assert cell("granted", "natural_person") not in facts


def test_a_cell_no_rule_ties_is_doubted_wherever_the_readings_differ():
    grid = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "5", "0", "12"]]
    words = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "6", "0", "12"]]
    facts, failed = read(grid, words, ACTIVE)
    assert facts["active_disclosure.regulations.issued"].value == 5
    assert "6 (words" in failed["active_disclosure.regulations.issued"]
    assert "active_disclosure.regulations.in_force" not in failed


def test_the_second_reading_of_a_table_cut_by_a_page_break_is_stitched_as_the_table_is():
    from extractors.pdf_ruled import TablePart
    from extractors.pdf_stitch import stitch_pages

    def part(page: int, rows: list[list[str]], layout: str, alternative: tuple = ()) -> TablePart:
        cells = tuple(Cell(r, c, t, page=page, layout=layout) for r, row in enumerate(rows) for c, t in enumerate(row))
        return TablePart(page, (0, 0, 300, 40), (0.0, 200.0, 300.0), (0.0, 20.0, 40.0), cells, ruled=layout == "grid",
                         alternative=alternative)

    head = part(1, [["规章", "5"], ["规范性文件", "3"]], "grid",
                (part(1, [["规章", "5"], ["规范性文件", "3"]], "words"),))
    tail = part(2, [["行政许可", "7"], ["行政处罚", "2"]], "grid",
                (part(2, [["行政许可", "7"], ["行政处罚", "2"]], "words"),))
    (joined,) = stitch_pages([[head], [tail]])
    assert isinstance(joined, TablePart)
    table = joined.to_table()
    (alt,) = table.alternative
    assert isinstance(alt, Table)
    assert [[c.text for c in row] for row in alt.rows()] == [["规章", "5"], ["规范性文件", "3"], ["行政许可", "7"],
                                                             ["行政处罚", "2"]]
    assert {c.layout for c in alt.cells} == {"words"}


def test_a_row_no_rule_ties_that_only_the_word_layout_read_is_loaded_and_doubted():
    header = ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    grid = [header, ["规章", "5", "0", "12"]]
    words = [header, ["规章", "5", "0", "12"], ["规范性文件", "3", "1", "40"]]
    facts, failed = read(grid, words, ACTIVE)
    assert facts["active_disclosure.normative_documents.in_force"].value == 40
    assert facts["active_disclosure.normative_documents.in_force"].layout == "words"
    assert "row not read" in failed["active_disclosure.normative_documents.in_force"]
    assert "active_disclosure.regulations.issued" not in failed
