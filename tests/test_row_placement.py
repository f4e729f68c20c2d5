"""Rows of numbers whose labels were lost or misread are placed by the template's order between the
rows whose labels were read, and only where exactly one placement fits (extractors/reconcile.py
align). Each test is a scan's reading as the layout stage gives it: a table of OCR cells."""

from __future__ import annotations

from dataclasses import replace

from extractors.model import Cell, Paragraph, Table
from tests.test_doubts import ACTIVE, APPS, REVIEW, read, table

ROW_5 = ["5.要求行政机关确认或重新出具已获取信息", "0", "0", "0", "0", "0", "0", "0"]
CARRIED = ["四、结转下年度继续办理", "3", "0", "0", "0", "0", "0", "3"]
# 予以公开, a lone 1 on a line of its own, two rows whose labels were lost, 其他法律…
STRAY_IN_GAP = [["（一）予以公开", "5", "1", "0", "0", "0", "0", "6"],
                ["1", "", "", "", "", "", "", ""],
                ["", "2", "0", "0", "0", "0", "0", "2"],
                ["", "3", "0", "0", "0", "0", "0", "3"],
                ["2.其他法律行政法规禁止公开", "4", "0", "0", "0", "0", "0", "4"]]


def test_a_lone_unsure_number_among_blanks_is_no_row():
    # a label's bracket read as 1 on a line of its own: the gap between 予以公开 and 其他法律… then
    # held three rows of numbers for two template rows, and none of them was placed
    facts, _ = read(APPS, table(STRAY_IN_GAP, 0.98, low={(1, 0): 0.55}), method="ocr")
    assert facts["applications.partially_granted.total"].value == 2
    assert facts["applications.withheld_state_secret.total"].value == 3


def test_a_sure_number_among_blanks_is_not_dropped_to_make_rows_fit():
    facts, _ = read(APPS, table(STRAY_IN_GAP, 0.98), method="ocr")
    assert "applications.partially_granted.total" not in facts
    assert "applications.withheld_state_secret.total" not in facts


def test_two_rows_labels_read_as_one_piece_do_not_take_the_first_rows_numbers():
    # the label of （一）予以公开 and the first line of （二）部分公开's read as one piece: it named
    # 部分公开 (no better than another row's label scores) on 予以公开's numbers, and 部分公开's own
    # numbers, under the rest of its label, were left with no row
    rows = [["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"],
            ["（一）予以公开（二部分公开（区分处理", "1", "0", "0", "0", "0", "0", "1"],
            ["的，只计这一情形，不计其他情形）", "2", "0", "0", "0", "0", "0", "2"],
            ["1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"]]
    facts, _ = read(APPS, table(rows, 0.98), method="ocr")
    assert facts["applications.granted.total"].value == 1
    assert facts["applications.partially_granted.total"].value == 2


def test_other_processing_printed_as_one_row_is_placed_under_a_damaged_label():
    # （六）其他处理 printed as one row, its label and 总计's read as marks: two rows of numbers for
    # the three sub-rows and the total the template has there
    rows = [ROW_5,
            ["（六）期电处理", "1", "0", "0", "0", "0", "0", "1"],
            ["（七）总i", "9", "0", "0", "0", "0", "0", "9"],
            CARRIED]
    facts, _ = read(APPS, table(rows, 0.98, low={(1, 0): 0.6, (2, 0): 0.6}), method="ocr")
    assert facts["applications.other_processing.total"].value == 1
    assert facts["applications.total_processed.total"].value == 9
    assert "applications.other_no_correction.total" not in facts


def test_a_table_rows_label_read_with_a_full_stop_is_still_its_row():
    # OCR read the label's ，as 。: the line had been taken for a sentence and its row lost
    rows = [["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "0", "0", "0", "0", "0", "0", "0"],
            ["2.申请人逾期未按收费通知要求缴纳费用。行政机关不再处理其政府信息公开申请", "2", "0", "0", "0", "0", "0", "2"],
            ["3.其他", "0", "0", "0", "0", "0", "0", "0"]]
    facts, _ = read(APPS, table(rows, 0.98, low={(1, 0): 0.55}), method="ocr")
    assert facts["applications.other_unpaid_fee.total"].value == 2


def test_a_stray_row_does_not_stand_in_for_a_row_whose_label_was_misread():
    # （三）不予公开's fragment 予公开 beside 5.属于三类内部事务信息's numbers names 予以公开, which
    # is placed above; with a stray row in the gap the count fitted, and the stray took the row
    rows = [["（一）予以公开", "5", "1", "0", "0", "0", "0", "6"],
            ["4.保护第三方合法权益", "0", "0", "0", "0", "0", "0", "0"],
            ["1", "", "", "", "", "", "", ""],
            ["予公开", "1", "0", "0", "0", "0", "0", "1"],
            ["6.属于四类过程性信息", "0", "0", "0", "0", "0", "0", "0"]]
    facts, _ = read(APPS, table(rows, 0.98, low={(2, 0): 0.6}), method="ocr")
    assert [facts[f"applications.withheld_internal_affairs.{c}"].value
            for c in ("natural_person", "total")] == [1, 1]


def test_a_rules_junction_read_stuck_to_a_number_is_dropped_from_it():
    # the foot of a worn column rule read as ⊥ stuck to a 1 (⊥1): as a label in the middle of 表四's
    # one row of numbers it had left the row no numbers before it, and the table was lost
    rows = [["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
            ["1", "0", "⊥1", "1", "3", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]]
    facts, failed = read(REVIEW, table(rows, 0.98, low={(1, 2): 0.69}), method="ocr")
    assert facts["review_litigation.administrative_review.total"].value == 3
    # the 1, as unsure as it was read: the row's total is what holds it
    other = facts["review_litigation.administrative_review.other_result"]
    assert other.value == 1 and other.confidence is not None and other.confidence < 0.85
    assert "review_litigation.row_total" not in failed


def test_a_digit_read_unsure_with_a_letter_is_a_cell_of_unknown_value_in_its_row():
    # a seal's stroke across a 0 read as 1t: as a label it broke the row and its six numbers were lost
    rows = [["5.属于三类内部事务信息", "0", "0", "0", "1", "0", "1t", "1"]]
    facts, _ = read(APPS, table(rows, 0.98, low={(0, 6): 0.29}), method="ocr")
    assert facts["applications.withheld_internal_affairs.total"].value == 1
    # not read as a number: the value the row's sums force on it, as a correction, the mark kept
    smudged = facts["applications.withheld_internal_affairs.other_org"]
    assert (smudged.value, smudged.method, smudged.raw_text) == (0, "ocr_corrected", "1t")


def test_a_symbol_read_sure_beside_a_number_is_a_mark():
    rows = [["6.属于四类过程性信息", "0", "0 ↓", "0", "0", "0", "0", "0"]]
    facts, _ = read(APPS, table(rows, 0.98), method="ocr")
    assert [facts[f"applications.withheld_process_information.{c}"].value
            for c in ("natural_person", "commercial_enterprise", "total")] == [0, 0, 0]


def test_a_symbol_beside_the_number_of_a_ruled_table_two_cell_is_no_value():
    # 表二's rows have no sums: as a cell of its own the mark made the row a value too long, and lost
    rows = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "0 ↓", "0", "3"],
            ["行政规范性文件", "2", "1", "14"]]
    block = table(rows, 0.98)
    block = Table(tuple(replace(c, layout="grid") for c in block.cells))
    facts, _ = read(ACTIVE, Paragraph("第二十条第（一）项"), block, method="ocr")
    assert [facts[f"active_disclosure.regulations.{c}"].value for c in ("issued", "repealed", "in_force")] == [0, 0, 3]


def test_a_fleck_read_sure_stuck_to_a_number_is_dropped():
    rows = [["4.无正当理由大量反复申请", "0", "0", "0", "0", "0", "0", "0」"]]
    facts, _ = read(APPS, table(rows, 0.98), method="ocr")
    assert facts["applications.not_processed_excessive.total"].value == 0



def test_digits_read_unsure_and_split_from_a_label_stay_doubted():
    # a seal's name and a fee's digits under it read as one unsure piece, glued to nothing: split
    # off as the fee's one number, it had lost the reading's doubt and loaded without a warning
    active = Paragraph("二、主动公开政府信息情况")
    facts, failed = read(active, Paragraph("第二十条第（八）项"), Paragraph("信息内容 本年收费金额（单位：万元）"),
                         Paragraph("行政事业性收费昌区467.", confidence=0.6), method="ocr")
    fee = "active_disclosure.administrative_fees.amount"
    assert fee not in facts or fee in failed


def test_one_letter_read_sure_among_a_rows_numbers_is_a_cell_of_unknown_value():
    # a 0 a seal's stroke closed, read U with confidence: as a label it broke its row
    rows = [["1、本机关不掌握相关政府信息", "272", "1", "0", "U", "2", "1", "276"]]
    facts, _ = read(APPS, table(rows, 0.98), method="ocr")
    assert facts["applications.unavailable_not_held.total"].value == 276
    # its row's sums, read surely, force 0 on it: a correction, the mark kept
    smudged = facts["applications.unavailable_not_held.public_interest_org"]
    assert (smudged.value, smudged.method, smudged.raw_text) == (0, "ocr_corrected", "U")


def test_a_rules_corner_read_sure_between_zeros_is_shed_by_the_review_row():
    review = Paragraph("四、政府信息公开行政复议、行政诉讼情况")
    rows = [["0"] * 10 + ["0 L 0"] + ["0"] * 3]
    facts, _ = read(review, table(rows, 0.98), method="ocr")
    assert sum(f.table_id == "review_litigation" and f.value == 0 and f.method == "ocr" for f in facts.values()) == 15


def test_words_read_unsure_among_a_rows_numbers_are_a_cell_of_unknown_value():
    # a seal's lettering over a cell, read 馬話 at 0.2 between the row's numbers: as the row's last
    # label it had left the row its last four numbers, and the row was lost
    rows = [["1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "57", "0", "馬話", "0", "0", "0", "57"]]
    facts, _ = read(APPS, table(rows, 0.98, low={(0, 3): 0.2}), method="ocr")
    assert facts["applications.other_no_correction.total"].value == 57
    assert facts["applications.other_no_correction.natural_person"].value == 57


def test_a_label_read_unsure_before_the_rows_numbers_stays_its_label():
    rows = [["1", "（六）其他处理", "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
             "4", "0", "0", "0", "0", "0", "4"]]
    facts, _ = read(APPS, table(rows, 0.98, low={(0, 0): 0.79, (0, 1): 0.7}), method="ocr")
    assert facts["applications.other_unpaid_fee.total"].value == 4


def test_a_second_label_read_merely_unsure_after_numbers_stays_a_label():
    # 表二 printed two label and number pairs a line: 行政处罚 read at 0.7 still opens its own row
    active = Paragraph("二、主动公开政府信息情况")
    rows = [["第二十条第（五）项"], ["信息内容", "本年处理决定数量", "信息内容", "本年处理决定数量"],
            ["行政许可", "2438", "行政处罚", "2774"]]
    facts, _ = read(active, table(rows, 0.98, low={(2, 2): 0.7}), method="ocr")
    assert facts["active_disclosure.administrative_penalty.decisions"].value == 2774


# 表二's first sub-table under its header, the label of 规章 misread by the scan (规球)
RULES_MISREAD = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                 ["规球", "0", "1", "4"],
                 ["行政规范性文件", "1", "0", "6"],
                 ["行政许可", "12"]]


def test_a_table_two_row_whose_label_was_misread_takes_the_row_of_its_sub_table_beside_it():
    facts, failed = read(ACTIVE, table(RULES_MISREAD, 0.98, low={(1, 0): 0.31}), method="ocr")
    assert [facts[f"active_disclosure.regulations.{c}"].value for c in ("issued", "repealed", "in_force")] == [0, 1, 4]
    assert "active_disclosure.regulations.in_force" in failed  # only its place names it: doubted


def test_a_table_two_row_of_another_width_is_not_put_beside_a_row():
    # one number under 行政规范性文件's three columns: no row of that sub-table, left unplaced
    rows = [RULES_MISREAD[0], RULES_MISREAD[2], ["规球", "5"], RULES_MISREAD[3]]
    facts, _ = read(ACTIVE, table(rows, 0.98, low={(2, 0): 0.31}), method="ocr")
    assert not [c for c in facts if c.startswith("active_disclosure.regulations")]
    assert facts["active_disclosure.administrative_licensing.decisions"].value == 12


def test_a_tables_corner_read_as_a_letter_after_a_rows_number_is_no_label():
    # a table read as words whose frame's corner (┘) read as L, sure, after the fee's number: as
    # the line's last label it left the row no number
    active = Paragraph("二、主动公开政府信息情况")
    facts, _ = read(active, Paragraph("第二十条第（八）项"), Paragraph("信息内容 本年收费金额（单位：万元）"),
                    Paragraph("行政事业性收费 12.5 L", confidence=0.99), method="ocr")
    assert facts["active_disclosure.administrative_fees.amount"].value == 12.5


def test_an_unlabelled_row_whose_first_cell_was_not_read_keeps_its_columns():
    # a seal over the label column and the first column of numbers: the row's label and its first
    # value not read, the other six in their columns. Stripped as padding, the blank had left the row
    # a value short, and it was lost; in a row holding every column of its table it is a cell
    rows = [["（一）予以公开", "17", "0", "0", "0", "0", "0", "17"],
            ["", "", "0", "0", "0", "0", "0", "5"],
            ["1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"]]
    facts, _ = read(APPS, table(rows, 0.98, low={(1, 2): 0.6}), method="ocr")
    got = {c: f.value for c in ("commercial_enterprise", "other_org", "total")
           if (f := facts.get(f"applications.partially_granted.{c}")) and f.method != "inferred"}
    assert got == {"commercial_enterprise": 0, "other_org": 0, "total": 5}
    first = facts.get("applications.partially_granted.natural_person")
    assert first is None or first.method == "inferred"


def test_a_lone_number_in_a_row_of_blanks_is_still_a_stray():
    # a seal's fragments read as 1 and as a scrawl in a row otherwise blank, between two rows
    # the template sets side by side: no row of its own, and the unlabelled row under it is placed
    rows = [["2.其他法律行政法规禁止公开", "0", "0", "0", "0", "0", "0", "0"],
            ["", "0", "0", "0", "0", "0", "0", "0"],
            ["", "cis", "", "", "", "", "", "1"],
            ["4.保护第三方合法权益", "1", "0", "0", "0", "0", "0", "1"]]
    facts, _ = read(APPS, table(rows, 0.98, low={(2, 7): 0.6, (2, 1): 0.22}), method="ocr")
    row = facts.get("applications.withheld_security_stability.total")
    assert row is not None and row.value == 0 and row.method != "inferred"


def test_a_header_line_with_a_seals_lettering_read_as_unsure_numbers_is_no_row():
    # 表四's header under a seal: its lettering read as 0 and 4, unsure, among blanks, on a line of
    # its own; as a row it made four rows for 表四's three, and the table's one data row was lost
    rows = [["行政复议", "", "", "", "", "行政诉讼"],
            ["", "0", "", "", "4", ""],
            ["1", "0", "1", "1", "3", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]]
    facts, _ = read(REVIEW, table(rows, 0.98, low={(1, 1): 0.5, (1, 4): 0.6}), method="ocr")
    assert facts["review_litigation.administrative_review.total"].value == 3
    assert facts["review_litigation.litigation_after_review.total"].value == 0


# 不予处理's rows under a seal: labels read in part, 不再处理's row lost (read with too few numbers)
UNDER_SEAL = [["3.补正后申请内容仍不明确", "0", "0", "0", "0", "0", "0", "0"],
              ["1.信访举报投诉类申请", "0", "0", "0", "0", "0", "0", "0"],
              ["2.重复申请", "1", "0", "0", "0", "0", "0", "1"],
              ["(五)不予处理3.要求提供公开", "2", "0", "0", "0", "0", "0", "2"],
              ["<mawiese5 4.无正当理", "3", "0", "0", "0", "0", "0", "3"],
              ["5.要求已获ASS", "4", "0", "0", "0", "0", "0", "4"],
              ["(六)其他处理2.申请求缴纳费行政机关不再处", "5", "0", "0", "0", "0", "0", "5"],
              ["3.其他", "6", "0", "0", "0", "0", "0", "6"]]


# 表二's header as the 2021 format prints it: (六)其他处理 alone is a row of the 2019 format
HEADED = (ACTIVE, table([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", "0"]]))


def test_rows_whose_labels_were_read_in_part_are_placed_by_what_was_read():
    # four rows of numbers for the five template rows between 重复申请 and 其他: no label names a
    # row among the whole template, but among the gap's rows each names one, in order (无正当理
    # is in two labels of the gap; only one lies between its neighbours' rows)
    facts, failed = read(*HEADED, APPS, table(UNDER_SEAL, 0.98, low={(r, 0): 0.6 for r in range(3, 7)}), method="ocr")
    got = {r: facts[f"applications.{r}.total"].value for r in (
        "not_processed_publication", "not_processed_excessive", "not_processed_confirmation", "other_unpaid_fee")}
    assert got == {"not_processed_publication": 2, "not_processed_excessive": 3,
                   "not_processed_confirmation": 4, "other_unpaid_fee": 5}
    assert "applications.other_no_correction.total" not in facts or facts[
        "applications.other_no_correction.total"].method == "inferred"
    assert "applications.not_processed_excessive.total" in failed  # placed by a part of its label: doubted


def test_a_row_with_no_label_left_is_not_placed_where_two_rows_fit_it():
    rows = [r if k not in (4, 5) else ["", *r[1:]] for k, r in enumerate(UNDER_SEAL)]
    # neither 无正当理 nor 要求已获 read: either of them may be the lost row's neighbour
    facts, _ = read(*HEADED, APPS, table(rows, 0.98), method="ocr")
    assert "applications.not_processed_excessive.total" not in facts
    assert "applications.not_processed_confirmation.total" not in facts


def _apps_rows(last: list[list[str]], not_held: str = "1") -> list[list[str]]:
    """表三 from 新收 to 5.要求…确认 read whole (one application, not held), then `last`."""
    zero = ["0"] * 7
    rows = [["一、本年新收政府信息公开申请数量", not_held, *["0"] * 5, not_held], ["二、上年结转政府信息公开申请数量", *zero]]
    for label in ("（一）予以公开", "（二）部分公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开",
                  "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                  "7.属于行政执法案卷", "8.属于行政查询事项"):
        rows.append([label, *zero])
    rows.append(["1.本机关不掌握相关政府信息", not_held, *["0"] * 5, not_held])
    for label in ("2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确", "1.信访举报投诉类申请", "2.重复申请",
                  "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新"):
        rows.append([label, *zero])
    return rows + last


# （六）其他处理 printed as one row and （七）总计, both labels lost to a seal, 结转下年度's label
# misread and a value of it lost; the wrapped label's last line holds the seal's 2, read unsure
SEALED_END = [["出具已获取信息", "", "", "", "", "", "2", ""],
              ["(六)H处理", "0", "0", "0", "I8", "0", "va", "0"],
              ["七)总", "1", "0", "0", "0", "0", "", "1"],
              ["四、结车、下年度继组B办理", "0", "0", "0", "0", "0", "0"]]
SEALED_LOW = {(20, 6): 0.53, (21, 4): 0.22, (21, 6): 0.6}  # the seal's 2, its lettering read as I8 and va


def test_rows_whose_labels_are_lost_are_placed_where_the_sums_tie_them():
    # two rows of numbers for 其他处理, 总计 and 结转下年度: as 总计 and 结转, 总计's 0 would be less
    # than the 1 of 本机关不掌握 it sums; only 其他处理 then 总计 adds up
    facts, failed = read(*HEADED, APPS, table(_apps_rows(SEALED_END[:-1]), 0.98, low=SEALED_LOW), method="ocr")
    assert facts["applications.total_processed.natural_person"].value == 1
    assert facts["applications.other_processing.natural_person"].value == 0
    assert "applications.total_processed.natural_person" in failed  # placed by the sums: doubted


def test_an_unlabelled_row_of_zeros_a_value_short_counts_among_its_gaps_rows():
    # 结转下年度's label misread and a cell of its zeros lost: still a row, so the gap's three rows
    # of numbers fill its three template rows by order
    facts, _ = read(*HEADED, APPS, table(_apps_rows(SEALED_END), 0.98, low=SEALED_LOW), method="ocr")
    assert facts["applications.total_processed.natural_person"].value == 1
    assert facts["applications.carried_forward.natural_person"].value == 0


def test_rows_the_sums_tie_to_more_than_one_place_are_not_placed():
    # with no application at all every row is zeros: 总计 then 结转 adds up as well
    end = [[c if c != "1" else "0" for c in row] for row in SEALED_END[:-1]]  # 结转 lost whole
    facts, _ = read(*HEADED, APPS, table(_apps_rows(end, not_held="0"), 0.98, low=SEALED_LOW), method="ocr")
    assert "applications.total_processed.natural_person" not in facts
    assert "applications.other_processing.natural_person" not in facts


def test_two_cells_digits_read_as_one_number_are_split_where_the_review_rows_sums_admit():
    # 复议后起诉's 尚未审结 1 and 总计 9 read as 19: fourteen values for 表四's fifteen
    row = ["4", "1", "0", "0", "5", "17", "2", "0", "5", "24", "7", "0", "1", "19"]
    facts, failed = read(APPS, table([row], 0.98), method="ocr")
    assert facts["review_litigation.litigation_after_review.pending"].value == 1
    assert facts["review_litigation.litigation_after_review.total"].value == 9
    assert facts["review_litigation.litigation_direct.upheld"].value == 17
    assert "review_litigation.litigation_after_review.total" in failed  # split by the sums: doubted


def test_a_table_three_row_a_value_short_is_split_where_its_total_admits():
    rows = [["（一）予以公开", "11", "0", "0", "0", "0", "2"]]  # 1 and 1 read as 11
    facts, failed = read(*HEADED, APPS, table(rows, 0.98), method="ocr")
    assert [facts[f"applications.granted.{c}"].value for c in ("natural_person", "commercial_enterprise", "total")] == [1, 1, 2]
    assert "applications.granted.natural_person" in failed


def test_a_row_a_value_short_whose_sums_admit_no_split_is_not_placed():
    rows = [["（一）予以公开", "12", "0", "0", "0", "0", "12"]]  # a cell lost, no digits run together
    facts, _ = read(*HEADED, APPS, table(rows, 0.98), method="ocr")
    assert not any(k.startswith("applications.granted.") for k in facts)


def test_table_four_printed_whole_on_one_line_is_read_beside_a_stray_line():
    # a worn rule's stub under the row read as a sure 1 on a line of its own: four rows of numbers
    # for 表四's three, but one line holds all fifteen values
    rows = [["0"] * 15, [""] * 5 + ["1"] + [""] * 4]
    facts, failed = read(REVIEW, table(rows, 0.98), method="ocr")
    assert sum(f.table_id == "review_litigation" and f.value == 0 for f in facts.values()) == 15
    assert "unplaced_rows" in failed  # the stray line is said to be left over


def _regulations_row(repealed: str, confidence: float, in_force: str) -> dict:
    """表二's 规章 row read from a ruled scan, cell by cell, its 本年废止件数 cell read as
    `repealed` at `confidence` from its one box; the facts read."""
    cells = (Cell(0, 0, "规章", page=2, bbox=(80, 385, 228, 406), confidence=0.99),
             Cell(0, 1, "0", page=2, bbox=(228, 385, 325, 406), confidence=0.99),
             Cell(0, 2, repealed, page=2, bbox=(325, 385, 421, 406), confidence=confidence),
             Cell(0, 3, in_force, page=2, bbox=(421, 385, 517, 406), confidence=0.99))
    header = table([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]])
    facts, _ = read(ACTIVE, header, Table(cells), method="ocr")
    return facts


def test_a_table_two_cell_read_as_two_unsure_numbers_is_unknown_and_the_rest_keep_their_columns():
    # 规章's 本年废止件数 under a seal read as 0 and 3 from its one box: 表二 has no sums to say
    # which was printed, but 本年制发件数 and 现行有效件数 are still read
    facts = _regulations_row("0 3", 0.5, "7")
    assert facts["active_disclosure.regulations.issued"].value == 0
    assert facts["active_disclosure.regulations.in_force"].value == 7
    assert "active_disclosure.regulations.repealed" not in facts


def test_a_table_two_cell_read_as_a_scrawl_and_an_unsure_number_is_unknown_and_the_rest_keep_their_columns():
    # 规章's 本年废止件数 0 under a seal's lettering read as 湖区 1 at 0.41, from its one box
    facts = _regulations_row("湖区 1", 0.41, "0")
    assert facts["active_disclosure.regulations.issued"].value == 0
    assert facts["active_disclosure.regulations.in_force"].value == 0
    assert "active_disclosure.regulations.repealed" not in facts


def test_a_row_of_zeros_read_a_value_short_is_zeros_throughout():
    # one cell of 重复申请 lost under a seal: its total is 0 whichever it was, so every cell is 0
    rows = [["1.信访举报投诉类申请", "0", "0", "0", "0", "0", "0", "0"],
            ["2.重复申请", "0", "0", "0", "0", "0", "0"]]
    facts, failed = read(*HEADED, APPS, table(rows, 0.98), method="ocr")
    row = [f"applications.not_processed_duplicate.{c}" for c in (
        "natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
        "legal_service_org", "other_org", "total")]
    assert [facts[c].value for c in row] == [0.0] * 7
    assert row[0] in failed  # which box was which column is a guess: doubted


def test_a_row_a_value_short_holding_a_count_is_not_filled():
    rows = [["2.重复申请", "1", "0", "0", "0", "0", "1"]]  # the lost cell may be any of them
    facts, _ = read(*HEADED, APPS, table(rows, 0.98), method="ocr")
    assert not any(k.startswith("applications.not_processed_duplicate.") for k in facts)


def test_one_number_rows_read_down_a_column_take_the_numbers_read_down_the_next():
    # a grid that lost its numbers' column: 行政处罚 and 行政强制 read as its rows, 1614 and 47
    # below them as loose text
    labels = table([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["行政处罚", ""], ["行政强制"]], 0.98)
    facts, _ = read(ACTIVE, labels, Paragraph("本年处理决定数量"), Paragraph("1614"), Paragraph("47"), method="ocr")
    assert facts["active_disclosure.administrative_penalty.decisions"].value == 1614
    assert facts["active_disclosure.administrative_coercion.decisions"].value == 47


def test_numbers_read_down_a_column_are_not_paired_with_labels_of_another_count():
    labels = table([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["行政处罚", ""], ["行政强制"]], 0.98)
    facts, _ = read(ACTIVE, labels, Paragraph("1614"), Paragraph("47"), Paragraph("3"), method="ocr")
    assert "active_disclosure.administrative_penalty.decisions" not in facts


def test_a_row_beside_a_cell_spanning_down_keeps_its_unread_first_cell_in_place():
    # 本年度办理结果 spans its rows in the first column; a row under a seal lost its label and its
    # first number: its blank is a cell not read, not padding, and the row still holds a value per
    # column (the blank had been stripped, the row was a value short, and it was lost)
    rows = [["3.补正后申请内容仍不明确", "0", "0", "0", "0", "0", "0", "0"],
            ["", "", "1", "0", "0", "0", "0", "1"],
            ["2.重复申请", "0", "0", "0", "0", "0", "0", "0"]]
    cells = [Cell(0, 0, "本年度办理结果", row_span=3, confidence=0.98)]
    cells += [Cell(r, c + 1, text, confidence=0.98) for r, row in enumerate(rows) for c, text in enumerate(row)]
    facts, _ = read(APPS, Table(tuple(cells)), method="ocr")
    assert facts["applications.not_processed_petition.commercial_enterprise"].value == 1
    assert facts["applications.not_processed_petition.total"].value == 1
    assert "applications.not_processed_petition.natural_person" not in facts or \
        facts["applications.not_processed_petition.natural_person"].method == "inferred"


def test_one_character_read_unsure_among_a_rows_numbers_is_a_cell_not_its_label():
    # a seal's letter over a 0 read as 和 at 0.6: as the row's last label it left the row its last
    # three numbers, and the row was lost
    rows = [["2.没有现成信息需要另行制作", "0", "0", "0", "和", "0", "0", "0"]]
    facts, _ = read(APPS, table(rows, 0.98, low={(0, 4): 0.6}), method="ocr")
    assert facts["applications.unavailable_needs_creation.total"].value == 0
    assert facts["applications.unavailable_needs_creation.natural_person"].value == 0
    sealed = facts["applications.unavailable_needs_creation.public_interest_org"]
    assert (sealed.value, sealed.method, sealed.raw_text) == (0, "ocr_corrected", "和")


def _spaced(values: dict[int, str], pitch: float = 29.0, x0: float = 97.0, wobble: float = 0.0) -> Table:
    """A row of OCR cells read at the columns `values` names of an evenly pitched table (the cells
    not named were not read: under a seal, too faint), each box `wobble` off its column by turns."""
    cells = []
    for k, (col, text) in enumerate(sorted(values.items())):
        x = x0 + col * pitch + (wobble if k % 2 else -wobble)
        cells.append(Cell(0, k, text, page=4, bbox=(x - 3, 252 + col, x + 3, 260 + col), confidence=0.99))
    return Table(tuple(cells))


REVIEW_ROW = ["17", "1", "4", "4", "26", "5", "0", "3", "1", "9", "1", "0", "1", "0", "2"]


def test_table_four_read_two_values_short_puts_its_lost_cells_where_its_boxes_leave_gaps():
    # 复议后起诉's two 0s under a seal: thirteen values for fifteen, but the row's pitch shows where
    read_at = {k: v for k, v in enumerate(REVIEW_ROW) if k not in (11, 13)}
    facts, _ = read(REVIEW, _spaced(read_at, wobble=2.0), method="ocr")
    after = [facts.get(f"review_litigation.litigation_after_review.{c}") for c in
             ("upheld", "corrected", "other_result", "pending", "total")]
    assert [f.value for f in (after[0], after[2], after[4])] == [1, 1, 2]
    assert all(f is None or (f.value, f.method) == (0, "inferred") for f in (after[1], after[3]))
    assert facts["review_litigation.litigation_direct.total"].value == 9


def test_a_value_whose_box_took_in_a_mark_beside_it_still_stands_in_its_column():
    # 未经复议直接起诉's 尚未审结 0 lost; the 0 before it read with a mark to its right, its box three
    # times a digit's width: its centre is no place, its box's span of places is
    read_at = {k: v for k, v in enumerate(REVIEW_ROW) if k != 8}
    cells = tuple(replace(c, bbox=(c.bbox[0], c.bbox[1], c.bbox[2] + 17, c.bbox[3])) if c.text == "3" else c
                  for c in _spaced(read_at).cells if c.bbox)
    facts, _ = read(REVIEW, Table(cells), method="ocr")
    direct = [facts.get(f"review_litigation.litigation_direct.{c}") for c in
              ("upheld", "corrected", "other_result", "pending", "total")]
    assert [f.value for f in direct if f is not None and f.method != "inferred"] == [5, 0, 3, 9]
    assert facts["review_litigation.litigation_after_review.total"].value == 2


def test_a_row_short_whose_gaps_are_not_whole_pitches_is_not_placed():
    # the gap after 复议后起诉's 1 is a pitch and a half: which column the next value is, unknown
    read_at = {k: v for k, v in enumerate(REVIEW_ROW) if k not in (11, 13)}
    cells = _spaced(read_at).cells
    moved = tuple(replace(c, bbox=(c.bbox[0] - 14, c.bbox[1], c.bbox[2] - 14, c.bbox[3])) if c.col >= 11 else c
                  for c in cells if c.bbox)
    facts, _ = read(REVIEW, Table(moved), method="ocr")
    assert not any(k.startswith("review_litigation.") for k in facts)


def test_a_row_short_of_its_last_cell_leaves_no_gap_and_is_not_placed():
    read_at = {k: v for k, v in enumerate(REVIEW_ROW) if k not in (13, 14)}
    facts, _ = read(REVIEW, _spaced(read_at), method="ocr")
    assert not any(k.startswith("review_litigation.") for k in facts)


def test_a_row_whose_gaps_put_values_where_its_sums_break_is_not_placed():
    # 17 1 4 4 then a gap, 26 read two pitches on: the sums put 26 in no column the gap leaves
    read_at = {k: v for k, v in enumerate(REVIEW_ROW) if k not in (11, 13)}
    read_at = {(k + 1 if 3 < k < 11 else k): v for k, v in read_at.items() if k != 12}
    facts, _ = read(REVIEW, _spaced(read_at), method="ocr")
    assert not any(k.startswith("review_litigation.") for k in facts)


def test_a_table_three_row_with_a_cell_lost_inside_keeps_its_columns():
    # 商业企业's 1 not read: the total says what it was, the gap where it was
    label = Cell(0, 0, "（一）予以公开", page=4, bbox=(40, 250, 90, 262), confidence=0.99)
    values = _spaced({0: "5", 2: "0", 3: "0", 4: "0", 5: "0", 6: "6"}, x0=120).cells
    facts, _ = read(*HEADED, APPS, Table((label, *(replace(c, col=c.col + 1) for c in values))), method="ocr")
    assert facts["applications.granted.natural_person"].value == 5
    assert facts["applications.granted.research_institution"].value == 0
    assert facts["applications.granted.total"].value == 6
    lost = facts["applications.granted.commercial_enterprise"]
    assert (lost.value, lost.method) == (1, "inferred")


def test_a_row_whose_label_fragment_names_an_earlier_row_fills_the_one_row_gap_it_lies_in():
    # 其他法律行政法规禁止公开's label wrapped onto the next row's line; its own line kept only 办予公开,
    # a piece of the spanning （三）不予公开, which names 予以公开. A row of 予以公开 printed again
    # does not lie between 国家秘密 and 三安全一稳定, with nothing else there for the one row between
    rows = [["（一）予以公开", "14", "0", "0", "0", "0", "0", "14"],
            ["1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"],
            ["办予公开", "2", "0", "0", "0", "0", "0", "2"],
            ["法规禁止公开3.危及“三安全一稳定”", "0", "0", "0", "0", "0", "0", "0"]]
    facts, failed = read(*HEADED, APPS, table(rows, 0.98), method="ocr")
    assert facts["applications.withheld_prohibited_by_law.natural_person"].value == 2
    assert facts["applications.granted.natural_person"].value == 14
    assert "printed_copies" not in failed


def test_a_label_set_above_its_numbers_with_a_mark_beside_it_takes_the_row_below():
    # a seal's letter beside 其他法律…'s label read as an unsure 8 on the label's line; the row's
    # zeros on the line below: the label had taken the 8 as its row, and the zeros were left over
    rows = [["1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"],
            ["2.其他法律行政法规禁止公开", "", "", "", "8", "", "", ""],
            ["", "0", "0", "0", "0", "0", "0", "0"],
            ["3.危及“三安全一稳定”", "0", "0", "0", "0", "0", "0", "0"]]
    facts, failed = read(*HEADED, APPS, table(rows, 0.98, low={(1, 4): 0.6}), method="ocr")
    lost = facts["applications.withheld_prohibited_by_law.public_interest_org"]
    assert (lost.value, lost.method) == (0, "ocr")
    assert "unplaced_rows" not in failed


def test_a_label_whose_line_holds_a_sure_number_keeps_it():
    # a row printed with one count and blanks for its zeros: read surely, the count is the row's
    rows = [["1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"],
            ["2.其他法律行政法规禁止公开", "", "", "", "8", "", "", "8"],
            ["3.危及“三安全一稳定”", "0", "0", "0", "0", "0", "0", "0"]]
    facts, _ = read(*HEADED, APPS, table(rows, 0.98), method="ocr")
    assert facts["applications.withheld_prohibited_by_law.public_interest_org"].value == 8


def test_a_wrapped_label_with_a_mark_on_its_first_line_names_the_numbers_under_its_rest():
    # （二）部分公开's label wrapped over three lines, an unsure 2 on its first; its numbers on the
    # second, beside 的，只计这一情形，不计其他, which alone names 3.其他
    rows = [["（一）予以公开", "464", "0", "0", "11", "0", "0", "475"],
            ["（二）部分公开（区分处理", "", "", "", "2", "", "", ""],
            ["的，只计这一情形，不计其他", "142", "0", "0", "2", "0", "0", "144"],
            ["情形）", "", "", "", "", "", "", ""],
            ["1.属于国家秘密", "8", "0", "0", "0", "0", "0", "8"]]
    facts, failed = read(*HEADED, APPS, table(rows, 0.98, low={(1, 4): 0.6}), method="ocr")
    assert facts["applications.partially_granted.natural_person"].value == 142
    assert facts["applications.partially_granted.total"].value == 144
    assert "printed_copies" not in failed
