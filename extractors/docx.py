"""Word (DOCX) files to the shared table model.

The body is walked in order from its XML (python-docx opens the package and finds the main part):
paragraphs become Paragraph blocks (one per line: a manual line break splits them), tables become
Table blocks. A horizontal merge (`w:gridSpan`, or Word 97's `w:hMerge`) and a vertical merge
(`w:vMerge` restart ... continue) each come out as ONE cell with its spans, anchored top-left. A table
whose cells hold tables is a frame around them: its cells are walked like the body, so the inner
tables come out as their own blocks. Text boxes are read after the paragraph that anchors them.

Pictures (DrawingML `a:blip`, VML `v:imagedata`) are noted where they sit: after the paragraph that
holds them, after the table whose cell holds them. `extractors.embedded` OCRs those worth it (tables
pasted as pictures, scanned pages) and puts their blocks in their place.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from io import BytesIO

from lxml import etree

from extractors.embedded import EmbeddedImage, read_images
from extractors.encoding import join_pieces, squeeze_cjk_spaces
from extractors.errors import ExtractionError
from extractors.model import Block, Cell, Document, Paragraph, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
VML = "urn:schemas-microsoft-com:vml"

MAX_PART_BYTES = 200 * 1024 * 1024  # uncompressed size of any one part (document.xml, an image...)
MAX_TOTAL_BYTES = 1024 * 1024 * 1024

# Elements whose children continue the paragraph's (or body's) content.
_TRANSPARENT = frozenset(
    f"{{{W}}}{name}"
    for name in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo", "dir", "bdo")
)
_DROPPED = frozenset(f"{{{W}}}{name}" for name in ("del", "moveFrom", "rPr", "pPr", "instrText", "delText"))


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def extract_docx(data: bytes, source: str) -> Document:
    """Paragraphs and tables of a DOCX body in order; merged cells as one cell with spans."""
    _check_package(data)
    body, chunks, pictures = _open_body(data)
    blocks: list[Block] = []
    warnings: list[str] = []
    images: list[EmbeddedImage] = []
    _walk_container(body, blocks, _Context(chunks, source, warnings, images))
    read = read_images(blocks, images, source, lambda rid: pictures.get(rid))
    return Document(
        source=source,
        format="docx",
        method="docx",
        blocks=read.blocks,
        warnings=tuple(warnings) + read.warnings,
    )


@dataclass(frozen=True)
class _Context:
    """What the walk needs beyond the XML: parts that w:altChunk elements pull in, and where to
    note what was not read."""

    chunks: Mapping[str, tuple[str, bytes]]  # relationship id -> (content type, bytes)
    source: str
    warnings: list[str]
    images: list[EmbeddedImage]  # pictures met (relationship ids), at the block index where they sit

    def note_pictures(self, rids: list[str], out: list[Block]) -> None:
        self.images.extend(EmbeddedImage(len(out), rid, f"picture {rid}") for rid in rids)


def _check_package(data: bytes) -> None:
    """Refuse ZIP bombs and broken archives before anything is decompressed."""
    try:
        infos = zipfile.ZipFile(BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractionError(f"DOCX is not a readable ZIP archive ({exc})") from exc
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise ExtractionError(
                f"DOCX part {info.filename} would unpack to {info.file_size // 2**20} MB "
                f"(over {MAX_PART_BYTES // 2**20} MB): refused"
            )
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise ExtractionError(f"DOCX would unpack to over {MAX_TOTAL_BYTES // 2**20} MB: refused")


def _open_body(data: bytes) -> tuple[etree._Element, dict[str, tuple[str, bytes]], dict[str, bytes]]:
    """The body element, the parts its w:altChunk elements may import, and its pictures' bytes."""
    import docx  # python-docx; imported here so sniffing other formats never pays for it

    try:
        document = docx.Document(BytesIO(data))
        rels = document.part.rels
        chunks = {
            rid: (rel.target_part.content_type, rel.target_part.blob)
            for rid, rel in rels.items()
            if rel.reltype.endswith("/aFChunk") and not rel.is_external
        }
        pictures = {
            rid: rel.target_part.blob
            for rid, rel in rels.items()
            if rel.reltype.endswith("/image") and not rel.is_external
        }
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml and zipfile errors alike
        raise ExtractionError(f"DOCX could not be opened ({type(exc).__name__}: {exc})") from exc
    body = document.element.find(_w("body"))
    if body is None:
        raise ExtractionError("DOCX has no document body")
    return body, chunks, pictures


# --- block level ----------------------------------------------------------------------------------


def _walk_container(container: etree._Element, out: list[Block], ctx: _Context) -> None:
    """Blocks of a body, a table cell used as a frame, or a text box, in order."""
    for child in container:
        tag = child.tag
        if tag == _w("p"):
            lines, boxes, pictures = _paragraph(child)
            out.extend(Paragraph(line) for line in (line.strip() for line in lines) if line)
            ctx.note_pictures(pictures, out)
            for box in boxes:
                _walk_container(box, out, ctx)
        elif tag == _w("tbl"):
            _table(child, out, ctx)
        elif tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                _walk_container(content, out, ctx)
        elif tag in _TRANSPARENT:
            _walk_container(child, out, ctx)
        elif tag == f"{{{MC}}}AlternateContent":
            choice = _first_choice(child)
            if choice is not None:
                _walk_container(choice, out, ctx)
        elif tag == _w("altChunk"):
            _alt_chunk(child, out, ctx)


def _alt_chunk(el: etree._Element, out: list[Block], ctx: _Context) -> None:
    """Content imported from another part (HTML pasted by converters): Word renders it in place."""
    content_type, blob = ctx.chunks.get(el.get(f"{{{REL}}}id", ""), ("", b""))
    if "html" in content_type:
        from extractors.html import extract_html

        try:
            # its pictures' addresses name files of the machine that made it, not beside ours
            out.extend(extract_html(blob, ctx.source, resolve=_nothing).blocks)
            return
        except ExtractionError:
            pass
    if blob:
        ctx.warnings.append(f"imported document part not read ({content_type or 'unknown type'})")


def _nothing(ref: str) -> bytes | None:
    return None


def _first_choice(alternate: etree._Element) -> etree._Element | None:
    """The first rendering of mc:AlternateContent (its Fallback repeats the same content)."""
    for child in alternate:
        if child.tag == f"{{{MC}}}Choice":
            return child
    return alternate.find(f"{{{MC}}}Fallback")


# --- paragraphs -----------------------------------------------------------------------------------


def _paragraph(p: etree._Element) -> tuple[list[str], list[etree._Element], list[str]]:
    """A paragraph's lines (split at manual line breaks), the text boxes anchored in it, and the
    relationship ids of its pictures."""
    lines: list[list[str]] = [[]]
    boxes: list[etree._Element] = []
    pictures: list[str] = []
    _inline(p, lines, boxes, pictures)
    return ["".join(parts) for parts in lines], boxes, pictures


def _inline(
    el: etree._Element, lines: list[list[str]], boxes: list[etree._Element], pictures: list[str]
) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _DROPPED:
            continue
        if tag == _w("t"):
            lines[-1].append(child.text or "")
        elif tag == _w("tab") or tag == _w("ptab"):
            lines[-1].append("\t")
        elif tag in (_w("br"), _w("cr")):
            lines.append([])
        elif tag == _w("noBreakHyphen"):
            lines[-1].append("-")
        elif tag == _w("sym"):
            lines[-1].append(_symbol(child))
        elif tag == _w("txbxContent"):
            boxes.append(child)
        elif tag == f"{{{DRAWING}}}blip":
            rid = child.get(f"{{{REL}}}embed")
            if rid:
                pictures.append(rid)
        elif tag == f"{{{VML}}}imagedata":
            rid = child.get(f"{{{REL}}}id")
            if rid:
                pictures.append(rid)
        elif tag == f"{{{MC}}}AlternateContent":
            choice = _first_choice(child)
            if choice is not None:
                _inline(choice, lines, boxes, pictures)
        elif tag == f"{{{MATH}}}t":
            lines[-1].append(child.text or "")
        elif tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                _inline(content, lines, boxes, pictures)
        else:
            # runs, hyperlinks, insertions, drawings and their wrappers down to any text box
            _inline(child, lines, boxes, pictures)


def _symbol(sym: etree._Element) -> str:
    try:
        code = int(sym.get(_w("char"), ""), 16)
    except ValueError:
        return ""
    # Symbol-font characters live in the private-use area and mean nothing without the font.
    return "" if 0xE000 <= code <= 0xF8FF or code < 0x20 else chr(code)


# --- tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _RawCell:
    col: int
    span: int
    vmerge: str | None  # "restart", "continue" or None
    hmerge: str | None
    element: etree._Element


def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
    yield from _children(tbl, _w("tr"))


def _children(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == _w("customXml"):
            yield from _children(child, tag)


def _int_val(parent: etree._Element | None, name: str, default: int) -> int:
    if parent is None:
        return default
    el = parent.find(_w(name))
    if el is None:
        return default
    try:
        return int(el.get(_w("val"), default))
    except ValueError:
        return default


def _merge_val(tc_pr: etree._Element | None, name: str) -> str | None:
    if tc_pr is None:
        return None
    el = tc_pr.find(_w(name))
    if el is None:
        return None
    # A bare <w:vMerge/> continues the merge; only "restart" starts one.
    return "restart" if el.get(_w("val")) == "restart" else "continue"


def _raw_rows(tbl: etree._Element) -> list[list[_RawCell]]:
    rows: list[list[_RawCell]] = []
    for tr in _rows(tbl):
        col = max(0, _int_val(tr.find(_w("trPr")), "gridBefore", 0))
        cells: list[_RawCell] = []
        for tc in _children(tr, _w("tc")):
            tc_pr = tc.find(_w("tcPr"))
            span = max(1, min(_int_val(tc_pr, "gridSpan", 1), 1000))
            hmerge = _merge_val(tc_pr, "hMerge")
            if hmerge == "continue" and cells:
                # Word 97's horizontal merge: this cell widens the one before it.
                cells[-1] = replace(cells[-1], span=cells[-1].span + span)
            else:
                cells.append(_RawCell(col, span, _merge_val(tc_pr, "vMerge"), hmerge, tc))
            col += span
        rows.append(cells)
    return rows


def _table(tbl: etree._Element, out: list[Block], ctx: _Context) -> None:
    raw = _raw_rows(tbl)
    if any(cell.element.find(f".//{_w('tbl')}") is not None for row in raw for cell in row):
        # A frame around tables (or a table boxed in a cell): read its cells like the body.
        for row in raw:
            for cell in row:
                _walk_container(cell.element, out, ctx)
        return
    pictures: list[str] = []
    table = _grid(raw, pictures)
    if table is not None:
        out.append(table)
    # a picture inside a cell of a data table comes out after the table
    ctx.note_pictures(pictures, out)


def _grid(raw: list[list[_RawCell]], pictures: list[str]) -> Table | None:
    # anchors[(col, span)] = index in `cells` of the cell whose vertical merge may continue there
    cells: list[Cell] = []
    anchors: dict[tuple[int, int], int] = {}
    for r, row in enumerate(raw):
        next_anchors: dict[tuple[int, int], int] = {}
        for rc in row:
            key = (rc.col, rc.span)
            text = _cell_text(rc.element, pictures)
            above = anchors.get(key)
            if rc.vmerge == "continue" and above is not None and not text:
                cells[above] = replace(cells[above], row_span=cells[above].row_span + 1)
                next_anchors[key] = above
                continue
            # A continuing cell that holds text of its own, or has nothing to continue, stays a cell:
            # dropping it would lose what it says.
            cells.append(Cell(row=r, col=rc.col, text=text, col_span=rc.span))
            next_anchors[key] = len(cells) - 1
        anchors = next_anchors
    if not any(c.text for c in cells):
        return None
    return Table(cells=tuple(_drop_empty_rows(cells)))


def _drop_empty_rows(cells: list[Cell]) -> list[Cell]:
    """Renumber rows so that rows without any cell vanish (no merge can cross a row without cells)."""
    used = sorted({r for c in cells for r in range(c.row, c.row + c.row_span)})
    new_index = {r: i for i, r in enumerate(used)}
    return [replace(c, row=new_index[c.row]) for c in cells]


def _cell_text(tc: etree._Element, pictures: list[str]) -> str:
    """A cell's paragraphs and lines joined: nothing between CJK characters, a space otherwise."""
    lines: list[str] = []
    _cell_lines(tc, lines, pictures)
    return join_pieces([squeeze_cjk_spaces(line) for line in lines])


def _cell_lines(container: etree._Element, lines: list[str], pictures: list[str]) -> None:
    for child in container:
        if child.tag == _w("p"):
            para_lines, boxes, para_pictures = _paragraph(child)
            lines.extend(para_lines)
            pictures.extend(para_pictures)
            for box in boxes:
                _cell_lines(box, lines, pictures)
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                _cell_lines(content, lines, pictures)
        elif child.tag in _TRANSPARENT:
            _cell_lines(child, lines, pictures)
