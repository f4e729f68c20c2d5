"""Opening the warehouse to write, waiting for another writer: DuckDB refuses a second process
with a lock error; here the second one says once what it waits for (the process DuckDB names, with
its command line) and tries again until that one lets go."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

_PID = re.compile(r"\(PID (\d+)\)")
POLL_S = 0.5


def is_lock_error(e: BaseException) -> bool:
    return isinstance(e, duckdb.IOException) and "lock" in str(e).lower()


def holder_of(e: BaseException) -> str:
    """'PID 123 (nianbao ingest data/samples)' from DuckDB's lock error, as far as it says."""
    m = _PID.search(str(e))
    if not m:
        return "another process"
    pid = m.group(1)
    try:
        argv = [a.decode(errors="replace") for a in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if a]
    except OSError:
        argv = []
    return f"PID {pid} ({_short(argv)})" if argv else f"PID {pid}"


def _short(argv: list[str]) -> str:
    """`/venv/bin/python3 /venv/bin/nianbao ingest x` reads better as `nianbao ingest x`."""
    names = ["nianbao" if a == "flows.cli" else Path(a).name for a in argv]  # python -m flows.cli
    start = next((i for i, n in enumerate(names) if n in ("nianbao", "prefect", "pytest")), 0)
    cmd = " ".join(" ".join([names[start], *argv[start + 1:]]).split())
    return cmd if len(cmd) <= 120 else cmd[:117] + "..."


def open_for_writing(db: str | Path, wait: bool = True,
                     say: Callable[[str], None] | None = None,
                     sleep: Callable[[float], None] = time.sleep) -> duckdb.DuckDBPyConnection:
    """duckdb.connect(db), waiting (wait=True) while another process holds the file; `say` gets the
    one line saying what it waits for (default: stderr)."""
    said = False
    while True:
        try:
            return duckdb.connect(str(db))
        except duckdb.IOException as e:
            if not wait or not is_lock_error(e):
                raise
            if not said:
                line = f"nianbao: {db} is in use by {holder_of(e)}: waiting for it to finish"
                (say or _stderr)(line)
                said = True
        sleep(POLL_S)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
