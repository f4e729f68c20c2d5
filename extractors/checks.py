"""The template's own arithmetic (勾稽关系 and totals) evaluated on the facts of one document.

A rule is evaluated where every cell it needs was read; a failure names the cells and both sides.
Nothing is corrected here: the numbers stay as printed and the failed check warns about them.
"""

from __future__ import annotations

from extractors.report import Check, Fact, Report
from extractors.template import Template

_EPS = 1e-6


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _sum_check(values: dict[str, float], total: str, parts: list[str]) -> str | None:
    """None if the cells are all present and add up; '' if some are absent; else what failed."""
    if total not in values or any(p not in values for p in parts):
        return ""
    s = sum(values[p] for p in parts)
    if abs(s - values[total]) > _EPS:
        return f"{total}={_fmt(values[total])} but parts sum to {_fmt(s)}"
    return None


def _rule(rule_id: str, outcomes: list[str | None]) -> Check | None:
    failures = [o for o in outcomes if o]
    evaluated = [o for o in outcomes if o != ""]
    if not evaluated:
        return None
    return Check(rule_id, not failures, "; ".join(failures))


def run_checks(
    facts: tuple[Fact, ...] | list[Fact],
    template: Template,
    doubts: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
) -> list[Check]:
    """Every rule that the read cells allow, one failed check per doubted cell, and missing_cells."""
    read = [f for f in facts if f.method != "inferred"]
    values = {f.cell_id: f.value for f in read}
    checks: list[Check] = []

    apps = template.table("applications")
    app_cols = list(apps.cols)
    person_cols = app_cols[:-1]
    row_ids = [r.id for r in apps.rows]
    outcome_rows = row_ids[row_ids.index("granted") : row_ids.index("total_processed")]
    if any(f"applications.other_processing.{c}" in values for c in app_cols):
        # the report prints （六）其他处理 as one row standing for its three sub-rows
        outcome_rows = [r for r in outcome_rows if not r.startswith("other_")] + ["other_processing"]
        row_ids = row_ids + ["other_processing"]

    def a(r: str, c: str) -> str:
        return f"applications.{r}.{c}"

    results = [
        ("applications.balance", [
            _sum_check_pair(values, [a("new_received", c), a("carried_over", c)],
                            [a("total_processed", c), a("carried_forward", c)]) for c in app_cols]),
        ("applications.row_total", [
            _sum_check(values, a(r, "total"), [a(r, c) for c in person_cols]) for r in row_ids]),
        ("applications.outcome_total", [
            _sum_check(values, a("total_processed", c), [a(r, c) for r in outcome_rows]) for c in app_cols]),
    ]
    rl = template.table("review_litigation")
    results.append(("review_litigation.row_total", [
        _sum_check(values, f"review_litigation.{r.id}.total", [f"review_litigation.{r.id}.{c}" for c in rl.cols[:-1]])
        for r in rl.rows]))
    for rule_id, outcomes in results:
        c = _rule(rule_id, outcomes)
        if c:
            checks.append(c)

    bad = [f for f in read if f.value < 0 or (f.col_id != "amount" and not float(f.value).is_integer())]
    if read:
        checks.append(Check("nonnegative", not bad, "; ".join(f"{f.cell_id}={f.raw_text}" for f in bad)))
    for f in bad:
        checks.append(Check(f.cell_id, False, f"not a non-negative {'amount' if f.col_id == 'amount' else 'count'}: {f.raw_text}"))

    for cell_id, why in doubts:
        checks.append(Check(cell_id, False, why))

    missing = [cid for cid in template.cell_ids() if cid not in values and not _covered_by_variant(cid, values)]
    checks.append(Check("missing_cells", not missing, " ".join(missing)))
    return checks


def _sum_check_pair(values: dict[str, float], left: list[str], right: list[str]) -> str | None:
    if any(k not in values for k in left + right):
        return ""
    ls, rs = sum(values[k] for k in left), sum(values[k] for k in right)
    if abs(ls - rs) > _EPS:
        return f"{'+'.join(left)}={_fmt(ls)} but {'+'.join(right)}={_fmt(rs)}"
    return None


def _covered_by_variant(cell_id: str, values: dict[str, float]) -> bool:
    """other_no_correction/other_unpaid_fee/other_reason are not missing where the report prints
    the single （六）其他处理 row instead."""
    t, r, c = cell_id.split(".")
    return t == "applications" and r.startswith("other_") and f"applications.other_processing.{c}" in values


def check_report(report: Report, template: Template) -> list[Check]:
    """All checks of one document: the template's rules, doubted cells, prose against the tables."""
    from extractors.prose import prose_checks

    return run_checks(report.facts, template, report.doubts) + prose_checks(report.prose, report.facts)
