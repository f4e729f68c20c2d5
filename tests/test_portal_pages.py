"""Portal article pages as they are: the metadata box never glued into the agency (its 发布机构 and
dates used where the title says nothing), Word/WPS cell markup, numbers with stray spaces, a table
broken into several <table>s, hidden rows, layout tables. Fixtures: tests/fixtures/pages/
(tests/fixtures/gen_portal_pages.py), with gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from goldcheck import assert_cells

from extractors.metadata import find_metadata, portal_fields
from extractors.template import load_template
from flows.pipeline import process

FOLDER = Path(__file__).parent / "fixtures" / "pages"
GOLD = json.loads((FOLDER / "gold.json").read_text("utf-8"))["documents"]


@pytest.mark.parametrize("name", sorted(GOLD))
def test_page_reads_every_cell_and_its_agency_and_year(name):
    gold = GOLD[name]
    p = process((FOLDER / name).read_bytes(), name, load_template())
    assert p.report is not None
    assert (p.report.agency, p.report.year) == (gold["agency"], gold["year"])
    assert_cells(p.report, gold)


def test_a_box_label_between_two_readings_of_the_name_is_never_glued_into_it():
    lines = ["沭阳县发改局", "名称", "沭阳县发展和改革局2023年政府信息公开工作年度报告"]
    assert find_metadata(lines) == ("沭阳县发展和改革局", 2023)
    assert find_metadata(["发布机构：", "沭阳县发展和改革局2023年度政府信息公开工作年度报告"])[0] == "沭阳县发展和改革局"


def test_the_box_names_the_agency_and_dates_the_year_where_the_title_does_not():
    lines = ["名 称：\t政府信息公开工作年度报告", "索 引 号：\tK0001/2024-00012\t发布机构：\t沭阳县发展和改革局",
             "发文日期：\t2024-01-18\t公开日期：\t2024-01-19", "政府信息公开工作年度报告"]
    assert portal_fields(lines) == ("沭阳县发展和改革局", 2024)
    assert find_metadata(lines) == ("沭阳县发展和改革局", 2023)


def test_the_title_wins_over_the_box():
    lines = ["发布机构：沭阳县人民政府办公室公开日期：2024-01-19", "沭阳县发改局2023年政府信息公开工作年度报告"]
    assert portal_fields(lines) == ("沭阳县人民政府办公室", 2024)
    assert find_metadata(lines) == ("沭阳县发改局", 2023)
