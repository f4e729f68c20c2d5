"""Printed labels to template rows: the damage layout does to labels, one case per test."""

import pytest

from extractors.labels import match_label
from extractors.template import load_template

T = load_template()


def row(text):
    m = match_label(text, T)
    return m.row_id if m else None


@pytest.mark.parametrize("text,expected", [
    ("三、本年度办理结果（三）不予公开1.属于国家秘密", "withheld_state_secret"),  # parents glued on
    ("(三) 不予公开 1、属于国家秘密", "withheld_state_secret"),  # half-width brackets, 1、
    ("1．属于国家秘密", "withheld_state_secret"),  # full-width dot
    ("2.其他法律行政止公开", "withheld_prohibited_by_law"),  # typo in the real hongze_2024
    ("5.属于三类内部事务信", "withheld_internal_affairs"),  # cut by a wrap
    ("规禁止公开", "withheld_prohibited_by_law"),  # its start under a seal: five characters of one row's key
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),  # note with 其他
    ("（二）部分公开", "partially_granted"),  # note missing
    ("（六）其他处理", "other_processing"),  # the variant single row
    ("(六) 其他处理\t3.其他", "other_reason"),
    ("规范性文件", "normative_documents"),
    ("结果 维持", None),
    ("法人或其他组织", None),
    ("行政机关不再处理其政府信息公", None),  # could be either of two rows: no guess
    ("（六）其他处理要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_unpaid_fee"),  # parent + cut label
    ("1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请2、申请人逾期未按收费通知",
     "other_no_correction"),  # the next row's label spilled onto this one
])
def test_label_to_row(text, expected):
    assert row(text) == expected


def test_a_label_holding_two_rows_labels_is_matched_as_glued():
    # 行政规范性文件 moved off its numbers onto the line of 规章: the numbers may be either row's
    from extractors.labels import GLUED_SCORE

    m = match_label("规章行政规范性文件", T)
    assert m is not None and (m.row_id, m.score) == ("normative_documents", GLUED_SCORE)


def test_a_parent_heading_glued_before_its_row_is_no_second_row():
    m = match_label("（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", T)
    assert m is not None and (m.row_id, m.score) == ("other_no_correction", 1.0)


def test_a_short_key_inside_a_word_cut_by_a_wrap_names_no_row():
    # the middle line of （二）部分公开（区分处理的，/ 只计这一情形，不计其他情 / 形): 其他 there is part
    # of 其他情形, and the row 3.其他 is not named
    assert match_label("只计这一情形，不计其他情", T) is None


def test_a_short_key_followed_by_stray_marks_still_names_its_row():
    # a worn rule beside 规章 read as letters
    m = match_label("规章 me", T)
    assert m is not None and m.row_id == "regulations"
