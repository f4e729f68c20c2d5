"""Reports published as pictures inside HTML articles and Word files (图片版) are read by OCR."""

from __future__ import annotations

import base64
import io
import json
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import docx.shared
import pypdfium2
import pytest
from PIL import Image

from extractors.docx import extract_docx
from extractors.embedded import (
    MAX_IMAGES,
    EmbeddedImage,
    decode_data_uri,
    looks_printed,
    page_like,
    read_images,
    readable_size,
)
from extractors.html import extract_html
from extractors.model import Cell, Document, Paragraph, Table
from extractors.reconcile import reconcile

SCAN = Path(__file__).parent / "fixtures" / "scan"
SCAN_PDF = "s03_city_2025.pdf"  # its page 2 prints the whole of 表二 and the top of 表三


@pytest.fixture(scope="module")
def scanned_page() -> bytes:
    """Page 2 of a scanned report: the JPEG the scan PDF embeds, as a portal would paste it."""
    pdf = pypdfium2.PdfDocument(SCAN / SCAN_PDF)
    (picture,) = [o for o in pdf[1].get_objects() if isinstance(o, pypdfium2.PdfImage)]
    buf = io.BytesIO()
    picture.extract(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def gold_active_disclosure() -> dict[str, float]:
    cells = json.loads((SCAN / "gold.json").read_text("utf-8"))["documents"][SCAN_PDF]["cells"]
    return {k: float(v) for k, v in cells.items() if k.startswith("active_disclosure.")}


def png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (width, height), 255).save(buf, format="PNG")
    return buf.getvalue()


def data_uri(data: bytes, kind: str = "image/jpeg") -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def article(body: str) -> bytes:
    return f"""<html><head><meta charset="utf-8"><title>某市人民政府</title></head><body>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li><li><a href="/hd">互动</a></li></ul>
<h1>佛山市人民政府办公室2025年政府信息公开工作年度报告</h1>
<div id="zoom"><div class="TRS_Editor">{body}</div></div>
<div class="footer">主办单位：某市人民政府办公室</div></body></html>""".encode()


def ocr_facts(doc: Document) -> dict[str, tuple[float, str, int | None]]:
    return {f.cell_id: (f.value, f.method, f.page) for f in reconcile(doc).facts if f.method != "inferred"}


# --- end to end: real OCR of a scanned page ---------------------------------------------------------


def test_a_report_page_pasted_into_an_html_article_is_read_by_ocr(scanned_page, gold_active_disclosure):
    html = article(
        "<p>现将本机关2025年度报告以图片形式公布如下。</p>"
        f'<p><img src="{data_uri(scanned_page)}"></p><p>附件：报告原件</p>'
    )
    doc = extract_html(html, "page.html")
    facts = ocr_facts(doc)
    assert doc.method == "html"
    assert {k: facts.get(k) for k in gold_active_disclosure} == {
        k: (v, "ocr", 1) for k, v in gold_active_disclosure.items()
    }
    texts = [b.text if isinstance(b, Paragraph) else "<table>" for b in doc.blocks]
    before, after = texts.index("现将本机关2025年度报告以图片形式公布如下。"), texts.index("附件：报告原件")
    assert "<table>" in texts[before + 1 : after]


def test_a_picture_of_a_report_page_in_a_docx_is_read_by_ocr(scanned_page, gold_active_disclosure):
    d = docx.Document()
    d.add_paragraph("佛山市人民政府办公室2025年政府信息公开工作年度报告")
    d.add_picture(io.BytesIO(png(120, 120)))  # a logo: picture 1, too small to read
    d.add_picture(io.BytesIO(scanned_page))  # picture 2
    buf = io.BytesIO()
    d.save(buf)
    doc = extract_docx(buf.getvalue(), "report.docx")
    facts = ocr_facts(doc)
    assert doc.method == "docx"
    assert {k: facts.get(k) for k in gold_active_disclosure} == {
        k: (v, "ocr", 2) for k, v in gold_active_disclosure.items()
    }


# --- which pictures are read (a stand-in OCR: fast, and counts its calls) -----------------------------


def fake_ocr(calls: list[str]) -> Callable[[bytes, str], Document]:
    def ocr(data: bytes, source: str) -> Document:
        calls.append(source)
        cell = Cell(0, 0, "7", page=1, bbox=(1, 2, 3, 4), confidence=0.93)
        return Document(
            source, "image", "ocr", (Table((cell,), page=1), Paragraph("图片中的文字", page=1)), 1
        )

    return ocr


def figures_table(n: int) -> Table:
    return Table(tuple(Cell(r, 1, str(r)) for r in range(n)) + tuple(Cell(r, 0, f"行{r}") for r in range(n)))


def pictures(*sizes: tuple[int, int]) -> tuple[list[EmbeddedImage], dict[str, bytes]]:
    images = [EmbeddedImage(1, f"p{i}", f"picture p{i}") for i in range(len(sizes))]
    return images, {f"p{i}": png(w, h) for i, (w, h) in enumerate(sizes)}


def test_ocr_blocks_go_where_the_picture_sits_with_its_index_as_page_and_confidence_kept():
    calls: list[str] = []
    images = [EmbeddedImage(1, "a", "a"), EmbeddedImage(2, "b", "b")]
    blocks = [Paragraph("前"), Paragraph("中"), Paragraph("后")]
    read = read_images(blocks, images, "doc", {"a": png(10, 10), "b": png(1240, 1754)}.get, fake_ocr(calls))
    assert [type(b).__name__ if isinstance(b, Table) else b.text for b in read.blocks] == [
        "前",
        "中",
        "Table",
        "图片中的文字",
        "后",
    ]
    table = read.blocks[2]
    assert isinstance(table, Table) and table.page == 2
    assert [(c.page, c.confidence, c.bbox) for c in table.cells] == [(2, 0.93, (1, 2, 3, 4))]
    assert read.blocks[3].page == 2 and calls == ["doc#image2"]


def test_logos_icons_qr_codes_and_spacers_are_not_read():
    assert not any(
        readable_size(w, h) for w, h in [(200, 60), (300, 300), (560, 560), (3000, 8), (1920, 150)]
    )
    assert all(readable_size(w, h) for w, h in [(600, 600), (1241, 1754), (1800, 300)])


def test_pages_and_long_pictures_are_page_like_photos_and_banners_are_not():
    assert all(page_like(w, h) for w, h in [(1241, 1754), (1754, 1241), (750, 9000), (1654, 2033)])
    assert not any(page_like(w, h) for w, h in [(1600, 1200), (1200, 800), (1920, 600), (1000, 1000)])


def test_without_tables_of_figures_in_the_text_every_picture_of_readable_size_is_read():
    calls: list[str] = []
    images, data = pictures((1600, 900), (1241, 1754), (100, 100))
    read = read_images([Paragraph("报告正文")], images, "doc", data.get, fake_ocr(calls))
    assert calls == ["doc#image1", "doc#image2"] and read.ocred == 2


def test_where_the_text_holds_tables_of_figures_only_page_like_pictures_are_read():
    calls: list[str] = []
    images, data = pictures((1600, 900), (1241, 1754))
    read = read_images([figures_table(12)], images, "doc", data.get, fake_ocr(calls))
    assert calls == ["doc#image2"]
    assert any("not shaped like pages nor look printed" in w for w in read.warnings)


def printed_table(width: int, height: int) -> bytes:
    """A ruled table with text in its cells, black on white, as a screenshot of a Word table."""
    from PIL import ImageDraw, ImageFont

    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 20, index=2)
    for y in range(10, height - 10, 40):
        draw.line((10, y, width - 10, y), fill="black", width=2)
        draw.text((20, y + 8), "行政许可　3231　第二十条第（五）项", font=font, fill="black")
    for x in (10, width // 3, width - 10):
        draw.line((x, 10, x, height - 10), fill="black", width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def photo(width: int, height: int, seed: int = 3) -> bytes:
    """A colourful picture with texture: a stand-in for a photo of a meeting or a building."""
    import numpy as np

    rng = np.random.default_rng(seed)
    base = np.zeros((height, width, 3), np.float64)
    base[..., 0] = np.linspace(40, 220, width)[None, :]
    base[..., 1] = np.linspace(180, 60, height)[:, None]
    base[..., 2] = 90
    pixels = np.clip(base + rng.normal(0, 25, base.shape), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buf, format="JPEG", quality=80)
    return buf.getvalue()


def banner(width: int, height: int) -> bytes:
    from PIL import ImageDraw, ImageFont

    img = Image.new("RGB", (width, height), (180, 0, 0))
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 60, index=2)
    ImageDraw.Draw(img).text((40, 40), "学习贯彻党的二十大精神", font=font, fill="white")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_a_table_cut_out_alone_looks_printed_a_photo_a_banner_and_a_blank_do_not():
    assert looks_printed(printed_table(1200, 600))
    assert not looks_printed(photo(1600, 900))
    assert not looks_printed(banner(1920, 400))
    assert not looks_printed(png(1600, 900))  # white, no ink


def test_beside_tables_of_figures_a_wide_picture_of_a_table_is_read_a_photo_is_not():
    calls: list[str] = []
    images = [EmbeddedImage(1, "table", "table"), EmbeddedImage(1, "photo", "photo")]
    data = {"table": printed_table(1400, 700), "photo": photo(1600, 900)}
    read = read_images([figures_table(12)], images, "doc", data.get, fake_ocr(calls))
    assert calls == ["doc#image1"]
    assert any(w.startswith("1 image(s) not read") and "nor look printed" in w for w in read.warnings)


def test_a_small_screenshot_of_a_table_is_read_a_small_photo_is_not():
    # 表二 cut out at 96 dpi is about 600 x 400 pixels: below the size a page needs, but it looks printed
    calls: list[str] = []
    images = [EmbeddedImage(1, "table", "table"), EmbeddedImage(1, "photo", "photo")]
    data = {"table": printed_table(640, 400), "photo": photo(640, 400)}
    read = read_images([Paragraph("正文")], images, "doc", data.get, fake_ocr(calls))
    assert calls == ["doc#image1"]
    assert any(w.startswith("1 image(s) not read (too small") for w in read.warnings)


def test_a_contact_table_with_a_few_numbers_does_not_count_as_tables_of_figures():
    calls: list[str] = []
    images, data = pictures((1600, 900))
    read_images([figures_table(3)], images, "doc", data.get, fake_ocr(calls))
    assert calls == ["doc#image1"]


def test_at_most_max_images_pictures_are_read_per_document():
    calls: list[str] = []
    images = [EmbeddedImage(0, "p", f"p{i}") for i in range(MAX_IMAGES + 3)]
    page = png(1241, 1754)
    read = read_images([], images, "doc", lambda ref: page, fake_ocr(calls))
    assert len(calls) == MAX_IMAGES and read.ocred == MAX_IMAGES
    assert any(w.startswith("3 image(s) not read") for w in read.warnings)


def test_a_failing_ocr_or_fetch_is_a_warning_for_that_picture_only():
    def ocr(data: bytes, source: str) -> Document:
        raise RuntimeError("model crashed")

    def fetch(ref: str) -> bytes:
        if ref == "p1":
            raise TimeoutError("server too slow")
        return png(1241, 1754)

    images, _ = pictures((1, 1), (1, 1))
    read = read_images([Paragraph("正文")], images, "doc", fetch, ocr)
    assert read.blocks == (Paragraph("正文"),)
    assert any("model crashed" in w for w in read.warnings) and any(
        "server too slow" in w for w in read.warnings
    )


# --- bad pictures in real documents: warnings, never errors -------------------------------------------


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` and whose pixels are garbage."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    head = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat = b"IDAT" + b"not deflate data at all"
    body = struct.pack(">I", len(idat) - 4) + idat + struct.pack(">I", zlib.crc32(idat))
    return head + body + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))


@pytest.mark.parametrize("size", [(1241, 1754), (60000, 60000)], ids=["corrupt", "decompression-bomb"])
def test_a_corrupt_picture_or_a_decompression_bomb_in_an_html_article_is_a_warning(size):
    html = article(f'<p>正文。</p><img src="{data_uri(png_header(*size), "image/png")}">')
    doc = extract_html(html, "page.html")
    assert "正文。" in doc.text()
    assert any(w.startswith("image 1") and "image/png" in w for w in doc.warnings)


def test_a_corrupt_picture_in_a_docx_is_a_warning():
    d = docx.Document()
    d.add_paragraph("正文")
    d.add_picture(io.BytesIO(png_header(700, 900)))
    buf = io.BytesIO()
    d.save(buf)
    doc = extract_docx(buf.getvalue(), "x.docx")
    assert doc.text() == "正文" and any(w.startswith("image 1 could not be OCR'd") for w in doc.warnings)


# --- where picture bytes come from in HTML --------------------------------------------------------------


def test_data_uris_decode_in_base64_wrapped_over_lines_or_percent_encoded():
    payload = base64.b64encode(b"\x89PNG pixels").decode()
    assert (
        decode_data_uri(f"data:image/png;base64,{payload[:6]}\n {payload[6:].rstrip('=')}")
        == b"\x89PNG pixels"
    )
    assert decode_data_uri("data:image/svg+xml,%3Csvg%2F%3E") == b"<svg/>"
    assert decode_data_uri("/upload/a.png") is None


def test_linked_pictures_are_resolved_against_the_page_address():
    asked: list[str] = []

    def resolve(url: str) -> bytes | None:
        asked.append(url)
        return None

    html = article(
        '<p>正文。</p><img src="../../upload/p1.jpg"><img data-src="/upload/p2.jpg" src="blank.gif">'
    )
    doc = extract_html(html, "http://www.example.gov.cn/zwgk/ndbg/t1.html", resolve=resolve)
    assert asked == ["http://www.example.gov.cn/upload/p1.jpg", "http://www.example.gov.cn/upload/p2.jpg"]
    assert sum("not available" in w for w in doc.warnings) == 2


def test_pictures_of_a_local_page_are_read_from_beside_it(tmp_path):
    (tmp_path / "t1_files").mkdir()
    (tmp_path / "t1_files" / "logo.png").write_bytes(png(200, 60))
    page = tmp_path / "t1.html"
    page.write_bytes(article('<p>正文。</p><img src="t1_files/logo.png"><img src="/etc/hostname">'))
    doc = extract_html(page.read_bytes(), str(page))
    assert any("too small" in w for w in doc.warnings)  # the logo was read, and found too small
    assert any("not available" in w and "/etc/hostname" in w for w in doc.warnings)


def test_an_article_of_pictures_alone_is_found_in_its_cms_container():
    asked: list[str] = []
    html = article('<p><img src="/upload/page1.jpg"></p><p><img src="/upload/page2.jpg"></p>')
    doc = extract_html(html, "http://www.example.gov.cn/t1.html", resolve=lambda u: asked.append(u))
    assert asked == [
        "http://www.example.gov.cn/upload/page1.jpg",
        "http://www.example.gov.cn/upload/page2.jpg",
    ]
    assert doc.blocks[0] == Paragraph("佛山市人民政府办公室2025年政府信息公开工作年度报告")


def test_pictures_outside_a_nearly_empty_text_container_are_found_but_logos_are_not():
    asked: list[str] = []
    html = b"""<html><body><div class="top"><a href="/"><img src="/logo.png"></a></div>
<div class="main"><div class="tit">2024\xe5\xb9\xb4\xe5\xb9\xb4\xe5\xba\xa6\xe6\x8a\xa5\xe5\x91\x8a</div>
<div class="pics"><a href="/upload/p1.jpg"><img src="/upload/p1.jpg"></a></div></div></body></html>"""
    extract_html(html, "http://www.example.gov.cn/t1.html", resolve=lambda u: asked.append(u))
    assert asked == ["http://www.example.gov.cn/upload/p1.jpg"]


def test_a_picture_inside_a_table_cell_is_found_in_html_and_docx():
    corrupt = png_header(1241, 1754)
    html = article(
        f'<table><tr><td>表三</td><td><img src="{data_uri(corrupt, "image/png")}"></td></tr></table>'
    )
    assert any(w.startswith("image 1 could not be OCR'd") for w in extract_html(html, "page.html").warnings)
    d = docx.Document()
    cell = d.add_table(rows=1, cols=2).cell(0, 1)
    cell.paragraphs[0].add_run().add_picture(io.BytesIO(corrupt))
    buf = io.BytesIO()
    d.save(buf)
    assert any(
        w.startswith("image 1 could not be OCR'd") for w in extract_docx(buf.getvalue(), "x.docx").warnings
    )


def test_a_web_page_gets_its_pictures_through_the_pipelines_resolver(scanned_page, gold_active_disclosure):
    # the crawler hands pipeline.process a resolver for what an article links to
    from extractors.template import load_template
    from flows.pipeline import process

    html = article('<p>年度报告如下。</p><p><img src="/upload/2025/p2.jpg"></p>')
    asked: list[str] = []

    def resolve(url: str) -> bytes | None:
        asked.append(url)
        return scanned_page

    processed = process(html, "https://www.example.gov.cn/zwgk/art.html", load_template(), resolve=resolve)
    assert asked == ["https://www.example.gov.cn/upload/2025/p2.jpg"]
    read = {f.cell_id: f.value for f in processed.report.facts if f.method == "ocr"}
    assert {k: read.get(k) for k in gold_active_disclosure} == gold_active_disclosure


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_text_pdf_whose_table_page_is_a_pasted_picture_reads_that_page_by_ocr(
        scanned_page, gold_active_disclosure, tmp_path):
    from extractors.pdf_text import extract_pdf

    d = docx.Document()
    d.add_paragraph("佛山市人民政府办公室2025年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    d.add_page_break()
    d.add_picture(io.BytesIO(scanned_page), width=docx.shared.Cm(16))
    d.save(tmp_path / "mixed.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "mixed.docx")],
                   check=True, capture_output=True, timeout=180)
    doc = extract_pdf((tmp_path / "mixed.pdf").read_bytes(), "mixed.pdf")
    facts = ocr_facts(doc)
    assert doc.method == "text"  # the first page still read from its text layer
    assert {k: facts.get(k, (None,))[0] for k in gold_active_disclosure} == gold_active_disclosure
