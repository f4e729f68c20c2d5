"""Decide a file's format from its bytes, never from its name or a server's content type.

Portals serve HTML under .pdf or .doc names, DOCX as application/octet-stream and Kingsoft WPS files
that are Word binaries inside, so only the bytes are believed. Everything here looks at a few
kilobytes or a ZIP's directory: it must stay cheap.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"II*\x00",
    b"MM\x00*",
    b"BM",
    b"GIF87a",
    b"GIF89a",
    b"\x00\x00\x00\x0cjP  \r\n\x87\n",  # JPEG 2000
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Stream names in an OLE directory (UTF-16LE), most telling first.
_OLE_STREAMS: tuple[tuple[str, str], ...] = (
    ("EncryptedPackage", "encrypted"),  # a password-protected DOCX/XLSX wrapped in OLE
    ("WordDocument", "doc"),  # Word 97-2003, and Kingsoft WPS files, which are Word binaries inside
    ("Workbook", "xls"),
    ("Book", "xls"),
    ("PowerPoint Document", "ppt"),
    ("CONTENTS", "wps"),  # Microsoft Works word processor
)

_HTML_STRONG = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title)[\s>/]", re.IGNORECASE)
_HTML_WEAK = re.compile(rb"<(table|tr|td|div|p|span|font|br|center|h[1-6]|strong|b)[\s>/]", re.IGNORECASE)


def detect_format(data: bytes, source: str = "") -> str:
    """One of pdf, docx, odt, doc, wps, rtf, image, html, text, zip, ofd, xlsx, xls, ods, ppt,
    encrypted, empty, binary. `source` is only for messages by callers; the answer depends on the bytes alone."""
    if not data.strip():
        return "empty"
    head = data[:8192]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(_OLE):
        return _ole_kind(data)
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    text_head = _decode_head(head)
    if text_head is None:
        return "binary"
    if _looks_like_html(text_head):
        return "html"
    return "text"


def _looks_like_html(text_head: str) -> bool:
    # Searched on re-encoded text so UTF-16 pages match too.
    probe = text_head.encode("utf-8", "replace")
    if _HTML_STRONG.search(probe):
        return True
    # A CMS fragment (the article body alone) has no <html>, but several kinds of tags; a text
    # dump with a stray <br> in a markdown cell has one.
    return len({m.group(1).lower() for m in _HTML_WEAK.finditer(probe)}) >= 3


def _ole_kind(data: bytes) -> str:
    for name, kind in _OLE_STREAMS:
        if name.encode("utf-16-le") + b"\x00\x00" in data:
            return kind
    return "binary"


def _zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        names = set(archive.namelist())
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "[Content_Types].xml" in names:
            types = archive.read("[Content_Types].xml")[:65536]
            if b"wordprocessingml.document.main+xml" in types or b"ms-word.document" in types:
                return "docx"
        if "mimetype" in names:
            mimetype = archive.read("mimetype")[:100].strip()
            if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
                return "odt"
            if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                return "ods"
        if "OFD.xml" in names:
            return "ofd"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, ValueError):
        return "binary"
    return "zip"


def _decode_head(head: bytes) -> str | None:
    """The start of the file as text if it is text in a CJK-capable encoding, else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in head:
        return None
    else:
        encodings = ("utf-8-sig", "gb18030")
    for enc in encodings:
        # the head may cut a multi-byte character at its end
        for cut in (0, 1, 2, 3):
            try:
                return head[: len(head) - cut].decode(enc)
            except UnicodeDecodeError:
                continue
    # A GB page with a stray broken byte is still text; binary data breaks everywhere.
    text = head.decode(encodings[-1], errors="replace")
    bad = text.count("\ufffd") + sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f")
    return text if bad <= len(text) * 0.02 else None
