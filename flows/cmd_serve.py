"""`nianbao serve [--config portals.toml]`: crawl each portal of the portals file on its cron schedule.

Each portal becomes a deployment of the `crawl_portal` flow, and `prefect.serve` runs them all from
this one process. Why serve and not a work pool with workers: there is no infrastructure to run
(no Docker, no Kubernetes, no worker processes to keep alive), one long-lived process holds the
whole schedule and runs each crawl as a subprocess of itself, and that fits a single analyst's
machine. Runs are limited to one at a time, so two crawls never compete for the DuckDB file (it
takes one writer) or for a portal's patience.

Schedules need a Prefect server with its scheduler service: Prefect's temporary (ephemeral) server
does not schedule, nor does nianbao's quick local server (flows/server.py), which runs as one. (The
scheduler also needs SQLAlchemy < 2.1: with 2.1 Prefect 3.8 fails to insert scheduled runs.) With PREFECT_API_URL set, that server is used; without it, this command starts
`prefect server start` on 127.0.0.1 (port --prefect-port) as its own child process, and stops it on
exit. `--check` only reads the portals file and prints each deployment and its schedule.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.settings import prefect_env

DEFAULT_CONFIG = "portals.toml"
DEFAULT_PREFECT_PORT = 4200
SERVER_START_TIMEOUT = 180.0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="crawl the portals of a portals file on their cron schedules (Prefect)")
    p.add_argument("--config", default=DEFAULT_CONFIG, help=f"portals file (TOML, default {DEFAULT_CONFIG})")
    p.add_argument("--db", default=None, help="warehouse file for every portal (default: as the portals file says)")
    p.add_argument("--check", action="store_true", help="print the deployments and their schedules, serve nothing")
    p.add_argument("--prefect-port", type=int, default=DEFAULT_PREFECT_PORT,
                   help=f"port of the local Prefect server started when PREFECT_API_URL is unset "
                        f"(default {DEFAULT_PREFECT_PORT})")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flows.crawl_config import ConfigError, load_portals

    try:
        portals = load_portals(args.config)
    except ConfigError as e:
        print(f"nianbao: {e}", file=sys.stderr)
        return 2
    prefect_env()
    if args.check:
        from flows.crawl import portal_deployment

        for d in (portal_deployment(p, args.db) for p in portals):
            crons = ", ".join(f"{getattr(s.schedule, 'cron', s.schedule)} ({getattr(s.schedule, 'timezone', '')})"
                              for s in d.schedules or [])
            print(f"{d.name}: {crons}: {' '.join(d.parameters['start_urls'])} -> {d.parameters['db']}")
        return 0
    # a plain `kill` ends the schedule as Ctrl-C does: the local server started here stops with it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with _prefect_server(args.prefect_port, Path(args.db or portals[0].db).parent):
            import prefect

            from flows.crawl import portal_deployment

            prefect.serve(*(portal_deployment(p, args.db) for p in portals), limit=1)
    except ServerError as e:
        print(f"nianbao: {e}", file=sys.stderr)
        return 1
    return 0


class ServerError(RuntimeError):
    pass


@contextmanager
def _prefect_server(port: int, log_dir: Path) -> Iterator[None]:
    """PREFECT_API_URL as set, a Prefect server already listening on `port`, or one started here."""
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    api = f"http://127.0.0.1:{port}/api"
    if _healthy(api):
        os.environ["PREFECT_API_URL"] = api
        yield
        return
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / "prefect-server.log"
    with open(log_path, "ab") as log:
        child = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                  "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(api):
            if child.poll() is not None or time.monotonic() > deadline:
                raise ServerError(f"the Prefect server did not start on port {port}; see {log_path}")
            time.sleep(1.0)
        print(f"nianbao: Prefect server at {api.removesuffix('/api')} (log: {log_path})", file=sys.stderr)
        os.environ["PREFECT_API_URL"] = api
        yield
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()


def _healthy(api: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api}/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False
