"""OCR of PDF pages that carry no usable text layer (scans), for the PDF extractor."""

from __future__ import annotations

import cv2

from extractors.errors import ExtractionError
from extractors.model import Paragraph
from extractors.pdf_ruled import TablePart
from ocr.engine import Engine, load_engine
from ocr.page import ocr_page
from ocr.render import open_pdf, render_page


def ocr_pdf_pages(
    data: bytes, source: str, pages: list[int], engine: Engine | None = None
) -> list[tuple[int, list[Paragraph | TablePart]]]:
    """OCR the given 1-based pages of a PDF: each page's paragraphs and table parts in reading
    order (the PDF extractor stitches parts across pages as it does for the text layer), boxes in
    PDF points of the page as it is displayed, every cell with its confidence."""
    eng = engine if engine is not None else load_engine()
    pdf = open_pdf(data)
    try:
        out = []
        for page_no in pages:
            page = render_page(pdf, page_no)
            try:
                blocks = ocr_page(eng, page.image, page.dpi, page_no)
            except (ValueError, IndexError, cv2.error) as exc:  # degenerate geometry of a broken page
                raise ExtractionError(f"OCR failed on page {page_no}: {exc}") from exc
            out.append((page_no, blocks))
        return out
    finally:
        pdf.close()
