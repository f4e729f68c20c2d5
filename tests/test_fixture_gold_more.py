"""The gold of the fixture folders beside the main corpus (versions, glued, arrange, pages, sheets,
ofd) agrees with the template version each report follows: valid cell ids, every cell of that
version either given or declared missing, once; the printed numbers obey the rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.checks import run_checks
from extractors.report import Fact
from extractors.template import load_template

FIXTURES = Path(__file__).parent / "fixtures"
FOLDERS = ("versions", "glued", "arrange", "pages", "sheets", "ofd")
DOCS = [(f, name, e) for f in FOLDERS
        for name, e in json.loads((FIXTURES / f / "gold.json").read_text("utf-8"))["documents"].items()]
IDS = [f"{f}/{name}" for f, name, _ in DOCS]


@pytest.mark.parametrize(("folder", "name", "entry"), DOCS, ids=IDS)
def test_gold_covers_its_versions_cells_once(folder, name, entry):
    assert (FIXTURES / folder / name).is_file()
    if entry["template_version"] is None:
        assert entry["status"] == "old_format" and not entry["cells"]
        return
    template = load_template(entry["template_version"])
    ids = set(template.cell_ids())
    apps = template.table("applications")
    variant = {f"applications.{r.id}.{c}" for r in apps.variant_rows for c in apps.cols}  # （六）其他处理 as one row
    given, missing = set(entry["cells"]), set(entry["missing"])
    assert given <= ids | variant and missing <= ids
    assert not given & missing and (given & ids) | missing == ids
    assert set(entry.get("ambiguous", [])) <= given


@pytest.mark.parametrize(("folder", "name", "entry"), DOCS, ids=IDS)
def test_gold_numbers_obey_the_rules(folder, name, entry):
    if entry["template_version"] is None:
        return
    template = load_template(entry["template_version"])
    facts = [Fact(*cid.split("."), float(v), "text") for cid, v in entry["cells"].items()]  # type: ignore[call-arg]
    failed = {c.rule_id for c in run_checks(facts, template) if not c.passed and c.rule_id != "missing_cells"}
    assert failed == ({entry["expect_rule_failure"]} if entry.get("expect_rule_failure") else set())
