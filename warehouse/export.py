"""The warehouse as files for other tools: Parquet or CSV, one folder per table, partitioned by report
year (Hive layout: facts_long/year=2024/data_0.parquet), written by DuckDB's COPY ... PARTITION_BY.
Documents without a year (those that failed) land in year=NULL. The dictionary, rules, coverage and
(where the warehouse has them) the crawl log and the registry of bodies are small and unpartitioned.
warehouse/release.py adds what makes the folder a release: its metadata and a README."""

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
    "prose_facts": "SELECT x.*, p.agency, p.year FROM prose_facts x JOIN reports p USING (doc_id)",
}
WHOLE = {
    "dictionary": "SELECT * FROM dictionary ORDER BY table_id, position",
    "rules": "SELECT * FROM rules ORDER BY rule_id",
    "coverage_years": "SELECT * FROM coverage_years ORDER BY province, city, county, agency_key",
}
# tables a warehouse has only once something wrote them: a crawl, a registry import
OPTIONAL = {
    "crawl_log": "SELECT * FROM crawl_log ORDER BY fetched_at, url",
    "bodies": "SELECT * FROM bodies ORDER BY division_code, name",
}


@dataclass(frozen=True)
class Exported:
    name: str
    rows: int
    path: Path
    query: str = ""


def _options(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    return "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"


def _sql_path(p: Path) -> str:
    return "'" + str(p).replace("'", "''") + "'"


def _count(con: duckdb.DuckDBPyConnection, query: str) -> int:
    row = con.execute(f"SELECT count(*) FROM ({query})").fetchone()
    return int(row[0]) if row else 0


def export(con: duckdb.DuckDBPyConnection, out: Path, fmt: str = "parquet", partitioned: bool = True) -> list[Exported]:
    """Write every table and view analysts use under out/, replacing what an earlier export left there.
    partitioned=False writes each table as one file, its rows in year order (Parquet's row-group
    statistics still let a reader skip the other years)."""
    opts = _options(fmt)
    out.mkdir(parents=True, exist_ok=True)
    done = []
    for name, query in PARTITIONED.items():
        rows = _count(con, query)
        if not partitioned:
            path = out / f"{name}.{fmt}"
            con.execute(f"COPY (SELECT * FROM ({query}) ORDER BY year NULLS LAST) TO {_sql_path(path)} ({opts})")
            if (out / name).is_dir():  # an earlier partitioned export's folder
                shutil.rmtree(out / name)
            done.append(Exported(name, rows, path, query))
            continue
        path = out / name
        if (out / f"{name}.{fmt}").is_file():  # an earlier export's single file
            (out / f"{name}.{fmt}").unlink()
        if rows:
            con.execute(f"COPY ({query}) TO {_sql_path(path)} ({opts}, PARTITION_BY (year), OVERWRITE)")
        elif path.is_dir():  # an empty COPY with PARTITION_BY writes nothing: leave no stale rows behind
            shutil.rmtree(path)
        done.append(Exported(name, rows, path, query))
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
    whole = WHOLE | {name: query for name, query in OPTIONAL.items() if name in present}
    for name, query in whole.items():
        path = out / f"{name}.{fmt}"
        con.execute(f"COPY ({query}) TO {_sql_path(path)} ({opts})")
        done.append(Exported(name, _count(con, query), path, query))
    return done
