"""Data-product conventions: every table, view and column of the warehouse carries a comment, and
`nianbao export` writes a release folder (a Parquet table per folder or file, the dictionary,
metadata.json with the schema, row counts, versions and sources) that DuckDB, pandas and polars read
as it is."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from extractors.template import load_template
from flows.cli import main
from flows.pipeline import process
from warehouse.bodies import Body, store
from warehouse.crawl_log import create_crawl_log
from warehouse.load import connect, load
from warehouse.schema import PIPELINE_VERSION

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
T = load_template()

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/ not present")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("release") / "w.duckdb"
    con = connect(db, T)
    try:
        for seed in sorted(SEEDS.glob("*.txt")):
            pr = process(seed.read_bytes(), str(seed), T)
            load(con, pr.loaded, pr.report, pr.checks)
        junk = process(b"%PDF-1.4 not really", "http://example.gov.cn/broken.pdf", T)  # failed: no year
        load(con, junk.loaded, junk.report, junk.checks)
        create_crawl_log(con)
        store(con, [Body("嘉祥县金屯镇人民政府", "370829", None, None)])
    finally:
        con.close()
    return db


def test_every_table_view_and_column_has_a_comment(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        bare = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND coalesce(comment, '') = ''"
            " UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'"
            " AND coalesce(comment, '') = ''").fetchall()
        columns = con.execute(
            "SELECT table_name || '.' || column_name FROM duckdb_columns() WHERE NOT internal"
            " AND schema_name = 'main' AND coalesce(comment, '') = ''").fetchall()
        n = con.execute("SELECT count(*) FROM duckdb_columns() WHERE NOT internal AND schema_name = 'main'").fetchone()
    assert bare == [] and columns == []
    assert n is not None and n[0] > 300  # the wide views' cells among them


@pytest.fixture(scope="module")
def released(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("out") / "release"
    assert main(["export", "--out", str(out), "--db", str(warehouse)]) == 0
    return out, json.loads((out / "metadata.json").read_text("utf-8"))


def test_the_metadata_names_versions_sources_and_every_table(released: tuple[Path, dict], warehouse: Path) -> None:
    out, meta = released
    assert meta["pipeline_version"] == PIPELINE_VERSION and meta["format"] == "parquet"
    assert meta["documents"] == 6 and meta["reports_read"] == 5
    assert {o["host"]: o["documents"] for o in meta["sources"]["origins"]} == {"(files)": 5, "example.gov.cn": 1}
    names = {t["name"] for t in meta["tables"]}
    assert {"facts_long", "reports", "checks", "applications", "prose_facts", "dictionary", "rules",
            "coverage_years", "crawl_log", "bodies"} <= names
    for t in meta["tables"]:
        assert t["comment"], t["name"]
        assert all(c["comment"] for c in t["columns"]), (t["name"], [c["name"] for c in t["columns"] if not c["comment"]])
    applications = next(t for t in meta["tables"] if t["name"] == "applications")
    granted = next(c for c in applications["columns"] if c["name"] == "granted__natural_person")
    assert granted["comment"].startswith("三、本年度办理结果 / （一）予以公开 / 申请人情况 / 自然人")
    assert (out / "README.md").read_text("utf-8").startswith("# nianbao release")


def _tables(meta: dict) -> list[dict]:
    return [t for t in meta["tables"] if t["rows"]]  # an empty partitioned table writes no folder


def test_duckdb_reads_every_table_back_with_its_rows_and_columns(released: tuple[Path, dict]) -> None:
    out, meta = released
    con = duckdb.connect()
    for t in _tables(meta):
        path = out / t["path"]
        src = (f"read_parquet('{path}/*/*.parquet', hive_partitioning = true)" if path.is_dir()
               else f"read_parquet('{path}')")
        rel = con.sql(f"SELECT * FROM {src}")
        assert rel.shape[0] == t["rows"], t["name"]
        assert sorted(rel.columns) == sorted(c["name"] for c in t["columns"]), t["name"]


def test_pandas_reads_every_table_back(released: tuple[Path, dict]) -> None:
    pd = pytest.importorskip("pandas")
    out, meta = released
    for t in _tables(meta):
        df = pd.read_parquet(out / t["path"])
        assert len(df) == t["rows"], t["name"]
        assert sorted(df.columns) == sorted(c["name"] for c in t["columns"]), t["name"]
    reports = pd.read_parquet(out / "reports.parquet")
    assert reports["year"].isna().sum() == 1 and sorted(reports["year"].dropna().unique()) == [2022, 2023, 2024]


def test_polars_reads_every_table_back(released: tuple[Path, dict]) -> None:
    pl = pytest.importorskip("polars")
    out, meta = released
    for t in _tables(meta):
        df = pl.read_parquet(out / t["path"])
        assert df.height == t["rows"], t["name"]
        assert sorted(df.columns) == sorted(c["name"] for c in t["columns"]), t["name"]


def test_a_partitioned_release_reads_back_in_duckdb_and_polars(warehouse: Path, tmp_path: Path) -> None:
    pl = pytest.importorskip("polars")
    assert main(["export", "--out", str(tmp_path), "--db", str(warehouse), "--partitioned"]) == 0
    meta = json.loads((tmp_path / "metadata.json").read_text("utf-8"))
    reports = next(t for t in meta["tables"] if t["name"] == "reports")
    assert reports["path"] == "reports/" and reports["layout"] == "folder partitioned by year (Hive)"
    back = duckdb.connect().execute(f"SELECT count(*) FILTER (WHERE year IS NULL), count(*) FROM "
                                    f"read_parquet('{tmp_path}/reports/*/*.parquet', hive_partitioning = true)").fetchall()
    assert back == [(1, reports["rows"])]
    assert pl.read_parquet(tmp_path / "reports")["year"].null_count() == 1
