"""The review page: every template table as read with its Chinese labels, every failed check listed
and highlighted on the cells it involves, each number beside the crop of the page it was read from;
rendered in headless Chromium where the machine has it."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from lxml import html as lhtml

from extractors.template import load_template
from flows.cli import main
from flows.pipeline import process, suffix_of
from warehouse.inspect import NotFound, build_page, find_document, flagged_cells
from warehouse.load import connect, load, store_original

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "002_78480d18d66647dc.txt"
PDF = SHARED / "real" / "hongze_2023.pdf"  # prints 表四 totals 0 beside non-zero items
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]
T = load_template()

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="shared/ not present")


# ------------------------------------------------------------------ which cells a failed check involves


def test_a_failed_row_total_involves_the_whole_row():
    cells = flagged_cells("applications.row_total", "applications.granted.total=0 but parts sum to 3", T)
    assert cells == {f"applications.granted.{c}" for c in T.table("applications").cols}


def test_a_failed_outcome_total_involves_the_column_of_outcomes():
    cells = flagged_cells("applications.outcome_total",
                          "applications.total_processed.natural_person=0 but parts sum to 3", T)
    assert "applications.granted.natural_person" in cells
    assert "applications.other_processing.natural_person" in cells
    assert "applications.total_processed.natural_person" in cells
    assert not any(c.endswith(".total") or ".new_received." in c for c in cells)


def test_a_failed_balance_involves_the_cells_it_names():
    detail = ("applications.new_received.total+applications.carried_over.total=5 but "
              "applications.total_processed.total+applications.carried_forward.total=4")
    assert flagged_cells("applications.balance", detail, T) == {
        "applications.new_received.total", "applications.carried_over.total",
        "applications.total_processed.total", "applications.carried_forward.total"}


def test_a_doubted_cell_involves_that_cell_only():
    assert flagged_cells("active_disclosure.regulations.issued", "not read cleanly", T) == {
        "active_disclosure.regulations.issued"}


def test_a_failed_cross_year_check_involves_this_reports_carried_over_cells():
    detail = "applications.carried_over.total=2 but the 2023 report (abc) carried forward 0"
    assert flagged_cells("cross_year", detail, T) == {"applications.carried_over.total"}


# ------------------------------------------------------------------ a page from a text report


def _broken_seed() -> bytes:
    """Seed 002 with 3 requests granted to persons that its total leaves out."""
    text = SEED.read_text("utf-8")
    text, n = re.subn(r"^(.*予以公开\t+)0\t", r"\g<1>3\t", text, count=1, flags=re.MULTILINE)
    assert n == 1
    return text.encode("utf-8")


def _load(db: Path, data: bytes, source: str) -> str:
    con = connect(db, T)
    try:
        pr = process(data, source, T)
        kept = store_original(data, db, pr.loaded.doc_id, suffix_of(pr.loaded.format or ""))
        load(con, replace(pr.loaded, original_path=kept), pr.report, pr.checks)
        return pr.loaded.doc_id
    finally:
        con.close()


@pytest.fixture(scope="module")
def text_page(tmp_path_factory) -> tuple[str, Path, str]:
    db = tmp_path_factory.mktemp("insp") / "w.duckdb"
    doc_id = _load(db, _broken_seed(), str(db.parent / "zhaoyuan_broken.txt"))
    con = duckdb.connect(str(db), read_only=True)
    try:
        return build_page(con, doc_id, T), db, doc_id
    finally:
        con.close()


def _bad_cells(page: str) -> set[str]:
    return {td.get("data-cell") for td in lhtml.fromstring(page).xpath('//td[contains(@class, "bad")]')}


def test_the_page_lays_out_every_template_table_with_its_labels(text_page):
    tree = lhtml.fromstring(text_page[0])
    text = tree.text_content()
    for t in T.tables:
        assert t.section in text
        for r in t.rows:
            assert r.label in text
        for label in t.col_labels:
            assert label in text
    assert len(tree.xpath('//td[@data-cell]')) == len(T.cell_ids())


def test_the_page_lists_every_failed_check_with_its_detail(text_page):
    page, db, doc_id = text_page
    con = duckdb.connect(str(db), read_only=True)
    failed = con.execute("SELECT rule_id, detail FROM checks WHERE doc_id = ? AND NOT passed "
                         "AND rule_id <> 'missing_cells'", [doc_id]).fetchall()
    con.close()
    assert {r for r, _ in failed} >= {"applications.row_total", "applications.outcome_total"}
    items = lhtml.fromstring(page).xpath('//li[@class="failed-check"]')
    assert sorted(li.get("data-rule") for li in items) == sorted(r for r, _ in failed)
    text = lhtml.fromstring(page).text_content()
    for _, detail in failed:
        assert detail in text


def test_the_rows_that_do_not_add_up_are_highlighted_and_no_others(text_page):
    bad = _bad_cells(text_page[0])
    app = T.table("applications")
    granted_row = {f"applications.granted.{c}" for c in app.cols}
    person_outcomes = {f"applications.{r.id}.natural_person" for r in app.rows
                       if r.id not in ("new_received", "carried_over", "carried_forward")}
    assert granted_row <= bad
    assert bad <= granted_row | person_outcomes | {"applications.other_processing.natural_person"}
    assert not any(c.startswith(("active_disclosure.", "review_litigation.")) for c in bad)


def test_a_text_report_page_says_why_it_has_no_page_images(text_page):
    assert "no page images" in text_page[0]
    assert "<img" not in text_page[0]


def test_documents_are_found_by_id_prefix_source_or_file_name(text_page):
    _, db, doc_id = text_page
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert find_document(con, doc_id) == doc_id
        assert find_document(con, doc_id[:8]) == doc_id
        assert find_document(con, "zhaoyuan_broken.txt") == doc_id
        with pytest.raises(NotFound):
            find_document(con, "nothing_like_it.pdf")
    finally:
        con.close()


def test_the_inspect_command_writes_the_page(text_page, tmp_path, capsys):
    _, db, doc_id = text_page
    out = tmp_path / "page.html"
    assert main(["inspect", doc_id[:10], "--db", str(db), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert "applications.row_total" in out.read_text("utf-8")
    assert main(["inspect", "missing.pdf", "--db", str(db), "--out", str(out)]) == 1
    assert "no such document" in capsys.readouterr().err


# ------------------------------------------------------------------ a PDF, rendered in Chromium


@pytest.fixture(scope="module")
def pdf_page(tmp_path_factory) -> tuple[Path, Path, str]:
    if not PDF.is_file():
        pytest.skip("shared/real not present")
    folder = tmp_path_factory.mktemp("pdf")
    db = folder / "w.duckdb"
    doc_id = _load(db, PDF.read_bytes(), str(PDF))
    out = folder / "hongze_2023.html"
    con = duckdb.connect(str(db), read_only=True)
    try:
        out.write_text(build_page(con, doc_id, T), "utf-8")
    finally:
        con.close()
    return out, db, doc_id


def test_each_number_read_from_a_pdf_sits_above_its_page_crop(pdf_page):
    out, db, doc_id = pdf_page
    con = duckdb.connect(str(db), read_only=True)
    boxed = {r[0] for r in con.execute(
        "SELECT table_id || '.' || row_id || '.' || col_id FROM facts WHERE doc_id = ? AND page IS NOT NULL "
        "AND x0 IS NOT NULL", [doc_id]).fetchall()}
    con.close()
    assert len(boxed) > 150
    tree = lhtml.fromstring(out.read_text("utf-8"))
    with_image = {td.get("data-cell") for td in tree.xpath('//td[@data-cell][img]')}
    assert with_image == boxed
    src = tree.xpath('//td[@data-cell="applications.new_received.total"]/img/@src')[0]
    assert src.startswith("data:image/png;base64,")


def _chromium(*args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)")
def test_the_page_renders_in_chromium_with_every_table_and_failed_check(pdf_page, tmp_path):
    out, db, doc_id = pdf_page
    shot = tmp_path / "review.png"
    r = _chromium(f"--screenshot={shot}", "--window-size=1300,4800", out.as_uri())
    assert shot.is_file() and shot.stat().st_size > 50_000, r.stderr[-2000:]
    dom = _chromium("--dump-dom", out.as_uri()).stdout
    text = lhtml.fromstring(dom).text_content()
    for t in T.tables:
        assert t.section in text
    con = duckdb.connect(str(db), read_only=True)
    failed = con.execute("SELECT rule_id, detail FROM checks WHERE doc_id = ? AND NOT passed "
                         "AND rule_id <> 'missing_cells'", [doc_id]).fetchall()
    con.close()
    assert ("review_litigation.row_total" in {r for r, _ in failed})  # the report's own 表四 totals
    for rule_id, detail in failed:
        assert rule_id in text and detail in text
    bad = _bad_cells(dom)
    assert "review_litigation.administrative_review.upheld" in bad
    assert not any(c.startswith("review_litigation.litigation_direct.") for c in bad)


def test_an_ocr_cell_says_which_layout_path_read_it_and_its_confidence(tmp_path):
    db = tmp_path / "w.duckdb"
    doc_id = _load(db, _broken_seed(), str(tmp_path / "zhaoyuan.txt"))
    con = duckdb.connect(str(db))
    # as OCR would have stored them: one cell from a ruled grid, one from the word layout
    con.execute("UPDATE facts SET method = 'ocr', confidence = 0.97, layout = 'words' WHERE doc_id = ? AND "
                "table_id = 'applications' AND row_id = 'new_received' AND col_id = 'total'", [doc_id])
    con.execute("UPDATE facts SET method = 'ocr', confidence = 0.91, layout = 'grid' WHERE doc_id = ? AND "
                "table_id = 'applications' AND row_id = 'granted' AND col_id = 'total'", [doc_id])
    page = build_page(con, doc_id, T)
    con.close()
    tree = lhtml.fromstring(page)
    words = tree.xpath('string(//td[@data-cell="applications.new_received.total"])')
    grid = tree.xpath('string(//td[@data-cell="applications.granted.total"])')
    assert "word layout" in words and "conf 0.97" in words
    assert "grid" in grid and "conf 0.91" in grid
