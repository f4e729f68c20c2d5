"""The template's arithmetic: failures are reported with the numbers as printed."""

from extractors.checks import run_checks
from extractors.report import Fact
from extractors.template import load_template

T = load_template()


def facts(table, row, values, cols):
    return [Fact(table, row, c, float(v), "text") for c, v in zip(cols, values)]


RL = ["upheld", "corrected", "other_result", "pending", "total"]


def failed(fs, doubts=()):
    return {c.rule_id for c in run_checks(fs, T, doubts) if not c.passed}


def test_table_four_total_printed_zero_beside_items_fails():
    fs = facts("review_litigation", "administrative_review", [10, 1, 0, 0, 0], RL)
    assert "review_litigation.row_total" in failed(fs)


def test_table_four_consistent_passes():
    fs = facts("review_litigation", "administrative_review", [10, 1, 0, 0, 11], RL)
    assert "review_litigation.row_total" not in failed(fs)


def test_rule_not_evaluated_without_its_cells():
    fs = facts("review_litigation", "administrative_review", [10, 1], RL)
    rules = {c.rule_id for c in run_checks(fs, T)}
    assert "review_litigation.row_total" not in rules


def test_missing_cells_listed():
    fs = facts("review_litigation", "administrative_review", [1, 0, 0, 0, 1], RL)
    miss = next(c for c in run_checks(fs, T) if c.rule_id == "missing_cells")
    assert not miss.passed and "applications.new_received.total" in miss.detail


def test_fractional_count_is_flagged():
    fs = [Fact("applications", "granted", "natural_person", 1.5, "text", "1.5")]
    assert "applications.granted.natural_person" in failed(fs)


def test_doubted_cell_becomes_failed_check():
    fs = facts("review_litigation", "administrative_review", [1, 0, 0, 0, 1], RL)
    assert "review_litigation.administrative_review.upheld" in failed(
        fs, [("review_litigation.administrative_review.upheld", "OCR confidence 0.40")])
