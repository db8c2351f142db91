"""The words of an activation curve: its title (with the key to the two curves), the caption
of slopes under it, and a tooltip line per unit.

Titles and captions come as candidates, longest first: the widget shows the first that fits.
"""

from __future__ import annotations

from collections.abc import Sequence

from gui import theme
from gui.number_format import minus_signs, number_text
from model.activations import Activation


def _key(colour: str, glyph: str) -> str:
    return f"<span style='color:{colour}'><b>{glyph}</b></span>"


def _coloured(text: str, colour: str) -> str:
    return f"<span style='color:{colour}'>{text}</span>"


def title_candidates(activation: Activation, temperature: float) -> list[str]:
    """The title, longest first. The key to the curves is part of it: a legend inside the
    plot would sit on the curves."""
    name = f"<b>{activation.name}</b>"
    solid, dashed = _key(theme.POSITIVE, "━━"), _key(theme.SLOPE, "╍╍")
    heads = [name]
    if activation.normalizes:
        heads.insert(0, f"{name} (T = {minus_signs(f'{temperature:g}')})")
    titles = []
    for head in heads:
        titles += [
            f"{head}: {solid} f(z) and {dashed} f′(z)",
            f"{head}: {solid} f(z) {dashed} f′(z)",
        ]
    return [*titles, f"{name}: {solid} f {dashed} f′", f"{solid} f {dashed} f′"]


def caption_candidates(slopes: Sequence[float], states: Sequence[str]) -> list[tuple[str, str]]:
    """The caption as (plain, rich) pairs, most detailed first, a short count last."""
    candidates: list[tuple[str, str]] = []
    for prefix, spec in (("f′ at your z: ", ".2f"), ("f′: ", ".2f"), ("f′: ", ".1f")):
        plain, rich = [], []
        for slope, state in zip(slopes, states, strict=True):
            # 0.0099 as "0.01" would contradict "saturated" (below 0.01): two digits more.
            small = spec == ".2f" and 0 < abs(slope) < 0.01
            number = number_text(slope, ".4f" if small else spec)
            plain.append(f"{number} ({state})" if state else number)
            rich.append(f"{number} {_coloured(f'({state})', theme.ERROR)}" if state else number)
        pair = (prefix + ", ".join(plain), prefix + ", ".join(rich))
        if pair not in candidates:
            candidates.append(pair)
    count, dead, saturated = len(states), states.count("dead"), states.count("saturated")
    if dead and saturated:
        summary = f"{dead} dead, {saturated} saturated (of {count})"
    elif dead or saturated:
        summary = f"{dead or saturated} of {count} {'dead' if dead else 'saturated'}"
    else:
        summary = f"all {count} pass gradient"
    colour = theme.ERROR if dead or saturated else theme.MUTED
    return [*candidates, (summary, _coloured(summary, colour))]


def unit_tip(
    unit: int, numbers: tuple[float, float, float], state: str, side: str, clamped: bool
) -> str:
    """One line of the plot's tooltip: a unit's true numbers, its state, where it is drawn."""
    z, f, slope = (number_text(v, ".3g") for v in numbers)
    text = f"{unit + 1}: z = {z}, f(z) = {f}, f′(z) = {slope}"
    if state == "dead":
        text += " (dead: outputs 0 and passes no gradient back)"
    elif state == "saturated":
        text += " (saturated: slope almost 0, so it barely learns)"
    if side:
        text += f"; z is off the plot: drawn at its {side} edge"
    elif clamped:
        text += "; beyond the plot's scale: drawn at its edge"
    return text
