"""From a web page to the report it frames or links: the fetch stage's second step.

A portal article often holds no report of its own: the report is shown in an iframe (an HTML page,
a PDF, a PDF viewer given the file) or attached below a line of text (附件：XX年度报告.pdf, 下载附件).
When the page read as no report (no template facts), `follow` fetches what the page frames (on the
page's own site) and the attachments that plausibly are the report (flows.crawl_links' judgement:
a 解读 or 图解 is not the report, nor 附件2：申请表), report titles first, reads each through the
pipeline and keeps the first that yields template facts (an attached ZIP: its first file that does,
`URL#path`). A framed page that holds no report is
followed one level further (an iframe inside an iframe, or the 下载附件 link on the framed page),
never more; at most `MAX_TARGETS` targets per page and `MAX_FETCHES` requests in all, each within
the fetch size limit.

What is loaded then is the followed document (its own bytes, doc_id and stored original), with
`source` still the page as given, `followed_url` the iframe or attachment read, and the page's
agency and year (from its title or metadata box) filling what the report's own title leaves open.
Where the report could not be reached (404, a timeout, a saved page whose file is not beside it, a
frame on another site), the page itself is loaded with status `behind_link` and `error` naming
each target and why: nothing the page holds is lost, and the next ingest tries again.

Extractors never follow links; reading a followed document is the same detect -> extract ->
reconcile -> check as any other.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from flows.crawl_links import (
    ATTACHMENT_EXTENSIONS,
    Page,
    extension,
    is_report_attachment,
    is_report_title,
    parse_page,
)
from flows.crawl_politeness import HostGate, origin_of
from flows.fetch import MAX_BYTES, is_url
from flows.http import Policy, fetch, make_client

if TYPE_CHECKING:
    import httpx

    from flows.pipeline import PageMeta, Processed

    Reader = Callable[[bytes, str, PageMeta | None], Processed]

MAX_TARGETS = 4  # frames and attachments tried per page
MAX_DEPTH = 2  # the page's own targets, and once more those of a framed page that holds no report
MAX_FETCHES = 8  # requests for one page's report, all levels together
FOLLOW_DELAY = 1.0  # seconds between two requests to one host
# Sites whose registrable name takes three labels: www.xx.gov.cn and xxgk.xx.gov.cn are one site.
_SECOND_LEVEL = frozenset({"gov", "com", "org", "net", "edu", "ac"})


@dataclass(frozen=True)
class Target:
    url: str  # absolute http(s) URL, or a file beside a saved page
    via: str  # "iframe" (any frame, embed or object) or "link"
    text: str = ""  # the link's text
    refused: str | None = None  # why it is not fetched

    def named(self) -> str:
        if self.via == "link":
            return f"link {self.text!r} ({self.url})" if self.text else f"link {self.url}"
        return f"iframe {self.url}"


@dataclass(frozen=True)
class Got:
    data: bytes | None
    content_type: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Followed:
    processed: Processed  # what to load: the followed document, or the page (behind_link, or as read)
    data: bytes  # its bytes, stored as its original
    page_data: bytes | None = None  # the page's bytes where the document is a followed one


def wanted(page: Processed) -> bool:
    """Whether a page read as no report is worth following: an HTML page with no template facts."""
    has_facts = page.report is not None and bool(page.report.facts)
    return page.loaded.format == "html" and not has_facts and page.loaded.status != "skipped"


def page_meta(page: Processed) -> PageMeta | None:
    """The agency and year the page names (its title or metadata box); a year only guessed from the
    page's most frequent 20xx年 is no help."""
    r = page.report
    if r is None:
        return None
    guessed = any(cell == "meta.year" for cell, _ in r.doubts)
    return r.agency, None if guessed else r.year


def targets_of(data: bytes, source: str, content_type: str | None = None) -> list[Target]:
    """What a page frames and the attachments that may be its report, in the order to try them."""
    if is_url(source):
        return report_targets(parse_page(data, source, content_type), source)[:MAX_TARGETS]
    page_file = Path(source).resolve()
    page = parse_page(data, page_file.as_uri(), content_type, schemes=("http", "https", "file"))
    return [_local(t, page_file.parent) for t in report_targets(page, page_file.as_uri())][:MAX_TARGETS]


def report_targets(page: Page, page_url: str) -> list[Target]:
    """What may hold the page's report, surest first: files it frames (a PDF, a viewer's PDF), then
    attachments titled as the report, then the pages it frames, then attachments that only say 附件
    or 下载. Frames are taken on the page's own site only (another site's frame is a widget or a
    player: named where it shows a file, else left out), so a page's widgets never crowd out its
    report's link."""
    frames = [Target(url, "iframe") if same_site(url, page_url) else
              Target(url, "iframe", refused="a frame on another site is not followed")
              for url in page.frames if url != page_url]
    frames = [t for t in frames if t.refused is None or _is_file(t.url)]
    links = [Target(link.url, "link", link.text) for link in page.links if is_report_attachment(link)]
    ranked = sorted(frames + links, key=lambda t: (
        t.refused is not None,  # named where nothing else leads to the report
        0 if t.via == "iframe" and _is_file(t.url) else 1 if t.via == "link" and is_report_title(t.text) else
        2 if t.via == "iframe" else 3))
    out: dict[str, Target] = {}
    for t in ranked:
        out.setdefault(t.url, t)  # a file both framed and linked: tried once, as framed
    return list(out.values())


def _is_file(url: str) -> bool:
    """A document file by its name (a PDF, a Word file...), not a web page."""
    return extension(url) in ATTACHMENT_EXTENSIONS


def same_site(a: str, b: str) -> bool:
    if urlsplit(a).scheme == "file" or urlsplit(b).scheme == "file":
        return urlsplit(a).scheme == urlsplit(b).scheme
    return _site(urlsplit(a).hostname or "") == _site(urlsplit(b).hostname or "")


def _site(host: str) -> str:
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        labels = host.lower().split(".")
        n = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
        return ".".join(labels[-n:])


def _local(t: Target, folder: Path) -> Target:
    """A saved page's target: a file beside it (its own folder or below), or named as not followed."""
    parts = urlsplit(t.url)
    if parts.scheme != "file":
        return replace(t, refused="a saved page's web address is not fetched (ingest the page's URL instead)")
    path = Path(url2pathname(unquote(parts.path)))
    if not path.resolve().is_relative_to(folder):
        return replace(t, url=str(path), refused="not a file beside the saved page (ingest the page's URL to fetch it)")
    return replace(t, url=str(path))


@dataclass
class _Walk:
    """One page's following: what was tried and why each failed."""

    page_source: str
    meta: PageMeta | None
    read: Reader
    get: Callable[[str], Got]
    seen: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    unreached: bool = False
    fetches: int = 0
    other: tuple[Processed, bytes] | None = None  # a document read but holding no template facts

    def reach(self, t: Target, depth: int) -> tuple[Processed, bytes] | None:
        if t.url in self.seen:
            return None
        self.seen.add(t.url)
        if t.refused:
            self._miss(t, t.refused)
            return None
        if self.fetches >= MAX_FETCHES:
            self._miss(t, f"not fetched: {MAX_FETCHES} requests for this page's report already made")
            return None
        self.fetches += 1
        got = self.get(t.url)
        if got.data is None:
            self._miss(t, got.error or "nothing came back")
            return None
        from extractors.detect import detect_format

        if detect_format(got.data, t.url) == "zip":
            return self._unzip(t, got.data)
        p = self._read(got.data, t.url)
        if _found(p):
            return p, got.data
        inner = targets_of(got.data, t.url, got.content_type) if p.loaded.format == "html" else []
        if inner and depth >= MAX_DEPTH:
            self._miss(t, f"it frames or links {inner[0].url}, deeper than followed ({MAX_DEPTH} levels)")
            return None
        for target in inner:
            found = self.reach(target, depth + 1)
            if found:
                return found
        if inner:  # what the framed page leads to said why
            return None
        if p.loaded.status == "failed":
            self._miss(t, f"could not be read: {p.loaded.error}")
            return None
        if p.loaded.status == "old_format" and self.other is None:
            self.other = (p, got.data)
        self.notes.append(f"{t.named()}: {p.loaded.status}")
        return None

    def _read(self, data: bytes, url: str) -> Processed:
        p = self.read(data, url, self.meta)
        return replace(p, loaded=replace(p.loaded, source=self.page_source, followed_url=url))

    def _unzip(self, t: Target, data: bytes) -> tuple[Processed, bytes] | None:
        """An attached archive (年报.zip): the first of its files that is the report, named URL#path."""
        from flows.crawl_zip import unpack

        unpacked = unpack(data, max_member_bytes=MAX_BYTES, max_total_bytes=2 * MAX_BYTES)
        for member in unpacked.members:
            p = self._read(member.data, f"{t.url}#{member.name}")
            if _found(p):
                return p, member.data
        self.notes.append(f"{t.named()}: a ZIP of {len(unpacked.members)} files, none of them a report"
                          + (f" ({'; '.join(unpacked.errors[:3])})" if unpacked.errors else ""))
        return None

    def _miss(self, t: Target, why: str) -> None:
        self.unreached = True
        self.notes.append(f"{t.named()}: {why}")


def _found(p: Processed) -> bool:
    """The report: template facts read, or the same bytes already loaded from this page (skipped)."""
    return (p.report is not None and bool(p.report.facts)) or p.loaded.status == "skipped"


def follow(page: Processed, data: bytes, source: str, read: Reader, *, content_type: str | None = None,
           final_url: str | None = None, get: Callable[[str], Got] | None = None) -> Followed:
    """The report a page read as no report leads to (see the module's text); `read` runs the
    pipeline on a followed document's bytes, given its address and the page's agency and year (it
    may answer `skipped` for bytes already loaded from this page). `final_url`: where the page's
    URL redirected to, the base of its relative links."""
    from flows.pipeline import BEHIND_LINK

    if not wanted(page):
        return Followed(page, data)
    targets = targets_of(data, final_url or source, content_type)
    if not targets:
        return Followed(page, data)
    own = Getter() if get is None else None
    walk = _Walk(source, page_meta(page), read, get or own or Getter(), {source, final_url or source})
    if not is_url(source):
        walk.seen.add(str(Path(source).resolve()))
    try:
        for t in targets:
            found = walk.reach(t, 1)
            if found:
                return Followed(found[0], found[1], data)
    finally:
        if own is not None:
            own.close()
    if walk.other is not None:
        return Followed(walk.other[0], walk.other[1], data)
    if walk.unreached:
        why = "the report is behind a link or frame that could not be followed: " + "; ".join(walk.notes)
        return Followed(replace(page, loaded=replace(page.loaded, status=BEHIND_LINK, error=why)), data)
    note = "no report in what the page frames or links: " + "; ".join(walk.notes)
    return Followed(replace(page, loaded=replace(page.loaded, error=page.loaded.error or note)), data)


class Getter:
    """Fetches followed targets: URLs through flows.http politely (robots.txt, one request at a time
    per host with a pause between two, the size limit; one client for a page's targets), files
    beside a saved page from disk."""

    def __init__(self, delay: float | None = None, max_bytes: int = MAX_BYTES) -> None:
        self.policy = Policy(max_bytes=max_bytes)
        self.delay = FOLLOW_DELAY if delay is None else delay
        self._client: httpx.Client | None = None
        self._gate: _Polite | None = None

    def __call__(self, target: str) -> Got:
        if is_url(target):
            return self._fetch(target)
        p = Path(target)
        try:
            size = p.stat().st_size
            if size > self.policy.max_bytes:
                return Got(None, error=f"file too large ({size // 2**20} MiB)")
            return Got(p.read_bytes())
        except FileNotFoundError:
            return Got(None, error="no such file beside the saved page")
        except OSError as e:
            return Got(None, error=f"cannot read: {e.strerror or e}")

    def _fetch(self, url: str) -> Got:
        if self._client is None or self._gate is None:
            self._client = make_client(self.policy)
            self._gate = _Polite(HostGate(self._client, self.policy, delay=self.delay, allowed_hosts=()))
        r = fetch(self._client, url, self.policy, gate=self._gate)
        if r.ok:
            return Got(r.data, r.content_type)
        return Got(None, r.content_type, r.error or f"HTTP {r.status}")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


class _Polite:
    """The crawler's gate without its list of hosts (the page named the target, and a redirect may
    lead to a file server): robots.txt and the pause between two requests to one host."""

    def __init__(self, gate: HostGate) -> None:
        self._gate = gate

    def admit(self, url: str) -> str | None:
        if not self._gate.robots_allow(url):
            unreadable = self._gate.robots_errors.get(origin_of(url))
            return f"robots.txt unreadable ({unreadable})" if unreadable else "disallowed by robots.txt"
        self._gate.wait_turn(url)
        return None

    def done(self, url: str) -> None:
        self._gate.done(url)
