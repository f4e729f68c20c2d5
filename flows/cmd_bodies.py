"""`nianbao bodies import FILE.csv [--db FILE]`: the registry of the bodies that must publish
(warehouse/bodies.py), which the site's coverage matrix holds the reports against."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.settings import DEFAULT_DB


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bodies", help="the registry of bodies that must publish (for the coverage matrix)")
    verbs = p.add_subparsers(dest="verb", required=True)
    imp = verbs.add_parser("import", help="replace the registry with a CSV: name, division_code, "
                                          "[credit_code (统一社会信用代码)], [portal]")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    imp.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    from extractors.template import load_template
    from warehouse.bodies import RegistryError, read_csv, store
    from warehouse.load import connect
    from warehouse.read_copy import Publisher

    try:
        bodies = read_csv(args.file)
    except RegistryError as e:
        print(f"nianbao: {e}", file=sys.stderr)
        return 2
    con = connect(args.db, load_template())
    publisher = Publisher(args.db)
    try:
        store(con, bodies)
        publisher.publish(con)
        resolved = con.execute("SELECT count(*) FROM bodies WHERE agency_key IS NOT NULL").fetchone()
    finally:
        con.close()
        publisher.close()
    print(f"{args.db}: {len(bodies)} bodies in the registry ({resolved[0] if resolved else 0} with a place read "
          "from the name)")
    return 0
