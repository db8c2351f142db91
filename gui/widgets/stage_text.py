"""The words of a stage panel: bar names, formula, title spellings, footer and tooltips.

Plain functions of plain values (no widgets), so the wording can be read, and tested, in one
place. Spellings come longest first: the labels that show them pick the first that fits.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from gui import theme
from gui.number_format import minus_signs
from gui.widgets.input_table import input_label
from model.activations import Activation

#: Under a gradient bar, the word for a unit that passes (almost) no gradient back.
STATE_WORDS = {"dead": "dead", "saturated": "flat"}
STATES_EXPLAINED = (
    "dead: a ReLU unit at z ≤ 0 outputs 0 with slope 0 and passes no gradient back; "
    "saturated (flat): the activation's slope |f′(z)| is below 0.01 there. "
    "Their bars are hatched."
)
NO_GRADIENT = (
    "No gradient for this input: the loss, and with it ∂L/∂z, needs a target class "
    "(the bars stay empty until a trace has one)"
)
WAITING = "Waiting for the model…"
NBSP = "\u00a0"


def bar_labels(symbol: str, count: int = 4) -> tuple[str, ...]:
    """Bar names under a layer's bars: the activation's symbol with a subscript (σ₁ … σ₄)."""
    return tuple(f"{symbol}{input_label(i)[1:]}" for i in range(count))


def formula_text(activation: Activation, temperature: float = 1.0) -> str:
    """The formula as shown; a normalizing activation says its temperature T when it is not 1.

    Where it must wrap, it wraps between groups: spaces inside parentheses (and in "T = 0.5")
    do not break, so Tanh reads "(eᶻ − e⁻ᶻ) /" over "(eᶻ + e⁻ᶻ)", never "(eᶻ +" over "e⁻ᶻ)".
    """
    depth, kept = 0, []
    for char in activation.formula:
        depth += {"(": 1, ")": -1}.get(char, 0)
        kept.append(NBSP if char == " " and depth > 0 else char)
    text = "".join(kept)
    if activation.normalizes and temperature != 1.0:
        text += f", T{NBSP}={NBSP}{minus_signs(f'{temperature:g}')}"
    return text


def title_texts(
    name: str, title: str, *, names_activation: bool, has_widget: bool
) -> tuple[str, ...]:
    """The title's spellings (rich text), longest first: the shortest is what must always
    show. ``names_activation``: a widget beside it names the activation already."""
    bold_name = f"<b>{html.escape(name)}</b>"
    if names_activation:
        return (f"<b>{html.escape(title)}</b>", "")
    texts = [bold_name]
    if title != name:
        small = f"color: {theme.MUTED}; font-size: {theme.css_points(8)}"
        texts.insert(0, f"{bold_name} <span style='{small}'>{html.escape(title)}</span>")
    # Beside a picker even the name may go: the picker must fit the narrowest panel.
    return (*texts, "") if has_widget else tuple(texts)


def footer_texts(
    values: Sequence[float], states: Sequence[str], *, normalizes: bool, predicted: int | None
) -> tuple[tuple[str, ...], str]:
    """The footer's spellings, longest first, and its tooltip ("" when it says it all)."""
    if normalizes:
        base = compact = f"Σ = {sum(values):.3f}"
        if predicted is not None:
            base += f" · class {predicted + 1}"
            compact = f"class {predicted + 1}"
    else:
        negatives = sum(1 for v in values if v < 0)
        base = f"{negatives} of {len(values)} negative"
        compact = f"{negatives}/{len(values)} negative"
    dead = states.count("dead")
    saturated = states.count("saturated")
    if not dead and not saturated:
        return (base,), ""
    counts = [(dead, "dead", "dead"), (saturated, "saturated", "flat")]
    long = ", ".join(f"{n} {word}" for n, word, _ in counts if n)
    short = ", ".join(f"{n} {word}" for n, _, word in counts if n)
    # Longest first; at the narrowest the counts of the states matter most.
    texts = (f"{base} · {long}", f"{base} · {short}", f"{compact} · {short}", short)
    return texts, f"{base} · {long}\n{STATES_EXPLAINED}"


def gradient_tip(caption: str, has_pre_activation: bool) -> str:
    """The gradient row's tooltip: what ``caption`` (∂L/∂z or ∂L/∂x) means."""
    tip = (
        f"{caption}: how much the loss changes as each "
        f"{'z' if has_pre_activation else 'input'} grows a little"
    )
    if has_pre_activation:
        tip += (
            f". Across the zero line, '{STATE_WORDS['dead']}' and "
            f"'{STATE_WORDS['saturated']}' mark units that pass (almost) no gradient "
            f"back. {STATES_EXPLAINED}"
        )
    return tip
