from __future__ import annotations

from extractors.pdf_chars import Line
from extractors.pdf_ruled import TablePart


def find_unruled(lines: list[Line], page: int) -> tuple[list[TablePart], list[Line]]:
    return [], lines
