"""Opening a warehouse to read it (the sql, export, inspect and site commands): read-only, so a
query can never change it, and with a plain reason where it cannot be opened.

While a writer (an ingest, a crawl) holds the warehouse, DuckDB lets no other process open it, so
readers open its read copy instead (warehouse/read_copy.py): every document committed up to the
writer's last publish. A writer only just started on a new warehouse may not have published yet:
a reader waits a few seconds for it."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import duckdb

from extractors.template import load_template
from warehouse.holder import holder_of, is_lock_error
from warehouse.load import connect
from warehouse.read_copy import read_copy_of
from warehouse.views import is_current

# how long a reader waits for a writer's first read copy
FIRST_COPY_WAIT_S = 10.0


class WarehouseError(Exception):
    """The warehouse cannot be opened or read; the message says why in a line."""


def open_read_only(db: str | Path) -> duckdb.DuckDBPyConnection:
    """A warehouse written by an older version first gets this version's views and dictionary (a
    short write), where no other process holds it."""
    path = Path(db)
    if not path.is_file():
        raise WarehouseError(f"{db}: no such warehouse (run `nianbao ingest` first, or pass --db)")
    con, main = _open(path)
    if main and not is_current(con, load_template()):
        con.close()
        try:
            connect(path, load_template(), wait=False).close()
        except duckdb.Error:
            pass  # held by a writer: read what is there
        con, _ = _open(path)
    return con


def _open(path: Path) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """The warehouse, or its read copy while a writer holds it; True when it is the warehouse."""
    deadline = time.monotonic() + FIRST_COPY_WAIT_S
    held: duckdb.Error
    while True:
        try:
            return _connect(path), True
        except duckdb.ConnectionException as e:  # this very process writes it
            held = e
        except duckdb.IOException as e:
            if not is_lock_error(e):
                raise WarehouseError(f"{path}: cannot open: {str(e).splitlines()[0]}") from e
            held = e
        copy = read_copy_of(path)
        if copy.is_file():
            try:
                con = _connect(copy)
            except duckdb.Error as e:  # a copy is whole or absent; anything else is worth a line
                raise WarehouseError(f"{copy}: cannot open the read copy: {str(e).splitlines()[0]}") from e
            when = dt.datetime.fromtimestamp(copy.stat().st_mtime).strftime("%H:%M:%S")
            print(f"nianbao: {path} is being written by {holder_of(held)}: reading its copy as of {when}",
                  file=sys.stderr, flush=True)
            return con, False
        if time.monotonic() > deadline:
            raise WarehouseError(f"{path}: in use by {holder_of(held)}, which has not published a read copy yet")
        time.sleep(0.1)


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=True)
    except (duckdb.IOException, duckdb.ConnectionException):
        raise
    except duckdb.Error as e:
        raise WarehouseError(f"{path}: not a DuckDB warehouse: {str(e).splitlines()[0]}") from e
