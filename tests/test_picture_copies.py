"""A template table printed as a picture beside its text copy, or only as a picture.

The text copy states its digits exactly, OCR reads a picture's with some confidence: where both exist
the text reading is kept (with its own provenance), a confident picture reading that differs doubts the
cell naming both readings, an uncertain one is only recorded (the `printed_copies` check). Fixtures:
tests/fixtures/pictures/ (tests/fixtures/gen_pictures.py); the first tests read them through the whole
pipeline with the real OCR (two distinct pictures, each OCR'd once per run), the others state the rule
on handmade readings.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import ocr.image
from extractors.checks import check_report
from extractors.model import Cell, Document, Paragraph, Table
from extractors.reconcile import reconcile
from extractors.template import load_template
from flows.pipeline import process

FOLDER = Path(__file__).parent / "fixtures" / "pictures"
GOLD = json.loads((FOLDER / "gold.json").read_text("utf-8"))["documents"]
T = load_template()

_OCR = ocr.image.extract_image
_READ: dict[str, Document] = {}


@pytest.fixture
def ocr_once(monkeypatch):
    """The fixtures paste the same picture into several documents: OCR each picture once per run."""

    def extract_image(data: bytes, source: str, engine=None) -> Document:
        key = hashlib.sha256(data).hexdigest()
        if key not in _READ:
            _READ[key] = _OCR(data, source, engine)
        return _READ[key]

    monkeypatch.setattr(ocr.image, "extract_image", extract_image)


def processed(name: str):
    p = process((FOLDER / name).read_bytes(), name, T)
    assert p.report is not None
    failed = {c.rule_id: c.detail for c in check_report(p.report, T) if not c.passed}
    checks = {c.rule_id: c for c in check_report(p.report, T)}
    return {f.cell_id: f for f in p.report.facts if f.method != "inferred"}, failed, checks


# --- the fixtures, end to end -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOLD))
def test_a_report_with_a_table_as_a_picture_reads_every_cell_and_nothing_silently_wrong(name, ocr_once):
    gold = GOLD[name]
    facts, failed, _ = processed(name)
    right = [k for k, v in gold["cells"].items() if k in facts and facts[k].value == v]
    assert len(right) >= 0.995 * len(gold["cells"]), sorted(set(gold["cells"]) - set(right))
    silent = [k for k, v in gold["cells"].items() if k in facts and facts[k].value != v
              and k not in failed and not any(r.startswith(k.split(".")[0] + ".") for r in failed)]
    assert silent == []
    assert not set(facts) - set(gold["cells"])  # nothing invented


def test_a_picture_that_agrees_with_the_text_copy_is_compared_and_no_doubt(ocr_once):
    facts, failed, checks = processed("p01_county_2023.html")
    assert checks["printed_copies"].passed
    assert checks["printed_copies"].detail == "25 rows printed more than once, alike"  # all of 表三
    assert {f.method for k, f in facts.items() if k.startswith("applications.")} == {"html"}
    assert not [k for k in failed if k.startswith("applications.")]


@pytest.mark.parametrize("name", ["p02_county_2023.docx", "p04_county_2023.docx"])
def test_a_picture_printing_a_number_otherwise_doubts_the_cell_and_the_text_reading_is_kept(name, ocr_once):
    facts, failed, checks = processed(name)
    ((cell, pictured),) = GOLD[name]["picture_disagrees"].items()
    text = GOLD[name]["cells"][cell]
    kept = facts[cell]
    # p02's picture sits before its text copy: the text is kept all the same, with its own provenance
    assert (kept.value, kept.method, kept.confidence, kept.bbox) == (text, "docx", None, None)
    assert failed[cell] == (f"printed twice: {text} (docx) and {pictured:g} (ocr, page 1, confidence 1.00)")
    assert not checks["printed_copies"].passed and cell in checks["printed_copies"].detail
    assert [k for k in failed if k.count(".") == 2] == [cell]  # no other cell doubted
    assert {k for k in failed if k.count(".") == 1} == ({"applications.row_total", "applications.outcome_total"}
                                                       if GOLD[name]["expect_rule_failure"] else set())


def test_a_table_only_as_a_picture_is_read_by_ocr_with_the_pictures_provenance(ocr_once):
    facts, _, checks = processed("p03_county_2023.html")
    t3 = [f for k, f in facts.items() if k.startswith("applications.")]
    assert len(t3) == 175
    assert {(f.method, f.page) for f in t3} == {("ocr", 1)}  # page: the picture's index in the document
    assert all(f.bbox is not None and f.confidence is not None for f in t3)
    assert "printed_copies" not in checks


# --- which reading is kept, and what a difference means (handmade readings) ----------------------------

TITLE = Paragraph("某县人民政府2023年政府信息公开工作年度报告")
APPS = Paragraph("三、收到和处理政府信息公开申请情况")
GRANTED = ["（一）予以公开", "5", "1", "0", "0", "0", "0", "6"]
PARTIAL = ["（二）部分公开", "2", "0", "0", "0", "0", "0", "2"]


def picture(rows: list[list[str]], low: dict[tuple[int, int], float] | None = None, page: int = 2) -> Table:
    """An OCR reading of a picture: confident cells, some lower (`low`), boxes in the picture."""
    low = low or {}
    return Table(tuple(Cell(r, c, text, page=page, bbox=(10.0 * c, 20.0 * r, 10.0 * c + 9, 20.0 * r + 19),
                            confidence=low.get((r, c), 0.98))
                       for r, row in enumerate(rows) for c, text in enumerate(row)), page=page)


def text(rows: list[list[str]]) -> Table:
    return Table(tuple(Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row)))


def read(*blocks):
    report = reconcile(Document("x.html", "html", "html", (TITLE, APPS, *blocks)), T)
    checks = {c.rule_id: c for c in check_report(report, T)}
    return {f.cell_id: f for f in report.facts}, {k: c.detail for k, c in checks.items() if not c.passed}, checks


def test_the_text_copy_is_kept_even_where_the_picture_comes_first():
    facts, failed, checks = read(picture([GRANTED, PARTIAL]), text([GRANTED, PARTIAL]))
    f = facts["applications.granted.natural_person"]
    assert (f.method, f.confidence, f.page, f.bbox) == ("html", None, None, None)
    assert not [k for k in failed if k.startswith("applications.")]
    assert checks["printed_copies"].passed


def test_a_low_confidence_misreading_in_the_picture_does_not_doubt_the_text():
    misread = [*GRANTED[:1], "8", *GRANTED[2:]]  # 5 read as 8, at confidence 0.61
    facts, failed, _ = read(text([GRANTED, PARTIAL]), picture([misread, PARTIAL], low={(0, 1): 0.61}))
    assert facts["applications.granted.natural_person"].value == 5
    assert "applications.granted.natural_person" not in failed
    assert failed["printed_copies"] == ("applications.granted.natural_person: printed twice: 5 (html) kept; "
                                        "the other copy's 8 (ocr, page 2, confidence 0.61) is an uncertain OCR reading")


def test_a_picture_cell_ocr_found_empty_does_not_doubt_the_text():
    faint = [*GRANTED[:1], "", *GRANTED[2:]]
    facts, failed, _ = read(text([GRANTED, PARTIAL]), picture([faint, PARTIAL]))
    assert facts["applications.granted.natural_person"].value == 5
    assert "applications.granted.natural_person" not in failed and "printed_copies" in failed


def test_a_confident_different_picture_reading_doubts_the_text_reading_naming_both():
    other = [*GRANTED[:1], "8", *GRANTED[2:]]
    facts, failed, _ = read(picture([other, PARTIAL]), text([GRANTED, PARTIAL]))
    assert facts["applications.granted.natural_person"].value == 5
    assert failed["applications.granted.natural_person"] == (
        "printed twice: 5 (html) and 8 (ocr, page 2, confidence 0.98)")


def test_two_pictures_that_disagree_keep_the_first_and_doubt_it_whatever_the_confidence():
    other = [*GRANTED[:1], "8", *GRANTED[2:]]
    facts, failed, _ = read(picture([GRANTED, PARTIAL], page=1),
                            picture([other, PARTIAL], low={(0, 1): 0.5}, page=2))
    f = facts["applications.granted.natural_person"]
    assert (f.value, f.method, f.page, f.bbox) == (5, "ocr", 1, (10.0, 0.0, 19.0, 19.0))
    assert "applications.granted.natural_person" in failed


def t3_rows(values: dict[int, str] | None = None) -> list[list[str]]:
    """表三's 25 rows by their labels, every number 0 but those `values` sets (row index -> number)."""
    values = values or {}
    rows = []
    for k, row in enumerate(T.table("applications").rows):
        if row.id == "other_processing":
            continue
        n = values.get(len(rows), "0")
        rows.append([row.label, n, "0", "0", "0", "0", "0", n])
    return rows


def test_rows_of_the_pictures_copy_that_lost_their_labels_are_compared_by_their_place_in_it():
    # OCR garbled two labels of the picture's copy (属干国家秘密 glued to its group, 信访举报投诉类申):
    # those rows are placed between the copy's own labelled rows, so their numbers are compared too
    shown = t3_rows({4: "3"})
    shown[4][0], shown[14][0] = "（三）不予公开1.属干困家秘", "（五）不予处理1.信访举报投"
    for first in (True, False):
        copies = (picture(shown), text(t3_rows())) if first else (text(t3_rows()), picture(shown))
        facts, failed, checks = read(*copies)
        assert facts["applications.withheld_state_secret.natural_person"].value == 0
        assert failed["applications.withheld_state_secret.natural_person"] == (
            "printed twice: 0 (html) and 3 (ocr, page 2, confidence 0.98)")
        assert "not_processed_petition" not in checks["printed_copies"].detail
        assert {f.method for f in facts.values() if f.method != "inferred"} == {"html"}


def test_rows_of_numbers_that_could_not_be_placed_are_said_in_a_failed_check_not_dropped():
    # a copy's row after the table's last labelled row, its label lost: no row left to place it in
    forward = ["四、结转下年度继续办理", "1", "0", "0", "0", "0", "0", "1"]
    facts, failed, _ = read(text([GRANTED, forward]), picture([["", "4", "0", "0", "0", "0", "0", "4"]]))
    assert facts["applications.carried_forward.total"].value == 1
    assert "could not be placed" in failed["unplaced_rows"]
    _, failed, checks = read(text([GRANTED, forward]))
    assert "unplaced_rows" not in checks
