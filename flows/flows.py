"""Prefect flows: `process_document` for one file (ad-hoc reprocessing) and `ingest_batch` for many.

Both run the same five tasks per document: detect, extract, reconcile, check, load. Task results
are neither cached nor persisted: the warehouse is the only store, and hashing a Document for a
cache key would cost more than re-reading it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from extractors.detect import detect_format
from extractors.errors import ExtractionError
from extractors.model import Document
from extractors.reconcile import reconcile
from extractors.report import Check, Report
from extractors.template import load_template
from flows.fetch import read
from flows.pipeline import Processed, check_report, extract_document, failed, suffix_of
from warehouse.load import Loaded, connect, doc_id_of, load, store_original

_TASK = {"cache_policy": NO_CACHE, "persist_result": False}


@task(name="detect", **_TASK)
def detect_task(data: bytes, source: str) -> str:
    return detect_format(data, source)


@task(name="extract", **_TASK)
def extract_task(data: bytes, source: str) -> Document:
    return extract_document(data, source)


@task(name="reconcile", **_TASK)
def reconcile_task(doc: Document) -> Report:
    return reconcile(doc, load_template())


@task(name="check", **_TASK)
def check_task(report: Report) -> list[Check]:
    return check_report(report, load_template())


@task(name="load", **_TASK)
def load_task(db: str, processed: Processed, data: bytes | None) -> None:
    loaded = processed.loaded
    if data:
        path = store_original(data, db, loaded.doc_id, suffix_of(loaded.format or ""))
        loaded = Loaded(**{**loaded.__dict__, "original_path": path})
    con = connect(db, load_template())
    try:
        load(con, loaded, processed.report, processed.checks)
    finally:
        con.close()


def _run_one(source: str, db: str) -> Processed:
    inp = read(source)
    if inp.data is None:
        processed = failed(source, None, inp.error or "unreadable")
        return processed  # nothing to record: no bytes, no doc_id worth keeping
    data = inp.data
    fmt = detect_task(data, source)
    if fmt == "empty":
        processed = failed(source, data, "empty file", fmt)
    else:
        try:
            doc = extract_task(data, source)
            report = reconcile_task(doc)
            checks = check_task(report)
            status = "ok" if report.facts else "no_template_tables"
            processed = Processed(
                Loaded(doc_id_of(data), source, status, doc.format, doc.method, doc.pages, size_bytes=len(data)),
                report, checks)
        except ExtractionError as e:
            processed = failed(source, data, str(e), fmt)
        except Exception as e:  # one broken document never stops a batch
            processed = failed(source, data, f"unexpected {type(e).__name__}: {str(e)[:200]}", fmt)
    load_task(db, processed, data)
    return processed


@flow(name="process_document", log_prints=False)
def process_document(source: str, db: str) -> str:
    """Fetch one file or URL, read it and load it; returns its summary line."""
    return _run_one(source, db).summary()


@flow(name="ingest_batch", log_prints=False)
def ingest_batch(sources: list[str], db: str, on_done: Callable[[Processed], None] | None = None) -> list[str]:
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    summaries = []
    for source in sources:
        processed = _run_one(source, db)
        summaries.append(processed.summary())
        if on_done:
            on_done(processed)
    return summaries
