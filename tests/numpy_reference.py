"""The one independent numpy reference the model tests compare against.

Every activation and its derivative is written here by hand from its formula, in forms that stay
finite and accurate over the whole float64 range (no overflow warning for z = ±1e6, no
cancellation in the tails), then the network's forward pass, its cross-entropy loss and that
loss's gradients: by backpropagation written out by hand, and by central finite differences.
Nothing here imports torch or ``model``: the numbers come from the formulas alone.

Where the derivative does not exist (ReLU and LeakyReLU at z = 0) the reference takes the
left-hand slope, which is PyTorch's convention; the tests say so where they rely on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
Function = Callable[[Array], Array]
#: (W, b) of each layer: z = W·a + b.
Layers = list[tuple[Array, Array]]

WIDTH = 4
LEAKY_SLOPE = 0.01
#: A unit whose |f′(z)| is below this passes almost no gradient back ("saturated").
SATURATION_SLOPE = 0.01
#: The activations whose units die: 0 with slope 0 for every z ≤ 0.
DYING = ("ReLU",)

# Elementwise activations and their slopes ------------------------------------------------------

# math.erfc rather than 1 + erf(x): for very negative z, 1 + erf(z/√2) cancels to 0 long before
# Φ(z) is 0 (Φ(−10) ≈ 7.6e-24), while erfc keeps every digit. numpy has no erf of its own.
_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def _array(z: Array | Sequence[float] | float) -> Array:
    return np.asarray(z, dtype=np.float64)


def relu(z: Array) -> Array:
    """max(0, z)."""
    return np.maximum(_array(z), 0.0)


def relu_slope(z: Array) -> Array:
    """1 for z > 0, else 0 (at the kink z = 0: 0, the left-hand slope)."""
    return np.where(_array(z) > 0, 1.0, 0.0)


def leaky_relu(z: Array) -> Array:
    """z for z > 0, else 0.01·z."""
    z = _array(z)
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_slope(z: Array) -> Array:
    """1 for z > 0, else 0.01 (at the kink z = 0: 0.01, the left-hand slope)."""
    return np.where(_array(z) > 0, 1.0, LEAKY_SLOPE)


def elu(z: Array) -> Array:
    """z for z > 0, else eᶻ − 1 (alpha 1), with expm1 so that tiny negative z keep their digits."""
    z = _array(z)
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))


def elu_slope(z: Array) -> Array:
    """1 for z > 0, else eᶻ (both sides give 1 at z = 0: ELU is smooth there)."""
    z = _array(z)
    return np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0)))


def normal_cdf(z: Array) -> Array:
    """Φ(z) = erfc(−z/√2)/2, accurate in both tails."""
    result: Array = 0.5 * _erfc(-_array(z) / math.sqrt(2.0))
    return result


def normal_pdf(z: Array) -> Array:
    """φ(z) = e^(−z²/2)/√(2π)."""
    z = _array(z)
    # Past |z| ≈ 38.6 it underflows to 0 anyway; clipping keeps z² from overflowing at 1e200.
    clipped = np.clip(z, -40.0, 40.0)
    result: Array = np.exp(-0.5 * clipped * clipped) / math.sqrt(2.0 * math.pi)
    return result


def gelu(z: Array) -> Array:
    """z·Φ(z) with the exact normal CDF (not the tanh approximation)."""
    z = _array(z)
    return z * normal_cdf(z)


def gelu_slope(z: Array) -> Array:
    """Φ(z) + z·φ(z)."""
    z = _array(z)
    return normal_cdf(z) + z * normal_pdf(z)


def sigmoid(z: Array) -> Array:
    """1/(1 + e⁻ᶻ), from e^(−|z|) on either side of 0 so that nothing overflows."""
    z = _array(z)
    small = np.exp(-np.abs(z))  # in (0, 1]: e^(−z) for z ≥ 0, e^z for z < 0
    return np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def sigmoid_slope(z: Array) -> Array:
    """σ(z)·σ(−z) = e^(−|z|)/(1 + e^(−|z|))², without the cancellation of σ(1 − σ) near 1."""
    small = np.exp(-np.abs(_array(z)))
    result: Array = small / (1.0 + small) ** 2
    return result


def silu(z: Array) -> Array:
    """z·σ(z)."""
    z = _array(z)
    return z * sigmoid(z)


def silu_slope(z: Array) -> Array:
    """σ(z) + z·σ(z)·σ(−z): the product rule on z·σ(z)."""
    z = _array(z)
    return sigmoid(z) + z * sigmoid_slope(z)


def softplus(z: Array) -> Array:
    """ln(1 + eᶻ) = logaddexp(0, z) (β = 1), exact for every z, with no threshold."""
    return np.logaddexp(0.0, _array(z))


def softplus_slope(z: Array) -> Array:
    """σ(z)."""
    return sigmoid(z)


def tanh(z: Array) -> Array:
    """(eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ)."""
    return np.tanh(_array(z))


def tanh_slope(z: Array) -> Array:
    """sech²(z) = 4·e^(−2|z|)/(1 + e^(−2|z|))², without the cancellation of 1 − tanh²."""
    small = np.exp(-2.0 * np.abs(_array(z)))
    result: Array = 4.0 * small / (1.0 + small) ** 2
    return result


def identity(z: Array) -> Array:
    """z itself (a copy)."""
    return _array(z).copy()


def identity_slope(z: Array) -> Array:
    """1 everywhere."""
    return np.ones_like(_array(z))


#: Every activation that does not normalize its row: (f, f′) by registry name.
ELEMENTWISE: dict[str, tuple[Function, Function]] = {
    "ReLU": (relu, relu_slope),
    "LeakyReLU": (leaky_relu, leaky_relu_slope),
    "ELU": (elu, elu_slope),
    "GELU": (gelu, gelu_slope),
    "SiLU": (silu, silu_slope),
    "Softplus": (softplus, softplus_slope),
    "Tanh": (tanh, tanh_slope),
    "Sigmoid": (sigmoid, sigmoid_slope),
    "Identity": (identity, identity_slope),
}

# Softmax with a temperature -----------------------------------------------------------------


def softmax(z: Array, temperature: float = 1.0) -> Array:
    """e^(zᵢ/T)/Σⱼ e^(zⱼ/T) along the last axis, shifted by the row maximum (no overflow)."""
    scores = _array(z) / temperature
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    result: Array = shifted / shifted.sum(axis=-1, keepdims=True)
    return result


def softmax_slope(z: Array, temperature: float = 1.0) -> Array:
    """∂pᵢ/∂zᵢ = pᵢ(1 − pᵢ)/T: the diagonal of softmax's Jacobian."""
    p = softmax(z, temperature)
    result: Array = p * (1.0 - p) / temperature
    return result


#: Every activation the reference knows, in the registry's order.
NAMES = (*ELEMENTWISE, "Softmax")


def apply(name: str, z: Array, temperature: float = 1.0) -> Array:
    """Activation ``name`` of ``z`` (``temperature`` only matters for Softmax)."""
    if name == "Softmax":
        return softmax(z, temperature)
    return ELEMENTWISE[name][0](z)


def slope(name: str, z: Array, temperature: float = 1.0) -> Array:
    """f′(z) of activation ``name`` per element (for Softmax ∂pᵢ/∂zᵢ)."""
    if name == "Softmax":
        return softmax_slope(z, temperature)
    return ELEMENTWISE[name][1](z)


def curve(
    name: str,
    held: Array | None = None,
    temperature: float = 1.0,
    grid: Array | None = None,
) -> tuple[Array, Array, Array]:
    """(z grid, values, slopes) of an activation's curve, by default over 121 points of [−6, 6].

    One row for an elementwise activation; for Softmax one row per unit i: pᵢ as zᵢ sweeps
    the grid while the other scores stay at ``held``.
    """
    grid = np.linspace(-6.0, 6.0, 121) if grid is None else _array(grid)
    points = grid.size
    if name != "Softmax":
        return grid, apply(name, grid)[np.newaxis], slope(name, grid)[np.newaxis]
    assert held is not None, "a softmax curve needs the scores to hold"
    held = _array(held)
    values, slopes = [], []
    for unit in range(held.size):
        rows = np.tile(held, (points, 1))
        rows[:, unit] = grid
        values.append(softmax(rows, temperature)[:, unit])
        slopes.append(softmax_slope(rows, temperature)[:, unit])
    return grid, np.array(values), np.array(slopes)


# The network -----------------------------------------------------------------------------------


def layers_from_flat(flat: Array, width: int = WIDTH) -> Layers:
    """(W, b) of each layer from a flat vector laid out layer by layer, weight then bias."""
    flat = _array(flat)
    size = width * width + width
    assert flat.ndim == 1, flat.shape
    assert flat.size % size == 0, flat.size
    return [
        (flat[k : k + width * width].reshape(width, width), flat[k + width * width : k + size])
        for k in range(0, flat.size, size)
    ]


def forward(
    layers: Layers, activations: Sequence[str], x: Array, temperature: float = 1.0
) -> tuple[list[Array], list[Array]]:
    """Every layer's z = W·a + b and output f(z), for one input row or a batch of rows."""
    assert len(layers) == len(activations)
    hidden = _array(x)
    zs, outputs = [], []
    for (weight, bias), name in zip(layers, activations, strict=True):
        z = hidden @ weight.T + bias
        hidden = apply(name, z, temperature)
        zs.append(z)
        outputs.append(hidden)
    return zs, outputs


def scores(layers: Layers, activations: Sequence[str], x: Array, temperature: float = 1.0) -> Array:
    """The network's scores: the last layer's z divided by the temperature."""
    zs, _ = forward(layers, activations, x, temperature)
    return zs[-1] / temperature


def cross_entropy(logits: Array, labels: Array | Sequence[int] | int) -> float:
    """Mean of −log softmax(logits)[label] over the rows, as logsumexp − the label's score."""
    logits = np.atleast_2d(_array(logits))
    labels = np.atleast_1d(np.asarray(labels))
    top = logits.max(axis=1, keepdims=True)
    log_sum = (top + np.log(np.exp(logits - top).sum(axis=1, keepdims=True)))[:, 0]
    return float(np.mean(log_sum - logits[np.arange(len(labels)), labels]))


def loss(
    layers: Layers, activations: Sequence[str], x: Array, target: int, temperature: float = 1.0
) -> float:
    """Cross-entropy of one input's output against class ``target``."""
    return cross_entropy(scores(layers, activations, x, temperature), target)


def backprop(
    layers: Layers, activations: Sequence[str], x: Array, target: int, temperature: float = 1.0
) -> list[Array]:
    """[∂L/∂x, ∂L/∂z₁, …, ∂L/∂z_last] of one input's loss, by the chain rule written out.

    At the output ∂L/∂z = (p − onehot(target))/T; a layer below gets ∂L/∂a = Wᵀ·∂L/∂z from
    the layer above, and ∂L/∂z = f′(z)·∂L/∂a.
    """
    zs, outputs = forward(layers, activations, x, temperature)
    onehot = np.zeros_like(outputs[-1])
    onehot[target] = 1.0
    gradient = (outputs[-1] - onehot) / temperature
    gradients = [gradient]
    for index in range(len(layers) - 2, -1, -1):
        above = layers[index + 1][0].T @ gradient
        gradient = slope(activations[index], zs[index]) * above
        gradients.insert(0, gradient)
    return [layers[0][0].T @ gradient, *gradients]


def finite_differences(
    layers: Layers,
    activations: Sequence[str],
    x: Array,
    target: int,
    *,
    temperature: float = 1.0,
    step: float = 1e-3,
) -> list[Array]:
    """The same gradients as :func:`backprop`, by central differences of the loss alone.

    ∂L/∂x moves each input; ∂L/∂zₖ moves layer k's bias (z = W·a + b, so ∂L/∂bₖ = ∂L/∂zₖ).
    The five-point central stencil (error ∝ step⁴) lets the step be large enough that rounding
    stays near 1e-13 while truncation stays below 1e-10; near a kink (ReLU at z = 0) it is
    wrong, so callers keep every z of a kinked layer further than a few steps from 0.
    """

    def derivative(evaluate: Callable[[float], float]) -> float:
        ahead = evaluate(step) - evaluate(-step)
        far = evaluate(2 * step) - evaluate(-2 * step)
        return (8.0 * ahead - far) / (12.0 * step)

    x = _array(x)
    gradients = []

    def moved_input(unit: int) -> Callable[[float], float]:
        def evaluate(delta: float) -> float:
            moved = x.copy()
            moved[unit] += delta
            return loss(layers, activations, moved, target, temperature)

        return evaluate

    gradients.append(np.array([derivative(moved_input(unit)) for unit in range(x.size)]))

    def moved_bias(layer: int, unit: int) -> Callable[[float], float]:
        def evaluate(delta: float) -> float:
            weight, bias = layers[layer]
            moved = bias.copy()
            moved[unit] += delta
            changed = [*layers[:layer], (weight, moved), *layers[layer + 1 :]]
            return loss(changed, activations, x, target, temperature)

        return evaluate

    for layer, (_, bias) in enumerate(layers):
        gradients.append(
            np.array([derivative(moved_bias(layer, unit)) for unit in range(bias.size)])
        )
    return gradients


def unit_counts(
    layers: Layers, activations: Sequence[str], x: Array
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(dead, saturated) units per hidden layer over the batch ``x``.

    Dead: a ReLU unit with z ≤ 0 on every row. Saturated: any other unit with
    |f′(z)| < 0.01 on every row.
    """
    zs, _ = forward(layers, activations, x)
    dead, saturated = [], []
    for z, name in zip(zs[:-1], activations[:-1], strict=True):
        is_dead = (z <= 0).all(axis=0) if name in DYING else np.zeros(z.shape[1], dtype=bool)
        flat = (np.abs(slope(name, z)) < SATURATION_SLOPE).all(axis=0) & ~is_dead
        dead.append(int(is_dead.sum()))
        saturated.append(int(flat.sum()))
    return tuple(dead), tuple(saturated)
