"""A template row printed more than once: which reading is kept, and what a disagreement means.

Reports print a table twice more often than one would think: a screenshot of the Word table pasted
beside its text copy, the 图片版 pages appended after the text, a row repeated by a page break. The
copies are compared cell by cell (reconcile.facts_of); this module says which copy is kept and how a
difference is taken:

- the kept reading of a row is its first printing as text, else its first printing. A text layer (or
  HTML, DOCX, a spreadsheet) states the digits exactly; OCR of a picture reads them with some
  confidence, so where both exist the text is what the report says, whatever their order;
- two readings that differ where each stands on its own (text against text, text against a confident
  OCR reading, OCR against OCR) doubt the kept cell, naming both readings and where each was read:
  nothing tells which copy is right, and a disagreement is never dropped in silence;
- an OCR reading below the doubt confidence (or a picture cell OCR found empty) that differs from a
  text reading does not doubt the text: a misread digit of the picture says nothing about the text's.
  It is recorded all the same (the `printed_copies` check lists every disagreement).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar


@dataclass(frozen=True)
class Reading:
    """One printing of one cell."""

    text: str  # as printed; "" for a blank cell
    value: float | None  # None for a blank cell
    method: str  # the document's method for text; 'ocr' for a reading from a picture
    page: int | None = None  # page, or picture index among a document's pictures
    confidence: float | None = None  # OCR confidence; None for text

    @property
    def ocr(self) -> bool:
        return self.confidence is not None

    def describe(self) -> str:
        where = [self.method]
        if self.page is not None:
            where.append(f"page {self.page}")
        if self.confidence is not None:
            where.append(f"confidence {self.confidence:.2f}")
        return f"{self.text or 'blank'} ({', '.join(where)})"


@dataclass(frozen=True)
class Disagreement:
    cell_id: str
    kept: Reading
    other: Reading
    doubted: bool  # whether the kept reading is doubted for it

    def detail(self) -> str:
        if self.doubted:
            return f"printed twice: {self.kept.describe()} and {self.other.describe()}"
        return (f"printed twice: {self.kept.describe()} kept; the other copy's {self.other.describe()} is an "
                "uncertain OCR reading")

    def record(self) -> str:
        return f"{self.cell_id}: {self.detail()}"


def compare(cell_id: str, kept: Reading, other: Reading, doubt_confidence: float) -> Disagreement | None:
    """None where the two printings agree (blank against blank included)."""
    if kept.value == other.value:
        return None
    uncertain = other.ocr and (other.value is None or (other.confidence or 0.0) < doubt_confidence)
    return Disagreement(cell_id, kept, other, doubted=kept.ocr or not uncertain)


T = TypeVar("T")


def kept_first(printings: list[T], is_text: list[bool]) -> list[T]:
    """The printings of one row with the one to keep first: the first text printing, else the first;
    the others in their order."""
    k = next((i for i, t in enumerate(is_text) if t), 0)
    return [printings[k], *printings[:k], *printings[k + 1 :]]
