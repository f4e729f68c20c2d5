"""The `nianbao` command."""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_DB = "data/nianbao.duckdb"


def _prefect_env() -> None:
    """Quiet, offline-friendly Prefect defaults; anything the user set wins."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")


def cmd_ingest(args: argparse.Namespace) -> int:
    from flows.fetch import expand

    sources = expand(args.inputs)
    if not sources:
        print("nianbao: nothing to ingest", file=sys.stderr)
        return 2
    _prefect_env()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nianbao", description="Annual reports (政府信息公开工作年度报告) to facts in DuckDB")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="read files, folders or URLs into the warehouse")
    p.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    p.set_defaults(func=cmd_ingest)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
