"""The batch's one writer: DuckDB takes one writing process, so every document is loaded here, one
transaction each, by whichever thread finished it, in turn."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Self

import duckdb

from extractors.template import load_template
from flows.pipeline import Processed, suffix_of
from warehouse.load import connect, load, store_original
from warehouse.schema import PIPELINE_VERSION


class Writer:
    def __init__(self, db: str | Path) -> None:
        self.db = str(db)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> Self:
        self._con = connect(self.db, load_template())
        # one document's rows are a few hundred: DuckDB's parallel operators cost more than they save,
        # and the cores belong to the workers
        self._con.execute("SET threads = 1")
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise RuntimeError("writer is not open")
        return self._con

    def is_done(self, doc_id: str, source: str) -> bool:
        """Loaded already from this source by this pipeline version, and not as a failure (a failure
        is retried). The same bytes from another path or URL are read again and replace the rows,
        so the warehouse names the source as last given."""
        with self._lock:
            row = self.con.execute(
                "SELECT 1 FROM documents WHERE doc_id = ? AND source = ? AND pipeline_version = ?"
                " AND status <> 'failed'",
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
        return processed
