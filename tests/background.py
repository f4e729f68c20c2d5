"""Expensive module fixtures computed in the background from the start of the session.

A few modules read documents by OCR in their module fixtures (minutes of CPU on two cores), while
the rest of the suite runs mostly on one core. So such a module declares its work as a generator,

    def background_tasks(folder: Path) -> Iterator[Task]:  # yields (key, fn, args)

and its fixture asks `results(request, tmp_path_factory)` for {key: fn(*args)}. Such modules run
after all the others (conftest.py reorders the session). When the session has collected its tests,
conftest.py forks one conductor process for the selected modules that have
`background_tasks` (`start`): it runs each generator in module order (making the documents) and hands
each task to a pool of workers as soon as it is yielded; a thread of the conductor sends the results
back in order over a pipe. The fixture reads them when its module comes up, by then mostly done.

- Cores: the workers split the cores between them for OCR (flows.parallel.share_cores, as
  tests/scan_corpus.py's pool does) and run at a lower priority (nice), so the serial tests in the
  foreground keep their core and the workers take what is idle.
- Failures: an exception in a generator or a task comes back as its traceback and fails the
  module's tests with it; a conductor that dies, or no result for TIMEOUT_S, fails them too.
- Clean-up: `stop` at the end of the session kills the conductor; the conductor and every worker
  die with their parent (PR_SET_PDEATHSIG), so a killed session leaves nothing running either.
- Without a conductor (the module was not selected at collection, or `--collect-only`) the fixture
  runs the same tasks in its own process, one after the other.
"""

from __future__ import annotations

import os
import queue
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pytest

Task = tuple[Any, Callable[..., Any], tuple[Any, ...]]
Work = Callable[[Path], Iterable[Task]]
WORKERS = 2
NICE = 10
# the longest a fixture waits for its module's results; NIANBAO_SCAN_CORPUS=full takes some 20 minutes
TIMEOUT_S = float(os.environ.get("NIANBAO_BACKGROUND_TIMEOUT", "1800"))


def _die_with_parent(parent: int) -> None:
    from flows.parallel import die_with_parent

    die_with_parent(parent, code=1)


def _worker_init(parent: int, workers: int) -> None:
    from flows.parallel import share_cores

    _die_with_parent(parent)
    share_cores(workers)  # the conductor's lower priority it has inherited


def _send(conn: Connection, msg: tuple) -> None:
    try:
        try:
            conn.send(msg)
        except (EOFError, OSError):
            raise
        except Exception as e:  # noqa: BLE001 - a result that does not pickle is that task's failure
            conn.send((msg[0], msg[1], False, f"result could not be sent back: {type(e).__name__}: {e}"))
    except (EOFError, OSError):  # the session is gone
        os._exit(0)


def _conduct(conn: Connection, parent: int, modules: list[tuple[str, Work]], folder: Path) -> None:
    """In the conductor: every module's tasks into the pool, their results back in order.
    Messages: (module, key, True, value), (module, key, False, traceback text), (module, None, True, None)
    once a module is complete."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the session's to handle
    os.nice(NICE)
    # as conftest.py's session fixture sets them for the tests, which it has not done yet
    os.environ.update(NIANBAO_WARM="0", NIANBAO_PREFECT="ephemeral")
    order: queue.Queue[tuple[str, Any, Future | str | None]] = queue.Queue()

    def sender() -> None:
        while True:
            module, key, what = order.get()
            try:
                if what is None:
                    _send(conn, (module, None, True, None))
                elif isinstance(what, str):
                    _send(conn, (module, key, False, what))
                else:
                    try:
                        value = what.result()
                    except BaseException as e:  # noqa: BLE001 - the task's failure goes back to its fixture
                        # the worker's own traceback comes as the cause, in text (concurrent.futures)
                        text = f"{e.__cause__}\n" if e.__cause__ else ""
                        _send(conn, (module, key, False, text + "".join(traceback.format_exception_only(e))))
                    else:
                        _send(conn, (module, key, True, value))
            finally:
                order.task_done()

    threading.Thread(target=sender, daemon=True).start()
    with ProcessPoolExecutor(WORKERS, mp_context=get_context("fork"), initializer=_worker_init,
                             initargs=(os.getpid(), WORKERS)) as pool:
        for module, work in modules:
            sub = folder / module
            sub.mkdir(parents=True, exist_ok=True)
            try:
                for key, fn, args in work(sub):
                    order.put((module, key, pool.submit(fn, *args)))
            except BaseException:  # noqa: BLE001
                order.put((module, "preparing the documents", traceback.format_exc()))
            order.put((module, None, None))
        order.join()  # every result sent before the pool goes
    conn.close()


@dataclass
class Conductor:
    process: BaseProcess
    conn: Connection
    modules: set[str]
    got: dict[str, list[tuple[Any, bool, Any]]] = field(default_factory=dict)
    complete: set[str] = field(default_factory=set)

    def wait(self, module: str) -> dict[Any, Any]:
        """{key: value} of the module's tasks; pytest.fail with the tracebacks of those that failed."""
        import time

        deadline = time.monotonic() + TIMEOUT_S
        while module not in self.complete:
            if not self.conn.poll(1.0):
                if not self.process.is_alive():
                    pytest.fail(f"background work for {module}: the conductor ended ({self.process.exitcode}) "
                                "before its results were all in", pytrace=False)
                if time.monotonic() > deadline:
                    pytest.fail(f"background work for {module}: no result after {TIMEOUT_S:.0f} s", pytrace=False)
                continue
            try:
                mod, key, ok, value = self.conn.recv()
            except (EOFError, OSError):
                pytest.fail(f"background work for {module}: the conductor closed its pipe", pytrace=False)
            if key is None:
                self.complete.add(mod)
            else:
                self.got.setdefault(mod, []).append((key, ok, value))
        entries = self.got.pop(module, [])
        failed = [f"{key}:\n{value}" for key, ok, value in entries if not ok]
        if failed:
            pytest.fail(f"background work for {module} failed:\n" + "\n".join(failed), pytrace=False)
        return {key: value for key, _, value in entries}

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()  # its workers die with it
        self.process.join(5)
        self.conn.close()


KEY = pytest.StashKey[Conductor]()


def start(config: pytest.Config, modules: list[tuple[str, Work]]) -> None:
    """Fork the conductor for these modules (in the order their tests run)."""
    if not modules:
        return
    folder = config._tmp_path_factory.mktemp("background")  # type: ignore[attr-defined]
    ctx = get_context("fork")
    mine, theirs = ctx.Pipe()
    p = ctx.Process(target=_conduct, args=(theirs, os.getpid(), modules, folder), daemon=False,
                    name="pytest-background")
    p.start()
    theirs.close()
    config.stash[KEY] = Conductor(p, mine, {m for m, _ in modules})


def stop(config: pytest.Config) -> None:
    c = config.stash.get(KEY, None)
    if c is not None:
        c.stop()
        del config.stash[KEY]


def results(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[Any, Any]:
    """The module's background results: from the conductor, or computed here when there is none."""
    module = request.module.__name__
    c = request.config.stash.get(KEY, None)
    if c is not None and module in c.modules:
        return c.wait(module)
    folder = tmp_path_factory.mktemp(module)
    return {key: fn(*args) for key, fn, args in request.module.background_tasks(folder)}


def runs_last(item: pytest.Item) -> bool:
    """Whether the test's module has background work: its tests run after all the others."""
    return callable(getattr(getattr(item, "module", None), "background_tasks", None))


def selected(items: Iterable[pytest.Item]) -> Iterator[tuple[str, Work]]:
    """The modules of these tests that declare background work, once each, in the order they run."""
    seen: set[str] = set()
    for item in items:
        if not runs_last(item) or item.module.__name__ in seen:  # type: ignore[attr-defined]
            continue
        module = item.module  # type: ignore[attr-defined]
        seen.add(module.__name__)
        yield module.__name__, module.background_tasks
