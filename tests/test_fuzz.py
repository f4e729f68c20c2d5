"""Fuzzing the readers of untrusted text: no input makes them crash or hang, and what they return
keeps its promises.

Examples mix arbitrary text with the characters reports are made of (digits, full-width digits,
CJK, table punctuation, brackets, units), so the interesting branches are reached."""

from __future__ import annotations

import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.errors import ExtractionError
from extractors.labels import match_label
from extractors.model import Document
from extractors.numbers import is_blank, normalize, parse_number, split_numbers
from extractors.template import load_template
from extractors.text_dump import extract_text

T = load_template()
TABLE_IDS = {t.id for t in T.tables}
REPORT_CHARS = "0123456789０１２３４５６７８９.,，。、 \t\n|｜-—－/（）()[]【】件万元条个次项人次无空" \
               "一二三四五六七八九十本年新收到申请予以公开不部分政府信息情况合计总数其他处理行政复议诉讼"
report_text = st.text(alphabet=st.sampled_from(REPORT_CHARS), max_size=80) | st.text(max_size=80)
FUZZ = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(report_text)
def test_parse_number_gives_none_or_a_finite_non_negative_number(text: str) -> None:
    value = parse_number(text)
    # negative only where a sign is printed: the 2019 format's 本年增/减 (-3)
    signed = re.fullmatch(r"-\d+", normalize(text).strip().replace(" ", "")) is not None
    assert value is None or (math.isfinite(value) and (value >= 0 or signed))


@FUZZ
@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_reads_a_printed_count_back(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))) == n


@FUZZ
@given(report_text)
def test_split_numbers_gives_none_or_several_numbers(text: str) -> None:
    parts = split_numbers(text)
    assert parts is None or (len(parts) > 1 and all(parse_number(p) is not None for p in parts))


@FUZZ
@given(report_text)
def test_blank_and_normalize_never_fail(text: str) -> None:
    assert isinstance(is_blank(text), bool)
    assert isinstance(normalize(text), str)


@FUZZ
@given(st.lists(report_text, max_size=30).map("\n".join))
def test_text_dump_reader_reads_any_text(text: str) -> None:
    assert isinstance(extract_text(text.encode("utf-8"), "fuzz.txt"), Document)


@FUZZ
@given(st.binary(max_size=2000))
def test_text_dump_reader_reads_any_bytes_or_says_why_not(data: bytes) -> None:
    try:
        doc = extract_text(data, "fuzz.txt")
    except ExtractionError:
        return
    assert isinstance(doc, Document)


@FUZZ
@given(report_text, st.sampled_from([None, *sorted(TABLE_IDS)]))
def test_label_matcher_names_a_template_row_or_nothing(text: str, table_id: str | None) -> None:
    m = match_label(text, T, table_id)
    if m is not None:
        assert m.table_id in TABLE_IDS and (table_id is None or m.table_id == table_id)
        assert any(m.row_id in {r.id for r in (*t.rows, *t.variant_rows)} for t in T.tables if t.id == m.table_id)
