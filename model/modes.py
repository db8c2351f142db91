"""The nine learning modes: their names (the command line's ``--mode``), titles and keys.

Qt-free, so the command line can check a ``--mode`` before anything heavy loads, and a
session file can name a mode.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    """One learning mode: ``name`` for scripts, ``title`` for the switcher, ``summary`` for
    its tooltip. Its key is its 1-based position in :data:`MODES`."""

    name: str
    title: str
    summary: str


MODES: tuple[Mode, ...] = (
    Mode("explore", "Explore", "Type numbers and watch them flow through every layer, live."),
    Mode("step", "Step through", "The forward pass one stage at a time, with its arithmetic."),
    Mode("compare", "Compare", "Activation curves and slopes side by side; train rival runs."),
    Mode("train", "Train", "Watch loss and accuracy fall, with every epoch explained."),
    Mode("predict", "Predict", "Follow one prediction through the trained layers."),
    Mode("gradients", "Gradients", "Where the gradient is large, where it vanishes, and why."),
    Mode("quiz", "Quiz", "Test yourself, with questions made from the live numbers."),
    Mode("code", "Code", "The PyTorch script that builds and runs this very network."),
    Mode("presenter", "Presenter", "Full screen, large type, a guided lesson for a projector."),
)
MODE_NAMES: tuple[str, ...] = tuple(mode.name for mode in MODES)
DEFAULT_MODE = "explore"
PRESENTER = "presenter"


def get_mode(name: str) -> Mode:
    """The mode called ``name``; ValueError naming every mode for anything else."""
    for mode in MODES:
        if mode.name == name:
            return mode
    raise ValueError(f"unknown mode {name!r}; the modes are: {', '.join(MODE_NAMES)}")


def mode_key(name: str) -> int:
    """The number key (1–9) that opens mode ``name``."""
    return MODE_NAMES.index(get_mode(name).name) + 1
