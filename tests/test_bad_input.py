"""Bad input: every file that cannot be read gets one line naming it and the reason, never a
traceback, and the batch goes on; a file that is simply not a report is recorded, not an error.

The bad files are made here, in one folder, and ingested in one batch (one Prefect flow run) with
two workers; each test then looks at one file's fate.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from flows.cli import main

SEED_TEXT = (Path(__file__).resolve().parents[2] / "shared" / "seeds")

# ---------------------------------------------------------------- making PDFs by hand

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def make_pdf(pages: int = 1, text: str = "Minutes of the garden club", user_password: str | None = None) -> bytes:
    """A valid PDF of `pages` pages showing `text`; with a user password, RC4-40 encrypted (the PDF
    standard security handler, revision 2), so it cannot be opened without it."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    first_page = 5
    n_objects = 4 + pages + (1 if user_password is not None else 0)
    file_id = hashlib.md5(text.encode() + str(pages).encode()).digest()
    key = b""
    extra: dict[int, bytes] = {}
    if user_password is not None:
        perms = -4
        owner_key = hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5]
        o = _rc4(owner_key, (user_password.encode() + _PAD)[:32])
        key = hashlib.md5((user_password.encode() + _PAD)[:32] + o + struct.pack("<i", perms) + file_id).digest()[:5]
        u = _rc4(key, _PAD)
        extra[n_objects] = (f"<< /Filter /Standard /V 1 /R 2 /O <{o.hex()}> /U <{u.hex()}> /P {perms} >>").encode()
        obj_key = hashlib.md5(key + struct.pack("<I", 4)[:3] + b"\0\0").digest()[:10]
        content = _rc4(obj_key, content)
    kids = " ".join(f"{first_page + i} 0 R" for i in range(pages))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    }
    for i in range(pages):
        objects[first_page + i] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                                   b" /Resources << /Font << /F1 3 0 R >> >> >>")
    objects.update(extra)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for num in sorted(objects):
        out += b"%010d 00000 n \n" % offsets[num]
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R /ID [<{file_id.hex()}> <{file_id.hex()}>]"
    if user_password is not None:
        trailer += f" /Encrypt {n_objects} 0 R"
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# ---------------------------------------------------------------- other bad files


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG whose header claims 10 gigapixels (the pixels never follow)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def zip_bomb_docx(unpacked_mb: int = 256) -> bytes:
    """A DOCX whose document.xml unpacks to `unpacked_mb` MB of spaces (about 0.1% of that packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                    b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            chunk = b" " * 2**20
            for _ in range(unpacked_mb):
                f.write(chunk)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


GBK_HTML = (
    "<html><head><title>某某县人民政府2023年政府信息公开工作年度报告</title></head><body>"
    "<h1>某某县人民政府2023年政府信息公开工作年度报告</h1>"
    "<p>本报告由某某县人民政府办公室编制。全文包括总体情况、主动公开政府信息情况等。</p>"
    "</body></html>"
).encode("gbk")

PROSE = ("园艺协会会议纪要\n本次会议讨论了春季花卉展览的安排，会员们就场地、时间和志愿者分工交换了意见。\n"
         "下次会议定于四月举行。\n").encode()


@dataclass(frozen=True)
class Bad:
    name: str
    data: bytes
    reason_words: tuple[str, ...]  # the reason must mention one of these (any, case-insensitive)


def bad_files() -> list[Bad]:
    rng = random.Random(2021)
    good_pdf = make_pdf(3)
    return [
        Bad("empty.pdf", b"", ("empty",)),
        Bad("blank.txt", b"  \n\n \t\n", ("empty",)),
        Bad("truncated.pdf", good_pdf[: len(good_pdf) // 3], ("pdf", "truncat", "corrupt", "damaged", "read")),
        Bad("corrupt.pdf", b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(4000)),
            ("pdf", "corrupt", "damaged", "read")),
        Bad("random.bin", bytes(rng.randrange(256) for _ in range(5000)), ("format", "binary", "not")),
        Bad("encrypted.pdf", make_pdf(1, user_password="secret"), ("encrypt", "password")),
        Bad("thousand_pages.pdf", make_pdf(1200), ("pages",)),
        Bad("bomb.docx", zip_bomb_docx(), ("unpack", "bomb", "refused", "large")),
        Bad("bomb.png", huge_png(), ("pixel", "large", "bomb", "big", "size")),
    ]


@dataclass(frozen=True)
class Outcome:
    rc: int
    stdout: str
    stderr: str
    status: dict[str, str]  # file name -> documents.status
    errors: dict[str, str]  # file name -> documents.error


@pytest.fixture(scope="module")
def outcome(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    folder = tmp_path_factory.mktemp("bad")
    for b in bad_files():
        (folder / b.name).write_bytes(b.data)
    (folder / "letter.pdf").write_bytes(make_pdf(2, "Dear neighbours, the garden club meets on Friday."))
    (folder / "minutes.txt").write_bytes(PROSE)
    (folder / "undeclared_gbk.html").write_bytes(GBK_HTML)
    (folder / "report.txt").write_bytes(next(SEED_TEXT.glob("*.txt")).read_bytes())
    db = tmp_path_factory.mktemp("wh") / "w.duckdb"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(["ingest", str(folder), "--db", str(db), "--workers", "2", "--timeout", "60"])
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT source, status, error FROM documents").fetchall()
    con.close()
    return Outcome(rc, out.getvalue(), err.getvalue(), {Path(s).name: st for s, st, _ in rows},
                   {Path(s).name: e for s, _, e in rows if e})


def _stderr_lines_about(o: Outcome, name: str) -> list[str]:
    return [line for line in o.stderr.splitlines() if name in line]


@pytest.mark.parametrize("bad", bad_files(), ids=lambda b: b.name)
def test_bad_file_gets_one_line_naming_it_and_the_reason(outcome: Outcome, bad: Bad) -> None:
    lines = _stderr_lines_about(outcome, bad.name)
    assert len(lines) == 1, outcome.stderr
    assert any(w in lines[0].lower() for w in bad.reason_words), lines[0]


@pytest.mark.parametrize("bad", bad_files(), ids=lambda b: b.name)
def test_bad_file_is_recorded_failed(outcome: Outcome, bad: Bad) -> None:
    assert outcome.status.get(bad.name) == "failed"


def test_no_traceback_reaches_the_user(outcome: Outcome) -> None:
    assert "Traceback" not in outcome.stderr and "Traceback" not in outcome.stdout


def test_batch_exits_non_zero_when_a_file_failed(outcome: Outcome) -> None:
    assert outcome.rc == 1


def test_the_report_among_bad_files_is_loaded(outcome: Outcome) -> None:
    assert outcome.status["report.txt"] == "ok"


@pytest.mark.parametrize("name", ["letter.pdf", "minutes.txt"])
def test_a_file_that_is_no_report_is_recorded_not_failed(outcome: Outcome, name: str) -> None:
    assert outcome.status[name] == "no_template_tables"
    assert not _stderr_lines_about(outcome, name)


def test_html_in_an_undeclared_encoding_is_read(outcome: Outcome) -> None:
    assert outcome.status["undeclared_gbk.html"] in ("ok", "no_template_tables")


def test_a_document_past_its_time_limit_is_recorded_failed_and_the_batch_goes_on(
        prefect_api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.flows

    monkeypatch.setattr(flows.flows, "process_bundled", _slow_for_slow_files)
    (tmp_path / "slow.txt").write_bytes(b"slow " + PROSE)
    (tmp_path / "fine.txt").write_bytes(PROSE)
    results = []
    flows.flows.ingest_batch([str(tmp_path / "slow.txt"), str(tmp_path / "fine.txt")], str(tmp_path / "w.duckdb"),
                             on_done=results.append, workers=1, timeout_s=1.0)
    assert sorted((Path(p.loaded.source).name, p.loaded.status, p.loaded.error) for p in results) == [
        ("fine.txt", "no_template_tables", None), ("slow.txt", "failed", "timed out after 1 s")]


def _slow_for_slow_files(data: bytes, source: str):  # type: ignore[no-untyped-def]
    """Runs in the worker (a forked process has this module): hangs on files whose bytes say so."""
    import time

    from flows.pipeline import process_bundled

    if data.startswith(b"slow"):
        time.sleep(60)
    return process_bundled(data, source)
