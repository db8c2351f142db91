"""Activation Lab: start the window, or use the model from the command line.

    python main.py                              open the window
    python main.py --trace 2,-1,0.5,3 [--json]  print the untrained pipeline of one input
        [--activations A,B,C] [--temperature T] [--target K]
    python main.py --train --epochs 5 --seed 0 [--task NAME] [--lr X] [--json]
        [--activations A,B,C] [--temperature T]
    python main.py --train --compare P [P ...] [--epochs N] [--seed S] [--temperature T] [--json]
    python main.py --screenshot PATH [--epochs N] [--mode NAME]
    python main.py --mode NAME                  open the window in a learning mode
    python main.py --quiz [--json] [--seed S]   print the quiz the window starts with
    python main.py --session PATH [--train --epochs N | --trace X] [--save-session OUT]
        [--handout PAGE.pdf]                    open, carry on or trace a saved session
    python main.py --self-test REPORT           check the app on this machine, offscreen
    python main.py --code [--activations A,B,C] [--temperature T]
                                                print the PyTorch script of the network

A pipeline A,B,C (and each P of --compare) is three activations, hidden, hidden, output, in
any case: ``gelu,tanh,softmax``; the hidden ones must not normalize their row, the last must
(Softmax). --temperature is softmax's T, 0.05-20. --target K (a class, 0-3) adds the loss and
every stage's gradient to the trace. --compare trains 1-4 pipelines from the same data and
settings, one after the other, and prints them all. The modes of --mode are explore, step,
compare, train, predict, gradients, quiz, code and presenter.

The command-line modes import no Qt; the window imports no torch (the model runs in a child
process). Both keep start-up fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from model.cli_arguments import MAX_BATCH_SIZE, MAX_EPOCHS, parse_args
from model.cli_lessons import run_code, run_quiz
from model.cli_modes import run_comparison, run_trace, run_training
from model.modes import get_mode

if TYPE_CHECKING:
    from gui.main_window import MainWindow
    from model.cli_sessions import TrainedRun
    from model.session import Session

__version__ = "0.1.0"
__all__ = [
    "MAX_BATCH_SIZE",
    "MAX_EPOCHS",
    "build_window",
    "main",
    "run_code",
    "run_comparison",
    "run_quiz",
    "run_screenshot",
    "run_trace",
    "run_training",
    "run_window",
]


def _parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The checked command line (see :mod:`model.cli_arguments`)."""
    return parse_args(argv, __version__)


# The window ------------------------------------------------------------------------------------


def build_window(mode: str | None = None) -> MainWindow:
    """The main window, ready to ``show()``, in learning ``mode`` (explore by default).

    A QApplication must exist; an unknown ``mode`` raises ValueError naming the modes.

    Its model process starts at once, and is shut down when the window closes, when the
    application quits, or at the latest when the interpreter exits.
    """
    from gui.model_process import prestart_model_process

    prestart_model_process()  # PyTorch loads in the fork server while the window is built
    from gui.application import create_application
    from gui.main_window import MainWindow

    create_application([sys.argv[0]], __version__)  # names the existing app, sizes its fonts
    return MainWindow(mode=mode)


def run_window(mode: str | None = None, session: str | None = None) -> int:
    """Open the window (on the session file ``session`` if given) and run until it closes
    (Ctrl+Q, Ctrl+C in the terminal, SIGTERM)."""
    import os

    from gui.system_libraries import startup_problem

    problem = startup_problem(os.environ)
    if problem is not None:  # Qt would abort with a misleading message: say what is missing
        print(f"main.py: error: {problem}", file=sys.stderr)
        return 1
    from gui.model_process import prestart_model_process

    prestart_model_process()  # first of all: PyTorch loads while Qt and the window do
    from gui.app_log import route_qt_messages, start_logging
    from gui.application import close_on_signals, create_application, show_errors_in_dialog
    from gui.restored_settings import restore_window_settings
    from gui.startup_markers import install_startup_markers

    start_logging()  # a windowed app has no console: its messages go to a log file too
    app = create_application([sys.argv[0]], __version__)
    route_qt_messages()
    closer = close_on_signals(app)
    errors = show_errors_in_dialog(app)
    window = build_window(mode)
    install_startup_markers(window)
    # The app opens as the learner left it (a mode asked for here wins); a script's window,
    # from build_window alone, starts from the defaults and stores nothing.
    restore_window_settings(window, mode=None if mode is None else get_mode(mode).name)
    window.remembers_settings = True
    window.sessions.asks_about_unsaved_work = True  # a learner is there to answer
    if session is not None:
        from pathlib import Path

        window.sessions.open_file(Path(session), ask=False)
        if mode is not None:
            window.state.mode = mode  # said on the command line: it wins over the session's
    window.show()
    code = app.exec()
    errors.restore()
    closer.restore()
    return code


def run_screenshot(path: str, epochs: int, mode: str | None = None) -> int:
    """Render the window offscreen once the model has answered (and trained), save a PNG."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.application import create_application
    from gui.screenshot import take_screenshot

    create_application([sys.argv[0]], __version__)
    return take_screenshot(build_window(mode), path, epochs)


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch on the command line; returns the process exit code."""
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen bundle's helper processes start here too
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.trace is not None:
        return run_trace(args.trace, args.json, args.pipeline, args.target, args.session_data)
    if args.train and args.pipelines is not None:
        return run_comparison(args.config, args.pipelines, args.epochs, args.json)
    if args.train:
        return run_training(
            args.config,
            args.epochs,
            args.json,
            start=args.session_data,
            save_path=args.save_session,
            version=__version__,
            after_training=None if args.handout is None else _handout_writer(args.handout),
        )
    if args.quiz:
        return run_quiz(args.seed, args.json)
    if args.code:
        return run_code(args.pipeline)
    if args.self_test is not None:
        from gui.self_test import run_self_test

        return run_self_test(args.self_test, version=__version__)
    if args.screenshot is not None:
        epochs = 0 if args.epochs is None else args.epochs
        return run_screenshot(args.screenshot, epochs, args.mode)
    return run_window(args.mode, args.session)


def _handout_writer(path: str) -> Callable[[TrainedRun, Session], str | None]:
    """Write the trained run's handout page to ``path`` (offscreen: no window opens)."""

    def write(run: TrainedRun, session: Session) -> str | None:
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from gui.handout_cli import handout_from_run

        return handout_from_run(run, session, path)

    return write


if __name__ == "__main__":
    sys.exit(main())
