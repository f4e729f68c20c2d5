"""Loading one processed document into the warehouse, atomically: a document already loaded (same
bytes, same doc_id) has its rows replaced in the same transaction, never duplicated. The same
transaction records where the agency sits (regions) and re-evaluates the cross-year rule for the
agency's reports, so the warehouse never shows one without the other."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extractors.report import Check, Report
from extractors.template import Template, load_template
from warehouse import cross_year
from warehouse.holder import open_for_writing
from warehouse.regions import Region, resolve
from warehouse.rows import insert_rows
from warehouse.schema import PIPELINE_VERSION, create


@dataclass(frozen=True)
class Loaded:
    """What the pipeline knows about one document when it loads it."""

    doc_id: str
    source: str
    status: str  # ok | no_template_tables | old_format | behind_link | failed
    format: str | None = None
    method: str | None = None
    pages: int | None = None
    error: str | None = None
    original_path: str | None = None
    size_bytes: int | None = None
    # a report reached through a web page (`source`): the iframe or attachment its bytes came from,
    # and the stored copy of the page (named by its doc_id, store_original), whose title and
    # metadata box reprocessing reads again
    followed_url: str | None = None
    page_path: str | None = None


def doc_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def connect(db: str | Path, template: Template, views: bool = True, wait: bool = True) -> duckdb.DuckDBPyConnection:
    """The warehouse, its tables created where missing; views=False leaves the dictionary and views
    (a third of a second to build in a new warehouse) to the caller. While another process writes
    it, wait (saying so once on stderr), unless wait=False: then DuckDB's lock error."""
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    con = open_for_writing(db, wait)
    create(con, template, views)
    _backfill_regions(con, template)
    return con


def _store_region(con: duckdb.DuckDBPyConnection, doc_id: str, r: Region) -> None:
    con.execute(
        "INSERT INTO regions (doc_id, agency, status, province, province_code, city, city_code, county,"
        " county_code, town, adcode, agency_key, body, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [doc_id, r.agency or None, r.status, r.province, r.province_code, r.city, r.city_code, r.county,
         r.county_code, r.town, r.adcode, r.agency_key or None, r.body, r.note],
    )


def _backfill_regions(con: duckdb.DuckDBPyConnection, template: Template) -> None:
    """Documents loaded before regions existed get theirs (and their cross-year rows) once."""
    missing = con.execute(
        "SELECT doc_id, agency FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM regions)").fetchall()
    if not missing:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        keys = []
        for doc_id, agency in missing:
            r = resolve(agency)
            _store_region(con, doc_id, r)
            keys.append(r.agency_key)
        cross_year.refresh(con, keys, template)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def store_original(data: bytes, db: str | Path, doc_id: str, suffix: str) -> str:
    """Keep the bytes beside the warehouse, addressed by their hash, for reprocessing."""
    folder = Path(db).resolve().parent / "originals" / doc_id[:2]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_id}{suffix}"
    if not path.exists():
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return str(path)


def load(con: duckdb.DuckDBPyConnection, doc: Loaded, report: Report | None, checks: list[Check]) -> None:
    facts = report.facts if report else ()
    failed = sum(1 for c in checks if not c.passed and c.rule_id != "missing_cells")
    region = resolve(report.agency if report else None)
    con.execute("BEGIN TRANSACTION")
    try:
        # a lookup in documents' key index; the DELETEs scan whole tables (50 ms for 18 million facts),
        # so a new document, the common case, skips them: its rows are written only with its documents row
        old = con.execute("SELECT r.agency_key FROM documents d LEFT JOIN regions r USING (doc_id)"
                          " WHERE d.doc_id = ?", [doc.doc_id]).fetchone()
        if old is not None:
            for table in ("regions", "facts", "checks", "prose_facts", "documents"):
                con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc.doc_id])
        # the page that led to this report, loaded before as itself (behind_link, or by a version
        # that did not follow it): the report replaces it, so one source is one document
        page_id = Path(doc.page_path).stem if doc.page_path else None
        if page_id and page_id != doc.doc_id and con.execute(
                "SELECT 1 FROM documents WHERE doc_id = ? AND source = ?", [page_id, doc.source]).fetchone():
            for table in ("regions", "facts", "checks", "prose_facts", "documents"):
                con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [page_id])
        con.execute(
            "INSERT INTO documents (doc_id, source, agency, year, status, format, method, pages, n_facts,"
            " n_failed_checks, error, original_path, size_bytes, pipeline_version, template_version, followed_url,"
            " page_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [doc.doc_id, doc.source, report.agency if report else None, report.year if report else None,
             doc.status, doc.format, doc.method, doc.pages, sum(f.method != "inferred" for f in facts), failed, doc.error,
             doc.original_path, doc.size_bytes, PIPELINE_VERSION, report.template_version if report else None,
             doc.followed_url, doc.page_path],
        )
        insert_rows(con, "facts", [
            [doc.doc_id, f.table_id, f.row_id, f.col_id, f.value, f.method, f.raw_text, f.page,
             *(f.bbox or (None, None, None, None)), f.confidence, PIPELINE_VERSION, f.label_score,
             list(f.rules_evaluated), f.layout] for f in facts])
        insert_rows(con, "prose_facts", [
            [doc.doc_id, p.key, p.value, p.unit, p.sentence, p.page] for p in (report.prose if report else ())])
        insert_rows(con, "checks", [[doc.doc_id, c.rule_id, c.passed, c.detail] for c in checks])
        _store_region(con, doc.doc_id, region)
        cross_year.refresh(con, [old[0] if old else None, region.agency_key], load_template())
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
