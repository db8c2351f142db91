"""Numbers as a learner reads them: every spelling a correct rounding, no signed zero, and no
bare "0" for a number that is not zero."""

from __future__ import annotations

import numpy as np
import pytest

from gui.number_format import (
    bar_value_spellings,
    cell_spellings,
    number_text,
    spellings,
    z_spellings,
)


def as_float(text: str) -> float:
    return float(text.replace("−", "-"))


def test_a_rounded_zero_has_no_sign() -> None:
    """−0.0001 at three decimals is "0.000", not "−0.000" (a negative zero on a blue bar)."""
    assert bar_value_spellings(-0.0001)[0] == "0.000"
    assert bar_value_spellings(-0.0) == ("0.000", "0.00", "0.0")
    assert number_text(-0.00001, ".4f") == "0.0000"
    assert number_text(-0.5, ".4f") == "−0.5000"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-0.3, ("−0.30", "−0.3")),  # never "−0" or "0"
        (0.5, ("0.50", "0.5")),  # round half to even would give "0"
        (4.0, ("4.00", "4.0", "4")),
        (-1234.5, ("−1.2e3", "−1e3")),
    ],
)
def test_z_spellings(value: float, expected: tuple[str, ...]) -> None:
    """Pre-activations drop digits but never become zero."""
    assert z_spellings(value) == expected


def test_cells_never_turn_a_weight_into_zero() -> None:
    """−0.3 in a heatmap cell is "−0.3" or nothing, never "0"."""
    assert cell_spellings(-0.3) == ("−0.3",)
    assert cell_spellings(-1.93) == ("−1.9", "−2")
    assert cell_spellings(0.0) == ("0.0", "0")
    assert cell_spellings(12.4) == ("12",)


def test_every_spelling_is_a_correct_rounding() -> None:
    """Random values of every size: each spelling is within half a unit of its last digit."""
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.normal(0, scale, 400) for scale in (1e-4, 0.01, 1, 50, 900, 1e5)])
    for value in values.tolist():
        for function in (bar_value_spellings, z_spellings, cell_spellings):
            for text in function(value):
                shown = as_float(text)
                mantissa = text.replace("−", "").split("e")[0]
                decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
                exponent = int(text.split("e")[1].replace("−", "-")) if "e" in text else 0
                unit = 10.0 ** (exponent - decimals)
                assert abs(shown - value) <= unit / 2 + 1e-9 * abs(value), (value, text)
                if value != 0 and shown == 0:
                    assert "." in text, (value, text)  # "0.00" says zero to two decimals
                assert "-" not in text  # a real minus sign, always


def test_small_values_keep_their_decimals_when_rounded_to_zero() -> None:
    """0.002 may read "0.00" (zero to two decimals), never a bare "0"."""
    assert bar_value_spellings(0.002) == ("0.002", "0.00", "0.0")
    assert "0" not in z_spellings(0.4)


def test_spellings_keep_order_and_drop_repeats() -> None:
    """The most precise first; a spelling equal to the one before is not repeated."""
    assert spellings(2.0, [".1f", ".1f", ".0f"]) == ("2.0", "2")
