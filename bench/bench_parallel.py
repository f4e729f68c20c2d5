"""Documents per second of `ingest_batch` with 1 and 2 worker processes, and the cost per document
against pdfplumber's bare table pass.

    uv run python bench/bench_parallel.py [FOLDER_OR_FILES...] [--workers 1 2] [--rounds 3]

Default input: the fixture PDFs (tests/fixtures/pdf/). Worker counts are measured in turn, --rounds
times, and medians reported: a shared 2-core machine drifts too much for one pass each. Each
measurement is one Prefect flow run in this process (start-up excluded: bench/bench_startup.py
measures that), every document read again (--force) into a new empty warehouse (created, views and
all, before the clock starts: that happens once in a warehouse's life), against the local Prefect
server. Prints:
  - documents/s for each worker count, and the speed-up of 2 workers over 1 (target >= 1.7x);
  - per-document cost (T(all) - T(1)) / (n - 1) for each worker count, against pdfplumber's bare
    `extract_tables` over every page, serially in this process (target <= 1.5x).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.fetch import expand
from flows.settings import prefect_env


def bare_pdfplumber(files: list[str]) -> float:
    import pdfplumber

    started = time.perf_counter()
    for f in files:
        with pdfplumber.open(io.BytesIO(Path(f).read_bytes())) as pdf:
            for page in pdf.pages:
                page.extract_tables()
    return time.perf_counter() - started


def _cpu(pid: int | None) -> float:
    """CPU seconds used so far by a process (the Prefect server), 0 when unknown."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def timed_batch(files: list[str], workers: int, server_pid: int | None = None,
                task_runs: str = "none") -> tuple[float, dict[str, float]]:
    """Wall seconds of one flow run, and the CPU seconds it cost in this process (Prefect, loading),
    in the worker processes and in the Prefect server."""
    import resource

    from flows.flows import ingest_batch, without_heartbeats
    from flows.writer import Writer

    db = Path(tempfile.mkdtemp(prefix="nianbao-bench-")) / "w.duckdb"
    with Writer(db):  # an empty warehouse, its views built: made once in a warehouse's life, not per batch
        pass
    me, kids, srv = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN), _cpu(server_pid)
    started = time.perf_counter()
    with without_heartbeats():  # as nianbao ingest runs it
        ingest_batch(files, str(db), workers=workers, force=True, task_runs=task_runs)
    wall = time.perf_counter() - started
    me2, kids2 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = {"flow process": me2.ru_utime + me2.ru_stime - me.ru_utime - me.ru_stime,
           "workers": kids2.ru_utime + kids2.ru_stime - kids.ru_utime - kids.ru_stime,
           "server": _cpu(server_pid) - srv}
    return wall, cpu


def _median(xs: list[float]) -> float:
    return statistics.median(xs)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="*", default=[str(ROOT / "tests" / "fixtures" / "pdf")])
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    p.add_argument("--rounds", type=int, default=3,
                   help="measure every worker count this many times, interleaved (this machine's speed "
                        "drifts by 20%% over a minute), and report medians")
    p.add_argument("--task-runs", choices=["none", "document", "step"], default="none",
                   help="Prefect task runs per document (as nianbao ingest --task-runs)")
    args = p.parse_args()
    files = [f for f in expand(args.inputs) if f.lower().endswith(".pdf")] or expand(args.inputs)
    if len(files) < 2:
        sys.exit("need at least two documents")
    prefect_env()
    from flows import launch

    st = launch.settle_api()
    launch.api_ready(st)
    server_pid = st.pid if st else None
    import flows.flows  # noqa: F401 - import time is start-up, not per-document cost
    from flows.parallel import preload

    preload()  # the extractors' imports, as in nianbao's pre-loaded process
    timed_batch(files[:1], 1)  # first flow run of the process pays Prefect's lazy set-up
    n = len(files)
    print(f"{n} documents, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
          f"task runs per document: {args.task_runs}, {args.rounds} interleaved round(s)")
    bare: list[float] = []
    rates: dict[int, list[float]] = {w: [] for w in args.workers}
    per_doc: dict[int, list[float]] = {w: [] for w in args.workers}
    cpu: dict[int, list[dict[str, float]]] = {w: [] for w in args.workers}
    for r in range(args.rounds):
        bare.append(bare_pdfplumber(files) / n)
        line = [f"round {r + 1}: pdfplumber {bare[-1]:.3f} s/doc"]
        for w in args.workers:
            t_all, cpu_all = timed_batch(files, w, server_pid, args.task_runs)
            t_one, cpu_one = timed_batch(files[:1], w, server_pid, args.task_runs)
            rates[w].append(n / t_all)
            per_doc[w].append((t_all - t_one) / (n - 1))
            cpu[w].append({k: (cpu_all[k] - cpu_one[k]) / (n - 1) for k in cpu_all})
            line.append(f"workers={w} {t_all:.2f} s = {rates[w][-1]:.2f} docs/s")
        if 1 in rates and 2 in rates:
            line.append(f"2 over 1: {rates[2][-1] / rates[1][-1]:.2f}x")
        print("; ".join(line), flush=True)
    b = _median(bare)
    print(f"median over rounds; pdfplumber extract_tables alone: {b:.3f} s per document")
    for w in args.workers:
        d = _median(per_doc[w])
        print(f"workers={w}: {_median(rates[w]):.2f} documents/s; per document (T{n} - T1)/{n - 1} = "
              f"{d:.3f} s = {d / b:.2f}x pdfplumber")
        print("    CPU per document: " + ", ".join(
            f"{k} {_median([c[k] for c in cpu[w]]):.3f} s" for k in cpu[w][0]))
    if 1 in rates and 2 in rates:
        # each round's two runs are minutes apart at most, so their ratio is the fair one
        ratios = [two / one for one, two in zip(rates[1], rates[2], strict=True)]
        print(f"speed-up 2 workers over 1: {_median(ratios):.2f}x, the median of the rounds' "
              f"{', '.join(f'{r:.2f}' for r in ratios)} (target >= 1.7x)")


if __name__ == "__main__":
    main()
