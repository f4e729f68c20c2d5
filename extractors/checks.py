"""The template's own arithmetic (勾稽关系 and totals) evaluated on the facts of one document.

A rule is evaluated where every cell it needs was read; a failure names the cells and both sides.
Nothing is corrected here: the numbers stay as printed and the failed check warns about them.
"""

from __future__ import annotations

from extractors.report import Check, Fact, Report
from extractors.template import Template

_EPS = 1e-6

# 表三's 勾稽关系, per column: these rows on the left add up to those on the right
BALANCE = (("new_received", "carried_over"), ("total_processed", "carried_forward"))


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


def sum_rules(template: Template, values: dict[str, float] | set[str]) -> list[tuple[str, str, list[str]]]:
    """(rule id, total cell, part cells) of every sum the template prints: row totals of 表三 and
    表四, and 表三's outcome total per column. `values` says which cells the report holds, so that
    （六）其他处理 printed as one row stands for its three sub-rows."""
    apps = template.table("applications")
    cols = list(apps.cols)
    rows = [r.id for r in apps.rows]
    outcome = rows[rows.index("granted") : rows.index("total_processed")]
    if "other_processing" not in rows and any(f"applications.other_processing.{c}" in values for c in cols):
        outcome = [r for r in outcome if not r.startswith("other_")] + ["other_processing"]
        rows.append("other_processing")
    rules = [("applications.row_total", f"applications.{r}.total", [f"applications.{r}.{c}" for c in cols[:-1]])
             for r in rows]
    rules += [("applications.outcome_total", f"applications.total_processed.{c}",
               [f"applications.{r}.{c}" for r in outcome]) for c in cols]
    rl = template.table("review_litigation")
    rules += [("review_litigation.row_total", f"review_litigation.{r.id}.total",
               [f"review_litigation.{r.id}.{c}" for c in rl.cols[:-1]]) for r in rl.rows]
    return rules


def run_checks(
    facts: tuple[Fact, ...] | list[Fact],
    template: Template,
    doubts: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
) -> list[Check]:
    """Every rule that the read cells allow, one failed check per doubted cell, and missing_cells."""
    read = [f for f in facts if f.method != "inferred"]
    values = {f.cell_id: f.value for f in read}
    checks: list[Check] = []

    app_cols = list(template.table("applications").cols)

    def a(r: str, c: str) -> str:
        return f"applications.{r}.{c}"

    left, right = BALANCE
    results: dict[str, list[str | None]] = {"applications.balance": [
        _sum_check_pair(values, [a(r, c) for r in left], [a(r, c) for r in right]) for c in app_cols]}
    for rule_id, total, parts in sum_rules(template, values):
        results.setdefault(rule_id, []).append(_sum_check(values, total, parts))
    for rule_id, outcomes in results.items():
        c = _rule(rule_id, outcomes)
        if c:
            checks.append(c)

    bad = [f for f in read if (f.value < 0 and f.cell_id not in template.signed)
           or (f.col_id != "amount" and not float(f.value).is_integer())]
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
    from extractors.template import load_template

    if report.template_version is None:
        return prose_checks(report.prose, report.facts)  # before the 2019 format: no template rules
    if report.template_version != template.version:
        template = load_template(report.template_version)  # the version the report was read with
    glued = [Check("glued_digits", not report.unsplit, "; ".join(report.unsplit) or
                   f"{report.split_rows} rows split from glued digits")] if report.unsplit or report.split_rows else []
    copies = [Check("printed_copies", not report.copies, "; ".join(report.copies) or
                    f"{report.copied_rows} rows printed more than once, alike")] if report.copied_rows else []
    # rows of numbers reconciliation found but could not place (a copy's rows whose labels were
    # lost, more orphans than rows): their numbers are in no fact, and that is said, not dropped
    unplaced = [Check("unplaced_rows", False, "; ".join(report.notes))] if report.notes else []
    return (run_checks(report.facts, template, report.doubts) + glued + copies + unplaced
            + prose_checks(report.prose, report.facts))
