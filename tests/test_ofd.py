"""OFD (GB/T 33190) read into positioned glyphs and ruling edges, then by the text PDF's own table
stages. Fixtures: tests/fixtures/ofd/ (tests/fixtures/gen_ofd.py), with gold."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from goldcheck import assert_cells
from lxml import etree

from extractors.detect import detect_format
from extractors.errors import ExtractionError
from extractors.model import Table
from extractors.ofd import PT_PER_MM, _deltas, _glyphs, extract_ofd
from extractors.template import load_template
from flows.pipeline import process

FOLDER = Path(__file__).parent / "fixtures" / "ofd"
GOLD = json.loads((FOLDER / "gold.json").read_text("utf-8"))["documents"]


@pytest.mark.parametrize("name", sorted(GOLD))
def test_ofd_reads_every_printed_cell(name):
    gold = GOLD[name]
    data = (FOLDER / name).read_bytes()
    assert detect_format(data) == "ofd"
    p = process(data, name, load_template())
    assert p.report is not None and p.report.template_version == gold["template_version"]
    assert (p.report.agency, p.report.year) == (gold["agency"], gold["year"])
    assert_cells(p.report, gold)
    facts = [f for f in p.report.facts if f.method != "inferred"]
    assert all(f.page and f.bbox for f in facts)  # provenance: page and box in points


def test_a_ruled_table_over_a_page_break_is_one_table():
    doc = extract_ofd((FOLDER / "o02_city_2024.ofd").read_bytes(), "o02.ofd")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert doc.pages == 4
    assert any(t.n_rows == 28 and t.n_cols == 10 for t in tables)  # 表三, begun on page 2, ended on 3


def test_deltax_runs_and_positions():
    assert _deltas("3.5 g 3 2 1") == [3.5, 2, 2, 2, 1]
    obj = etree.fromstring(
        '<ofd:TextObject xmlns:ofd="http://www.ofdspec.org/2016" Boundary="10 20 50 5" Size="4">'
        '<ofd:TextCode X="1" Y="4" DeltaX="g 2 4">规章0</ofd:TextCode></ofd:TextObject>')
    glyphs = _glyphs(obj)
    assert [g.text for g in glyphs] == ["规", "章", "0"]
    assert [round(g.x0 / PT_PER_MM, 3) for g in glyphs] == [11, 15, 19]
    assert all(round(g.bottom / PT_PER_MM, 3) == round(24 + 4 * 0.12, 3) for g in glyphs)


def test_an_ofd_without_its_document_is_one_clear_error():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody>'
                              "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
    with pytest.raises(ExtractionError, match="Doc_0/Document.xml is missing"):
        extract_ofd(buf.getvalue(), "x.ofd")


def test_a_ctm_scales_and_moves_an_objects_coordinates():
    # text written at 10x its size and scaled down by its CTM lands where it is seen
    obj = etree.fromstring(
        '<ofd:TextObject xmlns:ofd="http://www.ofdspec.org/2016" Boundary="10 20 50 5" Size="40" '
        'CTM="0.1 0 0 0.1 0 0"><ofd:TextCode X="10" Y="40" DeltaX="40">规章</ofd:TextCode></ofd:TextObject>')
    glyphs = _glyphs(obj)
    assert [round(g.x0 / PT_PER_MM, 3) for g in glyphs] == [11, 15]
    assert round(glyphs[0].size / PT_PER_MM, 3) == 4
    assert round(glyphs[0].bottom / PT_PER_MM, 3) == round(24 + 4 * 0.12, 3)


@pytest.mark.parametrize("placed", [None, (15.0, 40.0, 180.0, 120.0)], ids=["whole-page", "part-of-page"])
def test_ocr_boxes_of_a_picture_page_are_page_coordinates_in_points_as_glyphs_are(placed):
    import sys

    from PIL import Image

    sys.path.insert(0, str(FOLDER.parent))
    from gen_ofd import PAGE_H, PAGE_W, picture_ofd

    from extractors.model import Cell, Paragraph

    buf = io.BytesIO()
    Image.new("L", (600, 400), 255).save(buf, format="PNG")

    def read(picture: bytes, number: int) -> list:
        # boxes in the picture's pixels, as ocr.image gives them
        return [Table((Cell(0, 0, "7", page=number, bbox=(60.0, 40.0, 120.0, 80.0), confidence=0.9),),
                      page=number, bbox=(0.0, 0.0, 600.0, 400.0)),
                Paragraph("正文", number, (300.0, 200.0, 600.0, 400.0))]

    doc = extract_ofd(picture_ofd([buf.getvalue()], placed=placed), "scan.ofd", read_picture=read)
    x, y, w, h = placed or (0.0, 0.0, PAGE_W, PAGE_H)

    def pt(px: float, py: float) -> tuple[float, float]:  # picture pixel -> page point
        return (round((x + px / 600 * w) * PT_PER_MM, 3), round((y + py / 400 * h) * PT_PER_MM, 3))

    table, para = doc.blocks
    assert isinstance(table, Table) and isinstance(para, Paragraph)
    assert tuple(round(v, 3) for v in table.cells[0].bbox) == (*pt(60, 40), *pt(120, 80))
    assert tuple(round(v, 3) for v in table.bbox) == (*pt(0, 0), *pt(600, 400))
    assert tuple(round(v, 3) for v in para.bbox) == (*pt(300, 200), *pt(600, 400))
    assert (table.cells[0].page, table.cells[0].confidence) == (1, 0.9)


def test_a_page_that_is_only_a_picture_is_read_by_ocr_on_its_page():
    import sys

    sys.path.insert(0, str(FOLDER.parent))
    from gen_ofd import picture_ofd

    from extractors.model import Paragraph

    seen: list[tuple[bytes, int]] = []

    def read(picture: bytes, number: int) -> list:
        seen.append((picture, number))
        return [Paragraph(f"第{number}页的文字", number)]

    doc = extract_ofd(picture_ofd([b"first picture", b"second picture"]), "scan.ofd", read_picture=read)
    assert seen == [(b"first picture", 1), (b"second picture", 2)]
    assert [(b.text, b.page) for b in doc.blocks if isinstance(b, Paragraph)] == [("第1页的文字", 1), ("第2页的文字", 2)]
    assert doc.method == "ocr" and doc.pages == 2 and doc.warnings
