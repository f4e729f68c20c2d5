"""One page image -> paragraphs and table parts of the shared model, in reading order.

The steps: the page made ready (ocr.prepare); ruling lines -> table grids, the dashes of rules too
worn to be found taken off (ocr.grid.erase_dashes); inside a cell its ink alone gives the pieces
of text (the cell bounds them), outside the tables a detection pass over the strips that hold ink,
at 100 dpi or, for small print, the resolution its height needs (ocr.textsize); every piece
recognised in one batched call; character-shaped ink no detected box covers read after
(ocr.missed); the confidence policies (ocr.trust). Ruled cells are assembled from their grid; every
other piece becomes glyphs (ocr.words) and goes through the layout stage the text layer of a PDF
goes through (extractors.layout: lines, unruled tables, paragraphs). Boxes go back through the turn
and deskew to the page as it was given, in PDF points.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial

import cv2
import numpy as np

from extractors.layout import lay_out
from extractors.model import BBox, Block, Cell, Paragraph
from extractors.pdf_chars import Glyph
from extractors.pdf_ruled import TablePart
from extractors.pdf_stitch import starts_item
from ocr import preprocess as pp
from ocr import sealed
from ocr.crops import CROP_PAD, Piece, Rect, cell_pieces, crop, line_pieces, overlap, stacked_to_line
from ocr.engine import Engine, Recognition, TextBox, detect, recognize
from ocr.grid import (
    GridCell,
    GridTable,
    Job,
    cell_interior,
    erase_dashes,
    erase_rule_remnants,
    find_tables,
    long_strokes,
    ruling_masks,
    widen_to_text,
)
from ocr.grid_words import words_reading
from ocr.missed import missed_pieces, readable
from ocr.prepare import prepare, to_points
from ocr.sealed import UnderSeal
from ocr.textsize import detection_dpi
from ocr.trust import (
    NUMBER,
    a_glimpse,
    a_rule_in_cell,
    a_rule_stretch,
    a_rule_stub,
    a_speck,
    a_thinned_zero,
    across_lines,
    as_digits,
    between_columns,
    dust_in_cell,
    outside_disc,
    seal_policy,
    second_look,
    stacked_strokes,
    strip_strays,
    stubs_apart,
    text_height,
    under_seal,
)
from ocr.words import piece_glyphs, snap_sizes


def _cell_text(pieces: list[Piece], recs: list[Recognition]) -> tuple[str, float]:
    """Pieces of one cell: line by line, left to right; a wide gap on a line is a space."""
    if not pieces:
        return "", 1.0
    items = sorted(zip(pieces, recs), key=lambda t: ((t[0].rect[1] + t[0].rect[3]) / 2, t[0].rect[0]))
    lines: list[list[tuple[Piece, Recognition]]] = []
    for p, r in items:
        cy = (p.rect[1] + p.rect[3]) / 2
        if lines and lines[-1][-1][0].rect[1] <= cy <= lines[-1][-1][0].rect[3]:
            lines[-1].append((p, r))
        else:
            lines.append([(p, r)])
    parts = []
    for ln in lines:
        ln.sort(key=lambda t: t[0].rect[0])
        h = max(p.rect[3] - p.rect[1] for p, _ in ln)
        out = ""
        for k, (p, r) in enumerate(ln):
            if k and out and p.rect[0] - ln[k - 1][0].rect[2] > 0.5 * h:
                out += " "
            out += r.text
        parts.append(out)
    text = "".join(parts).strip()
    conf = min(r.min_char_confidence for _, r in items)
    return text, conf


def _split_items(
    t: GridTable, cell: GridCell, pieces: list[Piece], idx: list[int], recs: list[Recognition]
) -> list[Job]:
    """A cell spanning rows because a faint rule between them was not found holds the text of both
    rows, each sitting in its own row's band: the labels of two rows, each a list item (4、… and
    5、…, wrapped over lines or not), or a header over the number of the data row below it (结果维持
    over 0), or two rows' numbers. Such a cell is cut back into one cell per item, at the rows the
    items sit in. A label merely wrapped inside a merged cell ((三)不予 / 公开) does not open a new
    item on its second line and stays whole."""
    if cell.row_span < 2 or len(pieces) < 2:
        return [(cell, pieces, idx)]
    lines: list[list[int]] = []  # positions in pieces, line by line
    for k in sorted(range(len(pieces)), key=lambda k: pieces[k].rect[1]):
        cy = (pieces[k].rect[1] + pieces[k].rect[3]) / 2
        if lines and pieces[lines[-1][-1]].rect[1] <= cy <= pieces[lines[-1][-1]].rect[3]:
            lines[-1].append(k)
        else:
            lines.append([k])
    if len(lines) < 2:
        return [(cell, pieces, idx)]
    texts = ["".join(recs[idx[k]].text for k in sorted(ln, key=lambda k: pieces[k].rect[0])).strip() for ln in lines]

    def opens(text: str) -> bool:
        # a list item, or a number: no label wraps onto a line of digits alone, and no cell prints
        # a number under a label (a header row and the data row under it, the rule between lost)
        return starts_item(text) or NUMBER.fullmatch(text) is not None

    if not (opens(texts[0]) or any(NUMBER.fullmatch(tx) for tx in texts[1:])):
        # or one line in the middle of each row's band: two rows' labels, unnumbered (a wrapped
        # label's lines sit a line's pitch apart, in the middle of the whole cell)
        return _line_per_row(t, cell, pieces, idx, lines)
    return _by_items(t, cell, pieces, idx, lines, [opens(tx) for tx in texts])


_LABEL_OVER_NUMBER = re.compile(r"^(.*[\u4e00-\u9fff])\s*(\d+)$")


def _number_under_label(t: GridTable, job: Job, recs: list[Recognition]) -> Job:
    """A header's label read down a narrow cell together with the number of the data row under it
    (结果纠正0): the rule between the two rows was lost there, the cell spans both, and its ink was
    one column of stacked characters. The piece is cut at the row line the grid found in the other
    columns, the label above and the number below, so that the cell is cut back per row
    (`_split_items`) as a header over its data row's number is. The two readings are appended to
    `recs`."""
    cell, pieces, idx = job
    if cell.row_span < 2:
        return job
    out_p: list[Piece] = []
    out_i: list[int] = []
    for p, i in zip(pieces, idx):
        rec = recs[i]
        m = _LABEL_OVER_NUMBER.match(rec.text) if p.vertical else None
        lines = [y for y in t.ys[cell.row + 1 : cell.row + cell.row_span] if p.rect[1] < y < p.rect[3]]
        if m is None or not lines:
            out_p.append(p)
            out_i.append(i)
            continue
        confs = rec.char_conf if len(rec.char_conf) == len(rec.text) else (rec.min_char_confidence,) * len(rec.text)
        parts = [(m.group(1), confs[: m.end(1)]), (m.group(2), confs[m.start(2) :])]
        y = lines[-1]
        out_p += [Piece((p.rect[0], p.rect[1], p.rect[2], y), vertical=True), Piece((p.rect[0], y, p.rect[2], p.rect[3]))]
        out_i += [len(recs), len(recs) + 1]
        recs += [Recognition(text, float(np.mean(c)), float(min(c)), (), tuple(c)) for text, c in parts]
    return cell, out_p, out_i


def _line_per_row(
    t: GridTable, cell: GridCell, pieces: list[Piece], idx: list[int], lines: list[list[int]]
) -> list[Job]:
    """Each line of the cell in the middle of its own row's band, the lines a row's height apart:
    the rows' own labels (a wrapped label's lines, centred in a merged cell, sit a line's pitch
    apart, less than a row's height)."""
    if len(lines) != cell.row_span:
        return [(cell, pieces, idx)]
    out = []
    centres = [(min(pieces[i].rect[1] for i in ln) + max(pieces[i].rect[3] for i in ln)) / 2 for ln in lines]
    for k, (ln, cy) in enumerate(zip(lines, centres)):
        r = cell.row + k
        band = t.ys[r + 1] - t.ys[r]
        if abs(cy - (t.ys[r] + t.ys[r + 1]) / 2) > 0.2 * band:
            return [(cell, pieces, idx)]
        if k and cy - centres[k - 1] < 0.8 * (t.ys[r + 1] - t.ys[r - 1]) / 2:
            return [(cell, pieces, idx)]
        part = GridCell(r, cell.col, 1, cell.col_span, cell.x0, t.ys[r], cell.x1, t.ys[r + 1])
        out.append((part, [pieces[i] for i in ln], [idx[i] for i in ln]))
    return out


def _by_items(
    t: GridTable, cell: GridCell, pieces: list[Piece], idx: list[int], lines: list[list[int]], opening: list[bool]
) -> list[Job]:
    # an item wrapped over lines keeps its lines: a line that opens no item continues the one above
    items: list[list[int]] = []
    for ln, starts in zip(lines, opening):
        if starts or not items:
            items.append([])
        items[-1].extend(ln)
    if len(items) < 2:
        return [(cell, pieces, idx)]
    rows = []
    for it in items:
        cy = (min(pieces[k].rect[1] for k in it) + max(pieces[k].rect[3] for k in it)) / 2
        rows.append(next((r for r in range(cell.row, cell.row + cell.row_span) if t.ys[r] <= cy < t.ys[r + 1]), -1))
    if -1 in rows or len(set(rows)) != len(rows) or rows != sorted(rows):
        return [(cell, pieces, idx)]
    out = []
    for n, (ln, r0) in enumerate(zip(items, rows)):
        r1 = rows[n + 1] if n + 1 < len(rows) else cell.row + cell.row_span
        r0 = cell.row if n == 0 else r0
        part = GridCell(r0, cell.col, r1 - r0, cell.col_span, cell.x0, t.ys[r0], cell.x1, t.ys[r1])
        out.append((part, [pieces[k] for k in ln], [idx[k] for k in ln]))
    return out


def _bands_outside(text_ink: np.ndarray, tables: list[GridTable], pad: int) -> list[tuple[int, int]]:
    """Row ranges of the page that hold ink outside every table (where prose and unruled tables
    are), padded, so text detection runs on those strips only."""
    rows = np.count_nonzero(text_ink, axis=1) > 0
    for t in tables:
        rows[max(0, t.ys[0] - 2) : t.ys[-1] + 3] = False
    bands: list[list[int]] = []
    for y in np.flatnonzero(rows):
        if bands and y - bands[-1][1] <= 2 * pad:
            bands[-1][1] = int(y) + 1
        else:
            bands.append([int(y), int(y) + 1])
    h = text_ink.shape[0]
    return [(max(0, a - pad), min(h, b + pad)) for a, b in bands if b - a >= 4]


def _distinct(rects: list[Rect]) -> list[Rect]:
    """Pieces cut from overlapping detected regions: the same ink must be read once (a bold title
    detected twice was read twice, one copy garbled, and its agency lost). Widest first; a piece lying
    mostly inside one already kept is dropped."""
    kept: list[Rect] = []
    for r in sorted(rects, key=lambda r: -(r[2] - r[0]) * (r[3] - r[1])):
        area = max(1, (r[2] - r[0]) * (r[3] - r[1]))
        if any(overlap(r, k) > 0.6 * area for k in kept):
            continue
        kept.append(r)
    return sorted(kept, key=lambda r: (r[1], r[0]))


def _grid_broken(jobs: list[Job], recs: list[Recognition], char_px: float) -> bool:
    """A cell of a template table holds one number at most: two pieces that each read as a number
    in one cell mean the grid missed an edge between them. So does one piece read as numbers set
    apart (1 3), or parted by a stroke or dashes (0000|0010000, 0---1: the lost rule's stub or what
    is left of it), or run together into
    what no printed number is, digits after a leading 0 (00, 0010000; o for 0 alike): the cells'
    ink joined across the lost edges, a rule's stubs with it, where the rules were worn to dashes."""
    for _cell, pieces, idx in jobs:
        words = [w for i in idx for w in _STROKE_OR_SPACE.split(recs[i].text) if w]
        if sum(1 for w in words if NUMBER.fullmatch(w)) >= 2 or any(_RUN_TOGETHER.match(w) for w in words):
            return True
        # a piece several characters wide that reads as nothing at all: the lines of several cells'
        # stacked labels joined across lost edges into one strip no line recogniser reads (a 表四
        # whose columns ran together: its header's one cell read as nothing, and the table lost)
        if any(not recs[i].text.strip() and p.rect[2] - p.rect[0] >= 4 * char_px and p.rect[3] - p.rect[1] >= 0.5 * char_px
               for p, i in zip(pieces, idx)):
            return True
    return False


def _cut_at_edge(t: GridTable, jobs: list[Job], recs: list[Recognition], text_ink: np.ndarray, char_px: float) -> bool:
    """A grid that ends inside a number: its outer edge stood where a worn rule's dashes stopped
    (17607 read as 176 in its last cell, 07 left outside it). A number read in an outer cell
    whose piece runs up to the grid's edge, with ink of a character's height and width just
    outside it on the same line."""
    near = int(0.6 * char_px)
    x0, _, x1, _ = t.bbox
    for cell, pieces, idx in jobs:
        for p, i in zip(pieces, idx):
            text = recs[i].text.strip()
            if not text:
                continue
            top, bottom = p.rect[1], p.rect[3]
            if cell.x1 >= x1 - 2 and text[-1].isdigit() and cell.x1 - p.rect[2] <= near:
                outside = text_ink[top:bottom, x1 + 2 : x1 + near]
            elif cell.x0 <= x0 + 2 and text[0].isdigit() and p.rect[0] - cell.x0 <= near:
                outside = text_ink[top:bottom, max(0, x0 - near) : max(0, x0 - 2)]
            else:
                continue
            if not outside.size:
                continue
            rows = np.flatnonzero(np.count_nonzero(outside, axis=1))
            cols = np.count_nonzero(np.count_nonzero(outside, axis=0))
            # a character's height and more than a line's width: a doubled rule's other line is no digit
            if rows.size and rows.max() - rows.min() >= 0.6 * (bottom - top) and cols >= max(3, 0.2 * char_px):
                return True
    return False


# what parts two cells' numbers read as one piece: a space, a lost rule's stub (|), or the dashes
# of a rule worn to dashes that ran between them (0---1)
_STROKE_OR_SPACE = re.compile(r"[\s|]+|-{2,}|[—_]+")
# two or more zeros at a number's head (read as 0 or o): several cells' zeros read as one piece
_RUN_TOGETHER = re.compile(r"[0o][0-9o]+$")


def _detect_in(
    engine: Engine, clean: np.ndarray, text_ink: np.ndarray, rect: tuple[int, int, int, int], dpi: float
) -> list[TextBox]:
    x0, y0, x1, y1 = rect
    pad = max(4, int(dpi * 0.05))
    x0, y0 = max(0, x0 - pad), max(0, y0 - pad)
    sub = clean[y0 : y1 + pad, x0 : x1 + pad]
    boxes = detect(engine, sub, scale=detection_dpi(text_ink[y0 : y1 + pad, x0 : x1 + pad], dpi) / dpi)
    return [TextBox(b.x0 + x0, b.y0 + y0, b.x1 + x0, b.y1 + y0, b.score) for b in boxes]


def _detect_outside(engine: Engine, clean: np.ndarray, text_ink: np.ndarray, tables: list[GridTable], dpi: float) -> list[TextBox]:
    page, ink = clean.copy(), text_ink.copy()
    for t in tables:
        x0, y0, x1, y1 = t.bbox
        page[max(0, y0 - 2) : y1 + 3, max(0, x0 - 2) : x1 + 3] = 255
        ink[max(0, y0 - 2) : y1 + 3, max(0, x0 - 2) : x1 + 3] = 0
    boxes: list[TextBox] = []
    for a, b in _bands_outside(text_ink, tables, pad=max(8, int(dpi * 0.1))):
        # each strip at the resolution its print needs: small text is missed at DET_DPI
        for bx in detect(engine, page[a:b], scale=detection_dpi(ink[a:b], dpi) / dpi):
            boxes.append(TextBox(bx.x0, bx.y0 + a, bx.x1, bx.y1 + a, bx.score))
    return boxes


def ocr_page(
    engine: Engine, image: np.ndarray, dpi: float, page_no: int | None, box_scale: float | None = None
) -> list[Paragraph | TablePart]:
    """Read one page image (BGR or grey) scanned at `dpi` into paragraphs and table parts in
    reading order (parts of one table on consecutive pages are stitched by the caller). Boxes are
    in the given image's coordinates times `box_scale`: 72/dpi (PDF points, the default) for a
    rendered PDF page, 1.0 (pixels) for an image file."""
    prep = prepare(engine, image, dpi)
    gray = prep.gray
    scale = 72.0 / dpi if box_scale is None else box_scale
    ink = pp.ink_mask(gray)
    seal = pp.find_seal(gray, dpi, ink)
    ruled_ink = ink if seal is None else pp.without_ring(ink, seal, dpi)
    tables = find_tables(ruled_ink, dpi)
    # only long rules are erased: a finer mask would take the strokes of characters with it
    masks = ruling_masks(ruled_ink, dpi, heal=True)
    rules = cv2.dilate(masks.both, np.ones((3, 3), np.uint8))
    text_ink = cv2.bitwise_and(ink, cv2.bitwise_not(rules))
    tables = [widen_to_text(t, text_ink, dpi, tuple(o.bbox for o in tables if o is not t)) for t in tables]
    clean = gray.copy()
    clean[rules > 0] = 255
    erase_dashes(text_ink, clean, masks.vertical, dpi, skip=tuple(t.bbox for t in tables))
    # a seal printed in grey cannot be taken out by colour; where it lies, keep only what is darker
    # than its ink (the print under it), and take its ring and star off by their shape (a seal as
    # dark as the print is only told by that). The rules were found before, so none is lost to this.
    unfaded: tuple[np.ndarray, np.ndarray] | None = None
    scanned = (clean, text_ink)  # the seal as scanned, ring and all: a digit on its ring is darker than it
    if seal is not None:
        marks = pp.seal_marks(seal, ink, gray, text_ink)
        unfaded = pp.to_paper(clean, text_ink, marks)
        clean, text_ink = pp.to_paper(*pp.fade_seal(clean, text_ink, seal), marks)
    char_px = dpi * 12 / 72  # a 12 pt character

    crops: list[np.ndarray] = []
    recheck: dict[int, tuple[Rect, Rect]] = {}  # crop index -> (piece, cell interior) of cell pieces
    table_jobs: list[tuple[GridTable, list[Job]]] = []
    inset = max(2, int(dpi * 0.02))
    for t in tables:
        jobs: list[Job] = []
        for cell in t.cells:
            interior = cell_interior(cell, inset)
            if interior is None:
                jobs.append((cell, [], []))
                continue
            pieces = _pieces_by_row_lines(text_ink, t, cell, interior, char_px)
            pieces = [p for p in pieces if not a_rule_in_cell(p.rect, interior, [q.rect for q in pieces], char_px)]
            pieces = [p for p in pieces if not dust_in_cell(p.rect, [q.rect for q in pieces], char_px)]
            idx = []
            for p in pieces:
                idx.append(len(crops))
                if p.vertical:
                    crops.append(stacked_to_line(clean, text_ink, p.rect))
                else:
                    crops.append(crop(clean, p.rect, bounds=interior))
                    recheck[len(crops) - 1] = (p.rect, interior)
            jobs.append((cell, pieces, idx))
        table_jobs.append((t, jobs))

    loose_rects: list[Rect] = []
    detected = _detect_outside(engine, clean, text_ink, tables, dpi)
    for b in detected:
        loose_rects.extend(line_pieces(text_ink, (b.x0, b.y0, b.x1, b.y1), char_px))
    loose_rects = _distinct(loose_rects)
    loose_start = len(crops)
    crops.extend(crop(clean, r) for r in loose_rects)

    recs = recognize(engine, crops) if crops else []
    recs = [strip_strays(r) if i in recheck else r for i, r in enumerate(recs)]
    recs = second_look(engine, clean, recs, recheck)
    # a stroke read on the line of a rule: the rules found, and the stretches of rule too short to
    # be found that a worn rule left (one header row's stretch above a stub between two 0s). In a
    # ruled cell it parts two numbers; a loose one is dropped below
    rule_lines = cv2.bitwise_or(masks.vertical, long_strokes(text_ink, char_px).vertical)
    for i, (rect, _) in recheck.items():
        recs[i] = stubs_apart(recs[i], rect, max(2, int((rect[3] - rect[1]) * CROP_PAD)), rule_lines, dpi)
    # a seal printed in grey cannot be taken out by colour: what lies under it is not to be trusted
    # (the page's print height, which a seal's name stands above, from the pieces clear of it).
    # Every reading made from here on passes `as_sealed`; with no seal it changes nothing
    seal_print = text_height(loose_rects, recs[loose_start:], seal)
    as_sealed = partial(seal_policy, seal=seal, ink=text_ink, print_height=seal_print)
    if seal is not None:
        rects = {i: rc for i, (rc, _) in recheck.items()}
        rects.update({loose_start + k: r for k, r in enumerate(loose_rects)})
        recs = [as_sealed(r, rects[i]) if i in rects else r for i, r in enumerate(recs)]
        recs[loose_start:] = [Recognition("", 1.0, 1.0) if across_lines(r, seal, seal_print) else rc
                              for r, rc in zip(loose_rects, recs[loose_start:])]

    # A grid whose rules were too broken to find every edge joins cells into one: a "cell" then
    # holds two numbers. Such a table is read again as words, its rules' remnants erased, by the
    # layout stage that reads tables printed without rules.
    broken = [t for t, jobs in table_jobs
              if _grid_broken(jobs, recs, char_px) or _cut_at_edge(t, jobs, recs, text_ink, char_px)]
    if broken:
        table_jobs = [(t, jobs) for t, jobs in table_jobs if t not in broken]
        for t in broken:
            erase_rule_remnants(ink, text_ink, clean, t.bbox, dpi, row_lines=t.ys)
            erase_dashes(text_ink, clean, masks.vertical, dpi, region=t.bbox)
        inside = [b for t in broken for b in _detect_in(engine, clean, text_ink, t.bbox, dpi)]
        detected = detected + inside
        # overlapping boxes cut the same ink twice: read twice, a row's glyphs came out doubled
        extra = _distinct([r for b in inside for r in line_pieces(text_ink, (b.x0, b.y0, b.x1, b.y1), char_px)])
        extra_recs = [as_sealed(rc, r) for r, rc in zip(extra, recognize(engine, [crop(clean, r) for r in extra]))] if extra else []
        recs = recs + extra_recs  # the new pieces' readings follow the loose pieces', as their rects do
        loose_rects = loose_rects + extra

    # what the detector passed over (a lone row of single digits): ink, not boxes, says text is there
    # Inside a seal the detector finds little, or one box over the seal's name and the digits
    # around it, read as the name and dropped; the print there is the digits of the table the seal
    # was pressed on. So under a seal only what was read covers its ink: the seal's ring is no
    # character's shape, its name is taken out again as everywhere, and all read there is doubted
    covered = [t.bbox for t, _ in table_jobs] + [
        (b.x0, b.y0, b.x1, b.y1) for b in detected if not under_seal((b.x0, b.y0, b.x1, b.y1), seal)]
    covered += [r for r, rc in zip(loose_rects, recs[loose_start:]) if under_seal(r, seal) and rc.text.strip()]
    missed = missed_pieces(text_ink, covered, char_px, margin=max(2, int(dpi * 0.02)))
    if missed:
        missed_recs = recognize(engine, [crop(clean, m.rect) for m in missed])
        readings = [rc if rc is not None else a_thinned_zero(raw, m.rect, seal)
                    for m, raw, rc in zip(missed, missed_recs, readable(missed, missed_recs))]
        kept = [(m.rect, as_sealed(rc, m.rect)) for m, rc in zip(missed, readings) if rc is not None]
        # under a seal, ink no box covered that reads as words is the seal's own name, even read sure;
        # but not words centred outside the seal's disc: a label beside the seal, whose detected box
        # took in the seal's name and the rows below it and was read again as loose ink
        kept = [(r, rc) for r, rc in kept if rc.text and (not under_seal(r, seal) or NUMBER.fullmatch(rc.text)
                                                          or outside_disc(r, seal))]
        recs = recs + [rc for _, rc in kept]
        loose_rects = loose_rects + [r for r, _ in kept]

    if seal is not None and unfaded is not None:
        u = UnderSeal(engine, seal, as_sealed, char_px, unfaded, scanned)
        ruled = [t.bbox for t, _ in table_jobs]
        loose_rects, loose_again = sealed.loose_unfaded(u, loose_rects, recs[loose_start:])
        loose_rects, loose_again = sealed.missed_unfaded(u, loose_rects, loose_again, ruled)
        loose_rects, loose_again = sealed.loose_by_cores(u, loose_rects, loose_again)
        loose_rects, loose_again = sealed.on_ring_digits(u, loose_rects, loose_again, ruled)
        recs = recs[:loose_start] + loose_again
        table_jobs, recs = sealed.cells_unfaded(u, table_jobs, recs, inset)
        table_jobs, recs = sealed.cells_by_cores(u, table_jobs, recs, inset)
        table_jobs, recs = sealed.cells_on_ring(u, table_jobs, recs, inset)
    table_jobs = [(t, [_number_under_label(t, job, recs) for job in jobs]) for t, jobs in table_jobs]

    to_pt = 72.0 / dpi
    back_pt = _points_back(prep.back, dpi, scale)
    placed: list[tuple[float, Paragraph | TablePart]] = []
    for t, jobs in table_jobs:
        cells = []
        for grid_cell, all_pieces, all_idx in jobs:
            for cell, pieces, idx in _split_items(t, grid_cell, all_pieces, all_idx, recs):
                text, conf = as_digits(*_cell_text(pieces, [recs[i] for i in idx]))
                cells.append(
                    Cell(
                        row=cell.row,
                        col=cell.col,
                        text=text,
                        row_span=cell.row_span,
                        col_span=cell.col_span,
                        page=page_no,
                        bbox=to_points((cell.x0, cell.y0, cell.x1, cell.y1), prep.back, scale),
                        confidence=round(conf, 4),
                        layout="grid",
                    )
                )
        # column boundaries stay in the prepared page's points: what stitching compares with the
        # next page's table, both pages read level and upright
        part = TablePart(
            page_no or 0,
            to_points(t.bbox, prep.back, scale),
            tuple(x * to_pt for x in t.xs),
            tuple(y * to_pt for y in t.ys),
            tuple(cells),
            ruled=True,
            # the same recognitions as words, for reconciliation to hold against the grid's reading
            alternative=tuple(_map_back(item, back_pt) for item in words_reading(
                [(p, recs[i]) for _, pieces, idx in jobs for p, i in zip(pieces, idx)],
                to_pt, page_no or 0, gray.shape[0] * to_pt)),
        )
        placed.append((t.bbox[1] * to_pt, part))

    glyphs: list[Glyph] = []
    loose_recs = recs[loose_start : loose_start + len(loose_rects)]
    height = text_height(loose_rects, loose_recs, seal)
    worn = stacked_strokes(loose_rects, loose_recs, height)
    for k, (r, rec) in enumerate(zip(loose_rects, loose_recs)):
        if a_glimpse(rec) or a_speck(r, rec.text, height) or a_rule_stretch(r, rec.text, height) or k in worn:
            continue
        # a number with dust beside it (0. or .0) as a ruled cell's is read: else the layout stage
        # takes it for a word, and its row one number short
        rec = strip_strays(rec)
        pad = max(2, int((r[3] - r[1]) * CROP_PAD))
        glyphs.extend(
            g for g in piece_glyphs(r, rec, pad, to_pt)
            if not a_rule_stub(g.text, g.cx / to_pt, r[1], r[3], rule_lines, dpi)
        )
    stubs = between_columns(glyphs)
    glyphs = [g for k, g in enumerate(glyphs) if k not in stubs]
    for top, item in lay_out(snap_sizes(glyphs), page_no or 0, gray.shape[0] * to_pt):
        placed.append((top, _map_back(item, back_pt)))
    placed.sort(key=lambda t: t[0])
    return [b for _, b in placed]


def _pieces_by_row_lines(ink: np.ndarray, t: GridTable, cell: GridCell, interior: Rect, char_px: float) -> list[Piece]:
    """A cell's pieces; where the cell spans rows (the rule between them lost in its column) and a
    column of stacked characters in it parts cleanly, with no ink, at the row line the grid found in
    the other columns, the cell is read as its parts above and below that line. A header's label over
    the data row's number (其他结果 over 0) was read as one column of characters, the 0 as a full
    stop (其他结果。); read apart, the 0 is a line of its own that `_split_items` gives back to its
    row. A label whose characters merely part there is read in two pieces, joined again."""
    pieces = cell_pieces(ink, interior, char_px)
    x0, y0, x1, y1 = interior
    near = max(2, int(char_px * 0.2))  # the lost rule's remnant may lie on the line itself
    for p in pieces:
        if not p.vertical:
            continue
        for y in t.ys[cell.row + 1 : cell.row + cell.row_span]:
            rows = range(max(p.rect[1] + 1, y - near), min(p.rect[3] - 1, y + near + 1))
            empty = [r for r in rows if not ink[r, p.rect[0] : p.rect[2]].any()]
            if empty:
                cut = min(empty, key=lambda r: abs(r - y))
                return (_pieces_by_row_lines(ink, t, cell, (x0, y0, x1, cut), char_px)
                        + _pieces_by_row_lines(ink, t, cell, (x0, cut + 1, x1, y1), char_px))
    return pieces


def _points_back(back: np.ndarray, dpi: float, scale: float) -> np.ndarray:
    """3x3 map from prepared-page points to the output's units (original pixels x `scale`)."""
    to_px = np.diag([dpi / 72.0, dpi / 72.0, 1.0])
    return np.diag([scale, scale, 1.0]) @ back @ to_px


def _box_back(box: BBox | None, m: np.ndarray) -> BBox | None:
    if box is None:
        return None
    return to_points(box, m, 1.0)


def _map_back(item: Paragraph | TablePart, m: np.ndarray) -> Paragraph | TablePart:
    """Provenance boxes of a layout item from prepared-page points to the page as given."""
    if isinstance(item, Paragraph):
        return replace(item, bbox=_box_back(item.bbox, m))
    cells = tuple(replace(c, bbox=_box_back(c.bbox, m)) for c in item.cells)
    return replace(item, bbox=_box_back(item.bbox, m) or item.bbox, cells=cells)


def as_blocks(items: list[Paragraph | TablePart]) -> list[Block]:
    return [i.to_table() if isinstance(i, TablePart) else i for i in items]


def ocr_image(
    engine: Engine, image: np.ndarray, dpi: float, page_no: int | None, box_scale: float | None = None
) -> list[Block]:
    """Read one page image into blocks (Paragraph, Table) in reading order; see `ocr_page`."""
    return as_blocks(ocr_page(engine, image, dpi, page_no, box_scale))
