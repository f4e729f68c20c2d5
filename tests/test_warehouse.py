"""The warehouse analysts query: dictionary and views, the example queries of docs/warehouse.md
(run against a warehouse built from the seed reports, answers checked against their gold), the
cross-year rule, coverage, lineage, export and the sql command.

The warehouse is built by calling the pipeline and the loader directly (no Prefect): the five seeds,
the three real text reports, and a few copies of seeds edited the way real reports differ (the next
year's report of the same town, printed with its city; a report whose rows do not add up)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pytest

from extractors.template import load_template
from flows.cli import main
from flows.pipeline import process, suffix_of
from warehouse.export import export
from warehouse.load import connect, load, store_original

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DOCS = ROOT / "docs" / "warehouse.md"

pytestmark = pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared/ not present")

# the body's province, as a person reads it off the name (None: 沐阳县 is an OCR misreading)
PROVINCE = {
    "嘉祥县金屯镇人民政府": "山东省", "宝丰县大营镇人民政府": "河南省", "平顶山市宝丰县大营镇人民政府": "河南省",
    "招远市金岭镇人民政府": "山东省", "固阳县金山镇人民政府": "内蒙古自治区", "金乡县人民政府办公室": "山东省",
    "上海市科委": "上海市", "上海市人民政府办公厅": "上海市", "沐阳县人民政府": None,
}
COLS = ["natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
        "legal_service_org", "other_org", "total"]


@dataclass(frozen=True)
class Doc:
    """One input of the test warehouse and the facts a careful reader takes from it."""

    name: str
    text: bytes
    agency: str
    year: int
    cells: dict[str, float]
    source: str = ""
    broken: frozenset[str] = field(default_factory=frozenset)  # rules its printed numbers break
    accept: tuple[str, ...] = ()  # other readings of the agency that are right (沐阳县 for 沭阳县, misprinted)


def _gold(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))["documents"]


def _set_row(text: str, label: str, values: list[int]) -> str:
    """The numbers printed on the row whose label ends with `label`, replaced."""
    pat = re.compile(rf"^(.*{re.escape(label)}\t+)((?:\d+\t*)+)$", re.MULTILINE)
    new, n = pat.subn(lambda m: m.group(1) + "\t".join(map(str, values)) + "\t", text, count=1)
    assert n == 1, label
    return new


def _retitle(text: str, old: str, new: str) -> str:
    lines = text.split("\n")
    i = next(i for i, x in enumerate(lines) if "年度报告" in x)
    lines[i] = lines[i].replace(old, new, 1)
    return "\n".join(lines)


def _variant(base: Doc, name: str, title: tuple[str, str], year: int, rows: dict[str, tuple[str, list[int]]],
             agency: str | None = None, source: str = "", broken: frozenset[str] = frozenset()) -> Doc:
    text = _retitle(base.text.decode("utf-8"), *title)
    cells = dict(base.cells)
    for row_id, (label, values) in rows.items():
        text = _set_row(text, label, values)
        cells.update({f"applications.{row_id}.{c}": v for c, v in zip(COLS, values)})
    return Doc(name, text.encode("utf-8"), agency or base.agency, year, cells, source, broken)


def documents() -> list[Doc]:
    seeds = _gold(SHARED / "gold" / "seeds.json")
    real = _gold(SHARED / "real" / "gold.json")
    docs = [Doc(n, (SHARED / "seeds" / n).read_bytes(), g["agency"], g["year"], g["cells"]) for n, g in seeds.items()]
    docs += [Doc(n, (SHARED / "real" / n).read_bytes(), real[n]["agency"], real[n]["year"], real[n]["cells"],
                 accept=tuple(real[n].get("agency_accept", ())))
             for n in ("shanghai_kewei_2024.md", "shanghai_office_2025.md", "shuyang_2025.md")]
    baofeng = next(d for d in docs if d.name.startswith("001_"))
    zhaoyuan = next(d for d in docs if d.name.startswith("002_"))
    twos = [2, 0, 0, 0, 0, 0, 2]
    docs.append(_variant(  # next year, its city printed too; carried over 2 where last year carried forward 0
        baofeng, "baofeng_2024.txt", ("宝丰县大营镇人民政府 2023", "平顶山市宝丰县大营镇人民政府 2024"), 2024,
        {"carried_over": ("上年结转政府信息公开申请数量", twos), "carried_forward": ("结转下年度继续办理", twos)},
        agency="平顶山市宝丰县大营镇人民政府", source="https://www.baofeng.gov.cn/zwgk/ndbg/baofeng_2024.txt",
        broken=frozenset({"cross_year"})))
    docs.append(_variant(  # and the year after: carries over what 2024 carried forward, and grants it
        baofeng, "baofeng_2025.txt", ("2023", "2025"), 2025,
        {"carried_over": ("上年结转政府信息公开申请数量", twos), "granted": ("予以公开", twos),
         "total_processed": ("总计", twos)}))
    docs.append(_variant(  # a report whose granted row does not add up to its total
        zhaoyuan, "zhaoyuan_2023.txt", ("2022", "2023"), 2023,
        {"granted": ("予以公开", [3, 0, 0, 0, 0, 0, 0])},
        broken=frozenset({"applications.row_total", "applications.outcome_total"})))
    return docs


@dataclass(frozen=True)
class Built:
    db: Path
    docs: list[Doc]
    doc_ids: dict[str, str]  # name -> doc_id


def build(db: Path, docs: list[Doc]) -> dict[str, str]:
    template = load_template()
    con = connect(db, template)
    ids = {}
    try:
        for d in docs:
            source = d.source or str(db.parent / "inputs" / d.name)
            pr = process(d.text, source, template)
            kept = store_original(d.text, db, pr.loaded.doc_id, suffix_of(pr.loaded.format or ""))
            load(con, replace(pr.loaded, original_path=kept), pr.report, pr.checks)
            ids[d.name] = pr.loaded.doc_id
        # a portal's file that could not be read: coverage shows it beside the reports
        pr = process(b"", "https://www.baofeng.gov.cn/zwgk/ndbg/broken.pdf", template)
        load(con, pr.loaded, pr.report, pr.checks)
    finally:
        con.close()
    return ids


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    db = tmp_path_factory.mktemp("wh") / "w.duckdb"
    docs = documents()
    ids = build(db, docs)
    # expectations follow the reading of the agency where it is one of the accepted ones
    c = duckdb.connect(str(db), read_only=True)
    read = dict(c.execute("SELECT doc_id, agency FROM documents").fetchall())
    c.close()
    docs = [replace(d, agency=read[ids[d.name]]) if read[ids[d.name]] in d.accept else d for d in docs]
    return Built(db, docs, ids)


@pytest.fixture()
def con(built):
    c = duckdb.connect(str(built.db), read_only=True)
    yield c
    c.close()


def examples() -> dict[str, str]:
    text = DOCS.read_text("utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r"```sql\n-- example: (\w+)\n(.*?)```", text, re.DOTALL)}


def _rows(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


# ------------------------------------------------------------------ the test warehouse itself


def test_the_pipeline_reads_each_test_document_as_its_gold_says(built, con):
    for d in built.docs:
        agency, year = con.execute("SELECT agency, year FROM documents WHERE doc_id = ?", [built.doc_ids[d.name]]
                                   ).fetchone()
        assert (agency, year) == (d.agency, d.year), d.name


# ------------------------------------------------------------------ dictionary and views


def test_the_dictionary_lists_every_template_cell_and_variant_with_chinese_labels(con):
    rows = _rows(con, "SELECT * FROM dictionary")
    ids = {r["cell_id"] for r in rows}
    assert set(load_template().cell_ids()) <= ids
    assert {f"applications.other_processing.{c}" for c in COLS} <= ids
    assert set(load_template("2019").cell_ids()) <= ids
    # 207 of the 2021 template and its variant row, 17 only the 2019 format has
    assert len(ids) == 207 + 17
    for r in rows:
        assert re.search(r"[\u4e00-\u9fff]", r["row_label"]) and re.search(r"[\u4e00-\u9fff]", r["col_label"])
        assert r["column_name"] == f"{r['row_id']}__{r['col_id']}"


def test_the_dictionary_says_which_versions_have_a_cell_and_how_the_earlier_one_words_it(con):
    rows = {r["cell_id"]: r for r in _rows(con, "SELECT * FROM dictionary")}
    assert rows["applications.new_received.total"]["versions"] == "2019 2021"
    assert rows["active_disclosure.regulations.in_force"]["versions"] == "2021"
    procurement = rows["active_disclosure.government_procurement.amount"]
    assert procurement["versions"] == "2019"
    assert (procurement["row_label"], procurement["col_label"]) == ("政府集中采购", "采购总金额")
    assert "本年新制作数量" in rows["active_disclosure.regulations.issued"]["earlier_label"]
    assert rows["applications.new_received.total"]["earlier_label"] is None


def test_unchecked_numbers_are_table_two_and_cells_whose_rules_lack_a_cell(con):
    rows = _rows(con, examples()["unchecked_numbers"])
    assert {r["cell_id"].split(".")[0] for r in rows} >= {"active_disclosure"}
    assert all(r["rules_protecting"] == [] for r in rows if r["cell_id"].startswith("active_disclosure."))
    # 表三's cells of a report whose （六）2 row is blank: their column sums lack a cell, their row adds up
    assert not any(r["cell_id"] == "applications.granted.natural_person" for r in rows)


def test_the_dictionary_names_the_rules_protecting_each_cell_and_leaves_table_two_unprotected(con):
    rules = dict(con.execute("SELECT cell_id, rules FROM dictionary").fetchall())
    assert all(rules[c] == [] for c in rules if c.startswith("active_disclosure."))
    assert set(rules["applications.granted.natural_person"]) == {"applications.row_total",
                                                                 "applications.outcome_total"}
    assert set(rules["applications.new_received.total"]) == {"applications.row_total", "applications.balance"}
    assert rules["applications.other_processing.total"]  # the variant row's rules too
    assert all(rules[c] for c in rules if not c.startswith("active_disclosure."))


def test_each_fact_records_its_label_match_and_the_rules_evaluated_on_it(con):
    rows = _rows(con, "SELECT f.method, f.label_score, f.rules_evaluated FROM facts f JOIN documents d USING (doc_id)"
                      " WHERE d.agency = '嘉祥县金屯镇人民政府' AND f.table_id = 'applications' AND f.row_id = 'granted'"
                      " AND f.col_id = 'natural_person'")
    assert rows and rows[0]["label_score"] == 1.0
    # its row adds up; its column's outcome total lacks a cell the report leaves blank (（六）2)
    assert rows[0]["rules_evaluated"] == ["applications.row_total"]
    assert con.execute("SELECT count(*) FROM facts WHERE method <> 'inferred' AND table_id = 'active_disclosure'"
                       " AND rules_evaluated <> []").fetchone() == (0,)


def test_every_cell_column_of_the_wide_views_carries_its_labels_as_a_comment(con):
    comments = {(t, c): m for t, c, m in con.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns()").fetchall()}
    for table_id, column_name, row_label, col_label in con.execute(
            "SELECT table_id, column_name, row_label, col_label FROM dictionary").fetchall():
        comment = comments.get((table_id, column_name))
        assert comment, column_name
        assert row_label in comment and col_label in comment


def test_a_wide_view_has_one_row_per_report_and_the_facts_values(built, con):
    assert con.execute("SELECT count(*), count(DISTINCT doc_id) FROM applications").fetchone() == (
        len(built.docs), len(built.docs))
    for d in built.docs:
        got = con.execute("SELECT granted__total, new_received__natural_person FROM applications WHERE doc_id = ?",
                          [built.doc_ids[d.name]]).fetchone()
        assert got == (d.cells.get("applications.granted.total"),
                       d.cells.get("applications.new_received.natural_person")), d.name


def test_facts_long_joins_each_fact_to_its_document_region_and_labels(con):
    assert con.execute("SELECT count(*) FROM facts_long").fetchone() == con.execute(
        "SELECT count(*) FROM facts").fetchone()
    row = _rows(con, "SELECT * FROM facts_long WHERE agency = '嘉祥县金屯镇人民政府' "
                     "AND cell_id = 'applications.granted.total'")[0]
    assert (row["province"], row["city"], row["county"], row["year"]) == ("山东省", "济宁市", "嘉祥县", 2023)
    assert (row["row_label"], row["col_label"], row["unit"]) == ("（一）予以公开", "总计", "件")


def test_every_fact_is_traceable_to_its_file_text_method_and_version(con):
    untraced = con.execute(
        "SELECT count(*) FROM facts_long WHERE original_path IS NULL OR method IS NULL OR pipeline_version IS NULL"
        " OR (NOT inferred AND raw_text IS NULL)").fetchone()[0]
    assert untraced == 0
    for (path,) in con.execute("SELECT DISTINCT original_path FROM facts_long").fetchall():
        assert Path(path).is_file()


# ------------------------------------------------------------------ the documented example queries


@pytest.mark.parametrize("name", sorted(examples()))
def test_every_documented_example_query_runs(con, name):
    con.execute(examples()[name]).fetchall()


def test_the_documentation_describes_every_table_and_view(con):
    text = DOCS.read_text("utf-8")
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views() WHERE NOT internal"
    ).fetchall()]
    assert names
    for n in names:
        assert f"`{n}`" in text or f"### {n}" in text, n


def test_requests_per_province_per_year_add_up_the_gold(built, con):
    want: dict[tuple, list] = {}
    for d in built.docs:
        key = (PROVINCE[d.agency], d.year)
        reports, total = want.get(key, [0, 0])
        want[key] = [reports + 1, total + d.cells.get("applications.new_received.total", 0)]
    got = {(r["province"], r["year"]): [r["reports"], r["new_requests"]]
           for r in _rows(con, examples()["requests_per_province_year"])}
    assert got == want
    assert got[("上海市", 2025)] == [1, 1295] and got[(None, 2025)] == [1, 713]


def test_share_granted_per_year_matches_the_gold(built, con):
    sums: dict[int, list[float]] = {}
    for d in built.docs:
        g, p = d.cells.get("applications.granted.total"), d.cells.get("applications.total_processed.total")
        if g is not None and p is not None:
            s = sums.setdefault(d.year, [0, 0])
            s[0] += g
            s[1] += p
    got = {r["year"]: (r["granted"], r["processed"], r["share_granted"]) for r in _rows(con, examples()["share_granted"])}
    assert got == {y: (g, p, round(g / p, 4) if p else None) for y, (g, p) in sums.items()}
    assert got[2025][:2] == (206 + 294 + 2, 1191 + 718 + 2)


def test_agencies_whose_numbers_do_not_add_up_are_exactly_the_broken_ones(built, con):
    want = {(d.agency, d.year, rule) for d in built.docs for rule in d.broken}
    got = {(r["agency"], r["year"], r["rule_id"]) for r in _rows(con, examples()["not_adding_up"])}
    assert got == want


def test_years_published_follow_one_body_across_ways_of_printing_its_name(con):
    rows = {r["agency"]: r for r in _rows(con, examples()["years_published"])}
    baofeng = rows["宝丰县大营镇人民政府 / 平顶山市宝丰县大营镇人民政府"]
    assert baofeng["years"] == [2023, 2024, 2025] and baofeng["missing_years"] == []
    assert rows["招远市金岭镇人民政府"]["years"] == [2022, 2023]


def test_applicants_by_type_sum_the_gold_of_one_province(built, con):
    labels = dict(zip(COLS, load_template().table("applications").col_labels))
    want: dict[str, float] = {}
    for d in built.docs:
        if PROVINCE[d.agency] == "山东省":
            for c in COLS[:-1]:
                v = d.cells.get(f"applications.new_received.{c}")
                if v is not None:
                    want[labels[c]] = want.get(labels[c], 0) + v
    got = {r["col_label"]: r["new_requests"] for r in _rows(con, examples()["applicants_by_type"])}
    assert got == want


def test_unresolved_agencies_are_listed_not_guessed(con):
    rows = _rows(con, examples()["unresolved"])
    assert [r["agency"] for r in rows] == ["沐阳县人民政府"]
    region = con.execute("SELECT province, city, county FROM regions WHERE agency = '沐阳县人民政府'").fetchone()
    assert region == (None, None, None)


# ------------------------------------------------------------------ cross-year rule


def _cross_year(con, doc_id: str) -> list[tuple]:
    return con.execute("SELECT passed, detail FROM checks WHERE doc_id = ? AND rule_id = 'cross_year'",
                       [doc_id]).fetchall()


def test_cross_year_fails_where_carried_over_differs_from_last_years_carried_forward(built, con):
    [(passed, detail)] = _cross_year(con, built.doc_ids["baofeng_2024.txt"])
    assert not passed
    assert "applications.carried_over.natural_person=2" in detail
    assert "applications.carried_over.total=2" in detail
    assert "commercial_enterprise" not in detail


def test_cross_year_passes_where_they_agree_and_is_absent_without_a_previous_report(built, con):
    assert _cross_year(con, built.doc_ids["baofeng_2025.txt"]) == [(True, "")]
    assert _cross_year(con, built.doc_ids["001_49bc154c30d92ca6.txt"]) == []


def test_a_failed_cross_year_check_counts_among_the_documents_failed_checks(built, con):
    n = con.execute("SELECT n_failed_checks FROM documents WHERE doc_id = ?", [built.doc_ids["baofeng_2024.txt"]]
                    ).fetchone()[0]
    assert n == 1


def _all_cross_year(db: Path) -> set[tuple]:
    c = duckdb.connect(str(db), read_only=True)
    try:
        return set(c.execute("SELECT d.source, passed, detail FROM checks JOIN documents d USING (doc_id) "
                             "WHERE rule_id = 'cross_year'").fetchall())
    finally:
        c.close()


def test_cross_year_rows_do_not_depend_on_loading_order_and_reloading_changes_nothing(built, tmp_path):
    reordered = tmp_path / "r.duckdb"
    order = [d for d in built.docs if d.name.startswith("baofeng")] + [d for d in built.docs if d.name.startswith("001")]
    build(reordered, order)
    want = {r for r in _all_cross_year(built.db) if "baofeng" in r[0] or "001_" in r[0]}
    # same documents, from the same folder names
    got = {(s.replace(str(reordered.parent), str(built.db.parent)), p, d) for s, p, d in _all_cross_year(reordered)}
    assert got == want and len(want) == 2
    build(reordered, order[-1:])  # the 2023 report again: replaced, its neighbours' rows recomputed
    again = {(s.replace(str(reordered.parent), str(built.db.parent)), p, d) for s, p, d in _all_cross_year(reordered)}
    assert again == want


def test_a_document_reread_under_another_name_leaves_its_old_neighbours_clean(built, tmp_path):
    db = tmp_path / "n.duckdb"
    docs = [d for d in built.docs if d.name in ("001_49bc154c30d92ca6.txt", "baofeng_2024.txt")]
    ids = build(db, docs)
    template = load_template()
    c = connect(db, template)
    try:
        # the 2023 report read again, now as another body: 2024 loses its previous-year report
        d = docs[0]
        pr = process(d.text, "elsewhere.txt", template)
        report = replace(pr.report, agency="招远市金岭镇人民政府")
        load(c, pr.loaded, report, pr.checks)
        assert _cross_year(c, ids["baofeng_2024.txt"]) == []
        assert c.execute("SELECT n_failed_checks FROM documents WHERE doc_id = ?", [ids["baofeng_2024.txt"]]
                         ).fetchone() == (0,)
    finally:
        c.close()


def test_a_warehouse_from_before_regions_gets_them_and_its_cross_year_rows_on_opening(built, tmp_path):
    db = tmp_path / "old.duckdb"
    docs = [d for d in built.docs if d.name in ("001_49bc154c30d92ca6.txt", "baofeng_2024.txt")]
    ids = build(db, docs)
    c = duckdb.connect(str(db))
    # what an older version left: no views of this version, no regions, no cross_year rows
    c.execute("DROP VIEW facts_long")
    c.execute("DELETE FROM warehouse_meta")
    c.execute("DELETE FROM regions")
    c.execute("DELETE FROM checks WHERE rule_id = 'cross_year'")
    c.close()
    c = connect(db, load_template())
    try:
        assert c.execute("SELECT count(*) FROM regions WHERE status = 'resolved'").fetchone() == (len(ids),)
        assert c.execute("SELECT count(*) FROM facts_long").fetchone()[0] > 0
        [(passed, _)] = _cross_year(c, ids["baofeng_2024.txt"])
        assert not passed
    finally:
        c.close()


# ------------------------------------------------------------------ coverage


def test_coverage_shows_a_portals_reports_and_its_failed_documents_side_by_side(con):
    rows = _rows(con, "SELECT * FROM coverage WHERE host = 'www.baofeng.gov.cn' ORDER BY year NULLS LAST")
    assert [(r["year"], r["ok"], r["failed"]) for r in rows] == [(2024, 1, 0), (None, 0, 1)]
    assert rows[1]["failed_sources"] == ["https://www.baofeng.gov.cn/zwgk/ndbg/broken.pdf"]
    assert rows[0]["county"] == "宝丰县"


def test_coverage_counts_every_document_once(built, con):
    assert con.execute("SELECT sum(documents) FROM coverage").fetchone()[0] == len(built.docs) + 1


# ------------------------------------------------------------------ export and the sql command


def test_export_writes_each_table_partitioned_by_year(built, tmp_path):
    c = duckdb.connect(str(built.db), read_only=True)
    try:
        done = {e.name: e for e in export(c, tmp_path / "out", "parquet")}
        n_facts = c.execute("SELECT count(*) FROM facts").fetchone()[0]
        years = {r[0] for r in c.execute("SELECT DISTINCT year FROM documents WHERE year IS NOT NULL").fetchall()}
    finally:
        c.close()
    assert done["facts_long"].rows == n_facts
    parts = {p.name for p in (tmp_path / "out" / "facts_long").iterdir()}
    assert parts == {f"year={y}" for y in years}
    back = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{tmp_path}/out/facts_long/*/*.parquet', "
                                    "hive_partitioning = true)").fetchone()[0]
    assert back == n_facts
    assert (tmp_path / "out" / "dictionary.parquet").is_file()


def test_export_as_csv_has_headers(built, tmp_path):
    c = duckdb.connect(str(built.db), read_only=True)
    try:
        export(c, tmp_path / "out", "csv")
    finally:
        c.close()
    first = next((tmp_path / "out" / "applications").glob("year=2024/*.csv"))
    assert first.read_text("utf-8").splitlines()[0].startswith("doc_id,agency,")


def test_the_sql_command_prints_a_readable_table(built, capsys):
    assert main(["sql", "SELECT agency, year, granted__total FROM applications WHERE year = 2025 ORDER BY agency",
                 "--db", str(built.db)]) == 0
    out = capsys.readouterr().out
    assert "上海市人民政府办公厅" in out and "206" in out and "206.0" not in out
    assert "3 rows" in out


def test_the_sql_command_prints_json_and_csv_for_programs(built, capsys):
    assert main(["sql", "SELECT province, count(*) AS n FROM reports WHERE province = '山东省' GROUP BY province",
                 "--db", str(built.db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"province": "山东省", "n": 4}]
    assert main(["sql", "SELECT 1 AS a, 'x' AS b", "--db", str(built.db), "--csv"]) == 0
    assert capsys.readouterr().out == "a,b\n1,x\n"


def test_the_sql_command_names_what_went_wrong(built, tmp_path, capsys):
    assert main(["sql", "SELECT nope FROM documents", "--db", str(built.db)]) == 1
    assert "nope" in capsys.readouterr().err
    assert main(["sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no such warehouse" in capsys.readouterr().err


def test_the_sql_command_cannot_change_the_warehouse(built, capsys):
    assert main(["sql", "DELETE FROM facts", "--db", str(built.db)]) == 1
    capsys.readouterr()
    c = duckdb.connect(str(built.db), read_only=True)
    try:
        assert c.execute("SELECT count(*) FROM facts").fetchone()[0] > 0
    finally:
        c.close()


def test_a_warehouse_made_before_label_scores_gains_the_new_columns_and_loads(tmp_path):
    db = tmp_path / "old.duckdb"
    old = duckdb.connect(str(db))
    # the facts and dictionary tables as they were before label_score, rules_evaluated and rules
    old.execute("CREATE TABLE facts (doc_id VARCHAR NOT NULL, table_id VARCHAR NOT NULL, row_id VARCHAR NOT NULL,"
                " col_id VARCHAR NOT NULL, value DOUBLE NOT NULL, method VARCHAR NOT NULL, raw_text VARCHAR,"
                " page INTEGER, x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, confidence DOUBLE,"
                " pipeline_version VARCHAR, PRIMARY KEY (doc_id, table_id, row_id, col_id))")
    old.execute("CREATE TABLE dictionary (cell_id VARCHAR PRIMARY KEY, table_id VARCHAR NOT NULL,"
                " row_id VARCHAR NOT NULL, col_id VARCHAR NOT NULL, column_name VARCHAR NOT NULL,"
                " position INTEGER NOT NULL, table_label VARCHAR NOT NULL, row_group VARCHAR,"
                " row_label VARCHAR NOT NULL, col_group VARCHAR, col_label VARCHAR NOT NULL, unit VARCHAR,"
                " variant BOOLEAN NOT NULL)")
    old.close()
    template = load_template()
    seed = SHARED / "seeds" / "001_49bc154c30d92ca6.txt"
    pr = process(seed.read_bytes(), str(seed), template)
    con = connect(db, template)
    try:
        load(con, pr.loaded, pr.report, pr.checks)
        assert con.execute("SELECT count(*) FROM facts WHERE label_score IS NOT NULL").fetchone()[0] > 0
        assert con.execute("SELECT rules FROM dictionary WHERE cell_id = 'applications.granted.total'"
                           ).fetchone()[0]
    finally:
        con.close()
