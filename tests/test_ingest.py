"""`nianbao ingest` on many documents: one line each, the same warehouse whatever the number of
workers, and the same bytes again are skipped (or read again with --force)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import duckdb
import pytest

from flows.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def ingest(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(["ingest", *args])
    return rc, out.getvalue(), err.getvalue()


def facts(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT d.source, f.table_id, f.row_id, f.col_id, f.value, f.method FROM facts f"
                           " JOIN documents d USING (doc_id) ORDER BY ALL").fetchall()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return SEEDS


@pytest.fixture(scope="module")
def one_worker(prefect_api: str, seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("one") / "w.duckdb"
    rc, out, err = ingest(str(seeds), "--db", str(db), "--workers", "1")
    assert rc == 0, err
    return db, out


def test_every_document_gets_one_summary_line(one_worker: tuple[Path, str], seeds: Path) -> None:
    _, out = one_worker
    for f in seeds.glob("*.txt"):
        assert sum(1 for line in out.splitlines() if line.startswith(str(f))) == 1


def test_two_workers_with_a_task_run_per_document_load_the_same_facts_as_one(
        one_worker: tuple[Path, str], seeds: Path, tmp_path: Path) -> None:
    rc, _, err = ingest(str(seeds), "--db", str(tmp_path / "w.duckdb"), "--workers", "2", "--task-runs", "document")
    assert rc == 0, err
    assert facts(tmp_path / "w.duckdb") == facts(one_worker[0])


def test_reading_in_the_command_process_a_task_run_per_step_loads_the_same_facts(
        one_worker: tuple[Path, str], seeds: Path, tmp_path: Path) -> None:
    rc, _, err = ingest(str(seeds), "--db", str(tmp_path / "w.duckdb"), "--workers", "0", "--task-runs", "step")
    assert rc == 0, err
    assert facts(tmp_path / "w.duckdb") == facts(one_worker[0])


def test_the_same_bytes_again_are_skipped_and_force_reads_them(prefect_api: str, seeds: Path, tmp_path: Path) -> None:
    one = next(seeds.glob("*.txt"))
    db = str(tmp_path / "w.duckdb")
    ingest(str(one), "--db", db)
    rc, out, _ = ingest(str(one), "--db", db)
    assert rc == 0 and "skipped" in out
    rc, out, _ = ingest(str(one), "--db", db, "--force")
    assert rc == 0 and "skipped" not in out and "cells read" in out
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)


def test_a_failed_document_is_named_in_the_flow_runs_log(prefect_api: str, tmp_path: Path) -> None:
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.logging.handlers import APILogWorker

    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    rc, _, _ = ingest(str(bad), "--db", str(tmp_path / "w.duckdb"))
    assert rc == 1
    APILogWorker.drain_all(timeout=10)

    async def messages() -> list[str]:
        async with get_client() as client:
            runs = await client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)
            run = runs[0]
            assert run.name and run.state_name == "Completed"
            logs = await client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
            return [log.message for log in logs]

    assert any(str(bad) in m for m in asyncio.run(messages()))
