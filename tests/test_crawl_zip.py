"""ZIP attachments are unpacked in memory within limits, whatever their headers claim."""

from __future__ import annotations

import io
import zipfile

from flows.crawl_zip import unpack

MiB = 2**20


def _zip(members: dict[str, bytes], *, utf8_names: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            if utf8_names:
                z.writestr(name, data)
            else:
                info = _Gbk(name, (2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)
    return buf.getvalue()


class _Gbk(zipfile.ZipInfo):
    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits


def test_members_come_out_with_their_names_and_bytes():
    u = unpack(_zip({"a/report.pdf": b"%PDF-1.4", "b.txt": b"text"}), max_member_bytes=MiB, max_total_bytes=MiB)
    assert [(m.name, m.data) for m in u.members] == [("a/report.pdf", b"%PDF-1.4"), ("b.txt", b"text")]
    assert u.errors == ()


def test_gbk_names_without_the_utf8_flag_are_read_as_gbk():
    u = unpack(_zip({"年报/金岭镇年报.txt": b"x"}, utf8_names=False), max_member_bytes=MiB, max_total_bytes=MiB)
    assert [m.name for m in u.members] == ["年报/金岭镇年报.txt"]


def test_folders_and_system_junk_are_skipped():
    u = unpack(_zip({"__MACOSX/._a.pdf": b"x", "a/.DS_Store": b"x", "a/Thumbs.db": b"x", "a/r.txt": b"r"}),
               max_member_bytes=MiB, max_total_bytes=MiB)
    assert [m.name for m in u.members] == ["a/r.txt"]


def test_a_bomb_stops_at_the_member_limit():
    bomb = _zip({"big.txt": b"0" * (20 * MiB), "ok.txt": b"fine"})
    assert len(bomb) < MiB // 10
    u = unpack(bomb, max_member_bytes=MiB, max_total_bytes=10 * MiB)
    assert [m.name for m in u.members] == ["ok.txt"]
    assert len(u.errors) == 1 and u.errors[0].startswith("big.txt: ")


def test_a_header_that_understates_the_size_is_caught_while_reading():
    data = bytearray(_zip({"big.txt": b"0" * (2 * MiB)}))
    # shrink the declared size in the central directory (and the local header) to 10 bytes
    size = (2 * MiB).to_bytes(4, "little")
    data = bytes(data).replace(size, (10).to_bytes(4, "little"))
    u = unpack(data, max_member_bytes=MiB, max_total_bytes=MiB)
    assert u.members == ()
    assert len(u.errors) == 1


def test_the_total_limit_spans_members():
    u = unpack(_zip({f"{i}.txt": b"0" * 600_000 for i in range(4)}), max_member_bytes=MiB, max_total_bytes=MiB)
    assert len(u.members) == 1 and len(u.errors) == 3


def test_nested_archives_are_opened_one_level_deep():
    inner = _zip({"deep.zip": _zip({"x.txt": b"x"}), "r.txt": b"r"})
    u = unpack(_zip({"inner.zip": inner}), max_member_bytes=MiB, max_total_bytes=MiB)
    assert [m.name for m in u.members] == ["inner.zip/r.txt"]
    assert u.errors == ("inner.zip/deep.zip: archive nested too deep",)


def test_too_many_members_are_cut_off():
    u = unpack(_zip({f"{i}.txt": b"x" for i in range(10)}), max_member_bytes=MiB, max_total_bytes=MiB, max_members=3)
    assert len(u.members) == 3 and "more than its limit" in u.errors[0]


def test_names_that_climb_out_are_only_names():
    u = unpack(_zip({"../../etc/passwd.txt": b"x"}), max_member_bytes=MiB, max_total_bytes=MiB)
    assert [m.name for m in u.members] == ["../../etc/passwd.txt"]  # kept in memory, never written


def test_a_broken_archive_is_an_error_not_an_exception():
    u = unpack(b"PK\x03\x04 broken", max_member_bytes=MiB, max_total_bytes=MiB)
    assert u.members == () and "not a readable ZIP" in u.errors[0]
