"""`nianbao server start|stop|status`: the background processes that make commands start fast.

`start` starts nianbao's local Prefect server (flows/server.py) if none is running; `ingest` does
that by itself, so this is only to pay the start-up ahead. `stop` stops the server and the
pre-loaded processes (flows/warm.py); `status` says what runs.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("server", help="the local Prefect server and pre-loaded processes (start, stop, status)")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flows import server, warm
    from flows.settings import prefect_env

    prefect_env()
    if args.action == "start":
        try:
            print(f"local Prefect server at {server.ensure().url}")
        except server.ServerError as e:
            print(f"nianbao: {e}")
            return 1
    elif args.action == "stop":
        print("local Prefect server: " + ("stopped" if server.stop() else "was not running"))
        print(f"pre-loaded processes: {warm.stop_all()} stopped")
    else:
        print(server.describe())
        print(warm.describe())
    return 0
