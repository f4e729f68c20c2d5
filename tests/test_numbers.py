import pytest

from extractors.numbers import is_blank, parse_number, split_numbers


@pytest.mark.parametrize("text,value", [
    ("0", 0), ("１２", 12), ("1,234", 1234), ("7730.28", 7730.28), (" 15 ", 15),
    ("55（含自然失效29件）", 55), ("55（含自然失效29件", 55),
])
def test_numbers_as_printed(text, value):
    assert parse_number(text) == value


# a stroke read before a label's item numbering is no number with an annotation
@pytest.mark.parametrize("text", ["规章", "2023 年", "1.属于国家秘密", "", "第二十条", "1（二）部分公开（区分处理的，只"])
def test_not_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["", " ", "—", "-", "/"])
def test_blank_markers(text):
    assert is_blank(text)


def test_zero_is_not_blank():
    assert not is_blank("0")


def test_cell_with_several_numbers_splits():
    assert split_numbers("14 2 0") == ["14", "2", "0"]
    assert split_numbers("结果 维持") is None


def test_a_zero_spaced_from_the_next_digits_is_two_numbers_not_one():
    """No number is printed with a leading zero: "0 1" is two cells run together, as OCR's word
    layout leaves them where two columns' header stagger; never the number 1."""
    assert parse_number("0 1") is None
    assert split_numbers("0 1") == ["0", "1"]
    assert parse_number("10 5") == 105  # spaced digits of one number stay one number


def test_digits_with_a_leading_zero_spaced_from_more_are_two_numbers_not_one():
    # a rule's stub read as 1 beside a cell's 0, then the next cell's 0: "01 0" is never 10
    assert parse_number("01 0") is None
    assert parse_number("0.5万元") == 0.5
