"""Image files by OCR (ocr.image): PNG, JPEG, multi-page TIFF, BMP, WEBP."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from extractors.errors import ExtractionError
from extractors.model import Table
from ocr.image import extract_image


def _frame(numbers: tuple[str, str]) -> Image.Image:
    img = np.full((500, 700), 255, np.uint8)
    cv2.putText(img, "Report of the year 2024", (40, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    xs, ys = [40, 360, 660], [200, 270, 340]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 2)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 2)
    for r, text in enumerate(("issued", "repealed")):
        cv2.putText(img, text, (55, ys[r] + 48), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
        cv2.putText(img, numbers[r], (480, ys[r] + 48), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    return Image.fromarray(img)


def _encode(frames: list[Image.Image], fmt: str) -> bytes:
    buf = io.BytesIO()
    if len(frames) > 1:
        frames[0].save(buf, format=fmt, save_all=True, append_images=frames[1:], dpi=(150, 150))
    else:
        frames[0].save(buf, format=fmt, dpi=(150, 150))
    return buf.getvalue()


def _numbers(doc) -> list[tuple[int, str]]:
    return [(c.page, c.text) for b in doc.blocks if isinstance(b, Table) for c in b.cells if c.text.isdigit()]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP", "WEBP"])
def test_a_single_image_is_one_ocr_page(fmt):
    doc = extract_image(_encode([_frame(("14", "235"))], fmt), f"scan.{fmt.lower()}")
    assert (doc.format, doc.method, doc.pages) == ("image", "ocr", 1)
    assert _numbers(doc) == [(1, "14"), (1, "235")]


def test_each_frame_of_a_multi_page_tiff_is_a_page():
    doc = extract_image(_encode([_frame(("3", "0")), _frame(("10", "8"))], "TIFF"), "scan.tif")
    assert doc.pages == 2
    assert _numbers(doc) == [(1, "3"), (1, "0"), (2, "10"), (2, "8")]


def test_image_boxes_are_in_the_image_pixels():
    doc = extract_image(_encode([_frame(("14", "235"))], "PNG"), "scan.png")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    x0, y0, x1, y1 = table.bbox
    assert abs(x0 - 40) < 4 and abs(y0 - 200) < 4 and abs(x1 - 660) < 4 and abs(y1 - 340) < 4


def test_bytes_that_are_no_image_raise_an_extraction_error():
    with pytest.raises(ExtractionError):
        extract_image(b"\x89PNG\r\n\x1a\n but the rest is garbage", "broken.png")


def test_a_long_image_stating_no_resolution_is_taken_at_its_width_as_an_a4_page():
    from ocr.image import _dpi

    assert abs(_dpi(Image.new("L", (1241, 7016))) - 150) < 1  # a 长图: five pages stacked


def test_a_tiny_or_sliver_image_gives_an_empty_document_not_an_error():
    for size in [(1, 1), (3000, 8)]:
        buf = io.BytesIO()
        Image.new("L", size, 255).save(buf, format="PNG")
        doc = extract_image(buf.getvalue(), "sliver.png")
        assert doc.blocks == () and doc.warnings


def test_a_high_resolution_scan_keeps_its_boxes_in_its_own_pixels():
    frame = _frame(("14", "235"))
    big = frame.resize((frame.width * 3, frame.height * 3))
    buf = io.BytesIO()
    big.save(buf, format="PNG", dpi=(450, 450))  # worked on at 300 dpi, boxes scaled back
    doc = extract_image(buf.getvalue(), "scan.png")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    x0, y0, x1, y1 = table.bbox
    assert abs(x0 - 120) < 8 and abs(y0 - 600) < 8 and abs(x1 - 1980) < 8 and abs(y1 - 1020) < 8
    assert [c.text for c in table.cells if c.text.isdigit()] == ["14", "235"]
