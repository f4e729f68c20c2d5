"""Worker processes for the CPU-heavy steps, with a hard time limit per call.

A plain process pool cannot stop one call that runs too long (a pathological PDF, an endless OCR):
it can only shut down as a whole. Here each worker is one process on its own pipe, so a call past
its deadline gets its worker killed (SIGKILL, whatever C code it is in) and replaced, and the caller
gets `TimedOut`. A worker that dies (out of memory, a crash in a C library) gives `WorkerDied`.
Both are ExtractionErrors: the document is recorded failed with that reason and the batch goes on.

Workers are forked (Linux): they inherit the imported extractors, so starting one costs milliseconds
instead of the seconds a fresh interpreter spends importing. They never touch Prefect; the flow's
tasks run in the parent and hand them plain functions (flows/pipeline.py). Each worker dies with its
parent (PR_SET_PDEATHSIG), so killing a batch with -9 leaves no orphan working on.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Self, TypeVar

from extractors.errors import ExtractionError

T = TypeVar("T")


class TimedOut(ExtractionError):
    """The call ran past its deadline; its worker was killed."""


class WorkerDied(ExtractionError):
    """The worker process ended in the middle of the call."""


class Cancelled(BaseException):
    """The pool was closed under the call (the batch was interrupted): not the document's fault, so
    not an Exception a per-document handler would record as its failure."""


def die_with_parent(parent: int, code: int = 0) -> None:
    """End this process with its parent (Linux: the kernel's SIGKILL on the parent's death); if the
    parent is already gone, exit now with `code`."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(code)


def _limit_memory(memory_mb: int | None) -> None:
    if not memory_mb:
        return
    import resource

    # RLIMIT_DATA counts what a process actually writes to (heap, anonymous maps), not the address
    # space that thread stacks and ONNX Runtime reserve; past it, allocation fails with MemoryError
    limit = memory_mb * 2**20
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _picklable(e: BaseException) -> BaseException:
    import pickle

    try:
        pickle.dumps(e)
        return e
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(e).__name__}: {str(e)[:300]}")


def share_cores(workers: int) -> None:
    """In a worker: OCR's thread pool sized to this worker's share of the cores (ocr.engine reads
    it when it loads its models), unless the user set it."""
    os.environ.setdefault("NIANBAO_OCR_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))


def _worker_main(conn: Connection, memory_mb: int | None, parent: int, workers: int) -> None:
    die_with_parent(parent)
    share_cores(workers)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _limit_memory(memory_mb)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        fn, args = msg
        try:
            reply: tuple[bool, Any] = (True, fn(*args))
        except BaseException as e:  # noqa: BLE001 - everything goes back to the caller
            reply = (False, _picklable(e))
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as e:  # the result itself would not pickle  # noqa: BLE001
            conn.send((False, RuntimeError(f"result could not be returned: {type(e).__name__}: {e}")))


@dataclass(eq=False)  # identity: workers live in a set
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    calls: int = field(default=0)


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "did not exit"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


class WorkerPool:
    """`with WorkerPool(2) as pool: pool.call(fn, *args, deadline=...)`, from any number of threads."""

    def __init__(self, workers: int, memory_mb: int | None = None) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self.workers = workers
        self.memory_mb = memory_mb
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._ctx: Any = multiprocessing.get_context(method)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def __enter__(self) -> Self:
        for _ in range(self.workers):
            self._idle.put(self._start())
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        p = self._ctx.Process(target=_worker_main, args=(child, self.memory_mb, os.getpid(), self.workers), daemon=True, name="nianbao-worker")
        # Every object the worker inherits (Prefect, pdfminer, ... in this process) would otherwise be
        # walked by the worker's full garbage collections, each walk writing to the inherited pages and
        # so copying them: CPU and memory traffic that grows with the number of workers.
        gc.freeze()
        try:
            p.start()
        finally:
            gc.unfreeze()
        child.close()
        w = _Worker(p, parent)
        with self._lock:
            self._all.add(w)
        return w

    def _discard(self, w: _Worker) -> str:
        if w.process.is_alive():
            w.process.kill()
        w.process.join(5)
        w.conn.close()
        with self._lock:
            self._all.discard(w)
        return _describe_exit(w.process.exitcode)

    def call(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """fn(*args) in a worker, killed after `timeout` seconds counted from when a worker took it
        (not while the call waits for one). fn and its arguments go by pickle: fn must be a
        module-level function."""
        w = self._take()
        replacement: _Worker | None = None
        try:
            w.conn.send((fn, args))
            w.calls += 1
            if not w.conn.poll(timeout):
                self._discard(w)
                replacement = self._start()
                raise TimedOut("timed out")
            ok, value = w.conn.recv()
        except (EOFError, OSError) as e:
            if self._closed:
                raise Cancelled("pool closed during the call") from e
            how = self._discard(w)
            replacement = self._start()
            raise WorkerDied(f"worker process died ({how})") from e
        finally:
            if not self._closed:
                self._idle.put(replacement or w)
        if ok:
            return value  # type: ignore[no-any-return]
        raise value

    def _take(self) -> _Worker:
        while True:
            if self._closed:
                raise Cancelled("pool is closed")
            try:
                return self._idle.get(timeout=0.2)
            except queue.Empty:
                continue

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for w in workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in workers:
            w.process.join(2)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(2)
            w.conn.close()


def preload() -> None:
    """Import what the workers need before forking them, once for all of them."""
    import importlib

    for name in ("extractors.dispatch", "extractors.pdf_text", "extractors.text_dump", "extractors.html",
                 "extractors.docx", "extractors.reconcile", "extractors.checks", "pdfplumber", "pypdfium2"):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S110
            pass


def pid_of_workers(pool: WorkerPool) -> list[int]:
    """For tests: the live workers' pids."""
    with pool._lock:
        return [w.process.pid for w in pool._all if w.process.pid is not None]

