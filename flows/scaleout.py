"""Scale-out: the same reading on a Dask cluster (prefect-dask), results as Parquet, one merge.

DuckDB takes one writing process, so workers on other machines cannot load the warehouse. Instead
each `read_to_parquet` task (on any Dask worker) reads one document with the very function the
direct path uses (pipeline.process), loads it into a private in-memory warehouse with the very
load() the direct path uses, and copies that document's rows of every per-document table (the base
tables with a doc_id column) to Parquet files in `OUT/<doc_id>/`, with the original bytes beside
them. The folder appears whole or not at all (written under a temporary name, then renamed), so a
killed worker leaves nothing half-written. Then `merge_parquet` loads each folder into the warehouse
in one transaction per document (rows replaced, never duplicated) and recomputes the rules that
span documents (cross-year) for the agencies touched. Same functions, same rows: the merged
warehouse holds the same facts as `nianbao ingest` makes directly (tests/test_scaleout.py).

OUT must be storage every worker and the merging process can reach (a shared or network file
system) and the sources paths or URLs every worker can read. See the README, "Many machines".

Per-document time limits here are Prefect's own (`timeout_seconds`, which cannot interrupt code
stuck in C); the hard limit of worker processes killed on time is the direct path's.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import duckdb
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from extractors.template import load_template
from flows.fetch import read
from flows.pipeline import Processed, failed, process, suffix_of
from flows.settings import DEFAULT_TIMEOUT_S
from warehouse.load import connect, doc_id_of, load, store_original
from warehouse.read_copy import Publisher

_HEX = re.compile(r"[0-9a-f]{64}")
ORIGINAL = "original.bin"


@dataclass(frozen=True)
class Written:
    """What a worker did with one source: the summary line, and its Parquet folder (None when no
    bytes could be read, nothing to load, or skipped)."""

    summary: str
    folder: str | None
    failed: bool


@functools.cache
def _scratch() -> tuple[duckdb.DuckDBPyConnection, threading.Lock]:
    """This worker process's private in-memory warehouse (a Dask worker runs tasks in threads)."""
    return connect(":memory:", load_template()), threading.Lock()


def per_document_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_name)"
        " WHERE c.column_name = 'doc_id' AND t.table_type = 'BASE TABLE' AND t.table_schema = 'main'"
        " ORDER BY table_name").fetchall()]


def write_parquet(processed: Processed, data: bytes | None, out_dir: str | Path) -> Path:
    """The document's warehouse rows as OUT/<doc_id>/<table>.parquet, and its bytes."""
    doc_id = processed.loaded.doc_id
    if not _HEX.fullmatch(doc_id):
        raise ValueError(f"not a doc_id: {doc_id!r}")
    final = Path(out_dir) / doc_id
    tmp = Path(out_dir) / f".{doc_id}.{uuid.uuid4().hex}.tmp"
    tmp.mkdir(parents=True)
    con, lock = _scratch()
    with lock:
        load(con, processed.loaded, processed.report, processed.checks)
        try:
            for table in per_document_tables(con):
                con.execute(f"COPY (SELECT * FROM {table} WHERE doc_id = '{doc_id}') TO '{tmp / table}.parquet'"
                            " (FORMAT parquet)")
        finally:
            con.execute("BEGIN TRANSACTION")
            for table in per_document_tables(con):
                con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
            con.execute("COMMIT")
    if data:
        (tmp / ORIGINAL).write_bytes(data)
    if final.exists():
        shutil.rmtree(final)
    tmp.rename(final)
    return final


@task(name="read_to_parquet", task_run_name="{source}", cache_policy=NO_CACHE, persist_result=False,
      timeout_seconds=DEFAULT_TIMEOUT_S)
def read_to_parquet(source: str, out_dir: str, done: frozenset[str] = frozenset()) -> Written:
    inp = read(source)
    if inp.data is None:
        p = failed(source, None, inp.error or "unreadable")
        return Written(p.summary(), None, True)
    doc_id = doc_id_of(inp.data)
    if doc_id in done:
        return Written(f"{source}: skipped, already loaded by this pipeline version", None, False)
    p = process(inp.data, source, load_template())
    return Written(p.summary(), str(write_parquet(p, inp.data, out_dir)), p.loaded.status == "failed")


def merge_parquet(folders: Iterable[str | Path], db: str | Path) -> int:
    """Load documents' Parquet folders into the warehouse, one transaction each; returns how many."""
    template = load_template()
    con = connect(db, template)
    publisher = Publisher(db)
    n = 0
    try:
        tables = per_document_tables(con)
        touched: set[str] = set()
        for folder in sorted(Path(f) for f in folders):
            doc_id = folder.name
            if not _HEX.fullmatch(doc_id):
                continue
            touched.update(_agency_keys(con, doc_id))
            original = folder / ORIGINAL
            con.execute("BEGIN TRANSACTION")
            try:
                for table in tables:
                    con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
                    part = folder / f"{table}.parquet"
                    if part.exists():
                        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet('{part}')")
                if original.exists():
                    fmt = con.execute("SELECT format FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
                    path = store_original(original.read_bytes(), db, doc_id, suffix_of((fmt or [None])[0] or ""))
                    con.execute("UPDATE documents SET original_path = ? WHERE doc_id = ?", [path, doc_id])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            touched.update(_agency_keys(con, doc_id))
            n += 1
        _refresh_cross_document_rules(con, touched, template)
        publisher.publish(con)  # readers that find the warehouse held read this copy
    finally:
        con.close()
        publisher.close()
    return n


def _agency_keys(con: duckdb.DuckDBPyConnection, doc_id: str) -> set[str]:
    if "regions" not in per_document_tables(con):
        return set()
    return {r[0] for r in con.execute("SELECT agency_key FROM regions WHERE doc_id = ? AND agency_key IS NOT NULL",
                                      [doc_id]).fetchall()}


def _refresh_cross_document_rules(con: duckdb.DuckDBPyConnection, keys: set[str], template: object) -> None:
    """Rules over several documents (a report against the year before) were evaluated by each worker
    on its document alone: evaluate them again over the warehouse."""
    try:
        from warehouse import cross_year
    except ImportError:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        cross_year.refresh(con, keys, template)  # type: ignore[arg-type]
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def loaded_ids(db: str | Path) -> frozenset[str]:
    """doc_ids this pipeline version loaded already (not as failures), to skip them."""
    from warehouse.schema import PIPELINE_VERSION

    if not Path(db).exists():
        return frozenset()
    con = connect(db, load_template())
    try:
        return frozenset(r[0] for r in con.execute(
            "SELECT doc_id FROM documents WHERE pipeline_version = ? AND status <> 'failed'",
            [PIPELINE_VERSION]).fetchall())
    finally:
        con.close()


def dask_runner(address: str | None, workers: int):  # type: ignore[no-untyped-def]
    """A Prefect task runner on the Dask scheduler at `address`, or on a local cluster of `workers`
    single-threaded worker processes (what a one-machine test or trial uses)."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})


@flow(name="ingest_scaleout", log_prints=False)
def ingest_scaleout(sources: list[str], db: str, out_dir: str, force: bool = False) -> list[Written]:
    """Read every source on the flow's task runner (set it with .with_options(task_runner=
    dask_runner(...))), then merge what the workers wrote into the warehouse."""
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    done = frozenset() if force else loaded_ids(db)
    futures = [read_to_parquet.submit(s, out_dir, cast(frozenset[str], quote(done))) for s in sources]
    written = [f.result() for f in futures]
    merge_parquet([w.folder for w in written if w.folder], db)
    return written


def run_scaleout(sources: list[str], db: str, out_dir: str, address: str | None, workers: int,
                 force: bool = False) -> list[Written]:
    return ingest_scaleout.with_options(task_runner=dask_runner(address, workers))(sources, db, out_dir, force)
