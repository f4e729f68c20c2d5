"""Scale-out: documents read to Parquet by workers and merged make the same warehouse as the direct
path; and the whole flow runs on a (local) Dask cluster through prefect-dask."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.scaleout import merge_parquet, read_to_parquet, run_scaleout

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BAD = b"%PDF-1.7\n garbage that is no PDF"


def _tables(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "documents": con.execute("SELECT * EXCLUDE (ingested_at, original_path) FROM documents ORDER BY ALL").fetchall(),
            "facts": con.execute("SELECT * FROM facts ORDER BY ALL").fetchall(),
            "checks": con.execute("SELECT * FROM checks ORDER BY ALL").fetchall(),
            "prose_facts": con.execute("SELECT * FROM prose_facts ORDER BY ALL").fetchall(),
            "regions": con.execute("SELECT * FROM regions ORDER BY ALL").fetchall(),
        }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "broken.pdf").write_bytes(BAD)
    return sorted(str(p) for p in SEEDS.glob("*.txt")) + [str(folder / "broken.pdf")]


@pytest.fixture(scope="module")
def direct(prefect_api: str, corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("direct") / "w.duckdb"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(["ingest", *corpus, "--db", str(db), "--workers", "1"])
    return db


def test_parquet_written_by_workers_and_merged_equals_the_direct_path(direct: Path, corpus: list[str],
                                                                      tmp_path: Path) -> None:
    written = [read_to_parquet.fn(s, str(tmp_path / "parquet")) for s in corpus]
    merge_parquet([w.folder for w in written if w.folder], tmp_path / "w.duckdb")
    assert _tables(tmp_path / "w.duckdb") == _tables(direct)


def test_merging_the_same_parquet_twice_changes_nothing(corpus: list[str], tmp_path: Path) -> None:
    written = [read_to_parquet.fn(s, str(tmp_path / "parquet")) for s in corpus[:2]]
    folders = [w.folder for w in written if w.folder]
    merge_parquet(folders, tmp_path / "w.duckdb")
    once = _tables(tmp_path / "w.duckdb")
    merge_parquet(folders, tmp_path / "w.duckdb")
    assert _tables(tmp_path / "w.duckdb") == once


def test_the_flow_runs_on_a_local_dask_cluster(direct: Path, corpus: list[str], tmp_path: Path) -> None:
    written = run_scaleout(corpus, str(tmp_path / "w.duckdb"), str(tmp_path / "parquet"), None, workers=1)
    assert [w.failed for w in written] == [False] * (len(corpus) - 1) + [True]
    assert _tables(tmp_path / "w.duckdb") == _tables(direct)
