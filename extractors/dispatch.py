"""Bytes to the shared table model: sniff the format from the bytes, then hand them to its extractor.

Extractor modules are imported on demand so a text dump never pays for OpenCV or ONNX start-up.
"""

from __future__ import annotations

from collections.abc import Callable

from extractors.detect import detect_format
from extractors.errors import UnsupportedFormat
from extractors.model import Document


def extract(data: bytes, source: str, resolve: Callable[[str], bytes | None] | None = None,
            fmt: str | None = None) -> Document:
    """`resolve` fetches what a page links to (its pictures), for pages read from the web; `fmt` is
    the format when the caller has sniffed it already."""
    fmt = fmt or detect_format(data, source)
    if fmt == "pdf":
        from extractors.pdf_text import extract_pdf

        return extract_pdf(data, source)
    if fmt == "text":
        from extractors.text_dump import extract_text

        return extract_text(data, source)
    if fmt == "html":
        from extractors.html import extract_html

        return extract_html(data, source, resolve=resolve)
    if fmt == "docx":
        from extractors.docx import extract_docx

        return extract_docx(data, source)
    if fmt in ("doc", "wps", "odt", "rtf"):
        from extractors.office import extract_office

        return extract_office(data, source, fmt)
    if fmt == "ofd":
        from extractors.ofd import extract_ofd

        return extract_ofd(data, source)
    if fmt in ("xlsx", "xls", "ods"):
        from extractors.xlsx import extract_spreadsheet

        return extract_spreadsheet(data, source, fmt)
    if fmt == "image":
        from ocr.image import extract_image

        return extract_image(data, source)
    if fmt == "encrypted":
        raise UnsupportedFormat("password-protected Office file: save it without a password and ingest it again")
    if fmt == "empty":
        raise UnsupportedFormat("empty file")
    raise UnsupportedFormat(f"not a format nianbao reads ({fmt})")
