"""Inserting many rows at once."""

from __future__ import annotations

import duckdb


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[list[object]],
                names: list[str] | None = None) -> None:
    """All rows in one statement, passed column-wise and unnested side by side: DuckDB's
    executemany costs about a millisecond a row, a wide multi-row VALUES list binds slowly. With
    `names`, the values go to those columns, whatever the table's order."""
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    select = ", ".join(f"unnest(${k + 1})" for k in range(len(columns)))
    into = f"{table} ({', '.join(names)})" if names else table
    con.execute(f"INSERT INTO {into} SELECT {select}", columns)
