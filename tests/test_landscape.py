"""A landscape table on a portrait page reads as it does upright (issue 11).

Fixtures: tests/fixtures/landscape/ (tests/fixtures/gen_landscape.py), made from the table pages of
text-PDF fixtures: the content turned a quarter onto a portrait sheet with the page number upright
(its text runs up or down the page), pages with /Rotate 90 or 270, a landscape page made by turning
the content against /Rotate, and scans of sideways tables with the page number upright. Every
printed cell must come back with its gold value, none wrong, nothing where the source prints none;
and every fact's box must lie on the page as displayed, over the printed digits.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from background import Task, results
from goldcheck import assert_cells

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))

from gen_landscape import PLAN

from extractors.model import Paragraph
from extractors.pdf_chars import Glyph
from extractors.pdf_turned import char_turn, frames, page_box, upright_box
from extractors.template import load_template
from flows.pipeline import Processed, extract_document, process

FOLDER = Path(__file__).parent / "fixtures" / "landscape"
GOLD = json.loads((FOLDER / "gold.json").read_text("utf-8"))["documents"]
TEXT = sorted(n for n, g in GOLD.items() if g["kind"] == "pdf-text")
SCANS = sorted(n for n, g in GOLD.items() if g["kind"] == "pdf-scan")
# how each scan's table is turned on its sheet (90: its text runs up), from the generator's plan
SCAN_TURN = {name: turn for name, _, _, how, turn, _ in PLAN if how == "scan"}
T = load_template()


def _process_file(name: str) -> Processed:
    return process((FOLDER / name).read_bytes(), name, T)


def background_tasks(folder: Path) -> Iterator[Task]:
    """Every fixture read once, in the session's background workers (tests/background.py), from its
    start: the scans by OCR."""
    for name in sorted(GOLD):
        yield name, _process_file, (name,)


@pytest.fixture(scope="module")
def processed(request, tmp_path_factory) -> dict[str, Processed]:
    return results(request, tmp_path_factory)


@pytest.mark.parametrize("name", TEXT)
def test_a_text_pdf_printed_sideways_reads_every_cell(processed, name):
    p = processed[name]
    assert p.report is not None
    assert_cells(p.report, GOLD[name])


@pytest.mark.parametrize("name", TEXT)
def test_every_fact_lies_on_the_page_as_displayed_over_its_digits(processed, name):
    report = processed[name].report
    with pdfplumber.open(FOLDER / name) as pdf:
        pages = {i + 1: pg for i, pg in enumerate(pdf.pages)}
        for f in report.facts:
            if f.method == "inferred" or not f.raw_text.strip():
                continue
            page = pages[f.page]
            x0, top, x1, bottom = f.bbox
            assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height, f
            inside = "".join(c["text"] for c in page.chars
                             if x0 - 1 <= (c["x0"] + c["x1"]) / 2 <= x1 + 1 and top - 1 <= (c["top"] + c["bottom"]) / 2 <= bottom + 1)
            assert f.raw_text.replace(" ", "") in inside.replace(" ", ""), f


@pytest.mark.parametrize("name", SCANS)
def test_a_scanned_sideways_table_reads_every_cell(processed, name):
    p = processed[name]
    assert p.report is not None
    assert_cells(p.report, GOLD[name])


@pytest.mark.parametrize("name", SCANS)
def test_a_scanned_sideways_tables_facts_point_at_ink_on_the_sheet_as_scanned(processed, name):
    from ocr.render import open_pdf, render_page

    report = processed[name].report
    page = render_page(open_pdf((FOLDER / name).read_bytes()), 1)
    gray = page.image.min(axis=2)
    k = page.dpi / 72
    facts = [f for f in report.facts if f.method != "inferred"]
    assert facts
    for f in facts:
        x0, top, x1, bottom = (round(v * k) for v in f.bbox)
        assert 0 <= x0 < x1 <= gray.shape[1] and 0 <= top < bottom <= gray.shape[0], f
        assert (gray[top:bottom, x0:x1] < 128).sum() >= 10, f  # the printed digit is there


@pytest.mark.parametrize("name", SCANS)
def test_a_sheet_whose_table_runs_down_it_is_turned_by_the_table_not_by_its_upright_page_number(name):
    from ocr.engine import load_engine
    from ocr.prepare import prepare
    from ocr.render import open_pdf, render_page

    page = render_page(open_pdf((FOLDER / name).read_bytes()), 1)
    assert prepare(load_engine(), page.image, page.dpi).turned == SCAN_TURN[name]


def test_the_upright_page_number_of_a_sideways_page_is_not_read_as_text():
    doc = extract_document((FOLDER / "l01_sideways_up_borderless.pdf").read_bytes(), "l01.pdf")
    assert not [b for b in doc.blocks if isinstance(b, Paragraph) and b.text.strip("- ").isdigit()]


# -- the mechanism (extractors/pdf_turned.py)


def _char(a: float, b: float, c: float, d: float) -> dict:
    return {"matrix": (a, b, c, d, 100.0, 100.0)}


def test_a_glyphs_direction_is_read_from_its_text_matrix():
    assert char_turn(_char(1, 0, 0, 1)) == 0
    assert char_turn(_char(0, 0.71, -0.71, 0)) == 90  # running up the page
    assert char_turn(_char(0, -1, 1, 0)) == 270  # running down (a page with /Rotate 90)
    assert char_turn(_char(-1, 0, 0, -1)) == 180
    assert char_turn(_char(0.7, 0.7, -0.7, 0.7)) is None  # a watermark set at 45°
    assert char_turn({}) is None


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_a_box_turned_upright_turns_back_onto_the_page(turn):
    box = (100.0, 200.0, 108.0, 210.0)
    up = upright_box(box, turn, 595.0, 842.0)
    assert page_box(up, turn, 595.0, 842.0) == pytest.approx(box)


def _glyphs(text: str, x: float, y: float, down: bool) -> list[Glyph]:
    """Characters of 10 pt: across the page from (x, y), or down it."""
    return [Glyph(ch, x + (0 if down else 10 * k), y + (10 * k if down else 0),
                  x + (10 if down else 10 * k + 10), y + (10 * k + 10 if down else 10), 10.0) for k, ch in enumerate(text)]


def test_text_of_another_direction_among_the_main_text_is_read_with_it():
    # an upright table whose narrow header cells have their text turned to run down
    upright = _glyphs("行政复议结果维持", 100, 100, False) + _glyphs("一二三四五六七八九十", 100, 300, False)
    header = _glyphs("结果维持", 150, 150, True)
    glyphs = upright + header
    turns = [0] * len(upright) + [270] * len(header)
    assert frames(glyphs, turns) == [(0, list(range(len(glyphs))))]


def test_text_of_another_direction_lying_apart_is_read_in_its_own_frame():
    # a table set running up the page, and the page number upright at the foot of the sheet
    table = _glyphs("本年新收政府信息公开申请数量", 300, 200, True)
    number = _glyphs("-3-", 290, 800, False)
    glyphs = table + number
    turns = [90] * len(table) + [0] * len(number)
    n = len(table)
    assert frames(glyphs, turns) == [(90, list(range(n))), (0, list(range(n, n + 3)))]
