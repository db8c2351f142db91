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
import math
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from model.config import (
    DEFAULT_INPUTS,
    MAX_LEARNING_RATE,
    MAX_SEED,
    OPTIMIZER_NAMES,
    TrainingConfig,
)
from model.parsing import (
    LIMIT,
    NumberError,
    parse_integer,
    parse_number,
    parse_vector,
    quote_text,
)
from model.tasks import DEFAULT_TASK, TASKS

if TYPE_CHECKING:
    from gui.main_window import MainWindow

__version__ = "0.1.0"
MAX_EPOCHS = 10_000
#: The range ``TrainingConfig.validate`` allows (a test keeps the two equal).
MAX_BATCH_SIZE = 1024
#: argparse's own messages ("unrecognized arguments: ...") repeat user text uncapped.
_MESSAGE_LENGTH = 400


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line (no usage dump) so scripts can show the reason."""

    def error(self, message: str) -> NoReturn:
        # Our messages cap and escape what they repeat; argparse's do not, so every message
        # is kept on one bounded line here too.
        line = quote_text(message, quote="", limit=_MESSAGE_LENGTH)
        self.exit(2, f"{self.prog}: error: {line}\n")


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
        help="print the untrained network's trace of four comma-separated numbers, "
        f"each within ±{LIMIT:,.0f}",
    )
    mode.add_argument("--train", action="store_true", help="train headless, print the epochs")
    mode.add_argument("--screenshot", metavar="PATH", help="render the window to a PNG and exit")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--epochs",
        metavar="N",
        help=f"epochs to train, 1-{MAX_EPOCHS} (--train: 5; --screenshot: none)",
    )
    defaults = TrainingConfig()
    training = parser.add_argument_group("training options (with --train)")
    training.add_argument(
        "--seed", metavar="S", help=f"seed of data and shuffling, 0-{MAX_SEED} ({defaults.seed})"
    )
    training.add_argument(
        "--task", metavar="NAME", help=f"task: {', '.join(TASKS)} ({DEFAULT_TASK})"
    )
    training.add_argument(
        "--lr",
        metavar="X",
        help=f"learning rate, above 0 and at most {MAX_LEARNING_RATE:g} "
        f"({defaults.learning_rate:g})",
    )
    training.add_argument(
        "--optimizer",
        metavar="NAME",
        help=f"optimizer: {', '.join(OPTIMIZER_NAMES)} ({defaults.optimizer})",
    )
    training.add_argument(
        "--batch-size",
        metavar="B",
        help=f"mini-batch size, 1-{MAX_BATCH_SIZE} ({defaults.batch_size})",
    )
    args, extras = parser.parse_known_args(_join_option_values(parser, list(argv)))
    if extras:
        parser.error(f"unrecognized arguments: {' '.join(quote_text(item) for item in extras)}")
    _check_combinations(parser, args)
    return args


def _join_option_values(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """Glue every ``--option VALUE`` into ``--option=VALUE``.

    argparse takes a value that starts with '-' ("-1.5,2,0,3", "-1e-3", "-inf") for an option
    and stops with "expected one argument"; glued, it reaches our own checks, which say what
    is wrong with it. A following option ("--lr --json") is left for argparse to report.
    """
    # argparse has no public list of its options; _actions is stable since Python 3.2.
    options = {name for action in parser._actions for name in action.option_strings}
    valued = {
        name for action in parser._actions if action.nargs is None for name in action.option_strings
    }
    joined: list[str] = []
    index = 0
    while index < len(argv):
        item = argv[index]
        if item == "--":
            return [*joined, *argv[index:]]
        following = argv[index + 1] if index + 1 < len(argv) else None
        if (
            following is not None
            and _option_named(item, options) in valued
            and following != "--"
            and _option_named(following.split("=", 1)[0], options) is None
        ):
            joined.append(f"{item}={following}")
            index += 2
        else:
            joined.append(item)
            index += 1
    return joined


def _option_named(item: str, options: set[str]) -> str | None:
    """The option ``item`` spells, abbreviations included as argparse allows them, or None."""
    if item in options:
        return item
    if not item.startswith("--") or "=" in item:
        return None
    matches = [name for name in options if name.startswith(item)]
    return matches[0] if len(matches) == 1 else None


def _check_combinations(parser: _Parser, args: argparse.Namespace) -> None:
    if args.screenshot is not None and not args.screenshot.strip():
        parser.error("--screenshot needs a file path")
    if args.json and not (args.trace is not None or args.train):
        parser.error("--json goes with --trace or --train")
    if args.epochs is not None and not (args.train or args.screenshot is not None):
        parser.error("--epochs goes with --train or --screenshot")
    given = [
        f"--{name.replace('_', '-')}"
        for name in _TRAINING_OPTIONS
        if getattr(args, name) is not None
    ]
    if given and not args.train:
        verb = "goes" if len(given) == 1 else "go"
        parser.error(f"{', '.join(given)} {verb} with --train only")
    if args.epochs is not None:
        args.epochs = _integer_option(parser, "--epochs", args.epochs, 1, MAX_EPOCHS)
    elif args.train:
        args.epochs = 5
    if args.train:
        args.config = _training_config(parser, args)


def _integer_option(parser: _Parser, option: str, text: str, low: int, high: int) -> int:
    try:
        return parse_integer(text, low, high)
    except NumberError as error:
        parser.error(f"{option}: {error}")


_TRAINING_OPTIONS = ("seed", "task", "lr", "optimizer", "batch_size")


def _training_config(parser: _Parser, args: argparse.Namespace) -> TrainingConfig:
    defaults = TrainingConfig()
    # TrainingConfig.validate says the same, but repeats the name uncapped.
    if args.task is not None and args.task not in TASKS:
        parser.error(f"unknown task {quote_text(args.task)}; choose one of {', '.join(TASKS)}")
    if args.optimizer is not None and args.optimizer not in OPTIMIZER_NAMES:
        parser.error(
            f"unknown optimizer {quote_text(args.optimizer)}; "
            f"choose one of {', '.join(OPTIMIZER_NAMES)}"
        )
    learning_rate = defaults.learning_rate
    if args.lr is not None:
        try:
            # No cell bound: the learning rate's own range, (0, 100], is the reason to show.
            learning_rate = parse_number(args.lr, bound=math.inf)
        except NumberError as error:
            parser.error(f"--lr: {error}")
    seed, batch_size = defaults.seed, defaults.batch_size
    if args.seed is not None:
        seed = _integer_option(parser, "--seed", args.seed, 0, MAX_SEED)
    if args.batch_size is not None:
        batch_size = _integer_option(parser, "--batch-size", args.batch_size, 1, MAX_BATCH_SIZE)
    config = TrainingConfig(
        task=defaults.task if args.task is None else args.task,
        seed=seed,
        optimizer=defaults.optimizer if args.optimizer is None else args.optimizer,
        learning_rate=learning_rate,
        batch_size=batch_size,
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
    # Columns as wide as their widest cell (9 at least, the usual "  -0.1234"), so that
    # -1000000.0000 cannot push its row out of line.
    names = ["stage", *(stage.name for stage in trace.stages)]
    cells = [[f"v{i + 1}" for i in range(len(values))]]
    cells += [[f"{v:.4f}" for v in stage.values] for stage in trace.stages]
    widths = [max(9, *(len(cell) for cell in column)) for column in zip(*cells, strict=True)]
    shapes = ["shape", *(stage.shape_text for stage in trace.stages)]
    name_width = max(len(name) for name in names)
    for name, row, shape in zip(names, cells, shapes, strict=True):
        columns = " ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        print(f"{name:<{name_width}}  {columns}  {shape}")
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
    """The main window, ready to ``show()``; a QApplication must exist.

    Its model process starts at once, and is shut down when the window closes, when the
    application quits, or at the latest when the interpreter exits.
    """
    from gui.application import create_application
    from gui.main_window import MainWindow

    create_application([sys.argv[0]], __version__)  # names the existing app, sizes its fonts
    return MainWindow()


def run_window() -> int:
    """Open the window and run until it closes (Ctrl+Q, Ctrl+C in the terminal, SIGTERM)."""
    import os

    from gui.system_libraries import startup_problem

    problem = startup_problem(os.environ)
    if problem is not None:  # Qt would abort with a misleading message: say what is missing
        print(f"main.py: error: {problem}", file=sys.stderr)
        return 1
    from gui.application import close_on_signals, create_application

    app = create_application([sys.argv[0]], __version__)
    closer = close_on_signals(app)
    window = build_window()
    window.show()
    code = app.exec()
    closer.restore()
    return code


def run_screenshot(path: str, epochs: int) -> int:
    """Render the window offscreen once the model has answered (and trained), save a PNG."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.application import create_application
    from gui.screenshot import take_screenshot

    create_application([sys.argv[0]], __version__)
    return take_screenshot(build_window(), path, epochs)


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch on the command line; returns the process exit code."""
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.trace is not None:
        return run_trace(args.trace, args.json)
    if args.train:
        return run_training(args.config, args.epochs, args.json)
    if args.screenshot is not None:
        return run_screenshot(args.screenshot, 0 if args.epochs is None else args.epochs)
    return run_window()


if __name__ == "__main__":
    sys.exit(main())
