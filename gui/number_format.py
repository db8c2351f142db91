"""How numbers are written for a learner: real minus signs, no signed zeros, and shorter
spellings that are all correct roundings of the same number.

A teaching app must never show a wrong number. When space is short a label may drop digits,
but "−0.3" written as "0" or "−0" would be wrong, and "−0.000" for −0.0001 reads as a negative
zero: every widget that prints numbers takes them from here.
"""

from __future__ import annotations

from collections.abc import Sequence


def minus_signs(text: str) -> str:
    """A typographic minus (−): a hyphen is a short dash that a projector easily loses."""
    return text.replace("-", "−")


def number_text(value: float, spec: str) -> str:
    """``value`` formatted with ``spec``, a rounded zero unsigned, with a real minus sign."""
    text = format(value, spec)
    if float(text) == 0:
        text = text.lstrip("-")
    return minus_signs(text)


def spellings(value: float, specs: Sequence[str]) -> tuple[str, ...]:
    """``value`` in each format of ``specs`` (most precise first), leaving out a bare "0" for
    a number that is not zero: "0.00" for 0.002 says "zero to two decimals", "0" for 0.3 (or
    "−0" for −0.3) says it is zero."""
    texts = [number_text(value, spec) for spec in specs]
    kept = [text for text in texts if value == 0 or "." in text or not _is_zero(text)]
    return tuple(dict.fromkeys(kept))  # in order, without repeats


def bar_value_spellings(value: float) -> tuple[str, ...]:
    """A bar's value: three decimals, then fewer; exponents from 1000 on."""
    if abs(value) >= 1000:
        return tuple(_exponent(value, digits) for digits in (2, 1, 0))
    specs = [".3f", ".2f", ".1f"] + ([".0f"] if abs(value) >= 10 else [])
    return spellings(value, specs)


def z_spellings(value: float) -> tuple[str, ...]:
    """A pre-activation under its bar: two decimals, then fewer; exponents from 100 on."""
    if abs(value) >= 100:
        return tuple(_exponent(value, digits) for digits in (1, 0))
    return spellings(value, [".2f", ".1f", ".0f"])


def cell_spellings(value: float) -> tuple[str, ...]:
    """A weight in its heatmap cell: one decimal, then none."""
    if abs(value) >= 1000:
        return (_exponent(value, 0),)
    if abs(value) >= 9.95:
        return spellings(value, [".0f"])
    return spellings(value, [".1f", ".0f"])


def _is_zero(text: str) -> bool:
    return float(text.replace("−", "-")) == 0


def _exponent(value: float, digits: int) -> str:
    text = f"{value:.{digits}e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")
    return minus_signs(text)
