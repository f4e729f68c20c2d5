"""Agency and year from the title, however it was broken."""

import pytest

from extractors.metadata import find_meta, find_metadata


@pytest.mark.parametrize("lines,expected", [
    (["嘉祥县金屯镇人民政府 2023 年政府信息 公开工作年度报告"], ("嘉祥县金屯镇人民政府", 2023)),  # spaced
    (["洪泽区人民政府", "2023 年政府信息公开工作年度报告"], ("洪泽区人民政府", 2023)),  # over two lines
    (["2024 年上海市科委政府信息公开工作", "年度报告"], ("上海市科委", 2024)),  # year first
    (["金乡县人民政府办公室 2024 年政府信息公开 开工作年度报告"], ("金乡县人民政府办公室", 2024)),  # doubled char
    (["招远市金岭镇人民政府 2022年度政府信息公开工作年度报告"], ("招远市金岭镇人民政府", 2022)),
    (["首页 > 政务公开 > 政府信息公开年报", "嘉祥县金屯镇人民政府2023年政府信息公开工作年度报告"],
     ("嘉祥县金屯镇人民政府", 2023)),  # breadcrumb above the title
    (["二〇二三年嘉祥县金屯镇人民政府政府信息公开工作年度报告"], ("嘉祥县金屯镇人民政府", 2023)),  # 二〇二三
    (["嘉祥县教育局政府信息公开工作年度报告（2023年度）"], ("嘉祥县教育局", 2023)),  # year after the title
    (["长沙市人民政府", "T", ".", "2023年政府信息公开工作年度报告"], ("长沙市人民政府", 2023)),  # OCR specks between
])
def test_title(lines, expected):
    assert find_metadata(lines) == expected


def test_year_from_statistics_period_without_title():
    assert find_metadata(["本报告所列数据的统计期限自 2023 年 1 月 1 日起至 2023 年 12 月 31 日止。"]) == (None, 2023)


@pytest.mark.parametrize("lines,source", [
    (["嘉祥县金屯镇人民政府 2023 年政府信息公开工作年度报告"], "title"),
    (["本报告所列数据的统计期限自 2023 年 1 月 1 日起至 2023 年 12 月 31 日止。"], "period"),
    (["2023年我县政府信息公开工作", "2023年以来，2022年底"], "frequent"),  # a guess: reconciliation doubts it
])
def test_where_the_year_came_from(lines, source):
    assert find_meta(lines)[2] == source
