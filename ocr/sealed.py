"""Reading again what a seal covers, after the page's first reading.

A seal pressed over a table takes print with it in three ways, and each pass here reads one of them
again, always from the page as it was before the seal's fade (`UnderSeal.unfaded`: only its ring
and star taken off), or as scanned, ring and all (`UnderSeal.scanned`), and always keeping numbers
only, doubted as all under a seal is (`UnderSeal.as_sealed`):

- print hardly darker than the seal, whose strokes the fade took: ruled cells (`cells_unfaded`) and
  loose pieces (`loose_unfaded`) read as no number are cut again and read on the unfaded page, and
  ink in the disc no piece covers is read there as missed ink (`missed_unfaded`);
- a seal's lettering over a digit: what still reads as no number is read by its dark cores
  (`loose_by_cores`, `cells_by_cores`; `ocr.cores`);
- a digit on the ring, erased with it: where the print is clearly darker than the ring, found as
  ink darker than the ring near its line and read by its dark cores on the scanned page, loose
  (`on_ring_digits`) or in a ruled cell (`cells_on_ring`).

`ocr.page.ocr_page` runs them in that order; the loose passes return the pieces and readings in
place of those given, the cell passes the table jobs and the readings with the new ones appended.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np

from ocr import preprocess as pp
from ocr.cores import read_by_cores
from ocr.crops import Piece, Rect, cell_pieces, crop, ink_rect, line_pieces, overlap
from ocr.engine import Engine, Recognition, recognize
from ocr.grid import GridCell, GridTable, Job, cell_interior
from ocr.missed import missed_pieces, readable
from ocr.trust import CJK, GLIMPSE_CONFIDENCE, NUMBER, NUMBERS, digits_read, strip_strays, under_seal


@dataclass(frozen=True)
class UnderSeal:
    """What every second reading under a seal needs."""

    engine: Engine
    seal: tuple[int, int, int]
    as_sealed: Callable[[Recognition, Rect], Recognition]  # a reading as the seal leaves it (ocr.trust.seal_policy)
    char_px: float  # a 12 pt character, in pixels
    unfaded: tuple[np.ndarray, np.ndarray]  # grey page and text ink as scanned but for the ring and star
    scanned: tuple[np.ndarray, np.ndarray]  # grey page and text ink as scanned, ring and all

    @cached_property
    def on_ring(self) -> list[Rect]:
        """What may be digits on the ring that went with it (`_on_ring`), found once for the loose
        and the ruled pass alike."""
        return _on_ring(self)


Cells = list[tuple[GridTable, list[Job]]]


def _reread_cells(
    u: UnderSeal, table_jobs: Cells, recs: list[Recognition], inset: int,
    again: Callable[[GridCell, Rect, list[Recognition]], list[tuple[Piece, Recognition]] | None],
) -> tuple[Cells, list[Recognition]]:
    """Each ruled cell under the seal read again by `again` (the cell, its interior, its current
    readings), which gives the cell's new pieces and their readings as the seal leaves them, or
    None to keep it as it was; the new readings follow all others in the list returned."""
    out = list(recs)
    jobs_out = []
    for t, jobs in table_jobs:
        kept = []
        for cell, pieces, idx in jobs:
            interior = cell_interior(cell, inset)
            new = None
            if interior is not None and under_seal((cell.x0, cell.y0, cell.x1, cell.y1), u.seal):
                new = again(cell, interior, [recs[i] for i in idx])
            if not new:
                kept.append((cell, pieces, idx))
                continue
            kept.append((cell, [p for p, _ in new], list(range(len(out), len(out) + len(new)))))
            out.extend(rc for _, rc in new)
        jobs_out.append((t, kept))
    return jobs_out, out


def cells_unfaded(u: UnderSeal, table_jobs: Cells, recs: list[Recognition], inset: int) -> tuple[Cells, list[Recognition]]:
    """Ruled cells under a seal that read as no number, read again on the page as scanned but for
    the seal's ring and star (`unfaded`): where the print is hardly darker than the seal, fading the
    seal took a thin digit's strokes with it (a 0 read as a mark, or not at all). A cell whose
    second reading is numbers alone takes it, doubted as all under a seal is."""
    page, ink = u.unfaded

    def again(cell: GridCell, interior: Rect, reads: list[Recognition]) -> list[tuple[Piece, Recognition]] | None:
        if any(NUMBER.search(rc.text) for rc in reads):
            return None
        pieces = [p for p in cell_pieces(ink, interior, u.char_px) if not p.vertical]
        if not pieces:
            return None
        new = [u.as_sealed(strip_strays(rc), p.rect)
               for p, rc in zip(pieces, recognize(u.engine, [crop(page, p.rect, bounds=interior) for p in pieces]))]
        return list(zip(pieces, new)) if all(NUMBERS.fullmatch(rc.text.strip()) for rc in new) else None

    return _reread_cells(u, table_jobs, recs, inset, again)


def loose_unfaded(u: UnderSeal, rects: list[Rect], recs: list[Recognition]) -> tuple[list[Rect], list[Recognition]]:
    """Loose pieces under a seal (a table read as words) that read as no number, or as a number
    barely seen, read again on the page as scanned but for the seal's ring and star (`unfaded`), as
    `cells_unfaded` does for ruled cells: where the print is hardly darker than the seal, fading the
    seal left a 0 as a stroke or two (read 01, n, or a faint 1), and the row came out a value short
    or with a word among its numbers. The piece's box, grown by a quarter of a character (the
    fragment is smaller than the digit), is cut again from the unfaded ink; the new pieces replace
    it where every one reads as numbers alone, surely enough to be no glimpse."""
    page, ink = u.unfaded
    grow = max(2, int(0.25 * u.char_px))
    todo: dict[int, list[Rect]] = {}
    for k, (r, rc) in enumerate(zip(rects, recs)):
        text = rc.text.strip()
        if not text or not under_seal(r, u.seal) or (NUMBER.fullmatch(text) and rc.min_char_confidence >= GLIMPSE_CONFIDENCE):
            continue
        if CJK.search(text):  # words under a seal are labels or its own name, not faded digits
            continue
        region = (max(0, r[0] - grow), max(0, r[1] - grow), min(ink.shape[1], r[2] + grow), min(ink.shape[0], r[3] + grow))
        again = [p for p in line_pieces(ink, region, u.char_px) if overlap(p, r) > 0]
        if again:
            todo[k] = again
    if not todo:
        return rects, recs
    flat = [p for again in todo.values() for p in again]
    reads = iter(recognize(u.engine, [crop(page, p) for p in flat]))
    out_rects: list[Rect] = []
    out_recs: list[Recognition] = []
    for k, (r, rc) in enumerate(zip(rects, recs)):
        again = todo.get(k, [])
        new = [strip_strays(next(reads)) for _ in again]
        # sure enough as read; then a letter like a digit (o for 0) is that digit, doubted
        sure = all(n.min_char_confidence >= GLIMPSE_CONFIDENCE for n in new)
        new = [digits_read(n) for n in new]
        if again and sure and all(NUMBERS.fullmatch(n.text.strip()) for n in new):
            out_rects.extend(again)
            out_recs.extend(u.as_sealed(n, p) for n, p in zip(new, again))
        else:
            out_rects.append(r)
            out_recs.append(rc)
    return out_rects, out_recs


def _no_number_under_seal(text: str) -> bool:
    """A reading under a seal worth reading again by its dark cores: nothing, marks, or digits with
    a word (the seal's lettering over the digit); not words alone (a label, or the lettering)."""
    return not NUMBERS.fullmatch(text) and (not CJK.search(text) or any(c.isdigit() for c in text))


def loose_by_cores(u: UnderSeal, rects: list[Rect], recs: list[Recognition]) -> tuple[list[Rect], list[Recognition]]:
    """Loose pieces under a seal still read as no number (or as one barely seen), read again by
    their dark cores (`ocr.cores`): a seal's lettering over the digit. A number two depths agree on
    replaces the reading, doubted as all under a seal is."""
    page, ink = u.unfaded
    out = list(recs)
    for k, (r, rc) in enumerate(zip(rects, recs)):
        text = rc.text.strip()
        if not under_seal(r, u.seal) or not (_no_number_under_seal(text) or rc.min_char_confidence < GLIMPSE_CONFIDENCE):
            continue
        again = read_by_cores(u.engine, page, ink, r, u.char_px, GLIMPSE_CONFIDENCE)
        if again is not None:
            out[k] = u.as_sealed(again, r)
    return rects, out


def _on_ring(u: UnderSeal) -> list[Rect]:
    """Boxes of what may be digits on a seal's ring that went with it (a 0 the ring's edge runs
    over, darker than the ring but not than the threshold that spares print): on the page as
    scanned, ring and all (`scanned`), ink darker than halfway from the ring's grey to the print's
    cores, a digit's size, reaching within half a character of the ring's line. None where the
    print is not clearly darker than the ring."""
    page, ink = u.scanned
    (y0, y1, x0, x1), dist = pp.around_seal(page.shape, u.seal, int(u.seal[2] + 2 * u.char_px))
    sub, inked = page[y0:y1, x0:x1], ink[y0:y1, x0:x1] > 0
    ring = inked & (np.abs(dist - u.seal[2]) <= 0.3 * u.char_px)
    printed = pp.print_grey(page, ink, u.seal, share=10)  # the print's cores, not its blurred rims
    if printed is None or int(ring.sum()) < 50:
        return []
    ring_grey = float(np.median(sub[ring]))
    if printed > ring_grey - 25:
        return []
    # what is darker than the ring, whole, where it reaches within a character of the ring's line
    core = (inked & (sub <= (printed + ring_grey) / 2)).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(core, connectivity=8)
    touching = set(np.unique(labels[np.abs(dist - u.seal[2]) <= 0.5 * u.char_px]).tolist())
    grow = max(2, int(0.1 * u.char_px))
    found: list[Rect] = []
    for k in range(1, n):
        x, y, w, h = (int(v) for v in stats[k, :4])
        if k in touching and 0.4 * u.char_px <= h <= 1.5 * u.char_px and w <= 1.5 * u.char_px:
            found.append((x0 + x - grow, y0 + y - grow, x0 + x + w + grow, y0 + y + h + grow))
    return found


def on_ring_digits(
    u: UnderSeal, rects: list[Rect], recs: list[Recognition], tables: list[Rect],
) -> tuple[list[Rect], list[Recognition]]:
    """Digits lying on a seal's ring, in a table read as words, that went with the ring (`_on_ring`),
    where no piece read as a number or as words covers them, read by their dark cores
    (`ocr.cores`); a number replaces what was read there, doubted as all under a seal is."""
    page, ink = u.scanned
    # not in a ruled table (its cells are read again by `cells_on_ring`), nor where a number or words were read
    found = [r for r in u.on_ring if not any(overlap(r, t) > 0 for t in tables) and not any(
        overlap(r, q) > 0 and (NUMBERS.fullmatch(rc.text.strip()) or CJK.search(rc.text))
        for q, rc in zip(rects, recs))]
    kept = [(r, rc) for r in found if (rc := read_by_cores(u.engine, page, ink, r, u.char_px, GLIMPSE_CONFIDENCE)) is not None]
    if not kept:
        return rects, recs
    # what was read where a digit is now read (the ring's fragment of it) goes
    out = [(q, rc) for q, rc in zip(rects, recs) if not any(overlap(q, r) > 0 for r, _ in kept)]
    out += [(r, u.as_sealed(rc, r)) for r, rc in kept]
    return [q for q, _ in out], [rc for _, rc in out]


RING_DIGIT_SURE = 0.8  # a digit on a ring is read with the ring's grey band across it: only a sure reading counts


def cells_on_ring(u: UnderSeal, table_jobs: Cells, recs: list[Recognition], inset: int) -> tuple[Cells, list[Recognition]]:
    """Ruled cells under a seal still read as no number whose digit lay on the seal's ring and went
    with it (`_on_ring`: the fade and the unfaded page both take the ring, and the digit on it).
    What `_on_ring` found in the cell, as one box (the ring can part a 0 in two), is read on the page
    as scanned, the ring's lighter band and all: the recogniser reads a dark digit through it
    where its dark cores lose the digit's thinner strokes (a 0 as U). The cell takes a number read
    surely (`RING_DIGIT_SURE`), not strokes alone (a stretch of ring between rules reads as a sure
    1), doubted as all under a seal is."""
    page, _ = u.scanned
    found = u.on_ring

    def again(cell: GridCell, interior: Rect, reads: list[Recognition]) -> list[tuple[Piece, Recognition]] | None:
        if not _no_number_under_seal(" ".join(rc.text.strip() for rc in reads).strip()):
            return None
        mine = [r for r in found if 2 * overlap(r, interior) > (r[2] - r[0]) * (r[3] - r[1])]
        if not mine:
            return None
        box = (min(r[0] for r in mine), min(r[1] for r in mine), max(r[2] for r in mine), max(r[3] for r in mine))
        rc = strip_strays(recognize(u.engine, [crop(page, box, bounds=interior)])[0])
        text = rc.text.strip()
        if not NUMBER.fullmatch(text) or set(text) <= {"1"} or rc.min_char_confidence < RING_DIGIT_SURE:
            return None
        return [(Piece(box), u.as_sealed(rc, box))]

    return _reread_cells(u, table_jobs, recs, inset, again) if found else (table_jobs, recs)


def cells_by_cores(u: UnderSeal, table_jobs: Cells, recs: list[Recognition], inset: int) -> tuple[Cells, list[Recognition]]:
    """Ruled cells under a seal whose pieces still read as no number, read again whole by their
    dark cores (`ocr.cores`), as `loose_by_cores` reads loose pieces."""
    page, ink = u.unfaded

    def again(cell: GridCell, interior: Rect, reads: list[Recognition]) -> list[tuple[Piece, Recognition]] | None:
        box = ink_rect(ink, interior, min_pixels=10)
        if box is None or not _no_number_under_seal(" ".join(rc.text.strip() for rc in reads).strip()):
            return None
        rc = read_by_cores(u.engine, page, ink, box, u.char_px, GLIMPSE_CONFIDENCE)
        return None if rc is None else [(Piece(box), u.as_sealed(rc, box))]

    return _reread_cells(u, table_jobs, recs, inset, again)


def missed_unfaded(
    u: UnderSeal, rects: list[Rect], recs: list[Recognition], tables: list[Rect],
) -> tuple[list[Rect], list[Recognition]]:
    """Ink inside a seal's disc that no loose piece (`rects`) and no ruled table (`tables`) covers
    on the unfaded page (see `loose_unfaded`): print the fade took whole, which left no ink to
    cut a piece from. It is read from that page as missed ink is, and counts only as numbers, as
    all missed ink under a seal does; its readings follow `recs`."""
    page, ink = u.unfaded
    disc = np.zeros_like(ink)
    cv2.circle(disc, (u.seal[0], u.seal[1]), u.seal[2], 255, -1)
    missed = missed_pieces(cv2.bitwise_and(ink, disc), rects + tables, u.char_px, margin=max(2, int(0.12 * u.char_px)))
    if not missed:
        return rects, recs
    reads = readable(missed, recognize(u.engine, [crop(page, m.rect) for m in missed]))
    kept = [(m.rect, u.as_sealed(rc, m.rect)) for m, rc in zip(missed, reads) if rc is not None]
    kept = [(r, rc) for r, rc in kept if NUMBER.fullmatch(rc.text)]
    return rects + [r for r, _ in kept], recs + [rc for _, rc in kept]
