"""The registry of activation functions: what each computes, its formula and what it means.

Torch is looked up lazily so that the window can show formulas and explanations at its first
paint, before PyTorch (about a second to import) has loaded in the model process. Adding an
activation is one entry here; the network picks it up by name.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from torch import Tensor


@dataclass(frozen=True)
class Activation:
    """One activation function and the words a learner needs to understand it."""

    name: str
    formula: str
    meaning: str
    torch_path: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    #: True when the output is a probability distribution over the row (sums to 1).
    normalizes: bool = False
    #: The range of the output, for plot axes: (low, high), None where unbounded.
    output_range: tuple[float | None, float | None] = (None, None)

    @cached_property
    def _function(self) -> Callable[..., Tensor]:
        import torch

        function: Callable[..., Tensor] = operator.attrgetter(self.torch_path)(torch)
        return function

    def __call__(self, z: Tensor) -> Tensor:
        """Apply the activation to a batch of pre-activations ``z`` (rows are samples)."""
        return self._function(z, **self.kwargs)


_ENTRIES = (
    Activation(
        name="ReLU",
        formula="max(0, z)",
        meaning="ReLU sets negatives to zero and keeps positives as they are",
        torch_path="relu",
        output_range=(0.0, None),
    ),
    Activation(
        name="Sigmoid",
        formula="1 / (1 + e⁻ᶻ)",
        meaning="Sigmoid squashes every value into (0, 1); zero becomes 0.5",
        torch_path="sigmoid",
        output_range=(0.0, 1.0),
    ),
    Activation(
        name="Softmax",
        formula="eᶻⁱ / Σⱼ eᶻʲ",
        meaning="Softmax turns scores into probabilities that sum to 1",
        torch_path="softmax",
        kwargs=MappingProxyType({"dim": -1}),
        normalizes=True,
        output_range=(0.0, 1.0),
    ),
    Activation(
        name="Tanh",
        formula="(eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ)",
        meaning="Tanh squashes every value into (-1, 1), keeping the sign",
        torch_path="tanh",
        output_range=(-1.0, 1.0),
    ),
    Activation(
        name="LeakyReLU",
        formula="max(0.01·z, z)",
        meaning="LeakyReLU keeps a small slope for negatives so they still learn",
        torch_path="nn.functional.leaky_relu",
        kwargs=MappingProxyType({"negative_slope": 0.01}),
    ),
    Activation(
        name="GELU",
        formula="z · Φ(z)",
        meaning="GELU weights each value by how likely it is to be positive",
        torch_path="nn.functional.gelu",
    ),
    Activation(
        name="SiLU",
        formula="z · sigmoid(z)",
        meaning="SiLU lets positives through and dips slightly below zero for negatives",
        torch_path="nn.functional.silu",
    ),
)

#: Activations by name, in the order menus should list them.
ACTIVATIONS: Mapping[str, Activation] = MappingProxyType({a.name: a for a in _ENTRIES})


def get_activation(name: str) -> Activation:
    """Return the registered activation called ``name``; the error lists what exists."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise KeyError(f"unknown activation {name!r}; choose one of {known}") from None
