"""Before Qt starts on Linux: name the system libraries it cannot load, and their packages.

Qt's X11 platform plugin (xcb) needs a dozen X client libraries that a bare Debian or Ubuntu
desktop may lack. When one is missing, Qt aborts the process (SIGABRT, exit 134) with a message
that names only ``libxcb-cursor0``, even when that one is installed (seen: the missing ones were
``libxcb-icccm4`` and ``libxcb-keysyms1``). Loading each library with :mod:`ctypes` first, before
Qt does, tells exactly which are missing and which packages bring them. This module imports no
Qt, so it can run before Qt would abort.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Mapping
from types import MappingProxyType

#: Libraries every Qt platform needs (PySide6's QtGui links them), by soname, with the
#: Debian/Ubuntu package that provides each.
QT_LIBRARIES: Mapping[str, str] = MappingProxyType(
    {
        "libGL.so.1": "libgl1",
        "libEGL.so.1": "libegl1",
        "libfontconfig.so.1": "libfontconfig1",
        "libfreetype.so.6": "libfreetype6",
        "libglib-2.0.so.0": "libglib2.0-0",
        "libdbus-1.so.3": "libdbus-1-3",
        "libxkbcommon.so.0": "libxkbcommon0",
    }
)

#: What Qt's xcb plugin (an X11 desktop) needs on top: read off its ELF dependencies.
XCB_LIBRARIES: Mapping[str, str] = MappingProxyType(
    {
        "libX11.so.6": "libx11-6",
        "libX11-xcb.so.1": "libx11-xcb1",
        "libxcb.so.1": "libxcb1",
        "libxcb-cursor.so.0": "libxcb-cursor0",
        "libxcb-icccm.so.4": "libxcb-icccm4",
        "libxcb-image.so.0": "libxcb-image0",
        "libxcb-keysyms.so.1": "libxcb-keysyms1",
        "libxcb-randr.so.0": "libxcb-randr0",
        "libxcb-render.so.0": "libxcb-render0",
        "libxcb-render-util.so.0": "libxcb-render-util0",
        "libxcb-shape.so.0": "libxcb-shape0",
        "libxcb-shm.so.0": "libxcb-shm0",
        "libxcb-sync.so.1": "libxcb-sync1",
        "libxcb-util.so.1": "libxcb-util1",
        "libxcb-xfixes.so.0": "libxcb-xfixes0",
        "libxcb-xkb.so.1": "libxcb-xkb1",
        "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    }
)


def uses_xcb(environ: Mapping[str, str]) -> bool:
    """True when Qt will open its windows through X11 (the xcb plugin) on this machine."""
    if not sys.platform.startswith("linux"):
        return False
    requested = environ.get("QT_QPA_PLATFORM", "")
    if requested:
        # "xcb", "xcb:option=…", or a fallback list such as "wayland;xcb" (first one wins).
        return requested.split(";")[0].split(":")[0] == "xcb"
    # Qt prefers Wayland in a Wayland session, and X11 (xcb) everywhere else.
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


def missing_libraries(libraries: Mapping[str, str]) -> dict[str, str]:
    """The sonames among ``libraries`` that the dynamic loader cannot find, with packages."""
    missing = {}
    for soname, package in libraries.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing[soname] = package
    return missing


def startup_problem(environ: Mapping[str, str]) -> str | None:
    """One line saying why the window cannot open here, and what to do; None when it can."""
    if not sys.platform.startswith("linux"):
        return None
    xcb = uses_xcb(environ)
    needed = {**QT_LIBRARIES, **(XCB_LIBRARIES if xcb else {})}
    missing = missing_libraries(needed)
    if missing:
        packages = " ".join(sorted(set(missing.values())))
        return (
            f"the window cannot open: Qt needs the system libraries {', '.join(missing)}, "
            f"which are not installed; on Debian or Ubuntu: sudo apt-get install {packages}"
        )
    if xcb and not environ.get("DISPLAY"):
        return (
            "the window cannot open: no display (DISPLAY is not set); run it from a desktop "
            "session, or use --screenshot PATH to render the window to a file"
        )
    return None
