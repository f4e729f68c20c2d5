"""The shared table model to the template's facts, whatever layout did to the tables.

Reconciliation never looks at grid coordinates alone, because layout breaks them: rows slide into
the wrong column, tables break off, labels detach from their numbers, a page break cuts a row. It
reads the document as one stream of lines (a table row is a line of cells, a prose line a line of
words), in four small steps:

1. `linearize`: blocks -> lines of tokens (label, number, blank), each token keeping its cell's
   provenance.
2. `find_groups`: walk the lines with the section as context and cut out value groups: the numbers
   of one template row, with the row named by a label on the same line (a strong anchor), or by a
   label line just before (weak), or by nothing (an orphan: layout lost its label).
3. `align`: per template table, keep the strong anchors that run in template order, and give the
   orphans between two anchors to the rows between them when the counts agree; never guess beyond.
4. `facts_of`: every number of an aligned group becomes a Fact with its cell's provenance.

A blank cell stays missing. Nothing read from text is corrected: wrong numbers go on to the checks
as printed, and where placing a number took a guess the cell is doubted (a failed check on it). Only
an OCR reading of low confidence that the template's rules pin down is replaced (`corroborate.py`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import pairwise
from typing import Literal

from extractors.arbitrate import arbitrate, second_reading
from extractors.arrange import untranspose
from extractors.checks import sum_rules
from extractors.copies import Disagreement, Reading, compare, kept_first
from extractors.corroborate import annotate, correct_ocr, ocr_doubt, read_marks
from extractors.glued import Printed, split_glued
from extractors.infer import infer_missing
from extractors.labels import Match, confusable_score, label_key, match_column, match_label, shared
from extractors.metadata import find_meta, with_page
from extractors.model import BBox, Cell, Document, Paragraph, Table
from extractors.monotone import NONE, best_increasing, increasing
from extractors.numbers import is_blank, normalize, parse_number, split_numbers
from extractors.prose import prose_facts
from extractors.report import Fact, Report
from extractors.rules import across_rows
from extractors.surplus import Sum, drop_stray, fill_holes, row_sums, split_joined
from extractors.template import Template, load_template
from extractors.units import header_unit, to_template_unit
from extractors.versions import detect_version, header_version

Kind = Literal["label", "num", "blank"]

# OCR readings below this confidence are loaded but marked as doubted (a failed check on the cell).
DOUBT_CONFIDENCE = 0.85
SCRAWL_CONFIDENCE = 0.5  # words read below this among a row's numbers are no label (Line._scrawls)
DOUBT_GLUED = 0.5  # what followed a 0 in one OCR word (01): a stub's reading more often than a digit


@dataclass(frozen=True)
class Token:
    text: str
    kind: Kind
    value: float | None = None
    page: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None
    layout: str | None = None  # the cell's layout path (extractors.model.Cell.layout)


@dataclass(frozen=True)
class Line:
    tokens: tuple[Token, ...]
    in_table: bool
    # a table row's own columns, where it holds a cell in each (but those a cell above spans into)
    columns: int | None = None

    @property
    def label(self) -> str:
        # a lone character read unsure in a cell of its own (a seal's fragment beside 规章) is a
        # mark, not a word of the row's label
        scrawls = self._scrawls
        return "".join(t.text for i, t in enumerate(self.tokens)
                       if t.kind == "label" and not _a_mark(t) and i not in scrawls)

    def tail(self) -> list[Token]:
        """The numbers and blanks after the line's last label; a scrawl among them is a blank, or
        where digits stand in it, those numbers and marks (`_scrawl_tokens`)."""
        scrawls = self._scrawls
        last = max((i for i, t in enumerate(self.tokens) if t.kind == "label" and i not in scrawls), default=-1)
        return [u for i, t in enumerate(self.tokens) if i > last
                for u in (_scrawl_tokens(t) if i in scrawls else (t,))]

    @cached_property
    def _scrawls(self) -> frozenset[int]:
        """Cells read as words barely at all (under SCRAWL_CONFIDENCE) among a row's numbers, after
        its label: a seal's lettering over a cell (馬話 at 0.2 between 0 and 0). As the row's last
        label it left the row its last numbers only; it is a cell whose value is not known. So is
        one character read unsure there (a seal's letter over a 0 read as 和 at 0.6). A label
        read merely unsure there (行政处罚 at 0.7, the second of two label and number pairs on one
        line) stays a label."""
        out: set[int] = set()
        # only numbers after a label count: what follows a row's numbers without one may be a
        # label of its own (numbers counted from a line's start cost rows on rough scans)
        labelled = counted = False
        for i, t in enumerate(self.tokens):
            if t.kind == "num" and not self._inside_label(i):
                counted = labelled
            elif (t.kind == "label" and counted and t.confidence is not None
                    and (t.confidence < SCRAWL_CONFIDENCE or (self.in_table and _a_mark(t)))
                    and any(u.kind == "num" for u in self.tokens[i + 1 :])):
                out.add(i)
            elif t.kind == "label":
                labelled, counted = True, False
        return frozenset(out)


    def _inside_label(self, i: int) -> bool:
        """A lone stroke read unsure (1) right between two words of a label: a character's stroke
        standing apart (亻 of 他: (六)其 1 也处理) or a worn rule's stub, not one of the row's values,
        which follow the label. Taken for a value it made the rest of the label a scrawl among
        numbers, and the row a value too long."""
        t, toks = self.tokens[i], self.tokens
        return (t.text.strip() in _STROKE_MARKS | {"1"} and t.confidence is not None and t.confidence < DOUBT_CONFIDENCE
                and 0 < i < len(toks) - 1 and toks[i - 1].kind == "label" and toks[i + 1].kind == "label")


def _scrawl_tokens(t: Token) -> tuple[Token, ...]:
    """A scrawl among a row's numbers (read barely at all) as the values and marks it shows, where
    the recogniser set words apart in it: one piece read over two cells and a seal's letter between
    them (`0 0二1`) is the numbers 0, 0 and 1 and a mark, each as unsure as the whole, for the row's
    sums to sort (a stray among them is dropped by `surplus`). One word (`1t`), or no digit, is one
    blank: a cell whose value is not known."""
    words = normalize(t.text).split()
    runs = [r for w in words for r in re.findall(r"\d+|\D+", w)]
    if len(words) < 2 or not any(r.isdigit() for r in runs):
        # one word: one cell, its digits a seal's stroke's as often as the cell's (1t for a 0)
        return (replace(t, kind="blank", value=None),)
    return tuple(replace(t, text=r, kind="num", value=float(r)) if r.isdigit() else replace(t, text=r, kind="blank", value=None)
                 for r in runs)


def _a_mark(t: Token) -> bool:
    return len(t.text.strip()) == 1 and t.confidence is not None and t.confidence < DOUBT_CONFIDENCE


@dataclass(frozen=True)
class Group:
    """The values of one template row as found in the stream."""

    table_id: str
    values: tuple[Token, ...]
    position: int  # line index, for ordering
    strong: Match | None = None  # label on the same line (or just before a run of bare numbers)
    weak: Match | None = None  # a detached label line somewhere before
    partial: bool = False  # fewer numbers than columns: first and last column only, doubted
    cols: tuple[str, ...] = ()  # the columns the values are, where the line named them (one cell per row)
    ambiguous: bool = False  # more cells than columns with blanks at both ends: which to drop is a guess
    trimmed: bool = False  # one value too many, and the one its sums ruled out was read with confidence
    joined: bool = False  # a value too few, and one number split in two where the row's sums admit
    zeros_short: bool = False  # a row of zeros a value short: all 0, which box is which column a guess
    said: str = ""  # the row's own label where it named no row (damaged): it may still name one of a gap's


@dataclass(frozen=True)
class Assigned:
    table_id: str
    row_id: str
    group: Group
    how: str  # label, order, beside (表二: by the labelled row next to it), partly (by a damaged label among
    # a gap's rows), rules (where the sums tie it); duplicate: a second printing

    @property
    def label_score(self) -> float | None:
        """How well the row's label matched (None: placed by template order, no label of its own)."""
        if self.how in ("order", "beside", "partly", "rules"):
            return None
        m = self.group.strong or self.group.weak
        return m.score if m else None


@dataclass
class _Walk:
    """Mutable state of one pass over the lines (local to `find_groups`)."""

    table: str | None = None
    seen_applications: bool = False
    pending: Match | None = None
    run: list[Token] = field(default_factory=list)
    run_start: int = 0
    foreign_header: bool = False  # 表二's columns as another template version prints them: not this one's cells
    column: list[Match] = field(default_factory=list)  # labels on lines of their own since the last numbers


# ---------------------------------------------------------------------------------------------
# 1. linearize


def linearize(doc: Document) -> list[Line]:
    lines: list[Line] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        elif isinstance(block, Paragraph):
            if not block.text.strip():
                # an empty paragraph: a spacer, or a blank cell of a table flattened into paragraphs
                lines.append(Line((Token("", "blank", None, block.page, block.bbox),), False))
                continue
            for text in block.text.split("\n"):
                tokens = _unglued(_words(text, block.page, block.bbox, block.confidence))
                if tokens:
                    lines.append(Line(tuple(tokens), False))
    return lines


def _table_lines(table: Table) -> list[Line]:
    out: list[Line] = []
    width = table.n_cols
    grid = table.grid()
    for r, row in enumerate(table.rows()):
        tokens: list[Token] = []
        for cell in row:
            tokens.extend(_cell_tokens(cell))
        if any(t.kind != "blank" for t in tokens):
            # a cell in every column but those a cell from a row above spans down into (表三's
            # 本年度办理结果 beside its rows): each token is then a column of the row
            above = [c for c in grid[r] if c is not None and c.row < r]
            whole = (len(row) + len(above) == width and len(tokens) == len(row)
                     and all(c.col_span == 1 for c in (*row, *above)))
            out.append(Line(tuple(tokens), True, len(row) if whole else None))
    return out


def _unglued(tokens: list[Token]) -> list[Token]:
    """An OCR number with a leading zero (01, 00), as no count is printed: the 0, and what follows
    it as a value of its own, doubted. It is a stub or a speck beside the 0 read as a digit (a row
    then one value too long, trimmed of it by `surplus`), or the next cell's number run into it."""
    out: list[Token] = []
    for t in tokens:
        m = re.fullmatch(r"0(\d+)", normalize(t.text).strip()) if t.kind == "num" and t.confidence is not None else None
        if m is None:
            out.append(t)
            continue
        out.append(replace(t, text="0", value=0.0))
        out.append(replace(t, text=m.group(1), value=float(m.group(1)), confidence=min(t.confidence or 0.0, DOUBT_GLUED)))
    return out


def _cell_tokens(cell: Cell) -> list[Token]:
    return _unglued(_cell_tokens_as_read(cell))


def _cell_tokens_as_read(cell: Cell) -> list[Token]:
    def token(text: str, kind: Kind, value: float | None = None) -> Token:
        return Token(text, kind, value, cell.page, cell.bbox, cell.confidence, cell.layout)

    text = cell.text.strip()
    if is_blank(text) or _unreadable(cell):
        return [token(text, "blank")]
    parts = split_numbers(text)
    if parts and cell.confidence is not None:
        # read from an image, digits set apart in one cell (17 2) are two cells' numbers the layout
        # left together (a text layer's spaced-out digits are one number); which digits go with
        # which is the recogniser's gap, so each is doubted
        doubt = min(cell.confidence, DOUBT_GLUED)
        return [replace(token(p, "num", parse_number(p)), confidence=doubt) for p in parts]
    value = parse_number(text)
    if value is not None:
        return [token(text, "num", value)]
    if parts:
        return [token(p, "num", parse_number(p)) for p in parts]
    marked = _numbers_and_marks(cell)
    if marked:
        return [token(w, "num", v) if v is not None else token(w, "blank") for w, v in marked]
    if _smudged_digit(cell):
        return [token(text, "blank")]
    words = _words(text, cell.page, cell.bbox, cell.confidence, cell.layout)
    # a label cell that ends with its number (行政许可 97) splits; otherwise the cell is one label
    if len(words) > 1 and words[-1].kind == "num" and words[0].kind == "label":
        return words
    glued = _GLUED_NUMBER.fullmatch(normalize(text))
    if glued:
        # the number set close after a label's last character, with no space read between them
        # (a wrapped label's last line beside its row's first number): no template label ends so
        return [token(glued.group(1), "label"), token(glued.group(2), "num", parse_number(glued.group(2)))]
    return [token(text, "label")]


def _unreadable(cell: Cell) -> bool:
    """A cell OCR read as a mark or two, unsure (a seal over a 0 read as Q or lì), or as one mark
    however sure (U for a 0 a seal's stroke closed): neither a label nor a number (no label is one
    Latin letter), but a cell of its row whose value is not known. As a blank it keeps the row's
    count of cells, so the row is still placed; its value is missing, and named as such."""
    text = normalize(cell.text).strip()
    return (cell.confidence is not None and 0 < len(text) <= 3 and not re.search(r"[\d\u4e00-\u9fff]", text)
            and (cell.confidence < DOUBT_CONFIDENCE or len(text) == 1))


def _smudged_digit(cell: Cell) -> bool:
    """A cell read unsure as a digit or two with a Latin letter (1t, 4a, 7r°: a seal's stroke across
    a number): a cell of its row whose value is not known. As a label it broke its row, and the
    row's six other numbers were lost with it."""
    text = _strip_flecks(normalize(cell.text).strip())
    return (cell.confidence is not None and cell.confidence < DOUBT_CONFIDENCE
            and re.fullmatch(r"(?=.*\d)(?=.*[A-Za-z])[0-9A-Za-z]{2,3}", text) is not None)


def _numbers_and_marks(cell: Cell) -> list[tuple[str, float | None]] | None:
    """A cell the reader doubted holding numbers and marks between them (1 I 0, 0 L: a table read
    as words, two cells' numbers and a worn rule's stub between them) or stuck to them (。」0: a
    seal's or a rule's fleck): the numbers, and each mark standing apart as a value not known. As one
    label the cell took the row's place; as blanks the marks are the strays a row one value too
    long is trimmed of (`surplus`). A stroke (I, l, |) after a lone 0 is read as the 1 it may be:
    01, which is a 0 and a doubted 1 (`_unglued`; no count is printed with a leading zero). Any other
    stroke stuck to a number leaves the cell as it was: I0 may be 10. In a cell read sure, only a
    symbol standing apart (0 ↓) is taken for a mark (no letter or character there is), or a stroke
    between two numbers and more, and a fleck stuck to a number (0」) is dropped."""
    if cell.confidence is None:
        return None
    # read sure: a symbol standing apart is a mark, and a fleck stuck to a number is dropped
    if cell.confidence >= DOUBT_CONFIDENCE:
        words = [_unflecked(w) for w in normalize(cell.text).split()]
        values = [parse_number(w) for w in words]
        numbers = sum(v is not None for v in values)
        # a stroke between numbers (0 I 0 0 0: a table read as words, a worn rule's stub among its
        # numbers) may be a 1 or the stub: a value not known either way
        if not numbers or not all(v is not None or _a_symbol(w) or (numbers >= 2 and w in _STROKE_MARKS)
                                  for w, v in zip(words, values)):
            return None
        if cell.layout == "grid" and numbers == 1:
            # a ruled cell is one value: a symbol beside its number is a mark on the cell, not a cell
            # of its own (as one, a 表二 row, which has no sums to trim a stray by, was a value too long)
            return [(w, v) for w, v in zip(words, values) if v is not None]
        return list(zip(words, values))
    out: list[tuple[str, float | None]] = []
    # an underscore is a row rule's remnant, never part of a number: it parts what it lies between
    # (I_0: a column rule's stub, the rule below, the 0) and is dropped where it ends one (0_)
    changed = "_" in cell.text
    for w in re.split(r"[\s_]+", normalize(cell.text).strip(" _")):
        if re.fullmatch(r"0[Il|]", w):
            out.append(("01", 1.0))
            changed = True
            continue
        value = parse_number(w)
        if value is None:
            # a lone Chinese character stuck to the number is a mark too (a seal's fragment: 每0)
            core = _strip_flecks(re.sub(r"^[\u4e00-\u9fff](?=\d)|(?<=\d)[\u4e00-\u9fff]$", "", w))
            stuck = parse_number(core) if core != w and not re.search(r"[\u4e00-\u9fff]", core) else None
            if stuck is not None:
                out.append((core, stuck))
                changed = True
                continue
            # a rule's corner or junction read as L or T stuck before a number (L°0: the frame's
            # corner, a speck, the 0): a mark standing apart, a value not known, and the number
            after = parse_number(_strip_flecks(w[1:])) if len(w) > 1 and w[0] in _CORNERS else None
            if after is not None:
                out += [(w[0], None), (_strip_flecks(w[1:]), after)]
                changed = True
                continue
            if len(w) > 2 or re.search(r"[\d\u4e00-\u9fff]", w):
                return None
            changed = True
        out.append((w, value))
    return out if changed and any(v is not None for _, v in out) else None


_CORNERS = "LT丁"  # what a rule's corner or junction reads as


def _unflecked(word: str) -> str:
    """A word without the flecks stuck to it where what is left is a number (0」), else the word.
    Brackets stay: (1 may be a label's numbering."""
    core = _strip_flecks(word, brackets=False)
    return core if core != word and parse_number(core) is not None else word


_STROKE_MARKS = frozenset("IlL|丨")  # a rule's stub, and its corner where a row rule met it


def _a_symbol(word: str) -> bool:
    """One character that is no letter, digit, Chinese character or stroke a 1 could be read as."""
    return len(word) == 1 and re.fullmatch(r"\w", word) is None and word not in "|!/\\丨"


_BRACKETS = "()（）[]【】"


def _strip_flecks(word: str, brackets: bool = True) -> str:
    """The word less the marks at its ends a fleck reads as: punctuation and symbols (a seal ring's
    arc as a bracket, a rule's junction as ⊥ or ┼, a speck as 。), never a stroke a 1 could be read
    as (I, l, |, !). Without `brackets` a bracket stays: (1 may be a label's numbering."""
    def fleck(c: str) -> bool:
        return c not in "|丨!" and unicodedata.category(c)[0] in "PS" and (brackets or c not in _BRACKETS)

    start, end = 0, len(word)
    while start < end and fleck(word[start]):
        start += 1
    while end > start and fleck(word[end - 1]):
        end -= 1
    return word[start:end]


_WORD = re.compile(r"\S+")
_LEADING_ZERO = re.compile(r"0\d")
# a label (two CJK characters at least) with a number glued to its end: 补正、行政机关不再处理0
_GLUED_NUMBER = re.compile(r"(.*[\u4e00-\u9fff].*[\u4e00-\u9fff])(\d{1,6})")


def _words(text: str, page: int | None, bbox: BBox | None, confidence: float | None = None,
           layout: str | None = None) -> list[Token]:
    """Whitespace-separated words of a prose line; adjacent label words merge into one label."""
    tokens: list[Token] = []
    for w in _WORD.findall(normalize(text)):
        value = parse_number(w)
        if value is not None and not re.search(r"[\u4e00-\u9fff]", w):
            tokens.append(Token(w, "num", value, page, bbox, confidence, layout))
        elif confidence is not None and w in _STROKE_MARKS and tokens and tokens[-1].kind == "num":
            # read from an image, a stroke after a number is a rule's stub or the table's corner
            # (┘ read as L, however sure), not a label: as the line's last label it had left the row
            # no numbers after it
            tokens.append(Token(w, "blank", None, page, bbox, confidence, layout))
        elif tokens and tokens[-1].kind == "label":
            tokens[-1] = Token(tokens[-1].text + w, "label", None, page, bbox, confidence, layout)
        else:
            tokens.append(Token(w, "label", None, page, bbox, confidence, layout))
    return tokens


# ---------------------------------------------------------------------------------------------
# 2. find_groups

_HEADINGS = (
    ("active_disclosure", re.compile(r"主动公开政府信息(情况|的情况)?$")),
    ("applications", re.compile(r"收到和处理政府信息公开申请(情况|的情况)?$")),
    ("review_litigation", re.compile(r"行政复议.{0,4}行政诉讼(情况|的情况)?$")),
    (None, re.compile(r"(存在的?主要问题|改进情况|其他需要报告的事项|主要问题及改进)")),
)


def _heading(line: Line) -> tuple[bool, str | None]:
    """(is a section heading, the template table it opens or None for a section after them)."""
    if line.in_table and len(line.tokens) > 2:
        return False, None
    key = label_key(line.label)
    key = re.sub(r"^表[二三四]", "", key)
    if not key or len(key) > 26 or any(t.kind == "num" for t in line.tokens):
        return False, None
    for table_id, pattern in _HEADINGS:
        if pattern.search(key):
            return True, table_id
    return False, None


def _is_prose(label: str) -> bool:
    return "。" in label or len(label_key(label)) > 70


def _row_width(template: Template, table_id: str, row_id: str) -> int:
    return len(template.table(table_id).row_cols(row_id))


def _fit(tail: list[Token], n: int) -> tuple[tuple[Token, ...], bool] | None:
    """The n values of a row from a line's tail, and whether that fit is a guess: layout padding
    (blanks at the ends) dropped, a blank between numbers kept as a missing cell. With blanks at
    both ends and more than one way to drop them, the numbers' columns are unknown: the fit taken
    (leading blanks first, a row's last column is its total and rarely blank) is flagged ambiguous."""
    vals = list(tail)
    extra = len(vals) - n
    lead = next((i for i, v in enumerate(vals) if v.kind != "blank"), len(vals))
    trail = next((i for i, v in enumerate(reversed(vals)) if v.kind != "blank"), len(vals))
    ways = min(lead, extra) - max(0, extra - trail) + 1 if extra > 0 else 1
    while len(vals) > n and (vals[0].kind == "blank" or vals[-1].kind == "blank"):
        vals.pop(0 if vals[0].kind == "blank" else -1)
    if len(vals) != n or all(v.kind == "blank" for v in vals):
        return None
    return tuple(vals), ways > 1


def _fit_row(line: Line, tail: list[Token], n: int) -> tuple[tuple[Token, ...], bool] | None:
    """`_fit` of the line's tail; where that fails, of the tail less the numbers read inside the
    label's own cell (a mark at the end of a ruled label cell read as 1, 3.其他 24): a row whose
    numbers in cells of their own fill it leaves no place for them. A label cell holding its row's
    only number (行政许可 97) still gives it, as the first fit does."""
    fitted = _fit(tail, n)
    if fitted is not None:
        return fitted
    last = next((t for t in reversed(line.tokens) if t.kind == "label"), None)
    if last is None or last.bbox is None:
        return None
    k = 0
    while k < len(tail) and tail[k].kind == "num" and (tail[k].page, tail[k].bbox) == (last.page, last.bbox):
        k += 1
    return _fit(tail[k:], n) if k else None


_TRIMMED = ("row read with one value too many: the value dropped, read with confidence, is the only one "
            "whose removal its sums admit; its columns are a guess")


def _doubtful(t: Token) -> bool:
    """A value the reader itself was unsure of: a blank or an unreadable mark, or a number read
    with low confidence."""
    return t.kind == "blank" or (t.confidence is not None and t.confidence < DOUBT_CONFIDENCE)


def _sums(template: Template, table_id: str, *row_ids: str) -> list[Sum]:
    """The sums within the printed row of `row_ids` (all of the table's rows by default, 表四's one
    printed row), as positions in its values."""
    t = template.table(table_id)
    rows = row_ids or tuple(r.id for r in t.rows)
    cells = [f"{table_id}.{r}.{c}" for r in rows for c in t.row_cols(r)]
    return row_sums(cells, [(total, parts) for _, total, parts in sum_rules(template, set(cells))])


MAX_STRAYS = 3  # a worn rule's stubs in one printed row: more, and the row is too broken to trim


def _fit_stray(tail: list[Token], n: int, sums: list[Sum]) -> tuple[tuple[Token, ...], bool] | None:
    """A labelled row a few values too long once its end blanks are dropped, trimmed by `drop_stray`."""
    vals = _without_end_blanks(tail)
    if not 0 < len(vals) - n <= MAX_STRAYS:
        return None
    return drop_stray(vals, sums, _doubtful, len(vals) - n, Token("", "blank"))


def _without_end_blanks(tokens: list[Token]) -> list[Token]:
    """The tokens less the blanks before the first value and after the last (layout padding)."""
    kept = [i for i, t in enumerate(tokens) if t.kind != "blank"]
    return tokens[kept[0] : kept[-1] + 1] if kept else []


def _splits(t: Token) -> list[tuple[Token, Token]]:
    """The ways a number of two digits or more parts into two counts (no leading zero), each part
    with its share of the box."""
    if t.kind != "num" or not t.text.isdigit() or len(t.text) < 2:
        return []
    out = []
    for i in range(1, len(t.text)):
        a, b = t.text[:i], t.text[i:]
        if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0"):
            continue
        boxes: tuple[BBox | None, BBox | None] = (None, None)
        if t.bbox is not None:
            x0, y0, x1, y1 = t.bbox
            cut = x0 + (x1 - x0) * i / len(t.text)
            boxes = ((x0, y0, cut, y1), (cut, y0, x1, y1))
        out.append((replace(t, text=a, value=float(a), bbox=boxes[0]), replace(t, text=b, value=float(b), bbox=boxes[1])))
    return out


def _zeros_a_value_short(vals: list[Token], n: int, sums: list[Sum]) -> tuple[Token, ...] | None:
    """A row of zeros read a value short (a cell lost under a seal) whose own total takes in every
    cell: the total is 0 whichever cell was lost, so every cell is 0. The values read fill the
    first columns and the last is left for the total rule to infer; which box was which column
    is a guess (the row is doubted)."""
    if len(vals) != n - 1 or not all(t.kind == "num" and t.value == 0 for t in vals):
        return None
    if not any(total == n - 1 and len(parts) == n - 1 for total, parts in sums):
        return None
    return (*vals, Token("", "blank"))


def _one_cell_read_twice(vals: list[Token], n: int) -> tuple[Token, ...] | None:
    """A labelled row one value too long because one cell was read as two unsure values (a
    seal's letter beside its 0, both from the one box: two numbers, or a scrawl and a number,
    湖区 1): that cell is unknown and every other value keeps its column, in rows with no sums to
    say which was printed (表二)."""
    if len(vals) != n + 1:
        return None
    pairs = [k for k in range(n) if "num" in (vals[k].kind, vals[k + 1].kind) and vals[k].bbox is not None
             and (vals[k].page, vals[k].bbox) == (vals[k + 1].page, vals[k + 1].bbox)
             and _doubtful(vals[k]) and _doubtful(vals[k + 1])]
    if len(pairs) != 1:
        return None
    k = pairs[0]
    return (*vals[:k], Token("", "blank"), *vals[k + 2 :])


def _a_value_short(vals: list[Token], table: str, template: Template) -> tuple[Token, ...] | None:
    """An unlabelled row of 表四 or 表三 one value short, split by `split_joined` (14 values after
    表三's heading are 表四's row as 15 are: 表三's rows are 7 wide, and two of them run together
    would have to meet 表四's three totals)."""
    if table in ("applications", "review_litigation") and len(vals) == 14:
        return split_joined(vals, _sums(template, "review_litigation"), _splits)
    if table == "applications" and len(vals) == 6:
        return split_joined(vals, _sums(template, table, "granted"), _splits)
    return None


def _extent(t: Token) -> tuple[float, float] | None:
    return None if t.bbox is None else (t.bbox[0], t.bbox[2])


def _with_holes(vals: list[Token], n: int, sums: list[Sum]) -> tuple[Token, ...] | None:
    """A row read short of its n values, its lost cells put where the gaps between its values' boxes
    say (`fill_holes`); all on one page, or the boxes say nothing of each other."""
    if len({t.page for t in vals}) != 1:
        return None
    return fill_holes(vals, n, _extent, sums, Token("", "blank"))


def _holed(vals: list[Token], table: str, template: Template) -> tuple[Token, ...] | None:
    """An unlabelled row of 表四 or 表三 read short, with gaps where its lost cells were."""
    if table in ("applications", "review_litigation") and 7 < len(vals) < 15:
        return _with_holes(vals, 15, _sums(template, "review_litigation"))
    if table == "applications" and len(vals) < 7:
        return _with_holes(vals, 7, _sums(template, table, "granted"))
    return None


def find_groups(lines: list[Line], template: Template) -> list[Group]:
    groups: list[Group] = []
    st = _Walk()
    widths = {t.id: len(t.cols) for t in template.tables}
    widths["active_disclosure"] = 3

    def flush_run() -> None:
        run, st.run = st.run, []
        if not run:
            return
        pending, st.pending = st.pending, None
        column, st.column = st.column, []
        if (len(column) >= 2 and len(run) == len(column) and all(t.kind == "num" for t in run)
                and all(_row_width(template, m.table_id, m.row_id) == 1 for m in column)):
            # one-number rows whose labels were read down one column and their numbers down the
            # next (表二's 行政处罚, 行政强制 in a grid that lost its numbers' column): in order
            groups.extend(Group(m.table_id, (t,), st.run_start, strong=m) for m, t in zip(column, run))
            return
        if pending:
            width = _row_width(template, pending.table_id, pending.row_id)
            while len(run) > width and run[-1].kind == "blank":
                run.pop()  # spacers after the row
            if len(run) == width and any(t.kind == "num" for t in run):
                groups.append(Group(pending.table_id, tuple(run), st.run_start, strong=pending))
                return
        run = _without_end_blanks(run)
        if run:
            _orphans(run, st.run_start, pending)

    def _orphans(vals: list[Token], pos: int, weak: Match | None) -> None:
        table = st.table
        # an unlabelled row a few values too long: 表四's one printed row, or a row of 表三 (every
        # row of it has the same columns and row total as 予以公开's)
        sums: list[Sum] = []
        extra = 0
        if len(vals) == 16 and (table in ("applications", "review_litigation") or st.seen_applications):
            sums, extra = _sums(template, "review_litigation"), 1
        elif table == "review_litigation" and 0 < len(vals) - 15 <= MAX_STRAYS:
            # more strays only under 表四's own heading: 表三's rows run together are as long
            sums, extra = _sums(template, "review_litigation"), len(vals) - 15
        elif table == "applications" and 0 < len(vals) - widths[table] <= MAX_STRAYS:
            sums, extra = _sums(template, table, "granted"), len(vals) - widths[table]
        trimmed = drop_stray(vals, sums, _doubtful, extra, Token("", "blank"))
        guessed = joined = False
        if trimmed:
            vals, guessed = list(trimmed[0]), trimmed[1]
        elif table is not None and (short := _a_value_short(vals, table, template)):
            vals, joined = list(short), True
        elif table is not None and (holed := _holed(vals, table, template)):
            vals = list(holed)
        n = len(vals)
        if n == 15 and (table in ("applications", "review_litigation") or st.seen_applications):
            st.table = table = "review_litigation"  # 表四's single data row, its header lost or not
        if table is None:
            return
        w = widths[table]
        if table == "active_disclosure" and n in (1, 3):
            w = n
        if n % w == 0:
            for k in range(0, n, w):
                chunk = tuple(vals[k : k + w])
                # a row of blanks between rows of numbers is a row printed empty (表四's 复议后起诉 with
                # no cases): kept, so that the rows are placed by their count
                if any(t.kind == "num" for t in chunk) or n > w:
                    groups.append(Group(table, chunk, pos, weak=weak if k == 0 else None, trimmed=guessed,
                                        joined=joined))

    carry: Match | None = None  # the row the next line's label goes on naming (`_label_goes_on`)
    for i, line in enumerate(lines):
        carried, carry = carry, None  # for this line only
        is_heading, opens = _heading(line)
        if is_heading:
            flush_run()
            st.table, st.pending, st.foreign_header, st.column = opens, None, False, []
            st.seen_applications |= opens == "applications"
            continue
        label = line.label
        tail = line.tail()
        nums = [t for t in tail if t.kind == "num"]
        if label and _is_prose(label) and not (line.in_table and nums):
            # a table's row of numbers is a row whatever its label holds: OCR reads a label's ，as 。
            # (申请人逾期未按收费通知要求缴纳费用。行政机关…), and the row was lost as a sentence
            flush_run()
            continue
        if label and not nums:
            flush_run()
            # a 表二 header of another template version: numbers under it mean other things
            header = header_version(label)
            if header is not None and header != template.version:
                st.foreign_header = True
                continue
            if header == template.version:
                st.foreign_header = False
            m = match_label(label, template)
            if m:
                st.pending = m
                st.column.append(m)
            elif st.table is None and re.search(r"第二十条|信息内容", label):
                st.table = "active_disclosure"
            continue
        if not label:
            if len(tail) == 1 and (nums or (not line.in_table and (st.run or st.pending))):
                if not st.run:
                    st.run_start = i
                st.run.append(tail[0])
                continue
            if not nums:
                continue  # a blank spacer between prose lines
            flush_run()
            st.column = []
            vals = list(tail)
            w = widths[st.table] if st.table else 0
            if (line.columns and 0 < w < line.columns == len(vals) and all(t.kind == "blank" for t in vals[: line.columns - w])
                    and 2 * sum(t.kind == "num" for t in vals) > w):
                # a table's row with a cell in every column, mostly numbers: its values are the
                # table's last w columns, and a blank among them is a cell not read (under a seal,
                # its first), not padding to strip (the row had come out a value short, and was
                # lost). A lone number there is a stray, as before
                vals = vals[line.columns - w :]
            else:
                while vals and vals[0].kind == "blank":
                    vals.pop(0)
            while vals and vals[-1].kind == "blank" and len(vals) not in (5, 7, 15):
                vals.pop()
            _orphans(vals, i, st.pending)
            st.pending = None
            continue
        # a label with numbers after it
        flush_run()
        st.column = []
        cell = _one_cell(line, template)
        if cell is not None:
            m, col = cell
            st.table = m.table_id
            st.pending = None
            groups.append(Group(m.table_id, tuple(nums), i, strong=m, cols=(col,)))
            continue
        m = carried or match_label(label, template)
        if m is None:
            if st.table is not None:
                fitted = _fit_row(line, tail, widths[st.table])
                zeros = None if fitted or st.table != "applications" else _zeros_a_value_short(
                    _without_end_blanks(tail), widths[st.table], _sums(template, st.table, "granted"))
                if fitted:
                    groups.append(Group(st.table, fitted[0], i, weak=st.pending, ambiguous=fitted[1],
                                        said=label_key(label)))
                elif zeros:
                    groups.append(Group(st.table, zeros, i, weak=st.pending, zeros_short=True, said=label_key(label)))
            st.pending = None
            continue
        st.table = m.table_id
        st.seen_applications |= m.table_id == "applications"
        st.pending = None
        if st.foreign_header and m.table_id == "active_disclosure":
            continue
        n = _row_width(template, m.table_id, m.row_id)
        if n > 1 and _marks_only(tail) and i + 1 < len(lines) and sum(t.kind == "num" for t in lines[i + 1].tail()) == n:
            # the label set a little above its numbers, a mark beside it (a seal's letter read as an
            # unsure 8) read on its line: the numbers are the next line's, a row of them whole,
            # under the rest of the label where it wrapped onto that line
            nxt = lines[i + 1].label
            if not nxt:
                st.pending = m
                continue
            if _label_goes_on(label, nxt, m, template):
                carry = m
                continue
        sums = _sums(template, m.table_id, m.row_id)
        fitted = _fit_row(line, tail, n)
        stray = None if fitted else _fit_stray(tail, n, sums)
        vals = _without_end_blanks(tail)
        split = split_joined(vals, sums, _splits) if not fitted and not stray and len(vals) == n - 1 else None
        holed = None if fitted or stray or split else _with_holes(vals, n, sums)
        if fitted:
            groups.append(Group(m.table_id, fitted[0], i, strong=m, ambiguous=fitted[1]))
        elif stray:
            groups.append(Group(m.table_id, stray[0], i, strong=m, trimmed=stray[1]))
        elif split:
            groups.append(Group(m.table_id, split, i, strong=m, joined=True))
        elif holed:
            groups.append(Group(m.table_id, holed, i, strong=m))
        elif one := _one_cell_read_twice(vals, n):
            groups.append(Group(m.table_id, one, i, strong=m))
        elif zeros := _zeros_a_value_short(vals, n, sums):
            groups.append(Group(m.table_id, zeros, i, strong=m, zeros_short=True))
        elif m.table_id == "active_disclosure" and n == 3 and len(nums) == 2 and len(tail) == 2:
            groups.append(Group(m.table_id, tuple(nums), i, strong=m, partial=True))
    flush_run()
    return groups


def _one_cell(line: Line, template: Template) -> tuple[Match, str] | None:
    """A line that names a row and a column and holds one number (`规章 | 本年制发件数 | 0`): one
    cell of a table printed one cell per line."""
    labels = [t.text for t in line.tokens if t.kind == "label"]
    nums = [t for t in line.tokens if t.kind == "num"]
    if len(labels) < 2 or len(nums) != 1 or line.tokens[-1].kind != "num":
        return None
    for k in range(len(labels)):
        rest = labels[:k] + labels[k + 1 :]
        m = match_label("".join(rest), template)
        if m is None:
            continue
        col = match_column(labels[k], template, m.table_id)
        if col is not None and col in template.table(m.table_id).row_cols(m.row_id):
            return m, col
    return None


# ---------------------------------------------------------------------------------------------
# 3. align


def _row_order(template: Template, table_id: str, groups: list[Group]) -> list[str]:
    t = template.table(table_id)
    rows = [r.id for r in t.rows]
    strong = {g.strong.row_id for g in groups if g.strong}
    if ("other_processing" in strong and "other_no_correction" in rows
            and not strong & {"other_no_correction", "other_unpaid_fee"}):
        i = rows.index("other_no_correction")
        rows[i : i + 3] = ["other_processing"]
    return rows


def align(groups: list[Group], template: Template) -> tuple[list[Assigned], list[str]]:
    assigned: list[Assigned] = []
    notes: list[str] = []
    confusable = confusable_score(template)
    for t in template.tables:
        mine = [g for g in groups if g.table_id == t.id]
        if not mine:
            continue
        # cells printed one per line name their row and column: taken as named, first reading first
        cells = {(g.strong.row_id, g.cols): g for g in reversed(mine) if g.cols and g.strong}
        assigned.extend(Assigned(t.id, row, g, "label") for (row, _), g in reversed(cells.items()))
        mine = [g for g in mine if not g.cols]
        order = _row_order(template, t.id, mine)
        index = {r: k for k, r in enumerate(order)}
        labelled = [g for g in mine if g.strong and g.strong.row_id in index]
        if t.id == "active_disclosure":
            # 表二's sub-tables are printed in any order, each row under its own label: the first
            # reading of each row, in template order, then any later printing of the row
            first = {g.strong.row_id: g for g in reversed(labelled) if g.strong}
            anchors = sorted(first.values(), key=lambda g: index[g.strong.row_id] if g.strong else 0)
            assigned.extend(Assigned(t.id, g.strong.row_id, g, "label") for g in anchors if g.strong)
            assigned.extend(_duplicates(labelled, anchors))
            assigned.extend(_beside_neighbour(mine, first, template, t.id))
            continue
        anchors = _loosened(_monotonic(labelled, index), mine, index, order, template, t.id, confusable)
        assigned.extend(Assigned(t.id, g.strong.row_id, g, "label") for g in anchors if g.strong)
        duplicates = _duplicates(labelled, anchors)
        known = _values([(g.strong.row_id, g) for g in anchors if g.strong], template)
        left: list[tuple[list[Group], str]] = []
        taken: set[int] = set()  # duplicates that turned out to be a gap's misread rows
        for k in range(-1, len(anchors)):
            (p0, r0), (p1, r1), orphans = _gap(mine, anchors, k, index, order)
            rows = order[r0 + 1 : r1]
            # a row labelled as an anchored row, lying out of order inside a gap one row short:
            # its label is a misread one (予公开 read as 予以公开 when （一）予以公开 is printed
            # above; 办予公开, a spanning label's fragment, in a gap whose one row is all it
            # holds), not a second printing, exactly when with it the gap's count agrees. A gap is
            # read without its stray rows first: a stray standing in for a misread row fits too
            # (a stray row under an anchored row's label is that label's wrapped line with a mark
            # read as a digit: 出具已获取信息 with a seal's 2, no misread row)
            misread = [d.group for d in duplicates if p0 < d.group.position < p1 and not _a_stray_row(d.group)]
            if not orphans and not (misread and rows):
                continue
            filled = None
            for strays in (False, True):
                filled = _fill_gap(orphans, rows, template, t.id, strays)
                if filled is None and misread:
                    filled = _fill_gap(sorted(orphans + misread, key=lambda g: g.position), rows, template,
                                       t.id, strays)
                    if filled is not None:
                        taken |= {id(g) for g in misread}
                if filled is not None:
                    break
            if filled is None and not orphans:
                continue  # the misread rows fit no gap: second printings after all
            if filled is None:
                filled = _by_the_rules(orphans, rows, template, t.id, known)
            if filled is None and len(rows) == len(order):
                filled = _one_line_whole(orphans, rows, template, t.id)
                if filled is not None:
                    # the rest stays unplaced, and is said to be
                    done_ids = {id(a.group) for a in filled}
                    rest = [g for g in orphans if id(g) not in done_ids]
                    left.append((rest, (f"{t.id}: {len(rest)} rows of numbers beside the table's one printed "
                                        "line could not be placed")))
            if filled is None:
                left.append((orphans, (f"{t.id}: {len(orphans)} unlabelled rows of numbers between "
                             f"{order[r0] if r0 >= 0 else 'start'} and {order[r1] if r1 < len(order) else 'end'} "
                             f"could not be placed ({len(rows)} template rows there)")))
                continue
            assigned.extend(filled)
        duplicates = [d for d in duplicates if id(d.group) not in taken]
        assigned.extend(duplicates)
        # rows of a second printing (a picture's copy) that lost their labels: placed between that
        # printing's own labelled rows, as duplicates, so that they are compared with the kept reading
        placed = _fill_copy([g for orphans, _ in left for g in orphans], [d.group for d in duplicates],
                            anchors, index, order, template, t.id)
        assigned.extend(placed)
        done = {id(a.group) for a in placed}
        notes.extend(note for orphans, note in left if not all(id(g) in done for g in orphans))
    return assigned, notes


Bound = tuple[int, int]  # a gap's end: the anchor's line position and its row's place in the template order


def _beside_neighbour(mine: list[Group], first: dict[str, Group], template: Template, table_id: str) -> list[Assigned]:
    """Rows of a table printed in sub-tables (表二) whose label could not be read (规球 for 规章): a
    row of numbers matching no label, printed right before or after the first printing of a
    labelled row, takes the template row on that side of it where that row is of the same
    sub-table (the same columns), was not read under its own label, and the numbers fill it. Only
    its position names the row: its cells are doubted (`how` 'beside')."""
    t = template.table(table_id)
    rows = [r.id for r in t.rows]
    ordered = sorted(mine, key=lambda g: g.position)
    taken = set(first)
    out: list[Assigned] = []
    for i, g in enumerate(ordered):
        if g.strong or g.partial:
            continue
        for j, side in ((i + 1, -1), (i - 1, 1)):
            n = ordered[j] if 0 <= j < len(ordered) else None
            if n is None or n.strong is None or first.get(n.strong.row_id) is not n:
                continue
            k = rows.index(n.strong.row_id) + side
            r = rows[k] if 0 <= k < len(rows) else None
            if (r is not None and r not in taken and t.row_cols(r) == t.row_cols(n.strong.row_id)
                    and len(g.values) == len(t.row_cols(r))):
                out.append(Assigned(table_id, r, g, "beside"))
                taken.add(r)
                break
    return out


def _gap(mine: list[Group], anchors: list[Group], k: int, index: dict[str, int],
         order: list[str]) -> tuple[Bound, Bound, list[Group]]:
    """The gap after anchor `k` (-1: before the first) up to the next: its two ends, and the rows of
    numbers in it no anchor holds. A labelled row out of template order whose row no anchor holds
    counts among them: its label was misread (予公开, a wrapped parent's fragment, read as 予以公开),
    its numbers are still a row."""
    anchored = {g.strong.row_id for g in anchors if g.strong}
    ids = {id(g) for g in anchors}

    def at(j: int, outside: Bound) -> Bound:
        m = anchors[j].strong if 0 <= j < len(anchors) else None
        return (anchors[j].position, index[m.row_id]) if m else outside

    (p0, r0), (p1, r1) = at(k, (-1, -1)), at(k + 1, (10**9, len(order)))
    orphans = [g for g in mine if id(g) not in ids and p0 < g.position < p1
               and (not g.strong or g.strong.row_id not in anchored)]
    return (p0, r0), (p1, r1), orphans


def _gap_rows(mine: list[Group], anchors: list[Group], k: int, index: dict[str, int],
              order: list[str]) -> tuple[list[Group], list[str]]:
    """The rows of numbers of the gap after anchor `k` (`_gap`), and the template rows there."""
    (_, r0), (_, r1), orphans = _gap(mine, anchors, k, index, order)
    return orphans, order[r0 + 1 : r1]


def _loosened(anchors: list[Group], mine: list[Group], index: dict[str, int], order: list[str],
              template: Template, table_id: str, confusable: float) -> list[Group]:
    """The anchors without those whose label matched no better than another row's label scores
    and that stand beside a gap its rows of numbers do not fit, where without the anchor the
    joined gap fits exactly: two rows' labels read as one piece ((一)予以公开(二)部分公开…) named
    the second row on the first row's numbers, and the second row's numbers were left over."""
    out = list(anchors)
    k = 0
    while k < len(out):
        g = out[k]
        if g.strong is None or g.strong.score > confusable:
            k += 1
            continue
        unfit = any(o and _fill_gap(o, rows, template, table_id) is None
                    for o, rows in (_gap_rows(mine, out, k - 1, index, order), _gap_rows(mine, out, k, index, order)))
        without = out[:k] + out[k + 1 :]
        orphans, rows = _gap_rows(mine, without, k - 1, index, order)
        if unfit and _fill_gap(orphans, rows, template, table_id) is not None:
            out = without
            continue
        k += 1
    return out


def _fill_copy(orphans: list[Group], copy: list[Group], anchors: list[Group], index: dict[str, int],
               order: list[str], template: Template, table_id: str) -> list[Assigned]:
    """Orphans placed in the gaps between the labelled rows of a second printing of the table (the
    rows `_duplicates` found), taken as that printing's rows: each becomes a duplicate of its row."""
    chain = _monotonic(copy, index)
    if not orphans or not chain:
        return []
    first, last = chain[0].position, chain[-1].position
    # the second printing lies between the first printing's rows around it
    low = max((g.position for g in anchors if g.position < first), default=-1)
    high = min((g.position for g in anchors if g.position > last), default=10**9)
    bounds = [(low, -1)] + [(g.position, index[g.strong.row_id]) for g in chain if g.strong] + [(high, len(order))]
    out: list[Assigned] = []
    for (p0, r0), (p1, r1) in pairwise(bounds):
        gap = [g for g in orphans if p0 < g.position < p1]
        filled = _fill_gap(gap, order[r0 + 1 : r1], template, table_id) if gap else None
        out.extend(Assigned(a.table_id, a.row_id, a.group, "duplicate") for a in filled or ())
    return out


def _duplicates(labelled: list[Group], anchors: list[Group]) -> list[Assigned]:
    """Labelled rows left out because their row was already taken: the same row printed again.
    They go after every other assignment, so facts_of keeps the first reading and compares."""
    rows = {g.strong.row_id for g in anchors if g.strong}
    kept = {id(g) for g in anchors}
    return [Assigned(g.table_id, g.strong.row_id, g, "duplicate") for g in labelled
            if g.strong and id(g) not in kept and g.strong.row_id in rows]


def _monotonic(anchors: list[Group], index: dict[str, int]) -> list[Group]:
    """The longest run of anchors whose rows ascend in template order (stream order kept). Of runs
    equally long, the one spanning the fewest lines: where a table is printed twice (a picture's copy
    beside the text) that is one printing, not the first rows of one and the last of the other,
    which would leave the unlabelled rows of both with no gap to fill."""
    best: list[list[Group]] = []
    for g in anchors:
        r = index[g.strong.row_id] if g.strong else -1
        chain = max((c for c in best if c and index[c[-1].strong.row_id] < r),  # type: ignore[union-attr]
                    key=lambda c: (len(c), c[0].position), default=[])
        best.append(chain + [g])
    return max(best, key=lambda c: (len(c), c[0].position - c[-1].position), default=[])


def _a_stray_row(group: Group) -> bool:
    """A row of numbers all read unsure, no more than the blanks among them: marks the reader took
    for digits in a table's label column or header (a label's bracket, a rule's stub, a seal's
    lettering read as 0 and 4 over 表四's header), set on a line of their own by the grid's rows. A
    printed row of a statistical table holds its zeros."""
    return _marks_only(group.values)


def _label_goes_on(label: str, nxt: str, m: Match, template: Template) -> bool:
    """Whether the next line's label goes on naming `m`'s row (a long label wrapped: （二）部分公开
    （区分处理 over 的，只计这一情形，不计其他, which alone names 3.其他): read together they
    name that row, and as well as `label` alone does."""
    joined = match_label(label + nxt, template)
    return joined is not None and joined.row_id == m.row_id and joined.score >= m.score


def _marks_only(values: tuple[Token, ...] | list[Token]) -> bool:
    """Values that are numbers all read unsure, no more of them than the blanks among them (see
    `_a_stray_row`)."""
    nums = [t for t in values if t.kind == "num"]
    blanks = sum(t.kind == "blank" for t in values)
    return bool(nums) and all(_doubtful(t) for t in nums) and len(nums) <= blanks


def _fill_gap(orphans: list[Group], rows: list[str], template: Template, table_id: str,
              strays: bool | None = None) -> list[Assigned] | None:
    """The rows of numbers between two labelled rows, placed in the template rows between them:
    by count and width, or each by its detached label. The gap's rows may be printed as a variant
    row in place of its sub-rows (（六）其他处理 as one row, its label too damaged to name it).
    `strays`: whether the gap's stray rows (`_a_stray_row`) count as rows; None: first without
    them, then with them."""
    if strays is None:
        return _fill_gap(orphans, rows, template, table_id, False) or _fill_gap(orphans, rows, template, table_id, True)
    found = orphans if strays else [g for g in orphans if not _a_stray_row(g)]
    if not found:
        return None
    for printed in (rows, *_variants(rows, template, table_id)):
        filled = _fill_in_order(found, printed, template, table_id)
        if filled is not None:
            return filled
    return None


def _values(rows: list[tuple[str, Group]], template: Template) -> dict[str, float]:
    """The numbers of groups read as the given template rows, by cell id (partial rows left out:
    their values are not their columns)."""
    out: dict[str, float] = {}
    for row_id, g in rows:
        if g.partial:
            continue
        for col, tok in zip(template.table(g.table_id).row_cols(row_id), g.values):
            if tok.kind == "num" and tok.value is not None:
                out[f"{g.table_id}.{row_id}.{col}"] = tok.value
    return out


MOST_PLACEMENTS = 64  # a gap with more ways to place its rows is too broken to weigh them one by one


def _by_the_rules(orphans: list[Group], rows: list[str], template: Template, table_id: str,
                  known: dict[str, float]) -> list[Assigned] | None:
    """Rows of numbers whose labels are lost, fewer than the gap's template rows (one lost with too
    few numbers, 结转下年度 under a seal), placed where the template's sums tie every one of them
    to the labelled rows (`known`) with none broken, when exactly one placement does: 总计's
    numbers are the sums of the outcome rows above, and no other row's are. Stray rows are left
    out; the placed cells are doubted (`how` 'rules')."""
    found = [g for g in orphans if not _a_stray_row(g)]
    if not found:
        return None
    fitting: list[list[Assigned]] = []
    for printed in (rows, *_variants(rows, template, table_id)):
        options = increasing(len(found), len(printed), lambda i, j: len(found[i].values) == _row_width(
            template, table_id, printed[j]), MOST_PLACEMENTS)  # noqa: B023
        if options is None:
            return None
        for slots in options:
            placed = [Assigned(table_id, printed[j], g, "rules") for g, j in zip(found, slots)]
            values = known | _values([(a.row_id, a.group) for a in placed], template)
            cells = [{f"{table_id}.{a.row_id}.{c}" for c in template.table(table_id).row_cols(a.row_id)} for a in placed]
            broken, held = across_rows(values, cells, template)
            if not broken and len(held) == len(placed):
                fitting.append(placed)
    return fitting[0] if len(fitting) == 1 else None


def _one_line_whole(orphans: list[Group], rows: list[str], template: Template,
                    table_id: str) -> list[Assigned] | None:
    """A table none of whose rows is labelled, printed whole on one line (表四's fifteen values)
    beside other rows of numbers (a worn rule's stub read as 1 on a line of its own): the one
    line's values fill the table by order, where exactly one line does."""
    lines: dict[int, list[Group]] = {}
    for g in orphans:
        lines.setdefault(g.position, []).append(g)
    whole = [gs for gs in lines.values() if len(gs) == len(rows) and len(gs) > 1]
    if len(whole) != 1 or len(whole[0]) == len(orphans):
        return None
    return _fill_in_order(whole[0], rows, template, table_id)


def _variants(rows: list[str], template: Template, table_id: str) -> list[list[str]]:
    """The rows of a gap with a variant row standing for its sub-rows, where all of them lie there."""
    t = template.table(table_id)
    out = []
    for v in t.variant_rows:
        kids = [r.id for r in t.rows if r.parent == v.label]
        if kids and all(k in rows for k in kids):
            at = rows.index(kids[0])
            out.append(rows[:at] + [v.id] + [r for r in rows[at:] if r not in kids])
    return out


def _fill_in_order(orphans: list[Group], rows: list[str], template: Template, table_id: str) -> list[Assigned] | None:
    if len(orphans) == len(rows) and all(
        len(g.values) == _row_width(template, table_id, r) for g, r in zip(orphans, rows)
    ):
        return [Assigned(table_id, r, g, "order") for g, r in zip(orphans, rows)]
    # fewer rows of numbers than template rows: place those whose detached label names a row of the gap
    placed = [Assigned(table_id, g.weak.row_id, g, "label") for g in orphans
              if g.weak and g.weak.table_id == table_id and g.weak.row_id in rows
              and len(g.values) == _row_width(template, table_id, g.weak.row_id)]
    ids = [rows.index(a.row_id) for a in placed]
    if placed and ids == sorted(set(ids)) and len(placed) == len(orphans):
        return placed
    return _by_what_labels_say(orphans, rows, template, table_id)


SAID_MARGIN = 2  # characters of a damaged label by which its row beats any other placement
SAID_LEAST = 3  # characters a damaged label shares with its row at least


def _by_what_labels_say(orphans: list[Group], rows: list[str], template: Template,
                        table_id: str) -> list[Assigned] | None:
    """Fewer rows of numbers than the gap's template rows, placed in order by what their damaged
    labels still say (`labels.shared`) where that gives one placement clearly best: a row with no
    label left goes only where its neighbours pin it. Doubted (`how` 'partly')."""
    if not any(g.said for g in orphans):
        return None
    scores = [[(shared(g.said, r, template, table_id) if g.said else 0)
               if len(g.values) == _row_width(template, table_id, r) else NONE for r in rows] for g in orphans]
    slots = best_increasing(scores, SAID_MARGIN)
    if slots is None or any(g.said and scores[i][j] < SAID_LEAST for i, (g, j) in enumerate(zip(orphans, slots))):
        return None
    return [Assigned(table_id, rows[j], g, "partly") for g, j in zip(orphans, slots)]


# ---------------------------------------------------------------------------------------------
# 4. facts


def _is_text(group: Group) -> bool:
    """A row read from text (a text layer, HTML, DOCX), not by OCR of a picture."""
    return all(t.confidence is None for t in group.values if t.kind == "num")


def _keep_text_first(assigned: list[Assigned]) -> list[Assigned]:
    """Each row printed more than once with its kept printing as the one facts_of reads first (the
    first text printing, else the first: extractors/copies.py), the others as its duplicates."""
    rows: dict[tuple[str, str], list[int]] = {}
    for i, a in enumerate(assigned):
        if not a.group.cols:
            rows.setdefault((a.table_id, a.row_id), []).append(i)
    out = list(assigned)
    for at in rows.values():
        if len(at) < 2:
            continue
        printings = kept_first([assigned[i] for i in at], [_is_text(assigned[i].group) for i in at])
        if printings[0] is assigned[at[0]]:
            continue
        hows = [assigned[i].how for i in at]
        for i, a, how in zip(at, printings, hows, strict=True):
            out[i] = Assigned(a.table_id, a.row_id, a.group, how)
    return out


@dataclass(frozen=True)
class Read:
    """What facts_of makes of the assigned rows."""

    facts: list[Fact]
    doubts: list[tuple[str, str]]
    copies: list[Disagreement]  # cells printed more than once that disagree
    copied_rows: int  # rows printed more than once
    # cells read from an image as a mark, no number (a 0 under a seal's lettering read as d): their
    # value unknown (value 0 here, unused), what was read kept for `corroborate.read_marks`
    marks: tuple[Fact, ...] = ()


def facts_of(assigned: list[Assigned], template: Template, method: str,
             amount_unit: str | None = None) -> Read:
    """Facts of the assigned rows and the doubts on them; `amount_unit` is the unit the document's
    fee column header names."""
    facts: dict[str, Fact] = {}
    kept: dict[str, Reading] = {}  # the kept printing of every cell of a row printed more than once
    doubts: list[tuple[str, str]] = []
    copies: list[Disagreement] = []
    copied: set[tuple[str, str]] = set()
    marks: dict[str, Fact] = {}
    confusable = confusable_score(template)
    for a in _keep_text_first(assigned):
        table = template.table(a.table_id)
        cols = a.group.cols or table.row_cols(a.row_id)
        pairs = list(zip(cols, a.group.values))
        if a.group.partial:
            pairs = [(cols[0], a.group.values[0]), (cols[-1], a.group.values[-1])]

        def reading(tok: Token, col: str, row: str = a.row_id) -> Reading:
            unit = table.unit(row, col)  # noqa: B023 - used at once, within this iteration
            value = (to_template_unit(tok.text, tok.value, unit, amount_unit)[0]
                     if tok.kind == "num" and tok.value is not None else None)
            return Reading(tok.text if value is not None else "", value, "ocr" if tok.confidence is not None
                           else method, tok.page, tok.confidence)

        # a row printed twice is compared cell by cell, blanks included: 5 against blank differs
        if a.how == "duplicate":
            copied.add((a.table_id, a.row_id))
            for col, tok in pairs:
                cell_id = f"{a.table_id}.{a.row_id}.{col}"
                d = compare(cell_id, kept.get(cell_id, Reading("", None, method)), reading(tok, col),
                            DOUBT_CONFIDENCE)
                if d is not None:
                    copies.append(d)
                    if d.doubted:
                        doubts.append((cell_id, d.detail()))
            continue
        for col, tok in pairs:
            kept.setdefault(f"{a.table_id}.{a.row_id}.{col}", reading(tok, col))
            if tok.kind != "num" or tok.value is None:
                if tok.text.strip() and tok.confidence is not None:
                    marks.setdefault(f"{a.table_id}.{a.row_id}.{col}", Fact(
                        a.table_id, a.row_id, col, 0.0, "ocr", tok.text, tok.page, tok.bbox, tok.confidence,
                        a.label_score, layout=tok.layout))
                continue
            value, unit_doubt = to_template_unit(tok.text, tok.value, table.unit(a.row_id, col), amount_unit)
            fact = Fact(a.table_id, a.row_id, col, value,
                        "ocr" if tok.confidence is not None else method,
                        tok.text, tok.page, tok.bbox, tok.confidence, a.label_score, layout=tok.layout)
            if fact.cell_id in facts:
                continue
            facts[fact.cell_id] = fact
            if a.group.partial:
                doubts.append((fact.cell_id, "row printed with fewer numbers than columns"))
            if a.group.ambiguous:
                doubts.append((fact.cell_id, "row has blanks at both ends of its numbers: its columns are a guess"))
            if a.group.trimmed:
                doubts.append((fact.cell_id, _TRIMMED))
            if a.group.zeros_short:
                doubts.append((fact.cell_id, ("row of zeros read a value short: every cell is 0 whichever was lost, "
                                              "which box was which column is a guess")))
            if a.group.joined:
                doubts.append((fact.cell_id, ("row read with one value too few: one number is taken for two cells' "
                                              "digits run together, split where the row's sums admit")))
            if a.how == "beside":
                doubts.append((fact.cell_id, "row label not read: the row is placed by the labelled row beside it"))
            if a.how == "rules":
                doubts.append((fact.cell_id, ("row label not read: the row is placed where the template's sums tie "
                                              "it to the labelled rows, the only such place")))
            if a.how == "partly":
                doubts.append((fact.cell_id, ("row label read only in part: the row is placed among the rows "
                                              "between its labelled neighbours by what of it was read")))
            if unit_doubt:
                doubts.append((fact.cell_id, unit_doubt))
            if _LEADING_ZERO.match(normalize(tok.text).strip()):
                # no count is printed so: a mark beside the digit (a rule's stub) read as one of its own
                doubts.append((fact.cell_id, f"{tok.text!r} has a leading zero, as no printed count has"))
            if a.label_score is not None and a.label_score <= confusable:
                doubts.append((fact.cell_id, (f"row label matched with score {a.label_score:.2f}, "
                                             f"no better than another row's label scores ({confusable:.2f})")))
            if tok.confidence is not None and tok.confidence < DOUBT_CONFIDENCE:
                doubts.append((fact.cell_id, ocr_doubt(tok.confidence, tok.text)))
    return Read(list(facts.values()), doubts, copies, len(copied), tuple(m for c, m in marks.items() if c not in facts))


def reconcile(doc: Document, template: Template | None = None,
              page: tuple[str | None, int | None] | None = None) -> Report:
    """The template facts of a document, read with the template version it prints (`template`, when
    given, is used only if it is that version). `page`: the agency and year of the web page that
    linked or framed the document, for what its own title leaves open (metadata.with_page)."""
    lines = linearize(doc)
    agency, year, year_from = find_meta([_line_text(ln) for ln in lines[:40]])
    if page is not None:
        agency, year, year_from = with_page(agency, year, year_from, page)
    prose = prose_facts([(b.text, b.page) for b in doc.blocks if isinstance(b, Paragraph)])
    version = detect_version([ln.label for ln in lines if ln.label and not _is_prose(ln.label)], year)
    if version is None and agency is not None:
        # titled as a report of a year before 2019 and printing neither format: other tables
        return Report(agency, year, (), notes=(f"a {year} report: before the 2019 format, no template tables",),
                      prose=tuple(prose), template_version=None)
    version = version or load_template().version
    if template is None or template.version != version:
        template = load_template(version)
    turned = untranspose(doc, template)
    if turned is not doc:
        lines = linearize(turned)
    groups = find_groups(lines, template)
    assigned, notes = align(groups, template)
    unit = header_unit([ln.label for ln in lines])
    read = facts_of(assigned, template, doc.method, unit)
    other = second_reading(doc)
    if other is not None:
        # tables read a second way (a scan's grids as words): where the readings differ, the rules decide
        alt = facts_of(align(find_groups(linearize(untranspose(other, template)), template), template)[0],
                       template, doc.method, unit)
        facts, doubts = arbitrate(read.facts, read.doubts, alt.facts, alt.doubts, template)
        read = replace(read, facts=facts, doubts=doubts)
    facts, doubts = read.facts, read.doubts
    # rows whose cells' digits ran together (prose sentences aside): split back by the rules
    split, unsplit = split_glued([Printed(" ".join(t.text for t in ln.tokens), ln.tokens[0].page, ln.tokens[0].bbox,
                                          min((t.confidence for t in ln.tokens if t.confidence is not None), default=None))
                                  for ln in lines if "。" not in ln.label], template, facts)
    facts += split
    # digits read unsure stay doubted when split: a seal's name and a fee's digits run together
    # (昌区467.) gave a fee of 46 with no doubt
    doubts += [(f.cell_id, ocr_doubt(f.confidence, f.raw_text)) for f in split
               if f.confidence is not None and f.confidence < DOUBT_CONFIDENCE]
    facts, doubts = correct_ocr(facts, doubts, template, DOUBT_CONFIDENCE)
    facts += read_marks(facts, doubts, read.marks, template, DOUBT_CONFIDENCE)
    facts, unprotected = annotate(facts, template)
    doubts += unprotected
    if year_from == "frequent":
        doubts.append(("meta.year", f"year {year} not in the title: the most frequent year of the first lines"))
    facts += infer_missing(facts, template)
    order = {cid: k for k, cid in enumerate(template.cell_ids())}
    facts.sort(key=lambda f: order.get(f.cell_id, len(order)))
    tables = tuple(t.id for t in template.tables if any(f.table_id == t.id for f in facts))
    return Report(agency, year, tuple(facts), tables, tuple(notes), tuple(doubts), tuple(prose), template.version,
                  tuple(str(u) for u in unsplit), len({(f.table_id, f.row_id) for f in split}),
                  tuple(d.record() for d in read.copies), read.copied_rows)


def _line_text(line: Line) -> str:
    return "".join(t.text for t in line.tokens)
