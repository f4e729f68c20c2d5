"""A document's source as rows of cell texts that can be edited and written back in its own format.

Mutants are made in the source itself, not in the pipeline's model: a text dump's lines (tab,
markdown-pipe or space separated), an HTML page's <tr>/<td> (re-encoded in the page's charset), a
DOCX's <w:tr>/<w:tc> in word/document.xml. A row is edited by a `Spec`: the cells of each row that
replaces it, each cell either a copy of one of the row's own cells (by index) with new text, or a
copy of its last cell. Rows inserted inside a merged region (rowspan / vMerge) extend the region,
so an inserted row never pushes a group cell onto the rows below it.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree, html

from extractors.html import decode_html, meta_charset

NewRow = list[tuple[int | None, str]]  # (index of the source row's cell to copy or None, text)
Spec = list[NewRow]  # the rows that replace one source row, in order (the row itself among them)


@dataclass
class Source:
    kind: str  # text, html, docx
    rows: list[list[str]]  # cell texts of every table row (text: every line split into fields)

    def render(self, edits: dict[int, Spec]) -> bytes:
        raise NotImplementedError


# ---------------------------------------------------------------------------------- text dumps


def _split(line: str) -> tuple[str, list[str]]:
    s = line.strip()
    if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
        return "pipe", [c.strip() for c in s[1:-1].split("|")]
    if "\t" in line:
        return "tab", line.split("\t")
    return "space", line.split(" ")


def _join(style: str, cells: list[str]) -> str:
    if style == "pipe":
        return "| " + " | ".join(cells) + " |"
    return ("\t" if style == "tab" else " ").join(cells)


@dataclass
class TextSource(Source):
    lines: list[str]
    styles: list[str]

    @classmethod
    def load(cls, data: bytes) -> TextSource:
        lines = data.decode("utf-8-sig").split("\n")
        split = [_split(line) for line in lines]
        return cls("text", [c for _, c in split], lines, [s for s, _ in split])

    def render(self, edits: dict[int, Spec]) -> bytes:
        out: list[str] = []
        for i, line in enumerate(self.lines):
            if i not in edits:
                out.append(line)
                continue
            for new in edits[i]:
                out.append(_join(self.styles[i], [text for _, text in new]))
        return "\n".join(out).encode("utf-8")


# ---------------------------------------------------------------------------------- HTML and DOCX


def _rowspan(cell: etree._Element) -> int:
    try:
        return max(1, int(cell.get("rowspan", "1")))
    except ValueError:
        return 1


class _TreeSource(Source):
    """Rows are elements of an XML tree; subclasses say how cells hold text and how merges work."""

    trs: list[etree._Element]

    def cells(self, tr: etree._Element) -> list[etree._Element]:
        raise NotImplementedError

    def set_text(self, cell: etree._Element, text: str) -> None:
        raise NotImplementedError

    def serialize(self) -> bytes:
        raise NotImplementedError

    def before_insert(self, tr: etree._Element, new: etree._Element, after: bool) -> None:
        """Keep merged regions whole around a new row."""

    def build(self, tr: etree._Element, new: NewRow) -> etree._Element:
        row = copy.deepcopy(tr)
        old = self.cells(row)
        fresh = []
        for idx, text in new:
            cell = copy.deepcopy(old[idx if idx is not None else -1])
            self.set_text(cell, text)
            fresh.append(cell)
        parent = old[0].getparent()
        at = parent.index(old[0])
        for c in old:
            parent.remove(c)
        for k, c in enumerate(fresh):
            parent.insert(at + k, c)
        return row

    def render(self, edits: dict[int, Spec]) -> bytes:
        # edits the loaded tree, then parses the bytes again, so one source makes many mutants
        try:
            for i in sorted(edits, reverse=True):
                tr = self.trs[i]
                spec = edits[i]
                # the row that keeps the source row's place is the one holding its original cells
                own = max(range(len(spec)), key=lambda k: sum(1 for idx, _ in spec[k] if idx is not None))
                built = [self.build(tr, new) for new in spec]
                parent = tr.getparent()
                at = parent.index(tr)
                for k, row in enumerate(built):
                    if k != own:
                        self.before_insert(tr, row, after=k > own)
                parent.remove(tr)
                for k, row in enumerate(built):
                    parent.insert(at + k, row)
            return self.serialize()
        finally:
            self._parse()

    def _parse(self) -> None:
        raise NotImplementedError


@dataclass
class HtmlSource(_TreeSource):
    data: bytes = b""
    charset: str = "utf-8"
    trs: list = None  # type: ignore[assignment]

    @classmethod
    def load(cls, data: bytes) -> HtmlSource:
        src = cls("html", [], data, (meta_charset(data) or "utf-8"))
        src._parse()
        return src

    def _parse(self) -> None:
        self.root = html.document_fromstring(decode_html(self.data))
        self.trs = list(self.root.iter("tr"))
        self.rows = [[c.text_content().strip() for c in self.cells(tr)] for tr in self.trs]

    def cells(self, tr: etree._Element) -> list[etree._Element]:
        return [c for c in tr if c.tag in ("td", "th")]

    def set_text(self, cell: etree._Element, text: str) -> None:
        for child in list(cell):
            cell.remove(child)
        cell.text = text

    def before_insert(self, tr: etree._Element, new: etree._Element, after: bool) -> None:
        # a group cell spanning rows: the new row sits inside its span (extend it) or it is the
        # source row's own (the copy must not start a second span)
        for c in self.cells(new):
            if _rowspan(c) > 1:
                new.remove(c)
        rows = [r for r in tr.getparent() if r.tag == "tr"]
        i = rows.index(tr)
        for k, r in enumerate(rows):
            for c in self.cells(r):
                span = _rowspan(c)
                last = k + span - 1
                inside = k <= i < last if after else k < i <= last
                if span > 1 and inside:
                    c.set("rowspan", str(span + 1))

    def serialize(self) -> bytes:
        text = html.tostring(self.root, encoding="unicode", method="html", doctype="<!DOCTYPE html>")
        return text.encode(self.charset, errors="xmlcharrefreplace")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class DocxSource(_TreeSource):
    data: bytes = b""
    trs: list = None  # type: ignore[assignment]

    @classmethod
    def load(cls, data: bytes) -> DocxSource:
        src = cls("docx", [], data)
        src._parse()
        return src

    def _parse(self) -> None:
        with zipfile.ZipFile(io.BytesIO(self.data)) as z:
            self.xml = etree.fromstring(z.read("word/document.xml"))
        self.trs = list(self.xml.iter(f"{W}tr"))
        self.rows = [["".join(t.text or "" for t in c.iter(f"{W}t")).strip() for c in self.cells(tr)]
                     for tr in self.trs]

    def cells(self, tr: etree._Element) -> list[etree._Element]:
        return [c for c in tr if c.tag == f"{W}tc"]

    def set_text(self, cell: etree._Element, text: str) -> None:
        ts = list(cell.iter(f"{W}t"))
        if not ts:
            p = next(cell.iter(f"{W}p"), None)
            if p is None:
                p = etree.SubElement(cell, f"{W}p")
            r = etree.SubElement(p, f"{W}r")
            ts = [etree.SubElement(r, f"{W}t")]
        ts[0].text = text
        for t in ts[1:]:
            t.text = ""

    def before_insert(self, tr: etree._Element, new: etree._Element, after: bool) -> None:
        rows = [r for r in tr.getparent() if r.tag == f"{W}tr"]
        i = rows.index(tr)
        nxt = rows[i + 1] if after and i + 1 < len(rows) else (tr if not after else None)
        nxt_cells = self.cells(nxt) if nxt is not None else []
        for k, c in enumerate(self.cells(new)):
            vm = c.find(f"{W}tcPr/{W}vMerge")
            if vm is None:
                continue
            below = nxt_cells[k].find(f"{W}tcPr/{W}vMerge") if k < len(nxt_cells) else None
            inside = below is not None and below.get(f"{W}val") in (None, "continue")
            if inside:
                vm.attrib.pop(f"{W}val", None)  # continue the region above
            else:
                vm.getparent().remove(vm)

    def serialize(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(self.data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                body = zin.read(item.filename)
                if item.filename == "word/document.xml":
                    body = etree.tostring(self.xml, xml_declaration=True, encoding="UTF-8", standalone=True)
                zout.writestr(item, body)
        return out.getvalue()


def load_source(path: Path) -> Source:
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return HtmlSource.load(data)
    if suffix == ".docx":
        return DocxSource.load(data)
    if suffix in (".txt", ".md"):
        return TextSource.load(data)
    raise ValueError(f"{path}: no mutable source for {suffix}")


def kind_of(path: Path) -> str:
    return {".html": "html", ".htm": "html", ".docx": "docx"}.get(path.suffix.lower(), "text")

