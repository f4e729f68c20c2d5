"""Recall per condition group on the rough scan corpus: both sets, every document.

    uv run python bench/bench_scans.py [--sets tuning unseen] [--workers 2] [--keep DIR] [--per-group N]

The sets are generated afresh (tests/fixtures/gen_rough.py: 60 documents each, seed 1 for `tuning`,
seed 2 for `unseen`), read by the pipeline in-process and scored as ../shared/tools/score.py scores
a warehouse. Prints one line per condition group and set, and the documents with silent or invented
cells. tests/test_scan_corpus.py asserts the same figures on a sample (all of them with
NIANBAO_SCAN_CORPUS=full).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "tests"), str(Path(__file__).resolve().parents[1])]

from scan_corpus import SETS, dump, make_set, report, sample, score_set


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="*", default=sorted(SETS), choices=sorted(SETS))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="write the sets and per-document scores here")
    ap.add_argument("--per-group", type=int, default=0, help="only the first N documents of each group")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="nianbao-scans-"))
    for name in args.sets:
        folder = root / name
        t0 = time.perf_counter()
        docs = make_set(SETS[name], folder, only=sample(SETS[name], args.per_group) if args.per_group else None)
        t1 = time.perf_counter()
        groups = score_set(folder, docs, workers=args.workers)
        t2 = time.perf_counter()
        print("\n".join(report(name, groups)))
        print(f"  generated in {t1 - t0:.0f} s, read in {t2 - t1:.0f} s with {args.workers} workers")
        for v in groups.values():
            for d in v.docs:
                if d.silent or d.invented:
                    print(f"  {d.name}: silent {list(d.silent)} invented {list(d.invented)}")
        dump(groups, root / f"{name}.scores.json")
    print(f"sets and scores in {root}")


if __name__ == "__main__":
    main()
