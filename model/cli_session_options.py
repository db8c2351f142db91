"""The command line's session options: ``--session``, ``--save-session`` and ``--handout``.

Checked with everything else before any work starts: a session file that cannot be opened,
a folder that does not exist or a handout suffix that is not offered exits 2 with one line on
stderr and nothing on stdout.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Protocol

from model.parsing import quote_text
from model.session import SUFFIX, SessionError, read_session_file

HANDOUT_SUFFIXES = (".png", ".pdf")
#: Options that would change a stored run's settings (it must carry on exactly as it was).
_RUN_OPTIONS = ("seed", "task", "lr", "optimizer", "batch_size", "compare")
_NETWORK_OPTIONS = ("activations", "temperature")


class _Failing(Protocol):
    def error(self, message: str) -> object: ...


def add_session_options(parser: argparse.ArgumentParser) -> None:
    """Add the options to ``parser``, in their own help group."""
    group = parser.add_argument_group("sessions and handouts")
    group.add_argument(
        "--session",
        metavar="PATH",
        help="a session saved by the window (or --save-session): opens the window on it; "
        "with --trace, traces with its weights; with --train --epochs N, carries its run on "
        "for N more epochs",
    )
    group.add_argument(
        "--save-session",
        metavar="PATH",
        help=f"with --train: write the run trained as a session file ({SUFFIX}) the window opens",
    )
    group.add_argument(
        "--handout",
        metavar="PATH",
        help="with --train: write a one-page handout of the run (.png or .pdf)",
    )


def check_session_options(parser: _Failing, args: argparse.Namespace) -> None:
    """Refuse combinations that make no sense; read the session (``args.session_data``)."""
    args.session_data = None
    for option in ("save_session", "handout"):
        if getattr(args, option) is not None and not args.train:
            parser.error(f"--{option.replace('_', '-')} goes with --train")
    if args.train and args.compare is not None and (args.save_session or args.handout):
        parser.error("--save-session and --handout save one run: not with --compare")
    if args.save_session is not None:
        _check_folder(parser, "--save-session", args.save_session)
    if args.handout is not None:
        path = _check_folder(parser, "--handout", args.handout)
        if path.suffix.lower() not in HANDOUT_SUFFIXES:
            parser.error(
                f"--handout: {quote_text(path.name)} must end in .png or .pdf (the page as a "
                "picture or as a printable PDF)"
            )
    if args.session is None:
        return
    if args.quiz or args.code or args.screenshot is not None:
        parser.error("--session goes with the window, --trace or --train")
    changed = [f"--{name.replace('_', '-')}" for name in _RUN_OPTIONS if getattr(args, name)]
    changed += [f"--{name}" for name in _NETWORK_OPTIONS if getattr(args, name) is not None]
    if changed:
        parser.error(
            f"{', '.join(changed)} cannot change a session's run: it carries on with its own "
            "settings (open it in the window to change them)"
        )
    path = Path(args.session)
    try:
        args.session_data = read_session_file(path)
    except SessionError as error:
        parser.error(f"--session: cannot open {quote_text(path.name, limit=60)}: {error}")
    if args.train:
        args.config = args.session_data.settings  # the run carries on with its own settings


def _check_folder(parser: _Failing, option: str, text: str) -> Path:
    if not text.strip():
        parser.error(f"{option} needs a file path")
    path = Path(text)
    if path.is_dir():
        parser.error(f"{option}: {quote_text(text, limit=60)} is a folder; name a file in it")
    if not path.parent.is_dir():
        parser.error(
            f"{option}: the folder {quote_text(str(path.parent), limit=60)} does not exist"
        )
    return path
