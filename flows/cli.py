"""The `nianbao` command: one subcommand per module, each exposing `register(subparsers)`.

Subcommand modules are imported only when the parser is built, and heavy imports (Prefect, DuckDB,
OCR) happen inside the command functions, so `nianbao --help` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# module path of each subcommand; every module defines register(subparsers)
COMMANDS = [
    "flows.cmd_ingest",
    "flows.cmd_sql",
    "flows.cmd_export",
    "flows.cmd_reprocess",
    "flows.cmd_inspect",
    "flows.cmd_site",
    "flows.cmd_bodies",
    "flows.cmd_crawl",
    "flows.cmd_serve",
    "flows.cmd_server",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nianbao", description="Annual reports (政府信息公开工作年度报告) to verified facts in DuckDB")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("nianbao: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
