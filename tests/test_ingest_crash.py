"""Crash safety: a batch killed with -9 part-way keeps every document it committed, whole, and the
rerun skips those and ends with the warehouse an uninterrupted run makes."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
N_DOCS = 16
KILL_AFTER = 3  # documents reported done


def _corpus(folder: Path) -> Path:
    """N_DOCS distinct documents (distinct bytes: each seed with a numbered note appended)."""
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(N_DOCS):
        text = seeds[i % len(seeds)].read_bytes() + f"\n附注：第{i}份副本\n".encode()
        (folder / f"doc{i:02d}.txt").write_bytes(text)
    return folder


def _ingest_here(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["ingest", *args]) == 0
    return out.getvalue()


def _tables(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "documents": con.execute("SELECT doc_id, regexp_replace(source, '.*/', ''), agency, year, status, format,"
                                     " n_facts, n_failed_checks, error FROM documents ORDER BY doc_id").fetchall(),
            "facts": con.execute("SELECT * EXCLUDE (pipeline_version) FROM facts ORDER BY ALL").fetchall(),
            "checks": con.execute("SELECT * FROM checks ORDER BY ALL").fetchall(),
        }


@pytest.fixture(scope="module")
def killed(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """A batch killed with -9 after KILL_AFTER documents were reported: (corpus, warehouse, loaded)."""
    corpus = _corpus(tmp_path_factory.mktemp("corpus"))
    db = tmp_path_factory.mktemp("killed") / "w.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "ingest", str(corpus), "--db", str(db), "--workers", "1"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True, env={**os.environ, "NIANBAO_WARM": "0"})
    assert proc.stdout is not None
    for _ in range(KILL_AFTER):
        assert proc.stdout.readline(), "the batch ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with duckdb.connect(str(db), read_only=True) as con:
        loaded = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    return corpus, db, loaded


def test_the_kill_came_part_way(killed: tuple[Path, Path, int]) -> None:
    assert KILL_AFTER <= killed[2] < N_DOCS


def test_no_document_is_half_loaded(killed: tuple[Path, Path, int]) -> None:
    with duckdb.connect(str(killed[1]), read_only=True) as con:
        torn = con.execute("SELECT d.doc_id FROM documents d LEFT JOIN facts f USING (doc_id)"
                           " GROUP BY d.doc_id, d.n_facts"
                           " HAVING count(f.doc_id) FILTER (WHERE f.method <> 'inferred') <> d.n_facts").fetchall()
        orphans = con.execute("SELECT count(*) FROM facts WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchone()
    assert torn == [] and orphans == (0,)


def test_rerun_skips_what_was_done_and_matches_an_uninterrupted_run(killed: tuple[Path, Path, int],
                                                                   tmp_path: Path) -> None:
    corpus, db, loaded = killed
    out = _ingest_here(str(corpus), "--db", str(db))
    assert out.count("skipped") == loaded
    _ingest_here(str(corpus), "--db", str(tmp_path / "clean.duckdb"))
    assert _tables(db) == _tables(tmp_path / "clean.duckdb")
