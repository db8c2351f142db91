"""The strict number parser: what a learner may type in a cell or on the command line.

Expected values are written out by hand; every refusal must say why in words a learner reads.
"""

from __future__ import annotations

import math

import pytest

from model.config import MAX_SEED
from model.parsing import (
    ECHO_LENGTH,
    LIMIT,
    NumberError,
    parse_integer,
    parse_number,
    parse_vector,
    quote_text,
)


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


def test_vector_count_message_caps_a_long_text() -> None:
    """50,000 items: the count is given, but the text is repeated only as a short head."""
    text = ",".join(["1"] * 50_000)
    with pytest.raises(NumberError) as caught:
        parse_vector(text, 4)
    message = str(caught.value)
    assert message == (
        "expected exactly 4 comma-separated numbers, got 50000 in "
        "'1,1,1,1,1,1,1,1,1,1,1,1,…' (99,999 characters)"
    )


def test_vector_item_message_caps_a_long_item() -> None:
    """A 100,000-digit item is named and shown by its head and length, never in full."""
    digits = "9" * 100_000
    with pytest.raises(NumberError) as caught:
        parse_vector(f"1,{digits},2,3", 4)
    message = str(caught.value)
    head = "9" * ECHO_LENGTH
    assert message == (
        f"item 2 ({head}… (100,000 characters)): "
        f"'{head}…' (100,000 characters) is outside the allowed range of ±1,000,000"
    )


# quote_text: how an error message repeats what was typed --------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("abc", "'abc'"),
        ("", "''"),
        ("1\n2", "'1\\n2'"),  # a newline would split the message over two lines
        ("a\r\tb", "'a\\r\\tb'"),
        ("x\x00y", "'x\\x00y'"),
        ("1\u20282", "'1\\u20282'"),  # LINE SEPARATOR: str.splitlines() breaks on it
        ("2\u200b5", "'2\\u200b5'"),  # zero-width space: invisible, yet refused
        ("\u2212\u0663 \u00e9", "'\u2212\u0663 \u00e9'"),  # printable text stays as typed
        ("1" * ECHO_LENGTH, f"'{'1' * ECHO_LENGTH}'"),
    ],
)
def test_quote_text_escapes_and_keeps_short_text(text: str, shown: str) -> None:
    """Short texts come back whole and quoted, with unprintable characters escaped."""
    assert quote_text(text) == shown


def test_quote_text_caps_long_text() -> None:
    """One character over the cap: the head, an ellipsis and the full length."""
    text = "1234567890" * 10_000
    assert quote_text(text) == "'123456789012345678901234…' (100,000 characters)"
    assert quote_text("x" * (ECHO_LENGTH + 1), quote="") == f"{'x' * ECHO_LENGTH}… (25 characters)"


def test_quote_text_escapes_within_the_cap() -> None:
    """A newline in the head of a long text is escaped too."""
    text = "a\nb" + "c" * 100
    shown = quote_text(text)
    assert "\n" not in shown
    assert shown.startswith("'a\\nbccc")
    assert shown.endswith("…' (103 characters)")


@pytest.mark.parametrize(
    "text",
    [
        "9" * 100_000,
        "1,5" * 50_000,
        "x" * 100_000,
        "\u0661" * 100_000,
        "nan" + " " * 100_000 + "x",
    ],
)
def test_number_errors_repeat_a_long_text_only_briefly(text: str) -> None:
    """Whatever is wrong with a 100,000-character text, the message stays short."""
    for separator in (".", ","):
        with pytest.raises(NumberError) as caught:
            parse_number(text, decimal_separator=separator)
        message = str(caught.value)
        assert len(message) < 200, message
        assert "characters)" in message


@pytest.mark.parametrize("text", ["1\n2", "1\r\n2", "1\u20282", "1\x1e2", "1\x0b2", "1\x852"])
def test_number_errors_stay_on_one_line(text: str) -> None:
    """A line break inside a value is shown escaped: the message is exactly one line."""
    for separator in (".", ","):
        with pytest.raises(NumberError) as caught:
            parse_number(text, decimal_separator=separator)
        message = str(caught.value)
        assert message.splitlines() == [message]
        assert ascii(text[1:-1])[1:-1] in message


# parse_number's bound --------------------------------------------------------------------------


def test_bound_defaults_to_the_cells_limit() -> None:
    """Without a bound, a cell's ±1,000,000 applies; the limit itself is allowed."""
    assert parse_number("-1e6") == -LIMIT
    with pytest.raises(NumberError, match="outside the allowed range of ±1,000,000"):
        parse_number("1000000.5")


@pytest.mark.parametrize(("bound", "shown"), [(2.0, "±2"), (1e9, "±1,000,000,000"), (0.5, "±0.5")])
def test_bound_is_stated_in_the_message(bound: float, shown: str) -> None:
    """A caller's own bound replaces the cells' one, and the message states it."""
    assert parse_number(f"{bound}", bound=bound) == bound
    assert parse_number(f"-{bound}", bound=bound) == -bound
    with pytest.raises(NumberError, match=f"outside the allowed range of {shown}$"):
        parse_number(f"{bound * 1.5}", bound=bound)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e7", 1e7),
        ("-1e300", -1e300),
        ("inf", math.inf),
        ("-inf", -math.inf),
        ("\u2212Infinity", -math.inf),
        ("1e999", math.inf),
        ("-1e999", -math.inf),
    ],
)
def test_unbounded_leaves_the_range_to_the_caller(text: str, expected: float) -> None:
    """With bound=inf every magnitude comes back, for the caller's own range check to refuse."""
    assert parse_number(text, bound=math.inf) == expected


@pytest.mark.parametrize("text", ["nan", "-NaN", "abc", "1_000", ""])
def test_unbounded_still_refuses_what_is_not_a_number(text: str) -> None:
    """No bound is no licence: NaN and typos are refused as before."""
    with pytest.raises(NumberError):
        parse_number(text, bound=math.inf)


# parse_integer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "expected"),
    [
        ("5", 1, 10_000, 5),
        ("1", 1, 10_000, 1),
        ("10000", 1, 10_000, 10_000),
        ("0", 0, MAX_SEED, 0),
        ("2147483647", 0, MAX_SEED, 2_147_483_647),
        ("007", 1, 10, 7),
        ("0" * 100_000 + "7", 1, 10, 7),  # as long as int() refuses, yet seven
        ("-0", 0, 5, 0),
        ("-3", -5, 5, -3),
    ],
)
def test_integer_accepts_plain_digits(text: str, low: int, high: int, expected: int) -> None:
    """ASCII digits within the range give that whole number, the bounds included."""
    assert parse_integer(text, low, high) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("\u0663", "'\u0663' uses non-ASCII digits"),  # Arabic-Indic ٣, which int() accepts
        ("\uff13", "'\uff13' uses non-ASCII digits"),  # fullwidth three, which int() accepts
        ("1\u0663", "'1\u0663' uses non-ASCII digits"),
        ("1_0", "'1_0' has a thousands separator or a space"),
        ("1,000", "'1,000' has a thousands separator or a space"),
        (" 3", "' 3' has a thousands separator or a space"),
        ("3 ", "'3 ' has a thousands separator or a space"),
        ("1 0", "'1 0' has a thousands separator or a space"),
        ("3\n", "'3\\n' has a thousands separator or a space"),
        ("+2", "'+2' has a plus sign"),
        ("2.5", "'2.5' is not a whole number"),
        ("1e3", "'1e3' is not a whole number"),
        ("abc", "'abc' is not a whole number"),
        ("-", "'-' is not a whole number"),
        ("--1", "'--1' is not a whole number"),
        ("0x10", "'0x10' is not a whole number"),
        ("", "the value is empty"),
    ],
)
def test_integer_refuses_what_int_accepts(text: str, reason: str) -> None:
    """Each spelling int() lets through (or a typo) is refused with its reason and the range."""
    with pytest.raises(NumberError) as caught:
        parse_integer(text, 1, 10_000)
    message = str(caught.value)
    assert message.startswith(reason), message
    assert message.endswith("; type a whole number from 1 to 10000 with the digits 0-9")


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("0", 1, 10_000),
        ("10001", 1, 10_000),
        ("-1", 0, MAX_SEED),
        ("2147483648", 0, MAX_SEED),
        ("-5", 1, 1024),
        ("1025", 1, 1024),
        ("99999999999", 1, 1024),
    ],
)
def test_integer_out_of_range_states_the_range(text: str, low: int, high: int) -> None:
    """A well-formed number outside the range is refused for its range, not its spelling."""
    with pytest.raises(NumberError) as caught:
        parse_integer(text, low, high)
    assert str(caught.value) == f"'{text}' is outside the allowed range of {low} to {high}"


@pytest.mark.parametrize("sign", ["", "-"])
def test_integer_too_long_for_int_is_out_of_range(sign: str) -> None:
    """100,000 digits: refused for the range (int() itself would raise), shown briefly."""
    with pytest.raises(NumberError) as caught:
        parse_integer(sign + "1" * 100_000, 0, MAX_SEED)
    shown = (sign + "1" * ECHO_LENGTH)[:ECHO_LENGTH]
    length = f"{100_000 + len(sign):,}"
    assert str(caught.value) == (
        f"'{shown}…' ({length} characters) is outside the allowed range of 0 to {MAX_SEED}"
    )


def test_integer_error_is_a_number_error() -> None:
    """Callers catch one exception type for both parsers."""
    with pytest.raises(NumberError):
        parse_integer("x", 0, 1)
