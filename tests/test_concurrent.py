"""Readers never wait for a writer, and a second writer waits its turn: while an ingest loads
documents (slowly: a local server hands each one out after a pause), `nianbao sql` answers within
seconds with the documents committed so far, and a second ingest into the same warehouse says what
it waits for, then loads its own documents once the first is done."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

import duckdb
import pytest

from extractors.template import load_template
from flows.pipeline import process
from flows.writer import Writer
from warehouse.read_copy import Publisher, is_stale, read_copy_of
from warehouse.readonly import open_read_only

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "002_78480d18d66647dc.txt"
PAUSE_S = 0.2  # the server's pause before each document
LAST = 9  # the first ingest's last document: the server holds it until the test lets it go

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="shared/ not present")


def variant(i: int) -> bytes:
    """The seed report with bytes of its own (another document to the warehouse)."""
    return SEED.read_bytes() + b"\n" * (i + 1)


@pytest.fixture
def slow_server() -> Iterator[tuple[str, threading.Event]]:
    release = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            i = int(self.path.rsplit("/", 1)[-1].split(".")[0])
            time.sleep(PAUSE_S)
            if i == LAST:
                release.wait(60)
            body = variant(i)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", release
    release.set()
    httpd.shutdown()


def nianbao(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))


class Lines:
    """A stream's lines as they come."""

    def __init__(self, stream: IO[str] | None) -> None:
        assert stream is not None
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line)

    def wait_for(self, n: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while len(self.lines) < n:
            assert time.monotonic() < deadline, f"only {len(self.lines)} lines after {timeout} s"
            time.sleep(0.05)

    def text(self) -> str:
        self._thread.join(10)
        return "".join(self.lines)


def count(db: Path) -> int:
    con = open_read_only(db)
    try:
        row = con.execute("SELECT count(*) FROM documents").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def test_sql_answers_during_a_long_ingest_and_a_second_ingest_waits_its_turn(
        prefect_api: str, slow_server: tuple[str, threading.Event], tmp_path: Path) -> None:
    url, release = slow_server
    db = tmp_path / "w.duckdb"
    first = [f"{url}/doc/{i}.txt" for i in range(LAST + 1)]
    second = [f"{url}/doc/{i}.txt" for i in range(100, 103)]
    ingest = nianbao("ingest", *first, "--db", str(db), "--workers", "1")
    later = None
    try:
        out1 = Lines(ingest.stdout)
        out1.wait_for(LAST, timeout=120)  # every document loaded but the one the server holds
        time.sleep(1.0)  # a publish follows a commit within a fraction of a second
        with pytest.raises(duckdb.IOException, match="lock"):  # the writer holds the warehouse itself
            duckdb.connect(str(db), read_only=True)

        started = time.monotonic()
        sql = subprocess.run([sys.executable, "-m", "flows.cli", "sql", "SELECT count(*) AS n FROM documents",
                              "--db", str(db), "--csv"], check=False, cwd=ROOT, capture_output=True, text=True, timeout=60)
        took = time.monotonic() - started
        assert sql.returncode == 0, sql.stderr
        assert took < 5, f"sql took {took:.1f} s"
        assert int(sql.stdout.splitlines()[1]) == LAST
        assert sql.stderr.startswith(f"nianbao: {db} is being written by PID {ingest.pid} (nianbao ingest ")
        assert "reading its copy as of" in sql.stderr
        assert ingest.poll() is None, "the first ingest should still be running"

        later = nianbao("ingest", *second, "--db", str(db), "--workers", "1")
        err2 = Lines(later.stderr)
        err2.wait_for(1, timeout=120)
        said = err2.lines[0].strip()
        assert said.startswith(f"nianbao: {db} is in use by PID {ingest.pid} (nianbao ingest {first[0]} ")
        assert said.endswith("): waiting for it to finish")
        assert later.poll() is None

        release.set()
        assert ingest.wait(timeout=120) == 0
        out2 = Lines(later.stdout)
        assert later.wait(timeout=120) == 0, err2.text()
        assert len(out1.text().splitlines()) == len(first)
        assert len(out2.text().splitlines()) == len(second)
    finally:
        release.set()
        for p in (ingest, later):
            if p is not None and p.poll() is None:
                p.kill()
    with duckdb.connect(str(db), read_only=True) as con:
        sources = {r[0] for r in con.execute("SELECT source FROM documents").fetchall()}
    assert sources == set(first) | set(second)


def test_a_reader_opens_the_read_copy_while_the_writer_holds_the_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    processed = process(variant(0), "seed.txt", load_template())
    with Writer(db) as writer:
        writer.load(processed, None)
        deadline = time.monotonic() + 5
        while is_stale(db):  # the writer's own thread publishes it: the views were still being built
            assert time.monotonic() < deadline, "no read copy after 5 s"
            time.sleep(0.05)
        assert count(db) == 1
        with duckdb.connect(str(read_copy_of(db)), read_only=True) as con:  # what any other client opens
            assert con.execute("SELECT agency FROM documents").fetchone() == (processed.report.agency,)  # type: ignore[union-attr]
    assert not is_stale(db)


def test_publishing_takes_at_most_a_tenth_of_the_writers_time(tmp_path: Path) -> None:
    now = [0.0]
    p = Publisher(tmp_path / "none.duckdb", clock=lambda: now[0])
    p._last_end, p._last_cost = 10.0, 0.5
    p.pending = True
    now[0] = 14.0
    assert not p.due() and p.wait_s() == pytest.approx(0.5)
    now[0] = 14.5
    assert p.due()
