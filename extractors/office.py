"""DOC, WPS, ODT and RTF files to the shared table model, by way of DOCX.

LibreOffice headless converts the file to DOCX (it reads Word 97-2003 binaries, Kingsoft WPS files,
which are Word binaries with extensions, Microsoft Works, ODF and RTF), then `extractors.docx` reads
it. Each conversion runs with its own throw-away LibreOffice profile, so conversions in parallel
processes never fight over one profile's lock.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from extractors.docx import extract_docx
from extractors.errors import ExtractionError, UnsupportedFormat
from extractors.model import Document

CONVERT_TIMEOUT_S = 180.0
_SUFFIX = {"doc": ".doc", "wps": ".wps", "odt": ".odt", "rtf": ".rtf"}
_INSTALL_HINT = "install libreoffice-writer (apt install libreoffice-writer-nogui)"


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def extract_office(data: bytes, source: str, fmt: str) -> Document:
    """Read a DOC/WPS/ODT/RTF file: convert it to DOCX with LibreOffice, then extract that.

    The Document keeps `fmt` as its format (what the bytes are) and `docx` as its method.
    """
    if fmt not in _SUFFIX:
        raise UnsupportedFormat(f"not an office format LibreOffice converts here ({fmt})")
    soffice = find_soffice()
    if soffice is None:
        raise UnsupportedFormat(f"{fmt.upper()} needs LibreOffice: {_INSTALL_HINT}")
    docx_bytes = convert_to_docx(data, fmt, soffice=soffice)
    document = extract_docx(docx_bytes, source)
    return replace(document, format=fmt)


def convert_to_docx(data: bytes, fmt: str, *, soffice: str, timeout_s: float = CONVERT_TIMEOUT_S) -> bytes:
    """The DOCX LibreOffice makes of `data` (a file of format `fmt`)."""
    with tempfile.TemporaryDirectory(prefix="nianbao-soffice-") as tmp:
        work = Path(tmp)
        src = work / f"input{_SUFFIX.get(fmt, '')}"
        src.write_bytes(data)
        out_dir = work / "out"
        out_dir.mkdir()
        profile = (work / "profile").as_uri()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "docx",
            "--outdir",
            str(out_dir),
            str(src),
        ]
        result = _run(cmd, timeout_s, cwd=work)
        produced = out_dir / "input.docx"
        if not produced.is_file() or produced.stat().st_size == 0:
            detail = (result.stderr or result.stdout or b"").decode("utf-8", "replace").strip()
            reason = detail.splitlines()[-1] if detail else f"exit status {result.returncode}"
            raise ExtractionError(f"LibreOffice could not convert the {fmt.upper()} file ({reason})")
        return produced.read_bytes()


def _run(cmd: list[str], timeout_s: float, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    # A session of its own, so a hung conversion is killed with every process it started.
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "HOME": str(cwd)},
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        raise ExtractionError(
            f"LibreOffice took over {timeout_s:.0f} s to convert the file: gave up"
        ) from None
    return subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
