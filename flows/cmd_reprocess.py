"""`nianbao reprocess [--db FILE] [--all | --older-than-current]`: re-run extraction over the stored
originals (default: the documents an older pipeline version wrote), replacing each atomically."""

from __future__ import annotations

import argparse
import sys

from flows.settings import DEFAULT_DB, prefect_env


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reprocess", help="re-read stored originals with this pipeline version")
    p.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--all", dest="scope", action="store_const", const="all", help="every document")
    which.add_argument("--older-than-current", dest="scope", action="store_const", const="older",
                       help="documents written by an older pipeline version (the default)")
    p.set_defaults(func=run, scope="older")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    if not Path(args.db).is_file():
        print(f"nianbao: {args.db}: no such warehouse", file=sys.stderr)
        return 2
    prefect_env()
    import duckdb

    from flows.flows import without_heartbeats
    from flows.pipeline import BEHIND_LINK
    from flows.reprocess import Outcome, reprocess, select

    try:
        if not select(args.db, args.scope):
            print("nothing to reprocess")
            return 0
    except duckdb.Error as e:
        print(f"nianbao: {args.db}: {str(e).strip().splitlines()[0]}", file=sys.stderr)
        return 2
    bad: list[Outcome] = []

    def done(o: Outcome) -> None:
        # one line per document as it is replaced, so a stopped run shows how far it got
        print(o.summary(), flush=True)
        if o.processed is None or o.processed.loaded.status in ("failed", BEHIND_LINK):
            bad.append(o)

    with without_heartbeats():
        reprocess(args.db, args.scope, on_done=done)
    for o in bad:
        why = o.error if o.processed is None else o.processed.loaded.error
        print(f"nianbao: {o.doc.source}: {why}", file=sys.stderr)
    return 1 if bad else 0
