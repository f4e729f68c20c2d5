"""DOCX files: body order, merged cells as spans, nested tables, text boxes, bad archives."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

import extractors.docx as docx_extractor
from extractors.docx import extract_docx
from extractors.errors import ExtractionError
from extractors.model import Document, Paragraph, Table

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def save(document: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def extract(document: docx.document.Document) -> Document:
    return extract_docx(save(document), "report.docx")


def tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def paragraphs(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def anchored(table: Table) -> dict[tuple[int, int], tuple[int, int, str]]:
    return {(c.row, c.col): (c.row_span, c.col_span, c.text) for c in table.cells}


def applications_header() -> docx.document.Document:
    """The head of 表三: a block merged over 3 rows x 2 columns, a colspan, a vertical merge."""
    d = docx.Document()
    t = d.add_table(rows=4, cols=5)
    t.cell(0, 0).merge(t.cell(2, 1)).text = "（本列数据的勾稽关系）"
    t.cell(0, 2).merge(t.cell(0, 4)).text = "申请人情况"
    t.cell(1, 2).merge(t.cell(2, 2)).text = "自然人"
    t.cell(1, 3).merge(t.cell(1, 4)).text = "法人或其他组织"
    t.cell(2, 3).text = "商业企业"
    t.cell(2, 4).text = "科研机构"
    for i, v in enumerate(["一、本年新收", "", "5", "1", "0"]):
        t.cell(3, i).text = v
    return d


def test_paragraphs_and_tables_come_in_body_order() -> None:
    d = docx.Document()
    d.add_paragraph("某镇人民政府2023年政府信息公开工作年度报告")
    d.add_paragraph("二、主动公开政府信息情况")
    d.add_table(rows=1, cols=2).rows[0].cells[0].text = "规章"
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    kinds = [b.text if isinstance(b, Paragraph) else "TABLE" for b in extract(d).blocks]
    assert kinds == [
        "某镇人民政府2023年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "TABLE",
        "三、收到和处理政府信息公开申请情况",
    ]


def test_empty_paragraphs_are_skipped_and_line_breaks_split_paragraphs() -> None:
    d = docx.Document()
    d.add_paragraph("")
    p = d.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行")
    assert paragraphs(extract(d)) == ["第一行", "第二行"]


def test_tabs_inside_a_paragraph_are_kept() -> None:
    d = docx.Document()
    d.add_paragraph("规章\t0\t0\t3")
    assert paragraphs(extract(d)) == ["规章\t0\t0\t3"]


def test_block_merge_is_one_cell_with_both_spans() -> None:
    (table,) = tables(extract(applications_header()))
    assert anchored(table)[(0, 0)] == (3, 2, "（本列数据的勾稽关系）")


def test_grid_span_is_one_cell_with_col_span() -> None:
    (table,) = tables(extract(applications_header()))
    assert anchored(table)[(0, 2)] == (1, 3, "申请人情况")
    assert anchored(table)[(1, 3)] == (1, 2, "法人或其他组织")


def test_vertical_merge_is_one_cell_with_row_span() -> None:
    (table,) = tables(extract(applications_header()))
    assert anchored(table)[(1, 2)] == (2, 1, "自然人")


def test_merged_positions_hold_no_other_cell() -> None:
    (table,) = tables(extract(applications_header()))
    covered = [
        (r, k)
        for c in table.cells
        for r in range(c.row, c.row + c.row_span)
        for k in range(c.col, c.col + c.col_span)
    ]
    assert len(covered) == len(set(covered)) == table.n_rows * table.n_cols == 20
    assert [c.text for c in table.rows()[3]] == ["一、本年新收", "", "5", "1", "0"]


def test_paragraphs_of_a_cell_are_joined_without_spaces_between_cjk() -> None:
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "（二）部分公开（区分处理的，"
    t.cell(0, 0).add_paragraph("只计这一情形）")
    t.cell(0, 1).text = "12"
    t.cell(0, 1).add_paragraph("34")
    (table,) = tables(extract(d))
    assert [c.text for c in table.cells] == ["（二）部分公开（区分处理的，只计这一情形）", "12 34"]


def test_vertical_merge_continued_by_bare_vmerge_elements() -> None:
    # Word writes <w:vMerge/> without a value for the continuing cells.
    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text = "三、本年度办理结果"
    for r in range(3):
        t.cell(r, 1).text = str(r)
    for r in range(3):
        tc_pr = t.cell(r, 0)._tc.get_or_add_tcPr()
        vmerge = etree.SubElement(tc_pr, qn("w:vMerge"))
        if r == 0:
            vmerge.set(qn("w:val"), "restart")
    (table,) = tables(extract(d))
    assert anchored(table)[(0, 0)] == (3, 1, "三、本年度办理结果")
    assert len(table.cells) == 4


def test_grid_before_shifts_a_row_right() -> None:
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for k in range(3):
        t.cell(0, k).text = f"h{k}"
        t.cell(1, k).text = f"v{k}"
    row = t.rows[1]._tr
    row.remove(row.tc_lst[0])
    etree.SubElement(row.get_or_add_trPr(), qn("w:gridBefore")).set(qn("w:val"), "1")
    (table,) = tables(extract(d))
    assert [(c.col, c.text) for c in table.rows()[1]] == [(1, "v1"), (2, "v2")]


def test_table_nested_in_a_cell_comes_out_as_its_own_block() -> None:
    d = docx.Document()
    frame = d.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.text = "表二 主动公开政府信息情况"
    inner = cell.add_table(rows=2, cols=2)
    for r in range(2):
        for k in range(2):
            inner.cell(r, k).text = f"{r}{k}"
    doc = extract(d)
    (table,) = tables(doc)
    assert [[c.text for c in row] for row in table.rows()] == [["00", "01"], ["10", "11"]]
    assert paragraphs(doc) == ["表二 主动公开政府信息情况"]


def test_content_controls_are_read_through() -> None:
    d = docx.Document()
    p = d.add_paragraph("受控文字")
    sdt = etree.Element(qn("w:sdt"))
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    p._p.addprevious(sdt)
    content.append(p._p)
    assert paragraphs(extract(d)) == ["受控文字"]


def test_deleted_revisions_are_not_read_and_insertions_are() -> None:
    d = docx.Document()
    p = d.add_paragraph("保留")
    deleted = etree.SubElement(p._p, qn("w:del"))
    run = etree.SubElement(deleted, qn("w:r"))
    etree.SubElement(run, qn("w:delText")).text = "删掉"
    inserted = etree.SubElement(p._p, qn("w:ins"))
    run = etree.SubElement(inserted, qn("w:r"))
    etree.SubElement(run, qn("w:t")).text = "插入"
    assert paragraphs(extract(d)) == ["保留插入"]


def test_text_box_is_read_once_after_its_paragraph() -> None:
    d = docx.Document()
    p = d.add_paragraph("锚点段落")
    d.add_paragraph("下一段")
    box_xml = f"""<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
      xmlns:w="{W_NS}"><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框内容</w:t></w:r></w:p>
      </w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框内容</w:t>
      </w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent>"""
    run = p.add_run()
    run._r.append(etree.fromstring(box_xml))
    assert paragraphs(extract(d)) == ["锚点段落", "文本框内容", "下一段"]


def test_empty_table_is_dropped() -> None:
    d = docx.Document()
    d.add_table(rows=2, cols=2)
    d.add_paragraph("正文")
    assert not tables(extract(d))


def test_document_says_docx_format_and_method() -> None:
    d = docx.Document()
    d.add_paragraph("正文")
    doc = extract(d)
    assert (doc.format, doc.method, doc.source) == ("docx", "docx", "report.docx")


# --- bad input ------------------------------------------------------------------------------------


def test_part_that_would_unpack_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    d = docx.Document()
    d.add_paragraph("正文" * 1000)
    monkeypatch.setattr(docx_extractor, "MAX_PART_BYTES", 1000)
    with pytest.raises(ExtractionError, match="refused"):
        extract(d)


def test_truncated_file_is_an_extraction_error() -> None:
    data = save(applications_header())
    with pytest.raises(ExtractionError):
        extract_docx(data[: len(data) // 2], "broken.docx")


def test_zip_without_a_word_document_is_an_extraction_error() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a document")
    with pytest.raises(ExtractionError):
        extract_docx(buf.getvalue(), "x.docx")


def test_corrupt_document_xml_is_an_extraction_error() -> None:
    src = zipfile.ZipFile(io.BytesIO(save(applications_header())))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            body = src.read(info)
            z.writestr(info, body[:200] if info.filename == "word/document.xml" else body)
    with pytest.raises(ExtractionError):
        extract_docx(buf.getvalue(), "x.docx")


def test_images_in_the_document_are_noted_in_warnings() -> None:
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(png, format="PNG")
    d = docx.Document()
    d.add_paragraph("正文")
    d.add_picture(io.BytesIO(png.getvalue()))
    d.add_picture(io.BytesIO(png.getvalue()))
    (warning,) = extract(d).warnings
    assert warning.startswith("2 image(s)")


def test_html_imported_through_alt_chunk_is_read_in_place() -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    d = docx.Document()
    d.add_paragraph("前文")
    html = "<html><body><p>一、总体情况</p><table><tr><td>规章</td><td>3</td></tr></table></body></html>"
    part = Part(PackURI("/word/afchunk1.htm"), "text/html", html.encode(), d.part.package)
    rid = d.part.relate_to(part, RT.A_F_CHUNK)
    chunk = etree.SubElement(d.element.body, qn("w:altChunk"))
    chunk.set(qn("r:id"), rid)
    d.element.body.append(d.element.body.sectPr)  # keep sectPr last, as Word requires
    doc = extract(d)
    assert paragraphs(doc) == ["前文", "一、总体情况"]
    (table,) = tables(doc)
    assert [c.text for c in table.cells] == ["规章", "3"]
