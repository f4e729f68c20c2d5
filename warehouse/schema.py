"""The warehouse's tables (DuckDB). The contract's columns come first in each table; the views over
them, and the data dictionary, are in warehouse/views.py."""

from __future__ import annotations

import duckdb

from extractors.template import Template
from warehouse import comments
from warehouse.views import ensure as ensure_views

PIPELINE_VERSION = "0.1.0"

TABLES = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,          -- sha256 of the file's bytes
    source VARCHAR NOT NULL,             -- path or URL as given
    agency VARCHAR,                      -- publishing body as printed in the title
    year INTEGER,                        -- report year
    status VARCHAR NOT NULL,             -- ok | no_template_tables | old_format | behind_link | failed
    format VARCHAR,                      -- what the bytes are: pdf, html, docx, text, image
    method VARCHAR,                      -- how text was obtained: text, ocr, html, docx
    pages INTEGER,
    n_facts INTEGER,
    n_failed_checks INTEGER,
    error VARCHAR,
    original_path VARCHAR,               -- the stored copy of the bytes, for reprocessing
    size_bytes BIGINT,
    pipeline_version VARCHAR,
    ingested_at TIMESTAMP DEFAULT current_timestamp,
    template_version VARCHAR,            -- 2021 | 2019: the format of the tables the report prints
    followed_url VARCHAR,                -- the iframe or attachment the page at source led to, the bytes read
    page_path VARCHAR                    -- the stored copy of that page (its title and metadata box)
);
CREATE TABLE IF NOT EXISTS facts (
    doc_id VARCHAR NOT NULL,
    table_id VARCHAR NOT NULL,
    row_id VARCHAR NOT NULL,
    col_id VARCHAR NOT NULL,
    value DOUBLE NOT NULL,               -- the number as printed
    method VARCHAR NOT NULL,             -- text | ocr | html | docx | inferred | ocr_corrected (rules fixed an OCR misreading)
    raw_text VARCHAR,                    -- the cell's text as read
    page INTEGER,
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE,   -- PDF points from the page's top-left
    confidence DOUBLE,                   -- OCR recognition confidence
    pipeline_version VARCHAR,
    label_score DOUBLE,                  -- how the row label matched: 1 exact, <1 cut or misspelt, NULL placed by order
    rules_evaluated VARCHAR[],           -- the cell's template rules whose every cell was read
    layout VARCHAR,                      -- grid (between ruling lines) | words (rows and columns from positioned words)
    PRIMARY KEY (doc_id, table_id, row_id, col_id)
);
-- warehouses made before these columns: added at the end, where CREATE TABLE puts them too
ALTER TABLE facts ADD COLUMN IF NOT EXISTS label_score DOUBLE;
ALTER TABLE facts ADD COLUMN IF NOT EXISTS rules_evaluated VARCHAR[];
ALTER TABLE facts ADD COLUMN IF NOT EXISTS layout VARCHAR;
CREATE TABLE IF NOT EXISTS prose_facts (
    doc_id VARCHAR NOT NULL,
    key VARCHAR NOT NULL,                -- proactive_disclosed, applications_received, ...
    value DOUBLE NOT NULL,
    unit VARCHAR,
    sentence VARCHAR,                    -- the sentence the figure came from
    page INTEGER
);
CREATE TABLE IF NOT EXISTS regions (
    doc_id VARCHAR PRIMARY KEY,          -- where the agency sits, read from its name at load time
    agency VARCHAR,
    status VARCHAR NOT NULL,             -- resolved | ambiguous | partial | unresolved | national | no_agency
    province VARCHAR, province_code VARCHAR,
    city VARCHAR, city_code VARCHAR,
    county VARCHAR, county_code VARCHAR,
    town VARCHAR,                        -- township as printed (no code: the division list stops at counties)
    adcode VARCHAR,                      -- code of the deepest level resolved
    agency_key VARCHAR,                  -- the same body however its name is printed: adcode|town|body
    body VARCHAR,                        -- the name after its places: 人民政府, 科委
    note VARCHAR
);
CREATE TABLE IF NOT EXISTS checks (
    doc_id VARCHAR NOT NULL,
    rule_id VARCHAR NOT NULL,            -- template rule id, a doubted cell's id, or missing_cells
    passed BOOLEAN NOT NULL,
    detail VARCHAR
);
"""


def create(con: duckdb.DuckDBPyConnection, template: Template, views: bool = True) -> None:
    """The tables, and unless views=False (the caller ensures them itself) the dictionary and views."""
    con.execute(TABLES)
    # a warehouse made before template versions existed
    con.execute("ALTER TABLE documents ADD COLUMN IF NOT EXISTS template_version VARCHAR")
    # ... and before reports were followed from the web pages that link or frame them
    con.execute("ALTER TABLE documents ADD COLUMN IF NOT EXISTS followed_url VARCHAR")
    con.execute("ALTER TABLE documents ADD COLUMN IF NOT EXISTS page_path VARCHAR")
    # the loaded tables' comments are set here, before any load: a COMMENT is a change to the table,
    # and the views' thread (flows/writer.py) setting it while a document loads makes DuckDB refuse
    # one of the two commits
    comments.ensure(con, comments.LOADED)
    if views:
        ensure_views(con, template)
