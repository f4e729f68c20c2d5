"""Spreadsheets (XLSX, XLS, ODS) to the shared table model, read with python-calamine.

Offices attach the statistical tables as a workbook: the report's title and prose in rows of one
cell, the tables below them with merged cells, sometimes a sheet per table named after its section.
Each visible sheet becomes its sheet name (a heading) and its rows in order: a row holding a single
non-empty cell is a paragraph (a title, a heading, a sentence) unless that cell is merged over
several cells and is no sentence (a table's heading row), consecutive rows of several cells are one
table, merged ranges become the anchor cell's spans. Numbers come as the spreadsheet holds
them and are written the way a report prints them (5, not 5.0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from io import BytesIO

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from extractors.errors import ExtractionError
from extractors.model import Block, Cell, Document, Paragraph, Table

_MAX_CELLS = 2_000_000  # a sheet larger than this is not a report's tables


def _text(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.10g}"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _sheet_blocks(rows: Sequence[Sequence[object]], merges: list[tuple[tuple[int, int], tuple[int, int]]]) -> list[Block]:
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for (r0, c0), (r1, c1) in merges}
    covered = {(r, c) for (r0, c0), (r1, c1) in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
               if (r, c) != (r0, c0)}
    blocks: list[Block] = []
    table: list[Cell] = []
    top = 0

    def close() -> None:
        if table:
            blocks.append(Table(tuple(table)))
            table.clear()

    for r, row in enumerate(rows):
        cells = [(c, _text(v)) for c, v in enumerate(row) if (r, c) not in covered]
        filled = [(c, t) for c, t in cells if t]
        if not filled:
            continue
        # a merged cell reaching down from a table row keeps this row in that table
        inside = table and any((r, c) in covered for c in range(len(row)))
        # one cell merged over several columns is a table's heading row (申请人情况), unless a sentence
        header = len(filled) == 1 and (r, filled[0][0]) in spans and "。" not in filled[0][1]
        if len(filled) == 1 and not inside and not header:
            close()
            blocks.append(Paragraph(filled[0][1]))
            continue
        if not table:
            top = r
        for c, t in cells:
            rs, cs = spans.get((r, c), (1, 1))
            if t or rs > 1 or cs > 1:
                table.append(Cell(r - top, c, t, rs, cs))
    close()
    return blocks


def extract_spreadsheet(data: bytes, source: str, fmt: str) -> Document:
    try:
        book = CalamineWorkbook.from_filelike(BytesIO(data))
    except (CalamineError, ValueError, OSError) as e:
        raise ExtractionError(f"unreadable {fmt.upper()} workbook: {str(e)[:120]}") from None
    blocks: list[Block] = []
    try:
        for meta in book.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                continue  # a hidden sheet holds working figures, not the report
            sheet = book.get_sheet_by_name(meta.name)
            if sheet.height * sheet.width > _MAX_CELLS:
                raise ExtractionError(f"sheet {meta.name!r} too large ({sheet.height}x{sheet.width} cells)")
            rows = sheet.to_python(skip_empty_area=False)
            merges = list(sheet.merged_cell_ranges or [])
            sheet_blocks = _sheet_blocks(rows, merges)
            if sheet_blocks:
                blocks.append(Paragraph(meta.name))
                blocks.extend(sheet_blocks)
    except CalamineError as e:
        raise ExtractionError(f"unreadable {fmt.upper()} workbook: {str(e)[:120]}") from None
    if not blocks:
        raise ExtractionError(f"{fmt.upper()} workbook holds no cells")
    return Document(source, fmt, "sheet", tuple(blocks))
