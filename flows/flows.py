"""Prefect flows: `ingest_batch` for many documents, `process_document` for one (ad-hoc reprocessing).

A document goes through five steps: detect, extract, reconcile, check, load. The flow's process
keeps one thread per document in flight; the reading steps (detect to check) run in worker processes
(flows/parallel.py) under the time limit, and load goes through the batch's one DuckDB writer
(flows/writer.py). The steps are also Prefect tasks, used where each step should be seen (below).

Granularity: a Prefect task run costs 60-75 ms of CPU here (10-15 in this process, the rest in the
server recording its state events), a fifth of what reading a text PDF costs, and it does not
parallelise: on 2 cores it takes the second worker's share. A batch is many documents and the
warehouse already records each one's status and reason, so by default `ingest_batch` makes no task
run per document (task_runs="none"): the flow run, its state, its return value (one line per
document) and a warning in its log for each document that failed. task_runs="document"
(`nianbao ingest --task-runs document`) makes one task run per document, named after the file and
failed with the reason when the document is, running the same steps as plain functions;
task_runs="step" and `process_document` (one file, where seeing each step is the point) run the
five named tasks as their own task runs.

Why not Prefect's ProcessPoolTaskRunner: it spawns fresh interpreters (each imports Prefect and the
extractors again: seconds of CPU per worker, more than a one-file command may take) and cannot stop
one task that runs too long.

Task results are neither cached nor persisted: the warehouse is the only store, and hashing a
Document for a cache key would cost more than re-reading it. Parameters that are big (the bytes,
the Document) are passed `quote`d, so Prefect does not walk them looking for futures.

A document already loaded from the same source by this pipeline version (same bytes) is skipped
unless force=True: a batch killed halfway resumes where it stopped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from contextvars import copy_context
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar, cast

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
from prefect.utilities.annotations import quote

from extractors.detect import detect_format
from extractors.errors import ExtractionError
from extractors.model import Document
from extractors.report import Check, Report
from extractors.template import load_template
from flows.fetch import Input, read
from flows.parallel import Cancelled, TimedOut, WorkerPool, preload
from flows.pipeline import (
    PageMeta,
    Processed,
    check_report,
    extract_document,
    failed,
    guarded,
    process_bundled,
    processed_of,
    reconcile_document,
    skipped,
)
from flows.settings import DEFAULT_TIMEOUT_S, default_workers, worker_memory_mb
from flows.writer import Writer
from warehouse.load import doc_id_of, store_original

T = TypeVar("T")
TASK_RUNS = ("document", "step", "none")
_TASK: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}


def _q(value: T) -> T:
    """quote() for Prefect (it then does not walk the value looking for futures), typed as the value:
    the task receives the value itself."""
    return cast(T, quote(value))


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


class DocumentFailed(ExtractionError):
    """Raised by the per-document task for a document it recorded failed, so Prefect shows the task
    run failed with the reason; carries what was loaded."""

    def __init__(self, processed: Processed) -> None:
        super().__init__(processed.loaded.error or "failed")
        self.processed = processed


def _read_by_steps(data: bytes, source: str, runner: Runner) -> Processed:
    """Each step its own Prefect task run (detect, extract, reconcile, check)."""
    fmt = detect_task(_q(data), source)
    if fmt == "empty":
        return failed(source, data, "empty file", fmt)

    def read() -> Processed:
        doc = extract_task(_q(data), source, _q(runner))
        report = reconcile_task(_q(doc), source, _q(runner))
        checks = check_task(_q(report), source)
        return processed_of(data, source, doc, report, checks)

    return guarded(data, source, fmt, read)


def _read_at_once(data: bytes, source: str, runner: Runner, page: PageMeta | None = None) -> Processed:
    """All four reading steps in one worker call (pipeline.process: the Document never travels
    back); only a time limit or a dead worker is left to record here."""
    try:
        args = (data, source) if page is None else (data, source, page)  # page: a followed document's
        return runner.run(process_bundled, *args)
    except ExtractionError as e:
        return failed(source, data, str(e), detect_format(data, source))


def _one(source: str, writer: Writer, pool: WorkerPool | None, timeout_s: float | None, force: bool,
         by_steps: bool) -> Processed:
    inp = read(source)
    if inp.data is None:
        return failed(source, None, inp.error or "unreadable")  # no bytes: nothing worth recording
    data = inp.data
    doc_id = doc_id_of(data)
    if not force and writer.is_done(doc_id, source):
        return skipped(source, doc_id)
    runner = Runner(pool, timeout_s or None)
    processed = _read_by_steps(data, source, runner) if by_steps else _read_at_once(data, source, runner)
    if processed.loaded.format == "html":
        processed, data = _follow(processed, data, inp, writer, runner, force)
    if processed.loaded.status == "skipped":
        return processed
    if by_steps:
        return load_task(_q(processed), _q(data), source, _q(writer))  # type: ignore[no-any-return]
    return writer.load(processed, data)


def _follow(processed: Processed, data: bytes, inp: Input, writer: Writer, runner: Runner,
            force: bool) -> tuple[Processed, bytes]:
    """A page whose report is framed or attached: the fetch stage goes on to it (flows/follow.py);
    what to load, and its bytes."""
    from flows import follow

    source = inp.source
    if follow.wanted(processed):
        def read_followed(d: bytes, s: str, page: PageMeta | None) -> Processed:
            if not force and writer.is_done(doc_id_of(d), source):
                return skipped(source, doc_id_of(d))
            return _read_at_once(d, s, runner, page)

        followed = follow.follow(processed, data, source, read_followed, content_type=inp.content_type,
                                 final_url=inp.final_url)
        processed, data = followed.processed, followed.data
        if followed.page_data is not None and processed.loaded.status != "skipped":
            page_path = store_original(followed.page_data, writer.db, doc_id_of(followed.page_data), ".html")
            processed = replace(processed, loaded=replace(processed.loaded, page_path=page_path))
    return processed, data


@task(name="document", task_run_name="{source}", **_TASK)
def document_task(source: str, writer: Writer, pool: WorkerPool | None, timeout_s: float | None,
                  force: bool) -> Processed:
    """One document, all five steps (detect, extract, reconcile, check, load) in one task run."""
    processed = _one(source, writer, pool, timeout_s, force, by_steps=False)
    if processed.loaded.status == "failed":
        raise DocumentFailed(processed)
    return processed


def _document(source: str, writer: Writer, pool: WorkerPool | None, timeout_s: float | None, force: bool,
              task_runs: str) -> Processed:
    if task_runs == "step":
        return _one(source, writer, pool, timeout_s, force, by_steps=True)
    if task_runs == "none":
        return _one(source, writer, pool, timeout_s, force, by_steps=False)
    try:
        return document_task(source, _q(writer), _q(pool), timeout_s, force)  # type: ignore[no-any-return]
    except DocumentFailed as e:
        return e.processed


def _log_failure(processed: Processed) -> None:
    """A failed document, in the flow run's log (what the Prefect UI shows of it without task runs)."""
    if processed.loaded.status != "failed":
        return
    try:
        logger = get_run_logger()
    except MissingContextError:  # called outside a flow run (tests, scripts)
        return
    logger.warning("%s: %s", processed.loaded.source, processed.loaded.error)


def run_batch(sources: list[str], db: str, on_done: Callable[[Processed], None] | None = None,
              workers: int | None = None, timeout_s: float | None = DEFAULT_TIMEOUT_S,
              force: bool = False, task_runs: str = "none") -> list[Processed]:
    """The body of both flows (call it inside a flow run). workers=0 reads in this process, with no
    time limit; otherwise min(workers, len(sources)) worker processes. task_runs: Prefect task runs
    per document, "document" (one), "step" (one per step) or "none" (the flow run only). Results in input order; on_done is
    called in this thread as each document finishes."""
    if task_runs not in TASK_RUNS:
        raise ValueError(f"task_runs must be one of {', '.join(TASK_RUNS)}")
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    n = min(default_workers() if workers is None else workers, len(sources))
    results: dict[int, Processed] = {}
    with Writer(db) as writer:
        if n > 0:
            preload()  # once in this process rather than once in every worker it forks
        pool = WorkerPool(n, worker_memory_mb()).__enter__() if n > 0 else None
        # a document in flight between worker steps (detect, check, load) leaves its worker idle:
        # one thread more than workers keeps them busy
        threads = ThreadPoolExecutor(max(1, n + 1), thread_name_prefix="nianbao-doc")
        try:
            pending: dict[Future[Processed], int] = {
                threads.submit(copy_context().run, _document, s, writer, pool, timeout_s, force, task_runs): i
                for i, s in enumerate(sources)}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = pending.pop(fut)
                    results[i] = fut.result()
                    if task_runs != "document":  # a failed task run already says it
                        _log_failure(results[i])
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


@contextmanager
def without_heartbeats() -> Iterator[None]:
    """Flow runs started inside emit no heartbeat events, unless the user set a frequency.

    Prefect's heartbeat thread sleeps in whole seconds and the flow run joins it on exit, so every
    flow run ends on the next whole second after its body: half a second on average, a quarter of a
    one-file ingest. Heartbeats only let a deployment's automation spot a crashed run; a command run
    here reports its own end, so they are not worth that."""
    if any(os.environ.get(v) for v in ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY")):
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


@flow(name="process_document", log_prints=False)
def process_document(source: str, db: str, timeout_s: float | None = DEFAULT_TIMEOUT_S) -> str:
    """Fetch one file or URL, read it and load it (even if already loaded); returns its summary line."""
    return run_batch([source], db, workers=1, timeout_s=timeout_s, force=True, task_runs="step")[0].summary()


@flow(name="ingest_batch", log_prints=False)
def ingest_batch(sources: list[str], db: str, on_done: Callable[[Processed], None] | None = None,
                 workers: int | None = None, timeout_s: float | None = DEFAULT_TIMEOUT_S,
                 force: bool = False, task_runs: str = "none") -> list[str]:
    """Read many files or URLs into the warehouse; one summary line per input, in input order."""
    return [p.summary() for p in run_batch(sources, db, on_done, workers, timeout_s, force, task_runs)]


__all__ = ["Cancelled", "ingest_batch", "process_document", "run_batch", "without_heartbeats"]
