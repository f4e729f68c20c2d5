"""PDF pages to images for OCR, at a resolution chosen per page.

A scanned page is one full-page raster: rendering it at the raster's own resolution keeps its pixels
as they are (resampling a JPEG-damaged scan only blurs it further). Other pages (vector drawings,
text turned into outlines) are rendered at DEFAULT_DPI, enough for 9 pt table text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium

from extractors.errors import ExtractionError

DEFAULT_DPI = 200.0
MIN_DPI = 150.0  # below this small table digits lose their shape
MAX_DPI = 300.0  # above this recognition gains nothing and time grows with the area


@dataclass(frozen=True)
class PageImage:
    """One page as a BGR image, with the scale back to PDF points (72 / dpi) for provenance."""

    page: int  # 1-based
    image: np.ndarray
    dpi: float

    @property
    def to_points(self) -> float:
        return 72.0 / self.dpi


def native_dpi(page: pdfium.PdfPage) -> float | None:
    """The resolution of the largest raster on the page when it covers most of the page (a scan)."""
    width, height = page.get_size()
    best: tuple[float, float] | None = None
    for obj in page.get_objects(max_depth=2):
        if obj.type != pdfium.raw.FPDF_PAGEOBJ_IMAGE:
            continue
        x0, y0, x1, y1 = obj.get_bounds()
        w_pt, h_pt = x1 - x0, y1 - y0
        if w_pt * h_pt < 0.5 * width * height:
            continue
        px_w, px_h = obj.get_px_size()
        # a page rotated by /Rotate or an image placed sideways swaps the axes
        dpi = max(px_w, px_h) / max(w_pt, h_pt) * 72.0
        if best is None or w_pt * h_pt > best[0]:
            best = (w_pt * h_pt, dpi)
    return best[1] if best else None


def choose_dpi(page: pdfium.PdfPage) -> float:
    dpi = native_dpi(page)
    if dpi is None:
        return DEFAULT_DPI
    return float(min(MAX_DPI, max(MIN_DPI, dpi)))


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"cannot open PDF for OCR: {exc}") from exc


def render_page(pdf: pdfium.PdfDocument, page_no: int, dpi: float | None = None) -> PageImage:
    """Render a 1-based page in colour (red seals are told apart by colour before greyscale)."""
    if not 1 <= page_no <= len(pdf):
        raise ExtractionError(f"page {page_no} out of range (1-{len(pdf)})")
    page = pdf[page_no - 1]
    use_dpi = dpi if dpi is not None else choose_dpi(page)
    bitmap = page.render(scale=use_dpi / 72.0, rev_byteorder=False, fill_color=(255, 255, 255, 255))
    arr = bitmap.to_numpy()
    if arr.ndim == 2:
        arr = np.repeat(arr[:, :, None], 3, axis=2)
    elif arr.shape[2] == 4:
        arr = arr[:, :, :3]
    # pdfium renders BGR(A) unless rev_byteorder: exactly what OpenCV expects
    return PageImage(page=page_no, image=np.ascontiguousarray(arr), dpi=use_dpi)
