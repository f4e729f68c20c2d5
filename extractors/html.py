"""HTML article pages (a report pasted into a portal's CMS) to the shared table model.

The page is a portal template around the report: navigation, banners, breadcrumbs, sidebars, footers.
The article body is found first (known CMS containers, else the element holding most of the page's
non-link text), then walked in document order: prose lines become Paragraph blocks, data tables
become Table blocks with rowspan/colspan kept as spans. Tables used for page layout (a table with
tables in its cells, a single cell, or cells holding whole articles) are walked like any container,
so the data tables inside them come out as their own blocks.

Pictures in the article (图片版: a report pasted as one picture per page) are noted where they sit and
handed to `extractors.embedded`, which OCRs those worth it and puts their blocks in their place. A page
whose article holds only pictures is found by them: a CMS body container holding pictures and no
text, or the pictures outside a nearly empty text container.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import lxml.html
from lxml import etree

from extractors.embedded import EmbeddedImage, decode_data_uri, read_beside, read_images
from extractors.encoding import (
    charset_from_content_type,
    collapse_source_whitespace,
    decode_declared,
    join_pieces,
    normalise_charset,
    squeeze_cjk_spaces,
)
from extractors.errors import ExtractionError
from extractors.model import Block, Cell, Document, Paragraph, Table

_SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "iframe",
        "frame",
        "frameset",
        "select",
        "option",
        "button",
        "input",
        "textarea",
        "svg",
        "math",
        "object",
        "embed",
        "map",
        "area",
        "audio",
        "video",
        "canvas",
    ]
)
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
    ]
)
# Elements the article container may be: wrappers, never a paragraph or a heading.
_CONTAINERS = frozenset(
    [
        "body",
        "div",
        "section",
        "article",
        "main",
        "center",
        "form",
        "font",
        "span",
        "blockquote",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
    ]
)
_BOILERPLATE_TAGS = frozenset({"nav", "aside", "footer"})
_HEADINGS = ("h1", "h2", "h3", "h4")

# ids and classes of the article body in the CMSes Chinese portals run on (TRS WCM, Hanweb, VSB, UCAP...).
_CMS_HINT = re.compile(
    r"^(zoom|content|contents|article|article[-_]?con(tent)?|art[-_]?con(tent)?|artibody|trs_editor|"
    r"trs_ueditor|custom_unionstyle|con|con[-_]?text|main[-_]?content|detail|details|detail[-_]?content|"
    r"xxgk[-_]?content|news[-_]?content|zwgk[-_]?content|bt[-_]?content|info[-_]?content|ccontent|"
    r"ucap[-_]?content|vsb_content(_\d+)?|wz[-_]?content|pages?[-_]?content|zhengwen|zw|wenzhang|"
    r"text|txt|view|nr|con[-_]?txt|content[-_]?txt|article[-_]?body|post[-_]?content|entry[-_]?content)$",
    re.IGNORECASE,
)
# Of those, the ones no portal uses for anything but the article body: believed however short it is.
_CMS_STRONG_HINT = re.compile(
    r"^(zoom|trs_editor|trs_ueditor|custom_unionstyle|artibody|ucap[-_]?content|vsb_content(_\d+)?|"
    r"zhengwen|xxgk[-_]?content|zwgk[-_]?content)$",
    re.IGNORECASE,
)
_TITLE_HINT = re.compile(r"title|^bt$|^tit$|biaoti", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_SPAN_NUMBER = re.compile(r"\d+")
_MAX_COLSPAN = 1000
_SMALL_IMAGE_PX = 40  # icons, bullets, print buttons
# Where a picture's address is: lazy-loading CMSes keep the real one in a data- attribute and put a
# placeholder in src, so those attributes come first.
_IMAGE_ATTRS = ("data-original", "data-src", "original", "data-echo", "oldsrc", "src")
_IMAGE_SUFFIX = re.compile(r"\.(jpe?g|png|gif|bmp|tiff?|webp)$", re.IGNORECASE)
# A text container with less than this (a headline, a date, a preface) around no picture, on a page
# with pictures outside it: a 图片版 article, whose pages are the pictures.
_PICTURE_PAGE_TEXT = 500

Resolve = Callable[[str], "bytes | None"]


# --- decoding -------------------------------------------------------------------------------------


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a meta tag or XML declaration (codec name), if any."""
    head = data[:16384]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return normalise_charset(m.group(1).decode("ascii", "replace")) if m else None


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """The page's text: BOM, then the HTTP header's charset, then the meta tag, then detection."""
    return decode_declared(data, (charset_from_content_type(content_type), meta_charset(data)))


# --- entry point ----------------------------------------------------------------------------------


def extract_html(
    data: bytes, source: str, *, content_type: str | None = None, resolve: Resolve | None = None
) -> Document:
    """Paragraphs and tables of the article in an HTML page, in document order, with the blocks OCR
    reads in its pictures where they sit (see `extractors.embedded` for which pictures are read).

    `content_type` is the HTTP Content-Type header where the page was fetched (the crawler knows it);
    its charset is trusted after a BOM and before the page's meta tag.

    `resolve` gives the bytes of a picture the page links to (None when they cannot be had); it is
    called with the address resolved against the page's own (its <base href>, then `source` where
    that is an http(s) URL), else with the address as written. Without it, pictures are read from
    data: URIs, and from files beside `source` where that is a local file (a page saved with its
    pictures).
    """
    text = decode_html(data, content_type)
    root = _parse(text)
    body = root.find("body")
    if body is None:
        body = root
    stats = _measure(body)
    container = _choose_container(body, stats)
    flow = _Flow(stats)
    if container is not body:
        title = _title_before(container, stats) or _page_title(root)
        if title:
            flow.blocks.append(Paragraph(title))
    flow.walk_children(container)
    flow.flush()
    read = read_images(flow.blocks, flow.images, source, _fetcher(root, source, resolve))
    if not read.blocks:
        raise ExtractionError(
            "HTML page holds no text" + (" (nor any its pictures gave)" if flow.images else "")
        )
    return Document(
        source=source,
        format="html",
        method="html",
        blocks=read.blocks,
        warnings=tuple(flow.warnings) + read.warnings,
    )


def _fetcher(root: etree._Element, source: str, resolve: Resolve | None) -> Resolve:
    """Picture bytes from a reference in the page: a data: URI, else through `resolve`, else a file
    beside a local source."""
    base = _base_url(root, source)

    def fetch(ref: str) -> bytes | None:
        if ref[:5].lower() == "data:":
            return decode_data_uri(ref)
        if resolve is not None:
            return resolve(urllib.parse.urljoin(base, ref) if base else ref)
        return read_beside(source, ref)

    return fetch


def _base_url(root: etree._Element, source: str) -> str | None:
    page = source if source.lower().startswith(("http://", "https://")) else None
    base = root.find(".//base[@href]")
    href = (base.get("href") or "").strip() if base is not None else ""
    if href:
        joined = urllib.parse.urljoin(page, href) if page else href
        if joined.lower().startswith(("http://", "https://")):
            return joined
    return page


def _parse(text: str) -> etree._Element:
    # lxml refuses str input that carries an encoding declaration, so hand it UTF-8 bytes and say so.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"HTML page could not be parsed ({exc})") from exc
    if root is None:
        raise ExtractionError("HTML page is empty")
    return root


# --- measuring the page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stats:
    chars: int  # visible non-space characters
    link_chars: int  # of which inside <a>
    links: int
    tables: int  # <table> elements inside (itself included)
    images: int = 0  # pictures inside that may hold text (not declared icon-sized)


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _hidden(el: etree._Element) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style", "")))


def _count(s: str | None) -> int:
    return len(s) - sum(1 for ch in s if ch.isspace()) if s else 0


def _measure(body: etree._Element) -> dict[etree._Element, _Stats]:
    """Text statistics of every element, computed bottom-up in one pass."""
    stats: dict[etree._Element, _Stats] = {}
    for el in reversed(list(body.iter())):
        tag = _tag(el)
        if not tag or tag in _SKIP or _hidden(el):
            stats[el] = _Stats(0, 0, 0, 0)
            continue
        chars = _count(el.text)
        link_chars = links = tables = images = 0
        for child in el:
            s = stats[child]
            chars += s.chars + _count(child.tail)
            link_chars += s.link_chars
            links += s.links
            tables += s.tables
            images += s.images
        if tag == "a":
            link_chars, links = chars, links + 1
        if tag == "table":
            tables += 1
        if tag == "img" and _image_ref(el) and not _is_small_image(el):
            images += 1
        stats[el] = _Stats(chars, link_chars, links, tables, images)
    return stats


def _own_text(stats: dict[etree._Element, _Stats], el: etree._Element) -> int:
    s = stats[el]
    return s.chars - s.link_chars


def _is_boilerplate(el: etree._Element, stats: dict[etree._Element, _Stats]) -> bool:
    """Navigation, menus, link lists: never part of the report. Whatever holds a table that is
    not itself mostly links is kept, whatever it is called: losing a report table is the worse error."""
    if _is_link_list(el, stats):
        return True
    if stats[el].tables:
        return False
    return _tag(el) in _BOILERPLATE_TAGS or el.get("role") == "navigation"


def _is_link_list(el: etree._Element, stats: dict[etree._Element, _Stats]) -> bool:
    s = stats[el]
    return s.links >= 3 and s.link_chars >= 0.6 * s.chars


# --- finding the article --------------------------------------------------------------------------


def _choose_container(body: etree._Element, stats: dict[etree._Element, _Stats]) -> etree._Element:
    total = _own_text(stats, body)
    if total == 0:
        return body
    hinted = _hinted_container(body, stats, total)
    start = body if hinted is None else hinted
    container = _widen_to_tables(_densest_container(start, stats), body, stats)
    return _widen_to_pictures(container, body, stats)


def _hinted_container(
    body: etree._Element, stats: dict[etree._Element, _Stats], total: int
) -> etree._Element | None:
    hinted = [
        el
        for el in body.iter()
        if _tag(el) in _CONTAINERS
        and any(_CMS_HINT.match(token) for token in _id_and_classes(el))
        and not _is_boilerplate(el, stats)
    ]
    if not hinted:
        return None
    strong = [el for el in hinted if any(_CMS_STRONG_HINT.match(t) for t in _id_and_classes(el))]
    if any(_own_text(stats, el) for el in strong):
        hinted = strong
    largest = max(_own_text(stats, el) for el in hinted)
    if largest == 0:
        return _hinted_picture_container(hinted, stats)
    if largest < 0.3 * total and hinted is not strong:
        return None
    # Nested hinted wrappers (div.content > div#zoom > div.TRS_Editor): the innermost that still
    # holds nearly all of the text, so the title bar and "related links" around it stay out.
    holding = [el for el in hinted if _own_text(stats, el) >= 0.8 * largest]
    return max(holding, key=lambda el: (_depth(el), _own_text(stats, el)))


def _hinted_picture_container(
    hinted: list[etree._Element], stats: dict[etree._Element, _Stats]
) -> etree._Element | None:
    """A CMS body container with pictures and no text: a 图片版 article. The innermost one holding
    all of the most pictures any of them holds."""
    most = max((stats[el].images for el in hinted), default=0)
    if most == 0:
        return None
    holding = [el for el in hinted if stats[el].images == most]
    return max(holding, key=_depth)


def _widen_to_pictures(
    container: etree._Element, body: etree._Element, stats: dict[etree._Element, _Stats]
) -> etree._Element:
    """Grow a nearly empty container that holds no picture (a headline, a date) to hold the pictures
    of the page outside navigation and footers: on a 图片版 page they are the article."""
    if stats[container].images or _own_text(stats, container) >= _PICTURE_PAGE_TEXT:
        return container
    for img in body.iter("img"):
        if not stats[img].images or _picture_in_boilerplate(img, body, stats):
            continue
        container = _common_ancestor(container, img)
    return container


def _picture_in_boilerplate(
    img: etree._Element, body: etree._Element, stats: dict[etree._Element, _Stats]
) -> bool:
    """Logos and banners: a picture in navigation or a footer, or linking elsewhere than to a picture
    (a report page is linked, if at all, to its full-size self)."""
    for anc in img.iterancestors():
        if anc is body:
            return False
        tag = _tag(anc)
        if tag in _BOILERPLATE_TAGS or anc.get("role") == "navigation" or _is_link_list(anc, stats):
            return True
        if tag == "a":
            path = urllib.parse.urlsplit(anc.get("href") or "").path
            if not _IMAGE_SUFFIX.search(path):
                return True
    return False


def _densest_container(start: etree._Element, stats: dict[etree._Element, _Stats]) -> etree._Element:
    """Descend into the child that holds nearly all of the non-link text while there is one, and
    while the text left beside it holds no data table."""
    node = start
    while True:
        total = _own_text(stats, node)
        kids = [k for k in node if _tag(k) in _CONTAINERS and not _is_data_table(k, stats)]
        if total == 0 or not kids:
            return node
        best = max(kids, key=lambda k: _own_text(stats, k))
        if _own_text(stats, best) < 0.8 * total:
            return node
        if any(_is_substantial_table(t, stats) for k in node if k is not best for t in k.iter("table")):
            return node
        node = best


def _is_substantial_table(table: etree._Element, stats: dict[etree._Element, _Stats]) -> bool:
    return _is_data_table(table, stats) and len(_table_rows(table)) >= 3


def _widen_to_tables(
    container: etree._Element, body: etree._Element, stats: dict[etree._Element, _Stats]
) -> etree._Element:
    """Grow the container to hold every data table of the page outside navigation and footers: a
    report's tables are never boilerplate, and losing one loses its facts."""
    inside = set(container.iter("table"))
    for table in body.iter("table"):
        if table in inside or not _is_substantial_table(table, stats) or _in_boilerplate(table, body, stats):
            continue
        container = _common_ancestor(container, table)
        inside = set(container.iter("table"))
    return container


def _in_boilerplate(el: etree._Element, body: etree._Element, stats: dict[etree._Element, _Stats]) -> bool:
    for anc in el.iterancestors():
        if anc is body:
            return False
        if _tag(anc) in _BOILERPLATE_TAGS or stats[anc].chars == 0:
            return True
    return False


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element:
    chain = {id(a)} | {id(x) for x in a.iterancestors()}
    if id(b) in chain:
        return b
    for anc in b.iterancestors():
        if id(anc) in chain:
            return anc
    return a


def _depth(el: etree._Element) -> int:
    return sum(1 for _ in el.iterancestors())


def _id_and_classes(el: etree._Element) -> list[str]:
    return [el.get("id", "")] + el.get("class", "").split()


def _title_before(container: etree._Element, stats: dict[etree._Element, _Stats]) -> str | None:
    """The article's headline: the nearest heading printed before the container, a few levels up."""
    ancestors = list(container.iterancestors())
    for anc in ancestors[:4]:
        found: list[tuple[int, str]] = []
        for el in anc.iter():
            if el is container:
                break
            tag = _tag(el)
            if el in ancestors:
                continue
            if not tag or stats.get(el, _Stats(0, 0, 0, 0)).chars == 0:
                continue
            if tag in _HEADINGS:
                rank = _HEADINGS.index(tag)
            elif tag in _CONTAINERS and any(_TITLE_HINT.search(t) for t in _id_and_classes(el)):
                rank = len(_HEADINGS)
            else:
                continue
            if _is_boilerplate(el, stats) or stats[el].tables:
                continue
            text = collapse_source_whitespace(" ".join(el.itertext()))
            if 4 <= len(text) <= 150:
                found.append((rank, text))
        if found:
            return min(found, key=lambda f: f[0])[1]
    return None


def _page_title(root: etree._Element) -> str | None:
    title = root.find(".//title")
    if title is None:
        return None
    text = collapse_source_whitespace(title.text_content())
    return text or None


# --- walking the article --------------------------------------------------------------------------


class _Flow:
    """Accumulates blocks while walking elements in document order."""

    def __init__(self, stats: dict[etree._Element, _Stats], in_cell: bool = False) -> None:
        self.stats = stats
        self.in_cell = in_cell
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.images: list[EmbeddedImage] = []  # pictures met, at the block index where they sit
        self._pieces: list[str] = []

    def flush(self) -> None:
        raw = "".join(self._pieces)
        text = collapse_source_whitespace(raw)
        self._pieces.clear()
        if text:
            self.blocks.append(Paragraph(text))
        elif "\xa0" in raw and not self.in_cell:
            # <p>&nbsp;</p>: where a CMS flattened a table one cell per paragraph, this is a blank
            # cell that holds a column's place; reconciliation tells it from a spacer by context
            self.blocks.append(Paragraph(""))

    def text(self, s: str | None, pre: bool = False) -> None:
        if not s:
            return
        if pre and "\n" in s:
            lines = s.split("\n")
            for line in lines[:-1]:
                self._pieces.append(line)
                self.flush()
            self._pieces.append(lines[-1])
        else:
            self._pieces.append(s)

    def walk_children(self, el: etree._Element) -> None:
        """Emit the content of `el` (the article container or a cell; itself exempt from the
        boilerplate test), not its tail. Iterative, since CMS pages nest unclosed <font> tags
        a thousand deep."""
        stack: list[_Step] = []
        _push_content(el, False, stack)
        while stack:
            step = stack.pop()
            if step.element is None:
                self.text(step.text, step.pre)
                if step.flush:
                    self.flush()
            else:
                self._enter(step.element, step.pre, stack)

    def _enter(self, el: etree._Element, pre: bool, stack: list[_Step]) -> None:
        """Handle `el`; what remains of it (its content, a closing flush) goes onto `stack`."""
        tag = _tag(el)
        if not tag or tag in _SKIP or _hidden(el):
            return
        if tag == "br":
            self.flush()
        elif tag == "img":
            self._image(el)
        elif tag == "table":
            self.flush()
            self._table(el, stack)
        elif tag in _BLOCK:
            self.flush()
            if self.in_cell or not _is_boilerplate(el, self.stats):
                stack.append(_Step(None, "", pre, flush=True))
                _push_content(el, pre or tag == "pre", stack)
        else:
            _push_content(el, pre, stack)

    def _image(self, el: etree._Element) -> None:
        src = _image_ref(el)
        if not src or _is_small_image(el):
            return
        if src[:5].lower() == "data:":
            kind = src[5:].split(",", 1)[0]
            where = f"{kind} data URI ({len(src)} bytes)"
        else:
            where = src[:200]
        if not self.in_cell:
            self.flush()  # text before and after the picture are separate lines around its blocks
        self.images.append(EmbeddedImage(len(self.blocks), src, where))

    def _table(self, table: etree._Element, stack: list[_Step]) -> None:
        if self.in_cell:
            # Cell contents of a data table never hold tables (those tables count as layout).
            self.text(" ".join(table.itertext()))
            return
        if not _is_data_table(table, self.stats):
            # A frame: its cells are read like any container, each closing a paragraph.
            if not _is_boilerplate(table, self.stats):
                cells = [cell for row in _table_rows(table) for cell in _row_cells(row)]
                stack.extend(_Step(cell, None, False) for cell in reversed(cells))
            return
        if _is_link_list(table, self.stats):
            return  # a menu laid out as a grid of links
        caption = table.find("caption")
        if caption is not None:
            self.text(" ".join(caption.itertext()))
            self.flush()
        images: list[EmbeddedImage] = []
        parsed = _data_table(table, self.stats, self.warnings, images)
        if parsed is not None:
            self.blocks.append(parsed)
        # a picture inside a cell of a data table comes out after the table
        self.images.extend(EmbeddedImage(len(self.blocks), im.ref, im.where) for im in images)


@dataclass(frozen=True)
class _Step:
    """One thing left to do in the walk: an element to enter, or text to add (then maybe a flush)."""

    element: etree._Element | None
    text: str | None
    pre: bool
    flush: bool = False


def _push_content(el: etree._Element, pre: bool, stack: list[_Step]) -> None:
    """Push `el`'s text and children (each followed by its tail) so they pop in document order."""
    steps = [_Step(None, el.text, pre)]
    for child in el:
        steps.append(_Step(child, None, pre))
        steps.append(_Step(None, child.tail, pre))
    stack.extend(reversed(steps))


# --- tables ---------------------------------------------------------------------------------------


def _table_rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (not those of tables nested in its cells)."""
    rows: list[etree._Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if _tag(r) == "tr")
    return rows


def _row_cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if _tag(c) in ("td", "th") and not _hidden(c)]


def _is_data_table(table: etree._Element, stats: dict[etree._Element, _Stats]) -> bool:
    """A grid of data, as opposed to a table laying out a page or boxing an article."""
    if _tag(table) != "table":
        return False
    if stats[table].tables > 1:  # tables in its cells: the outer one is a frame around them
        return False
    rows = [r for r in _table_rows(table) if not _hidden(r)]
    cells = [c for r in rows for c in _row_cells(r)]
    if len(cells) < 2:
        return False
    # A cell holding a whole article (many paragraphs of prose) is a layout box, not a data cell;
    # a long note in one paragraph is still data.
    return not any(_holds_prose(c, stats) for c in cells)


_PROSE_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6")


def _holds_prose(cell: etree._Element, stats: dict[etree._Element, _Stats]) -> bool:
    chars = stats[cell].chars
    if chars <= 600:
        return False
    if chars > 3000:
        return True
    paragraphs = sum(1 for el in cell.iter(*_PROSE_BLOCKS) if stats[el].chars >= 20)
    breaks = sum(1 for _ in cell.iter("br"))
    return paragraphs + breaks >= 3


def _image_ref(img: etree._Element) -> str:
    for attr in _IMAGE_ATTRS:
        ref = (img.get(attr) or "").strip()
        if ref:
            return ref
    return ""


def _is_small_image(img: etree._Element) -> bool:
    sizes = [_span(img.get(attr)) for attr in ("width", "height") if _SPAN_NUMBER.search(img.get(attr) or "")]
    return any(size < _SMALL_IMAGE_PX for size in sizes)


def _span(value: str | None) -> int:
    m = _SPAN_NUMBER.search(value or "")
    return int(m.group()) if m else 1


def _data_table(
    table: etree._Element,
    stats: dict[etree._Element, _Stats],
    warnings: list[str],
    images: list[EmbeddedImage],
) -> Table | None:
    rows = [r for r in _table_rows(table) if not _hidden(r)]
    n_rows = len(rows)
    occupied: set[tuple[int, int]] = set()
    placed: list[Cell] = []
    for r, row in enumerate(rows):
        c = 0
        for td in _row_cells(row):
            while (r, c) in occupied:
                c += 1
            row_span = _span(td.get("rowspan"))
            row_span = n_rows - r if row_span == 0 else max(1, min(row_span, n_rows - r))
            col_span = max(1, min(_span(td.get("colspan")), _MAX_COLSPAN))
            # A colspan running into a cell that spans down from above stops there (as browsers do).
            width = 1
            while width < col_span and (r, c + width) not in occupied:
                width += 1
            for rr in range(r, r + row_span):
                for cc in range(c, c + width):
                    occupied.add((rr, cc))
            placed.append(
                Cell(
                    row=r,
                    col=c,
                    text=_cell_text(td, stats, warnings, images),
                    row_span=row_span,
                    col_span=width,
                )
            )
            c += width
    if not any(cell.text for cell in placed):
        return None
    return Table(cells=tuple(_drop_empty_rows(placed, occupied)))


def _drop_empty_rows(cells: list[Cell], occupied: set[tuple[int, int]]) -> list[Cell]:
    """Renumber rows so that <tr>s with no cell at all (spacers, Word's height rows) vanish; no span
    crosses such a row, since any span through it would have covered it."""
    used = sorted({r for r, _ in occupied})
    new_index = {r: i for i, r in enumerate(used)}
    return [
        Cell(row=new_index[c.row], col=c.col, text=c.text, row_span=c.row_span, col_span=c.col_span)
        for c in cells
    ]


def _cell_text(
    td: etree._Element, stats: dict[etree._Element, _Stats], warnings: list[str], images: list[EmbeddedImage]
) -> str:
    """A cell's lines (<br>, <p>, <div>) joined: nothing between CJK characters, a space otherwise."""
    flow = _Flow(stats, in_cell=True)
    flow.walk_children(td)
    flow.flush()
    warnings.extend(flow.warnings)
    images.extend(flow.images)
    return join_pieces(_lines(flow.blocks))


def _lines(blocks: Iterable[Block]) -> list[str]:
    return [squeeze_cjk_spaces(b.text) for b in blocks if isinstance(b, Paragraph)]
