"""Opening a warehouse to read it (the sql, export and inspect commands): read-only, so a query can
never change it, and with a plain reason where it cannot be opened."""

from __future__ import annotations

from pathlib import Path

import duckdb

from extractors.template import load_template
from warehouse.load import connect
from warehouse.views import is_current


class WarehouseError(Exception):
    """The warehouse cannot be opened or read; the message says why in a line."""


def open_read_only(db: str | Path) -> duckdb.DuckDBPyConnection:
    """A warehouse written by an older version first gets this version's views and dictionary (a
    short write), where no other process holds it."""
    path = Path(db)
    if not path.is_file():
        raise WarehouseError(f"{db}: no such warehouse (run `nianbao ingest` first, or pass --db)")
    con = _open(path)
    if not is_current(con, load_template()):
        con.close()
        try:
            connect(path, load_template()).close()
        except duckdb.Error:
            pass  # held by a writer: read what is there
        con = _open(path)
    return con


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    db = str(path)
    try:
        return duckdb.connect(db, read_only=True)
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise WarehouseError(f"{db}: in use by another process (an ingest still running?)") from e
        raise WarehouseError(f"{db}: cannot open: {str(e).splitlines()[0]}") from e
    except duckdb.Error as e:
        raise WarehouseError(f"{db}: not a DuckDB warehouse: {str(e).splitlines()[0]}") from e
