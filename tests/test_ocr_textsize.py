"""Text detection at the resolution the print needs (ocr.textsize): ordinary print at DET_DPI,
small print where its characters come out tall enough for the detector."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from goldcheck import tally

from extractors.template import load_template
from flows.pipeline import process
from ocr.textsize import DET_DPI, WORKABLE_PX, char_height, detection_dpi

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))

from gen_landscape import SOURCES, sideways
from gen_scan import ScanStyle, degrade, write_image_pdf
from gen_twins import gold_for_pages


def _print(pt: float, dpi: float, lines: int = 6, per_line: int = 30) -> np.ndarray:
    """Ink of a strip of print `pt` points tall at `dpi`: lines of character-sized blocks (each a
    few strokes, as a character's ink is), with specks of noise between them."""
    h = round(pt * dpi / 72)
    ink = np.zeros((lines * 2 * h + h, per_line * 2 * h), np.uint8)
    rng = np.random.default_rng(1)
    for r in range(lines):
        for c in range(per_line):
            y, x = h + r * 2 * h, h // 2 + c * 2 * h
            ink[y : y + h, x : x + max(1, h // 8)] = 255  # an upright stroke, the full height
            ink[y + h // 2, x : x + h] = 255  # a bar across it
    for _ in range(300):
        y, x = rng.integers(0, ink.shape[0] - 2), rng.integers(0, ink.shape[1] - 2)
        ink[y : y + 2, x : x + 2] = 255
    return ink


@pytest.mark.parametrize("pt", [8.0, 10.5, 16.0])
def test_ordinary_print_is_detected_at_the_usual_resolution(pt):
    assert detection_dpi(_print(pt, 200), 200) == DET_DPI
    assert detection_dpi(_print(pt, 150), 150) == DET_DPI


@pytest.mark.parametrize("pt", [4.5, 5.7, 6.5])
def test_small_print_is_detected_where_its_characters_come_out_workable(pt):
    dpi = detection_dpi(_print(pt, 300), 300)
    assert dpi > DET_DPI
    assert pt * dpi / 72 == pytest.approx(WORKABLE_PX, rel=0.1)


def test_small_print_is_never_detected_above_the_images_own_resolution():
    assert detection_dpi(_print(4.5, 120), 120) == 120


def test_the_characters_height_is_measured_past_specks_of_noise():
    assert char_height(_print(10.5, 200), 200) == pytest.approx(10.5 * 200 / 72, abs=1)


def test_a_strip_with_too_little_ink_to_measure_stays_at_the_usual_resolution():
    ink = np.zeros((100, 800), np.uint8)
    ink[40:48, 10:12] = 255
    assert char_height(ink, 200) is None
    assert detection_dpi(ink, 200) == DET_DPI


def test_a_sideways_table_of_small_print_on_a_rough_scan_reads_its_cells(tmp_path):
    # 表三 of a report set in 8 pt, turned onto a portrait sheet (5.7 pt there) and scanned at
    # 120 dpi: at 100 dpi its lone digits are 5 px tall and the detector passes most of them over
    src, page = SOURCES / "p14_dept_2025.pdf", 2
    doc = pdfium.PdfDocument(sideways(src, (page,), 90))
    sheet = np.asarray(doc[0].render(scale=120 / 72).to_pil().convert("RGB"))
    image = degrade(sheet, random.Random(11), ScanStyle(dpi=120, noise=3.0, quality=60))
    write_image_pdf([image], 120, 60, tmp_path / "small.pdf")
    gold = gold_for_pages(json.loads((SOURCES / "gold.json").read_text("utf-8"))["documents"][src.name], src, [page])
    t = tally(process((tmp_path / "small.pdf").read_bytes(), "small.pdf", load_template()), gold)
    assert t.cells > 150
    assert t.right >= 0.8 * t.cells  # before the resolution followed the print: 114 of 175
    assert t.silent_wrong == [] and t.invented == []
