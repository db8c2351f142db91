"""``--self-test PATH`` from source: the real window offscreen, the model process, one epoch,
an edit checked in numpy, a screenshot and a clean close, reported in a file.

The runner is started in its own interpreter, like the bundled executable would be: a
``QThread: Destroyed`` abort happens after everything else has passed, so only the exit code
and stderr show it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import helpers
import numpy as np
import pytest

from gui.self_test import numpy_mismatch, run_self_test
from model.trace import StageTrace, Trace

RUN = textwrap.dedent(
    """
    import sys
    from gui.self_test import run_self_test
    sys.exit(run_self_test(sys.argv[1], version="test"))
    """
)
CHECKS = (
    "window built and painted",
    "model process ready (PyTorch loaded)",
    "one epoch trained",
    "input edited",
    "trace of the edited input arrived",
    "trace matches the model's weights (numpy)",
    "screenshot saved",
    "closed cleanly (model thread and process stopped)",
    "no Qt warnings",
)


def test_the_self_test_passes_and_says_what_it_checked(tmp_path: Path) -> None:
    """Exit 0, every check PASS with its time, versions listed, a real screenshot."""
    report = tmp_path / "report.txt"
    result = helpers.run_python("-c", RUN, str(report), timeout=240)
    assert result.returncode == 0, result.stderr + (report.read_text() if report.exists() else "")
    text = report.read_text()
    assert "result: PASS" in text
    for check in CHECKS:
        assert any(line.startswith("PASS") and check in line for line in text.splitlines()), check
    assert "FAIL" not in text
    assert "PyTorch (model process): 2." in text
    assert "bundle: running from source" in text
    picture = tmp_path / "report-screenshot.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Traceback" not in result.stderr
    assert "QThread: Destroyed" not in result.stderr


def test_a_missing_folder_is_refused_with_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No Qt starts, exit 2, and the message names the folder."""
    assert run_self_test(str(tmp_path / "nowhere" / "report.txt")) == 2
    assert "nowhere" in capsys.readouterr().err


def _trace(weight: np.ndarray, pre_activation: tuple[float, ...]) -> Trace:
    inputs = (2.0, -1.0, 0.5, 3.0)
    bias = np.zeros(4)
    relu = tuple(max(z, 0.0) for z in pre_activation)
    sigmoid_z = tuple(float(v) for v in np.eye(4) @ np.array(relu))
    sigmoid = tuple(float(1 / (1 + np.exp(-z))) for z in sigmoid_z)
    soft_z = np.array(sigmoid)
    soft = tuple(float(v) for v in np.exp(soft_z) / np.exp(soft_z).sum())
    return Trace(
        stages=(
            StageTrace("Input", inputs),
            StageTrace("ReLU", relu, pre_activation, weight, bias),
            StageTrace("Sigmoid", sigmoid, sigmoid_z, np.eye(4), bias),
            StageTrace("Softmax", soft, tuple(soft_z), np.eye(4), bias),
        )
    )


def test_the_numpy_check_accepts_a_right_trace_and_names_a_wrong_stage() -> None:
    """A trace true to its weights passes; one whose z disagrees is caught at its stage."""
    assert numpy_mismatch(_trace(np.eye(4), (2.0, -1.0, 0.5, 3.0))) is None
    wrong = numpy_mismatch(_trace(np.eye(4), (2.0, -1.0, 0.5, 3.5)))
    assert wrong is not None
    assert wrong.startswith("stage 1 (ReLU)")
