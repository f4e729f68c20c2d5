"""DOC, WPS, ODT and RTF through LibreOffice headless, then the DOCX reader.

Each conversion starts LibreOffice (about 3 s), so these tests share one converted file.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest

from extractors import office
from extractors.detect import detect_format
from extractors.errors import ExtractionError
from extractors.model import Paragraph, Table
from extractors.office import convert_to_docx, extract_office

needs_soffice = pytest.mark.skipif(office.find_soffice() is None, reason="LibreOffice is not installed")

# A table with a vertical merge (\clvmgf ... \clvmrg) and a horizontal one (\clmgf ... \clmrg).
RTF = rb"""{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}
\pard\plain\f0 \'c4\'ea\'b1\'a8\par
\trowd\clvmgf\cellx2000\clmgf\cellx4000\clmrg\cellx6000
\pard\intbl A\cell\pard\intbl B\cell\pard\intbl\cell\row
\trowd\clvmrg\cellx2000\cellx4000\cellx6000
\pard\intbl\cell\pard\intbl 1\cell\pard\intbl 2\cell\row
\pard\plain end\par}"""


@pytest.fixture(scope="module")
def doc_bytes() -> bytes:
    """A Word 97-2003 file made by LibreOffice from a small DOCX with merged cells."""
    if office.find_soffice() is None:
        pytest.skip("LibreOffice is not installed")
    d = docx.Document()
    d.add_paragraph("某镇人民政府2023年政府信息公开工作年度报告")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "信息内容"
    t.cell(0, 1).merge(t.cell(0, 2)).text = "本年制发件数"
    t.cell(1, 1).text = "甲"
    t.cell(1, 2).text = "乙"
    for k, v in enumerate(["规章", "3", "4"]):
        t.cell(2, k).text = v
    d.add_paragraph("结束语")
    buf = io.BytesIO()
    d.save(buf)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(buf.getvalue())

        subprocess.run(
            [
                office.find_soffice() or "soffice",
                f"-env:UserInstallation={(Path(tmp) / 'p').as_uri()}",
                "--headless",
                "--convert-to",
                "doc",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (Path(tmp) / "report.doc").read_bytes()


@needs_soffice
def test_doc_is_read_through_libreoffice_with_merged_cells_kept(doc_bytes: bytes) -> None:
    assert detect_format(doc_bytes) == "doc"
    doc = extract_office(doc_bytes, "report.doc", "doc")
    assert (doc.format, doc.method) == ("doc", "docx")
    kinds = [b.text if isinstance(b, Paragraph) else "TABLE" for b in doc.blocks]
    assert kinds == ["某镇人民政府2023年政府信息公开工作年度报告", "TABLE", "结束语"]
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    anchored = {(c.row, c.col): (c.row_span, c.col_span, c.text) for c in table.cells}
    assert anchored[(0, 0)] == (2, 1, "信息内容")
    assert anchored[(0, 1)] == (1, 2, "本年制发件数")
    assert [c.text for c in table.rows()[2]] == ["规章", "3", "4"]


@needs_soffice
def test_rtf_is_read_through_libreoffice() -> None:
    assert detect_format(RTF) == "rtf"
    doc = extract_office(RTF, "report.rtf", "rtf")
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    anchored = {(c.row, c.col): (c.row_span, c.col_span, c.text) for c in table.cells}
    assert anchored[(0, 0)] == (2, 1, "A")
    assert anchored[(0, 1)] == (1, 2, "B")
    assert [c.text for c in table.rows()[1]] == ["1", "2"]
    assert doc.blocks[0] == Paragraph("年报")  # GBK bytes in a code page 936 RTF
    assert doc.blocks[-1] == Paragraph("end")


def fake_soffice(tmp_path: Path, script: str) -> str:
    exe = tmp_path / "soffice"
    exe.write_text("#!/bin/sh\n" + script + "\n")
    exe.chmod(0o755)
    return str(exe)


def test_conversion_that_overruns_its_time_is_killed_and_reported(tmp_path: Path) -> None:
    soffice = fake_soffice(tmp_path, "sleep 30")
    with pytest.raises(ExtractionError, match="gave up"):
        convert_to_docx(RTF, "rtf", soffice=soffice, timeout_s=0.2)


def test_file_libreoffice_cannot_convert_is_an_extraction_error_with_its_reason(tmp_path: Path) -> None:
    soffice = fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    with pytest.raises(ExtractionError, match="could not convert the DOC file .*could not be loaded"):
        convert_to_docx(b"\xd0\xcf\x11\xe0", "doc", soffice=soffice)


def test_missing_libreoffice_is_reported_with_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ExtractionError, match=r"DOC needs LibreOffice: .*apt install libreoffice-writer"):
        extract_office(b"\xd0\xcf\x11\xe0", "report.doc", "doc")
