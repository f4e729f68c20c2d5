"""Figures stated in prose, kept with their sentence and compared with the tables."""

from extractors.prose import prose_checks, prose_facts
from extractors.report import Fact


def facts_of(text):
    return {p.key: p.value for p in prose_facts([(text, 1)])}


def test_proactive_disclosure_count():
    assert facts_of("2023年度我镇通过嘉祥县政府网站共主动公开政府信息28条，其中，工作动态7条。")["proactive_disclosed"] == 28


def test_requests_received_with_layout_spaces():
    assert facts_of("全年收到政府信息公开申请 34 件，上年结转政府信息公开申请 2 件。") == {
        "applications_received": 34, "applications_carried_over": 2}


def test_no_requests_received_is_zero():
    assert facts_of("2023年金屯镇未收到依申请公开政府信息。")["applications_received"] == 0


def test_review_cases():
    assert facts_of("全年应对行政复议1件，结果维持。")["administrative_review"] == 1


def test_sentence_kept():
    (p,) = prose_facts([("我镇主动公开政府信息28条。其他内容。", 3)])
    assert p.sentence == "我镇主动公开政府信息28条。" and p.page == 3


def test_prose_disagreeing_with_table_fails_its_check():
    prose = prose_facts([("全年收到政府信息公开申请34件。", 1)])
    table = [Fact("applications", "new_received", "total", 43.0, "text")]
    (check,) = prose_checks(prose, table)
    assert check.rule_id == "prose.applications_received" and not check.passed


def test_no_check_without_the_table_cell():
    assert prose_checks(prose_facts([("全年收到政府信息公开申请34件。", 1)]), []) == []
