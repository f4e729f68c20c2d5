"""`nianbao export --out DIR [--db FILE] [--format parquet|csv]`: the warehouse as a release folder:
one file per table (or, --partitioned, the large ones as folders partitioned by report year), the
dictionary, metadata.json (schema with comments, row counts, versions, sources) and a README."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.settings import DEFAULT_DB


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write a release: a Parquet or CSV file per table, the "
                                      "dictionary, metadata.json (schema, row counts, versions, sources)")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write (its table folders "
                   "are replaced)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    p.add_argument("--partitioned", action="store_true",
                   help="the large tables as folders partitioned by report year (Hive layout) instead of one file each")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import duckdb

    from extractors.template import load_template
    from warehouse.readonly import WarehouseError, open_read_only
    from warehouse.release import release

    try:
        con = open_read_only(args.db)
    except WarehouseError as e:
        print(f"nianbao: {e}", file=sys.stderr)
        return 2
    try:
        done = release(con, args.out, load_template(), args.format, args.partitioned)
    except (duckdb.Error, OSError) as e:
        print(f"nianbao: export failed: {str(e).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    finally:
        con.close()
    for item in done:
        print(f"{item.name}: {item.rows} rows -> {item.path}")
    print(f"metadata: {args.out / 'metadata.json'}")
    return 0
