"""Template versions: reports of 2019 and 2020 in the earlier format (国办公开办函〔2019〕60号) are read
with that format's cells, the shared cells under the 2021 ids, every report says which version it
follows, cross_year runs across the switch, and a report from before 2019 is `old_format`.

The fixtures are tests/fixtures/versions/ (tests/fixtures/gen_versions.py), with gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.checks import check_report
from extractors.model import Cell, Document, Table
from extractors.reconcile import reconcile
from extractors.template import load_template
from extractors.versions import detect_version, header_version
from flows.pipeline import process
from warehouse.load import connect, load

FOLDER = Path(__file__).parent / "fixtures" / "versions"
GOLD = json.loads((FOLDER / "gold.json").read_text("utf-8"))["documents"]


def _flagged(checks: list, cell_id: str) -> bool:
    table = cell_id.split(".")[0]
    return any(not c.passed and c.rule_id != "missing_cells" and (c.rule_id == cell_id or c.rule_id.startswith(table + "."))
               for c in checks)


@pytest.mark.parametrize("name", sorted(GOLD))
def test_fixture_reads_every_cell_of_its_version(name):
    gold = GOLD[name]
    p = process((FOLDER / name).read_bytes(), name, load_template())
    assert p.loaded.status == gold["status"], p.loaded.error
    assert p.report is not None
    assert p.report.template_version == gold["template_version"]
    assert (p.report.agency, p.report.year) == (gold["agency"], gold["year"])
    got = p.report.values()
    right = sum(1 for k, v in gold["cells"].items() if got.get(k) == v)
    assert right >= 0.995 * len(gold["cells"]), sorted(set(gold["cells"]) - set(got))
    silent = [k for k, v in gold["cells"].items() if k in got and got[k] != v and not _flagged(p.checks, k)]
    assert not silent
    assert not set(got) & set(gold["missing"])


def test_earlier_format_cells_have_their_own_ids_and_shared_ones_the_2021_ids():
    gold = GOLD["v02_city_2020.docx"]["cells"]
    assert "active_disclosure.government_procurement.amount" in gold
    assert "active_disclosure.administrative_licensing.change" in gold
    assert "applications.other_processing.total" in gold
    assert "applications.other_reason.total" not in gold
    p = process((FOLDER / "v02_city_2020.docx").read_bytes(), "v02_city_2020.docx", load_template())
    assert p.report is not None
    facts = {f.cell_id: f for f in p.report.facts}
    assert facts["active_disclosure.government_procurement.amount"].raw_text.endswith("元")
    assert not any(c.rule_id == "missing_cells" and not c.passed for c in p.checks)


def test_a_negative_change_breaks_no_rule_but_a_negative_count_does():
    rows = [["第二十条第（五）项"], ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "40", "-3", "-2"]]
    table = Table(tuple(Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row)))
    report = reconcile(Document("x", "html", "html", (table,)))
    assert report.template_version == "2019"
    assert report.values()["active_disclosure.administrative_licensing.change"] == -3
    failed = {c.rule_id for c in check_report(report, load_template()) if not c.passed}
    assert "active_disclosure.administrative_licensing.decisions" in failed
    assert "active_disclosure.administrative_licensing.change" not in failed


def test_the_printed_headers_decide_the_version_not_the_year():
    assert detect_version(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], 2020) == "2021"
    assert detect_version(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], 2022) == "2019"
    assert detect_version(["政府集中采购"], None) == "2019"


def test_the_year_decides_where_the_labels_fit_both_versions():
    shared = ["一、本年新收政府信息公开申请数量", "行政复议"]
    assert detect_version(shared, 2020) == "2019"
    assert detect_version(shared, 2021) == "2021"
    assert detect_version(shared, None) == "2021"


def test_a_report_before_2019_that_prints_neither_version_is_in_none():
    assert detect_version(["收到申请数", "当面申请数"], 2017) is None
    assert detect_version(["本年制发件数"], 2017) == "2021"


def test_a_header_belongs_to_the_version_whose_wording_covers_it():
    assert header_version("本年处理决定数量") == "2021"
    assert header_version("处理决定数量") == "2019"
    assert header_version("信息内容") is None


def test_warehouse_carries_the_version_and_runs_cross_year_across_the_switch(tmp_path):
    con = connect(tmp_path / "w.duckdb", load_template())
    for name in sorted(GOLD):
        p = process((FOLDER / name).read_bytes(), name, load_template())
        load(con, p.loaded, p.report, p.checks)
    docs = dict(con.execute("SELECT source, template_version FROM documents").fetchall())
    assert docs == {n: g["template_version"] for n, g in GOLD.items()}
    status = dict(con.execute("SELECT source, status FROM documents").fetchall())
    assert status["v07_old_2017.txt"] == "old_format"
    # the 2021 report's 上年结转 against the 2020 report (2019 format) of the same body
    rows = con.execute("SELECT passed FROM checks JOIN documents USING (doc_id)"
                       " WHERE rule_id = 'cross_year' AND source = 'v06_district_2021.txt'").fetchall()
    assert rows == [(True,)]
    # both versions' reports in one wide view: shared cells in one column, version-only ones beside
    wide = con.execute("SELECT source, regulations__issued, government_procurement__amount, regulations__in_force"
                       " FROM active_disclosure ORDER BY source").fetchall()
    by = {s: rest for s, *rest in wide}
    v05, v06 = GOLD["v05_district_2020.txt"]["cells"], GOLD["v06_district_2021.txt"]["cells"]
    assert by["v05_district_2020.txt"] == [v05["active_disclosure.regulations.issued"],
                                            v05["active_disclosure.government_procurement.amount"], None]
    assert by["v06_district_2021.txt"] == [v06["active_disclosure.regulations.issued"], None,
                                            v06["active_disclosure.regulations.in_force"]]
    prose = con.execute("SELECT key, value FROM prose_facts JOIN documents USING (doc_id)"
                        " WHERE source = 'v07_old_2017.txt'").fetchall()
    assert ("applications_received", GOLD["v07_old_2017.txt"]["prose"]["applications_received"]) in prose
    assert con.execute("SELECT count(*) FROM facts JOIN documents USING (doc_id)"
                       " WHERE source = 'v07_old_2017.txt'").fetchone() == (0,)


def test_the_review_page_lays_a_report_out_in_its_own_format(tmp_path):
    from warehouse.inspect import build_page

    con = connect(tmp_path / "w.duckdb", load_template())
    name = "v02_city_2020.docx"
    p = process((FOLDER / name).read_bytes(), name, load_template())
    load(con, p.loaded, p.report, p.checks)
    page = build_page(con, p.loaded.doc_id, load_template(), with_crops=False)
    assert "政府集中采购" in page and "采购总金额" in page
    assert "本年收费金额" not in page
