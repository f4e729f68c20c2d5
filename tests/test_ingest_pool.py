"""Worker processes (flows/parallel.py): calls run elsewhere, a call past its time limit or a dying
worker costs that call only, and workers never outlive the process that started them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.parallel import TimedOut, WorkerDied, WorkerPool

ROOT = Path(__file__).resolve().parents[1]


def _pid() -> int:
    return os.getpid()


def _fail(message: str) -> None:
    raise ValueError(message)


def _allocate(mb: int) -> int:
    return len(bytearray(mb * 2**20))


def _frozen() -> int:
    import gc

    return gc.get_freeze_count()


def test_calls_run_in_worker_processes() -> None:
    with WorkerPool(2) as pool:
        assert pool.call(_pid) != os.getpid()


def test_workers_leave_what_they_inherit_out_of_garbage_collection() -> None:
    import gc

    with WorkerPool(1) as pool:
        assert pool.call(_frozen) > 0  # inherited objects sit in the permanent generation
        assert gc.get_freeze_count() == 0  # the parent collects as before


def test_an_exception_in_a_worker_comes_back_as_itself() -> None:
    with WorkerPool(1) as pool, pytest.raises(ValueError, match="bad bytes"):
        pool.call(_fail, "bad bytes")


def test_a_call_past_its_time_limit_is_killed_and_the_pool_goes_on() -> None:
    with WorkerPool(1) as pool:
        before = pool.call(_pid)
        started = time.monotonic()
        with pytest.raises(TimedOut):
            pool.call(time.sleep, 30, timeout=0.5)
        assert time.monotonic() - started < 10
        after = pool.call(_pid)
        assert after != before  # a fresh worker took the killed one's place


def test_a_worker_that_dies_fails_its_call_only() -> None:
    with WorkerPool(1) as pool:
        with pytest.raises(WorkerDied, match="exit status 7"):
            pool.call(os._exit, 7)
        assert pool.call(_pid) > 0


def _data_mb() -> int:
    """This process's data segment (a forked worker starts with it; the limit counts it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmData:"):
            return int(line.split()[1]) // 1024
    return 0


def test_a_worker_past_its_memory_limit_gets_memory_error() -> None:
    with WorkerPool(1, memory_mb=_data_mb() + 300) as pool:
        with pytest.raises(MemoryError):
            pool.call(_allocate, 1000)
        assert pool.call(_allocate, 10) == 10 * 2**20


def test_workers_die_with_the_process_that_started_them() -> None:
    script = ("import sys, time\nfrom flows.parallel import WorkerPool, pid_of_workers\n"
              "pool = WorkerPool(2).__enter__()\nprint(*pid_of_workers(pool), flush=True)\ntime.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert parent.stdout is not None
    workers = [int(p) for p in parent.stdout.readline().split()]
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.05)
    assert len(workers) == 2 and not any(_alive(p) for p in workers)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1] != "Z"
    except OSError:
        return False
