"""The PyTorch script of the learner's network: plain text a learner can run anywhere.

The script builds exactly the pipeline the lab runs (same activations, temperature, float64,
identity weights or the lab's current ones written out to every digit) and prints the trace
of one input in the layout of ``python main.py --trace``. It needs only PyTorch, so a learner
can paste it into a notebook and see the lab's numbers come out of ordinary code.

This module only writes text: it imports neither torch nor Qt. The script is laid out as
``ruff format`` would lay it out (a test checks), so it reads like code written by hand.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from string import Template

import numpy as np
import numpy.typing as npt

from model.activations import DEFAULT_TEMPERATURE, get_activation
from model.config import DEFAULT_INPUTS, Pipeline
from model.trace import FloatArray

__all__ = ["pytorch_script", "trace_command"]

_WIDTH = 4
_LINE_LENGTH = 100
_DOCSTRING_WIDTH = 92
#: The torch.nn module of each hidden activation, and which of the registry's keyword
#: arguments it takes (Identity's belong to torch.mul, not nn.Identity). nn.GELU's default is
#: the exact erf form and nn.Softplus's threshold is F.softplus's: the functions the lab calls.
_MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ReLU": ("ReLU", ()),
    "LeakyReLU": ("LeakyReLU", ("negative_slope",)),
    "ELU": ("ELU", ("alpha",)),
    "GELU": ("GELU", ()),
    "SiLU": ("SiLU", ()),
    "Softplus": ("Softplus", ("beta",)),
    "Tanh": ("Tanh", ()),
    "Sigmoid": ("Sigmoid", ()),
    "Identity": ("Identity", ()),
}

_SCRIPT = Template('''"""$title

$about
"""

import torch
from torch import nn

# Double precision, as the lab computes: every printed digit matches.
DTYPE = torch.float64
$constants
$softmax_class

class Network(nn.Module):
    """4 inputs → 3 layers, each a Linear(4, 4) followed by its activation."""

    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            [
$layers
            ]
        )

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Every layer's output in turn; the last one is the class probabilities."""
        outputs = []
        for layer in self.layers:
            x = layer(x)
            outputs.append(x)
        return outputs


def print_trace(names: list[str], rows: list[list[float]]) -> None:
    """One line per stage; each column as wide as its widest number (9 at least)."""
    cells = [[f"v{i + 1}" for i in range(4)]] + [[f"{v:.4f}" for v in row] for row in rows]
    widths = [max(9, *(len(cell) for cell in column)) for column in zip(*cells)]
    labels = ["stage", *names]
    shapes = ["shape"] + ["1 × 4 → 1 × 4"] * len(names)
    name_width = max(len(label) for label in labels)
    for label, row, shape in zip(labels, cells, shapes):
        columns = " ".join(cell.rjust(width) for cell, width in zip(row, widths))
        print(f"{label:<{name_width}}  {columns}  {shape}")


def main() -> None:
    network = Network()
    with torch.no_grad():
$setup
        x = torch.tensor([INPUTS], dtype=DTYPE)  # a batch of one input
        outputs = network(x)
    rows = [INPUTS] + [output[0].tolist() for output in outputs]
    print_trace($stage_names, rows)
    probabilities = rows[-1]
    predicted = int(torch.argmax(outputs[-1][0])) + 1
    print(f"prediction: class {predicted} (softmax sums to {sum(probabilities):.4f})")
$temperature_line

if __name__ == "__main__":
    main()
''')
_SOFTMAX_CLASS = '''

class SoftmaxWithTemperature(nn.Module):
    """Softmax of z / T: a T below 1 sharpens the probabilities, a T above 1 evens them out."""

    def __init__(self, temperature: float) -> None:
        super().__init__()
        self.temperature = temperature

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.softmax(z / self.temperature, dim=-1)
'''
_IDENTITY_SETUP = """\
        for layer in network.layers:
            # Identity weights and zero biases: each unit passes its own input on.
            nn.init.eye_(layer[0].weight)
            nn.init.zeros_(layer[0].bias)"""
_WEIGHTS_SETUP = """\
        for layer, (weight, bias) in zip(network.layers, LAYERS):
            layer[0].weight.copy_(weight)
            layer[0].bias.copy_(bias)"""
_TEMPERATURE_LINE = (
    '    print(f"temperature: T = {TEMPERATURE:g} (the output is softmax(z / T))")\n'
)


def pytorch_script(
    pipeline: Pipeline,
    inputs: Sequence[float] = DEFAULT_INPUTS,
    weights: Sequence[tuple[npt.ArrayLike, npt.ArrayLike]] | None = None,
) -> str:
    """A runnable, commented PyTorch script of ``pipeline`` that prints the trace of ``inputs``.

    ``weights`` is one (weight 4×4, bias 4) pair per layer, rows of a weight being units (as
    in ``trace.stages[1:]``); without it the script uses identity weights and zero biases, the
    untrained lab. Weights are written at ``repr`` precision, so they round-trip exactly.
    Raises ValueError for an invalid pipeline, or inputs or weights of the wrong shape.
    """
    pipeline = pipeline.validate()
    names = pipeline.activations
    if len(inputs) != _WIDTH:
        raise ValueError(f"expected {_WIDTH} inputs, got {len(inputs)}")
    layers = None if weights is None else _checked_weights(weights, len(names))
    tempered = pipeline.temperature != DEFAULT_TEMPERATURE
    constants = _list_lines(inputs, "", "", "INPUTS = ")
    if tempered:
        constants += [
            "# Softmax's temperature T: the output is softmax(z / T).",
            f"TEMPERATURE = {pipeline.temperature!r}",
        ]
    if layers is not None:
        constants += _weight_lines(layers, names)
    modules = []
    linear = "nn.Linear(4, 4, dtype=DTYPE)"
    for name in names:
        modules += [
            f"                # {name}: {get_activation(name).formula}",
            f"                nn.Sequential({linear}, {_module(name, tempered)}),",
        ]
    return _SCRIPT.substitute(
        title=f"{' → '.join(names)}: Activation Lab's network as a plain PyTorch script.",
        about=_about(pipeline, inputs, weighted=layers is not None),
        constants="\n".join(constants),
        softmax_class=_SOFTMAX_CLASS if tempered else "",
        layers="\n".join(modules),
        setup=_IDENTITY_SETUP if layers is None else _WEIGHTS_SETUP,
        stage_names=f"[{', '.join(f'{name!r}' for name in ('Input', *names))}]".replace("'", '"'),
        temperature_line=_TEMPERATURE_LINE if tempered else "",
    )


def trace_command(pipeline: Pipeline, inputs: Sequence[float] = DEFAULT_INPUTS) -> str:
    """The ``main.py --trace`` command that prints the untrained lab's trace of ``inputs``."""
    command = f"python main.py --trace {','.join(_short(v) for v in inputs)}"
    if tuple(pipeline.activations) != Pipeline().activations:
        command += f" --activations {','.join(pipeline.activations)}"
    if pipeline.temperature != DEFAULT_TEMPERATURE:
        command += f" --temperature {_short(pipeline.temperature)}"
    return command


def _about(pipeline: Pipeline, inputs: Sequence[float], weighted: bool) -> str:
    """The script's docstring body: what it builds and which numbers it prints."""
    if weighted:
        made = "the weights the lab had when this script was written"
        source = "exactly as the lab showed them then."
    else:
        made = "identity weights and zero biases, as the untrained lab has them"
        source = "as this command of the lab prints them:"
    about = (
        f"It builds the lab's network: 4 inputs, then 3 layers, each a Linear(4, 4) followed "
        f"by its activation, with {made}. It runs one input through it and prints every "
        f"stage, {source}"
    )
    lines = textwrap.wrap(about, _DOCSTRING_WIDTH)
    if not weighted:
        lines += ["", f"    {trace_command(pipeline, inputs)}"]
    lines += ["", "Needs only PyTorch: run it with `python`, or paste it into a notebook."]
    return "\n".join(lines)


def _checked_weights(
    weights: Sequence[tuple[npt.ArrayLike, npt.ArrayLike]], count: int
) -> list[tuple[FloatArray, FloatArray]]:
    if len(weights) != count:
        raise ValueError(
            f"expected {count} (weight, bias) pairs, one per layer, not {len(weights)}"
        )
    layers = []
    for weight, bias in weights:
        matrix = np.asarray(weight, dtype=np.float64)
        vector = np.asarray(bias, dtype=np.float64)
        if matrix.shape != (_WIDTH, _WIDTH) or vector.shape != (_WIDTH,):
            raise ValueError(
                f"each layer needs a {_WIDTH}×{_WIDTH} weight and {_WIDTH} biases, "
                f"not shapes {matrix.shape} and {vector.shape}"
            )
        layers.append((matrix, vector))
    return layers


def _weight_lines(
    layers: Sequence[tuple[FloatArray, FloatArray]], names: Sequence[str]
) -> list[str]:
    """A WEIGHT_n and BIAS_n constant per layer, and LAYERS pairing them."""
    lines = []
    for number, ((weight, bias), name) in enumerate(zip(layers, names, strict=True), start=1):
        lines += [
            f"# Layer {number} ({name}): row i of the weight makes unit i's z.",
            f"WEIGHT_{number} = torch.tensor(",
            "    [",
        ]
        for row in weight:
            lines += _list_lines(row, "        ", ",")
        lines += ["    ],", "    dtype=DTYPE,", ")"]
        lines += _list_lines(bias, "", ")", f"BIAS_{number} = torch.tensor(", ", dtype=DTYPE")
    pairs = ", ".join(f"(WEIGHT_{n}, BIAS_{n})" for n in range(1, len(layers) + 1))
    return [*lines, f"LAYERS = [{pairs}]"]


def _list_lines(
    values: Sequence[float] | FloatArray, indent: str, end: str, opening: str = "", tail: str = ""
) -> list[str]:
    """``{opening}[values]{tail}{end}`` on one line if it fits, else split as ruff splits it.

    An ``opening`` that ends in "(" is a call: its arguments then go one per line.
    """
    literal = f"[{', '.join(_number(value) for value in values)}]"
    one = f"{indent}{opening}{literal}{tail}{end}"
    if len(one) <= _LINE_LENGTH:
        return [one]
    if opening.endswith("("):
        inner = indent + "    "
        return [
            f"{indent}{opening}",
            *_list_lines(values, inner, ","),
            f"{inner}{tail.removeprefix(', ')},",
            f"{indent}{end}",
        ]
    items = [f"{indent}    {_number(value)}," for value in values]
    return [f"{indent}{opening}[", *items, f"{indent}]{tail}{end}"]


def _module(name: str, tempered: bool) -> str:
    """The torch.nn module that computes activation ``name`` exactly as the lab does."""
    activation = get_activation(name)
    if activation.normalizes:
        return "SoftmaxWithTemperature(TEMPERATURE)" if tempered else "nn.Softmax(dim=-1)"
    try:
        module, keys = _MODULES[name]
    except KeyError:
        raise ValueError(f"no torch.nn module is known for {name!r}") from None
    arguments = ", ".join(f"{key}={activation.kwargs[key]!r}" for key in keys)
    return f"nn.{module}({arguments})"


def _number(value: float) -> str:
    """``value`` at ``repr`` precision (an exact round trip); inf and nan as float("...")."""
    number = float(value)
    if not math.isfinite(number):
        return f'float("{number}")'
    return repr(number).replace("e+", "e")  # 1e+300 as ruff writes it: 1e300


def _short(value: float) -> str:
    """``value`` as ``:g`` writes it when that is exact, else every digit."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)
