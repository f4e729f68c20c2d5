"""The `crawl_log` table: one row per URL the crawler dealt with in a crawl, so analysts see coverage
and failures in SQL, and the next crawl knows what it already has.

A row is written once the URL is dealt with (its document loaded, or its failure known), so a crawl
interrupted half-way leaves no row claiming what was not done. The newest row of a URL with a
`hash` holds what the next crawl needs: the ETag / Last-Modified for a conditional GET, the hash to
recognise unchanged bytes, and (for an article) the links found on it, replayed when the server
answers 304.

    -- where each URL stands now, by portal
    SELECT portal, status, count(*) FROM crawl_latest GROUP BY ALL;
    -- what failed, and why
    SELECT url, referrer, error FROM crawl_log WHERE status = 'failed';
    -- the documents a crawl brought in
    SELECT c.url, d.agency, d.year, d.status FROM crawl_log c JOIN documents d ON d.doc_id = c.hash;
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from warehouse import comments

# status values, what happened to the URL in this crawl
FETCHED = "fetched"  # downloaded and new: processed (a document) or parsed (a listing)
UNCHANGED = "unchanged"  # downloaded, same bytes as before: not processed again
NOT_MODIFIED = "not_modified"  # the server answered 304 to a conditional GET
KNOWN = "known"  # not requested: an attachment already loaded whose server sends no validators
FAILED = "failed"  # could not be fetched, unpacked or processed: `error` says why
ROBOTS = "robots"  # not requested: robots.txt disallows it
OTHER_HOST = "other_host"  # not requested: a report's link to a host the portal's config does not allow
REMOVED = "removed"  # a ZIP member the archive's new version no longer holds: its document retired
HAS_CONTENT = (FETCHED, UNCHANGED, NOT_MODIFIED, KNOWN)

DDL = """
CREATE TABLE IF NOT EXISTS crawl_log (
    url VARCHAR NOT NULL,                -- as linked (ZIP members: URL#path-in-archive)
    referrer VARCHAR,                    -- the page that linked it
    status VARCHAR NOT NULL,             -- fetched | unchanged | not_modified | known | failed | robots | other_host | removed
    bytes BIGINT,
    hash VARCHAR,                        -- sha256 of the bytes: documents.doc_id when loaded
    fetched_at TIMESTAMP NOT NULL,
    error VARCHAR,
    etag VARCHAR,
    last_modified VARCHAR,
    kind VARCHAR,                        -- listing | article | attachment | member | link
    http_status INTEGER,
    final_url VARCHAR,                   -- after redirects
    content_type VARCHAR,
    doc_status VARCHAR,                  -- documents.status of what this row loaded, if it loaded one
    links VARCHAR[],                     -- articles: the attachment links found on the page
    portal VARCHAR,
    crawl_id VARCHAR,
    pages VARCHAR[]                      -- articles that only list reports: the report pages they link
);
"""
VIEW = """
CREATE OR REPLACE VIEW crawl_latest AS    -- each URL as the latest crawl that dealt with it left it
SELECT * FROM crawl_log QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1;
"""


@dataclass(frozen=True)
class LogRow:
    url: str
    status: str
    kind: str
    referrer: str | None = None
    bytes: int | None = None
    hash: str | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    http_status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    doc_status: str | None = None
    links: tuple[str, ...] | None = None
    pages: tuple[str, ...] | None = None
    fetched_at: datetime = field(default_factory=datetime.now)


@dataclass(frozen=True)
class Known:
    """What the warehouse remembers of a URL from its newest row with content."""

    url: str
    hash: str
    etag: str | None
    last_modified: str | None
    links: tuple[str, ...] | None
    doc_status: str | None
    pages: tuple[str, ...] | None = None


def create_crawl_log(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)
    con.execute("ALTER TABLE crawl_log ADD COLUMN IF NOT EXISTS pages VARCHAR[]")  # logs made before it
    con.execute(VIEW)
    comments.apply(con, only=("crawl_log", "crawl_latest"))  # the view, replaced, lost its comments


_COLUMNS = ("url", "referrer", "status", "bytes", "hash", "fetched_at", "error", "etag", "last_modified", "kind",
            "http_status", "final_url", "content_type", "doc_status", "links", "pages", "portal", "crawl_id")


def write(con: duckdb.DuckDBPyConnection, rows: Iterable[LogRow], *, portal: str | None, crawl_id: str) -> None:
    values = [[r.url, r.referrer, r.status, r.bytes, r.hash, r.fetched_at, r.error, r.etag, r.last_modified,
               r.kind, r.http_status, r.final_url, r.content_type, r.doc_status,
               list(r.links) if r.links is not None else None, list(r.pages) if r.pages is not None else None,
               portal, crawl_id] for r in rows]
    if values:
        con.executemany(f"INSERT INTO crawl_log ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                        values)


def known_urls(con: duckdb.DuckDBPyConnection) -> dict[str, Known]:
    """Each URL's newest row that holds content (a hash), whatever crawl or portal wrote it; none for
    a URL whose newest such row says it was removed."""
    rows = con.execute(
        "SELECT url, hash, etag, last_modified, links, doc_status, pages, status FROM crawl_log"
        " WHERE hash IS NOT NULL AND list_contains(?, status)"
        " QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1",
        [[*HAS_CONTENT, REMOVED]]).fetchall()
    return {url: Known(url, h, etag, lm, _tuple(links), doc_status, _tuple(pages))
            for url, h, etag, lm, links, doc_status, pages, status in rows if status != REMOVED}


def _tuple(values: list[str] | None) -> tuple[str, ...] | None:
    return tuple(values) if values is not None else None


def retire_document(con: duckdb.DuckDBPyConnection, doc_id: str, source: str) -> None:
    """Remove an earlier version of a document that its URL no longer serves, so the same report is
    not counted twice; only where that document came from this very URL. Every warehouse table
    keyed by doc_id loses its rows (the crawl log keeps its history), and the cross-year rule is
    evaluated again for the agency's remaining reports."""
    from extractors.template import load_template
    from warehouse import cross_year

    ours = con.execute("SELECT count(*) FROM documents WHERE doc_id = ? AND source = ?", [doc_id, source]).fetchone()
    if not ours or not ours[0]:
        return
    tables = [t for (t,) in con.execute(
        "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t"
        " ON t.table_name = c.table_name AND t.table_schema = c.table_schema"
        " WHERE c.column_name = 'doc_id' AND t.table_type = 'BASE TABLE' AND c.table_schema = 'main'"
        " AND c.table_name NOT IN ('crawl_log', 'documents')").fetchall()]
    con.execute("BEGIN TRANSACTION")
    try:
        key = None
        if "regions" in tables:
            row = con.execute("SELECT agency_key FROM regions WHERE doc_id = ?", [doc_id]).fetchone()
            key = row[0] if row else None
        for table in [*tables, "documents"]:
            con.execute(f'DELETE FROM "{table}" WHERE doc_id = ?', [doc_id])
        cross_year.refresh(con, [key], load_template())
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
