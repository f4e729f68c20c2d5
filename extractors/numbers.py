"""Reading a table cell as a number the way reports print them."""

from __future__ import annotations

import re
import unicodedata

_BLANK = {"", "-", "--", "—", "——", "/", "\\", "无", "空", "－", "–"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# a signed change (本年增/减 of the 2019 format): +3, -2
_SIGNED = re.compile(r"[+-]\d+")
# a count or amount printed with its unit in the cell: 550件, 7730.28万元
_UNIT = re.compile(r"(\d+(?:\.\d+)?)(?:件|万元|元|条|个|次|项|人次)")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
# a number followed by an annotation in brackets, the cell's end (55（含自然失效29件）, or cut by
# a wrap); not a number before a label's item numbering (1（二）部分公开…: a stroke before the label)
_ANNOTATED = re.compile(r"(\d+(?:\.\d+)?)\s*[(\[](?![一二三四五六七八九十]+[)\]])[^()\[\]]*[)\]]?")


def normalize(text: str) -> str:
    """Full-width to half-width, unify dashes, drop zero-width characters."""
    t = unicodedata.normalize("NFKC", text)
    return t.replace("\u200b", "").replace("\ufeff", "").replace("\u3000", " ")


def is_blank(text: str) -> bool:
    return normalize(text).strip() in _BLANK


def parse_number(text: str) -> float | None:
    """The number a cell prints, or None when the cell is not a number (labels, prose, blanks)."""
    t = normalize(text).strip()
    parts = t.split()
    if len(parts) > 1 and re.fullmatch(r"0\d*", parts[0]):
        # no number is printed with a leading zero: "0 1" (and "01 0", a rule's stub read as 1
        # between them) is two cells' numbers run together
        return None
    t = t.replace(" ", "")
    if not t:
        return None
    if _GROUPED.fullmatch(t):
        t = t.replace(",", "")
    if _NUMBER.fullmatch(t) or _SIGNED.fullmatch(t):
        return float(t)
    m = _UNIT.fullmatch(t)
    if m:
        return float(m.group(1))
    m = _ANNOTATED.fullmatch(t)
    if m and re.search(r"[\u4e00-\u9fff]", t):
        return float(m.group(1))
    return None


def split_numbers(text: str) -> list[str] | None:
    """A cell holding several numbers separated by spaces ("0 0 3") as its numbers, else None."""
    parts = normalize(text).split()
    if len(parts) > 1 and all(_NUMBER.fullmatch(p) or _GROUPED.fullmatch(p) for p in parts):
        return parts
    return None
