"""Page-image crops around the boxes facts were read from, the box outlined, as PNG bytes: what the
review page shows beside each number. PDFs are rendered with pypdfium2 (boxes in PDF points from
the page's top-left); image originals are cropped directly (boxes in pixels)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

BBox = tuple[float, float, float, float]

SCALE = 2.0  # pixels per PDF point (144 dpi): digits stay sharp in a small crop
MARGIN_X = 36.0  # points of context left and right: the neighbouring cells
MARGIN_Y = 10.0
MAX_WIDTH = 150.0  # points: a number centred in a wide merged cell stays legible in a small crop
OUTLINE = (220, 30, 30)


@dataclass(frozen=True)
class Box:
    page: int  # 1-based
    bbox: BBox


class CropError(Exception):
    """The original cannot be rendered; the message says why."""


def _crop(img: Image.Image, bbox: BBox, scale: float) -> bytes:
    x0, top, x1, bottom = (v * scale for v in bbox)
    mx, my = MARGIN_X * scale, MARGIN_Y * scale
    half = min((x1 - x0) / 2 + mx, MAX_WIDTH * scale / 2)
    mid = (x0 + x1) / 2
    left, upper = max(0, int(mid - half)), max(0, int(top - my))
    right, lower = min(img.width, int(mid + half)), min(img.height, int(bottom + my))
    if right <= left or lower <= upper:
        raise CropError("box outside the page")
    piece = img.crop((left, upper, right, lower)).convert("RGB")
    ImageDraw.Draw(piece).rectangle((x0 - left - 2, top - upper - 2, x1 - left + 2, bottom - upper + 2),
                                    outline=OUTLINE, width=max(2, int(scale)))
    buf = io.BytesIO()
    # a small palette keeps 200 crops of black-on-white text light enough to embed
    piece.quantize(colors=32).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _pdf_pages(path: Path, pages: set[int]) -> dict[int, tuple[Image.Image, float]]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        raise CropError(f"cannot open the PDF: {e}") from e
    try:
        out = {}
        for n in sorted(pages):
            if 1 <= n <= len(pdf):
                out[n] = (pdf[n - 1].render(scale=SCALE).to_pil(), SCALE)
        return out
    finally:
        pdf.close()


def _image_pages(path: Path) -> dict[int, tuple[Image.Image, float]]:
    try:
        img = Image.open(path)
        img.load()
    except OSError as e:
        raise CropError(f"cannot open the image: {e}") from e
    return {1: (img, 1.0)}


def crops(original: str | Path, fmt: str | None, boxes: Mapping[str, Box]) -> dict[str, bytes]:
    """PNG bytes per key for every box that lies on a rendered page. Raises CropError where the
    original cannot be read at all; formats without pages (html, docx, text) give nothing."""
    path = Path(original)
    if not boxes or fmt not in ("pdf", "image"):
        return {}
    if not path.is_file():
        raise CropError(f"stored original not found: {path}")
    pages = _pdf_pages(path, {b.page for b in boxes.values()}) if fmt == "pdf" else _image_pages(path)
    out = {}
    for key, b in boxes.items():
        if b.page in pages:
            img, scale = pages[b.page]
            try:
                out[key] = _crop(img, b.bbox, scale)
            except CropError:
                continue
    return out
