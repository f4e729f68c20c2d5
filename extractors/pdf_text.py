"""PDF with a text layer -> the shared table model.

One pass per page over pdfplumber's parsed objects: the page's glyphs are judged usable or not
(pdf_quality), the visible rules give ruled tables (pdf_ruled), the glyphs outside them give lines,
from which aligned columns give unruled tables (pdf_unruled) and the rest are paragraphs, one per
line. Page numbers, running headers and 续表 labels are page furniture and dropped (pdf_furniture),
so a table running over a page break is stitched back into one (pdf_stitch). Pages whose text layer
is missing or unreadable go to the OCR path (ocr.pdf, imported only when needed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from extractors.errors import ExtractionError
from extractors.layout import lay_out
from extractors.model import Block, Document, Paragraph, Table
from extractors.pdf_chars import Glyph, glyph_text
from extractors.pdf_furniture import drop_running_lines
from extractors.pdf_quality import unusable_reason
from extractors.pdf_ruled import TablePart, fill_grids, find_grids, ruling_edges
from extractors.pdf_stitch import stitch_pages
from extractors.pdf_turned import char_turn, layout_turned


@dataclass(frozen=True)
class _PageRead:
    number: int
    height: float
    items: tuple[Paragraph | TablePart, ...]
    unusable: str | None = None


def _glyphs(chars: Sequence[dict]) -> list[Glyph]:
    return [
        Glyph(
            glyph_text(c["text"]),
            c["x0"],
            c["top"],
            c["x1"],
            c["bottom"],
            c.get("size") or (c["bottom"] - c["top"]),
        )
        for c in chars
    ]


def _image_cover(page: Any) -> float:
    area = float(page.width * page.height) or 1.0
    best = 0.0
    for im in page.images:
        w = max(0.0, min(im["x1"], page.width) - max(im["x0"], 0))
        h = max(0.0, min(im["bottom"], page.height) - max(im["top"], 0))
        best = max(best, w * h / area)
    return best


# An image this large (share of the page) with no text over it, on a page where no table was found,
# is most likely the report's table pasted in as a picture: the page goes to OCR. A scan with an
# invisible OCR text layer has its characters over the image and is read as text.
_PASTED_COVER = 0.25
_TEXT_OVER_IMAGE = 10


def _pasted_picture(page: Any, glyphs: Sequence[Glyph]) -> bool:
    area = float(page.width * page.height) or 1.0
    for im in page.images:
        x0, top = max(im["x0"], 0), max(im["top"], 0)
        x1, bottom = min(im["x1"], page.width), min(im["bottom"], page.height)
        if max(0.0, x1 - x0) * max(0.0, bottom - top) / area < _PASTED_COVER:
            continue
        over = sum(1 for g in glyphs if g.text.strip() and x0 <= g.cx <= x1 and top <= (g.top + g.bottom) / 2 <= bottom)
        if over < _TEXT_OVER_IMAGE:
            return True
    return False


def read_page(page: Any, number: int) -> _PageRead:
    try:  # pdfminer parses the page's content stream here, the only step that meets broken input
        chars, objects, cover, height = page.chars, page.objects, _image_cover(page), float(page.height)
    except Exception as e:  # noqa: BLE001 -- pdfminer raises a zoo of types for broken streams
        raise ExtractionError(f"{_reason(e)} (page {number})") from None
    glyphs = _glyphs(chars)
    curves = objects.get("curve", [])
    why = unusable_reason(glyphs, len(curves), cover)
    if why:
        return _PageRead(number, height, (), why)
    edges = ruling_edges(objects.get("line", []), objects.get("rect", []), curves)
    # text set sideways (a wide table turned across the page, a page with /Rotate) is turned
    # upright first, so the same layout stage reads it
    turns = [char_turn(c) for c in chars]
    ruled, items = layout_turned(page, glyphs, turns, edges, number, float(page.width), height, layout_page)
    if not ruled and cover >= _PASTED_COVER and _pasted_picture(page, glyphs):
        return _PageRead(number, height, (), "a large picture with no text over it (a pasted table?)")
    return _PageRead(number, height, items)


def layout_page(page: Any, glyphs: Sequence[Glyph], edges: list[dict], number: int, height: float,
                ) -> tuple[list[TablePart], tuple[Paragraph | TablePart, ...]]:
    """A page's positioned glyphs and ruling edges to its ruled tables, and all its items (tables and
    paragraphs) top to bottom. `page` answers pdfplumber's `find_tables` (a pdfplumber page, or any
    fixed-layout page that lends it its edges: see extractors/ofd.py). The glyphs outside the ruled
    tables go through the one layout stage (extractors/layout.py) OCR text goes through too."""
    parts, free = fill_grids(find_grids(page, edges), glyphs, number) if edges else ([], list(glyphs))
    items: list[tuple[float, Paragraph | TablePart]] = [(p.bbox[1], p) for p in parts]
    items += lay_out(free, number, height)
    items.sort(key=lambda it: it[0])
    return parts, tuple(it[1] for it in items)


def assemble(pages: Sequence[Sequence[object]], heights: Sequence[float]) -> list[Block]:
    """Pages' items to the document's blocks: running headers dropped, tables stitched over breaks."""
    per_page = drop_running_lines(pages, heights)
    return [_to_table(b) if isinstance(b, TablePart) else b for b in stitch_pages(per_page)]  # type: ignore[misc]


def _open(data: bytes) -> Any:
    import pdfplumber

    try:
        return pdfplumber.open(BytesIO(data))
    except Exception as e:  # noqa: BLE001 -- pdfminer raises a zoo of types for broken files
        raise ExtractionError(_reason(e)) from None


def _reason(e: BaseException) -> str:
    inner = e.args[0] if e.args and isinstance(e.args[0], BaseException) else e
    kind = type(inner).__name__
    if "Password" in kind or "Encrypt" in kind or "encrypt" in str(inner).lower():
        return "encrypted PDF"
    msg = str(inner).strip().splitlines()[0][:120] if str(inner).strip() else kind
    return f"not a readable PDF: {msg}"


def _read_all(data: bytes) -> tuple[list[_PageRead], int]:
    pdf = _open(data)
    try:
        try:
            pages = pdf.pages
        except Exception as e:  # noqa: BLE001 -- the page tree itself can be broken
            raise ExtractionError(_reason(e)) from None
        if not pages:
            raise ExtractionError("not a readable PDF: no pages")
        reads = []
        for i, page in enumerate(pages, start=1):
            try:
                reads.append(read_page(page, i))
            finally:
                page.close()
        return reads, len(pages)
    finally:
        pdf.close()


def _to_table(part: TablePart) -> Table:
    return part.to_table()


def extract_pdf(data: bytes, source: str) -> Document:
    if not data.strip():
        raise ExtractionError("empty file")
    reads, n_pages = _read_all(data)
    bad = [r for r in reads if r.unusable]
    ocr: dict[int, list[object]] = {}
    if bad:
        ocr = _ocr_pages(data, source, [r.number for r in bad])
    read: list[Sequence[object]] = [ocr.get(r.number, []) if r.unusable else r.items for r in reads]
    blocks = assemble(read, [r.height for r in reads])
    warnings = tuple(f"page {r.number}: {r.unusable}, read by OCR" for r in bad)
    method = "ocr" if len(bad) == len(reads) else "text"
    return Document(source, "pdf", method, tuple(blocks), pages=n_pages, warnings=warnings)


def _ocr_pages(data: bytes, source: str, pages: list[int]) -> dict[int, list[object]]:
    try:
        from ocr.pdf import ocr_pdf_pages
    except ImportError:
        listed = ", ".join(map(str, pages))
        raise ExtractionError(f"no usable text layer on pages {listed}; OCR not available") from None
    return {n: list(blocks) for n, blocks in ocr_pdf_pages(data, source, pages)}
