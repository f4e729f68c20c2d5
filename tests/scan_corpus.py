"""Rough scans made on the fly (tests/fixtures/gen_rough.py) read and scored against their gold,
per condition group: what tests/test_scan_corpus.py asserts and bench/bench_scans.py prints.

Two sets: `tuning` (seed 1), the one looked at while the OCR path was changed, and `unseen`
(seed 2), never looked at. Scoring follows ../shared/tools/score.py: recall over the cells the
source holds, a wrong cell is silent unless a failed check names its table or itself, a cell read
where the source has none is invented.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "fixtures"))

from gen_rough import GROUPS, generate, plan

SETS = {"tuning": 1, "unseen": 2}


@dataclass(frozen=True)
class DocScore:
    name: str
    group: str
    cells: int
    right: int
    wrong: tuple[str, ...]
    silent: tuple[str, ...]
    invented: tuple[str, ...]
    rule_expected: str | None
    rule_caught: bool
    meta_ok: bool
    seconds: float


@dataclass
class GroupScore:
    docs: list[DocScore] = field(default_factory=list)

    @property
    def recall(self) -> float:
        cells = sum(d.cells for d in self.docs)
        return sum(d.right for d in self.docs) / cells if cells else 1.0

    def line(self, name: str) -> str:
        silent = sum(len(d.silent) for d in self.docs)
        invented = sum(len(d.invented) for d in self.docs)
        rules = [d for d in self.docs if d.rule_expected]
        secs = sum(d.seconds for d in self.docs) / max(1, len(self.docs))
        return (f"{name:<11} docs={len(self.docs):>2} recall={self.recall:.4f} silent_wrong={silent} "
                f"invented={invented} rule_caught={sum(d.rule_caught for d in rules)}/{len(rules)} "
                f"meta={sum(d.meta_ok for d in self.docs)}/{len(self.docs)} s/doc={secs:.1f}")


def sample(seed: int, per_group: int) -> set[int]:
    """The first `per_group` documents of each condition group of a set (1-based)."""
    seen: dict[str, int] = defaultdict(int)
    out = set()
    for i, g in enumerate(plan(seed), 1):
        if seen[g] < per_group:
            seen[g] += 1
            out.add(i)
    return out


def make_set(seed: int, folder: Path, only: set[int] | None = None) -> dict[str, dict]:
    return generate(seed, folder, only=only)["documents"]


def score_one(path_name: str, gold: dict) -> DocScore:
    """One document read and scored against its gold."""
    import time

    from extractors.template import load_template
    from flows.pipeline import check_report, extract_document, reconcile_document

    path = Path(path_name)
    t0 = time.perf_counter()
    doc = extract_document(path.read_bytes(), str(path))
    report = reconcile_document(doc)
    checks = check_report(report, load_template())
    failed = {c.rule_id for c in checks if not c.passed}
    got = {f.cell_id: f.value for f in report.facts if f.method != "inferred"}
    cells, missing = gold["cells"], set(gold["missing"])
    right = [k for k, v in cells.items() if k in got and abs(got[k] - float(v)) < 1e-6]
    wrong = [k for k, v in cells.items() if k in got and abs(got[k] - float(v)) >= 1e-6]

    def warned(key: str) -> bool:
        table = key.split(".")[0]
        return any(r == key or r.startswith(table + ".") for r in failed if r != "missing_cells")

    rule = gold.get("expect_rule_failure")
    return DocScore(
        path.name, gold.get("group", "fixture"), len(cells), len(right), tuple(wrong),
        tuple(k for k in wrong if not warned(k)), tuple(k for k in got if k in missing),
        rule, bool(rule and rule in failed),
        report.agency in gold.get("agency_accept", [gold["agency"]]) and report.year == gold["year"],
        time.perf_counter() - t0,
    )


def score_docs(jobs: list[tuple[str, dict]], workers: int = 2) -> list[DocScore]:
    """Read and score documents (path, gold) in `workers` processes, each with its share of the cores."""
    from flows.parallel import share_cores

    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"), initializer=share_cores,
                             initargs=(workers,)) as pool:
        return list(pool.map(score_one, [p for p, _ in jobs], [g for _, g in jobs]))


def by_group(scores: list[DocScore]) -> dict[str, GroupScore]:
    out: dict[str, GroupScore] = {g: GroupScore() for g in GROUPS}
    for s in scores:
        out.setdefault(s.group, GroupScore()).docs.append(s)
    return {g: v for g, v in out.items() if v.docs}


def score_set(folder: Path, docs: dict[str, dict], workers: int = 2) -> dict[str, GroupScore]:
    """Read every document of a set (in `workers` processes) and score it, by condition group."""
    return by_group(score_docs([(str(folder / name), gold) for name, gold in sorted(docs.items())], workers))


def report(set_name: str, groups: dict[str, GroupScore]) -> list[str]:
    lines = [f"scan corpus '{set_name}' (seed {SETS[set_name]}):"]
    lines += ["  " + v.line(g) for g, v in groups.items()]
    every = GroupScore([d for v in groups.values() for d in v.docs])
    lines.append("  " + every.line("all"))
    return lines


def dump(groups: dict[str, GroupScore], path: Path) -> None:
    path.write_text(json.dumps({g: [d.__dict__ for d in v.docs] for g, v in groups.items()},
                               ensure_ascii=False, indent=1), "utf-8")
