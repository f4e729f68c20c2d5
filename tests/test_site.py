"""`nianbao site`: a static site over the warehouse that works offline from its folder. Built here
from the five seed reports, a second year of one of them (with 3 more requests granted, which its
totals leave out: a failed check), and a report whose agency name and URL are hostile markup; then
opened in headless Chromium where the machine has it."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from lxml import html as lhtml

from extractors.template import load_template
from flows.cli import main
from flows.pipeline import process, suffix_of
from warehouse.load import connect, load, store_original
from warehouse.site.build import build
from warehouse.site.data import slug

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
ZHAOYUAN = SEEDS / "002_78480d18d66647dc.txt"  # 招远市金岭镇人民政府 2022
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]
HOSTILE = '<script>alert("agency")</script><img src=x onerror=alert(1)>固阳县人民政府'
HOSTILE_URL = 'http://evil.example/"><script>alert("url")</script>.txt'
T = load_template()

pytestmark = pytest.mark.skipif(not ZHAOYUAN.is_file(), reason="shared/ not present")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)")


def _next_year() -> bytes:
    """Zhaoyuan's report as for 2023, with 3 requests from persons granted that its total leaves out."""
    text = ZHAOYUAN.read_text("utf-8").replace("2022", "2023")
    text, n = re.subn(r"^(.*予以公开\t+)0\t", r"\g<1>3\t", text, count=1, flags=re.MULTILINE)
    assert n == 1
    return text.encode("utf-8")


def _load(con: duckdb.DuckDBPyConnection, db: Path, data: bytes, source: str, agency: str | None = None) -> str:
    pr = process(data, source, T)
    if agency is not None:
        assert pr.report is not None
        pr = replace(pr, report=replace(pr.report, agency=agency))
    kept = store_original(data, db, pr.loaded.doc_id, suffix_of(pr.loaded.format or ""))
    load(con, replace(pr.loaded, original_path=kept), pr.report, pr.checks)
    return pr.loaded.doc_id


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("site") / "w.duckdb"
    con = connect(db, T)
    try:
        for seed in sorted(SEEDS.glob("*.txt")):
            _load(con, db, seed.read_bytes(), str(seed))
        _load(con, db, _next_year(), str(db.parent / "zhaoyuan_2023.txt"))
        hostile = (SEEDS / "003_5209c43573004a9c.txt").read_bytes() + b"\n\n"  # 固阳县金山镇 2024, other bytes
        _load(con, db, hostile, HOSTILE_URL, agency=HOSTILE)
    finally:
        con.close()
    return db


@pytest.fixture(scope="module")
def site(warehouse: Path) -> Path:
    out = warehouse.parent / "site"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        build(con, out, T)
    finally:
        con.close()
    return out


def _tree(site: Path, name: str) -> lhtml.HtmlElement:
    return lhtml.fromstring((site / name).read_text("utf-8"))


def _doc_id(warehouse: Path, where: str, *args: object) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(f"SELECT doc_id FROM documents WHERE {where}", list(args)).fetchone()
    assert row is not None
    return str(row[0])


# ------------------------------------------------------------------ the pages, as files


def test_text_from_documents_is_escaped_on_every_page(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for p in pages:
        text = p.read_text("utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, p
        # every script element is one of ours: an external file, or the review page's none
        assert all(s.get("src") in ("data.js", "search.js", "coverage.js") or s.get("src") is None
                   and not (s.text or "").strip() for s in lhtml.fromstring(text).iter("script")), p
    data = (site / "data.js").read_text("utf-8")
    assert "<" not in data and ">" not in data  # JSON with \u003c, so no text can open or close markup
    assert "\\u003cscript\\u003ealert" in data


def test_the_coverage_matrix_marks_the_years_a_body_did_not_publish(site: Path) -> None:
    rows = {tr.xpath("td[1]")[0].text_content(): tr for tr in _tree(site, "coverage.html").xpath("//table[@class='matrix']/tbody/tr")}
    head = [th.text_content() for th in _tree(site, "coverage.html").xpath("//table[@class='matrix']/thead/tr/th")]
    assert head[2:] == ["2022", "2023", "2024"]
    marks = {name: [td.text_content() for td in tr.xpath("td")[2:]] for name, tr in rows.items()}
    assert marks["招远市金岭镇人民政府"] == ["✓", "✓", "缺"]
    assert marks["嘉祥县金屯镇人民政府"] == ["缺", "✓", "缺"]
    assert marks["金乡县人民政府办公室"] == ["缺", "缺", "✓"]
    assert rows["嘉祥县金屯镇人民政府"].xpath("td[4]/a/@href")[0].startswith("reports/")  # its 2023 report


def test_against_a_registry_a_body_that_never_published_is_a_row_of_gaps(warehouse: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    db.write_bytes(warehouse.read_bytes())
    registry = tmp_path / "bodies.csv"
    registry.write_text("名称,行政区划代码,统一社会信用代码,网站\n"
                        "嘉祥县金屯镇人民政府,370829,,http://www.jiaxiang.gov.cn\n"
                        "嘉祥县人民政府,370829,11370829004345678X,\n", encoding="utf-8")
    assert main(["bodies", "import", str(registry), "--db", str(db)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        build(con, tmp_path / "site", T)
    finally:
        con.close()
    tree = _tree(tmp_path / "site", "coverage.html")
    registered, extra = tree.xpath("//table[@class='matrix']")
    rows = {tr.xpath("td[1]")[0].text_content(): [td.text_content() for td in tr.xpath("td")[3:]]
            for tr in registered.xpath("tbody/tr")}
    assert rows == {"嘉祥县金屯镇人民政府": ["缺", "✓", "缺"], "嘉祥县人民政府": ["缺", "缺", "缺"]}
    assert "招远市金岭镇人民政府" in extra.text_content()  # found, but not in the registry


def test_a_registry_that_is_not_one_is_refused_in_a_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bodies.csv"
    bad.write_text("name,division_code\n嘉祥县人民政府,3708\n", encoding="utf-8")
    assert main(["bodies", "import", str(bad), "--db", str(tmp_path / "w.duckdb")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"nianbao: {bad}: line 2: division code '3708' is not 6 or 12 digits"


def test_the_problem_list_groups_failed_checks_by_table_and_rule_and_links_each_review_page(
        site: Path, warehouse: Path) -> None:
    tree = _tree(site, "problems.html")
    broken = _doc_id(warehouse, "source LIKE '%zhaoyuan_2023.txt'")
    section = tree.xpath("//h2[@id='t-applications']")[0]
    assert section.text_content().startswith("三、收到和处理政府信息公开申请情况")
    rule = tree.xpath("//details[summary/code='applications.row_total']")[0]
    links = rule.xpath(".//a/@href")
    assert f"reports/{broken}.html" in links
    for href in tree.xpath("//a/@href"):
        if href.startswith("reports/"):
            assert (site / href).is_file()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        failed = con.execute("SELECT count(*) FROM failed_checks").fetchone()
    assert len(tree.xpath("//details//tbody/tr")) == (failed[0] if failed else -1)


def test_a_bodys_two_years_side_by_side_mark_what_changed(site: Path) -> None:
    tree = _tree(site, f"bodies/{slug(_key(site, '招远市金岭镇人民政府'))}.html")
    assert [th.text_content() for th in tree.xpath("//table[@class='compare'][1]/thead/tr/th")][1:3] == ["2022", "2023"]
    changed = {tr.get("data-cell"): tr.get("class") for tr in tree.xpath("//tr[contains(@class, 'changed')]")}
    assert changed == {"applications.granted.natural_person": "changed up"}
    assert tree.xpath("//figure/img/@src")[0].startswith("../charts/body-")


def _key(site: Path, agency: str) -> str:
    data = (site / "data.js").read_text("utf-8")
    import json

    rows = json.loads(data[data.index("=") + 1:].strip().rstrip(";"))
    page = next(r["bodypage"] for r in rows if r["agency"] == agency)
    slugged = page.split("/")[1].removesuffix(".html")
    # the slug is of the body's key, which the site never prints: find the key that gives it
    with duckdb.connect(str(site.parent / "w.duckdb"), read_only=True) as con:
        keys = [k for (k,) in con.execute("SELECT DISTINCT agency_key FROM regions").fetchall() if k]
    return next(k for k in keys if slug(k) == slugged)


def test_trend_charts_are_svg_drawn_per_region(site: Path) -> None:
    tree = _tree(site, "trends.html")
    names = [h.text_content() for h in tree.xpath("//h2")]
    assert names[0] == "全部 All reports" and "山东省" in names and "山东省 烟台市" in names
    for src in tree.xpath("//figure/img/@src"):
        svg = (site / src).read_text("utf-8")
        assert "<svg" in svg and "新收申请" in svg  # text kept as text: the browser's fonts draw it


def test_a_folder_that_is_not_a_site_is_never_replaced(warehouse: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["site", "--out", str(tmp_path), "--db", str(warehouse)]) == 2
    assert "is not a site nianbao wrote" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"


# ------------------------------------------------------------------ in a browser


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=180, check=False)


def _rows(dom: str) -> list[list[str]]:
    return [[td.text_content() for td in tr.xpath("td")] for tr in lhtml.fromstring(dom).xpath("//tbody[@id='rows']/tr")]


@needs_chromium
def test_the_filters_narrow_the_reports_in_the_browser(site: Path) -> None:
    every = _rows(_chromium("--dump-dom", (site / "index.html").as_uri()).stdout)
    assert len(every) == 7
    dom = _chromium("--dump-dom", (site / "index.html").as_uri() + "#province=山东省&year=2023").stdout
    rows = _rows(dom)
    assert sorted(r[0] for r in rows) == ["嘉祥县金屯镇人民政府", "招远市金岭镇人民政府"]
    assert all("山东省" in r[2] and r[1] == "2023" for r in rows)
    tree = lhtml.fromstring(dom)
    assert tree.xpath("//span[@id='count']")[0].text_content() == "2 / 7"
    # the city filter offers only the province's cities once a province is chosen
    assert sorted(tree.xpath("//select[@id='f-city']/option/@value")) == ["", "济宁市", "烟台市"]
    rows = _rows(_chromium("--dump-dom", (site / "index.html").as_uri() + "#q=金山").stdout)
    assert [r[0] for r in rows] == ["固阳县金山镇人民政府"]  # free text: a township's name


@needs_chromium
def test_hostile_text_is_shown_as_text_in_the_browser(site: Path) -> None:
    dom = _chromium("--dump-dom", (site / "index.html").as_uri() + "#q=evil.example").stdout
    tree = lhtml.fromstring(dom)
    assert [r[0] for r in _rows(dom)] == [HOSTILE]  # the name, shown as the characters it is
    assert tree.xpath("//tbody[@id='rows']//script") == [] and tree.xpath("//tbody[@id='rows']//img") == []


@needs_chromium
@pytest.mark.parametrize("page", ["coverage.html", "trends.html", "index.html"])
def test_the_pages_render_in_chromium(site: Path, page: str, tmp_path: Path) -> None:
    from PIL import Image

    shot = tmp_path / "shot.png"
    r = _chromium(f"--screenshot={shot}", "--window-size=1300,900", (site / page).as_uri())
    assert shot.is_file(), r.stderr[-2000:]
    with Image.open(shot) as im:
        colors = im.convert("RGB").getcolors(maxcolors=1 << 20) or []
    # a blank page is one or two colours; a page of tables and charts, hundreds
    assert len(colors) > 200


def test_serve_hands_out_the_site(warehouse: Path, tmp_path: Path) -> None:
    import os
    import socket
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "site"
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "site", "--out", str(out), "--db", str(warehouse),
                             "--no-crops", "--serve", "--port", str(port)], cwd=ROOT, env=dict(os.environ),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/coverage.html", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.2)
        assert r.status_code == 200 and "覆盖情况" in r.text
    finally:
        proc.kill()
        proc.wait()
