"""Seconds to load one document into a warehouse that already holds many: the batch's one writer
must not slow down as a national crawl fills the warehouse.

    uv run python bench/bench_load.py [--sizes 1000 20000 100000] [--docs 10]

For each size, a warehouse is filled with that many synthetic documents (180 facts and 10 checks
each, 5000 agencies over five years, written in bulk by SQL, not timed), then --docs real fixture
reports (read once, before timing) are loaded one transaction each, as `nianbao ingest` does, and
the mean seconds per document printed, with the slowest statement of the load.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.pipeline import Processed, process_bundled
from flows.writer import Writer


def fill(writer: Writer, n: int) -> None:
    con = writer.con
    con.execute("BEGIN TRANSACTION")
    con.execute("INSERT INTO documents (doc_id, source, agency, year, status) SELECT sha256(i::VARCHAR), 'synthetic/' || i,"
                " 'agency' || (i % 5000), 2020 + i % 5, 'ok' FROM range(?) t(i)", [n])
    con.execute("INSERT INTO regions (doc_id, agency, status, agency_key) SELECT sha256(i::VARCHAR),"
                " 'agency' || (i % 5000), 'unresolved', 'k' || (i % 5000) FROM range(?) t(i)", [n])
    con.execute("INSERT INTO facts (doc_id, table_id, row_id, col_id, value, method) SELECT sha256(i::VARCHAR),"
                " 'applications', 'r' || j, 'c' || (j % 7), j, 'text' FROM range(?) t(i), range(180) s(j)", [n])
    con.execute("INSERT INTO checks SELECT sha256(i::VARCHAR), 'rule' || j, true, '' FROM range(?) t(i), range(10) s(j)",
                [n])
    con.execute("COMMIT")
    con.execute("CHECKPOINT")  # else the first timed load pays for writing all of the above out


class _Timed:
    """The connection, timing each statement by its first words."""

    def __init__(self, con: object) -> None:
        self.con = con
        self.seconds: dict[str, float] = {}

    def execute(self, sql: str, *args: object) -> object:
        started = time.perf_counter()
        try:
            return self.con.execute(sql, *args)  # type: ignore[attr-defined]
        finally:
            key = " ".join(sql.split())[:50]
            self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - started

    def __getattr__(self, name: str) -> object:
        return getattr(self.con, name)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000, 100000])
    p.add_argument("--docs", type=int, default=10)
    args = p.parse_args()
    files = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))[: args.docs]
    reports: list[Processed] = [process_bundled(f.read_bytes(), str(f)) for f in files]
    print(f"{len(reports)} fixture reports loaded into warehouses of each size (mean per document):")
    for n in args.sizes:
        db = Path(tempfile.mkdtemp(prefix="nianbao-bench-load-")) / "w.duckdb"
        with Writer(db) as writer:
            fill(writer, n)
            timed = _Timed(writer.con)
            writer._con = timed  # type: ignore[assignment]  # bench only: watch the statements
            started = time.perf_counter()
            for k, pr in enumerate(reports):
                doc_id = hashlib.sha256(f"bench-{k}".encode()).hexdigest()
                writer.load(replace(pr, loaded=replace(pr.loaded, doc_id=doc_id, source=f"bench/{k}")), None)
            per_doc = (time.perf_counter() - started) / len(reports)
            writer._con = timed.con  # type: ignore[assignment]
        slowest, s = max(timed.seconds.items(), key=lambda kv: kv[1])
        print(f"  {n:>7} documents ({n * 180:>9} facts): {per_doc:.4f} s; slowest statement "
              f"{s / len(reports):.4f} s: {slowest}")


if __name__ == "__main__":
    main()
