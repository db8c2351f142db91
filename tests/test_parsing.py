"""The strict number parser: what a learner may type in a cell or on the command line.

Expected values are written out by hand; every refusal must say why in words a learner reads.
"""

from __future__ import annotations

import pytest

from model.parsing import LIMIT, NumberError, parse_number, parse_vector


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e-7", 1e-7),
        (" 1.5 ", 1.5),
        ("-3", -3.0),
        ("+2", 2.0),
        ("1.23456", 1.23456),
        ("0", 0.0),
        (".5", 0.5),
        ("2.", 2.0),
        ("1E3", 1000.0),
        ("-1e6", -1e6),
        ("1e6", 1e6),
        ("\u22122", -2.0),  # typographic minus, as pasted from a handout
        ("\u20131.5", -1.5),  # en dash
        ("\t-0.25\n", -0.25),
    ],
)
def test_accepts_plain_numbers(text: str, expected: float) -> None:
    """Ordinary spellings give exactly the float a learner means (no rounding on the way)."""
    assert parse_number(text) == expected


def test_keeps_every_typed_digit() -> None:
    """1.23456 comes back bit-for-bit equal to the literal, not a nearby float."""
    value = parse_number("1.23456")
    assert value == 1.23456
    assert repr(value) == "1.23456"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,5", 1.5), ("-0,25", -0.25), ("\u22122,5", -2.5), ("1.5", 1.5), ("3", 3.0)],
)
def test_accepts_locale_decimal_comma(text: str, expected: float) -> None:
    """With a ',' locale the comma is the decimal point, and '.' still works too."""
    assert parse_number(text, decimal_separator=",") == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "not a number"),
        ("nan", "not a finite number"),
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("-inf", "not a finite number"),
        ("Infinity", "not a finite number"),
        ("\u2212inf", "not a finite number"),
        ("1e999", "outside the allowed range"),
        ("-1e999", "outside the allowed range"),
        ("1e7", "outside the allowed range"),
        ("-1000000.5", "outside the allowed range"),
        ("1,000.5", "thousands separator"),
        ("1,000", "thousands separator"),
        ("1_000", "thousands separator"),
        ("1 000", "thousands separator"),
        ("1'000", "thousands separator"),
        ("\u0661\u0662", "non-ASCII digits"),  # Arabic-Indic ١٢, which float() accepts
        ("1.5.2", "not a number"),
        ("--2", "not a number"),
        ("0x10", "not a number"),
        ("1e", "not a number"),
        ("e5", "not a number"),
    ],
)
def test_refuses_with_a_reason(text: str, reason: str) -> None:
    """Each typo is refused with NumberError whose message names what is wrong."""
    with pytest.raises(NumberError, match=reason):
        parse_number(text)


def test_number_error_is_a_value_error() -> None:
    """Callers that catch ValueError (argparse, Qt validators) also catch a refusal."""
    assert issubclass(NumberError, ValueError)


def test_range_message_states_the_limit() -> None:
    """The out-of-range message tells the learner the bound, one million."""
    assert LIMIT == 1e6
    with pytest.raises(NumberError, match="1,000,000"):
        parse_number("1e7")


@pytest.mark.parametrize("text", ["1.000,5", "1,000.5", "-1.5,2"])
def test_comma_locale_refuses_mixed_separators(text: str) -> None:
    """With a ',' locale, a text holding both '.' and ',' has a thousands separator: refused."""
    with pytest.raises(NumberError, match="thousands separators are not allowed"):
        parse_number(text, decimal_separator=",")


def test_comma_locale_refuses_two_commas() -> None:
    """'1,5,2' is not a number in a ',' locale either."""
    with pytest.raises(NumberError, match="not a number"):
        parse_number("1,5,2", decimal_separator=",")


def test_comma_is_not_a_decimal_point_in_dot_locale() -> None:
    """With the default '.' separator, '1,5' is refused rather than read as 15 or 1.5."""
    with pytest.raises(NumberError, match="stray comma"):
        parse_number("1,5")


# parse_vector ------------------------------------------------------------------------------


def test_vector_parses_the_seed_example() -> None:
    """The handout's '2,-1,0.5,3' is the four numbers it spells, spaces allowed."""
    assert parse_vector("2,-1,0.5,3", 4) == [2.0, -1.0, 0.5, 3.0]
    assert parse_vector(" 2 , \u22121 ,0.5, 3 ", 4) == [2.0, -1.0, 0.5, 3.0]


@pytest.mark.parametrize(
    ("text", "count"), [("1,2,3", 3), ("1,2,3,4,5", 5), ("", "nothing"), ("7", 1)]
)
def test_vector_wrong_count(text: str, count: int | str) -> None:
    """A wrong number of items is refused, saying how many were expected and found."""
    with pytest.raises(NumberError, match=f"expected exactly 4 .* got {count}"):
        parse_vector(text, 4)


@pytest.mark.parametrize(
    ("text", "position", "shown", "reason"),
    [
        ("1,x,3,4", 2, "x", "not a number"),
        ("1,,3,4", 2, "empty", "empty"),
        ("nan,1,2,3", 1, "nan", "not a finite number"),
        ("0,0,0,inf", 4, "inf", "not a finite number"),
        ("1e999,0,0,0", 1, "1e999", "outside the allowed range"),
        ("0,0,1_000,0", 3, "1_000", "thousands separator"),
    ],
)
def test_vector_names_the_bad_item(text: str, position: int, shown: str, reason: str) -> None:
    """The error gives the bad item's 1-based position, its text, and the reason."""
    with pytest.raises(NumberError) as caught:
        parse_vector(text, 4)
    message = str(caught.value)
    assert message.startswith(f"item {position} ({shown}): ")
    assert reason in message
