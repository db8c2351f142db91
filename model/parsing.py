"""One strict number parser shared by the input cells and the command line.

Python's ``float()`` accepts ``nan``, ``inf``, ``1_000``, Arabic-Indic digits and ``1e400``
(which becomes inf); Qt's validators accept thousands separators. A learner's typo must be
refused with a reason instead, so this module decides what a number is, once.
"""

from __future__ import annotations

import math
import re

#: The largest magnitude a cell accepts; beyond it every activation saturates and bars mislead.
LIMIT = 1e6

_MINUS_SIGNS = "\u2212\u2013"  # typographic minus and en dash, as pasted from handouts
#: "1.000" in a locale whose decimal separator is "," is a thousand to its writer ("0.125" is
#: not: no thousands group starts with 0).
_GROUPED_THOUSANDS = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class NumberError(ValueError):
    """A text that is not an acceptable number; the message says why, for a learner."""


def parse_number(text: str, decimal_separator: str = ".") -> float:
    """Return the finite float that ``text`` spells, or raise :class:`NumberError`.

    Parameters
    ----------
    text:
        What the learner typed. Surrounding spaces are ignored.
    decimal_separator:
        The system locale's decimal separator; ``.`` is always accepted as well.
    """
    cleaned = text.strip()
    for sign in _MINUS_SIGNS:
        cleaned = cleaned.replace(sign, "-")
    if not cleaned:
        raise NumberError("the cell is empty: type a number such as 0.5")
    lowered = cleaned.lower().lstrip("+-")
    if lowered in {"nan", "inf", "infinity"}:
        raise NumberError(f"'{text.strip()}' is not a finite number")
    if decimal_separator != "." and _GROUPED_THOUSANDS.fullmatch(cleaned):
        raise NumberError(
            f"'{cleaned}' could mean {cleaned.replace('.', '')} (grouped thousands) or "
            f"{cleaned.replace('.', decimal_separator)}: write the digits without a separator"
        )
    if decimal_separator != "." and decimal_separator in cleaned:
        if "." in cleaned:
            raise NumberError(
                f"'{cleaned}' mixes '.' and '{decimal_separator}': "
                "thousands separators are not allowed"
            )
        cleaned = cleaned.replace(decimal_separator, ".")
    if not _NUMBER.fullmatch(cleaned):
        raise NumberError(_explain_malformed(cleaned, decimal_separator))
    value = float(cleaned)
    if not math.isfinite(value) or abs(value) > LIMIT:
        raise NumberError(f"{cleaned} is outside the allowed range of ±{LIMIT:,.0f}")
    return value


def _explain_malformed(text: str, decimal_separator: str) -> str:
    if "," in text or "'" in text or "_" in text or " " in text:
        return (
            f"'{text}' has a thousands separator or a stray comma; "
            f"write plain digits with '{decimal_separator}' as the decimal point"
        )
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        return f"'{text}' uses non-ASCII digits; type the digits 0-9"
    return f"'{text}' is not a number; type something like 2, -1.5 or 1e-3"


def parse_vector(text: str, size: int) -> list[float]:
    """Parse ``size`` comma-separated numbers (the command line's ``2,-1,0.5,3``).

    The error names the bad item by position so a handout's typo is easy to find.
    """
    if not text.strip():
        raise NumberError(f"expected exactly {size} comma-separated numbers, got nothing")
    items = text.split(",")
    if len(items) != size:
        raise NumberError(
            f"expected exactly {size} comma-separated numbers, got {len(items)} in '{text}'"
        )
    values = []
    for position, item in enumerate(items, start=1):
        try:
            values.append(parse_number(item))
        except NumberError as error:
            raise NumberError(f"item {position} ({item.strip() or 'empty'}): {error}") from None
    return values
