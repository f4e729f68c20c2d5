"""A COMMENT on every table, view and column of the warehouse (the wide views get theirs, one per
template cell, in warehouse/views.py), so that `duckdb_columns()`, a SQL client's schema browser and
the exported release (warehouse/release.py) describe each column where it is used."""

from __future__ import annotations

import duckdb

# what a column means wherever it appears, unless its table says otherwise below
COLUMN = {
    "doc_id": "文档编号: sha256 of the document's bytes (documents.doc_id)",
    "source": "来源: the path or URL the document was read from, as given",
    "agency": "发布机关: the publishing body as printed in the report's title",
    "year": "报告年度: the year the report covers",
    "status": "ok | no_template_tables (not a report) | old_format (before 2019) | behind_link (a page whose report "
              "sits behind a link or in a frame that could not be followed; see error) | failed (could not be read; "
              "see error)",
    "format": "what the bytes are: pdf, html, docx, text, image",
    "method": "how the text was obtained: text, ocr, html, docx (facts: inferred, ocr_corrected, split too)",
    "pages": "pages in the document",
    "n_facts": "template cells read from the document (inferred cells not counted)",
    "n_failed_checks": "checks that failed, doubted cells included, missing_cells not",
    "error": "why the document could not be read (status failed), or which link or frame holding the report "
             "could not be followed and why (behind_link)",
    "followed_url": "the iframe or attachment the web page at source led to, whose bytes this document is "
                    "(NULL: source is the file itself)",
    "page_path": "the stored copy of the web page that led to followed_url (its title and metadata box name the "
                 "agency and year where the report's own title does not)",
    "original_path": "the stored copy of the bytes, for reprocessing",
    "size_bytes": "size of the document in bytes",
    "pipeline_version": "the nianbao pipeline version that wrote the row",
    "ingested_at": "when the document was loaded (UTC)",
    "table_id": "template table: active_disclosure (二), applications (三), review_litigation (四)",
    "row_id": "template row id (see dictionary)",
    "col_id": "template column id (see dictionary)",
    "cell_id": "table_id.row_id.col_id",
    "value": "the number as printed",
    "raw_text": "the cell's text as read",
    "page": "page number (1-based) it was read from",
    "x0": "box left, PDF points from the page's left edge",
    "top": "box top, PDF points from the page's top edge",
    "x1": "box right, PDF points from the page's left edge",
    "bottom": "box bottom, PDF points from the page's top edge",
    "confidence": "OCR recognition confidence, 0-1 (NULL when not OCR)",
    "label_score": "how the row label matched: 1 exact, below 1 cut or misspelt, NULL placed by order",
    "layout": "which layout path placed the cell: grid (between ruling lines) or words (rows and columns rebuilt from positioned words); NULL for HTML, Word, spreadsheets",
    "rules_evaluated": "the cell's template rules whose every cell was read (evaluable on this document)",
    "versions": "the template versions that have the cell: '2019 2021', '2021', '2019'",
    "earlier_label": "the 2019 format's wording of a shared cell, where it differs",
    "template_version": "the format of the tables the report prints: '2021' (国办公开办函〔2021〕30号) or '2019'",
    "rules_protecting": "the template rules that protect the cell (dictionary.rules); [] where none does (表二)",
    "rules": "the template rules that protect the cell; [] where none does (表二)",
    "inferred": "true where the value was inferred (a total or part the report left blank), not read",
    "province": "省: province, from the agency's name",
    "province_code": "province's 行政区划代码 (6 digits)",
    "city": "市: prefecture-level city, from the agency's name",
    "city_code": "city's 行政区划代码 (6 digits)",
    "county": "县（区）: county-level division, from the agency's name",
    "county_code": "county's 行政区划代码 (6 digits)",
    "town": "乡镇街道: township as printed (no code: the division list stops at counties)",
    "adcode": "行政区划代码 of the deepest level resolved",
    "agency_key": "the same body however its name is printed: adcode|town|body",
    "body": "the agency's name after its place names: 人民政府, 教育局",
    "note": "why the region is not fully resolved",
    "host": "the host of the source URL (NULL for files)",
    "region_status": "regions.status: resolved | ambiguous | partial | unresolved | national | no_agency",
    "rule_id": "template rule id, a doubted cell's id, missing_cells, cross_year or a prose rule",
    "passed": "whether the check passed",
    "detail": "what the check found: the figures on either side",
    "key": "prose figure: proactive_disclosed, applications_received, ...",
    "unit": "unit of the value (件, 万元, ...)",
    "sentence": "the sentence the figure came from",
    "text": "the rule as the template states it",
    "table_label": "the template's section heading",
    "row_group": "the row's parent heading or group",
    "row_label": "the row's label as printed",
    "col_group": "the column's group heading",
    "col_label": "the column's label as printed",
    "column_name": "the cell's column in its table's wide view: row_id__col_id",
    "position": "printed order within the table",
    "variant": "a row some reports print instead of others",
    "documents": "documents counted",
    "sources": "the documents' sources",
    "name": "the body's name as the registry gives it",
    "division_code": "行政区划代码 of the division the body belongs to (6 or 12 digits)",
    "credit_code": "统一社会信用代码 (18 characters)",
    "portal": "the body's website, where it publishes its reports",
}

# table or view -> (its comment, columns whose meaning differs there)
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "documents": ("One row per document read (the same bytes again replace it)", {}),
    "facts": ("One row per template cell read from a document, with its provenance", {}),
    "prose_facts": ("Figures the reports state in their prose (compared with the tables by checks)",
                    {"value": "the figure as stated"}),
    "regions": ("Where each document's agency sits, read from its name at load time",
                {"status": "resolved | ambiguous | partial | unresolved | national | no_agency",
                 "agency": "发布机关 as printed (documents.agency)"}),
    "checks": ("Every template rule evaluated on every document, doubted cells and missing cells", {}),
    "dictionary": ("The data dictionary: every statistical cell of the template with its Chinese labels", {}),
    "rules": ("The template's rules (勾稽关系, totals) as checks.rule_id names them", {}),
    "warehouse_meta": ("Internal: the hash of the views' definitions this warehouse was built with",
                       {"key": "setting name", "value": "setting value"}),
    "bodies": ("The registry of bodies that must publish (nianbao bodies import)",
               {"agency_key": "the key the body's name resolves to (as regions.agency_key)",
                "province": "省, from the body's name", "city": "市, from the body's name",
                "county": "县（区）, from the body's name"}),
    "reports": ("One row per document with its region and host: the base of coverage and the wide views", {}),
    "facts_long": ("Every fact with its document's metadata, region and dictionary labels", {}),
    "failed_checks": ("Every failed check (missing_cells aside) with its report's agency, year and region", {}),
    "coverage": ("Documents per body, host and year, by status",
                 {"agency": "the body's names as printed, joined with ' / '",
                  "ok": "documents read as reports", "no_template_tables": "documents that are not reports",
                  "old_format": "reports from before 2019 (neither template format): prose figures only",
                  "failed": "documents that could not be read", "failed_sources": "sources of the failed documents",
                  "behind_link": "web pages whose report is framed or linked but could not be reached (documents.error "
                                 "names it)"}),
    "coverage_years": ("Per body: the years it published, the first and last, and the years missing between",
                       {"agency": "the body's names as printed, joined with ' / '",
                        "hosts": "hosts its reports came from", "years": "years with a report read",
                        "first_year": "first year with a report read", "last_year": "last year with a report read",
                        "missing_years": "years between the first and the last without a report read",
                        "not_ok": "its documents not read as reports"}),
    "unresolved_agencies": ("Agencies whose region could not be read from their names",
                            {"status": "regions.status"}),
    "crawl_log": ("One row per URL a crawl dealt with: status, validators, hash, links", {
        "url": "as linked (ZIP members: URL#path-in-archive)", "referrer": "the page that linked it",
        "status": "fetched | unchanged | not_modified | known | failed | robots | other_host | removed",
        "bytes": "bytes downloaded", "hash": "sha256 of the bytes: documents.doc_id when loaded",
        "fetched_at": "when it was dealt with (UTC)", "error": "why it failed",
        "etag": "the server's ETag, for a conditional GET", "last_modified": "the server's Last-Modified",
        "kind": "listing | article | attachment | member | link", "http_status": "HTTP status of the answer",
        "final_url": "the URL after redirects", "content_type": "the server's Content-Type",
        "doc_status": "documents.status of what this row loaded, if it loaded one",
        "links": "articles: the attachment links found on the page",
        "pages": "articles that only list reports: the report pages they link",
        "portal": "the portal's name in the crawl config", "crawl_id": "the crawl that wrote the row"}),
}
TABLES["crawl_latest"] = ("Each URL as the latest crawl that dealt with it left it", TABLES["crawl_log"][1])


# the tables every load writes: commented when they are created (warehouse/schema.py), never in a
# transaction that runs beside loads (a COMMENT changes the table's catalog entry, and DuckDB then
# refuses to commit a concurrent load into that table)
LOADED = ("documents", "facts", "prose_facts", "regions", "checks")


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def comment_of(table: str, column: str) -> str | None:
    own = TABLES.get(table, ("", {}))[1]
    return own.get(column) or COLUMN.get(column)


def apply(con: duckdb.DuckDBPyConnection, only: tuple[str, ...] | None = None,
          but: tuple[str, ...] = ()) -> None:
    """Comment the tables and views above that exist (or those of them named in only), but those in but."""
    kinds = dict(con.execute(
        "SELECT table_name, 'TABLE' FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main'"
        " UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'").fetchall())
    for table, (text, _) in TABLES.items():
        if table not in kinds or (only is not None and table not in only) or table in but:
            continue
        con.execute(f"COMMENT ON {kinds[table]} {table} IS {_quote(text)}")
        columns = [c for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main'", [table]).fetchall()]
        for column in columns:
            comment = comment_of(table, column)
            if comment:
                con.execute(f'COMMENT ON COLUMN {table}."{column}" IS {_quote(comment)}')


def ensure(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> None:
    """Comment the tables named where a comment differs from the above: one query when none does."""
    have = dict(con.execute(
        "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main' AND list_contains(?, table_name)"
        " UNION ALL SELECT table_name || '.' || column_name, comment FROM duckdb_columns()"
        " WHERE schema_name = 'main' AND list_contains(?, table_name)", [list(tables), list(tables)]).fetchall())
    for name, comment in have.items():
        table, _, column = name.partition(".")
        want = comment_of(table, column) if column else TABLES[table][0]
        if want and comment != want:
            apply(con, only=tables)
            return
