"""PDF extraction bugs met on the LibreOffice fixture corpus (tests/fixtures/pdf), each pinned to
the file that showed it. Skipped where the corpus has not been generated."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractors.model import Document, Table
from extractors.pdf_text import extract_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"


@cache
def _read(name: str) -> Document:
    return extract_pdf((FIXTURES / name).read_bytes(), name)


def _doc(name: str) -> Document:
    if not (FIXTURES / name).exists():
        pytest.skip(f"fixture {name} not generated")
    return _read(name)


def _tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def _row(t: Table, label: str) -> list[str]:
    cell = next(c for c in t.cells if c.text == label)
    out, prev = [], None
    for c in t.grid()[cell.row]:
        if c is not prev and c is not None:
            out.append(c.text)
        prev = c
    return out


def test_ruled_tables_separated_by_a_heading_stay_two_tables():
    # p01: a vertical rule extended to close a frame once ran through the heading between 表二's
    # last row and 表三, welding them into one grid
    ts = _tables(_doc("p01_town_2021.pdf"))
    assert [t.n_cols for t in ts] == [4, 10, 15]


def test_unruled_label_columns_are_not_split_by_a_centred_header():
    # p06: 信息内容 centred over left-aligned labels made a false column boundary
    t = _tables(_doc("p06_county_2021.pdf"))[0]
    assert t.n_cols == 4
    assert _row(t, "行政规范性文件")[0] == "行政规范性文件"


def test_unruled_table_continued_on_next_page_with_fewer_label_columns_is_stitched():
    # p06: the continuation on page 4 has no text in the first label columns, so its column
    # boundaries differ from page 3's; both stitch into one 表三
    ts = _tables(_doc("p06_county_2021.pdf"))
    t3 = next(t for t in ts if any(c.text == "（七）总计" or c.text == "(七)总计" for c in t.cells))
    assert {c.page for c in t3.cells if c.text} == {3, 4}


def test_unruled_row_cut_by_page_break_reads_whole():
    # p02: 1、申请人无正当理由… wraps from page 3 onto page 4 with its numbers on page 3
    t3 = next(t for t in _tables(_doc("p02_county_2024.pdf")) if t.n_cols == 10)
    row = _row(t3, "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    assert len([x for x in row if x.isdigit()]) == 7


def test_lone_data_row_on_next_page_joins_its_table():
    # p14: 表四's only data row printed alone at the top of page 4 came out as a paragraph
    doc = _doc("p14_dept_2025.pdf")
    t4 = _tables(doc)[-1]
    assert t4.n_cols == 15
    assert sum(1 for c in t4.cells if c.page == 4 and c.text.isdigit()) == 15


def test_stitching_never_folds_two_columns_into_one():
    # p22: a wide outer-edge tolerance matched two boundaries of the continuation to one of the
    # start, and the vertical label column vanished
    t3 = next(t for t in _tables(_doc("p22_county_2024.pdf")) if t.n_cols >= 10)
    assert any("本年度办理结果" in c.text for c in t3.cells)
