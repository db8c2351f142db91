"""One strict number parser shared by the input cells and the command line.

Python's ``float()`` accepts ``nan``, ``inf``, ``1_000``, Arabic-Indic digits and ``1e400``
(which becomes inf), and ``int()`` accepts ``+2``, ``1_0``, `` 3`` and fullwidth digits; Qt's
validators accept thousands separators. A learner's typo must be refused with a reason instead,
so this module decides what a number is, once.
"""

from __future__ import annotations

import math
import re
import unicodedata

#: The largest magnitude a cell accepts; beyond it every activation saturates and bars mislead.
LIMIT = 1e6
#: How much of a refused text an error message repeats; a pasted page must not flood stderr.
ECHO_LENGTH = 24

_MINUS_SIGNS = "\u2212\u2013"  # typographic minus and en dash, as pasted from handouts
#: "1.000" in a locale whose decimal separator is "," is a thousand to its writer ("0.125" is
#: not: no thousands group starts with 0).
_GROUPED_THOUSANDS = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: ASCII digits only ("\d" would take Arabic-Indic and fullwidth digits); a "-" so that "-1"
#: is answered with the range rather than a syntax lesson.
_INTEGER = re.compile(r"-?[0-9]+")
#: Control, format, unassigned and private-use characters, and line or paragraph separators:
#: printed raw they break a message over lines or hide part of it.
_UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class NumberError(ValueError):
    """A text that is not an acceptable number; the message says why, for a learner."""


def quote_text(text: str, quote: str = "'", limit: int = ECHO_LENGTH) -> str:
    """``text`` as an error message repeats it: on one line, quoted, and at most a few words.

    Unprintable characters are escaped (a newline shows as ``\\n``); a text longer than
    ``limit`` characters is cut with "…" and its length follows the quote:
    ``'1234567890…' (100,000 characters)``.
    """
    head = text if len(text) <= limit else text[:limit]
    shown = "".join(
        ascii(ch)[1:-1] if unicodedata.category(ch) in _UNPRINTABLE_CATEGORIES else ch
        for ch in head
    )
    if head is text:
        return f"{quote}{shown}{quote}"
    return f"{quote}{shown}…{quote} ({len(text):,} characters)"


def parse_number(text: str, decimal_separator: str = ".", bound: float = LIMIT) -> float:
    """Return the float that ``text`` spells, or raise :class:`NumberError`.

    Parameters
    ----------
    text:
        What the learner typed. Surrounding spaces are ignored.
    decimal_separator:
        The system locale's decimal separator; ``.`` is always accepted as well.
    bound:
        The largest magnitude accepted, :data:`LIMIT` for a cell. ``math.inf`` accepts every
        magnitude, ``inf`` and an overflowing ``1e999`` included, for a caller whose own range
        check says what is allowed (the learning rate's "above 0 and at most 100"). NaN is
        always refused.
    """
    cleaned = text.strip()
    for sign in _MINUS_SIGNS:
        cleaned = cleaned.replace(sign, "-")
    if not cleaned:
        raise NumberError("the cell is empty: type a number such as 0.5")
    lowered = cleaned.lower().lstrip("+-")
    if lowered in {"nan", "inf", "infinity"}:
        if lowered == "nan" or math.isfinite(bound):
            raise NumberError(f"{quote_text(text.strip())} is not a finite number")
        return float(cleaned)
    if decimal_separator != "." and _GROUPED_THOUSANDS.fullmatch(cleaned):
        raise NumberError(
            f"{quote_text(cleaned)} could mean {quote_text(cleaned.replace('.', ''))} "
            f"(grouped thousands) or {quote_text(cleaned.replace('.', decimal_separator))}: "
            "write the digits without a separator"
        )
    if decimal_separator != "." and decimal_separator in cleaned:
        if "." in cleaned:
            raise NumberError(
                f"{quote_text(cleaned)} mixes '.' and {quote_text(decimal_separator)}: "
                "thousands separators are not allowed"
            )
        cleaned = cleaned.replace(decimal_separator, ".")
    if not _NUMBER.fullmatch(cleaned):
        raise NumberError(_explain_malformed(cleaned, decimal_separator))
    value = float(cleaned)
    if abs(value) > bound:
        raise NumberError(
            f"{quote_text(cleaned)} is outside the allowed range of ±{_format_bound(bound)}"
        )
    return value


def _format_bound(bound: float) -> str:
    return f"{bound:,.0f}" if bound.is_integer() else repr(bound)


def _explain_malformed(text: str, decimal_separator: str) -> str:
    shown = quote_text(text)
    if "," in text or "'" in text or "_" in text or " " in text:
        return (
            f"{shown} has a thousands separator or a stray comma; "
            f"write plain digits with {quote_text(decimal_separator)} as the decimal point"
        )
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        return f"{shown} uses non-ASCII digits; type the digits 0-9"
    return f"{shown} is not a number; type something like 2, -1.5 or 1e-3"


def parse_integer(text: str, low: int, high: int) -> int:
    """Return the whole number from ``low`` to ``high`` that ``text`` spells, or raise.

    Stricter than ``int()``: only the ASCII digits 0-9 after an optional "-", nothing around
    them. A "-" is accepted so that "-1" is refused for its range, which is the useful reason.

    Raises
    ------
    NumberError
        Naming what is wrong and the range to type instead.
    """
    wanted = f"type a whole number from {low} to {high} with the digits 0-9"
    if not text:
        raise NumberError(f"the value is empty; {wanted}")
    if not _INTEGER.fullmatch(text):
        raise NumberError(f"{_explain_not_integer(text)}; {wanted}")
    negative = text.startswith("-")
    digits = text.lstrip("-").lstrip("0") or "0"
    # int() refuses more than 4,300 digits (a denial-of-service guard); such a text is out of
    # range anyway, and counting its digits says so without converting it.
    if len(digits) > len(str(max(abs(low), abs(high)))):
        raise NumberError(f"{quote_text(text)} is outside the allowed range of {low} to {high}")
    value = -int(digits) if negative else int(digits)
    if not low <= value <= high:
        raise NumberError(f"{quote_text(text)} is outside the allowed range of {low} to {high}")
    return value


def _explain_not_integer(text: str) -> str:
    shown = quote_text(text)
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        return f"{shown} uses non-ASCII digits"
    if any(ch in ",'_" or ch.isspace() for ch in text):
        return f"{shown} has a thousands separator or a space"
    if text.startswith("+"):
        return f"{shown} has a plus sign"
    return f"{shown} is not a whole number written in digits"


def parse_vector(text: str, size: int) -> list[float]:
    """Parse ``size`` comma-separated numbers (the command line's ``2,-1,0.5,3``).

    The error names the bad item by position so a handout's typo is easy to find.
    """
    if not text.strip():
        raise NumberError(f"expected exactly {size} comma-separated numbers, got nothing")
    items = text.split(",")
    if len(items) != size:
        raise NumberError(
            f"expected exactly {size} comma-separated numbers, "
            f"got {len(items)} in {quote_text(text)}"
        )
    values = []
    for position, item in enumerate(items, start=1):
        try:
            values.append(parse_number(item))
        except NumberError as error:
            shown = quote_text(item.strip(), quote="") or "empty"
            raise NumberError(f"item {position} ({shown}): {error}") from None
    return values
