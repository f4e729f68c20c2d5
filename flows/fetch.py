"""Inputs to (source, bytes): files, folders (recursively, in name order) and http(s) URLs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 200 * 1024 * 1024
_SKIP = {".json", ".tsv", ".duckdb", ".wal", ".py", ".part", ".sha256", ".md5"}


@dataclass(frozen=True)
class Input:
    source: str  # the path or URL as given (a folder's files: the folder joined with the file name)
    data: bytes | None
    error: str | None = None
    final_url: str | None = None  # a URL's address after redirects (the base of the page's relative links)
    content_type: str | None = None  # a URL's Content-Type header


def is_url(arg: str) -> bool:
    return arg.startswith(("http://", "https://"))


def expand(args: list[str]) -> list[str]:
    """Folders become the files under them (gold files and warehouses skipped); the rest as given."""
    out: list[str] = []
    for arg in args:
        p = Path(arg)
        if not is_url(arg) and p.is_dir():
            out.extend(str(f) for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() not in _SKIP
                       and not f.name.startswith("."))
        else:
            out.append(arg)
    return out


def read(source: str) -> Input:
    if is_url(source):
        from flows.http import fetch_url

        return fetch_url(source)
    p = Path(source)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            return Input(source, None, f"file too large ({size // 2**20} MiB, limit {MAX_BYTES // 2**20} MiB)")
        return Input(source, p.read_bytes())
    except FileNotFoundError:
        return Input(source, None, "no such file")
    except IsADirectoryError:
        return Input(source, None, "is a directory")
    except OSError as e:
        return Input(source, None, f"cannot read: {e.strerror or e}")


def read_all(sources: list[str]) -> Iterator[Input]:
    for s in sources:
        yield read(s)
