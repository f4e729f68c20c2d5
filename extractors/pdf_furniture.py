"""Page furniture: what a printed page repeats that is not part of the text flow.

Page numbers ("- 3 -", "— 4 —", "第 3 页 共 6 页"), running headers and footers (the same line in the
top or bottom margin of several pages) and "续表" labels over a continued table would otherwise sit
between the two halves of a table cut by a page break and keep them apart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from extractors.model import Paragraph

_PAGE_NUMBER = re.compile(
    r"[-—–－‒―_~·.\s]*(?:第|page)?\s*\d{1,4}\s*(?:页)?\s*(?:(?:[/／]|共|of)\s*\d{1,4}\s*页?)?[-—–－‒―_~·.\s]*",
    re.IGNORECASE,
)
_CONTINUED = re.compile(r"[（(]?(?:续表|续上表|接上表|续)[)）]?[一二三四五六七八九十\d]*[：:]?")
MARGIN = 0.12  # share of the page height at top and bottom where page furniture lives


def in_margin(top: float, bottom: float, height: float) -> bool:
    return bottom < MARGIN * height or top > (1 - MARGIN) * height


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.fullmatch(text))


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def drop_running_lines(pages: Sequence[Sequence[object]], heights: Sequence[float]) -> list[list[object]]:
    """Each page's items without the lines repeated in the margins of two or more pages, and
    without a "续表" label opening a page."""
    seen: Counter[str] = Counter()
    for items, h in zip(pages, heights, strict=True):
        keys = {
            _key(p.text)
            for p in items
            if isinstance(p, Paragraph) and p.bbox is not None and in_margin(p.bbox[1], p.bbox[3], h)
        }
        seen.update(keys)
    out: list[list[object]] = []
    for items, h in zip(pages, heights, strict=True):
        kept = [
            p
            for p in items
            if not (
                isinstance(p, Paragraph)
                and p.bbox is not None
                and in_margin(p.bbox[1], p.bbox[3], h)
                and seen[_key(p.text)] >= 2
            )
        ]
        if kept and isinstance(kept[0], Paragraph) and _CONTINUED.fullmatch(kept[0].text.replace(" ", "")):
            kept = kept[1:]
        out.append(kept)
    return out
