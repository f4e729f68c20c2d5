"""Reprocessing re-reads stored originals and replaces each document's rows atomically: after a
version bump every affected row is replaced with no duplicates, and a run killed midway leaves each
document either as it was or as the new version reads it, never half."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from extractors.template import load_template
from flows.pipeline import process, suffix_of
from flows.reprocess import reprocess_document, select, version_key
from warehouse.load import connect, load, store_original
from warehouse.schema import PIPELINE_VERSION

ROOT = Path(__file__).resolve().parents[1]
# the three quickest seeds to read: enough documents to stop a run between two of them
SEEDS = [p for p in sorted((ROOT.parent / "shared" / "seeds").glob("*.txt")) if p.name[:3] in ("000", "003", "004")]
OLD = "0.0.1"

pytestmark = pytest.mark.skipif(not SEEDS, reason="shared/seeds not present")


def ingest_direct(db: Path, paths: list[Path]) -> None:
    template = load_template()
    con = connect(db, template)
    try:
        for p in paths:
            data = p.read_bytes()
            pr = process(data, str(p), template)
            kept = store_original(data, db, pr.loaded.doc_id, suffix_of(pr.loaded.format or ""))
            load(con, replace(pr.loaded, original_path=kept), pr.report, pr.checks)
    finally:
        con.close()


def age(db: Path) -> None:
    """What an older pipeline would have left: another version and other numbers."""
    con = duckdb.connect(str(db))
    con.execute("UPDATE documents SET pipeline_version = ?", [OLD])
    con.execute("UPDATE facts SET pipeline_version = ?, value = value + 1000, raw_text = 'old'", [OLD])
    con.execute("DELETE FROM checks WHERE rule_id = 'missing_cells'")
    con.close()


def snapshot(db: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for doc_id, version, n_facts in con.execute(
                "SELECT doc_id, pipeline_version, n_facts FROM documents").fetchall():
            facts = con.execute(
                "SELECT table_id, row_id, col_id, value, method, raw_text, pipeline_version FROM facts WHERE doc_id = ?"
                " ORDER BY ALL", [doc_id]).fetchall()
            checks = con.execute("SELECT rule_id, passed, detail FROM checks WHERE doc_id = ? ORDER BY ALL",
                                 [doc_id]).fetchall()
            out[doc_id] = (version, n_facts, tuple(facts), tuple(checks))
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[dict, dict, Path]:
    """The seeds read once by this version, then aged; tests work on copies."""
    folder = tmp_path_factory.mktemp("built")
    db = folder / "w.duckdb"
    ingest_direct(db, SEEDS)
    fresh = snapshot(db)
    age(db)
    return fresh, snapshot(db), folder


@pytest.fixture()
def fresh_and_aged(built, tmp_path: Path) -> tuple[dict, dict, Path]:
    """Snapshots as this version reads the seeds and as an older one left them; a copy of the aged db
    whose stored originals sit beside it."""
    fresh, aged, folder = built
    shutil.copytree(folder, tmp_path / "w")
    db = tmp_path / "w" / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("UPDATE documents SET original_path = replace(original_path, ?, ?)",
                [str(folder.resolve()), str(db.parent.resolve())])
    con.close()
    return fresh, aged, db


def test_versions_compare_numerically():
    assert version_key("0.10.0") > version_key("0.9.1")
    assert version_key(None) < version_key("0.0.1")
    assert version_key("dev") < version_key(PIPELINE_VERSION)


def test_older_than_current_selects_only_documents_an_older_pipeline_wrote(fresh_and_aged):
    _, _, db = fresh_and_aged
    con = duckdb.connect(str(db))
    keep = con.execute("SELECT doc_id FROM documents ORDER BY doc_id LIMIT 1").fetchone()[0]
    con.execute("UPDATE documents SET pipeline_version = ? WHERE doc_id = ?", [PIPELINE_VERSION, keep])
    con.close()
    assert keep not in {d.doc_id for d in select(str(db), "older")}
    assert len(select(str(db), "older")) == len(SEEDS) - 1
    assert len(select(str(db), "all")) == len(SEEDS)


def test_reprocessing_after_a_version_bump_replaces_every_row_without_duplicates(fresh_and_aged):
    fresh, aged, db = fresh_and_aged
    assert aged != fresh
    for doc in select(str(db), "older"):
        reprocess_document.fn(str(db), doc)
    assert snapshot(db) == fresh
    assert select(str(db), "older") == []
    con = duckdb.connect(str(db), read_only=True)
    dupes = con.execute("SELECT count(*) FROM (SELECT doc_id, rule_id, detail FROM checks GROUP BY ALL "
                        "HAVING count(*) > 1)").fetchone()[0]
    con.close()
    assert dupes == 0


def test_a_document_whose_original_is_gone_keeps_its_rows(fresh_and_aged):
    _, aged, db = fresh_and_aged
    doc = select(str(db), "older")[0]
    Path(doc.original_path).unlink()
    outcome = reprocess_document.fn(str(db), doc)
    assert outcome.processed is None and "original" in outcome.error
    assert snapshot(db)[doc.doc_id] == aged[doc.doc_id]


_KILL_IN_TRANSACTION = textwrap.dedent("""
    import os, signal, sys
    from dataclasses import replace
    from pathlib import Path
    from extractors.template import load_template
    from flows.pipeline import process
    from warehouse.load import connect, load

    class DiesAfterFacts:
        # the connection, except that the process is killed right after the facts are written
        def __init__(self, con):
            self._con = con
        def __getattr__(self, name):
            return getattr(self._con, name)
        def execute(self, sql, *args):
            out = self._con.execute(sql, *args)
            if "INTO facts" in sql:
                os.kill(os.getpid(), signal.SIGKILL)
            return out

    db, path, original = sys.argv[1:]
    t = load_template()
    data = Path(path).read_bytes()
    pr = process(data, path, t)
    load(DiesAfterFacts(connect(db, t)), replace(pr.loaded, original_path=original), pr.report, pr.checks)
""")


def test_a_load_killed_inside_its_transaction_leaves_the_document_as_it_was(fresh_and_aged):
    _, aged, db = fresh_and_aged
    doc = select(str(db), "older")[0]
    r = subprocess.run([sys.executable, "-c", _KILL_IN_TRANSACTION, str(db), doc.source, doc.original_path],
                       cwd=ROOT, capture_output=True, timeout=120, check=False)
    assert r.returncode == -signal.SIGKILL, r.stderr.decode()[-2000:]
    assert snapshot(db) == aged


def _killed_after_first_line(cmd: list[str], limit_s: float) -> str:
    """Run cmd in its own process group, SIGKILL the group (the flow and any Prefect server it
    started) once it has printed a line or after limit_s; the line ('' if none)."""
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "ERROR"}
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True, text=True)
    timer = threading.Timer(limit_s, os.killpg, (proc.pid, signal.SIGKILL))
    timer.start()
    try:
        return proc.stdout.readline() if proc.stdout else ""
    finally:
        timer.cancel()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=60)


def test_reprocess_killed_midway_leaves_each_document_old_or_new_never_half(fresh_and_aged, prefect_api):
    """The real command, as a Prefect flow (on the session's Prefect server), killed with SIGKILL once
    it has replaced one document."""
    fresh, aged, db = fresh_and_aged
    cmd = [sys.executable, "-m", "flows.cli", "reprocess", "--older-than-current", "--db", str(db)]
    first = _killed_after_first_line(cmd, 400)
    if not first:  # a Prefect server can fail to answer on a busy machine: once more
        first = _killed_after_first_line(cmd, 400)
    assert first, "reprocess printed nothing"
    after = snapshot(db)
    assert set(after) == set(fresh)
    states = {doc: ("new" if after[doc] == fresh[doc] else "old" if after[doc] == aged[doc] else "half")
              for doc in after}
    assert "half" not in states.values(), states
    assert "new" in states.values()
    # a second run finishes the job: every document as this version reads it
    for doc in select(str(db), "older"):
        reprocess_document.fn(str(db), doc)
    assert snapshot(db) == fresh
