"""The untrained network's trace without PyTorch: what the window draws in its first frame.

The untrained network has identity weights and zero biases, so every layer's ``z`` is its
input and the trace is the pure activation pipeline: ``f₃(f₂(f₁(x)))``. Its numbers can be
known before PyTorch has loaded (about a second and a half in the model process), so the
window's first frame shows the four stages at once; PyTorch's own trace replaces it when the
model answers (a test checks the two agree for every activation offered). The derivatives,
gradients and curves come from autograd only, so this trace has none: those rows stay empty
until the model answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from model.activations import ACTIVATIONS
from model.config import Pipeline
from model.trace import StageTrace, Trace

#: Softplus switches to the identity above this (PyTorch's default threshold, β = 1).
_SOFTPLUS_THRESHOLD = 20.0


def _sigmoid(z: float) -> float:
    # Stable both ways: exp of a large positive number never overflows here.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _softplus(z: float) -> float:
    return z if z > _SOFTPLUS_THRESHOLD else math.log1p(math.exp(z))


_ELEMENTWISE: dict[str, Callable[[float], float]] = {
    "ReLU": lambda z: max(0.0, z),
    "LeakyReLU": lambda z: z if z > 0 else 0.01 * z,
    "ELU": lambda z: z if z > 0 else math.expm1(z),
    "GELU": lambda z: 0.5 * z * math.erfc(-z / math.sqrt(2.0)),
    "SiLU": lambda z: z * _sigmoid(z),
    "Softplus": _softplus,
    "Tanh": math.tanh,
    "Sigmoid": _sigmoid,
    "Identity": lambda z: z,
}
assert set(_ELEMENTWISE) | {"Softmax"} == set(ACTIVATIONS), "every activation needs a formula"


def _softmax(z: Sequence[float], temperature: float) -> tuple[float, ...]:
    top = max(z)
    exps = [math.exp((v - top) / temperature) for v in z]
    total = math.fsum(exps)
    return tuple(e / total for e in exps)


def pure_trace(inputs: Sequence[float], pipeline: Pipeline) -> Trace:
    """The untrained network's trace of ``inputs`` (identity weights, zero biases)."""
    width = len(inputs)
    values = tuple(float(v) for v in inputs)
    stages = [StageTrace(name="Input", values=values)]
    for name in pipeline.activations:
        z = values
        if name == "Softmax":
            values = _softmax(z, pipeline.temperature)
        else:
            function = _ELEMENTWISE[name]
            values = tuple(function(v) for v in z)
        stages.append(
            StageTrace(
                name=name,
                values=values,
                pre_activation=z,
                weight=np.eye(width),
                bias=np.zeros(width),
            )
        )
    return Trace(tuple(stages), temperature=pipeline.temperature)
