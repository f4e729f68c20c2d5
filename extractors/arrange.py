"""Tables printed turned by a quarter: the template's rows across the top, its columns down the side.

Some offices print 表二 transposed (信息内容 | 规章 | 行政规范性文件, then 本年制发件数 | 0 | 5, ...).
Reconciliation reads a table row by row, each row a template row under its label, so such a table is
turned back first: where its first column names template columns before numbers and its other
cells name template rows, and no row is a template row followed by numbers. Only the arrangement
changes: every cell keeps its text and provenance.
"""

from __future__ import annotations

from dataclasses import replace

from extractors.labels import match_column, match_label
from extractors.model import Document, Table
from extractors.numbers import is_blank, parse_number
from extractors.template import Template


def _is_number(text: str) -> bool:
    return parse_number(text) is not None


def _names_column(text: str, template: Template) -> bool:
    return any(match_column(text, template, t.id) for t in template.tables)


def is_transposed(table: Table, template: Template) -> bool:
    rows = [row for row in table.rows() if row]
    numbered = [row for row in rows if any(_is_number(c.text) for c in row)]
    # rows that are a template column's label followed by numbers: looked for first, being cheap
    heads = [row[0].text for row in numbered if not _is_number(row[0].text) and not is_blank(row[0].text)]
    if not any(_names_column(h, template) for h in heads):
        return False
    if any(match_label(h, template) is not None for h in heads if not _names_column(h, template)):
        return False  # a template row with its numbers: printed the usual way
    # template rows heading the columns, in a row of labels only (after its first cell)
    for row in rows:
        if row in numbered:
            continue
        for c in row[1:]:
            m = match_label(c.text, template)
            if m is not None and not _names_column(c.text, template):
                return True
    return False


def transpose(table: Table) -> Table:
    cells = tuple(replace(c, row=c.col, col=c.row, row_span=c.col_span, col_span=c.row_span) for c in table.cells)
    return Table(cells, table.page, table.bbox)


def untranspose(doc: Document, template: Template) -> Document:
    """The document with its transposed tables turned back (the same object when there are none)."""
    blocks = tuple(transpose(b) if isinstance(b, Table) and is_transposed(b, template) else b for b in doc.blocks)
    if all(a is b for a, b in zip(blocks, doc.blocks)):
        return doc
    return replace(doc, blocks=blocks)

