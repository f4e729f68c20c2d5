"""The warehouse's tables and views (DuckDB). The contract's columns come first in each table."""

from __future__ import annotations

import duckdb

from extractors.template import Template

PIPELINE_VERSION = "0.1.0"

TABLES = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,          -- sha256 of the file's bytes
    source VARCHAR NOT NULL,             -- path or URL as given
    agency VARCHAR,                      -- publishing body as printed in the title
    year INTEGER,                        -- report year
    status VARCHAR NOT NULL,             -- ok | no_template_tables | failed
    format VARCHAR,                      -- what the bytes are: pdf, html, docx, text, image
    method VARCHAR,                      -- how text was obtained: text, ocr, html, docx
    pages INTEGER,
    n_facts INTEGER,
    n_failed_checks INTEGER,
    error VARCHAR,
    original_path VARCHAR,               -- the stored copy of the bytes, for reprocessing
    size_bytes BIGINT,
    pipeline_version VARCHAR,
    ingested_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS facts (
    doc_id VARCHAR NOT NULL,
    table_id VARCHAR NOT NULL,
    row_id VARCHAR NOT NULL,
    col_id VARCHAR NOT NULL,
    value DOUBLE NOT NULL,               -- the number as printed
    method VARCHAR NOT NULL,             -- text | ocr | html | docx | inferred | ocr_corrected
    raw_text VARCHAR,                    -- the cell's text as read
    page INTEGER,
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE,   -- PDF points from the page's top-left
    confidence DOUBLE,                   -- OCR recognition confidence
    pipeline_version VARCHAR,
    PRIMARY KEY (doc_id, table_id, row_id, col_id)
);
CREATE TABLE IF NOT EXISTS checks (
    doc_id VARCHAR NOT NULL,
    rule_id VARCHAR NOT NULL,            -- template rule id, a doubted cell's id, or missing_cells
    passed BOOLEAN NOT NULL,
    detail VARCHAR
);
"""


def create(con: duckdb.DuckDBPyConnection, template: Template) -> None:
    con.execute(TABLES)
    for view in wide_views(template):
        con.execute(view)


def wide_views(template: Template) -> list[str]:
    """One view per template table: one row per report, one column per cell (row__col)."""
    views = []
    for t in template.tables:
        cols = ",\n    ".join(
            f"max(value) FILTER (WHERE row_id = '{r}' AND col_id = '{c}') AS \"{r}__{c}\"" for r, c in t.cells
        )
        views.append(
            f"CREATE OR REPLACE VIEW {t.id} AS\nSELECT d.doc_id, d.agency, d.year, d.source,\n    {cols}\n"
            f"FROM documents d JOIN facts f ON f.doc_id = d.doc_id AND f.table_id = '{t.id}'\n"
            f"GROUP BY d.doc_id, d.agency, d.year, d.source"
        )
    return views
