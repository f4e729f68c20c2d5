"""`nianbao ingest PATH_OR_URL... [--db FILE] [--workers N] [--timeout S] [--force]`

Start-up is most of a small command's time, so before anything heavy is imported: the Prefect API
is settled (PREFECT_API_URL, else nianbao's local server, flows/server.py, started once in the
background), then the command is handed to the pre-loaded background process (flows/warm.py),
which runs it exactly as below. NIANBAO_PREFECT=ephemeral and NIANBAO_WARM=0 opt out of each.
"""

from __future__ import annotations

import argparse
import sys

from flows.settings import DEFAULT_DB, DEFAULT_TIMEOUT_S, default_workers, prefect_env


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="read files, folders or URLs into the warehouse")
    p.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help=f"worker processes reading documents (default: the number of cores, {default_workers()}); "
                        "0 reads in this process, without a time limit")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="S",
                   help=f"seconds one document may take before it is recorded failed (default {DEFAULT_TIMEOUT_S:g}; "
                        "0: no limit)")
    p.add_argument("--force", action="store_true",
                   help="read documents again even if this pipeline version already loaded the same bytes")
    p.add_argument("--task-runs", choices=["none", "document", "step"], default="none",
                   help="Prefect task runs per document: none (default: the flow run, with a log line per failed "
                        "document), one, or one per step (detect, extract, reconcile, check, load); each task run "
                        "costs some 60 ms of CPU")
    p.add_argument("--dask", nargs="?", const="local", default=None, metavar="ADDRESS",
                   help="read on a Dask cluster (the scheduler at ADDRESS, or a local cluster of --workers processes "
                        "when none is given), each worker writing Parquet, then merge into the warehouse")
    p.add_argument("--parquet", default=None, metavar="DIR",
                   help="where Dask workers write their Parquet (shared storage on many machines; "
                        "default: parquet/ beside the warehouse)")
    p.set_defaults(func=run)


def argv_of(args: argparse.Namespace) -> list[str]:
    """The command line that parses back to args (for the pre-loaded process)."""
    out = ["ingest", *args.inputs, "--db", args.db, "--timeout", repr(args.timeout)]
    if args.workers is not None:
        out += ["--workers", str(args.workers)]
    if args.force:
        out.append("--force")
    if args.task_runs != "none":
        out += ["--task-runs", args.task_runs]
    if args.dask is not None:
        out += ["--dask", args.dask]
    if args.parquet:
        out += ["--parquet", args.parquet]
    return out


def run(args: argparse.Namespace) -> int:
    from flows.fetch import expand

    sources = expand(args.inputs)
    if not sources:
        print("nianbao: nothing to ingest", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 0:
        print("nianbao: --workers must be 0 or more", file=sys.stderr)
        return 2
    from flows import launch

    rc = launch.delegate(argv_of(args))
    if rc is not None:
        return rc
    return ingest_here(args, sources)


def ingest_here(args: argparse.Namespace, sources: list[str]) -> int:
    prefect_env()
    if args.dask is not None:
        return ingest_on_dask(args, sources)
    from flows.flows import ingest_batch, without_heartbeats
    from flows.pipeline import BEHIND_LINK, Processed

    bad: list[Processed] = []
    progress = None
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        progress = Progress(console=Console(stderr=True), transient=True)
        progress.start()
        bar = progress.add_task("ingesting", total=len(sources))

    def done(p: Processed) -> None:
        if progress is not None:
            progress.advance(bar)
        print(p.summary(), flush=True)
        if p.loaded.status in ("failed", BEHIND_LINK):  # a report not reached is a report not processed
            bad.append(p)

    try:
        with without_heartbeats():
            ingest_batch(sources, args.db, on_done=done, workers=args.workers, timeout_s=args.timeout or None,
                         force=args.force, task_runs=args.task_runs)
    finally:
        if progress is not None:
            progress.stop()
    for p in bad:
        print(f"nianbao: {p.loaded.source}: {p.loaded.error}", file=sys.stderr)
    if bad:
        print(f"nianbao: {len(bad)} of {len(sources)} document(s) could not be processed", file=sys.stderr)
    return 1 if bad else 0



def ingest_on_dask(args: argparse.Namespace, sources: list[str]) -> int:
    from pathlib import Path

    from flows.scaleout import run_scaleout

    out_dir = args.parquet or str(Path(args.db).resolve().parent / "parquet")
    address = None if args.dask == "local" else args.dask
    written = run_scaleout(sources, args.db, out_dir, address, args.workers or default_workers(), args.force)
    for w in written:
        print(w.summary, flush=True)
    bad = [w for w in written if w.failed]
    for w in bad:
        print(f"nianbao: {w.summary.replace(': FAILED ', ': ', 1)}", file=sys.stderr)
    if bad:
        print(f"nianbao: {len(bad)} of {len(sources)} document(s) could not be processed", file=sys.stderr)
    return 1 if bad else 0
