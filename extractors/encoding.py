"""Bytes of text-ish formats (HTML pages, text dumps) to str, and the CJK-aware joining of text pieces.

Chinese government portals serve UTF-8 (with or without a BOM), GBK, GB2312 and GB18030, and their
declarations (HTTP header, meta tag) are often missing or wrong. GB2312 and GBK are decoded as gb18030,
their superset, so a page that declares GB2312 but uses a GBK-only character (common in names) still
decodes.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Declarations that CMS templates print by default whatever the bytes are: never trusted over the bytes.
_WEAK_DECLARATIONS = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252"})

_CHARSET_IN_CONTENT_TYPE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)


def bom_encoding(data: bytes) -> str | None:
    """The codec a byte-order mark at the start of `data` names, if any."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def normalise_charset(name: str | None) -> str | None:
    """Python's codec for a declared charset name (GB2312/GBK widened to gb18030); None if unknown."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    if codec in ("gb2312", "gbk", "hz", "gb18030"):
        return "gb18030"
    return codec


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header (`text/html; charset=GBK` -> gb18030)."""
    if not content_type:
        return None
    m = _CHARSET_IN_CONTENT_TYPE.search(content_type.encode("latin-1", "replace"))
    return normalise_charset(m.group(1).decode("ascii", "replace")) if m else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode text bytes: BOM, then the declared charset, then UTF-8, gb18030, charset-normalizer."""
    return decode_declared(data, (declared,))


def decode_declared(data: bytes, declarations: Iterable[str | None]) -> str:
    """Like `decode_text` with several declarations in order of trust (HTTP header, then meta tag):
    the first one the bytes bear out wins.

    A declaration is wrong when the bytes do not decode with it. A declared legacy charset is also
    not believed when the bytes are valid UTF-8 with non-ASCII content: GBK text is practically never
    valid UTF-8, while pages re-saved as UTF-8 that kept their old `charset=gb2312` meta tag are common.
    """
    bom = bom_encoding(data)
    if bom:
        text = _strict(data, bom)
        if text is not None:
            return text
    as_utf8 = _strict(data, "utf-8")
    for declared in declarations:
        codec = normalise_charset(declared)
        if not codec or codec in _WEAK_DECLARATIONS:
            continue
        if codec in ("utf-8", "utf-8-sig") or as_utf8 is None or data.isascii():
            text = _strict(data, codec)
            if text is not None:
                return text
    if as_utf8 is not None:
        return as_utf8
    text = _strict(data, "gb18030")
    if text is not None:
        return text
    # Mostly GB text with a few broken bytes (a truncated download, a stray byte): keep the rest,
    # rather than let a detector call it Latin-1 for the sake of a few bytes.
    lenient = data.decode("gb18030", errors="replace")
    if lenient.count("\ufffd") <= len(lenient) // 100:
        return lenient
    guessed = _charset_normalizer_guess(data)
    if guessed:
        text = _strict(data, guessed)
        if text is not None:
            return text
    return lenient


def _charset_normalizer_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return normalise_charset(best.encoding) if best is not None else None


# --- joining text pieces -------------------------------------------------------------------------

_CJK = (
    r"\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_NEWLINE_RUN_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])[ \\t\\r\\f]*\\n\\s*(?=[{_CJK}])")
_WHITESPACE_RUN = re.compile(r"\s+")


def is_cjk(ch: str) -> bool:
    """Whether `ch` is a CJK ideograph, kana or CJK / full-width punctuation (not the ideographic space)."""
    return bool(ch) and _CJK_CHAR.fullmatch(ch) is not None


def squeeze_cjk_spaces(text: str) -> str:
    """Collapse whitespace to single spaces and drop it entirely between two CJK characters."""
    return _SPACE_BETWEEN_CJK.sub("", _WHITESPACE_RUN.sub(" ", text)).strip()


def collapse_source_whitespace(text: str) -> str:
    """Whitespace of flowing text as a browser shows it: a line break of the source between CJK
    characters vanishes (it only wrapped the source), every other run becomes one space."""
    return _WHITESPACE_RUN.sub(" ", _NEWLINE_RUN_BETWEEN_CJK.sub("", text)).strip()


def join_pieces(pieces: list[str]) -> str:
    """Join the lines of one cell: nothing where either side is CJK (a label wrapped over lines,
    "2023" + "年"), a space between anything else (words, numbers)."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(piece[0])):
            out += " "
        out += piece
    return out
