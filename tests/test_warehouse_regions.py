"""Regions from agency names: province, city, county and division codes where the name has one
reading in the division list; the levels all readings share where it has several; nothing where
the place cannot be found. Never a guess."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from warehouse.regions import divisions, resolve

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# (agency as printed, province, city, county, adcode): checked by hand against the 2025 division list
KNOWN = [
    ("嘉祥县金屯镇人民政府", "山东省", "济宁市", "嘉祥县", "370829"),
    ("宝丰县大营镇人民政府", "河南省", "平顶山市", "宝丰县", "410421"),
    ("招远市金岭镇人民政府", "山东省", "烟台市", "招远市", "370685"),
    ("固阳县金山镇人民政府", "内蒙古自治区", "包头市", "固阳县", "150222"),
    ("金乡县人民政府办公室", "山东省", "济宁市", "金乡县", "370828"),
    ("淮安市洪泽区人民政府", "江苏省", "淮安市", "洪泽区", "320813"),
    ("洪泽区人民政府", "江苏省", "淮安市", "洪泽区", "320813"),
    ("淮安市人民政府", "江苏省", "淮安市", None, "320800"),
    ("上海市科委", "上海市", "上海市", None, "310100"),
    ("上海市人民政府办公厅", "上海市", "上海市", None, "310100"),
    ("沭阳县人民政府", "江苏省", "宿迁市", "沭阳县", "321322"),
    ("北京市海淀区人民政府", "北京市", "北京市", "海淀区", "110108"),
    ("广州市天河区教育局", "广东省", "广州市", "天河区", "440106"),
    ("四川省成都市武侯区人民政府", "四川省", "成都市", "武侯区", "510107"),
    ("重庆市巫山县人民政府", "重庆市", "重庆市", "巫山县", "500237"),
    ("长白县人民政府", "吉林省", "白山市", "长白朝鲜族自治县", "220623"),  # 自治县 printed short
    ("海西州人民政府", "青海省", "海西蒙古族藏族自治州", None, "632800"),
    ("湖北省仙桃市人民政府", "湖北省", None, "仙桃市", "429004"),  # no prefecture above it
    ("江苏省交通运输厅", "江苏省", None, None, "320000"),
    ("国家税务总局淮安市洪泽区税务局", "江苏省", "淮安市", "洪泽区", "320813"),
]


@pytest.mark.parametrize(("agency", "province", "city", "county", "adcode"), KNOWN, ids=[k[0] for k in KNOWN])
def test_a_name_with_one_reading_resolves_to_it(agency, province, city, county, adcode):
    r = resolve(agency)
    assert (r.status, r.province, r.city, r.county, r.adcode) == ("resolved", province, city, county, adcode)


def test_codes_are_nested_province_city_county():
    r = resolve("淮安市洪泽区人民政府")
    assert (r.province_code, r.city_code, r.county_code) == ("320000", "320800", "320813")


def test_a_township_is_kept_as_printed_after_its_county():
    assert resolve("嘉祥县金屯镇人民政府").town == "金屯镇"
    assert resolve("宁乡市城乡建设局").town is None  # 城乡 is no township


def test_a_district_without_its_city_resolves_only_when_unique():
    r = resolve("鼓楼区人民政府")  # 南京, 福州, 徐州, 开封
    assert r.status == "ambiguous"
    assert (r.province, r.city, r.county, r.adcode) == (None, None, None, None)
    assert "南京市" in r.note and "福州市" in r.note


def test_an_ambiguous_name_fills_only_the_levels_every_reading_shares():
    r = resolve("河北省新华区人民政府")  # 石家庄 and 沧州 both have a 新华区
    assert (r.status, r.province, r.city, r.county) == ("ambiguous", "河北省", None, None)


def test_an_ocr_misreading_stays_unresolved():
    r = resolve("沐阳县人民政府")  # 沭阳县 misread
    assert r.status == "unresolved"
    assert (r.province, r.city, r.county, r.adcode) == (None, None, None, None)


def test_a_known_place_followed_by_an_unknown_one_is_partial():
    r = resolve("东阳市湖滨区人民政府")  # 东阳市 exists, it has no 湖滨区
    assert r.status == "partial"
    assert r.county == "东阳市" and "湖滨区" in r.note


def test_central_bodies_are_national_not_unresolved():
    assert resolve("国家统计局").status == "national"
    assert resolve("教育部").status == "national"


def test_no_agency_is_recorded_as_such():
    assert resolve(None).status == "no_agency"
    assert resolve("  ").status == "no_agency"


def test_one_body_printed_two_ways_has_one_key():
    assert resolve("洪泽区人民政府").agency_key == resolve("淮安市洪泽区人民政府").agency_key
    assert resolve("淮安市人民政府").agency_key != resolve("淮安市人民政府办公室").agency_key


def test_the_division_list_is_the_packaged_one_and_complete():
    d = divisions()
    assert len(d.by_code) > 3000
    assert d.by_code["320813"].name == "洪泽区"
    assert {c.level for c in d.by_code.values()} == {"province", "city", "county"}


def _gold_agencies() -> list[str]:
    files = [SHARED / "gold" / "seeds.json", SHARED / "real" / "gold.json",
             *sorted((ROOT / "tests" / "fixtures").glob("*/gold.json"))]
    names = []
    for f in files:
        if f.is_file():
            names += [e["agency"] for e in json.loads(f.read_text("utf-8"))["documents"].values()]
    return sorted(set(names))


def _filled_names_agree(agency: str, r) -> bool:
    """Levels filled are nested (codes share their prefix) and the deepest is named in the agency,
    officially or in its short form (长白县 for 长白朝鲜族自治县)."""
    p, c, k = r.province_code, r.city_code, r.county_code
    if not (p or c or k):
        return True
    if (p and (c or k) and (c or k)[:2] != p[:2]) or (c and k and k[:4] != c[:4]):
        return False
    name = divisions().by_code[k or c or p].name
    short = re.sub(r"^(\S{2,}?)(?:\S{1,5}?族)+自治(县|州|旗)$", r"\1\2", name)
    return name in agency or short in agency


def test_every_gold_agency_is_resolved_right_or_left_open():
    """Seeds, real reports and the fixture corpus: where a region is filled it agrees with the name,
    and where it is not the status says why."""
    names = _gold_agencies()
    assert names
    for a in names:
        r = resolve(a)
        assert r.status in ("resolved", "ambiguous", "partial", "unresolved", "national"), a
        if r.status != "resolved":
            assert r.note, a
        assert _filled_names_agree(a, r), (a, r)


def test_seed_and_real_agencies_resolve_but_for_the_ocr_misreading():
    files = [SHARED / "gold" / "seeds.json", SHARED / "real" / "gold.json"]
    names = {e["agency"] for f in files if f.is_file() for e in json.loads(f.read_text("utf-8"))["documents"].values()}
    if not names:
        pytest.skip("shared gold not present")
    unresolved = {a for a in names if resolve(a).status != "resolved"}
    assert unresolved <= {"沐阳县人民政府"}
    assert len(names - unresolved) / len(names) >= 0.9
