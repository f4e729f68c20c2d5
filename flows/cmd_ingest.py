"""`nianbao ingest PATH_OR_URL... [--db FILE]`"""

from __future__ import annotations

import argparse
import sys

from flows.settings import DEFAULT_DB, prefect_env


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="read files, folders or URLs into the warehouse")
    p.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flows.fetch import expand

    sources = expand(args.inputs)
    if not sources:
        print("nianbao: nothing to ingest", file=sys.stderr)
        return 2
    prefect_env()
    from rich.progress import Progress

    from flows.flows import ingest_batch
    from flows.pipeline import Processed

    bad: list[Processed] = []
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        bar = progress.add_task("ingesting", total=len(sources))

        def done(p: Processed) -> None:
            progress.advance(bar)
            if p.loaded.status == "failed":
                bad.append(p)

        summaries = ingest_batch(sources, args.db, on_done=done)
    for line in summaries:
        print(line)
    for p in bad:
        print(f"nianbao: {p.loaded.source}: {p.loaded.error}", file=sys.stderr)
    return 1 if bad else 0
