"""OCR of scanned PDF pages (ocr.pdf, ocr.render)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extractors.errors import ExtractionError
from extractors.model import Paragraph, Table
from ocr.page import as_blocks
from ocr.pdf import ocr_pdf_pages
from ocr.render import choose_dpi, open_pdf, render_page

SHARED = Path(__file__).resolve().parents[2] / "shared"
HONGZE_SCAN = SHARED / "real" / "hongze_2024_scan.pdf"


def _scan_pdf(width_px: int, height_px: int, dpi: float) -> bytes:
    """A one-page image-only PDF, the way a scanner writes one."""
    img = Image.fromarray(np.full((height_px, width_px), 255, np.uint8))
    buf = io.BytesIO()
    img.save(buf, format="PDF", resolution=dpi)
    return buf.getvalue()


def test_a_scanned_page_is_rendered_at_its_own_resolution():
    pdf = open_pdf(_scan_pdf(1240, 1754, 150))
    assert abs(choose_dpi(pdf[0]) - 150) < 1
    h, w = render_page(pdf, 1).image.shape[:2]
    assert abs(h - 1754) <= 1 and abs(w - 1240) <= 1  # pdfium rounds the page size up


def test_a_very_coarse_scan_is_rendered_up_to_the_minimum_resolution():
    pdf = open_pdf(_scan_pdf(620, 877, 75))
    assert choose_dpi(pdf[0]) == 150


def test_bytes_that_are_not_a_pdf_raise_an_extraction_error():
    with pytest.raises(ExtractionError):
        ocr_pdf_pages(b"%PDF-1.4 this is not really a pdf", "x.pdf", [1])


def test_a_page_out_of_range_raises_an_extraction_error():
    with pytest.raises(ExtractionError):
        ocr_pdf_pages(_scan_pdf(200, 300, 150), "x.pdf", [2])


def test_a_blank_scanned_page_gives_an_empty_page():
    assert ocr_pdf_pages(_scan_pdf(620, 877, 75), "x.pdf", [1]) == [(1, [])]


@pytest.mark.skipif(not HONGZE_SCAN.exists(), reason="../shared is not beside the checkout")
def test_real_scan_table_three_numbers_land_in_their_rows_and_columns():
    # page 3 of the hongze scan (150 dpi, JPEG q55): the top half of 表三, seven numeric columns
    ((page, items),) = ocr_pdf_pages(HONGZE_SCAN.read_bytes(), HONGZE_SCAN.name, [3])
    assert page == 3
    blocks = as_blocks(items)
    tables = [b for b in blocks if isinstance(b, Table)]
    assert any("收到和处理政府信息公开申请情况" in b.text for b in blocks if isinstance(b, Paragraph))
    t3 = max(tables, key=lambda t: t.n_rows)
    rows = {}
    for row in t3.rows():
        label = " ".join(c.text for c in row if not c.text.isdigit())
        nums = [c.text for c in row if c.text.isdigit()]
        if len(nums) == 7:
            rows[label] = nums
    def find(key: str) -> list[str]:
        return next(v for k, v in rows.items() if key in k)

    assert find("本年新收") == ["95", "0", "0", "0", "0", "0", "95"]
    assert find("予以公开") == ["50", "0", "0", "0", "0", "0", "50"]
    assert find("部分公开") == ["9", "0", "0", "0", "0", "0", "9"]
    assert find("三安全一稳定") == ["1", "0", "0", "0", "0", "0", "1"]
    assert find("不掌握") == ["31", "0", "0", "0", "0", "0", "31"]
    assert len(rows) == 13
    numeric = [c for c in t3.cells if c.text.isdigit()]
    assert all(c.page == 3 and c.confidence is not None and c.bbox is not None for c in numeric)
    assert all(0 < c.bbox[0] < c.bbox[2] < 596 and 0 < c.bbox[1] < c.bbox[3] < 843 for c in numeric)
