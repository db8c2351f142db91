"""The network the learner watches: three square linear layers, each followed by an activation.

Untrained, every weight matrix is the identity and every bias zero, so the trace of an input is
exactly the pure activation pipeline (Input → ReLU → Sigmoid → Softmax by default) and a learner
can check each number by hand. The activations are data (any pipeline
:func:`~model.activations.check_pipeline` accepts); a trace with a target also carries the loss
and every stage's gradient, from autograd.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 (the conventional name)
from torch import Tensor, nn

from model.activations import (
    DEFAULT_ACTIVATIONS,
    DEFAULT_TEMPERATURE,
    Activation,
    check_temperature,
    get_activation,
    own_slopes,
)
from model.trace import StageCurve, StageTrace, Trace

__all__ = ["CURVE_POINTS", "CURVE_Z", "DEFAULT_ACTIVATIONS", "DTYPE", "WIDTH", "ActivationNet"]

WIDTH = 4
#: Curves are drawn over z in [−CURVE_Z, CURVE_Z], at CURVE_POINTS points (0 among them, so
#: ReLU's kink is drawn where it is).
CURVE_Z = 6.0
CURVE_POINTS = 121
#: float64 so that what a learner checks by hand matches to every digit shown (1.23456 stays
#: 1.23456); for a 4×4 network the cost is lost in Python's per-operation overhead.
DTYPE = torch.float64


def _curve_grid() -> Tensor:
    # arange, not linspace: linspace's middle point is −3.3e-16, and ReLU's kink must be at 0.
    half = (CURVE_POINTS - 1) // 2
    return torch.arange(-half, half + 1, dtype=DTYPE) * (CURVE_Z / half)


class ActivationNet(nn.Module):
    """``width`` inputs → Linear+act → … → Linear+Softmax, one layer per activation name.

    ``forward`` returns the scores (the final pre-activation over softmax's temperature T):
    cross-entropy is computed from them with log-sum-exp, which is stable where
    ``log(softmax(z))`` underflows to ``-inf``.
    """

    def __init__(
        self,
        activations: Sequence[str] = DEFAULT_ACTIVATIONS,
        width: int = WIDTH,
        temperature: float = DEFAULT_TEMPERATURE,
    ) -> None:
        super().__init__()
        self.activations: tuple[Activation, ...] = tuple(get_activation(n) for n in activations)
        if not self.activations or not self.activations[-1].normalizes:
            raise ValueError("the last activation must turn scores into probabilities")
        if any(a.normalizes for a in self.activations[:-1]):
            raise ValueError("a hidden layer cannot normalize its row")
        check_temperature(temperature)
        self.width = width
        #: Softmax's T: the network's scores are the last layer's z divided by it, so that
        #: cross-entropy of the scores is the loss of the probabilities the learner sees.
        self.temperature = temperature
        self._curves: dict[str, StageCurve] = {}
        self.layers = nn.ModuleList(nn.Linear(width, width, dtype=DTYPE) for _ in self.activations)
        linears = [layer for layer in self.layers if isinstance(layer, nn.Linear)]
        # Plain tuples for the hot path: slicing a ModuleList builds a new module each call,
        # which cost more than the 4×4 matrix products themselves.
        self._hidden = tuple(zip(linears[:-1], self.activations[:-1], strict=True))
        self._output = linears[-1]
        self.reset_to_identity()

    def reset_to_identity(self) -> None:
        """Identity weights and zero biases: the untrained, hand-checkable pipeline."""
        with torch.no_grad():
            for layer in self.layers:
                assert isinstance(layer, nn.Linear)
                nn.init.eye_(layer.weight)
                nn.init.zeros_(layer.bias)

    def forward(self, x: Tensor) -> Tensor:
        """Return the scores (the last z over the temperature) of a batch ``x``: (n, width)."""
        hidden = x
        for layer, activation in self._hidden:
            hidden = activation(layer(hidden))
        logits: Tensor = self._output(hidden)
        if self.temperature != 1.0:
            logits = logits / self.temperature
        return logits

    def flat_weights(self) -> Tensor:
        """A copy of every weight and bias in one vector (layer by layer, weight then bias)."""
        with torch.no_grad():
            return torch.cat([p.detach().reshape(-1) for p in self.parameters()])

    def load_flat_weights(self, flat: Tensor) -> None:
        """Set every weight and bias from a vector made by :meth:`flat_weights`."""
        with torch.no_grad():
            offset = 0
            for parameter in self.parameters():
                count = parameter.numel()
                parameter.copy_(flat[offset : offset + count].view_as(parameter))
                offset += count

    def forward_many(
        self, x: Tensor, flats: Tensor, hidden_z: list[Tensor] | None = None
    ) -> Tensor:
        """Scores of batch ``x`` under each of K weight vectors ``flats`` (K, P): (K, n, width).

        One batched pass evaluates K snapshots for the cost of about one: on a 4×4 network a
        pass costs per operation, not per number. Each hidden layer's z, (K, n, width), is
        appended to ``hidden_z`` when a list is given.
        """
        count = flats.shape[0]
        width = self.width
        hidden = x.expand(count, *x.shape)
        offset = 0
        last = len(self.activations) - 1
        for index, activation in enumerate(self.activations):
            weight = flats[:, offset : offset + width * width].view(count, width, width)
            offset += width * width
            bias = flats[:, offset : offset + width]
            offset += width
            z = torch.baddbmm(bias.unsqueeze(1), hidden, weight.transpose(1, 2))
            if index == last:
                return z / self.temperature if self.temperature != 1.0 else z
            if hidden_z is not None:
                hidden_z.append(z)
            hidden = activation(z)
        raise AssertionError("unreachable: the network has at least one layer")

    def predict(self, x: Tensor) -> Tensor:
        """Class probabilities of a batch (softmax of the scores)."""
        return torch.softmax(self(x), dim=-1)

    def trace(self, inputs: Sequence[float], target: int | None = None) -> Trace:
        """Every stage's values for one input, as plain floats and numpy copies.

        Each layer's stage also has f′(z) per unit and its activation's curve. With a
        ``target`` class (0-based) the trace has the loss, cross-entropy of the output against
        the target, and every stage's gradient of it: ∂L/∂x for the input, ∂L/∂z for a layer.
        """
        if len(inputs) != self.width:
            raise ValueError(f"expected {self.width} inputs, got {len(inputs)}")
        if target is not None and not 0 <= target < self.width:
            raise ValueError(f"the target class must be 0-{self.width - 1}, not {target}")
        with torch.set_grad_enabled(target is not None):
            x = torch.tensor([list(inputs)], dtype=DTYPE, requires_grad=target is not None)
            hidden, zs, outputs = x, [], []
            for layer, activation in zip(self.layers, self.activations, strict=True):
                z = layer(hidden)
                if target is not None:
                    z.retain_grad()
                hidden = activation(z, self.temperature)
                zs.append(z)
                outputs.append(hidden)
            loss = None
            if target is not None:
                scores = zs[-1] / self.temperature
                loss = F.cross_entropy(scores, torch.tensor([target]))
                gradients = torch.autograd.grad(loss, [x, *zs])
        stages = [
            StageTrace(
                name="Input",
                values=_floats(x),
                gradient=_floats(gradients[0]) if target is not None else None,
            )
        ]
        for index, (layer, activation) in enumerate(
            zip(self.layers, self.activations, strict=True)
        ):
            assert isinstance(layer, nn.Linear)
            z = zs[index].detach()
            stages.append(
                StageTrace(
                    name=activation.name,
                    values=_floats(outputs[index]),
                    pre_activation=_floats(z),
                    weight=layer.weight.detach().numpy().copy(),
                    bias=layer.bias.detach().numpy().copy(),
                    derivative=_floats(activation.derivative(z, self.temperature)),
                    gradient=_floats(gradients[index + 1]) if target is not None else None,
                    curve=self._curve(activation, z),
                )
            )
        return Trace(
            stages=tuple(stages),
            target=target,
            loss=None if loss is None else float(loss.item()),
            temperature=self.temperature,
        )

    def _curve(self, activation: Activation, z: Tensor) -> StageCurve:
        """f and f′ over [−CURVE_Z, CURVE_Z]: the same for every trace unless normalizing."""
        if not activation.normalizes:
            cached = self._curves.get(activation.name)
            if cached is None:
                grid = _curve_grid()
                with torch.no_grad():
                    values = activation(grid)
                cached = StageCurve(
                    grid.numpy(),
                    values.numpy()[np.newaxis],
                    activation.derivative(grid).numpy()[np.newaxis],
                )
                self._curves[activation.name] = cached
            return cached
        # Unit i's probability as its own score sweeps the grid, the other scores held: row
        # (i, n) of the batch is the current z with z_i replaced by grid[n].
        grid = _curve_grid()
        width = z.shape[-1]
        rows = z.reshape(1, 1, width).repeat(width, CURVE_POINTS, 1)
        units = torch.arange(width)
        rows[units, :, units] = grid
        with torch.no_grad():
            probabilities = activation(rows, self.temperature)[units, :, units]
        slopes = own_slopes(activation, rows, units, self.temperature)
        return StageCurve(grid.numpy(), probabilities.numpy(), slopes.numpy())


def _floats(row: Tensor) -> tuple[float, ...]:
    values: list[float] = row[0].tolist()
    return tuple(values)


def trace_inputs(
    inputs: Sequence[float],
    activations: Sequence[str] = DEFAULT_ACTIVATIONS,
    temperature: float = DEFAULT_TEMPERATURE,
    target: int | None = None,
) -> Trace:
    """The untrained network's trace of ``inputs``: what ``main.py --trace`` prints."""
    return ActivationNet(activations, temperature=temperature).trace(inputs, target)
