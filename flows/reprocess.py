"""The `reprocess` Prefect flow: extraction re-run over the stored originals of documents already in
the warehouse (after the pipeline improved), each replaced in one load transaction.

A document keeps its doc_id (the same bytes), its source (path or URL as first given) and its stored
original; everything read from it is replaced. Killed midway, each document is either as it was or
as this version reads it, never half: the load's transaction is the unit.

A report reached through a web page (`followed_url`) is read with that page's agency and year, from
the page's stored copy (`page_path`). A web page that holds no report but frames or links one
(loaded `behind_link`, or `no_template_tables` by a version that did not follow such pages) is
followed again (flows/follow.py: the page's URL, or the files beside a saved page): the report
found replaces the page's rows, under the page's source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from extractors.template import Template, load_template
from flows import follow
from flows.pipeline import Processed, process, suffix_of
from warehouse.load import connect, doc_id_of, load, store_original
from warehouse.read_copy import Publisher
from warehouse.schema import PIPELINE_VERSION

SCOPES = ("all", "older")


@dataclass(frozen=True)
class Stored:
    doc_id: str
    source: str
    original_path: str | None
    pipeline_version: str | None
    followed_url: str | None = None
    page_path: str | None = None


@dataclass(frozen=True)
class Outcome:
    doc: Stored
    processed: Processed | None  # None where the original could not be read: the rows stay as they were
    error: str | None = None

    def summary(self) -> str:
        if self.processed is None:
            return f"{self.doc.source}: NOT REPROCESSED ({self.error})"
        return self.processed.summary()


def version_key(v: str | None) -> tuple[int, ...]:
    """0.10.0 after 0.9.1; a missing or unreadable version counts as the oldest."""
    try:
        return tuple(int(p) for p in (v or "").split("."))
    except ValueError:
        return ()


def select(db: str, scope: str) -> list[Stored]:
    """Documents to reprocess: every one (all), or those an older pipeline wrote (older)."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}")
    con = connect(db, load_template())
    try:
        rows = con.execute(
            "SELECT doc_id, source, original_path, pipeline_version, followed_url, page_path FROM documents"
            " ORDER BY ingested_at, doc_id"
        ).fetchall()
    finally:
        con.close()
    docs = [Stored(*r) for r in rows]
    if scope == "older":
        current = version_key(PIPELINE_VERSION)
        docs = [d for d in docs if version_key(d.pipeline_version) < current]
    return docs


@task(name="reprocess_document", cache_policy=NO_CACHE, persist_result=False)
def reprocess_document(db: str, doc: Stored) -> Outcome:
    if not doc.original_path:
        return Outcome(doc, None, "no stored original")
    try:
        data = Path(doc.original_path).read_bytes()
    except OSError as e:
        return Outcome(doc, None, f"cannot read the stored original: {e.strerror or e}")
    if doc_id_of(data) != doc.doc_id:
        return Outcome(doc, None, "the stored original's bytes changed")
    template = load_template()
    if doc.followed_url:
        processed = _followed_report(data, doc, template)
    else:
        processed = process(data, doc.source, template)
    loaded = replace(processed.loaded, original_path=doc.original_path)
    if not doc.followed_url and follow.wanted(processed):
        # a page whose report is framed or attached: followed as `ingest` follows it
        found = follow.follow(processed, data, doc.source, lambda d, s, page: process(d, s, template, page=page))
        if found.page_data is not None:  # a report: stored as itself, the page's copy beside it
            data = found.data
            path = store_original(data, db, doc_id_of(data), suffix_of(found.processed.loaded.format or ""))
            loaded = replace(found.processed.loaded, original_path=path, page_path=doc.original_path)
        else:
            loaded = replace(found.processed.loaded, original_path=doc.original_path)
        processed = found.processed
    # held only while loading: readers open the warehouse itself in between (its read copy is
    # published once, at the end of the run, not at the cost of a copy per document)
    con = connect(db, template)
    try:
        load(con, loaded, processed.report, processed.checks)
    finally:
        con.close()
    return Outcome(doc, replace(processed, loaded=loaded))


def _followed_report(data: bytes, doc: Stored, template: Template) -> Processed:
    """A report reached through a page, read again with the agency and year of the page's stored copy."""
    page = None
    if doc.page_path:
        try:
            page_data = Path(doc.page_path).read_bytes()
        except OSError:
            page_data = None  # the page's copy is gone: the report is read on its own
        if page_data:
            page = follow.page_meta(process(page_data, doc.source, template))
    processed = process(data, doc.followed_url or doc.source, template, page=page)
    return replace(processed, loaded=replace(processed.loaded, source=doc.source, followed_url=doc.followed_url,
                                             page_path=doc.page_path))


def publish_read_copy(db: str) -> None:
    con = connect(db, load_template())
    publisher = Publisher(db)
    try:
        publisher.publish(con)
    finally:
        con.close()
        publisher.close()


@flow(name="reprocess", log_prints=False)
def reprocess(db: str, scope: str = "older", on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Re-run extraction for the selected documents, one after the other."""
    outcomes = []
    for doc in select(db, scope):
        outcome = reprocess_document(db, doc)
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)
    if outcomes:
        publish_read_copy(db)
    return outcomes
