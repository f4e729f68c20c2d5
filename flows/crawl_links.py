"""What a portal page links to, and which of those links the crawler follows.

Listing pages (a column of the portal) lead to more listing pages (下一页, numbered page links,
`index_1.html`, TRS's `createPageHTML(...)` script) and to article pages, of which only annual
reports are opened (judged by the link's title). Article pages lead to attachments (by the file
extension in the link or its text, or a 下载附件 link to a download address) and show documents in
frames (iframe, frame, embed, object; a PDF viewer's `?file=` unwrapped). Pages arrive in UTF-8,
GBK or GB2312, often mislabelled, and as broken HTML: decoding and parsing never fail, a page that
cannot be read has no links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urldefrag, urljoin, urlsplit

from extractors.encoding import squeeze_cjk_spaces

if TYPE_CHECKING:
    from lxml import etree

ATTACHMENT_EXTENSIONS = frozenset(
    ["pdf", "doc", "docx", "wps", "odt", "rtf", "txt", "zip", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp",
     "xls", "xlsx", "et", "ods", "ofd"])

_REPORT = (
    re.compile(r"(政府信息|政务信息|政务|信息)公开.{0,12}?(年度报告|年报)"),
    re.compile(r"(年度报告|年报).{0,6}?(政府信息|政务|信息)公开"),
    re.compile(r"(19|20)\d{2}\s*年?度?\s*(年报|年度报告)"),
)
# Titles about reports that are not reports: notices to write them, reviews of them, summaries,
# and annual reports of other kinds.
_NOT_REPORT = re.compile(
    r"通知|通报|公告$|函$|评估|评议|考核|检查|督查|抽查|整改|征集|解读|图解|统计年报|企业年报|决算|预算|年报公示")
_NEXT_PAGE = frozenset({"下一页", "下页", "后一页", "后页", "下一頁", ">", ">>", "›", "»", "next", "尾页", "末页"})
_PAGE_NUMBER = re.compile(r"^\[?\s*\d{1,4}\s*\]?$")
_PAGE_FILE = re.compile(r"^(index|list|default|page|more)[_\-]?\d*\.(s?html?|jsp|php|aspx?)$", re.IGNORECASE)
_PAGE_QUERY = re.compile(r"(^|&)(page|pageno|pageindex|page_no|pagenum|pn|p|curpage|currentpage|start)=\d+", re.IGNORECASE)
# TRS WCM prints its pager with a script: createPageHTML(pages, current, "index", "html")
_TRS_PAGER = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?\d+['\"]?\s*,\s*"
                        r"['\"]([\w\-]+)['\"]\s*,\s*['\"](\w+)['\"]")
_GENERIC_ATTACHMENT_TEXT = re.compile(
    r"附件|下载|点击|原文|全文|查看|图片版|文字版|PDF|WORD|版本|扫描|文件", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_REPORT_WORD = re.compile(r"年报|年度报告")
_NUMBERS = re.compile(r"[\d一二三四五六七八九十]+")
_MAX_SCRIPT_PAGES = 500
# A link that only says it downloads the attachment, to an address without a file name
# (download.jsp?id=3, /attach/5): the article's attachment all the same.
_DOWNLOAD_TEXT = re.compile(r"^(附件|点击|立即)?(下载|下载附件|附件下载|下载全文|下载原文|全文下载|原文下载)$")
_DOWNLOAD_PATH = re.compile(r"down|attach|fujian|fileid|file_id|getfile|wjxz", re.IGNORECASE)
# Elements that show another document inside the page, and the attribute naming it.
_FRAME_ATTRS = (("iframe", "src"), ("frame", "src"), ("embed", "src"), ("object", "data"))
# Parameters through which a PDF viewer page (pdfjs/web/viewer.html?file=...) is told its document.
_VIEWER_PARAMS = ("file", "url", "src", "pdf", "path")


@dataclass(frozen=True)
class Link:
    url: str  # absolute, without fragment
    text: str  # the anchor's text, or its title attribute where that says more


@dataclass(frozen=True)
class Page:
    url: str  # the base links were resolved against
    title: str
    links: tuple[Link, ...]
    script_pages: tuple[str, ...] = ()  # pages of a pager printed by a script
    frames: tuple[str, ...] = ()  # documents shown inside the page (iframe, frame, embed, object)


def is_report_title(text: str) -> bool:
    """Whether a link or page title names a government-information annual report."""
    t = re.sub(r"\s+", "", text)
    return any(p.search(t) for p in _REPORT) and not _NOT_REPORT.search(t)


def parse_page(data: bytes, url: str, content_type: str | None = None,
               schemes: tuple[str, ...] = ("http", "https")) -> Page:
    """The links and frames of an HTML page, resolved against its URL (or its <base>); links of
    other schemes than `schemes` are left out (a saved page's own file: URL takes "file" too)."""
    import lxml.html
    from lxml import etree

    from extractors.html import decode_html

    text = decode_html(data, content_type)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError):
        return Page(url, "", ())
    if root is None:
        return Page(url, "", ())
    base = url
    for b in root.iter("base"):
        if b.get("href"):
            base = urljoin(url, b.get("href").strip())
            break
    title_el = root.find(".//title")
    title = squeeze_cjk_spaces(title_el.text_content()) if title_el is not None else ""
    links = []
    for a in root.iter("a", "area"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        absolute = _absolute(base, href, schemes)
        if absolute is None:
            continue
        shown = squeeze_cjk_spaces(a.text_content())
        hint = squeeze_cjk_spaces(a.get("title") or "")
        # Listings cut long titles ("…年度报…") and keep the whole one in the title attribute.
        links.append(Link(absolute, hint if len(hint) > len(shown.rstrip(".…")) else shown))
    return Page(base, title, tuple(links), _script_pages(text, base), _frames(root, base, schemes))


def _frames(root: etree._Element, base: str, schemes: tuple[str, ...]) -> tuple[str, ...]:
    """What the page's frames show, a PDF viewer's own document in place of the viewer."""
    out: list[str] = []
    for tag, attr in _FRAME_ATTRS:
        for el in root.iter(tag):
            ref = (el.get(attr) or "").strip()
            if not ref or ref.startswith(("#", "javascript:", "about:", "data:")):
                continue
            absolute = _absolute(base, ref, schemes)
            if absolute is not None:
                out.append(_viewed(absolute, schemes))
    return tuple(dict.fromkeys(out))


def _viewed(url: str, schemes: tuple[str, ...]) -> str:
    """The document a viewer page is given in its query (viewer.html?file=/upload/a.pdf), else the URL."""
    parts = urlsplit(url)
    if extension(url) in ATTACHMENT_EXTENSIONS:
        return url
    for key, value in parse_qsl(parts.query):
        if key.lower() in _VIEWER_PARAMS and extension(value) in ATTACHMENT_EXTENSIONS:
            inner = _absolute(url, value.strip(), schemes)
            if inner is not None:
                return inner
    return url


def is_attachment(link: Link) -> bool:
    if extension(link.url) in ATTACHMENT_EXTENSIONS or extension(link.text) in ATTACHMENT_EXTENSIONS:
        return True
    # 下载附件 to download.jsp?id=3: a file all the same
    parts = urlsplit(link.url)
    return bool(_DOWNLOAD_TEXT.match(re.sub(r"\s+", "", link.text)) and _DOWNLOAD_PATH.search(parts.path + "?" + parts.query))


def is_pagination(link: Link, listing_url: str) -> bool:
    """A link to another page of the same listing: 下一页 and the like, a page number, or a pager
    file name (index_2.html) or query (?page=2) in the listing's own folder."""
    if not _same_origin(link.url, listing_url):
        return False
    text = link.text.strip().lower()
    if text in _NEXT_PAGE:
        return True
    parts = urlsplit(link.url)
    pager_url = bool(_PAGE_FILE.match(PurePosixPath(parts.path).name) or _PAGE_QUERY.search(parts.query))
    in_folder = _folder(link.url) == _folder(listing_url)
    return in_folder and (pager_url or bool(_PAGE_NUMBER.match(text)))


def is_report_attachment(link: Link) -> bool:
    """An attachment of an annual report's article that plausibly is the report: its text names a
    report, says only 附件/下载/PDF版 and the like, or is a bare file name; a link titled as some
    other document (附件2：政府信息公开申请表) or as a text about the report (解读, 图解) is not."""
    if not is_attachment(link):
        return False
    text = link.text.strip()
    if not text or is_report_title(text):
        return True
    if _NOT_REPORT.search(re.sub(r"\s+", "", text.rsplit(".", 1)[0] if extension(text) else text)):
        return False
    if _REPORT_WORD.search(text):
        return True
    if extension(text) in ATTACHMENT_EXTENSIONS:
        text = text.rsplit(".", 1)[0]
    rest = _NUMBERS.sub("", _GENERIC_ATTACHMENT_TEXT.sub("", text))
    return len(_CJK.findall(rest)) < 4


def extension(text: str) -> str:
    name = PurePosixPath(unquote(urlsplit(text).path if "://" in text else text).strip()).name
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def _absolute(base: str, href: str, schemes: tuple[str, ...] = ("http", "https")) -> str | None:
    try:
        url, _fragment = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        return url if parts.scheme in schemes and (parts.hostname or parts.scheme == "file") else None
    except ValueError:  # a malformed href ("http://[::1/x")
        return None


def _same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.netloc.lower()) == (pb.scheme, pb.netloc.lower())


def _folder(url: str) -> str:
    path = urlsplit(url).path
    return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"


def _script_pages(text: str, base: str) -> tuple[str, ...]:
    m = _TRS_PAGER.search(text)
    if not m:
        return ()
    count, stem, ext = min(int(m.group(1)), _MAX_SCRIPT_PAGES), m.group(2), m.group(3)
    folder = urljoin(base, "./")
    return tuple(urljoin(folder, f"{stem}.{ext}" if i == 0 else f"{stem}_{i}.{ext}") for i in range(count))
