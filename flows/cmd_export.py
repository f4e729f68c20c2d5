"""`nianbao export --out DIR [--db FILE] [--format parquet|csv]`: the warehouse as files, one folder
per table partitioned by report year."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.settings import DEFAULT_DB


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write the warehouse's tables as Parquet or CSV, partitioned by year")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write (its table folders "
                   "are replaced)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.export import export
    from warehouse.readonly import WarehouseError, open_read_only

    try:
        con = open_read_only(args.db)
    except WarehouseError as e:
        print(f"nianbao: {e}", file=sys.stderr)
        return 2
    try:
        done = export(con, args.out, args.format)
    except (duckdb.Error, OSError) as e:
        print(f"nianbao: export failed: {str(e).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    finally:
        con.close()
    for item in done:
        print(f"{item.name}: {item.rows} rows -> {item.path}")
    return 0
