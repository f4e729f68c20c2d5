"""Is a page's text layer worth reading, or must the page go to OCR?

Three ways a PDF page looks right on paper yet says nothing (or nonsense) to a text reader: no text
at all (a scan), text drawn as vector outlines (many curves, almost no characters), and text whose
font has a broken or missing ToUnicode map (private-use code points, (cid:NN), mojibake).
"""

from __future__ import annotations

from collections.abc import Sequence

from extractors.pdf_chars import Glyph

# A page with fewer real characters than this is judged by its drawings and images only.
_FEW_CHARS = 20
_OUTLINE_CURVES = 100
# Unmappable glyphs this many, and this share of the page, make its text layer unusable. A page is
# judged whole: a font split into subsets can lose the map of one subset only (LibreOffice's CJK
# overflow), leaving a tenth of the glyphs as (cid:NN), and a table label holding one of them
# matches no template row, so its cells would be lost. A stray private-use bullet or two is no reason.
_GARBLED_MIN = 8
_GARBLED_SHARE = 0.02


def _expected(ch: str) -> bool:
    """A character a Chinese government report plausibly prints."""
    o = ord(ch)
    if 0x20 <= o < 0x7F:
        return True
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x3000 <= o <= 0x303F  # CJK symbols and punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2000 <= o <= 0x206F  # general punctuation: “” — …
        or 0x2150 <= o <= 0x218F  # number forms: Ⅰ Ⅱ
        or 0x2460 <= o <= 0x24FF  # enclosed alphanumerics: ①
        or 0x2E80 <= o <= 0x2FDF  # radicals, folded to ideographs when read
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs, likewise
        or 0x2500 <= o <= 0x25FF  # box drawing, geometric shapes: ■ ○
        or 0x2100 <= o <= 0x214F  # letterlike: ℃ №
        or 0x2190 <= o <= 0x22FF  # arrows, maths: → ≤ ×
        or 0xFE30 <= o <= 0xFE4F  # CJK compatibility forms
        or ch in "·×÷°±§¥£€®©"
    )


def unusable_reason(glyphs: Sequence[Glyph], n_curves: int, image_cover: float) -> str | None:
    """Why the page's text layer cannot be used, or None when it can. `image_cover` is the share of
    the page the largest image covers. A blank page (nothing drawn at all) is usable: there is simply
    nothing on it to read."""
    texts = [g.text for g in glyphs if g.text.strip()]
    n = len(texts)
    # Glyph outlines come several curves per character, so curves far outnumber the text left.
    if n_curves >= _OUTLINE_CURVES and n_curves > 5 * n:
        return "text drawn as vector outlines"
    if n < _FEW_CHARS:
        if image_cover >= 0.3:
            return "no text layer (page is an image)"
        return None
    bad = sum(1 for t in texts if t.startswith("(cid:") or not all(_expected(c) for c in t))
    if bad >= _GARBLED_MIN and bad / n > _GARBLED_SHARE:
        return "garbled text layer (broken ToUnicode map)"
    return None
