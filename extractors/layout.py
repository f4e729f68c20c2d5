"""The one layout stage over positioned words, whatever their source.

A page's words outside ruled tables arrive as glyphs (extractors.pdf_chars.Glyph): from a PDF's text
layer (pdf_text), from OCR (ocr.words turns recognised pieces into glyphs), or from any other
fixed-layout format. This stage makes lines of them (by baseline), drops page furniture (page
numbers in the margins), finds the tables printed without ruling lines (pdf_unruled: columns by the
white rivers between them, rows anchored on the lines that carry numbers, wrapped labels joined),
and leaves the rest as one paragraph per line. A table cut by a page break is stitched later
(pdf_stitch), for every source alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from extractors.model import Paragraph
from extractors.pdf_chars import Glyph, Line, group_lines
from extractors.pdf_furniture import in_margin, is_page_number
from extractors.pdf_ruled import TablePart
from extractors.pdf_unruled import find_unruled


def _is_furniture(line: Line, text: str, height: float) -> bool:
    return in_margin(line.top, line.bottom, height) and is_page_number(text)


def _round(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(b[0], 2), round(b[1], 2), round(b[2], 2), round(b[3], 2))


def lay_out(glyphs: Iterable[Glyph], page: int, height: float) -> list[tuple[float, Paragraph | TablePart]]:
    """Unruled tables and prose lines of one page's free glyphs, each with its top (to merge them
    with the page's ruled tables in reading order). `height` is the page's, in the glyphs' units."""
    lines = group_lines(g for g in glyphs if g.text.strip())
    texts = {id(ln): ln.text for ln in lines}
    lines = [ln for ln in lines if texts[id(ln)] and not _is_furniture(ln, texts[id(ln)], height)]
    unruled, lines = find_unruled(lines, page)
    items: list[tuple[float, Paragraph | TablePart]] = [(p.bbox[1], p) for p in unruled]
    items += [(ln.top, Paragraph(texts[id(ln)], page, _round(ln.bbox), _digit_confidence(ln))) for ln in lines]
    return items


def _digit_confidence(line: Line) -> float | None:
    confs = [g.conf for g in line.glyphs if g.conf is not None and g.text.isdigit()]
    return round(min(confs), 4) if confs else None
