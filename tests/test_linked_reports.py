"""Reports published behind a portal page: framed (an HTML page, a PDF, a PDF viewer) or attached
(附件：XX年度报告.docx, 下载附件), as tests/fixtures/portal/linked.py serves them.

`nianbao ingest ARTICLE_URL` follows the page to its report and loads the report (its own bytes,
the page's URL as source, the followed URL recorded, the page's agency and year where the report's
title names none); `nianbao crawl` loads the same reports; a page whose report cannot be reached
is loaded as `behind_link` with the target named and why, saved pages included."""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from flows import follow
from flows.cli import main
from flows.crawl_config import CrawlSettings
from flows.crawl_engine import crawl
from flows.flows import run_batch
from tests.fixtures.portal.linked import LISTING, Case, build
from tests.fixtures.portal.portal import Resource, Server
from tests.goldcheck import flagged

SITE, CASES = build()
REPORTS = [c for c in CASES if c.gold]
FAST = CrawlSettings(delay=0.0, timeout=2.0, retries=0, backoff=0.0)


def _ingest(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(["ingest", *args, "--workers", "0"])
    return rc, out.getvalue(), err.getvalue()


def _rows(db: str, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(db, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _doc(db: str, source: str) -> dict:
    cols = ["doc_id", "status", "agency", "year", "error", "followed_url", "original_path", "page_path", "format"]
    rows = _rows(db, f"SELECT {', '.join(cols)} FROM documents WHERE source = ?", [source])
    assert len(rows) == 1, rows  # one source, one document
    return dict(zip(cols, rows[0], strict=True))


def _score(db: str, doc_id: str, gold: dict) -> tuple[float, list[str], list[str]]:
    """recall, silent wrong cells and invented cells, as ../shared/tools/score.py counts them."""
    got = {f"{t}.{r}.{c}": v for t, r, c, v in _rows(
        db, "SELECT table_id, row_id, col_id, value FROM facts WHERE doc_id = ? AND method <> 'inferred'", [doc_id])}
    failed = {r for (r,) in _rows(db, "SELECT rule_id FROM checks WHERE doc_id = ? AND NOT passed", [doc_id])}
    cells = gold["cells"]
    right = sum(1 for k, v in cells.items() if k in got and abs(got[k] - float(v)) < 1e-6)
    wrong = [k for k, v in cells.items() if k in got and abs(got[k] - float(v)) >= 1e-6]
    return (right / len(cells), [k for k in wrong if not flagged(failed, k)],
            [k for k in got if k in set(gold["missing"])])


def _bytes(path: str) -> bytes:
    """What the site serves at `path`, redirects followed."""
    res = SITE.resources[path.split("?")[0]]
    return _bytes(res.location) if res.location else res.body


@pytest.fixture(scope="module", autouse=True)
def _no_pause() -> Iterator[None]:
    """The test server needs no pause between two requests (flows.follow.FOLLOW_DELAY)."""
    mp = pytest.MonkeyPatch()
    mp.setattr(follow, "FOLLOW_DELAY", 0.0)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def ingested(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every article's URL given to `nianbao ingest` in one command."""
    db = str(tmp_path_factory.mktemp("linked") / "w.duckdb")
    SITE.requests.clear()
    with Server(SITE) as base:
        rc, out, err = _ingest(*[base + c.article for c in CASES], "--db", db)
        requested = {r.path.split("?")[0] for r in SITE.requests}
    return {"db": db, "base": base, "rc": rc, "out": out, "err": err, "requested": requested}


@pytest.mark.parametrize("case", REPORTS, ids=[c.article.rsplit("/", 1)[1] for c in REPORTS])
def test_an_article_url_leads_to_its_report(ingested: dict, case: Case) -> None:
    db, base = ingested["db"], ingested["base"]
    assert case.gold is not None and case.target is not None
    doc = _doc(db, base + case.article)
    assert (doc["status"], doc["followed_url"]) == ("ok", base + case.target), case.note
    assert (doc["agency"], doc["year"]) == (case.gold["agency"], case.gold["year"])
    recall, silent, invented = _score(db, doc["doc_id"], case.gold)
    assert recall >= 0.995 and not silent and not invented, (recall, silent, invented)


@pytest.mark.parametrize("case", REPORTS[:3], ids=[c.article.rsplit("/", 1)[1] for c in REPORTS[:3]])
def test_the_report_is_stored_as_itself_and_the_page_beside_it(ingested: dict, case: Case) -> None:
    assert case.target is not None
    doc = _doc(ingested["db"], ingested["base"] + case.article)
    report = _bytes(case.target)
    assert doc["doc_id"] == hashlib.sha256(report).hexdigest()
    assert Path(doc["original_path"]).read_bytes() == report
    assert Path(doc["page_path"]).read_bytes() == _bytes(case.article)


def test_the_same_article_again_is_skipped_as_its_report_is_loaded(ingested: dict, prefect_api: str) -> None:
    db = ingested["db"]
    with Server(SITE) as base:  # another port: another source, so one article of the first run's
        rc, first, _ = _ingest(base + "/gkml/nb/a13_zip.html", "--db", db)
        rc2, again, _ = _ingest(base + "/gkml/nb/a13_zip.html", "--db", db)
    assert (rc, rc2) == (0, 0)
    assert "ok, 涟水县人民政府 2023, 200 cells read" in first
    assert again.strip() == f"{base}/gkml/nb/a13_zip.html: skipped, already loaded by this pipeline version"


def test_a_summary_line_says_where_the_report_was_read_from(ingested: dict) -> None:
    base = ingested["base"]
    line = next(ln for ln in ingested["out"].splitlines() if ln.startswith(base + "/gkml/nb/a02_iframe_pdf.html:"))
    assert line.startswith(f"{base}/gkml/nb/a02_iframe_pdf.html: ok, 郯城县住房和城乡建设局 2023, 200 cells read")
    assert line.endswith(f"(read from {base}/files/2024/p05.pdf)")


def test_interpretations_diagrams_viewers_and_frames_too_deep_are_never_requested(ingested: dict) -> None:
    assert not ingested["requested"] & SITE.never
    assert "/files/2023/P020230115.pdf" in ingested["requested"]


def test_a_report_behind_a_missing_attachment_is_named_with_why(ingested: dict) -> None:
    db, base = ingested["db"], ingested["base"]
    doc = _doc(db, base + "/gkml/nb/a09_broken_link.html")
    assert doc["status"] == "behind_link"
    assert f"({base}/files/2024/P020240301_404.pdf): HTTP 404" in doc["error"]
    # nothing lost: the page is loaded as itself, with the agency and year it names
    assert doc["doc_id"] == hashlib.sha256(_bytes("/gkml/nb/a09_broken_link.html")).hexdigest()
    assert (doc["agency"], doc["year"], doc["format"]) == ("示范县水利局", 2023, "html")
    # one line on stdout, named on stderr, and the command says something was not processed
    assert f"{base}/gkml/nb/a09_broken_link.html: behind_link, the report is behind" in ingested["out"]
    assert f"nianbao: {base}/gkml/nb/a09_broken_link.html: the report is behind" in ingested["err"]
    assert ingested["rc"] == 1
    assert _rows(db, "SELECT sum(behind_link) FROM coverage") == [(2,)]  # a08 and a09


def test_frames_deeper_than_two_levels_are_named_not_followed(ingested: dict) -> None:
    doc = _doc(ingested["db"], ingested["base"] + "/gkml/nb/a08_three_frames_deep.html")
    assert doc["status"] == "behind_link"
    assert "/files/2025/p17.pdf, deeper than followed (2 levels)" in doc["error"]


def test_once_the_attachment_is_there_the_report_replaces_the_page(prefect_api: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.article.endswith("a09_broken_link.html"))
    site = replace(SITE, resources=dict(SITE.resources), requests=[])
    db = str(tmp_path / "w.duckdb")
    with Server(site) as base:
        rc, _, _ = _ingest(base + case.article, "--db", db)
        assert rc == 1 and _doc(db, base + case.article)["status"] == "behind_link"
        site.resources["/files/2024/P020240301_404.pdf"] = Resource(_bytes("/files/2024/p05.pdf"), "application/pdf")
        rc, _out, err = _ingest(base + case.article, "--db", db)
    assert rc == 0, err
    doc = _doc(db, base + case.article)  # one row: the report took the page's place
    assert (doc["status"], doc["followed_url"]) == ("ok", base + "/files/2024/P020240301_404.pdf")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict:
    db = str(tmp_path_factory.mktemp("linked-crawl") / "w.duckdb")
    site = replace(SITE, resources=dict(SITE.resources), requests=[])
    with Server(site) as base:
        outcome = crawl([base + LISTING], db, FAST, portal="linked")
    return {"db": db, "base": base, "outcome": outcome, "requested": {r.path.split("?")[0] for r in site.requests}}


@pytest.mark.parametrize("case", REPORTS, ids=[c.article.rsplit("/", 1)[1] for c in REPORTS])
def test_a_crawl_loads_every_framed_and_attached_report(crawled: dict, case: Case) -> None:
    db, base = crawled["db"], crawled["base"]
    assert case.gold is not None and case.target is not None
    doc = _doc(db, base + case.target)
    assert doc["status"] == "ok"
    assert (doc["agency"], doc["year"]) == (case.gold["agency"], case.gold["year"])
    assert Path(doc["page_path"]).read_bytes() == _bytes(case.article)
    recall, silent, invented = _score(db, doc["doc_id"], case.gold)
    assert recall >= 0.995 and not silent and not invented, (recall, silent, invented)
    # the crawl log leads back from the report to its article (through a frame or an archive)
    url, chain = base + case.target, []
    while url != base + case.article and len(chain) < 4:
        [(url,)] = _rows(db, "SELECT DISTINCT referrer FROM crawl_log WHERE url = ?", [url])
        chain.append(url)
    assert url == base + case.article, chain


def test_a_crawl_requests_no_interpretation_and_logs_what_it_could_not_follow(crawled: dict) -> None:
    db, base = crawled["db"], crawled["base"]
    assert not crawled["requested"] & SITE.never
    failed = dict(_rows(db, "SELECT url, error FROM crawl_log WHERE status = 'failed'"))
    assert failed[base + "/files/2024/P020240301_404.pdf"] == "HTTP 404"
    assert "deeper than followed" in failed[base + "/gkml/nb/content/frame08b.html"]
    assert not _rows(db, "SELECT source FROM documents WHERE status = 'failed'")


# --- saved pages --------------------------------------------------------------------------------


def _saved(folder: Path, name: str, content: str, files: dict[str, bytes] | None = None) -> str:
    from tests.fixtures.portal.linked import article

    page = folder / name
    page.write_bytes(article("示范县交通运输局2023年政府信息公开工作年度报告", "示范县交通运输局", 2023, content))
    for rel, data in (files or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return str(page)


def test_a_saved_page_is_followed_to_the_report_saved_beside_it(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.article.endswith("a02_iframe_pdf.html"))
    assert case.gold is not None
    page = _saved(tmp_path, "报告.html", '<iframe src="报告_files/P020.pdf"></iframe>',
                  {"报告_files/P020.pdf": _bytes("/files/2024/p05.pdf")})
    [p] = run_batch([page], str(tmp_path / "w.duckdb"), workers=0)
    assert (p.loaded.status, p.loaded.followed_url) == ("ok", str(tmp_path / "报告_files" / "P020.pdf"))
    assert p.report is not None and p.report.values() == {k: float(v) for k, v in case.gold["cells"].items()}


@pytest.mark.parametrize(("content", "named"), [
    ('<iframe src="content/report.html"></iframe>', "iframe {folder}/content/report.html: no such file beside the saved page"),
    ('<p>附件：<a href="/files/2024/P020.pdf">2023年度报告.pdf</a></p>',
     "link '2023年度报告.pdf' (/files/2024/P020.pdf): not a file beside the saved page"),
    ('<p><a href="http://www.example.gov.cn/files/P020.pdf">下载附件</a></p>',
     "link '下载附件' (http://www.example.gov.cn/files/P020.pdf): a saved page's web address is not fetched"),
])
def test_a_saved_page_whose_report_is_not_beside_it_says_so(tmp_path: Path, content: str, named: str) -> None:
    page = _saved(tmp_path, "page.html", content)
    [p] = run_batch([page], str(tmp_path / "w.duckdb"), workers=0)
    assert p.loaded.status == "behind_link"
    assert p.loaded.error is not None and named.format(folder=tmp_path) in p.loaded.error
    assert p.summary() == f"{page}: behind_link, {p.loaded.error}"
    assert (p.report.agency, p.report.year) == ("示范县交通运输局", 2023) if p.report else False


# --- reprocessing ---------------------------------------------------------------------------------


def test_reprocessing_a_followed_report_reads_it_with_its_pages_agency_again(prefect_api: str, tmp_path: Path) -> None:
    from flows.reprocess import reprocess

    case = next(c for c in CASES if c.article.endswith("a10_untitled_docx.html"))
    assert case.gold is not None
    db = str(tmp_path / "w.duckdb")
    with Server(replace(SITE, requests=[])) as base:
        assert _ingest(base + case.article, "--db", db)[0] == 0
        before = _doc(db, base + case.article)
        [outcome] = reprocess(db, "all")
    assert outcome.processed is not None
    after = _doc(db, base + case.article)
    assert after == before
    assert (after["agency"], after["year"]) == (case.gold["agency"], case.gold["year"])


def test_reprocessing_a_page_an_earlier_version_left_unfollowed_loads_its_report(prefect_api: str,
                                                                                  tmp_path: Path) -> None:
    from extractors.template import load_template
    from flows.pipeline import process
    from flows.reprocess import reprocess
    from warehouse.load import connect, load, store_original

    case = next(c for c in CASES if c.article.endswith("a05_docx_link.html"))
    assert case.gold is not None and case.target is not None
    db = str(tmp_path / "w.duckdb")
    page = _bytes(case.article)
    with Server(replace(SITE, requests=[])) as base:
        # what a version that did not follow pages loaded: the page itself, no_template_tables
        seen = process(page, base + case.article, load_template())
        assert seen.loaded.status == "no_template_tables"
        con = connect(db, load_template())
        load(con, replace(seen.loaded, original_path=store_original(page, db, seen.loaded.doc_id, ".html")),
             seen.report, seen.checks)
        con.close()
        [outcome] = reprocess(db, "all")
    assert outcome.processed is not None and outcome.processed.loaded.status == "ok"
    doc = _doc(db, base + case.article)  # one row: the report in the page's place
    assert (doc["followed_url"], doc["agency"]) == (base + case.target, case.gold["agency"])
    assert Path(doc["page_path"]).read_bytes() == page
    assert Path(doc["original_path"]).read_bytes() == _bytes(case.target)
    recall, silent, invented = _score(db, doc["doc_id"], case.gold)
    assert recall >= 0.995 and not silent and not invented


# --- which targets, and whose agency ------------------------------------------------------------


def test_frames_are_followed_on_the_pages_own_site_only() -> None:
    page = (b"<iframe src='http://xxgk.shifan.gov.cn/nb/r.html'></iframe>"
            b"<iframe src='https://player.video.example.com/embed/3'></iframe>"
            b"<iframe src='https://docs.example.com/view/nb.pdf'></iframe>")
    targets = follow.targets_of(page, "http://www.shifan.gov.cn/art/1.html")
    assert [(t.url, t.refused) for t in targets] == [
        ("http://xxgk.shifan.gov.cn/nb/r.html", None),  # another host of the same site
        ("https://docs.example.com/view/nb.pdf", "a frame on another site is not followed")]  # the player: not named


def test_framed_files_and_titled_reports_come_before_framed_pages_and_bare_attachments() -> None:
    page = ("<iframe src='/w/1.html'></iframe><iframe src='/w/2.html'></iframe><iframe src='/w/3.html'></iframe>"
            "<iframe src='/w/4.html'></iframe><a href='/f/9.pdf'>附件</a>"
            "<a href='/f/3.pdf'>示范县2023年政府信息公开工作年度报告.pdf</a><embed src='/f/r.pdf'>").encode()
    assert [t.url.rsplit("/", 2)[1:] for t in follow.targets_of(page, "http://www.shifan.gov.cn/art/1.html")] == [
        ["f", "r.pdf"], ["f", "3.pdf"], ["w", "1.html"], ["w", "2.html"]]


def test_attachments_titled_as_the_report_are_tried_before_bare_ones() -> None:
    page = ("<a href='/f/1.pdf'>下载附件.pdf</a><a href='/f/2.doc'>附件2：政府信息公开申请表.doc</a>"
            "<a href='/f/3.pdf'>示范县2023年政府信息公开工作年度报告.pdf</a>").encode()
    assert [t.url for t in follow.targets_of(page, "http://www.shifan.gov.cn/art/1.html")] == [
        "http://www.shifan.gov.cn/f/3.pdf", "http://www.shifan.gov.cn/f/1.pdf"]


@pytest.mark.parametrize(("found", "page", "expected"), [
    (("甲县人民政府", 2023, "title"), ("乙县人民政府", 2024), ("甲县人民政府", 2023, "title")),  # its own title wins
    ((None, 2024, "frequent"), ("乙县人民政府", 2023), ("乙县人民政府", 2023, "page")),
    ((None, 2023, "period"), ("乙县人民政府", 2024), ("乙县人民政府", 2023, "period")),  # the period it states wins
    (("丙局", 2022, "published"), (None, 2023), ("丙局", 2023, "page")),
])
def test_the_pages_agency_and_year_fill_only_what_the_reports_title_leaves_open(found, page, expected) -> None:
    from extractors.metadata import with_page

    assert with_page(*found, page) == expected


def test_a_page_of_many_frames_costs_a_bounded_number_of_requests() -> None:
    from extractors.template import load_template
    from flows.pipeline import process

    frames = "<html><body>" + "".join(f"<iframe src='/f/{i}.html'></iframe>" for i in range(4)) + "</body></html>"
    pages = {f"http://www.shifan.gov.cn/f/{i}.html": frames.replace("/f/", f"/f/{i}/").encode() for i in range(4)}
    asked: list[str] = []

    def get(url: str) -> follow.Got:
        asked.append(url)
        return follow.Got(pages.get(url, b"<p>empty</p>"), "text/html")

    template = load_template()
    page = process(frames.encode(), "http://www.shifan.gov.cn/art/1.html", template)
    found = follow.follow(page, frames.encode(), "http://www.shifan.gov.cn/art/1.html",
                          lambda d, s, meta: process(d, s, template, page=meta), get=get)
    assert len(asked) == follow.MAX_FETCHES
    assert found.processed.loaded.status == "behind_link"
    assert "8 requests for this page's report already made" in (found.processed.loaded.error or "")


def test_the_review_page_says_where_the_report_was_read_from(ingested: dict) -> None:
    from extractors.template import load_template
    from warehouse.inspect import build_page, find_document

    base = ingested["base"]
    with duckdb.connect(ingested["db"], read_only=True) as con:
        doc_id = find_document(con, base + "/gkml/nb/a05_docx_link.html")
        page = build_page(con, doc_id, load_template(), with_crops=False)
    assert f"<dt>read from</dt><dd>{base}/files/2025/P020250120.docx</dd>" in page


# --- crawling: a report in the article itself, and a warehouse an earlier version crawled ---------


def test_an_article_holding_its_report_is_the_report_and_its_frames_are_not_requested(tmp_path: Path) -> None:
    from tests.fixtures.portal.portal import article_page, inline, listing_page, seed, site_of

    text, gold = seed(0)
    title = f"{gold['agency']}{gold['year']}年政府信息公开工作年度报告"
    body = inline(text.decode("utf-8")) + '<iframe src="/video/player.html"></iframe>'
    site = site_of({"/nb/index.html": Resource(listing_page([(title, "a.html")], ""), "text/html; charset=utf-8"),
                    "/nb/a.html": Resource(article_page(title, body), "text/html; charset=utf-8"),
                    "/video/player.html": Resource(b"<html><body>player</body></html>", "text/html")})
    db = str(tmp_path / "w.duckdb")
    with Server(site) as base:
        crawl([base + "/nb/index.html"], db, FAST)
    assert "/video/player.html" not in {r.path for r in site.requests}
    assert _doc(db, base + "/nb/a.html")["status"] == "ok"


def test_a_crawl_after_an_earlier_version_follows_the_frames_of_pages_it_loaded_as_no_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.crawl_engine

    case = next(c for c in CASES if c.article.endswith("a02_iframe_pdf.html"))
    assert case.gold is not None and case.target is not None
    from tests.fixtures.portal.portal import listing_page, site_of

    db = str(tmp_path / "w.duckdb")
    site = site_of({"/nb/index.html": Resource(listing_page([(case.title, case.article)], ""), "text/html"),
                    case.article: SITE.resources[case.article], case.target: SITE.resources[case.target]})
    real = flows.crawl_engine.report_targets
    with Server(site) as base:
        # an earlier version: frames unknown, the article loaded as a page without a report
        monkeypatch.setattr(flows.crawl_engine, "report_targets",
                            lambda page, url: [t for t in real(page, url) if t.via == "link"])
        crawl([base + "/nb/index.html"], db, FAST)
        assert _doc(db, base + case.article)["status"] == "no_template_tables"
        monkeypatch.setattr(flows.crawl_engine, "report_targets", real)
        crawl([base + "/nb/index.html"], db, FAST)  # the article answers 304 now
    assert not _rows(db, "SELECT 1 FROM documents WHERE source = ?", [base + case.article])
    doc = _doc(db, base + case.target)
    assert (doc["status"], doc["agency"], doc["year"]) == ("ok", case.gold["agency"], case.gold["year"])
    [(status,)] = _rows(db, "SELECT status FROM crawl_log WHERE url = ? ORDER BY fetched_at DESC LIMIT 1",
                        [base + case.article])
    assert status == "not_modified"
