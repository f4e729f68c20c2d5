"""Crawling the fixture portal (tests/fixtures/portal/): every report on it loaded with the right facts,
nothing else requested, robots.txt obeyed, failures logged without stopping the crawl, and a second
crawl that downloads nothing already held."""

from __future__ import annotations

import itertools
from pathlib import Path

import duckdb
import pytest

from flows.crawl_config import CrawlSettings
from flows.crawl_engine import CrawlOutcome, crawl
from tests.fixtures.portal.portal import (
    Resource,
    Server,
    article_page,
    build,
    listing_page,
    seed,
    site_of,
    zip_of,
)

START = "/gkml/nb/index.html"
FAST = CrawlSettings(delay=0.0, timeout=0.5, retries=1, backoff=0.0)


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory):
    """One portal, crawled twice into one warehouse; the request logs of both crawls kept."""
    site = build()
    db = str(tmp_path_factory.mktemp("crawl") / "w.duckdb")
    with Server(site) as base:
        first = crawl([base + START], db, FAST, portal="fixture")
        first_requests = list(site.requests)
        site.requests.clear()
        second = crawl([base + START], db, FAST, portal="fixture")
        second_requests = list(site.requests)
    return {"site": site, "base": base, "db": db, "first": first, "second": second,
            "first_requests": first_requests, "second_requests": second_requests}


def _query(db: str, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _paths(requests) -> set[str]:
    return {r.path for r in requests}


def test_every_report_on_the_portal_is_loaded_once(portal):
    base, site = portal["base"], portal["site"]
    sources = {s for (s,) in _query(portal["db"], "SELECT source FROM documents")}
    assert sources == {base + path for path in site.expected}


@pytest.mark.parametrize("path", sorted(build().expected))
def test_each_report_has_its_agency_year_and_facts(portal, path):
    gold = portal["site"].expected[path]
    source = portal["base"] + path
    [(doc_id, agency, year, status)] = _query(
        portal["db"], "SELECT doc_id, agency, year, status FROM documents WHERE source = ?", [source])
    assert (agency, year, status) == (gold["agency"], gold["year"], "ok")
    read = {f"{t}.{r}.{c}": v for t, r, c, v in _query(
        portal["db"], "SELECT table_id, row_id, col_id, value FROM facts WHERE doc_id = ? AND method <> 'inferred'",
        [doc_id])}
    assert read == {k: float(v) for k, v in gold["cells"].items()}


def test_notices_and_other_documents_are_never_requested(portal):
    assert not _paths(portal["first_requests"]) & portal["site"].never


def test_robots_txt_is_read_and_its_forbidden_path_logged_not_fetched(portal):
    paths = [r.path for r in portal["first_requests"]]
    assert paths[0] == "/robots.txt"
    assert not [p for p in paths if p.startswith("/private/")]
    assert _query(portal["db"], "SELECT status FROM crawl_log WHERE url LIKE '%/private/art_006.html'") \
        == [("robots",), ("robots",)]


def test_every_listing_page_is_followed(portal):
    assert portal["site"].listings <= _paths(portal["first_requests"])


def test_failing_links_are_logged_and_named_and_the_crawl_goes_on(portal):
    base, first = portal["base"], portal["first"]
    assert {f.url for f in first.failures} == {base + p for p in portal["site"].failing}
    rows = _query(portal["db"], "SELECT url, error FROM crawl_log WHERE status = 'failed' AND crawl_id = ?",
                  [first.crawl_id])
    errors = dict(rows)
    assert errors[base + "/files/slow.pdf"].startswith("timed out")
    assert errors[base + "/files/broken.pdf"].startswith("HTTP 500")
    assert errors[base + "/gkml/nb/art_404.html"] == "HTTP 404"


def test_timeouts_and_server_errors_are_retried(portal):
    paths = [r.path for r in portal["first_requests"]]
    assert paths.count("/files/broken.pdf") == 1 + FAST.retries
    assert paths.count("/gkml/nb/art_404.html") == 1  # a 404 is an answer, not a hiccup


def test_link_to_another_host_is_logged_not_requested(portal):
    rows = _query(portal["db"], "SELECT status FROM crawl_log WHERE url LIKE '%/elsewhere/report.pdf'")
    assert rows and {s for (s,) in rows} == {"other_host"}


def test_requests_name_nianbao(portal):
    assert all("nianbao" in r.user_agent for r in portal["first_requests"] + portal["second_requests"])


def test_one_request_at_a_time(portal):
    # the slow link's handler sleeps on after the crawler gave up on it: only answered requests count
    answered = sorted((r for r in portal["first_requests"] if r.path != "/files/slow.pdf"), key=lambda r: r.started)
    assert all(b.started >= a.ended for a, b in itertools.pairwise(answered))


def test_second_crawl_downloads_nothing_it_already_has(portal):
    site = portal["site"]
    again = [r for r in portal["second_requests"]
             if r.path not in site.listings | {"/robots.txt"} | site.failing]
    assert again, "articles are asked again with conditional GETs"
    assert {r.status for r in again} <= {301, 304}  # the moved attachment's old address still redirects
    assert all(r.if_none_match or r.if_modified_since for r in again)
    assert portal["second"].documents == ()


def test_attachment_without_validators_is_not_requested_again(portal):
    assert "/files/2024/P020240125_001.txt" in _paths(portal["first_requests"])
    assert "/files/2024/P020240125_001.txt" not in _paths(portal["second_requests"])


def test_crawl_log_hashes_are_the_documents_doc_ids(portal):
    first = portal["first"]
    rows = _query(portal["db"], "SELECT c.url, d.doc_id FROM crawl_log c LEFT JOIN documents d ON d.doc_id = c.hash"
                                " WHERE c.crawl_id = ? AND c.doc_status = 'ok'", [first.crawl_id])
    assert len(rows) == len(portal["site"].expected)
    assert all(doc_id is not None for _, doc_id in rows)


def test_crawl_outcome_counts_what_happened(portal):
    second: CrawlOutcome = portal["second"]
    statuses = dict(second.statuses)
    assert statuses["not_modified"] >= 7
    assert statuses["known"] == 1
    assert "fetched" in statuses  # the listing pages


def test_interrupted_crawl_resumes_without_fetching_what_is_done(tmp_path: Path):
    site = build()
    db = str(tmp_path / "w.duckdb")
    # the heavy attachments stay out of this test, which also shows exclude patterns at work
    light = CrawlSettings(delay=0.0, timeout=0.5, retries=0, backoff=0.0, exclude=(r"\.pdf$", r"\.docx$"))

    class Stop(Exception):
        pass

    def stop_after_first(_processed) -> None:
        raise Stop

    with Server(site) as base:
        with pytest.raises(Stop):
            crawl([base + START], db, light, on_document=stop_after_first)
        [(done_url,)] = _query(db, "SELECT url FROM crawl_log WHERE doc_status = 'ok'")
        site.requests.clear()
        resumed = crawl([base + START], db, light)
    done_path = done_url.removeprefix(base)
    assert [r.status for r in site.requests if r.path == done_path] == [304]
    assert not [r for r in site.requests if r.path.endswith((".pdf", ".docx"))]
    loaded = {p.loaded.source for p in resumed.documents}
    wanted = {base + p for p in site.expected if not p.endswith((".pdf", ".docx"))}
    assert loaded == wanted - {done_url}


def _mini_site(article: Resource):
    """A listing with one report article."""
    _, gold = seed(1)
    title = f"{gold['agency']}{gold['year']}年政府信息公开工作年度报告"
    return site_of({"/nb/index.html": Resource(listing_page([(title, "a.html")], ""), "text/html"),
                    "/nb/a.html": article})


def test_an_article_that_changed_replaces_its_earlier_version(tmp_path: Path):
    text, _ = seed(1)
    page = article_page("年报", "".join(f"<p>{line}</p>" for line in text.decode("utf-8").splitlines()))
    site = _mini_site(Resource(page, "text/html", etag='"v1"'))
    db = str(tmp_path / "w.duckdb")
    with Server(site) as base:
        crawl([base + "/nb/index.html"], db, FAST)
        [(old,)] = _query(db, "SELECT doc_id FROM documents")
        site.resources["/nb/a.html"] = Resource(page.replace(b"</p>", b"</p>\n", 1), "text/html", etag='"v2"')
        again = crawl([base + "/nb/index.html"], db, FAST)
    [(new, source)] = _query(db, "SELECT doc_id, source FROM documents")
    assert new != old and source == base + "/nb/a.html"
    assert len(again.documents) == 1
    assert not _query(db, "SELECT * FROM facts WHERE doc_id = ?", [old])


def test_an_archive_that_changed_replaces_changed_members_and_retires_removed_ones(tmp_path: Path):
    (a, _), (b, _), (c, _) = seed(0), seed(1), seed(2)
    site = _mini_site(Resource(article_page("年报", '<a href="/f/nb.zip">附件</a>'), "text/html"))
    site.resources["/f/nb.zip"] = Resource(zip_of({"a.txt": a, "b.txt": b, "c.txt": c}), "application/zip",
                                           etag='"v1"')
    db = str(tmp_path / "w.duckdb")
    with Server(site) as base:
        crawl([base + "/nb/index.html"], db, FAST)
        before = dict(_query(db, "SELECT source, doc_id FROM documents"))
        site.resources["/f/nb.zip"] = Resource(zip_of({"a.txt": a + b"\n", "c.txt": c}), "application/zip",
                                               etag='"v2"')
        again = crawl([base + "/nb/index.html"], db, FAST)
        site.resources["/f/nb.zip"] = Resource(zip_of({"a.txt": a + b"\n\n", "c.txt": c}), "application/zip",
                                               etag='"v3"')
        crawl([base + "/nb/index.html"], db, FAST)
    zip_url = base + "/f/nb.zip"
    after = dict(_query(db, "SELECT source, doc_id FROM documents"))
    assert set(after) == {f"{zip_url}#a.txt", f"{zip_url}#c.txt"}
    assert after[f"{zip_url}#c.txt"] == before[f"{zip_url}#c.txt"]
    assert [p.loaded.source for p in again.documents] == [f"{zip_url}#a.txt"]  # c.txt was not read again
    for gone in (before[f"{zip_url}#a.txt"], before[f"{zip_url}#b.txt"]):
        assert not _query(db, "SELECT * FROM facts WHERE doc_id = ?", [gone])
    assert _query(db, "SELECT status, hash FROM crawl_log WHERE url = ? AND status = 'removed'",
                  [f"{zip_url}#b.txt"]) == [("removed", before[f"{zip_url}#b.txt"])]  # logged once


def test_an_article_without_validators_is_fetched_again_but_not_processed_again(tmp_path: Path):
    text, _ = seed(1)
    page = article_page("年报", '<a href="/f/r.txt">附件</a>')
    site = _mini_site(Resource(page, "text/html"))
    site.resources["/f/r.txt"] = Resource(text, "text/plain", etag='"r"')
    db = str(tmp_path / "w.duckdb")
    with Server(site) as base:
        crawl([base + "/nb/index.html"], db, FAST)
        again = crawl([base + "/nb/index.html"], db, FAST)
    assert again.documents == ()
    assert dict(again.statuses)["unchanged"] == 1 and dict(again.statuses)["not_modified"] == 1


def test_crawl_latest_shows_where_each_url_stands(portal):
    rows = dict(_query(portal["db"], "SELECT url, status FROM crawl_latest"))
    base = portal["base"]
    assert rows[base + "/gkml/nb/art_001.html"] == "not_modified"
    assert rows[base + "/files/broken.pdf"] == "failed"
    [(distinct,)] = _query(portal["db"], "SELECT count(DISTINCT url) FROM crawl_log")
    [(latest,)] = _query(portal["db"], "SELECT count(*) FROM crawl_latest")
    assert latest == distinct


@pytest.mark.parametrize(("extra_hosts", "status"), [((), "other_host"), (("localhost",), "fetched")])
def test_attachments_on_another_host_are_fetched_only_when_configured(tmp_path: Path, extra_hosts, status):
    text, _ = seed(1)
    site = _mini_site(Resource(article_page("年报", '<a href="http://localhost:{port}/f/r.txt">附件</a>'),
                               "text/html", etag='"a"'))
    site.resources["/f/r.txt"] = Resource(text, "text/plain", etag='"r"')
    db = str(tmp_path / "w.duckdb")
    settings = CrawlSettings(delay=0.0, timeout=0.5, retries=0, extra_hosts=extra_hosts)
    with Server(site) as base:
        outcome = crawl([base + "/nb/index.html"], db, settings)
    [(row_status,)] = _query(db, "SELECT status FROM crawl_log WHERE url LIKE 'http://localhost:%/f/r.txt'")
    assert row_status == status
    assert len(outcome.documents) == (1 if extra_hosts else 0)
