"""The import rules that keep the architecture honest, checked in fresh interpreters.

``model/`` never loads Qt; the torch-free modules stay torch-free so the window starts fast and
can unpickle the model process's replies; the command-line modes never load Qt.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import textwrap
from pathlib import Path

import helpers

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120
QT_PACKAGES = ("PySide6", "shiboken6", "pyqtgraph", "gui")
TORCH_FREE = (
    "model",
    "model.protocol",
    "model.config",
    "model.trace",
    "model.records",
    "model.tasks",
    "model.activations",
    "model.parsing",
    "model.engine_entry",
)

#: Prelude of every child script: which of ``packages`` are loaded, as a sorted list.
PRELUDE = textwrap.dedent(
    """
    import importlib, json, sys

    def loaded(packages):
        return sorted({
            name.split(".")[0] for name in sys.modules
            if name.split(".")[0] in packages
        })
    """
)


def run_python(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter from the project directory."""
    return helpers.run_python(*args, "-c", PRELUDE + textwrap.dedent(script), timeout=TIMEOUT)


def last_json_line(result: subprocess.CompletedProcess[str]) -> object:
    """The child's verdict: the JSON on its last stdout line."""
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def model_modules() -> list[str]:
    """Every module in model/, found from the file system so new ones are covered too."""
    names = sorted(p.stem for p in (ROOT / "model").glob("*.py") if p.stem != "__init__")
    assert "engine" in names
    assert "network" in names
    return ["model", *(f"model.{name}" for name in names)]


def test_model_never_loads_qt() -> None:
    """Importing model and every model/*.py module loads no PySide6, pyqtgraph or gui."""
    script = f"""
    culprits = {{}}
    for module in {model_modules()!r}:
        importlib.import_module(module)
        found = loaded({QT_PACKAGES!r})
        if found:
            culprits[module] = found
            break
    print(json.dumps(culprits))
    """
    assert last_json_line(run_python(script)) == {}


def test_torch_free_modules_do_not_load_torch() -> None:
    """The modules the window imports leave torch unloaded (it starts in the model process)."""
    script = f"""
    culprit = None
    for module in {list(TORCH_FREE)!r}:
        importlib.import_module(module)
        if loaded(("torch",)):
            culprit = module
            break
    print(json.dumps(culprit))
    """
    assert last_json_line(run_python(script)) is None


def test_torch_free_modules_work_without_torch() -> None:
    """Using the torch-free parts (settings, formulas, parsing) still does not load torch."""
    script = """
    from model.activations import ACTIVATIONS, get_activation
    from model.config import TrainingConfig
    from model.parsing import parse_vector
    from model.tasks import TASKS
    TrainingConfig(task="clusters", learning_rate=0.1).validate()
    formulas = [get_activation(name).formula for name in ACTIVATIONS]
    parse_vector("2,-1,0.5,3", 4)
    titles = [task.title for task in TASKS.values()]
    print(json.dumps(loaded(("torch",))))
    """
    assert last_json_line(run_python(script)) == []


def engine_replies() -> list[object]:
    """Every kind of reply, as the real model loop sends them (run in a thread here)."""
    import multiprocessing
    import threading

    from model import protocol as msg
    from model.config import TrainingConfig
    from model.engine import Engine

    ours, theirs = multiprocessing.Pipe()
    thread = threading.Thread(target=Engine(theirs).run, daemon=True)
    thread.start()
    replies: list[object] = []

    def until(kind: type) -> None:
        while True:
            assert ours.poll(30), f"no {kind.__name__} within 30 s"
            reply = ours.recv()
            replies.append(reply)
            if isinstance(reply, kind):
                return

    until(msg.EngineReady)
    ours.send(msg.SetInputs((1.0, 2.0, 3.0, 4.0)))
    until(msg.TraceComputed)
    ours.send(msg.StepEpoch())
    until(msg.TrainingProgress)
    ours.send(msg.Configure(TrainingConfig(learning_rate=-1)))
    until(msg.RequestRefused)
    ours.send(msg.Configure(TrainingConfig(learning_rate=50)))
    until(msg.TrainingReset)
    ours.send(msg.SetTraining(True))
    until(msg.TrainingDiverged)
    ours.send(msg.Shutdown())
    thread.join(10)
    return replies


def test_real_replies_unpickle_without_torch(tmp_path: Path) -> None:
    """Every reply the model process sends unpickles in a process that never loads torch.

    The window's process relies on this to start fast; a ``torch.__version__`` (a TorchVersion,
    not a str) in EngineReady once made the window import torch while starting.
    """
    replies = engine_replies()
    kinds = sorted({type(reply).__name__ for reply in replies})
    assert {"EngineReady", "TraceComputed", "TrainingProgress", "TrainingDiverged"} <= set(kinds)
    path = tmp_path / "replies.pickle"
    path.write_bytes(pickle.dumps(replies))
    script = f"""
    import pickle, pathlib
    replies = pickle.loads(pathlib.Path({str(path)!r}).read_bytes())
    print(json.dumps([loaded(("torch",)), len(replies)]))
    """
    assert last_json_line(run_python(script)) == [[], len(replies)]


def test_command_line_modes_do_not_load_qt() -> None:
    """main.main(['--trace', ...]) and a short --train load no Qt; importing main loads no torch."""
    script = f"""
    import contextlib, io
    import main
    after_import = loaded(("torch",) + {QT_PACKAGES!r})
    with contextlib.redirect_stdout(io.StringIO()):
        trace_code = main.main(["--trace", "1,2,3,4"])
        after_trace = loaded({QT_PACKAGES!r})
        train_code = main.main(["--train", "--epochs", "1", "--json"])
    print(json.dumps([after_import, trace_code, after_trace, train_code, loaded({QT_PACKAGES!r})]))
    """
    assert last_json_line(run_python(script)) == [[], 0, [], 0, []]


def test_trace_command_imports_no_pyside() -> None:
    """python -X importtime main.py --trace lists no PySide6 or pyqtgraph import."""
    result = helpers.run_python("-X", "importtime", "main.py", "--trace", "1,2,3,4")
    assert result.returncode == 0, result.stderr
    assert "import time:" in result.stderr  # the report really ran
    for package in ("PySide6", "shiboken6", "pyqtgraph"):
        assert package not in result.stderr
