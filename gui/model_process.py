"""How the model process is started: a fork server that has imported torch, and never the
caller's script.

multiprocessing's forkserver and spawn methods run the parent's ``__main__`` script again in the
child (as ``__mp_main__``) so that functions defined there can be unpickled. The model process
needs nothing from it (its target is :func:`model.engine_entry.run_engine`), and a script that
drives the window without an ``if __name__ == "__main__":`` guard would build a second window
inside the model process, which then never answers. So for the model process, and only for it,
the preparation data sent to the child leaves the main script out.
"""

from __future__ import annotations

import multiprocessing
import sys
from multiprocessing import spawn
from multiprocessing.context import ForkServerContext, SpawnContext
from typing import Any

#: The model process's name: how it is told apart here and in the tests' leak check.
MODEL_PROCESS_NAME = "activation-lab-model"
#: The keys of multiprocessing's preparation data that make the child import ``__main__``.
_MAIN_KEYS = ("init_main_from_path", "init_main_from_name")

_stdlib_preparation_data = spawn.get_preparation_data


def _preparation_data(name: str) -> dict[str, Any]:
    """multiprocessing's preparation data, without the main script for the model process."""
    data: dict[str, Any] = _stdlib_preparation_data(name)
    if name == MODEL_PROCESS_NAME:
        for key in _MAIN_KEYS:
            data.pop(key, None)
    return data


def process_context() -> ForkServerContext | SpawnContext:
    """The start method for the model process (fork server on Linux, spawn elsewhere)."""
    # forkserver and spawn both ask spawn.get_preparation_data(process name) for what the child
    # must set up; wrapping it once, by name, changes nothing for any other process.
    spawn.get_preparation_data = _preparation_data
    # A fork server imports torch once (preload) and forks each model process from it: the
    # first start costs one torch import, later ones (a test suite's windows) a fork. Fork
    # itself is unsafe in a process that runs Qt threads; spawn is the portable fallback.
    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["model.engine"])
        return context
    return multiprocessing.get_context("spawn")


def prestart_model_process() -> None:
    """Start the fork server now, so that it imports PyTorch while the window is being built.

    Building the window takes about as long as importing torch; started together, the model
    is ready about one torch import after launch instead of two. Idempotent (later calls, and
    the model thread's own start, find the server running).
    """
    context = process_context()
    if isinstance(context, ForkServerContext):
        from multiprocessing import forkserver

        forkserver.ensure_running()
