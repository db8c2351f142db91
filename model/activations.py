"""The library of activation functions: what each computes, its words, and its derivative.

Every entry says what a learner needs: the formula, the output range, a one-line meaning and
one "watch out" sentence. The function itself is PyTorch's, and so is the derivative: it comes
from autograd, never from a hand-written formula, so what the window shows as f′(z) is exactly
what backpropagation uses.

Torch is looked up lazily so that the window can show formulas and explanations at its first
paint, before PyTorch (about a second to import) has loaded in the model process. Adding an
activation is one entry here; the network, the window and the command line pick it up by name.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from torch import Tensor

#: Softmax's temperature T: softmax(z / T). Below 0.05 it is an argmax in all but name; above
#: 20 every class gets nearly the same probability.
MIN_TEMPERATURE = 0.05
MAX_TEMPERATURE = 20.0
DEFAULT_TEMPERATURE = 1.0
#: A unit whose derivative is below this at its z passes almost no gradient back: "saturated".
SATURATION_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    """One activation function and the words a learner needs to understand it."""

    name: str
    formula: str
    meaning: str
    #: The one thing to watch out for (dead units, saturation, what the temperature does).
    caution: str
    #: Short bar-label prefix, distinct for every activation (Sigmoid σ, SiLU si).
    symbol: str
    torch_path: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    #: True when the output is a probability distribution over the row (sums to 1).
    normalizes: bool = False
    #: The range of the output, for plot axes: (low, high), None where unbounded.
    output_range: tuple[float | None, float | None] = (None, None)
    #: True for the ReLU family that outputs exactly 0 with slope 0 for z ≤ 0: such a unit is
    #: "dead" for an input that puts it there, not merely saturated.
    dies_below_zero: bool = False

    @cached_property
    def _function(self) -> Callable[..., Tensor]:
        import torch

        function: Callable[..., Tensor] = operator.attrgetter(self.torch_path)(torch)
        return function

    def __call__(self, z: Tensor, temperature: float = DEFAULT_TEMPERATURE) -> Tensor:
        """Apply the activation to pre-activations ``z`` (rows are samples, the last axis units).

        ``temperature`` divides the scores of a normalizing activation (softmax(z / T)); the
        others ignore it.
        """
        if self.normalizes and temperature != 1.0:
            z = z / temperature
        return self._function(z, **self.kwargs)

    def derivative(self, z: Tensor, temperature: float = DEFAULT_TEMPERATURE) -> Tensor:
        """f′(z) at every element of ``z``, by autograd (same shape as ``z``).

        For a normalizing activation each unit's output depends on the whole row; this is then
        the derivative of each unit's output with respect to its own score, ∂pᵢ/∂zᵢ, the others
        held where they are (the diagonal of the Jacobian).
        """
        import torch

        if not self.normalizes:
            with torch.enable_grad():
                leaf = z.detach().clone().requires_grad_(True)
                (grad,) = torch.autograd.grad(self(leaf).sum(), leaf)
            return grad.detach()
        # Each row is its own softmax, so one backward pass serves every unit: copy i of the
        # rows contributes only unit i's output, and its gradient's column i is ∂pᵢ/∂zᵢ.
        width = z.shape[-1]
        units = torch.arange(width)
        copies = z.detach().unsqueeze(0).repeat(width, *([1] * z.dim()))
        slopes = own_slopes(self, copies, units, temperature)
        return slopes.movedim(0, -1)


def own_slopes(activation: Activation, copies: Tensor, units: Tensor, temperature: float) -> Tensor:
    """∂pᵢ/∂zᵢ of a normalizing ``activation`` where copy ``k`` of the rows picks unit ``units[k]``.

    ``copies`` has the copy index first and units last; the result drops the units axis.
    One autograd pass: rows are independent, so each row's gradient holds only its own unit.
    """
    import torch

    with torch.enable_grad():
        leaf = copies.clone().requires_grad_(True)
        output = activation(leaf, temperature)
        picked = output[units, ..., units]
        (grad,) = torch.autograd.grad(picked.sum(), leaf)
    return grad[units, ..., units].detach()


_ENTRIES = (
    Activation(
        name="ReLU",
        formula="max(0, z)",
        meaning="ReLU sets negatives to zero and keeps positives as they are",
        caution="A unit whose z stays at or below 0 outputs 0 with slope 0: it is dead and "
        "stops learning",
        symbol="r",
        torch_path="relu",
        output_range=(0.0, None),
        dies_below_zero=True,
    ),
    Activation(
        name="LeakyReLU",
        formula="max(0.01·z, z)",
        meaning="LeakyReLU keeps a small slope for negatives so they still learn",
        caution="The negative slope is only 0.01: negative units learn, but 100× slower",
        symbol="lr",
        torch_path="nn.functional.leaky_relu",
        kwargs=MappingProxyType({"negative_slope": 0.01}),
    ),
    Activation(
        name="ELU",
        formula="z if z > 0, else eᶻ − 1",
        meaning="ELU is z for positives and bends smoothly down to −1 for negatives",
        caution="Far below 0 it flattens at −1, so very negative units pass little gradient",
        symbol="e",
        torch_path="nn.functional.elu",
        kwargs=MappingProxyType({"alpha": 1.0}),
        output_range=(-1.0, None),
    ),
    Activation(
        name="GELU",
        formula="z · Φ(z)",
        meaning="GELU weights each value by how likely it is to be positive",
        caution="It dips slightly below 0 near z = −0.75 and is nearly 0 with slope 0 below −3",
        symbol="g",
        torch_path="nn.functional.gelu",
    ),
    Activation(
        name="SiLU",
        formula="z · sigmoid(z)",
        meaning="SiLU lets positives through and dips slightly below zero for negatives",
        caution="Like GELU it goes flat for very negative z: such units barely learn",
        symbol="si",
        torch_path="nn.functional.silu",
    ),
    Activation(
        name="Softplus",
        formula="ln(1 + eᶻ)",
        meaning="Softplus is a smooth ReLU: always positive, with a gentle bend at 0",
        caution="It never reaches 0, and for very negative z its slope vanishes too",
        symbol="sp",
        torch_path="nn.functional.softplus",
        kwargs=MappingProxyType({"beta": 1.0}),
        output_range=(0.0, None),
    ),
    Activation(
        name="Tanh",
        formula="(eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ)",
        meaning="Tanh squashes every value into (−1, 1), keeping the sign",
        caution="Beyond |z| ≈ 3 it saturates: the slope is nearly 0 and learning stalls",
        symbol="t",
        torch_path="tanh",
        output_range=(-1.0, 1.0),
    ),
    Activation(
        name="Sigmoid",
        formula="1 / (1 + e⁻ᶻ)",
        meaning="Sigmoid squashes every value into (0, 1); zero becomes 0.5",
        caution="Its slope is at most 0.25 and vanishes beyond |z| ≈ 5: gradients shrink "
        "layer by layer",
        symbol="σ",
        torch_path="sigmoid",
        output_range=(0.0, 1.0),
    ),
    Activation(
        name="Identity",
        formula="z",
        meaning="Identity passes z through unchanged: the layer is purely linear",
        caution="Linear layers stacked stay one linear map: without a nonlinearity depth "
        "adds nothing",
        symbol="h",
        # z · 1 rather than z itself: a new tensor, and an operation autograd differentiates.
        torch_path="mul",
        kwargs=MappingProxyType({"other": 1.0}),
    ),
    Activation(
        name="Softmax",
        formula="eᶻⁱᐟᵀ / Σⱼ eᶻʲᐟᵀ",
        meaning="Softmax turns scores into probabilities that sum to 1",
        caution="A low temperature T makes it almost an argmax (overconfident); a high T "
        "makes every class nearly equally likely",
        symbol="p",
        torch_path="softmax",
        kwargs=MappingProxyType({"dim": -1}),
        normalizes=True,
        output_range=(0.0, 1.0),
    ),
)


#: Activations by name, in the order menus list them.
ACTIVATIONS: Mapping[str, Activation] = MappingProxyType({a.name: a for a in _ENTRIES})
#: Those a hidden layer may use: everything that does not normalize its row.
HIDDEN_ACTIVATIONS = tuple(a.name for a in _ENTRIES if not a.normalizes)
OUTPUT_ACTIVATIONS = tuple(a.name for a in _ENTRIES if a.normalizes)
#: The product's pipeline: two hidden activations, then the normalizing output.
DEFAULT_ACTIVATIONS = ("ReLU", "Sigmoid", "Softmax")
HIDDEN_LAYERS = 2


def get_activation(name: str) -> Activation:
    """Return the registered activation called ``name``; the error lists what exists."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise KeyError(f"unknown activation {name!r}; choose one of {known}") from None


def canonical_name(text: str) -> str:
    """The registered spelling of ``text`` (case-insensitive); ValueError lists what exists."""
    wanted = text.strip().casefold()
    for name in ACTIVATIONS:
        if name.casefold() == wanted:
            return name
    raise ValueError(f"unknown activation {text!r}; choose one of {', '.join(ACTIVATIONS)}")


def check_pipeline(names: Sequence[str]) -> tuple[str, ...]:
    """Canonical names of a pipeline: hidden activations, then a normalizing one last.

    Raises ValueError naming the bad entry and what is allowed there.
    """
    canonical = tuple(canonical_name(name) for name in names)
    expected = HIDDEN_LAYERS + 1
    if len(canonical) != expected:
        raise ValueError(
            f"a pipeline has {expected} activations (hidden, hidden, output), "
            f"not {len(canonical)}: {', '.join(canonical) or 'none'}"
        )
    for layer, name in enumerate(canonical[:-1], start=1):
        if ACTIVATIONS[name].normalizes:
            raise ValueError(
                f"layer {layer} is hidden, so it cannot be {name} (it normalizes its row); "
                f"choose one of {', '.join(HIDDEN_ACTIVATIONS)}"
            )
    if not ACTIVATIONS[canonical[-1]].normalizes:
        raise ValueError(
            f"the output layer must turn scores into probabilities, not {canonical[-1]}; "
            f"choose {' or '.join(OUTPUT_ACTIVATIONS)}"
        )
    return canonical


def check_temperature(temperature: float) -> float:
    """``temperature`` if Softmax accepts it; ValueError says the range otherwise."""
    if not (math.isfinite(temperature) and MIN_TEMPERATURE <= temperature <= MAX_TEMPERATURE):
        raise ValueError(
            f"the softmax temperature must be between {MIN_TEMPERATURE:g} and "
            f"{MAX_TEMPERATURE:g}, not {temperature!r}"
        )
    return temperature
