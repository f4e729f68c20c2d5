"""Numbers a report states in its prose that analysts ask for, beside the tables.

主动公开政府信息28条, 全年收到政府信息公开申请34件, 上年结转2件, 应对行政复议1件: each is kept with
the sentence it came from, and compared with the template cell that should say the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.numbers import normalize
from extractors.report import Check, Fact

_N = r"(\d+(?:,\d{3})*)"
_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("proactive_disclosed", "条", re.compile(rf"主动公开[^，。；\d]{{0,12}}?(?:政府|政务)?信息(?:共计|共|合计)?{_N}\s*(?:条|件|篇)")),
    ("applications_received", "件", re.compile(
        rf"(?:新收到|收到|接收|受理)[^，。；\d]{{0,16}}?(?:申请|依申请公开)(?:共计|共|合计)?{_N}\s*件")),
    ("applications_received", "件", re.compile(rf"(?:新收|受理)(?:政府信息公开)?申请(?:共计|共|合计)?{_N}\s*件")),
    ("applications_carried_over", "件", re.compile(rf"上年(?:度)?结转(?:政府信息公开)?(?:申请)?{_N}\s*件")),
    ("administrative_review", "件", re.compile(rf"行政复议(?:案件)?(?:共计|共|数为|数量为)?{_N}\s*件")),
    ("administrative_review", "件", re.compile(rf"{_N}\s*件(?:涉及政府信息公开(?:工作)?的)?行政复议")),
    ("litigation", "件", re.compile(rf"行政诉讼(?:案件)?(?:共计|共|数为|数量为)?{_N}\s*件")),
)
_NONE_RECEIVED = re.compile(r"未(?:收到|受理)(?:任何)?(?:政府信息公开|依申请公开)(?:政府信息)?申请|未收到依申请公开")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")

# which template cells each prose figure should equal (their sum)
_CELLS = {
    "applications_received": ("applications.new_received.total",),
    "applications_carried_over": ("applications.carried_over.total",),
    "administrative_review": ("review_litigation.administrative_review.total",),
    "litigation": ("review_litigation.litigation_direct.total", "review_litigation.litigation_after_review.total"),
}


@dataclass(frozen=True)
class ProseFact:
    key: str
    value: float
    unit: str
    sentence: str
    page: int | None = None


def prose_facts(paragraphs: list[tuple[str, int | None]]) -> list[ProseFact]:
    """Prose figures from (text, page) paragraphs, first statement of each kind only."""
    found: dict[str, ProseFact] = {}
    # spaces between CJK and digits (2024 年, 申请 34 件) are layout, not content
    text = "".join(re.sub(r"\s+", "", normalize(t)) for t, _ in paragraphs)
    pages = [(re.sub(r"\s+", "", normalize(t)), p) for t, p in paragraphs]
    for sentence in _SENTENCE.findall(text):
        s = sentence.strip()
        for key, unit, pattern in _PATTERNS:
            if key in found:
                continue
            m = pattern.search(s)
            if m:
                found[key] = ProseFact(key, float(m.group(1).replace(",", "")), unit, s, _page_of(s, pages))
        if "applications_received" not in found and _NONE_RECEIVED.search(s):
            found["applications_received"] = ProseFact("applications_received", 0.0, "件", s, _page_of(s, pages))
    return list(found.values())


def _page_of(sentence: str, pages: list[tuple[str, int | None]]) -> int | None:
    probe = sentence[:12]
    return next((p for t, p in pages if probe and probe in t), None)


def prose_checks(prose: list[ProseFact] | tuple[ProseFact, ...], facts: tuple[Fact, ...] | list[Fact]) -> list[Check]:
    """One check per prose figure that a table also states: do prose and table agree?"""
    values = {f.cell_id: f.value for f in facts if f.method != "inferred"}
    checks = []
    for p in prose:
        cells = _CELLS.get(p.key)
        if not cells or any(c not in values for c in cells):
            continue
        table = sum(values[c] for c in cells)
        ok = abs(table - p.value) < 1e-6
        checks.append(Check(f"prose.{p.key}", ok, "" if ok else f"prose says {p.value:g}, table says {table:g}: {p.sentence[:80]}"))
    return checks
