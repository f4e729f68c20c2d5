"""OFD (GB/T 33190, the national fixed-layout format) to the shared table model.

An OFD file is a ZIP: OFD.xml names each document's root (Doc_0/Document.xml), which lists its
pages (Pages/Page_N/Content.xml) and the page area. A page's layers hold TextObjects (a Boundary box,
a font size, and TextCodes: a run of characters at X/Y, the baseline, with DeltaX the advance from
one character to the next, `g N d` repeating d N times) and PathObjects (a Boundary and
AbbreviatedData: M/L/B/Q/A/C drawing commands; the table rules); either may carry a CTM from its
own coordinates to its Boundary's. Units are millimetres from the page's top-left corner.

Characters become positioned glyphs (extractors.pdf_chars.Glyph) and stroked straight segments
become ruling edges, in PDF points; from there the page is read by exactly the stages of a text PDF
(extractors.pdf_text.layout_page: ruled grids, unruled columns, paragraphs; then running lines and
tables over page breaks). A page that holds a picture and no text (a scan published as OFD) has its
largest picture (an ImageObject's MultiMedia resource) read by OCR; the boxes OCR gives in the
picture's pixels are placed where the picture sits on the page (its unit square through its CTM into
its Boundary, in mm) and given in points, as the text glyphs are. This module only knows the format.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from io import BytesIO
from posixpath import dirname, join, normpath

from lxml import etree

from extractors.errors import ExtractionError
from extractors.model import Block, Document, Table
from extractors.pdf_chars import Glyph, glyph_text
from extractors.pdf_ruled import EdgePage, ruling_edges
from extractors.pdf_text import assemble, layout_page

PT_PER_MM = 72 / 25.4
_MAX_PAGES = 500
_MAX_PART = 50 * 1024 * 1024  # one XML part larger than this is no report page
_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _floats(text: str | None) -> list[float]:
    return [float(x) for x in _NUM.findall(text or "")]


def _deltas(text: str | None) -> list[float]:
    """DeltaX / DeltaY: numbers, with `g N d` meaning d repeated N times."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out += [float(tokens[i + 2])] * int(float(tokens[i + 1]))
            i += 3
        else:
            try:
                out.append(float(tokens[i]))
            except ValueError:
                pass
            i += 1
    return out


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    h: float

    @classmethod
    def parse(cls, text: str | None) -> _Box:
        v = _floats(text) + [0.0] * 4
        return cls(v[0], v[1], v[2], v[3])


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _ctm(obj: etree._Element) -> Matrix:
    """The object's CTM (a b c d e f: object space to its Boundary's space), identity if absent."""
    v = _floats(obj.get("CTM"))
    return (v[0], v[1], v[2], v[3], v[4], v[5]) if len(v) == 6 else _IDENTITY


def _at(m: Matrix, box: _Box, x: float, y: float) -> tuple[float, float]:
    return box.x + m[0] * x + m[2] * y + m[4], box.y + m[1] * x + m[3] * y + m[5]


def _glyphs(obj: etree._Element) -> list[Glyph]:
    box = _Box.parse(obj.get("Boundary"))
    m = _ctm(obj)
    size = float(obj.get("Size") or 3.5)
    height = size * (abs(m[3]) or 1.0)  # the glyphs' size on the page
    out: list[Glyph] = []
    for code in obj:
        if _local(code.tag) != "TextCode":
            continue
        text = code.text or ""
        x = float(code.get("X") or 0)
        y = float(code.get("Y") or size)
        dx = _deltas(code.get("DeltaX"))
        for i, ch in enumerate(text):
            width = dx[i] if i < len(dx) else (size if ord(ch) > 0x2E80 else size / 2)
            left, baseline = _at(m, box, x, y)
            right = _at(m, box, x + min(width, size), y)[0]
            out.append(Glyph(glyph_text(ch), left * PT_PER_MM, (baseline - height * 0.88) * PT_PER_MM,
                             max(left, right) * PT_PER_MM, (baseline + height * 0.12) * PT_PER_MM,
                             height * PT_PER_MM))
            x += width
    return out


def _segments(obj: etree._Element) -> list[dict]:
    """Straight stroked segments of a PathObject as pdfplumber line dicts (points)."""
    if (obj.get("Stroke") or "true").lower() == "false":
        return []
    box = _Box.parse(obj.get("Boundary"))
    m = _ctm(obj)
    data = next((c.text for c in obj if _local(c.tag) == "AbbreviatedData"), "") or ""
    tokens = data.split()
    out: list[dict] = []
    start = cur = None
    i = 0
    while i < len(tokens):
        op = tokens[i]
        args = []
        i += 1
        while i < len(tokens) and _NUM.fullmatch(tokens[i]):
            args.append(float(tokens[i]))
            i += 1
        if op in ("M", "S") and len(args) >= 2:
            start = cur = _at(m, box, args[0], args[1])
        elif op == "L" and len(args) >= 2 and cur is not None:
            nxt = _at(m, box, args[0], args[1])
            out.append(_line(cur, nxt))
            cur = nxt
        elif op == "C" and cur is not None and start is not None:
            out.append(_line(cur, start))
            cur = start
        elif op in ("B", "Q", "A") and len(args) >= 2:
            cur = _at(m, box, args[-2], args[-1])  # a curve is no table rule
    return out


def _line(a: tuple[float, float], b: tuple[float, float]) -> dict:
    x0, x1 = sorted((a[0] * PT_PER_MM, b[0] * PT_PER_MM))
    top, bottom = sorted((a[1] * PT_PER_MM, b[1] * PT_PER_MM))
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "stroke": True, "stroking_color": None}


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ExtractionError(f"not a readable OFD: {name} is missing") from None
    if info.file_size > _MAX_PART:
        raise ExtractionError(f"not a readable OFD: {name} is too large")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(archive.read(name), parser)
    except etree.XMLSyntaxError as e:
        raise ExtractionError(f"not a readable OFD: {name}: {str(e)[:80]}") from None


def _first(root: etree._Element, name: str) -> etree._Element | None:
    return next((el for el in root.iter() if _local(el.tag) == name), None)


def _page_size(doc: etree._Element) -> tuple[float, float]:
    box = _first(doc, "PhysicalBox")
    b = _Box.parse(box.text if box is not None else "0 0 210 297")
    return b.w or 210.0, b.h or 297.0


# reads one scanned page's picture into blocks (the picture's bytes, its page number), boxes in the
# picture's pixels
PageReader = Callable[[bytes, int], list[Block]]


def _media(archive: zipfile.ZipFile, doc_path: str, doc: etree._Element) -> dict[str, str]:
    """MultiMedia resource id -> the file's path in the archive, from the document's resource files."""
    out: dict[str, str] = {}
    for name in ("PublicRes", "DocumentRes"):
        for ref in (el for el in doc.iter() if _local(el.tag) == name and (el.text or "").strip()):
            res_path = normpath(join(dirname(doc_path), (ref.text or "").strip().lstrip("/")))
            if res_path not in archive.namelist():
                continue
            res = _xml(archive, res_path)
            base = join(dirname(res_path), res.get("BaseLoc", ""))
            for mm in (el for el in res.iter() if _local(el.tag) == "MultiMedia"):
                file = _first(mm, "MediaFile")
                if mm.get("ID") and file is not None and (file.text or "").strip():
                    out[mm.get("ID", "")] = normpath(join(base, (file.text or "").strip()))
    return out


@dataclass(frozen=True)
class _Placement:
    """Where an ImageObject's picture lies on its page: its unit square through its CTM into its
    Boundary (mm)."""

    box: _Box
    ctm: Matrix

    def page_box(self, bbox: tuple[float, float, float, float], width_px: int, height_px: int,
                 ) -> tuple[float, float, float, float]:
        """A box in the picture's pixels as a box on the page, in points."""
        corners = [_at(self.ctm, self.box, x / width_px, y / height_px)
                   for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
        xs, ys = [c[0] * PT_PER_MM for c in corners], [c[1] * PT_PER_MM for c in corners]
        return min(xs), min(ys), max(xs), max(ys)


def _placed(blocks: list[Block], data: bytes, where: _Placement) -> list[Block]:
    """OCR blocks with their boxes moved from the picture's pixels to the page (points). Where the
    picture's size cannot be read from its header the boxes are dropped, never left in pixels."""
    from extractors.embedded import pixel_size

    try:
        w, h = pixel_size(data)
    except Exception:  # noqa: BLE001 - PIL raises many kinds for bytes it cannot read
        w = h = 0

    def box(b: tuple[float, float, float, float] | None) -> tuple[float, float, float, float] | None:
        return where.page_box(b, w, h) if b is not None and w > 0 and h > 0 else None

    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            out.append(replace(block, bbox=box(block.bbox),
                               cells=tuple(replace(c, bbox=box(c.bbox)) for c in block.cells)))
        else:
            out.append(replace(block, bbox=box(block.bbox)))
    return out


def _ocr_picture(data: bytes, number: int) -> list[Block]:
    """A scanned page's picture read by OCR, its blocks moved to the page they are on."""
    from ocr.image import extract_image

    blocks = extract_image(data, f"page {number}").blocks
    return [_on_page(b, number) for b in blocks]


def _on_page(block: Block, number: int) -> Block:
    if isinstance(block, Table):
        return replace(block, page=number, cells=tuple(replace(c, page=number) for c in block.cells))
    return replace(block, page=number)


def extract_ofd(data: bytes, source: str, read_picture: PageReader = _ocr_picture) -> Document:
    """`read_picture` reads a page that holds a picture and no text (a scan published as OFD)."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile:
        raise ExtractionError("not a readable OFD: not a ZIP archive") from None
    root = _xml(archive, "OFD.xml")
    doc_root = _first(root, "DocRoot")
    if doc_root is None or not (doc_root.text or "").strip():
        raise ExtractionError("not a readable OFD: OFD.xml names no document")
    doc_path = normpath((doc_root.text or "").strip().lstrip("/"))
    doc = _xml(archive, doc_path)
    width, height = _page_size(doc)
    pages = [p for p in doc.iter() if _local(p.tag) == "Page" and p.get("BaseLoc")]
    if not pages:
        raise ExtractionError("not a readable OFD: no pages")
    if len(pages) > _MAX_PAGES:
        raise ExtractionError(f"too many pages ({len(pages)}, limit {_MAX_PAGES})")
    media: dict[str, str] | None = None
    items: list[tuple[object, ...]] = []
    heights: list[float] = []
    scanned = 0
    for number, page in enumerate(pages, start=1):
        loc = page.get("BaseLoc", "").lstrip("/")
        content = _xml(archive, normpath(join(dirname(doc_path), loc)))
        glyphs: list[Glyph] = []
        lines: list[dict] = []
        pictures: list[tuple[float, str, _Placement]] = []  # (area, resource id, where)
        for obj in content.iter():
            kind = _local(obj.tag)
            if kind == "TextObject":
                glyphs += _glyphs(obj)
            elif kind == "PathObject":
                lines += _segments(obj)
            elif kind == "ImageObject" and obj.get("ResourceID"):
                b = _Box.parse(obj.get("Boundary"))
                pictures.append((b.w * b.h, obj.get("ResourceID", ""), _Placement(b, _ctm(obj))))
        w, h = width * PT_PER_MM, height * PT_PER_MM
        heights.append(h)
        if pictures and not any(g.text.strip() for g in glyphs):
            media = _media(archive, doc_path, doc) if media is None else media
            _, rid, where = max(pictures, key=lambda p: p[0])
            path = media.get(rid)
            if path is None or path not in archive.namelist():
                raise ExtractionError(f"not a readable OFD: the picture on page {number} is missing")
            picture = archive.read(path)
            items.append(tuple(_placed(read_picture(picture, number), picture, where)))
            scanned += 1
            continue
        _, page_items = layout_page(EdgePage(w, h), glyphs, ruling_edges(lines, [], []), number, h)
        items.append(page_items)
    blocks = assemble(items, heights)
    if not blocks:
        raise ExtractionError("OFD holds no text")
    method = "ocr" if scanned == len(pages) else "text"
    warnings = (f"{scanned} of {len(pages)} pages are pictures, read by OCR",) if scanned else ()
    return Document(source, "ofd", method, tuple(blocks), pages=len(pages), warnings=warnings)
