"""The batch's one writer: DuckDB takes one writing process, so every document is loaded here, one
transaction each, by whichever thread finished it, in turn. Readers never wait for it: after its
commits it publishes the read copy (warehouse/read_copy.py), from the loading thread when a publish
is due, else from a thread of its own as soon as it is, so a reader sees each document within a
fraction of a second of its commit on a small warehouse (the publish's cost times nine on any)."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Self

import duckdb

from extractors.template import Template, load_template
from flows.pipeline import Processed, suffix_of
from flows.settings import read_copy_enabled
from warehouse.load import connect, load, store_original
from warehouse.read_copy import Publisher
from warehouse.schema import PIPELINE_VERSION
from warehouse.views import ensure as ensure_views
from warehouse.views import is_current


class Writer:
    def __init__(self, db: str | Path, read_copy: bool | None = None) -> None:
        self.db = str(db)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._views: threading.Thread | None = None
        self._views_error: BaseException | None = None
        self._read_copy = read_copy_enabled() if read_copy is None else read_copy
        self._publisher: Publisher | None = None
        self._publishing: threading.Thread | None = None
        self._wake = threading.Condition(self._lock)
        self._closing = False

    def __enter__(self) -> Self:
        template = load_template()
        self._con = connect(self.db, template, views=False)
        # one document's rows are a few hundred: DuckDB's parallel operators cost more than they save,
        # and the cores belong to the workers
        self._con.execute("SET threads = 1")
        if self._read_copy:
            self._publisher = Publisher(self.db)
            if self._publisher.pending:
                # no read copy yet (a new warehouse), or an old one (a writer killed before it published):
                # readers get this one now, not after the views below and the workers' start-up
                self._publisher.publish(self._con)
        views_current = is_current(self._con, template)
        # a new warehouse's dictionary and views take a third of a second: built on a connection of
        # their own while the first documents are read, instead of before
        self._views = threading.Thread(target=self._ensure_views, args=(self._con.cursor(), template),
                                       name="nianbao-views", daemon=True)
        self._views.start()
        if self._publisher is not None:
            if not views_current:
                self._publisher.pending = True  # the views, once built
            self._publishing = threading.Thread(target=self._publish_when_due, name="nianbao-read-copy", daemon=True)
            self._publishing.start()
        return self

    def _views_built(self) -> bool:
        return self._views is None or not self._views.is_alive()

    def _publish_when_due(self) -> None:
        """Publish the commits that the loading threads left pending (a publish was not due yet, or
        the views were still being built) as soon as it is due."""
        publisher = self._publisher
        assert publisher is not None
        with self._wake:
            while not self._closing:
                if publisher.pending and self._views_built() and self._con is not None:
                    wait = publisher.wait_s()
                    if wait <= 0:
                        publisher.publish(self._con)
                        continue
                else:
                    wait = 0.05 if publisher.pending else 1.0
                self._wake.wait(wait)

    def _ensure_views(self, cur: duckdb.DuckDBPyConnection, template: Template) -> None:
        try:
            ensure_views(cur, template)
        except BaseException as e:  # noqa: BLE001 - raised again by __exit__, in the batch's thread
            self._views_error = e
        finally:
            cur.close()

    def __exit__(self, *exc: object) -> None:
        if self._views is not None:
            self._views.join()
            self._views = None
        with self._lock:
            self._closing = True
            self._wake.notify_all()
        if self._publishing is not None:
            self._publishing.join()
            self._publishing = None
        with self._lock:
            if self._con is not None:
                if self._publisher is not None and self._publisher.pending and self._views_error is None:
                    self._publisher.publish(self._con)
                self._con.close()
                self._con = None
            if self._publisher is not None:
                self._publisher.close()
        if self._views_error is not None:
            raise self._views_error

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise RuntimeError("writer is not open")
        return self._con

    def is_done(self, doc_id: str, source: str) -> bool:
        """Loaded already from this source by this pipeline version, and not as a failure (a failure,
        and a page whose report could not be followed, are retried). The same bytes from another path or URL are read again and replace the rows,
        so the warehouse names the source as last given."""
        with self._lock:
            row = self.con.execute(
                "SELECT 1 FROM documents WHERE doc_id = ? AND source = ? AND pipeline_version = ?"
                " AND status NOT IN ('failed', 'behind_link')",
                [doc_id, source, PIPELINE_VERSION]).fetchone()
        return row is not None

    def load(self, processed: Processed, data: bytes | None) -> Processed:
        """Keep the original bytes (content-addressed, written before the rows that point to them),
        then replace the document's rows in one transaction: a kill at any moment leaves the
        document either fully loaded or not at all."""
        loaded = processed.loaded
        if data:
            path = store_original(data, self.db, loaded.doc_id, suffix_of(loaded.format or ""))
            loaded = replace(loaded, original_path=path)
        processed = replace(processed, loaded=loaded)
        with self._lock:
            load(self.con, loaded, processed.report, processed.checks)
            if self._publisher is not None:
                if self._views_built():
                    self._publisher.committed(self.con)
                else:
                    self._publisher.pending = True
                self._wake.notify_all()
        return processed
