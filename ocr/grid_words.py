"""A ruled table's second reading: its recognised pieces laid out as words, its rules ignored.

A grid places each piece by the ruling lines around it, so one rule the page lost (worn, faint, under
a seal) or one it gained (a fold, a stroke of a seal, a scratch) moves a number into a neighbouring
cell, and nothing in the grid reading shows it. The pieces were already recognised for the grid; as
glyphs (ocr.words) they go through the layout stage that reads tables printed without rules
(extractors.layout: rows by baseline, columns by the white between them), which does not see the
rules at all. That costs no recognition, only a layout pass over one table's glyphs.

The two readings are not compared here: the page does not know the template. They travel together
(TablePart.alternative) to reconciliation, which compares them cell by cell and lets the template's
arithmetic decide between them (extractors/arbitrate.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from extractors.layout import lay_out
from extractors.model import Paragraph
from extractors.pdf_ruled import TablePart
from ocr.crops import CROP_PAD, Piece
from ocr.engine import Recognition
from ocr.trust import a_glimpse
from ocr.words import piece_glyphs, snap_sizes


def words_reading(
    pieces: Sequence[tuple[Piece, Recognition]], to_pt: float, page: int, height: float
) -> list[Paragraph | TablePart]:
    """The table's pieces (ink box in prepared-page pixels, with their recognition) as the layout
    stage reads them: paragraphs and unruled table parts top to bottom, in prepared-page points
    (`to_pt` points per pixel; `height` the page's, in points). A stack of characters read as one
    line (ocr.crops.stacked_to_line) has no horizontal run to place, and a glimpse is no glyph, as
    outside the grids (ocr.trust.a_glimpse)."""
    glyphs = []
    for p, rec in pieces:
        if p.vertical or a_glimpse(rec):
            continue
        # the crop's paper margin, as ocr.crops.crop gave it: characters' positions are fractions of it
        pad = max(2, int((p.rect[3] - p.rect[1]) * CROP_PAD))
        glyphs.extend(piece_glyphs(p.rect, rec, pad, to_pt))
    items = lay_out(snap_sizes(glyphs), page, height)
    return [item for _, item in sorted(items, key=lambda t: t[0])]
