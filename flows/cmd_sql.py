"""`nianbao sql "SELECT ..." [--db FILE] [--csv | --json]`: a query over the warehouse, printed as a
table (or CSV / JSON for other programs). The warehouse is opened read-only."""

from __future__ import annotations

import argparse
import sys

from flows.settings import DEFAULT_DB


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sql", help="run a query over the warehouse and print the result",
                       description="Tables and views: see docs/warehouse.md (documents, facts, checks, regions, "
                                   "dictionary, facts_long, applications, coverage, ...).")
    p.add_argument("query", metavar="SQL")
    p.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", action="store_true", help="print CSV with a header line")
    out.add_argument("--json", action="store_true", help="print a JSON array of objects")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.readonly import WarehouseError, open_read_only
    from warehouse.render import print_csv, print_json, print_table

    try:
        con = open_read_only(args.db)
    except WarehouseError as e:
        print(f"nianbao: {e}", file=sys.stderr)
        return 2
    try:
        rel = con.execute(args.query)
        if rel.description is None:  # a statement without a result
            return 0
        names = [d[0] for d in rel.description]
        rows = rel.fetchall()
    except duckdb.Error as e:
        print(f"nianbao: {str(e).strip()}", file=sys.stderr)
        return 1
    finally:
        con.close()
    if args.csv:
        print_csv(names, rows)
    elif args.json:
        print_json(names, rows)
    else:
        print_table(names, rows)
    return 0
