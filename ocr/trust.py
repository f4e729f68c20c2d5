"""When a reading is not to be trusted: the confidence policies applied to recognised cell text.

A cell's confidence starts as the least probability among its characters; these rules lower it
where the page itself gives reason to doubt (a number read two ways, a seal over it, letters
standing in for digits), so that the checks downstream flag the cell instead of loading a wrong
number silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np

from extractors.pdf_chars import Glyph
from ocr.crops import Rect, crop
from ocr.engine import Engine, Recognition, recognize

DISAGREE_CONFIDENCE = 0.5  # a number read two ways is doubted
SEAL_CONFIDENCE = 0.6  # text under a grey seal's ring and lettering is doubted, however it reads


GLIMPSE_CONFIDENCE = 0.5  # a lone character read below this is a mark more often than text

_NUMBER = re.compile(r"[0-9][0-9.,]*")
# a number with a stray mark before or after it: dust or a seal's remnant read as punctuation
_STRAY = re.compile(r"^([.,:;'`·、，。]*)([0-9](?:[0-9.,]*[0-9])?)([.,:;'`·、，。]*)$")


_CONFUSABLE = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "i": "1", "!": "1", "|": "1", "S": "5", "B": "8", "Z": "2"}
)
_ROUND_LETTERS = "oOD"  # what a 0 reads as where it is half seen
_A_ZERO = re.compile(f"[0{_ROUND_LETTERS}]")
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")  # a reading that is one number
NUMBERS = re.compile(r"\d[\d,.]*(?: \d[\d,.]*)*")  # a reading that is numbers alone, set apart
_DIGITISH = re.compile(r"[0-9OoDlIi!|SBZ]+")


def a_glimpse(rec: Recognition) -> bool:
    """A loose piece read as one character the recogniser barely saw: dust, a seal's remnant or a
    rule's stub (I, 1, .) far more often than text. Outside a ruled cell nothing places it, and
    as a glyph it would stand as an extra number in a row of a table read as words, shifting the
    row's count; it is left out (what it hid, if anything, is then a missing cell, named)."""
    return len("".join(rec.text.split())) == 1 and rec.confidence < GLIMPSE_CONFIDENCE


STUB_TEXTS = frozenset("1Iil!|丨")  # what a rule's stub reads as
SPECK_SHARE = 0.35  # of the page's text height: no digit is printed this small beside its text


def a_rule_stub(text: str, cx: float, y0: float, y1: float, vertical_rules: np.ndarray, dpi: float) -> bool:
    """A character read as one stroke (1, I, |) centred at `cx` over rows `y0`-`y1` (page pixels)
    standing on the line of a vertical rule that is found just above or below it but not beside it:
    what a broken rule left, alone or read as part of a piece (0l0: two cells' zeros and the rule
    between them), joined to a scrap of the rule across it (so no bare dash `erase_dashes` takes
    off). Text sits inside a table's cells, never on its rules; where a table was read as words,
    the stub would stand beside a cell's number and join it (3 and the stub read as 31). A 1 that
    touches an unbroken rule has the rule beside it, and stays."""
    if text not in STUB_TEXTS:
        return False
    reach_x = max(2, int(dpi * 0.015))
    reach_y = int(dpi * 0.75)  # a table's rows: the rule above or below the break
    x0, x1 = max(0, int(cx) - reach_x), int(cx) + reach_x + 1
    top, bottom = int(y0), int(y1)
    beside = vertical_rules[top:bottom, x0:x1]
    if beside.size and np.count_nonzero(beside) > 0:
        return False
    above = vertical_rules[max(0, top - reach_y) : top, x0:x1]
    below = vertical_rules[bottom : bottom + reach_y, x0:x1]
    return bool(np.count_nonzero(above) or np.count_nonzero(below))


JUNCTION_TEXTS = frozenset("T丁")  # what a rule's stub reads as where a row rule met it


def a_rule_in_cell(rect: Rect, interior: Rect, pieces: list[Rect], char_px: float) -> bool:
    """A thin upright piece in a ruled cell beside other pieces that is a rule's, not a character:
    running the whole height of the cell's interior (within two pixels of its top and bottom) beside
    shorter pieces, or standing against the interior's left or right side beside a piece that does
    not. A rule printed twice a pixel or two apart (a copier's ghost) or found a little off its
    line leaves its second stroke inside the cell: read as I beside the number (I 0, a value and a
    mark: the row two values too long), or as 1 (two numbers in one cell: the grid taken for broken
    and the table read as words). A digit stands as tall as its neighbours, and a cell's number
    stands clear of its sides."""
    x0, y0, x1, y1 = rect
    if x1 - x0 > max(3.0, 0.3 * char_px):
        return False
    others = [q for q in pieces if q != rect]
    height = y1 - y0
    if y0 <= interior[1] + 2 and y1 >= interior[3] - 2 and any(q[3] - q[1] < 0.8 * height for q in others):
        return True

    def against_side(q: Rect) -> bool:
        return q[0] <= interior[0] + 2 or q[2] >= interior[2] - 2

    return against_side(rect) and any(not against_side(q) for q in others)


def dust_in_cell(rect: Rect, pieces: list[Rect], char_px: float) -> bool:
    """A piece of a cell far smaller than a character (under DUST_SHARE of `char_px`) lying wholly
    above or below a piece at least twice its height: dust of a rough scan floating in a tall cell
    (read as S or x beside the cell's 0, which left the cell no number). A cell's mark of its own
    (、 or a decimal point) sits on the line of its text, beside it; digits are measured against
    the page's character, not the cell's tallest piece, which may be two lines run together."""
    height = rect[3] - rect[1]
    if height >= DUST_SHARE * char_px:
        return False
    return any(q[3] - q[1] >= 2 * height and (rect[3] <= q[1] or rect[1] >= q[3]) for q in pieces if q != rect)


DUST_SHARE = 0.4


def stacked_strokes(rects: list[Rect], recs: list[Recognition], text_height: float) -> set[int]:
    """The pieces read as one stroke each (1, I, T) stacked on one upright line down three rows or
    more, one of them at least read as no digit, with no other text on that line between them: a
    column rule worn into dashes, too broken for the rule finder and too far from any rule it found
    for `a_rule_stub` (a rule parting the columns of one sub-table, over three rows). In a table
    read as words they stood as a column of their own between two columns of numbers, each row one
    value too long. A column of printed 1s shares its line with its header and other numbers."""
    if text_height <= 0:
        return set()
    marks = STUB_TEXTS | JUNCTION_TEXTS
    strokes = [i for i, rc in enumerate(recs) if rc.text.strip() in marks]
    reach = 0.5 * text_height
    out: set[int] = set()
    for i in strokes:
        cx = (rects[i][0] + rects[i][2]) / 2
        chain = [j for j in strokes if abs((rects[j][0] + rects[j][2]) / 2 - cx) <= reach]
        middles = sorted((rects[j][1] + rects[j][3]) / 2 for j in chain)
        rows = 1 + sum(1 for a, b in pairwise(middles) if b - a > reach)
        if rows < 3 or all(recs[j].text.strip().isdigit() for j in chain):
            continue
        top, bottom = min(rects[j][1] for j in chain), max(rects[j][3] for j in chain)
        crossed = any(k not in chain and recs[k].text.strip() and r[0] - reach <= cx <= r[2] + reach
                      and r[3] > top and r[1] < bottom for k, r in enumerate(rects))
        if not crossed:
            out.update(chain)
    return out


def stubs_apart(rec: Recognition, rect: Rect, pad: int, vertical_rules: np.ndarray, dpi: float) -> Recognition:
    """A ruled cell's reading with every stroke that stands on the line of a rule (`a_rule_stub`)
    made a space: a cell that a lost rule joined to its neighbour holds both cells' numbers and the
    stub of the rule between them (0l0, 0 I 0), which read as one word and took the row's place.
    `rect` is the piece's ink box, `pad` the margin its crop was given (character positions are
    fractions of the padded crop's width)."""
    if len(rec.char_x) != len(rec.text) or not any(c in STUB_TEXTS for c in rec.text):
        return rec
    width = rect[2] - rect[0] + 2 * pad
    chars = [
        " " if a_rule_stub(c, rect[0] - pad + f * width, rect[1], rect[3], vertical_rules, dpi) else c
        for c, f in zip(rec.text, rec.char_x)
    ]
    text = "".join(chars)
    return rec if text == rec.text else Recognition(text, rec.confidence, rec.min_char_confidence, rec.char_x, rec.char_conf)


def a_speck(rect: Rect, text: str, text_height: float) -> bool:
    """A piece holding a digit but far smaller than the page's text (a speck of dust or JPEG
    noise read as 1), or a lone digit but 1 far narrower: it would slip among the digits of the
    number beside it (7481 read as 74181). `text_height` is the median height of the page's
    pieces read as several characters."""
    if text_height <= 0 or not any(c.isdigit() for c in text):
        return False
    if (rect[3] - rect[1]) < SPECK_SHARE * text_height:
        return True
    # a lone digit other than 1 far narrower than any is printed: specks in a column (a 2 two
    # points wide under a label's line, where its row held a 0)
    return len(text) == 1 and text != "1" and (rect[2] - rect[0]) < NARROW_SHARE * text_height


NARROW_SHARE = 0.25  # of the page's text height: the narrowest a digit but 1 is printed


TALL_STROKE = 1.25  # of the page's text height: a lone stroke taller than this is no printed 1


def a_rule_stretch(rect: Rect, text: str, text_height: float) -> bool:
    """A piece read as one stroke (1, I, |) standing taller than the page's text by a quarter: a
    stretch of a worn rule too short for the rule finder (a table's right border beside a row read
    as words, its stretch read as a sure 1: the row one value too long, and lost). A printed 1 is
    a digit's height, less than the page's characters; `text_height` as for `a_speck`."""
    return text_height > 0 and len(text.strip()) == 1 and text.strip() in STUB_TEXTS and (
        rect[3] - rect[1]) > TALL_STROKE * text_height


def text_height(rects: list[Rect], recs: list[Recognition], seal: tuple[int, int, int] | None = None) -> float:
    """The median height of pieces read as two characters or more, with confidence: the page's
    text size as its ink shows it (0 where no such piece). Pieces under a `seal` are left out: its
    name, set large round its rim, read sure, had made the digits of a table all specks."""
    hs = [r[3] - r[1] for r, rc in zip(rects, recs)
          if len("".join(rc.text.split())) >= 2 and rc.confidence >= 0.9 and not under_seal(r, seal)]
    return float(np.median(hs)) if hs else 0.0


def as_digits(text: str, conf: float) -> tuple[str, float]:
    """A cell that reads as nothing but digits and their look-alikes (O for 0, l for 1) holds a
    number the recogniser half saw: it is given as digits, and doubted."""
    if not _DIGITISH.fullmatch(text) or text.isdigit():
        return text, conf
    return text.translate(_CONFUSABLE), min(conf, DISAGREE_CONFIDENCE)


def digits_read(rec: Recognition) -> Recognition:
    """`as_digits` over a whole reading, its characters' confidences capped alike."""
    text, conf = as_digits(rec.text, rec.min_char_confidence)
    if text == rec.text:
        return rec
    return Recognition(text, rec.confidence, conf, rec.char_x, tuple(min(c, conf) for c in rec.char_conf))


def strip_strays(rec: Recognition) -> Recognition:
    """A table cell's `.0` or `1.` is a digit with a speck beside it: drop the marks, and judge
    the reading by the digits' own confidence."""
    m = _STRAY.match(rec.text)
    if m is None or not (m.group(1) or m.group(3)) or len(rec.char_conf) != len(rec.text):
        return rec
    a, b = len(m.group(1)), len(m.group(1)) + len(m.group(2))
    conf = rec.char_conf[a:b]
    return Recognition(m.group(2), sum(conf) / len(conf), min(conf), rec.char_x[a:b], conf)


def _reach(rect: Rect, cx: float, cy: float) -> tuple[float, float]:
    """The nearest and the farthest a box comes to a point."""
    nx, ny = min(max(cx, rect[0]), rect[2]), min(max(cy, rect[1]), rect[3])
    far = max(np.hypot(x - cx, y - cy) for x in (rect[0], rect[2]) for y in (rect[1], rect[3]))
    return float(np.hypot(nx - cx, ny - cy)), float(far)


def under_seal(rect: Rect, seal: tuple[int, int, int] | None) -> bool:
    return seal is not None and _reach(rect, seal[0], seal[1])[0] <= seal[2] * 1.08


def outside_disc(rect: Rect, seal: tuple[int, int, int] | None) -> bool:
    """Whether the box's centre lies outside the seal's disc (its name lies inside the ring)."""
    return seal is None or float(np.hypot((rect[0] + rect[2]) / 2 - seal[0], (rect[1] + rect[3]) / 2 - seal[1])) > seal[2]


CJK = re.compile(r"[\u4e00-\u9fff]")


def without_seal_lettering(
    rec: Recognition, rect: Rect, seal: tuple[int, int, int] | None, ink: np.ndarray | None = None,
    print_height: float = 0.0,
) -> Recognition:
    """Nothing, for a piece read as Chinese characters without a digit that is the seal's own name,
    set round its rim with each character turned (read as a label, 县民政局, in a row of numbers it
    took the row's place): one read unsure with its middle inside the seal's circle; one standing
    taller than the page's print (`print_height`, the median height of its pieces) by a third with
    its middle inside (a seal's name is cut larger than the text it is pressed on, and a character
    of it read alone, 区, runs round no rim); or one read sure whose ink (`ink`, the page's text
    ink) runs along the rim as the name does (`along_rim`: a red seal scanned in grey is as dark as
    print and its name reads as clearly). What a seal covers in a table is numbers; print under it
    (a header, the signature's agency name) is of the page's size, runs level and stays. A piece
    holding a digit stays too (doubted as all under a seal is)."""
    if seal is None or not CJK.search(rec.text) or re.search(r"\d", rec.text):
        return rec
    cx, cy, r = seal
    mx, my = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
    if print_height > 0 and rect[3] - rect[1] > 1.3 * print_height and np.hypot(mx - cx, my - cy) <= r:
        return Recognition("", 1.0, 1.0)
    if rec.min_char_confidence >= 0.85:
        return Recognition("", 1.0, 1.0) if ink is not None and along_rim(ink, rect, seal) else rec
    inside = (mx - cx) ** 2 + (my - cy) ** 2 <= (0.95 * r) ** 2 and all(
        abs(v - c) <= 1.1 * r for v, c in ((rect[0], cx), (rect[2], cx), (rect[1], cy), (rect[3], cy)))
    return Recognition("", 1.0, 1.0) if inside else rec


def along_rim(ink: np.ndarray, rect: Rect, seal: tuple[int, int, int]) -> bool:
    """Whether a piece's ink runs round the seal's rim as its name does: in the band where the name
    is set (its middle between 0.55 and 0.85 of the radius out) and bent round the centre, its
    distances from the centre spread less than its heights on the page. A line of print is level:
    its heights spread least."""
    x0, y0, x1, y1 = rect
    ys, xs = np.nonzero(ink[y0:y1, x0:x1])
    if len(xs) < 20:
        return False
    cx, cy, r = seal
    d = np.hypot(xs + x0 - cx, ys + y0 - cy)
    return bool(0.55 * r <= float(np.median(d)) <= 0.85 * r and float(d.std()) < float(ys.std()))


def on_ring(rect: Rect, seal: tuple[int, int, int] | None) -> bool:
    """A piece lying wholly along a seal's ring (every point of its box within the ring's width of
    the circle): a stretch of the ring cut off by the rules, which reads as 1 or I in a cell."""
    if seal is None:
        return False
    cx, cy, r = seal
    band = max(3.0, 0.05 * r)
    near, far = _reach(rect, cx, cy)
    return near >= r - band and far <= r + band


# what a 0 the erasing of a seal's ring cut open reads as: at its top (U), its bottom (n), a side (C)
_CUT_ZERO = "UunCc"


def a_zero_cut_by_ring(rec: Recognition, rect: Rect, seal: tuple[int, int, int] | None) -> bool:
    """A lone open letter (U, n, C) read surely enough to be no glimpse where a piece's box reaches
    within a tenth of the seal's radius of its ring: a 0 the ring ran over, the part of it on the
    ring erased with it (the part darker than the ring, print over it, stays). Such a letter in a
    cell had left the cell no value."""
    text = rec.text.strip()
    if seal is None or len(text) != 1 or text not in _CUT_ZERO or rec.confidence < GLIMPSE_CONFIDENCE:
        return False
    reach = max(3.0, 0.1 * seal[2])
    near, far = _reach(rect, seal[0], seal[1])
    return near - reach <= seal[2] <= far + reach


def across_lines(rect: Rect, seal: tuple[int, int, int] | None, line_height: float) -> bool:
    """A piece under a seal taller than one and a half lines of the page's print: the seal's ink
    (its name, ring or star) joined the print of several lines into one piece. Read whole it gave
    a row's digits with the seal's strokes (47たる) and merged two rows into one; its ink is read
    again as ink no piece covers is (ocr.missed), character by character."""
    return under_seal(rect, seal) and line_height > 0 and rect[3] - rect[1] > 1.6 * line_height


def seal_policy(
    rec: Recognition, rect: Rect, seal: tuple[int, int, int] | None, ink: np.ndarray | None = None,
    print_height: float = 0.0,
) -> Recognition:
    """A reading as a seal leaves it: the seal's ring and own lettering taken out, and what lies
    under the seal doubted. `ink`, `print_height`: the page's text ink and the height of its print,
    where the caller has them (see `without_seal_lettering`)."""
    # a stretch of the ring reads as a stroke (1, I) or a bracket; a 0 the ring crosses where it runs
    # upright lies wholly in the ring's band too, and what the ring's erasing left of it is round
    if on_ring(rect, seal) and not _A_ZERO.fullmatch(rec.text.strip()):
        return Recognition("", 1.0, 1.0)
    if a_zero_cut_by_ring(rec, rect, seal):
        rec = Recognition("0", rec.confidence, rec.min_char_confidence, rec.char_x, rec.char_conf)
    rec = without_seal_lettering(rec, rect, seal, ink, print_height)
    return doubt_under_seal(rec) if under_seal(rect, seal) else rec


def a_thinned_zero(rec: Recognition, rect: Rect, seal: tuple[int, int, int] | None) -> Recognition | None:
    """Under a seal, a piece of missed ink read alone as a round letter (o, D), surely enough to be
    no glimpse: a 0 the seal's fade thinned, given as that 0 and doubted (elsewhere a lone letter is
    left unread: ocr.missed.readable). None otherwise."""
    if (under_seal(rect, seal) and re.fullmatch(f"[{_ROUND_LETTERS}]", rec.text.strip())
            and rec.confidence >= GLIMPSE_CONFIDENCE):
        return digits_read(rec)
    return None


def doubt_under_seal(rec: Recognition) -> Recognition:
    if rec.min_char_confidence <= SEAL_CONFIDENCE:
        return rec
    # each character's confidence too: a piece read as words becomes glyphs that carry their own
    capped = tuple(min(c, SEAL_CONFIDENCE) for c in rec.char_conf)
    return Recognition(rec.text, rec.confidence, SEAL_CONFIDENCE, rec.char_x, capped)


def second_look(
    engine: Engine, clean: np.ndarray, recs: list[Recognition], recheck: dict[int, tuple[Rect, Rect]]
) -> list[Recognition]:
    """Read every number in a table cell a second time, framed differently (wider margin, so the
    digits come out smaller in the recogniser's input). Where the two readings disagree the number
    is not to be trusted, however sure the first reading was: its confidence drops to at most
    DISAGREE_CONFIDENCE, which flags the cell downstream."""
    todo = [i for i in recheck if _NUMBER.fullmatch(recs[i].text)]
    if not todo:
        return recs
    again = [strip_strays(r) for r in recognize(engine, [crop(clean, recheck[i][0], bounds=recheck[i][1], pad_frac=0.7) for i in todo])]
    out = list(recs)
    for i, second in zip(todo, again):
        if second.text != recs[i].text:
            first = recs[i]
            out[i] = Recognition(first.text, first.confidence, min(first.min_char_confidence, DISAGREE_CONFIDENCE), first.char_x)
    return out


# a run of digits and strokes standing apart in its piece: (glyph indices, centre x, centre y, text)
_Word = tuple[list[int], float, float, str]


def between_columns(glyphs: Sequence[Glyph]) -> set[int]:
    """The glyphs read as one stroke standing alone (1, I, |) midway between two adjacent columns of
    numbers: a column rule worn to a stub, in a table read as words. A column is where the numbers
    of two rows at least stand, one of them at least no lone 1, among the rows near the stroke. A
    stroke with no such column within a third of the pitch, midway between the two columns beside
    it, stands where the rule between them ran. A printed 1 stands in its own column (the numbers
    above and below it share its centre); a column of nothing but 1s is no column, and leaves a gap
    of two pitches, so its 1s are not taken. With them, the strokes `_off_the_lattice` finds within
    a row. A row read with such stubs was two or three values too long, and where the row's sums
    admitted two readings it was not placed at all."""
    words = _number_words(glyphs)
    if len(words) < 4:
        return set()
    height = float(np.median([glyphs[idx[0]].bottom - glyphs[idx[0]].top for idx, *_ in words]))
    out: set[int] = set()
    for idx, cx, cy, text in words:
        if len(idx) != 1 or text not in STUB_TEXTS:
            continue
        near = [(x, y, bool(t.strip("1Iil!|丨"))) for _, x, y, t in words if abs(y - cy) <= 8 * height]
        centres = _columns(near, tol=0.35 * height, row_gap=0.5 * height)
        left = [c for c in centres if c < cx]
        right = [c for c in centres if c > cx]
        if len(centres) < 3 or not left or not right:
            continue
        pitch = float(np.min(np.diff(centres)))  # the least: a column missed never widens it
        lo, hi = max(left), min(right)
        if (hi - lo <= 1.5 * pitch and min(cx - lo, hi - cx) >= 0.3 * (hi - lo)
                and abs(cx - (lo + hi) / 2) <= 0.2 * (hi - lo)):
            out.add(idx[0])
    return out | _off_the_lattice(words, glyphs)


def _off_the_lattice(words: list[_Word], glyphs: Sequence[Glyph]) -> set[int]:
    """Strokes standing half a step off the even spacing of their own row's numbers: a table read
    as words whose columns are set at one pitch (表四's fifteen), one row alone under its header,
    the rule between two columns worn to a stub, read alone (1), with its corner (1」, L), or stuck
    into a number (3 and the stub read as 31, the 3 on its column). The row's numbers with no stroke at either end (four
    at least) must all lie on one lattice (start plus whole steps, within an eighth of a step); a
    row whose columns differ in width has no such lattice and is left alone."""
    out: set[int] = set()
    for row in _rows(words, glyphs):
        anchors = sorted(x for _, x, _, t in row if t.isdigit() and t[0] not in STUB_TEXTS and t[-1] not in STUB_TEXTS)
        step = _step(anchors) if len(anchors) >= 4 else None
        if step is None:
            continue
        phase = anchors[0] + float(np.mean([_off(x, anchors[0], step) for x in anchors]))
        if any(abs(_off(x, phase, step)) > step / 8 for x in anchors):
            continue

        def half_off(x: float, start: float = phase, pitch: float = step) -> bool:
            return abs(abs(_off(x, start, pitch)) - pitch / 2) <= pitch / 8

        def on_column(x: float, start: float = phase, pitch: float = step) -> bool:
            return abs(_off(x, start, pitch)) <= pitch / 5  # glyph boxes are estimates

        # the row's numbers on the lattice (its 1s too) span its columns; a stub lies within them or
        # on the rule just outside the first or the last
        on = [x for _, x, _, t in row if t.isdigit() and abs(_off(x, phase, step)) <= step / 8]
        for idx, x, _, t in row:
            if not min(on) - 0.75 * step <= x <= max(on) + 0.75 * step:
                continue
            if len(idx) <= 2 and all(glyphs[k].text in _STROKES for k in idx) and (
                    half_off(x) or _across_half(glyphs[idx[0]].x0, glyphs[idx[-1]].x1, phase, step)):
                out.update(idx)  # a stub alone (1), or with its corner (1」) over the rule's line
            elif len(idx) > 1:
                out.update(_stub_inside(idx, glyphs, half_off, on_column))
    return out


def _across_half(x0: float, x1: float, start: float, step: float) -> bool:
    """Whether the span x0-x1, centred within a quarter step of a point half a step off the
    lattice, reaches over that point."""
    half = start + step * (np.floor((0.5 * (x0 + x1) - start) / step) + 0.5)
    return x0 <= half <= x1 and abs(0.5 * (x0 + x1) - half) <= step / 4


def _stub_inside(idx: list[int], glyphs: Sequence[Glyph], half_off: Callable[[float], bool],
                 on_column: Callable[[float], bool]) -> list[int]:
    """The glyphs of a word that are a stub read into it: one or two strokes (1」, at an end or
    between two numbers: 1 and 3 with the stub between read as 11」3) standing half a step off,
    what lies on either side of them numbers on their columns (glyph boxes are estimates: a fifth
    of a step)."""
    for a in range(len(idx)):
        for b in range(a + 1, min(a + 2, len(idx)) + 1):
            run = idx[a:b]
            if not all(glyphs[k].text in _STROKES for k in run):
                continue
            if not half_off((glyphs[run[0]].x0 + glyphs[run[-1]].x1) / 2):
                continue
            parts = [p for p in (idx[:a], idx[b:]) if p]
            if parts and all(any(glyphs[k].text.isdigit() for k in p)
                             and on_column((glyphs[p[0]].x0 + glyphs[p[-1]].x1) / 2) for p in parts):
                return run
    return []


# a stub's stroke, the corner it makes where a row rule met it (」, L), and the cross where both
# worn rules meet (十, +, T: read stuck to the number before it, 2十)
_STROKES = STUB_TEXTS | frozenset("」L┘J十+T┼")


def _rows(words: list[_Word], glyphs: Sequence[Glyph]) -> list[list[_Word]]:
    """Words grouped into rows: each word joins the row above it where they overlap by half the
    lower's height."""
    rows: list[list[_Word]] = []
    for w in sorted(words, key=lambda w: w[2]):
        g = glyphs[w[0][0]]
        if rows:
            r = glyphs[rows[-1][0][0][0]]
            if min(r.bottom, g.bottom) - max(r.top, g.top) > 0.5 * min(r.bottom - r.top, g.bottom - g.top):
                rows[-1].append(w)
                continue
        rows.append([w])
    return rows


def _step(xs: list[float]) -> float | None:
    """The pitch every gap between neighbouring `xs` is a whole multiple of, within an eighth of
    it (columns between them may stand empty of numbers); None where no gap explains them all."""
    gaps = [b - a for a, b in pairwise(xs) if b - a > 0]
    for step in sorted(gaps):
        if all(abs(_off(g, 0.0, step)) <= step / 8 for g in gaps):
            # the mean over all the gaps: one gap's error would grow with each step counted
            return sum(gaps) / sum(round(g / step) for g in gaps)
    return None


def _off(x: float, start: float, step: float) -> float:
    """How far `x` lies from the nearest point of the lattice start + k * step."""
    return (x - start) - step * round((x - start) / step)


def _number_words(glyphs: Sequence[Glyph]) -> list[_Word]:
    """Runs of digits and strokes standing apart in their piece (between spaces or the piece's
    ends) as (glyph indices, centre x, centre y, text); a run touching other characters (1. or 第1)
    is no number of a column. A piece's glyphs follow each other and share its top and bottom."""
    out: list[_Word] = []
    start = 0
    for k in range(1, len(glyphs) + 1):
        if k < len(glyphs) and (glyphs[k].top, glyphs[k].bottom) == (glyphs[k - 1].top, glyphs[k - 1].bottom) \
                and abs(glyphs[k - 1].x1 - glyphs[k].x0) < 1e-6:
            continue
        text = "".join(g.text for g in glyphs[start:k])
        for m in _STANDALONE.finditer(text):
            idx = list(range(start + m.start(), start + m.end()))
            g0, g1 = glyphs[idx[0]], glyphs[idx[-1]]
            out.append((idx, (g0.x0 + g1.x1) / 2, (g0.top + g0.bottom) / 2, m.group()))
        start = k
    return out


# digits and the strokes of `_STROKES`, standing apart
_STANDALONE = re.compile(r"(?<!\S)[0-9" + re.escape("".join(sorted(_STROKES))) + r"]+(?!\S)")


def _columns(points: list[tuple[float, float, bool]], tol: float, row_gap: float) -> list[float]:
    """Centres, left to right, where (x, y, anchors) points of two rows at least stand within `tol`
    of each other, one at least an anchor."""
    xs = sorted(points)
    out: list[float] = []
    group: list[tuple[float, float, bool]] = []
    for p in [*xs, (float("inf"), 0.0, False)]:
        if group and p[0] - group[-1][0] > tol:
            ys = sorted(y for _, y, _ in group)
            if ys[-1] - ys[0] > row_gap and any(a for *_, a in group):
                out.append(float(np.median([x for x, _, _ in group])))
            group = []
        group.append(p)
    return out
