"""Which version of the template a report follows, from what it prints.

The two formats differ in 表二's column headers (本年新制作数量 / 上一年项目数量 / 采购总金额 in the
2019 format, 本年制发件数 / 现行有效件数 / 本年收费金额 in the 2021 one) and in a few row labels
(政府集中采购 and 其他对外管理服务事项 only in 2019; （六）其他处理's three sub-rows only in 2021). The
evidence is every printed label that names something only one version has; the year decides only
where the labels say nothing or as much for both (a 2020 report is 2019-format, a 2021 one 2021).

A report of a year before 2019 that prints nothing of either version is not in any template: its
tables (when it has any) count other things, so none of its numbers is taken for a template cell.
"""

from __future__ import annotations

from functools import cache

from extractors.labels import label_key
from extractors.template import VERSIONS, Template, load_template

FIRST_YEAR = {"2019": 2019, "2021": 2021}  # the first report year each version was issued for


def _keys(template: Template, columns_only: bool) -> set[str]:
    keys = {label_key(c) for t in template.tables if t.id == "active_disclosure" for c in t.col_labels}
    if not columns_only:
        keys |= {label_key(r.label) for t in template.tables for r in t.rows}
    return {k for k in keys if len(k) >= 4}


@cache
def distinctive() -> dict[str, frozenset[str]]:
    """Per version, the label keys (表二's column headers, every row label) no other version prints,
    nor a key containing or contained in them: 规范性文件 and 行政规范性文件 tell nothing apart."""
    keys = {v: _keys(load_template(v), columns_only=False) for v in VERSIONS}
    out = {}
    for v, mine in keys.items():
        others = set().union(*(k for o, k in keys.items() if o != v))
        out[v] = frozenset(k for k in mine if not any(k in o or o in k for o in others))
    return out


@cache
def _column_keys() -> dict[str, frozenset[str]]:
    return {v: frozenset(_keys(load_template(v), columns_only=True)) for v in VERSIONS}


def header_version(label: str) -> str | None:
    """The version whose 表二 column headers this label prints: the one whose headers cover most of
    it (本年处理决定数量 is 2021's, though it holds 2019's 处理决定数量); None when none or a tie."""
    key = label_key(label)
    cover = {v: sum(len(k) for k in keys if k in key) for v, keys in _column_keys().items()}
    best = max(cover.values())
    leaders = [v for v, c in cover.items() if c == best]
    return leaders[0] if best and len(leaders) == 1 else None


def detect_version(labels: list[str], year: int | None) -> str | None:
    """The template version of a report from its printed labels (not prose), the year breaking a
    tie; None for a report before 2019 that prints nothing of either version."""
    seen: dict[str, set[str]] = {v: set() for v in VERSIONS}
    for label in labels:
        key = label_key(label)
        for v, keys in distinctive().items():
            seen[v] |= {k for k in keys if k in key}
    counts = {v: len(s) for v, s in seen.items()}
    best = max(counts.values())
    leaders = [v for v in VERSIONS if counts[v] == best]
    if best == 0 and year is not None and year < min(FIRST_YEAR.values()):
        return None
    if len(leaders) == 1:
        return leaders[0]
    if year is None:
        return leaders[0]
    # the newest version issued by the report's year
    fitting = [v for v in leaders if FIRST_YEAR[v] <= year]
    return fitting[0] if fitting else leaders[-1]
