"""The export as a release (`nianbao export --out DIR`): besides the tables (warehouse/export.py),
`metadata.json` (the schema of every table with each column's type and comment, row counts, the
pipeline and nianbao versions, the template, and where the documents came from) and a README
saying how DuckDB, pandas and polars read it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib import metadata as pkg
from pathlib import Path

import duckdb

from extractors.template import Template
from warehouse.comments import TABLES, comment_of
from warehouse.export import Exported, export
from warehouse.schema import PIPELINE_VERSION

README = """# nianbao release

Facts read from government information-disclosure annual reports (政府信息公开工作年度报告, template
国办公开办函〔2021〕30号) by nianbao {nianbao} (pipeline {pipeline}), {created}.
`metadata.json` describes every table: its columns with their types and meanings, its row count,
and where the documents came from. `dictionary.{ext}` names every template cell in Chinese.

{layout}

{readers}
"""

PARQUET_READERS = """```
-- DuckDB
SELECT * FROM read_parquet('facts_long.parquet');
SELECT * FROM 'dictionary.parquet';
```

```python
import pandas as pd                           # with pyarrow
facts = pd.read_parquet("facts_long.parquet")
import polars as pl
facts = pl.read_parquet("facts_long.parquet")
```
"""

CSV_READERS = """```
-- DuckDB
SELECT * FROM read_csv('facts_long.csv');
```
"""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    comment: str


def _columns(con: duckdb.DuckDBPyConnection, name: str, query: str) -> list[Column]:
    """The columns the export wrote for name, each with the comment the warehouse gives it."""
    described = con.execute(f"DESCRIBE ({query})").fetchall()
    known = dict(con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main'",
        [name]).fetchall())
    return [Column(col, str(typ), known.get(col) or comment_of(name, col) or comment_of("reports", col) or "")
            for col, typ, *_ in described]


def _table_comment(con: duckdb.DuckDBPyConnection, name: str) -> str:
    row = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ? UNION ALL "
                      "SELECT comment FROM duckdb_views() WHERE view_name = ?", [name, name]).fetchone()
    return (row[0] if row and row[0] else None) or TABLES.get(name, ("",))[0]


def sources(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Where the documents came from: hosts (URLs) and files, and the portals crawled."""
    hosts = con.execute("SELECT coalesce(host, '(files)'), count(*), count(*) FILTER (WHERE status = 'ok') "
                        "FROM reports GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    out: dict[str, object] = {"origins": [{"host": h, "documents": n, "reports_read": ok} for h, n, ok in hosts]}
    has_log = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'crawl_log'").fetchone()
    if has_log and has_log[0]:
        out["portals"] = [{"portal": p, "urls": n, "first_crawl": str(a), "last_crawl": str(b)}
                          for p, n, a, b in con.execute(
                              "SELECT coalesce(portal, '(no portal name)'), count(DISTINCT url), min(fetched_at),"
                              " max(fetched_at) FROM crawl_log GROUP BY 1 ORDER BY 1").fetchall()]
    return out


def release(con: duckdb.DuckDBPyConnection, out: Path, template: Template, fmt: str = "parquet",
            partitioned: bool = False) -> list[Exported]:
    done = export(con, out, fmt, partitioned)
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    try:
        version = pkg.version("nianbao")
    except pkg.PackageNotFoundError:
        version = "unknown"
    years = [y for (y,) in con.execute("SELECT DISTINCT year FROM documents WHERE year IS NOT NULL ORDER BY 1").fetchall()]
    docs = con.execute("SELECT count(*), count(*) FILTER (WHERE status = 'ok') FROM documents").fetchone() or (0, 0)
    tables = []
    for item in done:
        tables.append({
            "name": item.name,
            "path": str(item.path.relative_to(out)) + ("/" if item.path.is_dir() else ""),
            "layout": "folder partitioned by year (Hive)" if item.path.is_dir() else "single file",
            "rows": item.rows,
            "comment": _table_comment(con, item.name),
            "columns": [c.__dict__ for c in _columns(con, item.name, item.query)],
        })
    meta = {
        "title": "nianbao: government information-disclosure annual reports as facts",
        "created_at": created,
        "nianbao_version": version,
        "pipeline_version": PIPELINE_VERSION,
        "duckdb_version": duckdb.__version__,
        "template": template.name,
        "format": fmt,
        "documents": docs[0],
        "reports_read": docs[1],
        "years": years,
        "sources": sources(con),
        "tables": tables,
    }
    (out / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    readers = PARQUET_READERS if fmt == "parquet" else CSV_READERS
    if partitioned:
        layout = (f"The large tables are folders partitioned by report year (`facts_long/year=2024/data_0.{fmt}`;"
                  " documents without a year under `year=__HIVE_DEFAULT_PARTITION__`), the small ones single files.")
        readers = readers.replace("'facts_long.parquet'", "'facts_long/*/*.parquet', hive_partitioning = true")
        readers = readers.replace('"facts_long.parquet"', '"facts_long"  # pandas: only while every document has a year')
    else:
        layout = f"Every table is one file (`facts_long.{fmt}`), its rows in year order."
    (out / "README.md").write_text(README.format(nianbao=version, pipeline=PIPELINE_VERSION, created=created,
                                                 ext=fmt, readers=readers, layout=layout), encoding="utf-8")
    return done
