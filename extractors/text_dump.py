"""Text other tools already extracted (pdf.js, OCR, copy-paste) to the shared table model.

Dumps come in three table styles, often mixed in one file:
- rows with cells separated by tabs;
- markdown pipes (| a | b |) with |---| separator rows;
- one cell per line, each line starting with a tab, rows separated by blank lines; a line without
  the tab continues the cell above it (a label wrapped in its cell: （三）不予 / 公开).
Everything else is prose, one Paragraph per line. Rows of a run of table lines form one Table.
"""

from __future__ import annotations

import re

from extractors.model import Block, Cell, Document, Paragraph, Table

_SEPARATOR = re.compile(r"^:?-{2,}:?$")
_CELL_LINE = re.compile(r"^\t[^\t]*$")


def extract_text(data: bytes, source: str) -> Document:
    from extractors.encoding import decode_text

    text = decode_text(data)
    return Document(source, "text", "text", tuple(blocks_from_lines(text.splitlines())))


def blocks_from_lines(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            blocks.append(_table(rows))
            rows.clear()

    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\r\n")
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            cells = _pipe_cells(stripped)
            if not all(_SEPARATOR.match(c) or not c for c in cells):
                rows.append(cells)
            i += 1
        elif _CELL_LINE.match(line) and _is_vertical_group(lines, i):
            group, i = _vertical_group(lines, i)
            rows.append(group)
        elif "\t" in line and stripped:
            rows.append([c.strip() for c in line.split("\t")])
            i += 1
        elif not stripped:
            i += 1
        else:
            flush()
            blocks.append(Paragraph(stripped.lstrip("#").strip()))
            i += 1
    flush()
    return blocks


def _pipe_cells(line: str) -> list[str]:
    inner = line[1:-1] if line.endswith("|") else line[1:]
    return [c.strip() for c in inner.split("|")]


def _is_vertical_group(lines: list[str], i: int) -> bool:
    """A lone tab-led line is a one-cell row only where its neighbours are too (seed 003's style)."""
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    prev = lines[i - 1] if i > 0 else ""
    return bool(_CELL_LINE.match(nxt) or _CELL_LINE.match(prev) or (nxt.strip() and "\t" not in nxt))


def _vertical_group(lines: list[str], i: int) -> tuple[list[str], int]:
    cells: list[str] = []
    while i < len(lines):
        line = lines[i].rstrip("\r\n")
        if _CELL_LINE.match(line):
            cells.append(line[1:].strip())
        elif line.strip() and "\t" not in line and cells:
            cells[-1] += line.strip()  # a label wrapped inside its cell
        else:
            break
        i += 1
    return cells, i


def _table(rows: list[list[str]]) -> Table:
    cells = tuple(Cell(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row))
    return Table(cells)
