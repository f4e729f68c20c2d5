"""Wall time of a whole `nianbao ingest ONE_FILE` command, start-up included.

    uv run python bench/bench_startup.py [FILE] [--repeat 3]

Runs the command as a user would (a new process each time) in four set-ups:
  cold       no local Prefect server and no pre-loaded process: the command starts both
  warm       both already running (the usual case after the first command)
  server     server running, pre-loaded process off (NIANBAO_WARM=0): Python and Prefect start-up
  temporary  NIANBAO_PREFECT=ephemeral NIANBAO_WARM=0: Prefect's temporary server, as before
It uses its own PREFECT_HOME (in the temp folder, kept between runs so Prefect's database is migrated
once) and stops what it started at the end. The target: warm under 3 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "tests" / "fixtures" / "pdf" / "p01_town_2021.pdf"
HOME = Path(tempfile.gettempdir()) / f"nianbao-bench-{os.getuid()}" / "prefect"


def nianbao(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "flows.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"nianbao {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return elapsed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    db = Path(tempfile.mkdtemp(prefix="nianbao-bench-")) / "w.duckdb"
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "NIANBAO_WARM", "NIANBAO_PREFECT")}
    env["PREFECT_HOME"] = str(HOME)
    ingest = ["ingest", args.file, "--db", str(db), "--force"]

    def stop_all() -> None:
        subprocess.run([sys.executable, "-c", "from flows import server, warm; server.stop(); warm.stop_all()"],
                       env=env, cwd=ROOT, capture_output=True, check=False)

    if not (HOME / "prefect.db").exists():
        print("first use of the bench's PREFECT_HOME: migrating Prefect's database once (not timed)", flush=True)
        nianbao(ingest, env)
    results: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        stop_all()
        results.setdefault("cold", []).append(nianbao(ingest, env))
        results.setdefault("warm", []).append(nianbao(ingest, env))
        results.setdefault("server", []).append(nianbao(ingest, {**env, "NIANBAO_WARM": "0"}))
        results.setdefault("temporary", []).append(
            nianbao(ingest, {**env, "NIANBAO_WARM": "0", "NIANBAO_PREFECT": "ephemeral"}))
    stop_all()
    print(f"nianbao ingest {Path(args.file).name} (wall seconds, {args.repeat} runs, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f})")
    for name, times in results.items():
        print(f"  {name:10s} median {statistics.median(times):6.2f}   min {min(times):6.2f}   max {max(times):6.2f}")


if __name__ == "__main__":
    main()
