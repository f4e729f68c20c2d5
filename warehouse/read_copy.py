"""The warehouse's read copy: readers never wait for a writer.

DuckDB lets one process hold a database file for writing and then no other process may open it,
not even read-only. So whoever writes (an ingest, a crawl, a reprocess) publishes, after its
commits, a copy of the file beside it (`nianbao.duckdb` -> `nianbao.read.duckdb`): CHECKPOINT (the
file on disk then holds every commit, no WAL), copy it to a temporary name, rename it over the read
copy. A rename is atomic, and a reader that has the old copy open keeps reading it, so readers open
the read copy at any moment and see the warehouse as of the last publish.

The copy reads the file through one descriptor that the writer keeps open until after DuckDB has
closed it: POSIX releases every lock a process holds on a file when it closes any descriptor of that
file, so a plain open-copy-close would hand the warehouse's write lock away.

A copy costs time in proportion to the file (about 20 ms per 1,000 documents), so a writer
publishes after a commit only when the last publish took at most a tenth of the time since
(`Publisher.due`): a small warehouse is published after every document, a large one every few
seconds, and publishing never takes more than a tenth of the writer's time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

# the writer spends at most this share of its time publishing
MAX_SHARE = 0.1


def read_copy_of(db: str | Path) -> Path:
    """data/nianbao.duckdb -> data/nianbao.read.duckdb"""
    p = Path(db)
    return p.with_name(f"{p.stem}.read{p.suffix or '.duckdb'}")


def is_stale(db: str | Path) -> bool:
    """The read copy is missing or older than the warehouse (a writer was killed before publishing)."""
    copy = read_copy_of(db)
    try:
        published = copy.stat().st_mtime_ns
    except FileNotFoundError:
        return True
    for f in (Path(db), Path(f"{db}.wal")):  # commits not yet checkpointed are in the WAL
        try:
            if f.stat().st_mtime_ns > published:
                return True
        except FileNotFoundError:
            pass
    return False


def publish(con: duckdb.DuckDBPyConnection, db: str | Path, fd: int) -> bool:
    """Write the read copy from the warehouse `con` holds for writing, reading it through `fd` (a
    descriptor of the warehouse file that stays open). The caller makes sure nothing writes through
    con meanwhile. False where another transaction of this process is still open (CHECKPOINT refuses
    then; the next publish catches up)."""
    try:
        con.execute("CHECKPOINT")
    except duckdb.TransactionException:
        return False
    copy = read_copy_of(db)
    tmp = copy.with_name(f".{copy.name}.{os.getpid()}.tmp")
    try:
        _copy(fd, tmp)
        os.replace(tmp, copy)
    finally:
        tmp.unlink(missing_ok=True)
    return True


def _copy(fd: int, dst: Path) -> None:
    size = os.fstat(fd).st_size
    with open(dst, "wb") as out:
        done = 0
        while done < size:
            try:
                n = os.copy_file_range(fd, out.fileno(), size - done, done)
            except (AttributeError, OSError):  # not Linux, or a file system without it
                n = out.write(os.pread(fd, min(size - done, 1 << 22), done))
            if n == 0:
                break
            done += n
        # written out here, in the publish's own time: left to the kernel, the copy's pages would be
        # flushed by the writer's next commit (its fsync takes the file system's journal along)
        out.flush()
        os.fsync(out.fileno())


class Publisher:
    """When a writer publishes: after a commit, if the last publish took at most MAX_SHARE of the
    time since it ended."""

    def __init__(self, db: str | Path, clock: Callable[[], float] = time.monotonic) -> None:
        """Open once the writer holds db; close() after the writer has closed it."""
        self.db = str(db)
        self._fd: int | None = os.open(self.db, os.O_RDONLY) if Path(self.db).is_file() else None
        self._clock = clock
        self._last_end: float | None = None
        self._last_cost = 0.0
        # commits not yet in the read copy; a copy older than the warehouse counts as one
        self.pending = is_stale(db) if Path(db).exists() else True

    def due(self) -> bool:
        if not self.pending:
            return False
        if self._last_end is None:
            return True
        return self._clock() - self._last_end >= self._last_cost * (1 - MAX_SHARE) / MAX_SHARE

    def wait_s(self) -> float:
        """Seconds until the pending commits may be published (0: now)."""
        if self._last_end is None:
            return 0.0
        return max(0.0, self._last_end + self._last_cost * (1 - MAX_SHARE) / MAX_SHARE - self._clock())

    def committed(self, con: duckdb.DuckDBPyConnection) -> None:
        """Call after each commit (with nothing else writing through con)."""
        self.pending = True
        if self.due():
            self.publish(con)

    def publish(self, con: duckdb.DuckDBPyConnection) -> None:
        """Publish now. A publish that cannot be done (a transaction still open, a full disk) leaves
        the commits pending, for the next one: the writer's own work goes on regardless."""
        started = self._clock()
        try:
            done = self._fd is not None and publish(con, self.db, self._fd)
        except (OSError, duckdb.Error):
            done = False
        self._last_end = self._clock()
        self._last_cost = max(self._last_end - started, 0.0 if done else 0.01)
        if done:
            self.pending = False

    def close(self) -> None:
        """After the writer's connection is closed (see above)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
