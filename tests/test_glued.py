"""Glued digits: rows whose cells' digits ran together are split back only where the template's
rules leave one split; the others stay missing with the reason, and split cells say so (method
`split`). Fixtures: tests/fixtures/glued/ (tests/fixtures/gen_glued.py), with gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.glued import GluedRun, Printed, candidates, find_runs, solve
from extractors.model import Document, Paragraph
from extractors.reconcile import reconcile
from extractors.template import load_template
from flows.pipeline import process

FOLDER = Path(__file__).parent / "fixtures" / "glued"
GOLD = json.loads((FOLDER / "gold.json").read_text("utf-8"))["documents"]
T = load_template()


@pytest.mark.parametrize("name", sorted(GOLD))
def test_glued_fixture_reads_every_cell_with_one_split_and_no_other(name):
    gold = GOLD[name]
    p = process((FOLDER / name).read_bytes(), name, T)
    assert p.report is not None and p.report.template_version == gold["template_version"]
    got = p.report.values()
    expected = {k: v for k, v in gold["cells"].items() if k not in gold["ambiguous"]}
    right = sum(1 for k, v in expected.items() if got.get(k) == v)
    assert right >= 0.995 * len(expected), sorted(set(expected) - set(got))
    assert not [k for k, v in gold["cells"].items() if k in got and got[k] != v]
    assert not set(got) & (set(gold["missing"]) | set(gold["ambiguous"]))
    # every cell left unread is named, with why, by the glued_digits check
    glued = next(c for c in p.checks if c.rule_id == "glued_digits")
    for cell in set(gold["cells"]) - set(got):
        assert f"{cell.split('.')[0]}." in glued.detail and cell.split(".")[1] in glued.detail


def test_split_cells_are_marked_and_keep_the_run_as_read():
    p = process((FOLDER / "g01_county_2023.txt").read_bytes(), "g01", T)
    assert p.report is not None
    split = [f for f in p.report.facts if f.table_id == "applications"]
    assert split and all(f.method == "split" for f in split)
    assert all(f.raw_text.isdigit() and len(f.raw_text) >= 7 for f in split)


def _doc(*lines: str) -> Document:
    return Document("x.txt", "text", "text", tuple(Paragraph(t) for t in ("某县人民政府2023年政府信息公开工作年度报告", *lines)))


def test_a_row_split_by_its_own_total():
    # of all the cuts of 217300022 into seven numbers, only 2 17 3 0 0 0 | 22 adds up
    assert len(candidates(GluedRun("applications", ("new_received",), "217300022"), T)) == 1
    report = reconcile(_doc("三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量217300022"))
    v = report.values()
    assert [v[f"applications.new_received.{c}"] for c in T.table("applications").cols] == [2, 17, 3, 0, 0, 0, 22]


def test_the_next_rows_numbering_is_not_a_cell():
    runs = find_runs([Printed("5.属于三类内部事务信息3200000326.属于四类过程性信息1000001")], T)
    assert [(r.rows, r.digits) for r in runs] == [(("withheld_internal_affairs",), "320000032"),
                                                  (("withheld_process_information",), "1000001")]


def test_numbers_separated_by_spaces_are_not_glued():
    assert find_runs([Printed("一、本年新收政府信息公开申请数量 2 17 1 0 0 0 20")], T) == []


def test_a_run_with_two_splits_stays_unread_with_the_reason():
    run = GluedRun("applications", ("granted",), "217100020")
    # 2 17 1 0 0 0 | 20 and 2 1 7 10 0 0 | 20 both add up, and nothing else ties the row
    assert {c[0] for c in candidates(run, T)} == {(2, 17, 1, 0, 0, 0, 20), (2, 1, 7, 10, 0, 0, 20)}
    facts, unsplit = solve([run], {}, T)
    assert not facts
    assert unsplit and "splits satisfy the rules" in unsplit[0].why


def test_the_columns_rules_decide_between_a_rows_splits():
    # 勾稽关系: new_received + carried_over = total_processed + carried_forward, per column;
    # 1 1 1 1 1 1 6 and 11 ... : the other rows read as printed leave one
    cols = T.table("applications").cols
    fixed = {"carried_over": dict.fromkeys(cols, 0.0), "carried_forward": dict.fromkeys(cols, 0.0),
             "total_processed": dict(zip(cols, (11, 1, 0, 0, 0, 0, 12), strict=True))}
    run = GluedRun("applications", ("new_received",), "11100001" "2")
    assert len(candidates(run, T)) > 1
    facts, unsplit = solve([run], fixed, T)
    assert not unsplit
    assert [f.value for f in facts] == [11, 1, 0, 0, 0, 0, 12]


def test_table_two_is_never_split_by_guessing():
    report = reconcile(_doc("二、主动公开政府信息情况", "第二十条第（一）项", "信息内容本年制发件数本年废止件数现行有效件数",
                            "规章000", "行政规范性文件2031"))
    v = report.values()
    assert [v[f"active_disclosure.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert not any(k.startswith("active_disclosure.normative_documents") for k in v)
    assert any("normative_documents: 2031 not split" in u for u in report.unsplit)


def test_the_rows_as_a_flattened_portal_page_printed_them():
    runs = find_runs([Printed("一、本年新收政府信息公开申请数量21710000218"),
                      Printed("5.属于三类内部事务信息3200000326.属于四类过程性信息0000000")], T)
    assert [(r.rows, r.digits) for r in runs] == [(("new_received",), "21710000218"),
                                                  (("withheld_internal_affairs",), "320000032"),
                                                  (("withheld_process_information",), "0000000")]
    facts, unsplit = solve(runs, {}, T)
    assert not unsplit
    cells = {(f.row_id, f.col_id): f.value for f in facts}
    cols = T.table("applications").cols
    assert [cells[("new_received", c)] for c in cols] == [217, 1, 0, 0, 0, 0, 218]
    assert [cells[("withheld_internal_affairs", c)] for c in cols] == [32, 0, 0, 0, 0, 0, 32]


def test_a_one_cell_row_is_glued_only_where_its_number_touches_the_label():
    runs = find_runs([Printed("行政许可17773"), Printed("行政处罚 9")], T)
    assert [(r.rows, r.digits) for r in runs] == [(("administrative_licensing",), "17773")]
