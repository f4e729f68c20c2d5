"""Crawling a portal's annual-report column: listing pages -> report articles -> attachments -> warehouse.

`crawl` is the plain function (tests call it); `flows.crawl.crawl_portal` is the Prefect flow around
it that `nianbao crawl` runs and `nianbao serve` deploys on schedules.

From each start URL the crawler follows the listing's pagination on the same host, opens the
articles whose titles name an annual report (others are never requested), and ingests each report:
the article page itself when the report is pasted into it (the HTML extractor finds the body),
else what it frames (an iframe showing the report, a PDF viewer's file) and its report attachments
(PDF, Word, WPS, images, text, ZIPs of these; a 解读 or 图解 is not the report), a framed page that
holds no report leading once more to what it frames or attaches (flows/follow.py). Such a document
takes the article's agency and year where its own title names neither (the article's title or
metadata box; the article's stored copy is `documents.page_path`). An article holding the report
itself is not followed into its frames, only to its attachments. Every URL dealt with gets a
row in `crawl_log` (warehouse/crawl_log.py). The source recorded for a document is its URL
(`URL#path` for a file inside a ZIP).

Incremental: listing pages are always fetched (they are how new reports are found); articles and
attachments already in `crawl_log` are asked for with a conditional GET (ETag / Last-Modified);
a 304 or the same bytes again (sha256) means nothing is processed again, and an article's
attachment links are replayed from the log. An attachment already loaded from a server that sends
no validators is not requested at all: portals publish a changed file under a new name. A crawl
that was interrupted picks up where it stopped, since a URL's row is written only once it is done.
An unchanged article that an earlier version loaded as a page without a report is looked at again
from its stored copy: what it frames or attaches is followed, and the page makes way.

Robust: a page or file that fails (404, timeout, 500, unreadable, too large) is logged and named in
the outcome; the crawl goes on.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from flows.crawl_config import CrawlSettings
from flows.crawl_links import is_attachment, is_pagination, is_report_title, parse_page
from flows.crawl_politeness import HostGate, host_of
from flows.follow import MAX_DEPTH, page_meta, report_targets, targets_of
from flows.follow import wanted as follow_wanted
from flows.http import Response, fetch, make_client
from warehouse import crawl_log
from warehouse.crawl_log import Known, LogRow

if TYPE_CHECKING:
    import duckdb
    import httpx

    from extractors.template import Template
    from flows.pipeline import PageMeta, Processed
    from warehouse.read_copy import Publisher

# An article that only lists other reports (a year's index of departments' reports) leads to them;
# they are not followed further than this, so "related reports" links cannot walk a whole site.
_MAX_INDEX_DEPTH = 2


@dataclass(frozen=True)
class _PageOf:
    """An article whose report is attached or framed: its agency and year, and its stored copy."""

    meta: PageMeta | None
    path: str


@dataclass(frozen=True)
class Failure:
    url: str
    reason: str

    def line(self) -> str:
        return f"{self.url}: {self.reason}"


@dataclass(frozen=True)
class CrawlOutcome:
    crawl_id: str
    documents: tuple[Processed, ...]  # loaded in this crawl
    failures: tuple[Failure, ...]
    statuses: tuple[tuple[str, int], ...]  # crawl_log status -> rows written by this crawl

    def summary(self) -> str:
        counts = ", ".join(f"{n} {s}" for s, n in self.statuses) or "nothing"
        return f"crawl {self.crawl_id}: {len(self.documents)} documents loaded; urls: {counts}"


def crawl(start_urls: list[str], db: str, settings: CrawlSettings | None = None, *, portal: str | None = None,
          on_document: Callable[[Processed], None] | None = None,
          sleep: Callable[[float], None] = time.sleep) -> CrawlOutcome:
    """Crawl the listings at `start_urls` into the warehouse `db`; never raises for a bad page."""
    from extractors.template import load_template

    settings = settings or CrawlSettings()
    policy = settings.policy()
    hosts = {host_of(u) for u in start_urls} | {h.lower() for h in settings.extra_hosts}
    template = load_template()
    with make_client(policy) as client, _warehouse(db, template) as (con, publisher):
        gate = HostGate(client, policy, delay=settings.delay, allowed_hosts=hosts, sleep=sleep)
        crawler = _Crawler(db, con, settings, template, client, gate, portal, on_document, publisher)
        return crawler.run(start_urls)


@contextmanager
def _warehouse(db: str, template: Template) -> Iterator[tuple[duckdb.DuckDBPyConnection, Publisher]]:
    """The warehouse for the whole crawl. Every row is committed as soon as it is written, so an
    interrupted crawl keeps what it did; DuckDB takes one writing process, so a crawl waits for
    another writer to finish (saying so). Readers read the copy it publishes after its documents."""
    from warehouse.load import connect
    from warehouse.read_copy import Publisher

    con = connect(db, template)
    publisher = Publisher(db)
    try:
        crawl_log.create_crawl_log(con)
        yield con, publisher
        publisher.pending = True  # the crawl log's last rows
    finally:
        if publisher.pending:
            publisher.publish(con)
        con.close()
        publisher.close()


class _Crawler:
    """One crawl's state: the HTTP client and gate, what the log already knows, what was seen."""

    def __init__(self, db: str, con: duckdb.DuckDBPyConnection, settings: CrawlSettings, template: Template,
                 client: httpx.Client, gate: HostGate, portal: str | None,
                 on_document: Callable[[Processed], None] | None, publisher: Publisher | None = None) -> None:
        self.db = db
        self.con = con
        self.settings = settings
        self.policy = settings.policy()
        self.template = template
        self.client = client
        self.gate = gate
        self.portal = portal
        self.on_document = on_document
        self.publisher = publisher
        self.crawl_id = uuid.uuid4().hex[:12]
        self.seen: set[str] = set()
        self.documents: list[Processed] = []
        self.failures: list[Failure] = []
        self.statuses: dict[str, int] = {}
        self.known: dict[str, Known] = {}
        # article URL -> what its attachments and frames need of it: its agency and year, and its
        # stored copy (flows/follow.py: a report's own title may name neither)
        self.pages: dict[str, _PageOf] = {}

    def run(self, start_urls: list[str]) -> CrawlOutcome:
        self.known = crawl_log.known_urls(self.con)
        articles: list[tuple[str, str]] = []  # (url, referrer)
        attachments: list[tuple[str, str]] = []
        self._listings(start_urls, articles, attachments)
        queue = [(url, referrer, 0) for url, referrer in articles]
        while queue:
            url, referrer, depth = queue.pop(0)
            files, pages = self._article(url, referrer)
            for link in files:
                self._attachment(link, url, self.pages.get(url))
            if depth < _MAX_INDEX_DEPTH:
                queue.extend((page, url, depth + 1) for page in pages)
        for url, referrer in attachments:
            self._attachment(url, referrer)
        return CrawlOutcome(self.crawl_id, tuple(self.documents), tuple(self.failures),
                            tuple(sorted(self.statuses.items())))

    # --- listing pages ---------------------------------------------------------------------------

    def _listings(self, start_urls: list[str], articles: list[tuple[str, str]],
                  attachments: list[tuple[str, str]]) -> None:
        queue: list[tuple[str, str | None]] = [(u, None) for u in start_urls]
        self.seen.update(u for u in start_urls)
        pages = 0
        while queue and pages < self.settings.max_listing_pages:
            url, referrer = queue.pop(0)
            pages += 1
            r = self._get(url)
            if not self._fetched_ok(r, url, referrer, "listing"):
                continue
            data = r.data or b""
            self._log(LogRow(url, crawl_log.FETCHED, "listing", referrer, len(data), _sha256(data),
                             etag=r.etag, last_modified=r.last_modified, http_status=r.status,
                             final_url=_moved(r), content_type=r.content_type))
            page = parse_page(data, r.final_url, r.content_type)
            for next_url in page.script_pages:
                self._enqueue(next_url, url, queue)
            for link in page.links:
                if is_attachment(link):
                    if is_report_title(link.text) and self._follow(link.url, url):
                        attachments.append((link.url, url))
                elif is_pagination(link, r.final_url):
                    self._enqueue(link.url, url, queue)
                elif is_report_title(link.text) and self._follow(link.url, url):
                    articles.append((link.url, url))

    def _enqueue(self, url: str, referrer: str, queue: list[tuple[str, str | None]]) -> None:
        if url not in self.seen and self.gate.allowed_host(url) and self.settings.follows(url):
            self.seen.add(url)
            queue.append((url, referrer))

    def _follow(self, url: str, referrer: str) -> bool:
        """Whether to take a report link: once per crawl, patterns permitting; another host's
        link is logged (analysts see what was left out) but not requested."""
        if url in self.seen or not self.settings.follows(url):
            return False
        self.seen.add(url)
        if not self.gate.allowed_host(url):
            self._log(LogRow(url, crawl_log.OTHER_HOST, "link", referrer,
                             error=f"host {host_of(url)} not in the portal's hosts"))
            return False
        return True

    # --- articles --------------------------------------------------------------------------------

    def _article(self, url: str, referrer: str) -> tuple[list[str], list[str]]:
        """Fetch and (if it holds the report) ingest one article: the URLs of its report
        attachments to fetch, and of the report pages it leads to when it only lists reports."""
        known = self.known.get(url)
        r = self._get(url, known)
        if r.not_modified and known is not None:
            links = known.links
            if known.doc_status not in (None, "ok"):
                # loaded as a page without a report (by a version that did not follow frames):
                # what its stored copy frames or attaches now leads on, the page making way
                links = self._stored_targets(known, url) or links
            self._log(replace(_unchanged(known, url, referrer, "article", crawl_log.NOT_MODIFIED, r), links=links))
            return self._followed(links, url), self._followed(known.pages, url)
        if not self._fetched_ok(r, url, referrer, "article"):
            return [], []
        data = r.data or b""
        digest = _sha256(data)
        page = parse_page(data, r.final_url, r.content_type)
        # what the article frames (an iframe showing the report) and its report attachments; an
        # article holding the report itself leads only to its attachments (a frame beside the
        # report is a video or a widget)
        targets = report_targets(page, r.final_url)
        attachments = [t.url for t in targets if t.via == "link"]
        files = [t.url for t in targets]
        row = LogRow(url, crawl_log.FETCHED, "article", referrer, len(data), digest, etag=r.etag,
                     last_modified=r.last_modified, http_status=r.status, final_url=_moved(r),
                     content_type=r.content_type, links=tuple(files))
        if known is not None and known.hash == digest:
            if known.doc_status == "ok":
                files = attachments
            elif known.doc_status is not None and files:
                crawl_log.retire_document(self.con, known.hash, url)  # a page without its report: makes way
            self._log(replace(row, status=crawl_log.UNCHANGED, doc_status=known.doc_status, pages=known.pages,
                              links=tuple(files)))
            return self._followed(files, url), self._followed(known.pages, url)
        processed = self._process(data, url)
        # The report is inline when the page yields template facts. A page that only links the
        # report, or only lists report pages, is not a document of its own; a page with none of
        # these is loaded, so that its status shows in the warehouse.
        inline = processed.report is not None and bool(processed.report.facts)
        if inline:
            files = attachments
            row = replace(row, links=tuple(files))
        pages: list[str] = []
        if not inline and not files:
            pages = list(dict.fromkeys(
                link.url for link in page.links
                if link.url != url and not is_attachment(link) and is_report_title(link.text)
                and self.gate.allowed_host(link.url)))
        row = replace(row, pages=tuple(pages))
        if inline or not (files or pages):
            self._load(processed, data, row, replaced=known.hash if known else None)
        else:
            self._log(row)
            if files:
                from warehouse.load import store_original

                self.pages[url] = _PageOf(page_meta(processed), store_original(data, self.db, digest, ".html"))
        return self._followed(files, url), self._followed(pages, url)

    def _stored_targets(self, known: Known, url: str) -> tuple[str, ...]:
        """What the stored copy of an article loaded as a page without a report frames or attaches;
        where it leads anywhere, the page's document is retired (its report takes its place)."""
        from pathlib import Path

        row = self.con.execute("SELECT original_path FROM documents WHERE doc_id = ? AND source = ?",
                               [known.hash, url]).fetchone()
        if not row or not row[0]:
            return ()
        try:
            data = Path(row[0]).read_bytes()
        except OSError:
            return ()
        targets = tuple(t.url for t in report_targets(parse_page(data, url), url))
        if targets:
            self.pages[url] = _PageOf(page_meta(self._process(data, url)), row[0])
            crawl_log.retire_document(self.con, known.hash, url)
        return targets

    def _followed(self, urls: Iterable[str] | None, referrer: str) -> list[str]:
        return [u for u in urls or () if self._follow(u, referrer)]

    # --- attachments -----------------------------------------------------------------------------

    def _attachment(self, url: str, referrer: str, page: _PageOf | None = None, depth: int = 1) -> None:
        """Fetch and load one attachment or framed document of the article `referrer`. A framed page
        holding no report leads once more to what it frames or attaches (follow.MAX_DEPTH)."""
        known = self.known.get(url)
        if known is not None and not (known.etag or known.last_modified):
            self._log(_unchanged(known, url, referrer, "attachment", crawl_log.KNOWN, None))
            return
        r = self._get(url, known)
        if r.not_modified and known is not None:
            self._log(_unchanged(known, url, referrer, "attachment", crawl_log.NOT_MODIFIED, r))
            return
        if not self._fetched_ok(r, url, referrer, "attachment"):
            return
        data = r.data or b""
        digest = _sha256(data)
        row = LogRow(url, crawl_log.FETCHED, "attachment", referrer, len(data), digest, etag=r.etag,
                     last_modified=r.last_modified, http_status=r.status, final_url=_moved(r),
                     content_type=r.content_type)
        if known is not None and known.hash == digest:
            self._log(replace(row, status=crawl_log.UNCHANGED, doc_status=known.doc_status))
            return
        from extractors.detect import detect_format

        if detect_format(data, url) == "zip":
            self._unzip(data, url, page)
            self._log(row)
            return
        processed = self._process(data, url, page.meta if page else None)
        inner = targets_of(data, r.final_url, r.content_type) if follow_wanted(processed) else []
        if inner and depth < MAX_DEPTH:
            self._log(replace(row, links=tuple(t.url for t in inner)))
            for link in self._followed((t.url for t in inner), url):
                self._attachment(link, url, page, depth + 1)
            return
        if inner:
            self._fail(replace(row, status=crawl_log.FAILED, links=tuple(t.url for t in inner), error=(
                f"a framed page with no report that frames or links {inner[0].url}, deeper than followed "
                f"({MAX_DEPTH} levels)")))
            return
        if page is not None:
            processed = replace(processed, loaded=replace(processed.loaded, page_path=page.path))
        self._load(processed, data, row, replaced=known.hash if known else None)

    def _unzip(self, data: bytes, url: str, page: _PageOf | None = None) -> None:
        from flows.crawl_zip import unpack

        # The archive's unpacked total may be ten files at the per-file limit.
        unpacked = unpack(data, max_member_bytes=self.settings.max_bytes, max_total_bytes=10 * self.settings.max_bytes)
        for error in unpacked.errors:
            name, _, reason = error.partition(": ")
            self._fail(LogRow(f"{url}#{name}", crawl_log.FAILED, "member", url, error=reason))
        # members of the archive's earlier version: a changed one replaces its document, one that is
        # gone has its document retired, so the warehouse holds what the portal now serves
        earlier = {u: k for u, k in self.known.items() if u.startswith(f"{url}#")}
        for member in unpacked.members:
            source = f"{url}#{member.name}"
            before = earlier.pop(source, None)
            row = LogRow(source, crawl_log.FETCHED, "member", url, len(member.data), _sha256(member.data))
            if before is not None and before.hash == row.hash:
                self._log(replace(row, status=crawl_log.UNCHANGED, doc_status=before.doc_status))
                continue
            processed = self._process(member.data, source, page.meta if page else None)
            if page is not None:
                processed = replace(processed, loaded=replace(processed.loaded, page_path=page.path))
            self._load(processed, member.data, row, replaced=before.hash if before else None)
        for gone in earlier.values():
            crawl_log.retire_document(self.con, gone.hash, gone.url)
            self._log(LogRow(gone.url, crawl_log.REMOVED, "member", url, hash=gone.hash))

    # --- fetching, processing, loading, logging --------------------------------------------------

    def _get(self, url: str, known: Known | None = None) -> Response:
        etag = known.etag if known else None
        last_modified = known.last_modified if known else None
        return fetch(self.client, url, self.policy, etag=etag, last_modified=last_modified, gate=self.gate,
                     sleep=self.gate.sleep)

    def _fetched_ok(self, r: Response, url: str, referrer: str | None, kind: str) -> bool:
        """Log a refused or failed fetch; True when `r` holds a body to work with."""
        if r.ok:
            return True
        if r.refused and r.error == "disallowed by robots.txt":
            self._log(LogRow(url, crawl_log.ROBOTS, kind, referrer, error=r.error, final_url=_moved(r)))
        else:
            error = r.error or (f"HTTP {r.status}" if r.status else "no answer")
            self._fail(LogRow(url, crawl_log.FAILED, kind, referrer, error=error, http_status=r.status,
                              final_url=_moved(r), content_type=r.content_type))
        return False

    def _process(self, data: bytes, source: str, page: PageMeta | None = None) -> Processed:
        from flows.pipeline import process

        return process(data, source, self.template, resolve=self._picture, page=page)

    def _picture(self, url: str) -> bytes | None:
        """A picture an article shows (a report pasted in as images), fetched politely like the rest."""
        r = self._get(url)
        return r.data if r.ok else None

    def _load(self, processed: Processed, data: bytes, row: LogRow, *, replaced: str | None) -> None:
        from flows.pipeline import suffix_of
        from warehouse.load import load, store_original

        loaded = processed.loaded
        path = store_original(data, self.db, loaded.doc_id, suffix_of(loaded.format or ""))
        loaded = replace(loaded, original_path=path)
        row = replace(row, doc_status=loaded.status)
        if replaced and replaced != loaded.doc_id:
            crawl_log.retire_document(self.con, replaced, loaded.source)
        load(self.con, loaded, processed.report, processed.checks)
        self._log(row)
        if self.publisher is not None:
            self.publisher.committed(self.con)
        self.documents.append(replace(processed, loaded=loaded))
        if loaded.status == "failed":
            self.failures.append(Failure(row.url, loaded.error or "could not be processed"))
        if self.on_document:
            self.on_document(processed)

    def _fail(self, row: LogRow) -> None:
        self.failures.append(Failure(row.url, row.error or "failed"))
        self._log(row)

    def _log(self, row: LogRow) -> None:
        crawl_log.write(self.con, [row], portal=self.portal, crawl_id=self.crawl_id)
        self.statuses[row.status] = self.statuses.get(row.status, 0) + 1


def _unchanged(known: Known, url: str, referrer: str, kind: str, status: str, r: Response | None) -> LogRow:
    """The row for content the crawler already has: the last known hash, validators and links."""
    return LogRow(url, status, kind, referrer, hash=known.hash,
                  etag=(r.etag if r and r.etag else known.etag),
                  last_modified=(r.last_modified if r and r.last_modified else known.last_modified),
                  http_status=r.status if r else None, final_url=_moved(r) if r else None,
                  doc_status=known.doc_status, links=known.links, pages=known.pages)


def _moved(r: Response) -> str | None:
    return r.final_url if r.final_url != r.url else None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
