"""The exported PyTorch script, run as a learner would run it: plain PyTorch, outside the lab.

Each script is written to a temporary directory and run by a fresh interpreter that cannot
import the project (``-I -S``, with only the directories torch is installed in on its path:
the project's editable install is a ``.pth`` file that ``-S`` leaves unread). Its printed
stages must equal the lab's trace, its weights must round-trip exactly, and it must not load
Qt.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import helpers
import numpy as np
import numpy_reference as ref
import pytest
import torch

from model.activations import HIDDEN_ACTIVATIONS
from model.cli_modes import run_trace
from model.code_export import pytorch_script, trace_command
from model.config import DEFAULT_INPUTS, Pipeline
from model.network import ActivationNet, trace_inputs

TIMEOUT = 120
#: What the script prints before the verdict line of the wrapper that ran it.
VERDICT = "@@verdict "
#: Run in place of the script: forbid the project, run the script as __main__, report.
WRAPPER = """\
import importlib.util, json, runpy, sys
sys.path[:0] = {paths!r}
blocked = [name for name in ("model", "gui", "main") if importlib.util.find_spec(name) is None]
names = runpy.run_path("script.py", run_name="__main__")
layers = [[w.tolist(), b.tolist()] for w, b in names.get("LAYERS", [])]
loaded = sorted({{name.split(".")[0] for name in sys.modules}})
print("{verdict}" + json.dumps({{"blocked": blocked, "loaded": loaded, "layers": layers}}))
"""


def hidden_pairs() -> list[tuple[str, str]]:
    """Every hidden activation at least once, two to a pipeline (new ones are covered too)."""
    names = list(HIDDEN_ACTIVATIONS)
    if len(names) % 2:
        names.append("ReLU")
    return list(zip(names[::2], names[1::2], strict=True))


PIPELINES = [
    Pipeline(),
    Pipeline(("Tanh", "GELU", "Softmax"), 0.5),
    *(Pipeline((a, b, "Softmax"), 1.0) for a, b in hidden_pairs()),
    Pipeline(("LeakyReLU", "ELU", "Softmax"), 3.0),
]


def run_script(text: str, directory: Path) -> tuple[str, dict[str, object]]:
    """Run script ``text`` in ``directory`` as plain PyTorch: (its output, the verdict)."""
    (directory / "script.py").write_text(text, encoding="utf-8")
    torch_dirs = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    wrapper = WRAPPER.format(paths=torch_dirs, verdict=VERDICT)
    (directory / "run.py").write_text(wrapper, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-I", "-S", "run.py"],
        cwd=directory,
        env=env,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    stdout = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    output, _, verdict_text = stdout.partition(VERDICT)
    verdict = json.loads(verdict_text)
    assert verdict["blocked"] == ["model", "gui", "main"], "the script could import the project"
    assert "torch" in verdict["loaded"]
    assert not {"PySide6", "shiboken6", "pyqtgraph"} & set(verdict["loaded"])
    return output, verdict


def stage_rows(output: str) -> list[tuple[str, list[float]]]:
    """The printed table's rows: (stage name, its four values), first stage first."""
    rows = []
    for line in output.splitlines()[1:]:
        match = re.match(r"(\w+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+1 × 4 → 1 × 4$", line)
        if match:
            rows.append((match[1], [float(cell) for cell in match.groups()[1:]]))
    return rows


def lab_table(
    pipeline: Pipeline, inputs: tuple[float, ...], capsys: pytest.CaptureFixture[str]
) -> str:
    """What ``main.py --trace`` prints for ``inputs`` through ``pipeline``."""
    capsys.readouterr()
    assert run_trace(",".join(repr(v) for v in inputs), False, pipeline) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("pipeline", PIPELINES, ids=lambda p: f"{p.label}")
def test_script_prints_the_lab_trace(
    pipeline: Pipeline, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Untrained: the script prints exactly the lab's trace table, stage for stage."""
    output, verdict = run_script(pytorch_script(pipeline), tmp_path)
    trace = trace_inputs(DEFAULT_INPUTS, pipeline.activations, pipeline.temperature)
    rows = stage_rows(output)
    assert [name for name, _ in rows] == ["Input", *pipeline.activations]
    for (_, values), stage in zip(rows, trace.stages, strict=True):
        assert values == pytest.approx(stage.values, abs=5e-5)
    assert output == lab_table(pipeline, DEFAULT_INPUTS, capsys)
    assert verdict["layers"] == []


def test_script_of_other_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Wide and tiny inputs keep the lab's column widths and digits."""
    pipeline = Pipeline(("SiLU", "Tanh", "Softmax"), 0.25)
    inputs = (-1_000_000.0, 1e-7, 0.1, 250.5)
    output, _ = run_script(pytorch_script(pipeline, inputs), tmp_path)
    assert "-1000000.0000" in output
    assert output == lab_table(pipeline, inputs, capsys)


@pytest.mark.parametrize("seed", [0, 1])
def test_script_with_weights_matches_the_network(seed: int, tmp_path: Path) -> None:
    """Random weights round-trip exactly, and the printed stages are the network's."""
    rng = np.random.default_rng(seed)
    pipeline = Pipeline(("GELU", "Softplus", "Softmax"), 0.7) if seed else Pipeline()
    layers = [(rng.normal(size=(4, 4)), rng.normal(size=4)) for _ in range(3)]
    layers[0][0][0, 0] = 1e-17  # digits a shortened literal would lose
    inputs = (0.3, -1.7, 2.2, 0.05)
    output, verdict = run_script(pytorch_script(pipeline, inputs, layers), tmp_path)
    assert verdict["layers"] == [[w.tolist(), b.tolist()] for w, b in layers]
    network = ActivationNet(pipeline.activations, temperature=pipeline.temperature)
    network.load_flat_weights(
        torch.tensor(np.concatenate([np.r_[w.ravel(), b] for w, b in layers]))
    )
    trace = network.trace(inputs)
    _, outputs = ref.forward(layers, pipeline.activations, np.array(inputs), pipeline.temperature)
    rows = [values for _, values in stage_rows(output)]
    assert rows[0] == pytest.approx(inputs, abs=5e-5)
    for row, stage, expected in zip(rows[1:], trace.stages[1:], outputs, strict=True):
        assert row == pytest.approx(stage.values, abs=5e-5)
        assert row == pytest.approx(expected, abs=5e-5)
    assert f"prediction: class {trace.prediction + 1} " in output


def test_script_matches_main_trace_command(tmp_path: Path) -> None:
    """The script prints what the real ``python main.py --trace`` prints, text for text."""
    pipeline = Pipeline(("Tanh", "GELU", "Softmax"), 0.5)
    command = trace_command(pipeline)
    assert command == (
        "python main.py --trace 2,-1,0.5,3 --activations Tanh,GELU,Softmax --temperature 0.5"
    )
    lab = helpers.run_python(*command.split()[1:], timeout=TIMEOUT)
    assert lab.returncode == 0, lab.stderr
    output, _ = run_script(pytorch_script(pipeline), tmp_path)
    assert output == lab.stdout
    assert "Softmax     0.3864    0.0552    0.1452    0.4131" in output


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("pipeline", PIPELINES[:2], ids=lambda p: f"{p.label}")
def test_script_reads_as_formatted_code(pipeline: Pipeline, weighted: bool, tmp_path: Path) -> None:
    """ruff finds nothing to fix or reformat: the script is laid out as code written by hand."""
    rng = np.random.default_rng(3)
    layers = [(rng.normal(size=(4, 4)), rng.normal(size=4)) for _ in range(3)] if weighted else None
    script = tmp_path / "script.py"
    script.write_text(pytorch_script(pipeline, weights=layers), encoding="utf-8")
    ruff = [str(Path(sys.executable).with_name("ruff")), "--isolated", "--line-length", "100"]
    for command in (["check", "--select", "E,W,F,I,UP,C4,SIM"], ["format", "--check"]):
        result = subprocess.run(
            [*ruff[:1], command[0], *ruff[1:], *command[1:], str(script)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_script_names_every_activation_module() -> None:
    """Hidden activations use torch.nn's modules with the lab's parameters."""
    script = pytorch_script(Pipeline(("LeakyReLU", "Softplus", "Softmax"), 2.0))
    assert "nn.LeakyReLU(negative_slope=0.01)" in script
    assert "nn.Softplus(beta=1.0)" in script
    assert "SoftmaxWithTemperature(TEMPERATURE)" in script
    assert "TEMPERATURE = 2.0" in script
    default = pytorch_script(Pipeline())
    assert "nn.ReLU()" in default
    assert "nn.Softmax(dim=-1)" in default
    assert "TEMPERATURE" not in default
    assert "nn.init.eye_" in default
    assert "python main.py --trace 2,-1,0.5,3\n" in default


@pytest.mark.parametrize(
    ("arguments", "needle"),
    [
        ({"pipeline": Pipeline(("ReLU", "Softmax", "Softmax"))}, "hidden"),
        ({"pipeline": Pipeline(temperature=0.0)}, "temperature"),
        ({"pipeline": Pipeline(), "inputs": (1.0, 2.0)}, "4 inputs"),
        ({"pipeline": Pipeline(), "weights": [(np.eye(4), np.zeros(4))]}, "3 (weight, bias)"),
        ({"pipeline": Pipeline(), "weights": [(np.eye(3), np.zeros(4))] * 3}, "4×4"),
    ],
)
def test_bad_arguments_say_why(arguments: dict[str, object], needle: str) -> None:
    """A pipeline the lab refuses, or inputs or weights of the wrong shape, raise ValueError."""
    with pytest.raises(ValueError, match=re.escape(needle)):
        pytorch_script(**arguments)  # type: ignore[arg-type]


def test_writing_a_script_loads_no_torch() -> None:
    """The window writes scripts without loading torch (it lives in the model process)."""
    result = helpers.run_python(
        "-c",
        "import sys; from model.code_export import pytorch_script; "
        "from model.config import Pipeline; pytorch_script(Pipeline()); "
        "print(sorted(m for m in ('torch', 'PySide6', 'pyqtgraph') if m in sys.modules))",
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_main_code_prints_the_script(tmp_path: Path) -> None:
    """``python main.py --code`` prints the script, and the script prints ``--trace``'s table."""
    pipeline = Pipeline(("ELU", "SiLU", "Softmax"), 4.0)
    options = ["--activations", "elu,silu,softmax", "--temperature", "4"]
    code = helpers.run_python("main.py", "--code", *options, timeout=TIMEOUT)
    assert code.returncode == 0, code.stderr
    assert code.stdout == pytorch_script(pipeline)
    lab = helpers.run_python("main.py", "--trace", "2,-1,0.5,3", *options, timeout=TIMEOUT)
    output, _ = run_script(code.stdout, tmp_path)
    assert output == lab.stdout
