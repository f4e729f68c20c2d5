"""Unpacking a ZIP attachment in memory, safely: limits on members, on each member's size and on the
total (a zip bomb stops at the limit, whatever its headers claim), no nested archive deeper than
one level, no folders, system junk or encrypted members.

Nothing is written to disk, so member names cannot escape anywhere; they only become part of the
document's source (`URL#name`). Names of archives made on Chinese Windows are GBK without ZIP's
UTF-8 flag; they are decoded as such.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

MAX_MEMBERS = 200
MAX_DEPTH = 2  # the archive itself and one archive inside it
_JUNK_PARTS = ("__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini")
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1


@dataclass(frozen=True)
class Member:
    name: str  # path inside the archive (nested archives: outer.zip/inner.pdf)
    data: bytes


@dataclass(frozen=True)
class Unpacked:
    members: tuple[Member, ...]
    errors: tuple[str, ...]  # one line per member or archive that could not be read


def member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def unpack(data: bytes, *, max_member_bytes: int, max_total_bytes: int, max_members: int = MAX_MEMBERS) -> Unpacked:
    """The files inside a ZIP archive (and inside ZIPs in it), within the limits."""
    budget = _Budget(max_total_bytes, max_members)
    members: list[Member] = []
    errors: list[str] = []
    _unpack(data, "", 1, max_member_bytes, budget, members, errors)
    return Unpacked(tuple(members), tuple(errors))


@dataclass
class _Budget:
    bytes_left: int
    members_left: int


def _unpack(data: bytes, prefix: str, depth: int, max_member_bytes: int, budget: _Budget,
            members: list[Member], errors: list[str]) -> None:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as e:
        errors.append(f"{prefix or 'archive'}: not a readable ZIP ({e})")
        return
    for info in infos:
        name = prefix + member_name(info)
        if info.is_dir() or any(part in _JUNK_PARTS for part in PurePosixPath(name).parts) \
                or PurePosixPath(name).name.startswith("._"):
            continue
        if budget.members_left <= 0:
            errors.append(f"{name}: archive holds more than its limit of members; the rest skipped")
            return
        budget.members_left -= 1
        if info.flag_bits & _ENCRYPTED_FLAG:
            errors.append(f"{name}: encrypted")
            continue
        limit = min(max_member_bytes, budget.bytes_left)
        if info.file_size > limit:
            errors.append(f"{name}: {info.file_size} bytes unpacked, over the limit of {limit}")
            continue
        try:
            with archive.open(info) as f:
                # The header's size may lie: read one byte past the limit to know.
                content = f.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError) as e:
            errors.append(f"{name}: cannot unpack ({e})")
            continue
        if len(content) > limit:
            errors.append(f"{name}: unpacks to more than the limit of {limit} bytes")
            continue
        budget.bytes_left -= len(content)
        if content.startswith(b"PK\x03\x04") and PurePosixPath(name).suffix.lower() == ".zip":
            if depth >= MAX_DEPTH:
                errors.append(f"{name}: archive nested too deep")
            else:
                _unpack(content, name + "/", depth + 1, max_member_bytes, budget, members, errors)
            continue
        members.append(Member(name, content))
