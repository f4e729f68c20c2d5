"""The fixture corpus's gold agrees with the template: valid cell ids, every template cell either
given or declared missing, the printed numbers obey the rules except the one declared broken, and
each agency sits in the real place its gold region names."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from extractors.checks import run_checks
from extractors.report import Fact
from extractors.template import load_template
from warehouse.regions import Division, divisions, resolve

FIXTURES = Path(__file__).parent / "fixtures"
CORPORA = ("pdf", "docx", "html", "scan")
GOLD_FILES = [FIXTURES / c / "gold.json" for c in CORPORA if (FIXTURES / c / "gold.json").exists()]
KINDS = {"pdf-text", "docx", "html", "pdf-scan"}
LEVELS = ("province", "city", "county")
RULES = {"applications.balance", "applications.row_total", "applications.outcome_total",
         "review_litigation.row_total"}


def _documents() -> list[tuple[str, str, dict]]:
    out = []
    for g in GOLD_FILES:
        docs = json.loads(g.read_text("utf-8"))["documents"]
        out += [(g.parent.name, name, entry) for name, entry in docs.items()]
    return out


DOCS = _documents()
IDS = [f"{folder}/{name}" for folder, name, _ in DOCS]


def _variant_ids() -> set[str]:
    t = load_template().table("applications")
    return {f"applications.{r.id}.{c}" for r in t.variant_rows for c in t.cols}


def test_every_corpus_has_gold_and_the_benchmark_has_30_text_pdfs():
    assert [g.parent.name for g in GOLD_FILES] == list(CORPORA)
    assert sum(1 for _, _, e in DOCS if e["kind"] == "pdf-text") >= 30


def test_every_document_in_a_corpus_folder_has_gold():
    for c in CORPORA:
        on_disk = {p.name for p in (FIXTURES / c).iterdir()} - {"gold.json", "docx.sha256"}
        assert on_disk == {name for folder, name, _ in DOCS if folder == c}


@pytest.mark.parametrize(("folder", "name", "entry"), DOCS, ids=IDS)
def test_gold_names_an_existing_file_of_its_kind(folder, name, entry):
    assert (FIXTURES / folder / name).is_file()
    assert entry["kind"] in KINDS
    assert isinstance(entry["agency"], str) and entry["agency"]
    assert entry["agency"] in entry.get("agency_accept", [entry["agency"]])
    assert 2021 <= entry["year"] <= 2025


@pytest.mark.parametrize(("folder", "name", "entry"), DOCS, ids=IDS)
def test_gold_cell_ids_are_template_ids(folder, name, entry):
    valid = set(load_template().cell_ids()) | _variant_ids()
    assert set(entry["cells"]) <= valid
    assert set(entry["missing"]) <= set(load_template().cell_ids())


@pytest.mark.parametrize(("folder", "name", "entry"), DOCS, ids=IDS)
def test_cells_and_missing_cover_the_template_once(folder, name, entry):
    ids = set(load_template().cell_ids())
    given = set(entry["cells"]) & ids
    missing = set(entry["missing"])
    assert not given & missing
    assert given | missing == ids


@pytest.mark.parametrize(("folder", "name", "entry"), DOCS, ids=IDS)
def test_other_processing_row_replaces_its_three_sub_rows(folder, name, entry):
    single = any(k.startswith("applications.other_processing.") for k in entry["cells"])
    subs = [k for k in entry["cells"] if k.split(".")[1] in ("other_no_correction", "other_unpaid_fee", "other_reason")]
    assert not (single and subs)


@pytest.mark.parametrize(("folder", "name", "entry"), DOCS, ids=IDS)
def test_numbers_obey_the_rules_except_the_declared_failure(folder, name, entry):
    facts = []
    for cid, v in entry["cells"].items():
        t, r, c = cid.split(".")
        facts.append(Fact(t, r, c, float(v), "text", str(v)))
    failed = {c.rule_id for c in run_checks(facts, load_template()) if not c.passed} - {"missing_cells"}
    declared = entry["expect_rule_failure"]
    assert declared is None or declared in RULES
    assert failed == ({declared} if declared else set())


def test_each_breakable_rule_is_broken_by_some_document():
    assert {e["expect_rule_failure"] for _, _, e in DOCS} >= RULES


def test_consecutive_reports_of_one_agency_carry_the_same_applications():
    reports = {(e["agency"], e["year"]): e for folder, _, e in DOCS if folder != "scan"}
    pairs = [(reports[(a, y - 1)], e) for (a, y), e in reports.items() if (a, y - 1) in reports]
    assert pairs, "the corpus should hold at least one agency in consecutive years"
    cols = load_template().table("applications").cols
    for prev, this in pairs:
        for c in cols:
            before = prev["cells"].get(f"applications.carried_forward.{c}")
            now = this["cells"].get(f"applications.carried_over.{c}")
            if before is not None and now is not None:
                assert now == before


# ---------------------------------------------------------------- places


def _division(name: str, level: str, inside: Division | None = None) -> Division:
    found = [d for d in divisions().by_name.get(name, ()) if d.level == level and (inside is None or inside.contains(d))]
    assert len(found) == 1, (name, level, inside, found)
    return found[0]


def test_the_generators_places_are_real_chains_and_what_is_printed_alone_is_unique(monkeypatch):
    monkeypatch.syspath_prepend(str(FIXTURES))
    g = importlib.import_module("gen_text")
    for prov in g.PROVINCES:
        _division(prov, "province")
    for prov, city, districts in g.CITIES:
        c = _division(city, "city", _division(prov, "province"))
        for name in districts:
            _division(name, "county", c)
    for prov, city, name in g.DISTRICTS + g.COUNTIES:
        inner = _division(name, "county", _division(city, "city", _division(prov, "province")))
        assert divisions().by_name[name] == (inner,), f"{name} is printed alone but is not unique"


@pytest.mark.parametrize(("folder", "name", "entry"), DOCS, ids=IDS)
def test_gold_region_is_a_chain_of_real_divisions_ending_in_the_place_printed(folder, name, entry):
    names = [entry["region"][level] for level in LEVELS]
    depth = sum(n is not None for n in names)
    assert depth and all(names[:depth]) and not any(names[depth:])
    above = None
    for place, level in zip(names[:depth], LEVELS):
        above = _division(place, level, above)
    assert names[depth - 1] in entry["agency"]


def test_the_warehouse_reads_the_drawn_region_from_95_percent_of_agencies_and_nothing_else():
    """The product requirement on fixture agencies: filled down to the level drawn for at least 95%,
    and never a level that differs from the one drawn."""
    agencies = {e["agency"]: e["region"] for _, _, e in DOCS}
    full = 0
    for agency, want in agencies.items():
        r = resolve(agency)
        got = {"province": r.province, "city": r.city, "county": r.county}
        assert all(got[lv] in (None, want[lv]) for lv in got), (agency, r)
        full += got == want
    assert full / len(agencies) >= 0.95
