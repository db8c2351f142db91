"""Naming the system libraries Qt's X11 plugin needs, before Qt aborts with the wrong name."""

from __future__ import annotations

import textwrap

import helpers

from gui import system_libraries


def test_every_library_qt_needs_here_is_found() -> None:
    """On this machine (the suite's own) nothing is missing: the check has no false alarm."""
    assert system_libraries.missing_libraries(system_libraries.QT_LIBRARIES) == {}


def test_a_missing_library_is_named_with_its_package() -> None:
    """An absent library is reported with the package that brings it."""
    missing = system_libraries.missing_libraries(
        {"libc.so.6": "libc6", "libnot-a-real-library.so.7": "no-such-pkg"}
    )
    assert missing == {"libnot-a-real-library.so.7": "no-such-pkg"}


def test_xcb_is_what_qt_uses_on_an_x11_desktop() -> None:
    """Which platform plugin Qt will load, from the environment it sees."""
    uses = system_libraries.uses_xcb
    assert uses({"DISPLAY": ":0"})
    assert uses({"QT_QPA_PLATFORM": "xcb"})
    assert uses({"QT_QPA_PLATFORM": "xcb:option"})
    assert not uses({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"})
    assert not uses({"QT_QPA_PLATFORM": "wayland;xcb"})
    assert not uses({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"})


def test_no_display_is_said_plainly() -> None:
    """xcb without DISPLAY: one sentence, not Qt's abort."""
    problem = system_libraries.startup_problem({"QT_QPA_PLATFORM": "xcb"})
    assert problem is not None
    assert "DISPLAY is not set" in problem


MISSING_XCB_LIBRARY = textwrap.dedent(
    """
    import sys
    from gui import system_libraries

    # As on a bare desktop: one of the xcb plugin's libraries is not installed.
    system_libraries.XCB_LIBRARIES = {
        **system_libraries.XCB_LIBRARIES, "libxcb-notinstalled.so.4": "libxcb-notinstalled4"
    }
    import main
    sys.exit(main.main([]))
    """
)


def test_main_names_the_missing_library_instead_of_aborting() -> None:
    """``python main.py`` on an X11 desktop lacking a library: exit 1 and one line naming the
    library and the apt-get line, instead of Qt's abort (exit 134) naming another library."""
    result = helpers.run_python(
        "-c", MISSING_XCB_LIBRARY, env={"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "libxcb-notinstalled.so.4" in lines[0]
    assert "sudo apt-get install libxcb-notinstalled4" in lines[0]
    assert "Aborted" not in result.stderr
