"""What reconciliation produces from one document: template facts with provenance, and checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extractors.model import BBox

if TYPE_CHECKING:
    from extractors.prose import ProseFact


@dataclass(frozen=True)
class Fact:
    table_id: str
    row_id: str
    col_id: str
    value: float
    method: str  # text, ocr, html, docx; 'inferred' where derived from the rules; 'ocr_corrected'
    raw_text: str = ""  # the cell text as read
    page: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None
    # how the row was named: the label match's score (1.0 exact, below 1 cut or misspelt), None where
    # the row was placed by template order with no label of its own
    label_score: float | None = None
    # the template rules whose every cell was read, among those this cell takes part in
    rules_evaluated: tuple[str, ...] = ()
    layout: str | None = None  # "grid" or "words": which layout path placed the cell it was read from

    @property
    def cell_id(self) -> str:
        return f"{self.table_id}.{self.row_id}.{self.col_id}"


@dataclass(frozen=True)
class Check:
    rule_id: str  # a template rule id, a cell id the pipeline doubts, or missing_cells
    passed: bool
    detail: str = ""


@dataclass(frozen=True)
class Report:
    """The template as read from one document."""

    agency: str | None
    year: int | None
    facts: tuple[Fact, ...]
    tables_found: tuple[str, ...] = ()  # template table ids located in the document
    notes: tuple[str, ...] = field(default=())
    doubts: tuple[tuple[str, str], ...] = ()  # (cell id, why) for cells read but not trusted
    prose: tuple[ProseFact, ...] = ()  # figures the report states in its prose
    # the template version the report follows (extractors/versions.py); None for a report of a year
    # before 2019 that prints neither version (loaded with status old_format, its prose figures only)
    template_version: str | None = "2021"
    # runs of glued digits left unsplit, with why (extractors/glued.py); empty when none or all split
    unsplit: tuple[str, ...] = ()
    split_rows: int = 0  # template rows split back into cells from glued digits (method 'split')
    # cells of rows printed more than once whose printings disagree (extractors/copies.py), and how
    # many rows were printed more than once
    copies: tuple[str, ...] = ()
    copied_rows: int = 0

    def values(self) -> dict[str, float]:
        return {f.cell_id: f.value for f in self.facts if f.method != "inferred"}
