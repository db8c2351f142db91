"""Activation Lab: start the window, or use the model from the command line.

    python main.py                              open the window
    python main.py --trace 2,-1,0.5,3 [--json]  print the untrained pipeline of one input
    python main.py --train --epochs 5 --seed 0 [--task NAME] [--lr X] [--json]
    python main.py --screenshot PATH [--epochs N]

The command-line modes import no Qt; the window imports no torch (the model runs in a child
process). Both keep start-up fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from model.config import DEFAULT_INPUTS, OPTIMIZER_NAMES, TrainingConfig
from model.parsing import NumberError, parse_number, parse_vector
from model.tasks import DEFAULT_TASK, TASKS

if TYPE_CHECKING:
    from gui.main_window import MainWindow

__version__ = "0.1.0"
MAX_EPOCHS = 10_000


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line (no usage dump) so scripts can show the reason."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = _Parser(
        prog="main.py",
        description="Activation Lab: watch numbers flow through ReLU, Sigmoid and Softmax.",
        epilog="With no option, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"Activation Lab {__version__}")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--trace",
        metavar="X1,X2,X3,X4",
        help="print the untrained network's trace of four comma-separated numbers",
    )
    mode.add_argument("--train", action="store_true", help="train headless, print the epochs")
    mode.add_argument("--screenshot", metavar="PATH", help="render the window to a PNG and exit")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--epochs", type=int, help=f"epochs to train (1-{MAX_EPOCHS})")
    training = parser.add_argument_group("training options (with --train)")
    training.add_argument("--seed", type=int, help="seed of data and shuffling (0)")
    training.add_argument("--task", help=f"task: {', '.join(TASKS)} ({DEFAULT_TASK})")
    training.add_argument("--lr", help="learning rate, above 0 and at most 100 (0.05)")
    training.add_argument("--optimizer", help=f"optimizer: {', '.join(OPTIMIZER_NAMES)} (Adam)")
    training.add_argument("--batch-size", type=int, help="mini-batch size (32)")
    # A value such as "-1.5,2,0,3" looks like an option to argparse: glue it to its flag first.
    args = parser.parse_args(_join_trace_value(list(argv)))
    _check_combinations(parser, args)
    return args


def _join_trace_value(argv: list[str]) -> list[str]:
    for index, item in enumerate(argv[:-1]):
        if item == "--trace":
            return [*argv[:index], f"--trace={argv[index + 1]}", *argv[index + 2 :]]
    return argv


def _check_combinations(parser: _Parser, args: argparse.Namespace) -> None:
    if args.json and not (args.trace or args.train):
        parser.error("--json goes with --trace or --train")
    if args.epochs is not None and not (args.train or args.screenshot):
        parser.error("--epochs goes with --train or --screenshot")
    if args.train and args.epochs is None:
        args.epochs = 5
    if args.epochs is not None and not 0 <= args.epochs <= MAX_EPOCHS:
        parser.error(f"--epochs must be between 0 and {MAX_EPOCHS}, not {args.epochs}")
    given = [
        f"--{name.replace('_', '-')}"
        for name in _TRAINING_OPTIONS
        if getattr(args, name) is not None
    ]
    if given and not args.train:
        verb = "goes" if len(given) == 1 else "go"
        parser.error(f"{', '.join(given)} {verb} with --train only")
    if args.train:
        args.config = _training_config(parser, args)


_TRAINING_OPTIONS = ("seed", "task", "lr", "optimizer", "batch_size")


def _training_config(parser: _Parser, args: argparse.Namespace) -> TrainingConfig:
    defaults = TrainingConfig()
    learning_rate = defaults.learning_rate
    if args.lr is not None:
        try:
            learning_rate = parse_number(args.lr)
        except NumberError as error:
            parser.error(f"--lr: {error}")
    config = TrainingConfig(
        task=defaults.task if args.task is None else args.task,
        seed=defaults.seed if args.seed is None else args.seed,
        optimizer=defaults.optimizer if args.optimizer is None else args.optimizer,
        learning_rate=learning_rate,
        batch_size=defaults.batch_size if args.batch_size is None else args.batch_size,
    )
    try:
        config.validate()
    except ValueError as error:
        parser.error(str(error))
    return config


# Command-line modes (no Qt) --------------------------------------------------------------------


def run_trace(text: str, as_json: bool) -> int:
    """Print the untrained trace of ``text``; exit code 2 with a reason for bad input."""
    try:
        values = parse_vector(text, len(DEFAULT_INPUTS))
    except NumberError as error:
        print(f"main.py: error: --trace: {error}", file=sys.stderr)
        return 2
    from model.network import trace_inputs

    trace = trace_inputs(values)
    if as_json:
        print(json.dumps(trace.to_json()))
        return 0
    width = max(len(stage.name) for stage in trace.stages)
    header = " ".join(f"{f'v{i + 1}':>9}" for i in range(len(values)))
    print(f"{'stage':<{width}}  {header}  shape")
    for stage in trace.stages:
        row = " ".join(f"{v:>9.4f}" for v in stage.values)
        print(f"{stage.name:<{width}}  {row}  {stage.shape_text}")
    total = sum(trace.stages[-1].values)
    print(f"prediction: class {trace.prediction + 1} (softmax sums to {total:.4f})")
    return 0


def run_training(config: TrainingConfig, epochs: int, as_json: bool) -> int:
    """Train headless for ``epochs`` and print the epoch table or JSON."""
    import torch

    from model.training import DivergenceError, Trainer

    torch.set_num_threads(1)  # tiny network: one thread is fastest and identical everywhere
    trainer = Trainer(config)
    records = []
    try:
        for _ in range(epochs):
            records.append(trainer.train_epoch())
    except DivergenceError as error:
        print(f"main.py: {error}", file=sys.stderr)
        diverged = True
    else:
        diverged = False
    if as_json:
        print(json.dumps({"config": vars(config), "epochs": [r.to_json() for r in records]}))
    else:
        print(f"{'epoch':>5}  {'train loss':>10}  {'test loss':>9}  {'accuracy':>8}  observation")
        for r in records:
            print(
                f"{r.epoch:>5}  {r.train_loss:>10.4f}  {r.test_loss:>9.4f}  "
                f"{r.test_accuracy:>8.1%}  {r.observation}"
            )
    return 1 if diverged else 0


# The window ------------------------------------------------------------------------------------


def build_window() -> MainWindow:
    """The main window, ready to ``show()``; a QApplication must exist."""
    from gui.main_window import MainWindow

    return MainWindow()


def _application(argv: Sequence[str]) -> object:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Activation Lab")
    app.setApplicationVersion(__version__)
    return app


def run_window() -> int:
    """Open the window and run until it closes."""
    from PySide6.QtWidgets import QApplication

    _application([])
    window = build_window()
    window.show()
    return QApplication.exec()


def run_screenshot(path: str, epochs: int) -> int:
    """Render the window offscreen once the model has answered (and trained), save a PNG."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.screenshot import take_screenshot

    _application([])
    return take_screenshot(build_window(), path, epochs)


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch on the command line; returns the process exit code."""
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.trace is not None:
        return run_trace(args.trace, args.json)
    if args.train:
        return run_training(args.config, args.epochs, args.json)
    if args.screenshot:
        return run_screenshot(args.screenshot, args.epochs or 0)
    return run_window()


if __name__ == "__main__":
    sys.exit(main())
