"""extract_pdf: text-layer PDFs to the shared table model.

Two kinds of evidence: the real WPS exports in ../shared/real (skipped where absent), and small
PDFs written here byte by byte (a CJK font from the PDF standard set, so no font file is needed),
each made to show exactly one behaviour.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import types
from pathlib import Path

import pytest

from extractors.errors import ExtractionError
from extractors.model import Cell, Document, Paragraph, Table
from extractors.pdf_chars import clean_text
from extractors.pdf_text import extract_pdf

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"  # ../shared beside the checkout
H = 842.0

# ------------------------------------------------------------------ a tiny PDF writer


def _hex(s: str) -> str:
    return "<" + s.encode("utf-16-be").hex().upper() + ">"


def text(x: float, top: float, s: str, size: float = 10.0) -> str:
    """s drawn with its glyph tops at `top` (points from the page top), in the CJK font."""
    return f"BT /F1 {size} Tf {x:.2f} {H - top - size * 0.88:.2f} Td {_hex(s)} Tj ET\n"


def latin(x: float, top: float, raw: bytes, size: float = 10.0) -> str:
    """raw bytes shown in Helvetica/WinAnsi: GBK bytes come out as mojibake (ÄãºÃ)."""
    esc = raw.decode("latin-1").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"BT /F2 {size} Tf {x:.2f} {H - top - size:.2f} Td ({esc}) Tj ET\n"


def box(x0: float, top: float, x1: float, bottom: float) -> str:
    """One cell's border, stroked."""
    return f"0.5 w {x0:.2f} {H - bottom:.2f} {x1 - x0:.2f} {bottom - top:.2f} re S\n"


def white_fill(x0: float, top: float, x1: float, bottom: float) -> str:
    """The white background rectangle WPS paints behind every line and cell."""
    return f"q 1 1 1 rg {x0:.2f} {H - bottom:.2f} {x1 - x0:.2f} {bottom - top:.2f} re f Q\n"


def build_pdf(pages: list[str], encrypt_user_password: str | None = None) -> bytes:
    objs: list[bytes] = []

    def add(b: bytes) -> int:
        objs.append(b)
        return len(objs)

    desc = add(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    )
    cid = add(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe)"
        b" /Ordering (GB1) /Supplement 2 >> /FontDescriptor %d 0 R /DW 1000 /W [1 95 500] >>" % desc
    )
    f1 = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [%d 0 R] >>" % cid
    )
    f2 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = len(objs) + 1 + 2 * len(pages)
    kids = []
    for content in pages:
        data = content.encode("latin-1")
        stream = add(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R"
                b" /F2 %d 0 R >> >> /Contents %d 0 R >>" % (pages_id, f1, f2, stream)
            )
        )
    kid_refs = b" ".join(b"%d 0 R" % k for k in kids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid_refs, len(kids))) == pages_id
    root = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    trailer_extra = b""
    if encrypt_user_password is not None:
        enc, doc_id = _standard_security(encrypt_user_password)
        trailer_extra = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (
            add(enc),
            doc_id.hex().encode(),
            doc_id.hex().encode(),
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1,
        root,
        trailer_extra,
        xref,
    )
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _standard_security(user: str) -> tuple[bytes, bytes]:
    """An Encrypt dictionary (standard handler, revision 2) that needs `user` as password."""
    pad = (user.encode() + _PAD)[:32]
    owner = _rc4(hashlib.md5(pad).digest()[:5], pad)
    doc_id = hashlib.md5(b"nianbao").digest()
    key = hashlib.md5(pad + owner + (-4).to_bytes(4, "little", signed=True) + doc_id).digest()[:5]
    u = _rc4(key, _PAD)
    enc = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (
        owner.hex().encode(),
        u.hex().encode(),
    )
    return enc, doc_id


# ------------------------------------------------------------------ helpers


def tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def paragraphs(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def cell_with(table: Table, text: str) -> Cell:
    found = [c for c in table.cells if c.text == text]
    assert found, f"no cell reads {text!r}; cells: {[c.text for c in table.cells]}"
    return found[0]


def row_texts(table: Table, label: str) -> list[str]:
    """The texts of the grid row where `label` sits, left to right, a merged cell once."""
    out: list[str] = []
    prev = None
    for cell in table.grid()[cell_with(table, label).row]:
        if cell is not prev and cell is not None:
            out.append(cell.text)
        prev = cell
    return out


def numbers_right_of(table: Table, label: str) -> list[str]:
    texts = row_texts(table, label)
    return [t for t in texts[texts.index(label) + 1 :] if re.fullmatch(r"[\d.]+", t)]


# ------------------------------------------------------------------ synthetic documents

COLS = (80.0, 140.0, 260.0, 320.0, 380.0, 440.0)


def ruled_table_page() -> str:
    """A ruled table: a header cell over two rows, one over three columns, a cell wrapped over two
    lines (法律服 / 务机构), a label printed one character per line over three rows."""
    x = COLS
    c = text(80, 60, "一、某某县人民政府2023 年政府信息公开工作年度报告", 12)
    c += box(x[0], 100, x[2], 140) + text(85, 115, "项目")
    c += box(x[2], 100, x[5], 120) + text(280, 105, "申请人情况")
    c += box(x[2], 120, x[3], 140) + text(265, 125, "自然人")
    c += box(x[3], 120, x[4], 140) + text(325, 121, "法律服", 8) + text(325, 130, "务机构", 8)
    c += box(x[4], 120, x[5], 140) + text(385, 125, "总计")
    c += box(x[0], 140, x[1], 200)
    for k, ch in enumerate("结果"):
        c += text(105, 155 + 15 * k, ch)
    for r, (label, nums) in enumerate(
        (("（一）予以公开", "1 2 3"), ("（二）部分公开", "4 5 9"), ("（三）不予公开", "7 0 7"))
    ):
        top = 140 + 20 * r
        c += box(x[1], top, x[2], top + 20) + text(145, top + 5, label)
        for k, n in enumerate(nums.split()):
            c += box(x[2 + k], top, x[3 + k], top + 20) + text(x[2 + k] + 25, top + 5, n)
    return c


def split_table_pages() -> list[str]:
    """One ruled table over two pages: the row 2.要求行政机关确认或重 / 新出具已获取信息 is cut by the
    page break (numbers on the first page), the label 结果 spans the rows on both pages, and each
    page carries a page number."""
    x = COLS
    p1 = text(80, 600, "表三 某某情况", 12)
    p1 += box(x[0], 640, x[2], 660) + text(85, 645, "项目")
    for k, h in enumerate(("自然人", "法人", "总计")):
        p1 += box(x[2 + k], 640, x[3 + k], 660) + text(x[2 + k] + 5, 645, h)
    p1 += box(x[0], 660, x[1], 780) + text(105, 700, "结") + text(105, 715, "果")
    rows1 = (("1.属于国家秘密", "1 2 3", 660, 720), ("2.要求行政机关确认或重", "3 4 7", 720, 780))
    for label, nums, top, bottom in rows1:
        p1 += box(x[1], top, x[2], bottom) + text(145, top + 5, label, 8)
        for k, n in enumerate(nums.split()):
            p1 += box(x[2 + k], top, x[3 + k], bottom) + text(x[2 + k] + 25, top + 5, n)
    p1 += text(280, 810, "- 1 -")
    p2 = box(x[0], 60, x[1], 140)
    p2 += box(x[1], 60, x[2], 80) + text(145, 65, "新出具已获取信息", 8)
    for k in range(3):
        p2 += box(x[2 + k], 60, x[3 + k], 80)
    p2 += box(x[1], 80, x[2], 140) + text(145, 85, "3.其他")
    for k, n in enumerate(["6", "0", "6"]):
        p2 += box(x[2 + k], 80, x[3 + k], 140) + text(x[2 + k] + 25, 85, n)
    p2 += text(80, 170, "四、下一节")
    p2 += text(280, 810, "— 2 —")
    return [p1, p2]


def repeated_header_pages() -> list[str]:
    """A ruled table over two pages whose header row is printed again on the second page, under a
    running header and a 续表 label."""
    x = COLS
    pages = []
    for p, rows in enumerate(((("1.甲", "1 2 3"), ("2.乙", "4 5 9")), (("3.丙", "7 0 7"),))):
        c = text(200, 30, "某某县人民政府办公室")
        c += text(80, 70, "续表") if p else text(80, 70, "表三 某某情况")
        c += box(x[0], 90, x[2], 110) + text(85, 95, "项目")
        for k, h in enumerate(("自然人", "法人", "总计")):
            c += box(x[2 + k], 90, x[3 + k], 110) + text(x[2 + k] + 5, 95, h)
        top = 110.0
        for label, nums in rows:
            c += box(x[0], top, x[2], top + 20) + text(85, top + 5, label)
            for k, n in enumerate(nums.split()):
                c += box(x[2 + k], top, x[3 + k], top + 20) + text(x[2 + k] + 25, top + 5, n)
            top += 20
        pages.append(c)
    return pages


def unruled_table_page() -> str:
    """A table printed without any rule: columns are only white space; one label wraps onto a
    second line under its first (numbers on the first line)."""
    c = text(80, 60, "二、主动公开政府信息情况", 14)
    heads = ("本年制发件数", "本年废止件数", "现行有效件数")
    centres = (300.0, 390.0, 480.0)
    c += text(100, 100, "信息内容")
    for h, cx in zip(heads, centres):
        c += text(cx - 30, 100, h)
    rows = (
        (("规章",), ("0", "0", "0")),
        (("（二）部分公开（区分处理", "的，只计这一情形）"), ("12", "3", "45")),
        (("其他文件",), ("7", "8", "9")),
    )
    top = 120.0
    for label_lines, nums in rows:
        for k, ln in enumerate(label_lines):
            c += text(100, top + 14 * k, ln)
        for n, cx in zip(nums, centres):
            c += text(cx - 2.5 * len(n), top, n)
        top += 14 * len(label_lines) + 8
    c += text(80, top + 30, "三、后面的正文，说明本年度的情况，这一行是普通的段落文字。")
    return c


# ------------------------------------------------------------------ behaviours on synthetic PDFs


def test_wrapped_cjk_cell_text_joins_without_spaces():
    doc = extract_pdf(build_pdf([ruled_table_page()]), "t.pdf")
    t = tables(doc)[0]
    assert cell_with(t, "法律服务机构").col == 3


def test_space_kept_only_between_latin_or_digit_runs():
    assert clean_text("法律服 \n务机构") == "法律服务机构"
    assert clean_text("2023 年 1 月") == "2023年1月"
    assert clean_text("Word 2010 版") == "Word 2010版"


def test_title_comes_out_as_paragraph_text_with_spaced_year_closed_up():
    doc = extract_pdf(build_pdf([ruled_table_page()]), "t.pdf")
    assert paragraphs(doc)[0] == "一、某某县人民政府2023年政府信息公开工作年度报告"


def test_merged_cells_are_one_cell_with_spans():
    t = tables(extract_pdf(build_pdf([ruled_table_page()]), "t.pdf"))[0]
    head = cell_with(t, "项目")
    assert (head.row, head.col, head.row_span, head.col_span) == (0, 0, 2, 2)
    assert cell_with(t, "申请人情况").col_span == 3
    vertical = cell_with(t, "结果")
    assert (vertical.col, vertical.row_span) == (0, 3)
    # the positions a merged cell covers hold no other cell
    covered = [
        (r, k)
        for c in t.cells
        for r in range(c.row, c.row + c.row_span)
        for k in range(c.col, c.col + c.col_span)
    ]
    assert len(covered) == len(set(covered))


def test_numbers_stay_in_their_row_and_column():
    t = tables(extract_pdf(build_pdf([ruled_table_page()]), "t.pdf"))[0]
    assert numbers_right_of(t, "（二）部分公开") == ["4", "5", "9"]


def test_white_background_rectangles_do_not_make_tables():
    page = white_fill(70, 50, 520, 75) + text(80, 55, "本报告由某某县人民政府办公室编制。")
    page += white_fill(70, 75, 520, 100) + text(80, 80, "如对本报告有疑问，请与办公室联系。")
    doc = extract_pdf(build_pdf([page]), "t.pdf")
    assert not tables(doc)
    assert paragraphs(doc) == ["本报告由某某县人民政府办公室编制。", "如对本报告有疑问，请与办公室联系。"]


def test_table_continued_on_next_page_is_one_table():
    doc = extract_pdf(build_pdf(split_table_pages()), "t.pdf")
    ts = tables(doc)
    assert len(ts) == 1
    assert ts[0].page == 1
    assert {c.page for c in ts[0].cells} == {1, 2}


def test_page_numbers_are_dropped_and_do_not_break_the_stitch():
    doc = extract_pdf(build_pdf(split_table_pages()), "t.pdf")
    assert not any(re.fullmatch(r"[-—\s\d]+", p) for p in paragraphs(doc))
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]


def test_row_cut_by_the_page_break_is_merged_into_one_row():
    t = tables(extract_pdf(build_pdf(split_table_pages()), "t.pdf"))[0]
    label = "2.要求行政机关确认或重新出具已获取信息"
    assert numbers_right_of(t, label) == ["3", "4", "7"]
    assert numbers_right_of(t, "3.其他") == ["6", "0", "6"]
    assert cell_with(t, "3.其他").row == cell_with(t, label).row + 1


def test_label_spanning_rows_continues_across_the_page_break():
    t = tables(extract_pdf(build_pdf(split_table_pages()), "t.pdf"))[0]
    vertical = cell_with(t, "结果")
    last = cell_with(t, "3.其他")
    assert vertical.row + vertical.row_span - 1 == last.row


def test_header_row_repeated_on_the_next_page_is_read_once():
    doc = extract_pdf(build_pdf(repeated_header_pages()), "t.pdf")
    ts = tables(doc)
    assert len(ts) == 1
    assert [c.text for c in ts[0].cells].count("项目") == 1
    assert numbers_right_of(ts[0], "3.丙") == ["7", "0", "7"]


def test_running_header_repeated_on_every_page_is_dropped():
    doc = extract_pdf(build_pdf(repeated_header_pages()), "t.pdf")
    assert "某某县人民政府办公室" not in paragraphs(doc)
    assert "续表" not in paragraphs(doc)


def test_unruled_table_grid_from_word_positions():
    doc = extract_pdf(build_pdf([unruled_table_page()]), "t.pdf")
    ts = tables(doc)
    assert len(ts) == 1
    t = ts[0]
    assert t.n_cols == 4
    assert numbers_right_of(t, "规章") == ["0", "0", "0"]
    assert numbers_right_of(t, "其他文件") == ["7", "8", "9"]
    assert cell_with(t, "本年废止件数").col == cell_with(t, "8").col


def test_unruled_wrapped_label_reads_whole_in_its_row():
    t = tables(extract_pdf(build_pdf([unruled_table_page()]), "t.pdf"))[0]
    assert numbers_right_of(t, "（二）部分公开（区分处理的，只计这一情形）") == ["12", "3", "45"]


def test_prose_around_an_unruled_table_stays_paragraphs():
    doc = extract_pdf(build_pdf([unruled_table_page()]), "t.pdf")
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]
    assert paragraphs(doc)[-1].startswith("三、后面的正文")


# ------------------------------------------------------------------ unusable pages and OCR handoff


def garbled_page() -> str:
    gbk = "政府信息公开工作年度报告本年度收到申请".encode("gbk")
    return "".join(latin(80, 60 + 20 * k, gbk) for k in range(4))


def outline_page() -> str:
    # glyphs as filled Bezier outlines, no text at all
    out = []
    for k in range(300):
        x, y = 80 + (k % 30) * 14, 700 - (k // 30) * 20
        out.append(f"{x} {y} m {x + 2} {y + 8} {x + 8} {y + 8} {x + 10} {y} c {x + 5} {y - 4} l h f\n")
    return "".join(out)


def image_page() -> str:
    return "q 595 0 0 842 0 0 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x80\x90\xa0\xb0 EI Q\n"


@pytest.fixture
def fake_ocr(monkeypatch):
    calls: list[list[int]] = []

    def ocr_pdf_pages(data: bytes, source: str, pages: list[int]):
        calls.append(list(pages))
        return [(p, [Table((Cell(0, 0, "OCR", page=p, confidence=0.9),), page=p)]) for p in pages]

    monkeypatch.setitem(sys.modules, "ocr.pdf", types.SimpleNamespace(ocr_pdf_pages=ocr_pdf_pages))
    return calls


@pytest.mark.parametrize(
    ("page", "why"),
    [(garbled_page(), "garbled"), (outline_page(), "outlines"), (image_page(), "no text layer")],
    ids=["garbled", "outlines", "image-only"],
)
def test_unusable_page_goes_to_ocr_and_keeps_its_confidence(fake_ocr, page, why):
    doc = extract_pdf(build_pdf([ruled_table_page(), page]), "t.pdf")
    assert fake_ocr == [[2]]
    assert doc.method == "text"
    assert why in doc.warnings[0]
    ocr_cells = [c for t in tables(doc) for c in t.cells if c.page == 2]
    assert [c.confidence for c in ocr_cells] == [0.9]


def test_document_without_any_text_layer_is_an_ocr_document(fake_ocr):
    doc = extract_pdf(build_pdf([image_page(), image_page()]), "t.pdf")
    assert fake_ocr == [[1, 2]]
    assert doc.method == "ocr"


def test_blank_page_is_not_sent_to_ocr(fake_ocr):
    doc = extract_pdf(build_pdf([ruled_table_page(), ""]), "t.pdf")
    assert fake_ocr == []
    assert doc.pages == 2


def test_unusable_pages_without_ocr_raise_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "ocr.pdf", None)  # import fails
    with pytest.raises(ExtractionError, match=r"no usable text layer on pages 2; OCR not available"):
        extract_pdf(build_pdf([ruled_table_page(), garbled_page()]), "t.pdf")


# ------------------------------------------------------------------ unreadable input


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"%PDF-1.4\nthis is not a pdf at all\n", "not a readable PDF"),
        (build_pdf([ruled_table_page()], encrypt_user_password="secret"), "encrypted PDF"),
    ],
    ids=["empty", "garbage", "encrypted"],
)
def test_unreadable_pdf_raises_extraction_error_with_reason(data, reason):
    with pytest.raises(ExtractionError, match=reason):
        extract_pdf(data, "bad.pdf")


def test_truncated_pdf_never_escapes_as_another_error():
    data = build_pdf([ruled_table_page(), unruled_table_page()])
    for cut in (len(data) // 4, len(data) // 2, len(data) - 40):
        try:
            doc = extract_pdf(data[:cut], "cut.pdf")
        except ExtractionError as e:
            assert str(e)
        else:
            assert isinstance(doc, Document)


# ------------------------------------------------------------------ the real WPS exports


def _real(name: str) -> Document:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return _read_real(name)


_CACHE: dict[str, Document] = {}


def _read_real(name: str) -> Document:
    if name not in _CACHE:
        _CACHE[name] = extract_pdf((REAL / name).read_bytes(), name)
    return _CACHE[name]


def _gold(name: str) -> dict[str, float]:
    return json.loads((REAL / "gold.json").read_text("utf-8"))["documents"][name]["cells"]


def _applications(doc: Document) -> Table:
    return next(t for t in tables(doc) if any("申请人情况" in c.text for c in t.cells))


@pytest.mark.parametrize("name", ["hongze_2023.pdf", "hongze_2024.pdf", "huaian_city_2024.pdf"])
def test_real_report_title_is_paragraph_text(name):
    doc = _real(name)
    head = "".join(paragraphs(doc)[:3])
    assert re.search(r"人民政府20\d\d年政府信息公开工作年度报告", head)


@pytest.mark.parametrize("name", ["hongze_2023.pdf", "hongze_2024.pdf", "huaian_city_2024.pdf"])
def test_real_report_has_three_template_tables_each_stitched_whole(name):
    ts = tables(_real(name))
    assert len(ts) == 3
    t3 = _applications(_real(name))
    assert {c.page for c in t3.cells} == {t3.page, t3.page + 1}


def test_real_vertical_label_and_header_spans():
    t = _applications(_real("hongze_2023.pdf"))
    assert cell_with(t, "申请人情况").col_span == 7
    assert cell_with(t, "法人或其他组织").col_span == 5
    assert cell_with(t, "法律服务机构").row_span == 1
    result = cell_with(t, "三、本年度办理结果")
    total = next(c for c in t.cells if c.text == "（七）总计")
    assert result.row + result.row_span - 1 == total.row  # spans both pages
    assert cell_with(t, "（三）不予公开").row_span == 8


def test_real_label_cut_across_the_page_reads_whole():
    t = _applications(_real("huaian_city_2024.pdf"))
    cell = cell_with(t, "（四）无法提供")
    assert cell.row_span == 3
    assert cell.page == 4


def test_real_review_table_three_row_header():
    t = next(t for t in tables(_real("hongze_2023.pdf")) if any(c.text == "行政复议" for c in t.cells))
    assert cell_with(t, "行政复议").col_span == 5
    assert cell_with(t, "行政诉讼").col_span == 10
    assert cell_with(t, "未经复议直接起诉").col_span == 5
    assert t.n_rows == 4 and t.n_cols == 15


@pytest.mark.parametrize(
    ("label", "row_id"),
    [
        ("一、本年新收政府信息公开申请数量", "new_received"),
        ("1.本机关不掌握相关政府信息", "unavailable_not_held"),
        ("2.没有现成信息需要另行制作", "unavailable_needs_creation"),
        ("（七）总计", "total_processed"),
    ],
)
def test_real_numbers_land_in_their_rows(label, row_id):
    gold = _gold("huaian_city_2024.pdf")
    cols = (
        "natural_person",
        "commercial_enterprise",
        "research_institution",
        "public_interest_org",
        "legal_service_org",
        "other_org",
        "total",
    )
    want = [gold[f"applications.{row_id}.{c}"] for c in cols]
    t = _applications(_real("huaian_city_2024.pdf"))
    got = [float(x) for x in numbers_right_of(t, label)]
    assert got == want


def test_real_page_numbers_never_appear_as_paragraphs():
    for name in ("hongze_2023.pdf", "huaian_city_2024.pdf"):
        assert not any(re.fullmatch(r"[-—\s\d]+", p) for p in paragraphs(_real(name)))
