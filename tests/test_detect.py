"""Format sniffing: decided by the bytes alone, whatever the file is called."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from extractors.detect import detect_format

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole_with_stream(name: str) -> bytes:
    """An OLE compound file head followed by a directory entry naming `name` (UTF-16LE)."""
    return OLE + b"\x00" * 504 + name.encode("utf-16-le") + b"\x00\x00" + b"\x00" * 64


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("正文")
    d.save(buf)
    return buf.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in files.items():
            z.writestr(name, body)
    return buf.getvalue()


def test_html_saved_under_a_pdf_name_is_html() -> None:
    assert detect_format("<html><body><p>年度报告</p></body></html>".encode(), "report.pdf") == "html"


def test_docx_served_without_a_useful_name_is_docx() -> None:
    assert detect_format(docx_bytes(), "download?id=123") == "docx"


def test_docx_whose_main_part_has_another_name_is_found_by_content_types() -> None:
    types = (
        b'<Types><Override PartName="/word/document2.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    assert detect_format(zip_of({"[Content_Types].xml": types, "word/document2.xml": b"<x/>"})) == "docx"


def test_odt_is_told_from_other_opendocument_files_by_its_mimetype() -> None:
    assert (
        detect_format(zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""}))
        == "odt"
    )
    sheet = zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""})
    assert detect_format(sheet) == "ods"  # a spreadsheet: read by extractors/xlsx.py
    slides = zip_of({"mimetype": b"application/vnd.oasis.opendocument.presentation", "content.xml": b""})
    assert detect_format(slides) == "zip"


def test_xlsx_is_told_by_its_workbook_part() -> None:
    assert detect_format(zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})) == "xlsx"


def test_ofd_and_plain_zip_archives() -> None:
    assert detect_format(zip_of({"OFD.xml": b"<ofd/>"})) == "ofd"
    assert detect_format(zip_of({"a.txt": b"x"})) == "zip"


@pytest.mark.parametrize(
    ("stream", "kind"),
    [("WordDocument", "doc"), ("EncryptedPackage", "encrypted"), ("Workbook", "xls"), ("CONTENTS", "wps")],
)
def test_ole_files_are_told_apart_by_their_streams(stream: str, kind: str) -> None:
    assert detect_format(ole_with_stream(stream), "report.wps") == kind


def test_kingsoft_wps_file_is_a_word_binary_whatever_its_name() -> None:
    assert detect_format(ole_with_stream("WordDocument"), "report.wps") == "doc"


def test_rtf_pdf_and_images() -> None:
    assert detect_format(b"{\\rtf1\\ansi hello}") == "rtf"
    assert detect_format(b"%PDF-1.7\n...") == "pdf"
    assert detect_format(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20) == "image"
    assert detect_format(b"\xff\xd8\xff\xe0" + b"\x00" * 20, "report.html") == "image"


def test_gbk_html_page_is_html() -> None:
    page = '<html><head><meta charset="gbk"></head><body><p>政府信息公开工作年度报告</p></body></html>'
    assert detect_format(page.encode("gbk")) == "html"


def test_cms_fragment_without_html_tags_is_html() -> None:
    fragment = "<div class='TRS_Editor'><p>一、总体情况</p><table><tr><td>规章</td></tr></table></div>"
    assert detect_format(fragment.encode()) == "html"


def test_text_dump_with_a_stray_tag_stays_text() -> None:
    dump = "一、总体情况\n| 信息内容 | 本年制发件数<br>（件） |\n| 规章 | 0 |\n"
    assert detect_format(dump.encode()) == "text"


def test_gb_text_with_a_broken_byte_is_still_text() -> None:
    data = "本年度共收到政府信息公开申请五件。\n".encode("gbk") * 20 + b"\xff" + "完".encode("gbk")
    assert detect_format(data) == "text"


def test_binary_noise_and_empty_files() -> None:
    assert detect_format(bytes(range(256)) * 8) == "binary"
    assert detect_format(b"  \n") == "empty"


def test_truncated_zip_is_binary_not_a_crash() -> None:
    assert detect_format(docx_bytes()[:100]) == "binary"
