"""End to end on reports hypothesis makes up: template values that satisfy every rule (or break one,
as careless authors do), rendered by the fixture generator as an HTML page and a Word file with a
layout drawn from a seed, then ingested in-process. Every cell must come back exactly as printed,
or carry a failed check (on its table or itself), and nothing may be read that was not printed."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.template import load_template
from flows.pipeline import process
from tests.goldcheck import flagged

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from gen_docx import build_docx
from gen_html import html_bytes
from gen_numbers import OUTCOME_ROWS, PERSON_COLS, RL_ROWS, RULES_BREAKABLE, break_rule
from gen_text import AGENCY_KINDS, prose
from generate import HTML_PAGES, make_spec

T = load_template()
# few examples, the corpus tests cover breadth: an HTML page renders and reads in about 0.3 s of CPU,
# a Word file in 3.5 s (python-docx finds a cell by walking the table)
E2E_HTML = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
E2E_DOCX = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
count = st.integers(0, 9) | st.integers(0, 3000)


@st.composite
def values(draw) -> dict[str, float]:
    """Every template cell, the rules holding: row totals, outcome totals, the balance per column."""
    v: dict[str, float] = {}
    for row, cols in (("regulations", ("issued", "repealed", "in_force")),
                      ("normative_documents", ("issued", "repealed", "in_force")),
                      ("administrative_licensing", ("decisions",)), ("administrative_penalty", ("decisions",)),
                      ("administrative_coercion", ("decisions",))):
        for c in cols:
            v[f"active_disclosure.{row}.{c}"] = draw(count)
    v["active_disclosure.administrative_fees.amount"] = draw(st.integers(0, 99999)) / 100
    for c in PERSON_COLS:
        done = 0
        for r in OUTCOME_ROWS:
            v[f"applications.{r}.{c}"] = n = draw(count)
            done += n
        v[f"applications.total_processed.{c}"] = done
        forward = v[f"applications.carried_forward.{c}"] = draw(count)
        over = v[f"applications.carried_over.{c}"] = draw(st.integers(0, done + forward))
        v[f"applications.new_received.{c}"] = done + forward - over
    for r in (*OUTCOME_ROWS, "new_received", "carried_over", "total_processed", "carried_forward"):
        v[f"applications.{r}.total"] = sum(v[f"applications.{r}.{c}"] for c in PERSON_COLS)
    for r in RL_ROWS:
        parts = [draw(count) for _ in range(4)]
        for c, n in zip(("upheld", "corrected", "other_result", "pending"), parts, strict=True):
            v[f"review_litigation.{r}.{c}"] = n
        v[f"review_litigation.{r}.total"] = sum(parts)
    return {k: float(x) for k, x in v.items()}


@st.composite
def reports(draw):
    seed = draw(st.integers(0, 10**6))
    rng = random.Random(seed)
    rule = draw(st.none() | st.sampled_from(RULES_BREAKABLE))
    printed = draw(values())
    if rule:
        printed = break_rule(rng, printed, rule)
    spec = make_spec(rng, "g", "html", agency_kind=draw(st.sampled_from(AGENCY_KINDS)),
                     year=draw(st.integers(2021, 2025)))
    apps = int(printed["applications.new_received.total"])
    return replace(spec, values=printed, rule=rule, prose=prose(rng, spec.agency, spec.year, apps, 1)), rng


def _every_cell_back_or_warned(data: bytes, name: str, printed: dict[str, float]) -> None:
    p = process(data, name, T)
    assert p.loaded.status == "ok", p.loaded.error
    got = {f.cell_id: f.value for f in p.report.facts if f.method != "inferred"}
    failed = {c.rule_id for c in p.checks if not c.passed}
    wrong = {c: (got.get(c), v) for c, v in printed.items()
             if got.get(c) is None or abs(got[c] - v) > 1e-6}
    assert {c: w for c, w in wrong.items() if w[0] is None} == {}, "cells not read"
    assert {c: w for c, w in wrong.items() if not flagged(failed, c)} == {}
    assert set(got) <= set(printed)


@E2E_HTML
@given(reports(), st.sampled_from(HTML_PAGES))
def test_html_report_reads_back_exactly_or_warned(report, page) -> None:
    spec, rng = report
    _every_cell_back_or_warned(html_bytes(spec, page, rng), "g.html", spec.values)


@E2E_DOCX
@given(reports())
def test_docx_report_reads_back_exactly_or_warned(report) -> None:
    spec, _ = report
    _every_cell_back_or_warned(build_docx(spec), "g.docx", spec.values)
