"""`nianbao inspect DOC_ID_OR_SOURCE [--db FILE] [--out FILE.html]`: the review page of one document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.settings import DEFAULT_DB


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inspect", help="write a review page (HTML) of one document: tables as read, failed "
                                       "checks highlighted, page crops beside each number")
    p.add_argument("document", metavar="DOC_ID_OR_SOURCE",
                   help="a doc_id (or its first 6+ characters), a source as ingested, or its file name")
    p.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    p.add_argument("--out", type=Path, metavar="FILE.html", help="where to write (default inspect_<doc_id>.html)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from extractors.template import load_template
    from warehouse.inspect import NotFound, write_page
    from warehouse.readonly import WarehouseError, open_read_only

    try:
        con = open_read_only(args.db)
    except WarehouseError as e:
        print(f"nianbao: {e}", file=sys.stderr)
        return 2
    try:
        path = write_page(con, args.document, args.out, load_template())
    except NotFound as e:
        print(f"nianbao: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"nianbao: cannot write the page: {e.strerror or e}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(path)
    return 0
