"""Missing cells the rules pin down are stored as inferred, never as read."""

from extractors.infer import infer_missing
from extractors.report import Fact
from extractors.template import load_template

T = load_template()
COLS = ["natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
        "legal_service_org", "other_org", "total"]


def row(r, values):
    return [Fact("applications", r, c, float(v), "text") for c, v in zip(COLS, values) if v is not None]


def test_blank_total_is_the_sum_of_its_row():
    (f,) = infer_missing(row("carried_forward", [1, 0, 0, 0, 0, 0, None]), T)
    assert (f.cell_id, f.value, f.method) == ("applications.carried_forward.total", 1.0, "inferred")


def test_blank_item_is_total_minus_the_others():
    (f,) = infer_missing(row("granted", [None, 2, 0, 0, 0, 0, 5]), T)
    assert (f.cell_id, f.value) == ("applications.granted.natural_person", 3.0)


def test_two_blanks_in_a_row_are_not_guessed():
    assert infer_missing(row("granted", [None, None, 0, 0, 0, 0, 5]), T) == []


def test_inconsistent_numbers_infer_nothing():
    assert infer_missing(row("granted", [None, 9, 0, 0, 0, 0, 5]), T) == []
