"""The warehouse as files for other tools: Parquet or CSV, one folder per table, partitioned by report
year (Hive layout: facts_long/year=2024/data_0.parquet), written by DuckDB's COPY ... PARTITION_BY.
Documents without a year (those that failed) land in year=NULL. The dictionary and rules are small
and unpartitioned."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

FORMATS = ("parquet", "csv")

# name -> query; every one has a year column to partition by
PARTITIONED = {
    "facts_long": "SELECT * FROM facts_long",
    "reports": "SELECT * FROM reports",
    "checks": "SELECT c.*, p.agency, p.year FROM checks c JOIN reports p USING (doc_id)",
    "active_disclosure": "SELECT * FROM active_disclosure",
    "applications": "SELECT * FROM applications",
    "review_litigation": "SELECT * FROM review_litigation",
}
WHOLE = {
    "dictionary": "SELECT * FROM dictionary ORDER BY table_id, position",
    "rules": "SELECT * FROM rules ORDER BY rule_id",
}


@dataclass(frozen=True)
class Exported:
    name: str
    rows: int
    path: Path


def _options(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    return "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"


def _sql_path(p: Path) -> str:
    return "'" + str(p).replace("'", "''") + "'"


def _count(con: duckdb.DuckDBPyConnection, query: str) -> int:
    row = con.execute(f"SELECT count(*) FROM ({query})").fetchone()
    return int(row[0]) if row else 0


def export(con: duckdb.DuckDBPyConnection, out: Path, fmt: str = "parquet") -> list[Exported]:
    """Write every table and view analysts use under out/, replacing what an earlier export left there."""
    opts = _options(fmt)
    out.mkdir(parents=True, exist_ok=True)
    done = []
    for name, query in PARTITIONED.items():
        rows = _count(con, query)
        path = out / name
        if rows:
            con.execute(f"COPY ({query}) TO {_sql_path(path)} ({opts}, PARTITION_BY (year), OVERWRITE)")
        elif path.is_dir():  # an empty COPY with PARTITION_BY writes nothing: leave no stale rows behind
            shutil.rmtree(path)
        done.append(Exported(name, rows, path))
    for name, query in WHOLE.items():
        path = out / f"{name}.{fmt}"
        con.execute(f"COPY ({query}) TO {_sql_path(path)} ({opts})")
        done.append(Exported(name, _count(con, query), path))
    return done
