"""The registry of the bodies that must publish a report every year (`nianbao bodies import FILE.csv`):
what the coverage matrix holds reports against, so that a body that never published shows as a gap
rather than not at all.

The CSV has a header line naming its columns: name (the body's name as it would print it, required),
division_code (行政区划代码, required), credit_code (统一社会信用代码, optional) and portal (its
website, optional); Chinese headers (名称, 行政区划代码, 统一社会信用代码, 网站) are read too. Each body
gets the agency_key its name resolves to (warehouse/regions.py), the key reports are grouped by, so a
body matches its reports however the crawls found them. An import replaces the registry.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse import comments
from warehouse.regions import resolve
from warehouse.rows import insert_rows

TABLE = """
CREATE TABLE IF NOT EXISTS bodies (
    name VARCHAR NOT NULL,               -- the body's name, as the registry gives it
    division_code VARCHAR NOT NULL,      -- 行政区划代码 of the division it belongs to
    credit_code VARCHAR,                 -- 统一社会信用代码
    portal VARCHAR,                      -- its website, where its reports are published
    agency_key VARCHAR,                  -- the key its name resolves to, as in regions.agency_key
    province VARCHAR, city VARCHAR, county VARCHAR
);
"""

_HEADERS = {
    "name": "name", "名称": "name", "机关名称": "name", "单位名称": "name",
    "division_code": "division_code", "行政区划代码": "division_code", "区划代码": "division_code",
    "credit_code": "credit_code", "统一社会信用代码": "credit_code",
    "portal": "portal", "网站": "portal", "网址": "portal",
}
_DIVISION = re.compile(r"^\d{6}(?:\d{6})?$")  # six digits, or twelve (down to the township)
_CREDIT = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class RegistryError(ValueError):
    """The file is not a registry; the message names the line and the reason."""


@dataclass(frozen=True)
class Body:
    name: str
    division_code: str
    credit_code: str | None
    portal: str | None


def read_csv(path: Path) -> list[Body]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise RegistryError(f"{path}: cannot read: {e.strerror or e}") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as e:
            raise RegistryError(f"{path}: not a CSV text file (neither UTF-8 nor GB18030)") from e
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise RegistryError(f"{path}: empty")
    columns = [_HEADERS.get(h.strip().lower(), _HEADERS.get(h.strip(), "")) for h in rows[0]]
    for need in ("name", "division_code"):
        if need not in columns:
            raise RegistryError(f"{path}: no {need} column in the header line (have: {', '.join(rows[0])})")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        rec = {k: v.strip() for k, v in zip(columns, row, strict=False) if k}
        name, code = rec.get("name", ""), rec.get("division_code", "")
        if not name:
            raise RegistryError(f"{path}: line {n}: no name")
        if not _DIVISION.match(code):
            raise RegistryError(f"{path}: line {n}: division code {code!r} is not 6 or 12 digits")
        credit = rec.get("credit_code") or None
        if credit and not _CREDIT.match(credit):
            raise RegistryError(f"{path}: line {n}: {credit!r} is not a 统一社会信用代码 (18 characters)")
        out.append(Body(name, code, credit, rec.get("portal") or None))
    return out


def create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(TABLE)
    comments.apply(con, only=("bodies",))


def store(con: duckdb.DuckDBPyConnection, bodies: list[Body]) -> None:
    """Replace the registry, in one transaction."""
    create(con)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM bodies")
        rows: list[list[object]] = []
        for b in bodies:
            r = resolve(b.name)
            rows.append([b.name, b.division_code, b.credit_code, b.portal, r.agency_key or None,
                         r.province, r.city, r.county])
        insert_rows(con, "bodies", rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def has_registry(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        row = con.execute("SELECT count(*) FROM bodies").fetchone()
    except duckdb.CatalogException:
        return False
    return bool(row and row[0])
