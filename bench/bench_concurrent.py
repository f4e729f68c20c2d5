"""Reading while an ingest writes: query latency during a 500-document ingest, how far behind the
ingest the readers are, and what publishing the read copy costs the ingest.

    uv run python bench/bench_concurrent.py [--docs 500] [--workers 2] [--every 0.5]

The documents are the text dumps in ../shared/seeds, each copied --docs / 5 times with bytes of its
own (blank lines appended), so every copy is a document of its own to the warehouse. The ingest runs
twice into a new warehouse each time, as `nianbao ingest FOLDER` (a process of its own,
NIANBAO_WARM=0): first with the read copy (the default) while this process opens the warehouse the
way `nianbao sql` does every --every seconds and counts its documents; then alone, --rounds times
with the read copy and without it (NIANBAO_READ_COPY=0) in turn, for what publishing costs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warehouse.readonly import WarehouseError, open_read_only

SEEDS = ROOT.parent / "shared" / "seeds"


def make_documents(folder: Path, n: int) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(n):
        seed = seeds[i % len(seeds)]
        (folder / f"{i:04d}_{seed.name}").write_bytes(seed.read_bytes() + b"\n" * (i // len(seeds) + 1))


def prefilled(tmp: Path, n: int) -> Path | None:
    """A warehouse holding n synthetic documents (bench_load.fill), copied to each run's path."""
    if not n:
        return None
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_load import fill

    from flows.writer import Writer

    db = tmp / "prefilled" / "w.duckdb"
    with Writer(db, read_copy=False) as writer:
        if writer._views is not None:  # bench only: the views first, as bench_load does
            writer._views.join()
        fill(writer, n)
    return db


def start_from(prefill: Path | None, db: Path) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    if prefill is not None:
        shutil.copyfile(prefill, db)


def ingest(folder: Path, db: Path, workers: int, read_copy: bool) -> tuple[subprocess.Popen[str], list[float]]:
    env = dict(os.environ, NIANBAO_WARM="0", NIANBAO_READ_COPY="1" if read_copy else "0")
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "ingest", str(folder), "--db", str(db),
                             "--workers", str(workers)], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    done: list[float] = []  # when each document's line came

    def read() -> None:
        assert proc.stdout is not None
        for _ in proc.stdout:
            done.append(time.monotonic())

    threading.Thread(target=read, daemon=True).start()
    return proc, done


def check_loaded(db: Path, expected: int) -> None:
    """A run whose ingest failed measures nothing: say so instead of printing its figures."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()
    if not row or row[0] != expected:
        sys.exit(f"bench_concurrent: {db} holds {row[0] if row else 0} documents read, not {expected}: the ingest failed")


def query(db: Path) -> tuple[float, int] | None:
    started = time.monotonic()
    try:
        con = open_read_only(db)
    except WarehouseError:
        return None
    try:
        row = con.execute("SELECT count(*) FROM documents").fetchone()
    finally:
        con.close()
    return time.monotonic() - started, int(row[0]) if row else 0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=500)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--every", type=float, default=0.25, help="seconds between queries")
    p.add_argument("--prefill", type=int, default=0,
                   help="synthetic documents in the warehouse before the ingest (a large warehouse: a larger copy)")
    p.add_argument("--rounds", type=int, default=3, help="runs of the ingest alone, with and without the read copy")
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-bench-concurrent-"))
    docs = tmp / "docs"
    docs.mkdir()
    make_documents(docs, args.docs)
    prefill = prefilled(tmp, args.prefill)

    db = tmp / "with" / "w.duckdb"
    start_from(prefill, db)
    started = time.monotonic()
    proc, done = ingest(docs, db, args.workers, read_copy=True)
    latencies: list[float] = []
    behind: list[int] = []  # documents whose line was printed a second before the query, not yet seen
    failed = 0
    while proc.poll() is None:
        time.sleep(args.every)
        if not db.exists():
            continue
        asked = time.monotonic()
        printed = sum(1 for t in list(done) if t < asked - 1.0)
        got = query(db)
        if got is None:
            failed += 1
            continue
        latencies.append(got[0])
        behind.append(max(0, printed - (got[1] - args.prefill)))
    with_copy = time.monotonic() - started
    check_loaded(db, args.docs + args.prefill)

    def alone(name: str, read_copy: bool) -> tuple[float, float]:
        """Wall seconds, and CPU seconds of the ingest and its workers (less swayed by what else
        the machine runs)."""
        start_from(prefill, tmp / name / "w.duckdb")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        proc, _ = ingest(docs, tmp / name / "w.duckdb", args.workers, read_copy=read_copy)
        proc.wait()
        wall = time.monotonic() - started
        check_loaded(tmp / name / "w.duckdb", args.docs + args.prefill)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    # in turn, so that a drift of the machine's speed falls on both alike
    alone_copy, without = [], []
    for _ in range(args.rounds):
        alone_copy.append(alone(f"copy{len(alone_copy)}", True))
        without.append(alone(f"without{len(without)}", False))

    size = (tmp / "with" / "w.duckdb").stat().st_size / 1e6
    print(f"{args.docs} documents, {args.workers} workers, into a warehouse of {args.prefill} documents;"
          f" {size:.1f} MB at the end:")
    if latencies:
        q = statistics.quantiles(latencies, n=20, method="inclusive")
        print(f"  {len(latencies)} queries during the ingest (open + count): median {statistics.median(latencies) * 1000:.0f} ms,"
              f" 95th percentile {q[18] * 1000:.0f} ms, slowest {max(latencies) * 1000:.0f} ms; {failed} refused")
        print(f"  documents printed a second before a query but not seen by it: at most {max(behind)}")
    print(f"  ingest while queried: {with_copy:.1f} s ({args.docs / with_copy:.1f} documents/s)")
    a, b = statistics.median(w for w, _ in alone_copy), statistics.median(w for w, _ in without)
    ca, cb = statistics.median(c for _, c in alone_copy), statistics.median(c for _, c in without)
    print(f"  ingest alone (median of {args.rounds}), publishing the read copy: {a:.1f} s ({args.docs / a:.1f} documents/s),"
          f" {ca:.1f} s of CPU; NIANBAO_READ_COPY=0: {b:.1f} s ({args.docs / b:.1f} documents/s), {cb:.1f} s of CPU:"
          f" {100 * (a / b - 1):+.1f}% wall, {100 * (ca / cb - 1):+.1f}% CPU")
    print("  rounds (wall s, CPU s): with " + ", ".join(f"({w:.0f}, {c:.0f})" for w, c in alone_copy)
          + "; without " + ", ".join(f"({w:.0f}, {c:.0f})" for w, c in without))


if __name__ == "__main__":
    main()
