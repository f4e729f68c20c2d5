"""Prefect flows: `ingest_batch` for many documents, `process_document` for one (ad-hoc reprocessing).

Each document runs five tasks: detect, extract, reconcile, check, load. The tasks run in the flow's
process, one thread per document in flight; `extract` and `reconcile`, the CPU-heavy two, hand their
work to worker processes (flows/parallel.py) under the document's time limit, and `load` goes
through the batch's one DuckDB writer (flows/writer.py). So Prefect shows every document's five
steps, states and failure reasons, while the work itself spreads over the cores.

Why not Prefect's ProcessPoolTaskRunner: it spawns fresh interpreters (each imports Prefect and the
extractors again: seconds of CPU per worker, more than a one-file command may take) and cannot stop
one task that runs too long.

Task results are neither cached nor persisted: the warehouse is the only store, and hashing a
Document for a cache key would cost more than re-reading it. Parameters that are big (the bytes,
the Document) are passed `quote`d, so Prefect does not walk them looking for futures.

A document already loaded by this pipeline version (same bytes) is skipped unless force=True: a
batch killed halfway resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextvars import copy_context
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from extractors.detect import detect_format
from extractors.errors import ExtractionError
from extractors.model import Document
from extractors.report import Check, Report
from extractors.template import load_template
from flows.fetch import read
from flows.parallel import Cancelled, TimedOut, WorkerPool
from flows.pipeline import Processed, check_report, extract_document, failed, reconcile_document, skipped
from flows.settings import DEFAULT_TIMEOUT_S, default_workers, worker_memory_mb
from flows.writer import Writer
from warehouse.load import Loaded, doc_id_of

T = TypeVar("T")
_TASK: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}


@dataclass(frozen=True)
class Runner:
    """Where a document's heavy steps run: in a worker process, each step killed after timeout_s
    seconds of work (waiting for a free worker does not count), or here without a limit."""

    pool: WorkerPool | None
    timeout_s: float | None

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self.pool is None:
            return fn(*args)
        try:
            return self.pool.call(fn, *args, timeout=self.timeout_s)
        except TimedOut:
            raise TimedOut(f"timed out after {self.timeout_s:g} s") from None


@task(name="detect", task_run_name="detect {source}", **_TASK)
def detect_task(data: bytes, source: str) -> str:
    return detect_format(data, source)


@task(name="extract", task_run_name="extract {source}", **_TASK)
def extract_task(data: bytes, source: str, runner: Runner) -> Document:
    return runner.run(extract_document, data, source)


@task(name="reconcile", task_run_name="reconcile {source}", **_TASK)
def reconcile_task(doc: Document, source: str, runner: Runner) -> Report:
    return runner.run(reconcile_document, doc)


@task(name="check", task_run_name="check {source}", **_TASK)
def check_task(report: Report, source: str) -> list[Check]:
    return check_report(report, load_template())


@task(name="load", task_run_name="load {source}", **_TASK)
def load_task(processed: Processed, data: bytes | None, source: str, writer: Writer) -> Processed:
    return writer.load(processed, data)


def _read_document(data: bytes, source: str, runner: Runner) -> Processed:
    fmt = detect_task(quote(data), source)
    if fmt == "empty":
        return failed(source, data, "empty file", fmt)
    try:
        doc = extract_task(quote(data), source, quote(runner))
        report = reconcile_task(quote(doc), source, quote(runner))
        checks = check_task(quote(report), source)
    except ExtractionError as e:
        return failed(source, data, str(e), fmt)
    except MemoryError:
        return failed(source, data, "out of memory while reading", fmt)
    except Exception as e:  # a bug or a library's failure on odd input: name it, keep the batch going
        return failed(source, data, f"unexpected {type(e).__name__}: {str(e)[:200]}", fmt)
    status = "ok" if report.facts else "no_template_tables"
    loaded = Loaded(doc_id_of(data), source, status, doc.format, doc.method, doc.pages, size_bytes=len(data))
    return Processed(loaded, report, checks)


def _one(source: str, writer: Writer, pool: WorkerPool | None, timeout_s: float | None, force: bool) -> Processed:
    inp = read(source)
    if inp.data is None:
        return failed(source, None, inp.error or "unreadable")  # no bytes: nothing worth recording
    data = inp.data
    doc_id = doc_id_of(data)
    if not force and writer.is_done(doc_id):
        return skipped(source, doc_id)
    processed = _read_document(data, source, Runner(pool, timeout_s or None))
    return load_task(quote(processed), quote(data), source, quote(writer))  # type: ignore[no-any-return]


def run_batch(sources: list[str], db: str, on_done: Callable[[Processed], None] | None = None,
              workers: int | None = None, timeout_s: float | None = DEFAULT_TIMEOUT_S,
              force: bool = False) -> list[Processed]:
    """The body of both flows (call it inside a flow run). workers=0 reads in this process, with no
    time limit; otherwise min(workers, len(sources)) worker processes. Results in input order;
    on_done is called in this thread as each document finishes."""
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    n = min(default_workers() if workers is None else workers, len(sources))
    results: dict[int, Processed] = {}
    with Writer(db) as writer:
        pool = WorkerPool(n, worker_memory_mb()).__enter__() if n > 0 else None
        # a document in flight between worker steps (detect, check, load) leaves its worker idle:
        # one thread more than workers keeps them busy
        threads = ThreadPoolExecutor(max(1, n + 1), thread_name_prefix="nianbao-doc")
        try:
            pending: dict[Future[Processed], int] = {
                threads.submit(copy_context().run, _one, s, writer, pool, timeout_s, force): i
                for i, s in enumerate(sources)}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = pending.pop(fut)
                    results[i] = fut.result()
                    if on_done:
                        on_done(results[i])
        except BaseException:
            threads.shutdown(wait=False, cancel_futures=True)
            if pool:
                pool.close()  # in-flight documents end with Cancelled, and are not loaded
            threads.shutdown(wait=True)
            raise
        threads.shutdown(wait=True)
        if pool:
            pool.close()
    return [results[i] for i in range(len(sources))]


@flow(name="process_document", log_prints=False)
def process_document(source: str, db: str, timeout_s: float | None = DEFAULT_TIMEOUT_S) -> str:
    """Fetch one file or URL, read it and load it (even if already loaded); returns its summary line."""
    return run_batch([source], db, workers=1, timeout_s=timeout_s, force=True)[0].summary()


@flow(name="ingest_batch", log_prints=False)
def ingest_batch(sources: list[str], db: str, on_done: Callable[[Processed], None] | None = None,
                 workers: int | None = None, timeout_s: float | None = DEFAULT_TIMEOUT_S,
                 force: bool = False) -> list[str]:
    """Read many files or URLs into the warehouse; one summary line per input, in input order."""
    return [p.summary() for p in run_batch(sources, db, on_done, workers, timeout_s, force)]


__all__ = ["Cancelled", "ingest_batch", "process_document", "run_batch"]
