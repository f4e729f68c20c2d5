"""The one table model every extractor emits and reconciliation consumes.

A document is a sequence of blocks in reading order: paragraphs of prose and tables. A table is a
grid of cells; a merged cell is one `Cell` anchored at its top-left position with its spans, so the
positions it covers hold no other cell. Every cell carries its provenance (page, box, confidence) so a
fact can be traced back to where it was read.

Extractors know nothing of the template: they only say what text sits where.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]
"""x0, top, x1, bottom in PDF points (1/72 inch) from the page's top-left corner; pixels for images."""


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    page: int | None = None  # 1-based page number, None where the source has no pages
    bbox: BBox | None = None
    confidence: float | None = None  # OCR recognition confidence in [0, 1]; None for read text
    # which layout path placed the cell: "grid" (between ruling lines) or "words" (rows and columns
    # rebuilt from positioned words: a table without rules, or a grid too broken to trust); None
    # where the source says where cells are (HTML, Word, spreadsheets)
    layout: str | None = None


@dataclass(frozen=True)
class Table:
    cells: tuple[Cell, ...]
    page: int | None = None  # page the table starts on
    bbox: BBox | None = None
    # the same text read another way, where the extractor has a second reading of it: a ruled table
    # on a scan read between its rules (the cells above) and, from the same recognitions, as words
    # laid out in rows and columns with the rules ignored (a missed or spurious rule moves numbers
    # between cells of the first reading, not of this one). Reconciliation compares the two
    # (extractors/arbitrate.py); empty where there is no second reading.
    alternative: tuple[Block, ...] = ()

    @property
    def n_rows(self) -> int:
        return max((c.row + c.row_span for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.col_span for c in self.cells), default=0)

    def rows(self) -> list[list[Cell]]:
        """Cells anchored in each row, left to right (a cell spanning rows appears in its first row)."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row].append(c)
        for r in out:
            r.sort(key=lambda c: c.col)
        return out

    def grid(self) -> list[list[Cell | None]]:
        """Every position of the grid with the cell covering it (merged cells repeat over their span)."""
        g: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, c.row + c.row_span):
                for k in range(c.col, c.col + c.col_span):
                    g[r][k] = c
        return g


@dataclass(frozen=True)
class Paragraph:
    text: str
    page: int | None = None
    bbox: BBox | None = None
    # read by OCR: the recognition confidence of the line's weakest digit (numbers are what facts
    # are read from), so a number in prose is doubted as a cell's is; None for a text layer
    confidence: float | None = None


Block = Paragraph | Table


@dataclass(frozen=True)
class Document:
    """What an extractor read from one source file, before any knowledge of the template."""

    source: str
    format: str  # what the bytes are: pdf, html, docx, text, image
    method: str  # how the text was obtained: text, ocr, html, docx
    blocks: tuple[Block, ...]
    pages: int = 0
    warnings: tuple[str, ...] = field(default=())

    def text(self) -> str:
        """Plain text of the document in reading order, tables flattened row by row with tabs."""
        parts: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                parts.append(b.text)
            else:
                parts.extend("\t".join(c.text for c in row) for row in b.rows())
        return "\n".join(parts)
