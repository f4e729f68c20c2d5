"""Accuracy and speed of `nianbao ingest` on the text-PDF fixture corpus, against the peers.

    uv run --group bench python bench/bench_pdf.py [FOLDER_WITH_PDFS_AND_gold.json]

Prints the scorer's figures on the corpus, then per-document seconds of
  - nianbao ingest, counted after the fixed start-up: (ingest of 30 files - ingest of 1) / 29, with
    the default workers and with one,
  - pdfplumber's bare extract_tables pass over every page,
  - camelot's lattice pass over every page,
all measured in this run on the same files, and the ratios; and the wall time of
`nianbao ingest ONE_FILE` with its start-up included.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "tools" / "score.py"


def ingest(files: list[Path], db: Path, *extra: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flows.cli", "ingest", *map(str, files), "--db", str(db), *extra],
                   cwd=ROOT, check=False, capture_output=True)
    return time.perf_counter() - t


def bare_pdfplumber(files: list[Path]) -> float:
    import pdfplumber

    t = time.perf_counter()
    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_tables()
    return (time.perf_counter() - t) / len(files)


def camelot_lattice(files: list[Path]) -> float | None:
    try:
        import camelot
    except ImportError:
        return None
    t = time.perf_counter()
    for f in files:
        try:
            camelot.read_pdf(str(f), pages="all", flavor="lattice")
        except Exception as e:  # noqa: BLE001 - a peer failing on a file still costs its time
            print(f"  camelot failed on {f.name}: {type(e).__name__}", file=sys.stderr)
    return (time.perf_counter() - t) / len(files)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "fixtures" / "pdf"
    files = sorted(folder.glob("*.pdf"))[:30]
    if len(files) < 2:
        sys.exit(f"bench: need PDFs in {folder}")
    with tempfile.TemporaryDirectory() as tmp:
        db30, db1 = Path(tmp) / "w30.duckdb", Path(tmp) / "w1.duckdb"
        ingest(files[:1], Path(tmp) / "warm.duckdb")  # let a reusable Prefect server start, if one is used
        t1 = ingest(files[:1], db1)
        t30 = ingest(files, db30)
        # one worker: the cost of the pipeline itself, not of the machine's second core
        t1_single = ingest(files[:1], Path(tmp) / "s1.duckdb", "--workers", "1")
        t30_single = ingest(files, Path(tmp) / "s30.duckdb", "--workers", "1")
        gold = folder / "gold.json"
        if gold.exists() and SCORER.exists():
            out = subprocess.run([sys.executable, str(SCORER), str(db30), str(gold)], capture_output=True, text=True,
                                 check=False)
            print("accuracy on", folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder)
            print("  " + out.stdout.strip().splitlines()[-1] if out.stdout else out.stderr)
    per_doc = (t30 - t1) / (len(files) - 1)
    per_doc_single = (t30_single - t1_single) / (len(files) - 1)
    bare = bare_pdfplumber(files)
    lattice = camelot_lattice(files)
    print(f"speed on {len(files)} PDFs (seconds per document)")
    print(f"  nianbao ingest (30-1)/29     {per_doc:7.3f}   (default workers)")
    print(f"  nianbao ingest --workers 1   {per_doc_single:7.3f}")
    print(f"  pdfplumber extract_tables    {bare:7.3f}   nianbao / pdfplumber = {per_doc / bare:.2f}x"
          f" ({per_doc_single / bare:.2f}x with one worker)")
    if lattice is not None:
        print(f"  camelot lattice              {lattice:7.3f}   nianbao / camelot    = {per_doc / lattice:.2f}x")
    else:
        print("  camelot lattice              not installed (uv run --group bench ...)")
    print(f"  nianbao ingest ONE file, start-up included: {t1:.2f} s wall")


if __name__ == "__main__":
    main()
