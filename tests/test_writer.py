"""The batch's one writer (flows/writer.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from flows.pipeline import process_bundled
from flows.writer import Writer

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "p03_prov_2022.pdf"


def test_a_new_warehouse_gets_its_views_while_the_first_document_loads(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    processed = process_bundled(data, str(SAMPLE))
    db = tmp_path / "w.duckdb"
    with Writer(db) as writer:
        writer.load(processed, data)  # right away, while the views are being built
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM applications").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM dictionary").fetchone()[0] > 175
        assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == len(processed.report.facts)


def test_an_existing_warehouse_keeps_its_rows_when_opened_again(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    processed = process_bundled(data, str(SAMPLE))
    db = tmp_path / "w.duckdb"
    with Writer(db) as writer:
        writer.load(processed, data)
    with Writer(db) as writer:
        assert writer.is_done(processed.loaded.doc_id, str(SAMPLE))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
