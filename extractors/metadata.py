"""The publishing body and the report year, read from the title at the top of the report.

Titles come as 嘉祥县金屯镇人民政府 2023 年政府信息 公开工作年度报告, broken over lines
(洪泽区人民政府 / 2023 年政府信息公开工作年度报告), or with the year first
(2024 年上海市科委政府信息公开工作年度报告).
"""

from __future__ import annotations

import re
from collections import Counter

from extractors.numbers import normalize

_HAN = r"\u4e00-\u9fff"
# tolerate a doubled or dropped character (政府信息公开开工作年度报告)
_TITLE_END = r"(?:的)?政府信息公.{0,3}?(?:工作)?(?:年度)?(?:报告|年报)"
_AGENCY_FIRST = re.compile(rf"(?P<agency>[{_HAN}()]{{2,40}}?)(?P<year>(?:19|20)\d{{2}})年(?:度)?{_TITLE_END}")
_YEAR_FIRST = re.compile(rf"(?P<year>(?:19|20)\d{{2}})年(?:度)?(?P<agency>[{_HAN}()]{{2,40}}?){_TITLE_END}")
# the year after the title: XX县人民政府政府信息公开工作年度报告（2023年度）
_YEAR_AFTER = re.compile(
    rf"(?P<agency>[{_HAN}()]{{2,40}}?){_TITLE_END}[(\[【]?(?P<year>(?:19|20)\d{{2}})年?度?[)\]】]?")
_PERIOD = re.compile(r"((?:19|20)\d{2})年1月1日")
# words a portal or the report puts before the agency's name on the title line
_PREFIX = re.compile(r"^(?:正文|首页|标题|附件\d*|关于)+")


# the labels of a portal's metadata box (名称 / 索引号 / 发布机构 / 发文日期 / 公开日期 ...): a title
# found across lines never runs through one, and 发布机构 and the dates are read from the box
_FIELD_LABELS = ("名称", "标题", "索引号", "发布机构", "发文机关", "发文机构", "发文日期", "公开日期", "发布日期",
                 "成文日期", "生成日期", "主题分类", "主题词", "文号", "信息来源", "来源", "发布时间", "所属机构")
_FIELD = re.compile("|".join(r"\s*".join(label) for label in _FIELD_LABELS))
_PUBLISHER = re.compile(r"(?:发\s*布\s*机\s*构|发文机[关构])\s*[:：]?\s*([\u4e00-\u9fff（）()]{2,40})")
_DATE = re.compile(r"(?:发文|公开|发布|成文|生成)日期\s*[:：]?\s*((?:19|20)\d{2})\s*[-年./]")


def portal_fields(lines: list[str]) -> tuple[str | None, int | None]:
    """The publishing body and the publication year a portal's metadata box states, if any."""
    text = "\n".join(normalize(x) for x in lines[:40])
    m = _PUBLISHER.search(text)
    years = [int(y) for y in _DATE.findall(text)]
    publisher = _FIELD.split(m.group(1))[0].replace("(", "（").replace(")", "）") if m else ""
    return (publisher if len(publisher) >= 2 else None), (min(years) if years else None)


_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")


_SPECK = re.compile(r"[^\u4e00-\u9fff\d]{0,2}")


def _compact(text: str) -> str:
    t = re.sub(r"[\s#*|]+", "", normalize(text))
    # a year in Chinese numerals (二〇二三年) as digits
    return re.sub(r"[〇零○一二三四五六七八九]{4}(?=年)", lambda m: m.group(0).translate(_CN_DIGITS), t)


def find_metadata(lines: list[str]) -> tuple[str | None, int | None]:
    """Agency and year from the first lines of a document's text (see `find_meta`)."""
    agency, year, _ = find_meta(lines)
    return agency, year


def find_meta(lines: list[str]) -> tuple[str | None, int | None, str | None]:
    """Agency, year, and where the year came from: 'title', 'period' (the statistical period the
    report states, 自2023年1月1日起), 'published' (the year before the portal's 公开日期) or 'frequent' (the most frequent 20xx年 of the first lines: a
    guess, which reconciliation doubts).

    The title is looked for line by line, then over two or three adjacent lines (a title broken
    over lines), so a breadcrumb or a heading above the title never glues onto the agency's name.
    """
    # a speck OCR read between a title's lines ('T', '.') would keep its two halves apart
    head = [x for x in (_compact(x) for x in lines[:40]) if not _SPECK.fullmatch(x)]
    publisher, published = portal_fields(lines)
    for i in range(len(head)):
        for span in (1, 2, 3):
            text = "".join(head[i : i + span])
            for pattern in (_AGENCY_FIRST, _YEAR_FIRST, _YEAR_AFTER):
                m = pattern.search(text)
                if m:
                    agency = _clean_agency(m.group("agency"))
                    if agency:
                        return agency, int(m.group("year")), "title"
    # a title that names no agency (2023年政府信息公开工作年度报告): the portal's box says who published
    # it; a report is published in the year after the one it reports on
    return (publisher, *_fallback_year("".join(head)[:3000], published - 1 if published else None))


def with_page(agency: str | None, year: int | None, year_from: str | None,
              page: tuple[str | None, int | None]) -> tuple[str | None, int | None, str | None]:
    """Agency and year of a document shown or linked by a web page (an attachment, an iframe), where
    its own title leaves them open: the page's (agency, year), from its title or its metadata box,
    fill in what the document's title does not name. A document's own title wins; a statistical
    period it states (自2023年1月1日起) wins over the page's year."""
    if year_from == "title":
        return agency, year, year_from
    page_agency, page_year = page
    agency = agency or page_agency
    if page_year is not None and year_from != "period":
        return agency, page_year, "page"
    return agency, year, year_from


def _clean_agency(raw: str) -> str | None:
    a = _FIELD.split(_PREFIX.sub("", raw))[-1]  # a metadata box's label glued before the name
    # a title like 关于XX2023年... or a preceding line glued on: keep the name's last clause
    for sep in ("关于", "转发", "年报", "年度报告", "政务公开", "信息公开", "当前位置", "首页"):
        if sep in a:
            a = a.split(sep)[-1]
    a = a.replace("(", "（").replace(")", "）")
    return a if len(a) >= 2 else None


def _fallback_year(text: str, published_for: int | None = None) -> tuple[int | None, str | None]:
    m = _PERIOD.search(text)
    if m:
        return int(m.group(1)), "period"
    if published_for:
        return published_for, "published"
    years = Counter(re.findall(r"((?:19|20)\d{2})年", text))
    return (int(years.most_common(1)[0][0]), "frequent") if years else (None, None)
