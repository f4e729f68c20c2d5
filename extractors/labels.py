"""Matching printed row labels to the template's rows, whatever layout did to them.

Labels arrive with numbering in any style (1. 1、 1． （一） (一) 一、), inserted spaces (自然 人),
parent labels glued on (三、本年度办理结果（三）不予公开1.属于国家秘密), notes in brackets, typos
(其他法律行政止公开) and cut short by a wrap (属于三类内部事务信). A label is reduced to its key
characters and compared with the template's keys: exact containment first (the key that ends
rightmost wins, so the most specific of glued-on labels counts), then a fuzzy match that must be both
good and clearly better than the runner-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from extractors.numbers import normalize
from extractors.template import Template

_NUMBERING = re.compile(r"\(?[一二三四五六七八九十]{1,3}[)、.]|\(\d{1,2}\)|\d{1,2}[.、,](?!\d)")
_NOTE = re.compile(r"\([^()]{4,}\)|\([^()]{4,}$")
_NOT_KEY = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]")

# Printed wordings that differ from the template's own label beyond what normalisation covers.
_SYNONYMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("active_disclosure", "normative_documents"): ("规范性文件",),
    ("active_disclosure", "administrative_fees"): ("事业性收费",),
    ("review_litigation", "litigation_direct"): ("直接起诉",),
    ("review_litigation", "litigation_after_review"): ("复议后起诉",),
}


def label_key(text: str) -> str:
    t = normalize(text).replace("（", "(").replace("）", ")")
    t = re.sub(r"\s+", "", t)
    t = _NOTE.sub("", t)
    t = _NUMBERING.sub("", t)
    return _NOT_KEY.sub("", t)


# the score of a label that holds two rows' keys whole: below any fuzzy match, so it is doubted
GLUED_SCORE = 0.5


@dataclass(frozen=True)
class RowKey:
    table_id: str
    row_id: str
    key: str


@dataclass(frozen=True)
class Match:
    table_id: str
    row_id: str
    score: float  # 1.0 for an exact key inside the label; GLUED_SCORE where another row's key precedes it


@cache
def row_keys(template: Template) -> tuple[RowKey, ...]:
    keys: list[RowKey] = []
    for t in template.tables:
        for r in (*t.rows, *t.variant_rows):
            keys.append(RowKey(t.id, r.id, label_key(r.label)))
            keys.extend(RowKey(t.id, r.id, s) for s in _SYNONYMS.get((t.id, r.id), ()))
    return tuple(k for k in keys if k.key)


@cache
def _parent_keys(template: Template) -> dict[tuple[str, str], str]:
    """Each row's parent heading as a key (（六）其他处理 for its sub-rows): printed glued before the
    row's own label, it names no other row."""
    return {(t.id, r.id): label_key(r.parent or "") for t in template.tables for r in t.rows}


@lru_cache(maxsize=16384)  # the same printed labels come back in every report and on every pass
def match_label(text: str, template: Template, table_id: str | None = None) -> Match | None:
    """The template row a printed label names, or None when it names none or is ambiguous."""
    label = label_key(text)
    if len(label) < 2:
        return None
    keys = [k for k in row_keys(template) if table_id is None or k.table_id == table_id]
    exact = [(label.rfind(k.key) + len(k.key), len(k.key), k) for k in keys if k.key in label]
    if exact:
        end, length, k = max(exact, key=lambda e: (e[0], e[1]))
        rest = label[end:]
        if k.row_id == "other_processing" and len(rest) >= 4:
            # （六）其他处理 here is the parent cell glued before its sub-row's own (cut) label
            return _fragment(rest, keys)
        # a short key must be the label's end, not a word inside a longer unmatched label: stray
        # marks may follow it (规章 me: a worn rule read as letters), a character may not (不计其他情:
        # 其他 inside 其他情形, cut by a wrap)
        if length >= 4 or not any(_cjk(c) for c in label[end:]):
            # another row's whole key before it: two rows' labels run together (a label moved off
            # its own numbers onto the row above), so which row the numbers belong to is unknown
            start = end - length
            parent = _parent_keys(template).get((k.table_id, k.row_id), "")
            # (a short key like 规章 counts only as all of what precedes: 其他 is a word of many labels)
            glued = any(e <= start and (n >= 4 or (e == start and e == n))
                        and (o.table_id, o.row_id) != (k.table_id, k.row_id) and o.key not in parent
                        for e, n, o in exact)
            return Match(k.table_id, k.row_id, GLUED_SCORE if glued else 1.0)
    return _fragment(label, keys)


def shared(label: str, row_id: str, template: Template, table_id: str) -> int:
    """How many characters a label too damaged to name a row (不予处理要求提供公开: a parent glued
    before a label cut short; mawies无正当理: a seal's lettering before a fragment) shares with a
    row's key, in order and in runs of two or more (single characters such as 申, 不, 理 are in
    most labels). The table's parent headings are left out of the label first: glued before a
    label, they name no row of their own."""
    for parent in set(_parent_keys(template).values()):
        if parent:
            label = label.replace(parent, "")
    return max((_shared(k.key, label) for k in row_keys(template) if k.table_id == table_id and k.row_id == row_id),
               default=0)


def _shared(key: str, label: str) -> int:
    return sum(b.size for b in SequenceMatcher(None, key, label, autojunk=False).get_matching_blocks() if b.size >= 2)


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _fragment(label: str, keys: list[RowKey]) -> Match | None:
    """A label that holds no key whole: cut by a wrap, or misspelt."""
    inside = {(k.table_id, k.row_id) for k in keys if len(label) >= 5 and label in k.key}
    if len(inside) == 1:
        table_id, row_id = inside.pop()
        return Match(table_id, row_id, 0.9)
    scored = sorted(((_fuzzy(k.key, label), k) for k in keys if len(k.key) >= 4), key=lambda s: -s[0])
    if not scored:
        return None
    best, k = scored[0]
    runner_up = next((s for s, o in scored[1:] if (o.table_id, o.row_id) != (k.table_id, k.row_id)), 0.0)
    if best >= 0.75 and best - runner_up >= 0.12:
        return Match(k.table_id, k.row_id, best)
    return None


def _fuzzy(key: str, label: str) -> float:
    """Similarity of a key with the end of a label (parents glued on sit at its start)."""
    window = label[-(len(key) + 3):]
    m = SequenceMatcher(None, key, window, autojunk=False)
    matched = sum(b.size for b in m.get_matching_blocks())
    # a label cut short by a wrap covers most of the key; a typo drops a character or two
    return matched / max(len(key), min(len(window), len(key) + 2))


@cache
def _column_keys(template: Template) -> tuple[tuple[str, str, str], ...]:
    """(table id, column id, key) of every column label, 表二's per-cell labels included."""
    out: list[tuple[str, str, str]] = []
    for t in template.tables:
        for col, text in zip(t.cols, t.col_labels):
            out.append((t.id, col, label_key(text)))
    return tuple((t, c, k) for t, c, k in dict.fromkeys(out) if k)


@lru_cache(maxsize=16384)
def match_column(text: str, template: Template, table_id: str) -> str | None:
    """The column of a template table a printed header names (本年制发件数, 本年度止件数 misspelt,
    自然人), or None when it names none or is ambiguous."""
    label = label_key(text)
    if len(label) < 2:
        return None
    keys = [(c, k) for t, c, k in _column_keys(template) if t == table_id]
    exact = [(len(k), c) for c, k in keys if k == label or (len(k) >= 4 and k in label)]
    if exact:
        return max(exact)[1]
    scored = sorted(((_fuzzy(k, label), c) for c, k in keys if len(k) >= 4 and abs(len(k) - len(label)) <= 2),
                    reverse=True)
    if scored and scored[0][0] >= 0.8 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.12):
        return scored[0][1]
    return None


def confusable_score(template: Template) -> float:
    """The highest fuzzy score one row's own label gets against another row's key (本年新收… against
    上年结转…: 0.79). A match scoring no more than this may be another row's label, slightly damaged,
    so reconciliation doubts it; exact keys (1.0) and wrap-cut fragments (0.9) score above it."""
    keys = [k for k in row_keys(template) if len(k.key) >= 4]
    return max((_fuzzy(a.key, b.key) for a in keys for b in row_keys(template)
                if (a.table_id, a.row_id) != (b.table_id, b.row_id)), default=0.0)
