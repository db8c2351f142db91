"""The bundled executable's entry point: multiprocessing's child hooks first, then main.py.

A frozen executable is also what multiprocessing starts for its helpers: the fork server
(``activation-lab -c "from multiprocessing.forkserver import main; …"``) and the resource
tracker. ``multiprocessing.freeze_support()`` (PyInstaller's version, from its runtime hook)
recognises those command lines and runs the helper instead of the app; it must come before
anything else, so it is here rather than somewhere in main.py.
"""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from main import main

    sys.exit(main())
