"""The model process's entry point, importable without torch.

The window's process hands this function to multiprocessing; importing :mod:`model.engine`
there would load PyTorch into the GUI process, which is what the child process is for.
"""

from __future__ import annotations

from multiprocessing.connection import Connection

from model.config import TrainingConfig


def run_engine(connection: Connection, config: TrainingConfig | None = None) -> None:
    """Serve the window from this (child) process; see :func:`model.engine.serve`."""
    from model.engine import serve

    serve(connection, config)
