"""The command line of ``main.py``: its options, and every check that refuses a bad one.

Torch-free and Qt-free, so a refusal is instant. Every refusal exits 2 with one line on stderr
that names the bad value (capped and escaped) and what is allowed.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import NoReturn

from model.activations import (
    ACTIVATIONS,
    DEFAULT_ACTIVATIONS,
    DEFAULT_TEMPERATURE,
    HIDDEN_ACTIVATIONS,
    HIDDEN_LAYERS,
    MAX_TEMPERATURE,
    MIN_TEMPERATURE,
    OUTPUT_ACTIVATIONS,
    canonical_name,
    check_pipeline,
    check_temperature,
)
from model.cli_session_options import add_session_options, check_session_options
from model.config import (
    DEFAULT_INPUTS,
    MAX_COMPARED,
    MAX_LEARNING_RATE,
    MAX_SEED,
    OPTIMIZER_NAMES,
    Pipeline,
    TrainingConfig,
)
from model.modes import MODE_NAMES
from model.parsing import (
    LIMIT,
    NumberError,
    parse_integer,
    parse_number,
    quote_text,
)
from model.tasks import DEFAULT_TASK, TASKS

MAX_EPOCHS = 10_000
#: The range ``TrainingConfig.validate`` allows (a test keeps the two equal).
MAX_BATCH_SIZE = 1024
#: argparse's own messages ("unrecognized arguments: ...") repeat user text uncapped.
_MESSAGE_LENGTH = 400
#: The classes a --target names, 0-based: one per output unit.
_CLASSES = len(DEFAULT_INPUTS)


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line (no usage dump) so scripts can show the reason."""

    def error(self, message: str) -> NoReturn:
        # Our messages cap and escape what they repeat; argparse's do not, so every message
        # is kept on one bounded line here too.
        line = quote_text(message, quote="", limit=_MESSAGE_LENGTH)
        self.exit(2, f"{self.prog}: error: {line}\n")


def parse_args(argv: Sequence[str], version: str) -> argparse.Namespace:
    """The checked command line: exit code 2 and one line on stderr for anything wrong."""
    parser = _Parser(
        prog="main.py",
        description="Activation Lab: watch numbers flow through activation functions "
        "(ReLU, Sigmoid and Softmax unless you choose others).",
        epilog="With no option, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"Activation Lab {version}")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--trace",
        metavar="X1,X2,X3,X4",
        help="print the untrained network's trace of four comma-separated numbers, "
        f"each within ±{LIMIT:,.0f}",
    )
    mode.add_argument("--train", action="store_true", help="train headless, print the epochs")
    mode.add_argument("--screenshot", metavar="PATH", help="render the window to a PNG and exit")
    mode.add_argument(
        "--self-test",
        metavar="PATH",
        help="check that the app works on this machine (offscreen), write a report to PATH",
    )
    mode.add_argument(
        "--quiz",
        action="store_true",
        help="print the quiz the window starts with for the default input (--json, --seed S)",
    )
    mode.add_argument(
        "--code",
        action="store_true",
        help="print the PyTorch script that builds and runs the network (--activations, "
        "--temperature)",
    )
    parser.add_argument(
        "--mode",
        metavar="NAME",
        help=f"open the window (or --screenshot) in a learning mode: {', '.join(MODE_NAMES)}",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--epochs",
        metavar="N",
        help=f"epochs to train, 1-{MAX_EPOCHS} (--train: 5; --screenshot: none)",
    )
    network = parser.add_argument_group("network options (with --trace, --train or --code)")
    network.add_argument(
        "--activations",
        metavar="A,B,C",
        help="the activation after each layer: hidden, hidden, output, any case "
        f"({','.join(DEFAULT_ACTIVATIONS)}); hidden ones: {', '.join(HIDDEN_ACTIVATIONS)}; "
        f"output: {', '.join(OUTPUT_ACTIVATIONS)}",
    )
    network.add_argument(
        "--temperature",
        metavar="T",
        help=f"softmax temperature T of softmax(z / T), {MIN_TEMPERATURE:g}-{MAX_TEMPERATURE:g} "
        f"({DEFAULT_TEMPERATURE:g})",
    )
    tracing = parser.add_argument_group("trace options (with --trace)")
    tracing.add_argument(
        "--target",
        metavar="K",
        help=f"the true class, 0-{_CLASSES - 1} (0 is class 1): also print the cross-entropy "
        "loss and every stage's gradient (dL/dx for Input, dL/dz for a layer)",
    )
    defaults = TrainingConfig()
    training = parser.add_argument_group("training options (with --train)")
    training.add_argument(
        "--seed",
        metavar="S",
        help=f"seed of data and shuffling, 0-{MAX_SEED} ({defaults.seed}); with --quiz, of the "
        "questions",
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
    training.add_argument(
        "--compare",
        metavar="P",
        nargs="+",
        action="extend",
        help=f"train 1-{MAX_COMPARED} pipelines side by side, each written as --activations "
        "takes it (relu,sigmoid,softmax gelu,tanh,softmax), with the same data, seed and "
        "settings; --temperature applies to all; not with --activations",
    )
    add_session_options(parser)
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

    An option of several values (``--compare P [P ...]``) is left spaced, and its glued first
    value is unglued (``--compare=P1 P2`` as ``--compare P1 P2``): glued, argparse would take
    P1 alone and call P2 an unrecognized argument.
    """
    # argparse has no public list of its options; _actions is stable since Python 3.2.
    options = {name for action in parser._actions for name in action.option_strings}
    valued = {
        name for action in parser._actions if action.nargs is None for name in action.option_strings
    }
    several = {
        name
        for action in parser._actions
        if action.nargs in ("+", "*")
        for name in action.option_strings
    }
    joined: list[str] = []
    index = 0
    while index < len(argv):
        item = argv[index]
        if item == "--":
            return [*joined, *argv[index:]]
        following = argv[index + 1] if index + 1 < len(argv) else None
        name, glued, value = item.partition("=")
        if (
            glued
            and value
            and not value.startswith("-")
            and _option_named(name, options) in several
        ):
            joined += [name, value]
            index += 1
        elif (
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
    _check_lesson_options(parser, args)
    if args.json and not (args.trace is not None or args.train or args.quiz):
        parser.error("--json goes with --trace, --train or --quiz")
    if args.epochs is not None and not (args.train or args.screenshot is not None):
        parser.error("--epochs goes with --train or --screenshot")
    given = [
        f"--{name.replace('_', '-')}"
        for name in _TRAINING_OPTIONS
        if getattr(args, name) is not None
    ]
    if args.quiz:
        given = [option for option in given if option != "--seed"]
    if given and not args.train:
        parser.error(f"{', '.join(given)} {_verb(given)} with --train only")
    if args.target is not None and args.trace is None:
        parser.error("--target goes with --trace only")
    network = [f"--{name}" for name in _NETWORK_OPTIONS if getattr(args, name) is not None]
    if network and not (args.trace is not None or args.train or args.code):
        parser.error(f"{', '.join(network)} {_verb(network)} with --trace, --train or --code")
    if args.compare is not None and args.activations is not None:
        parser.error(
            "--compare and --activations cannot be combined: "
            "list every pipeline to train after --compare"
        )
    if args.epochs is not None:
        args.epochs = _integer_option(parser, "--epochs", args.epochs, 1, MAX_EPOCHS)
    elif args.train:
        args.epochs = 5
    if args.target is not None:
        args.target = _integer_option(parser, "--target", args.target, 0, _CLASSES - 1)
    _network_options(parser, args)
    if args.train:
        args.config = _training_config(parser, args)
    check_session_options(parser, args)


def _check_lesson_options(parser: _Parser, args: argparse.Namespace) -> None:
    """``--mode`` names a mode and goes with the window; ``--quiz`` takes a ``--seed``."""
    if args.mode is not None:
        if args.mode not in MODE_NAMES:
            parser.error(
                f"unknown mode {quote_text(args.mode)}; choose one of {', '.join(MODE_NAMES)}"
            )
        if any((args.trace is not None, args.train, args.quiz, args.code)):
            parser.error("--mode goes with the window or --screenshot only")
    if args.quiz:
        seed = "0" if args.seed is None else args.seed
        args.seed = _integer_option(parser, "--seed", seed, 0, MAX_SEED)


def _network_options(parser: _Parser, args: argparse.Namespace) -> None:
    """Set ``args.pipeline`` (the one to trace or train) and ``args.pipelines`` (compared)."""
    temperature = _temperature_option(parser, args.temperature)
    activations = (
        DEFAULT_ACTIVATIONS
        if args.activations is None
        else _pipeline_option(parser, "--activations", args.activations)
    )
    args.pipeline = Pipeline(activations, temperature)
    args.pipelines = None
    if args.compare is not None:
        if len(args.compare) > MAX_COMPARED:
            parser.error(
                f"--compare takes 1 to {MAX_COMPARED} pipelines, not {len(args.compare):,}"
            )
        args.pipelines = [
            Pipeline(_pipeline_option(parser, f"--compare: pipeline {number}", text), temperature)
            for number, text in enumerate(args.compare, start=1)
        ]


def _verb(options: list[str]) -> str:
    return "goes" if len(options) == 1 else "go"


def _integer_option(parser: _Parser, option: str, text: str, low: int, high: int) -> int:
    try:
        return parse_integer(text, low, high)
    except NumberError as error:
        parser.error(f"{option}: {error}")


_TRAINING_OPTIONS = ("seed", "task", "lr", "optimizer", "batch_size", "compare")
_NETWORK_OPTIONS = ("activations", "temperature")
#: More names than this in one pipeline are refused by their count without listing them.
_LISTED_NAMES = 2 * (HIDDEN_LAYERS + 1)


def _pipeline_option(parser: _Parser, option: str, text: str) -> tuple[str, ...]:
    """The canonical activation names that ``text`` ("gelu,tanh,softmax") lists, or exit 2.

    ``check_pipeline`` words the reasons; a name it does not know is repeated here capped and
    escaped (its own message repeats it in full).
    """
    items = text.split(",")
    expected = HIDDEN_LAYERS + 1
    if len(items) > _LISTED_NAMES:
        parser.error(
            f"{option}: a pipeline has {expected} activations (hidden, hidden, output), "
            f"not {len(items):,}: {quote_text(text)}"
        )
    names = []
    for position, item in enumerate(items, start=1):
        if not item.strip():
            parser.error(
                f"{option}: activation {position} of {quote_text(text)} is empty; write "
                f"{expected} names such as {','.join(name.lower() for name in DEFAULT_ACTIVATIONS)}"
            )
        try:
            names.append(canonical_name(item))
        except ValueError:
            parser.error(
                f"{option}: unknown activation {quote_text(item.strip())}; "
                f"choose one of {', '.join(ACTIVATIONS)}"
            )
    try:
        return check_pipeline(names)
    except ValueError as error:
        parser.error(f"{option}: {error}")


def _temperature_option(parser: _Parser, text: str | None) -> float:
    if text is None:
        return DEFAULT_TEMPERATURE
    try:
        # No cell bound: the temperature's own range is the reason to show.
        return check_temperature(parse_number(text, bound=math.inf))
    except ValueError as error:  # NumberError included
        parser.error(f"--temperature: {error}")


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
        activations=args.pipeline.activations,
        temperature=args.pipeline.temperature,
    )
    try:
        config.validate()
    except ValueError as error:
        parser.error(str(error))
    return config
