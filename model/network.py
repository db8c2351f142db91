"""The network the learner watches: three square linear layers, each followed by an activation.

Untrained, every weight matrix is the identity and every bias zero, so the trace of an input is
exactly the pure activation pipeline (Input → ReLU → Sigmoid → Softmax) and a learner can check
each number by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from model.activations import Activation, get_activation
from model.trace import StageTrace, Trace

#: The product's pipeline: hidden activations first, the normalizing output last.
DEFAULT_ACTIVATIONS = ("ReLU", "Sigmoid", "Softmax")
WIDTH = 4
#: float64 so that what a learner checks by hand matches to every digit shown (1.23456 stays
#: 1.23456); for a 4×4 network the cost is lost in Python's per-operation overhead.
DTYPE = torch.float64


class ActivationNet(nn.Module):
    """``width`` inputs → Linear+act → … → Linear+Softmax, one layer per activation name.

    ``forward`` returns the logits (the final pre-activation): cross-entropy is computed from
    them with log-sum-exp, which is stable where ``log(softmax(z))`` underflows to ``-inf``.
    """

    def __init__(
        self, activations: Sequence[str] = DEFAULT_ACTIVATIONS, width: int = WIDTH
    ) -> None:
        super().__init__()
        self.activations: tuple[Activation, ...] = tuple(get_activation(n) for n in activations)
        if not self.activations or not self.activations[-1].normalizes:
            raise ValueError("the last activation must turn scores into probabilities")
        self.width = width
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
        """Return the logits of a batch ``x`` of shape (n, width)."""
        hidden = x
        for layer, activation in self._hidden:
            hidden = activation(layer(hidden))
        logits: Tensor = self._output(hidden)
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

    def forward_many(self, x: Tensor, flats: Tensor) -> Tensor:
        """Logits of batch ``x`` under each of K weight vectors ``flats`` (K, P): (K, n, width).

        One batched pass evaluates K snapshots for the cost of about one: on a 4×4 network a
        pass costs per operation, not per number.
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
                return z
            hidden = activation(z)
        raise AssertionError("unreachable: the network has at least one layer")

    def predict(self, x: Tensor) -> Tensor:
        """Class probabilities of a batch (the output activation applied to the logits)."""
        return self.activations[-1](self(x))

    @torch.no_grad()
    def trace(self, inputs: Sequence[float]) -> Trace:
        """Every stage's values for one input, as plain floats and numpy copies."""
        if len(inputs) != self.width:
            raise ValueError(f"expected {self.width} inputs, got {len(inputs)}")
        hidden = torch.tensor([list(inputs)], dtype=DTYPE)
        stages = [StageTrace(name="Input", values=_floats(hidden))]
        for layer, activation in zip(self.layers, self.activations, strict=True):
            assert isinstance(layer, nn.Linear)
            z = layer(hidden)
            hidden = activation(z)
            stages.append(
                StageTrace(
                    name=activation.name,
                    values=_floats(hidden),
                    pre_activation=_floats(z),
                    weight=layer.weight.detach().numpy().copy(),
                    bias=layer.bias.detach().numpy().copy(),
                )
            )
        return Trace(stages=tuple(stages))


def _floats(row: Tensor) -> tuple[float, ...]:
    values: list[float] = row[0].tolist()
    return tuple(values)


def trace_inputs(inputs: Sequence[float]) -> Trace:
    """The untrained network's trace of ``inputs``: what ``main.py --trace`` prints."""
    return ActivationNet().trace(inputs)
