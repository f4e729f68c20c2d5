"""The pre-loaded process (flows/warm.py) runs a command as the caller would have: its output on the
caller's own stdout, its exit status, and it is reused by the next command."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows import warm

SEED = min((Path(__file__).resolve().parents[2] / "shared" / "seeds").glob("*.txt"))


@pytest.fixture
def home(prefect_api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    yield tmp_path
    sock = warm.socket_path(dict(os.environ))
    warm.stop(sock)
    for leftover in (sock.with_suffix(".lock"), sock.with_suffix(".log")):
        leftover.unlink(missing_ok=True)


def test_a_command_in_the_preloaded_process_behaves_as_run_here(home: Path, capfd: pytest.CaptureFixture[str]) -> None:
    db = home / "w.duckdb"
    rc = warm.run(["ingest", str(SEED), "--db", str(db), "--workers", "1"], dict(os.environ))
    out, _ = capfd.readouterr()
    assert rc == 0 and f"{SEED}: ok" in out
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    rc = warm.run(["ingest", str(home / "missing.pdf"), "--db", str(db)], dict(os.environ))
    _, err = capfd.readouterr()
    assert rc == 1 and "missing.pdf: no such file" in err
