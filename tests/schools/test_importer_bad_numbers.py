"""A grade written with digits int() does not read ("²", which str.isdigit() accepts) is a bad
value of its row, not a crash of the whole import."""

import pytest

from schools.importers.parsing import BadValue, parse_grade


@pytest.mark.parametrize("value", ["²", "١", "³"])
def test_a_grade_in_digits_that_are_not_ascii_is_a_bad_value(value):
    with pytest.raises(BadValue, match="Not a grade code"):
        parse_grade(value)


@pytest.mark.parametrize(("value", "code"), [("9", "09"), ("12", "12"), ("KG", "KG")])
def test_a_grade_in_ascii_digits_is_read(value, code):
    assert parse_grade(value) == code
