"""Decide a file's format from its bytes, never from its name or a server's content type."""

from __future__ import annotations

import zipfile
from io import BytesIO

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF87a", b"GIF89a")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect_format(data: bytes, source: str = "") -> str:
    """One of pdf, docx, odt, doc, wps, image, html, text, zip, empty, binary."""
    if not data.strip():
        return "empty"
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(_OLE):
        return "wps" if source.lower().endswith((".wps", ".et")) else "doc"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    text_head = _decode_head(head)
    if text_head is None:
        return "binary"
    low = text_head.lower()
    if any(tag in low for tag in ("<html", "<!doctype html", "<body", "<table", "<div", "<p>", "<meta")):
        return "html"
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return "binary"
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names and "mimetype" in names:
        return "odt"
    return "zip"


def _decode_head(head: bytes) -> str | None:
    """The start of the file as text if it is text in a CJK-capable encoding, else None."""
    if b"\x00" in head.replace(b"\x00\x00", b"") and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    for enc in ("utf-8-sig", "gb18030", "utf-16"):
        try:
            return head.decode(enc)
        except UnicodeDecodeError:
            # the head may cut a multi-byte character at its end
            try:
                return head[:-3].decode(enc)
            except UnicodeDecodeError:
                continue
    return None
