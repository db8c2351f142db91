"""The suite's leak check (``_no_leaked_threads_or_processes`` in conftest.py) sees QThreads.

``threading.enumerate()`` does not list a QThread, so a test that left one running used to
pass, and the process aborted later ("QThread: Destroyed while thread is still running").
Each case runs in a child pytest with a copy of the real conftest.py, so a leak there cannot
leak into this process.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

HERE = Path(__file__).resolve().parent
#: The inner tests each run well under a second; the bound is for importing Qt on a busy machine.
CHILD_TIMEOUT = 120

INNER_TESTS = textwrap.dedent(
    """
    import threading

    from PySide6.QtCore import QThread

    kept = []


    def test_leaks_a_qthread(qapp):
        thread = QThread()
        thread.setObjectName("leaky_thread")
        thread.start()
        kept.append(thread)  # the Python wrapper lives on: only the thread is leaked
        assert thread.isRunning()


    def test_leaks_an_unnamed_qthread_subclass(qapp):
        class Worker(QThread):
            def run(self):
                self.exec()

        thread = Worker()
        thread.start()
        kept.append(thread)
        assert thread.isRunning()


    def test_stops_what_the_others_leaked(qapp):
        for thread in kept:
            thread.quit()
            assert thread.wait(5000)


    def test_a_qthread_stopped_in_time_is_fine(qapp):
        thread = QThread()
        thread.setObjectName("tidy_thread")
        thread.start()
        assert thread.isRunning()
        thread.quit()
        assert thread.wait(5000)


    def test_a_qthread_still_ending_after_the_test_is_fine(qapp):
        thread = QThread()
        thread.setObjectName("ending_thread")
        thread.start()
        kept.append(thread)
        thread.quit()  # not waited for: it ends within the fixture's grace period


    def test_a_python_thread_is_still_caught():
        stop = threading.Event()
        threading.Thread(target=stop.wait, name="leaky_python", daemon=True).start()
        kept.append(stop)


    def test_stops_the_python_thread():
        for item in kept:
            if isinstance(item, threading.Event):
                item.set()
    """
)


@pytest.fixture
def outcome(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    """The inner tests run under a copy of the suite's conftest.py, in a child process."""
    conftest = (HERE / "conftest.py").read_text()
    grace = "LEAK_GRACE_SECONDS = 5.0"
    assert grace in conftest
    # Three leaks each wait out the grace period: a shorter one keeps this test quick.
    pytester.makeconftest(conftest.replace(grace, "LEAK_GRACE_SECONDS = 1.0"))
    pytester.makepyfile(test_inner=INNER_TESTS)
    root = str(HERE.parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([root, str(HERE)]))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    return pytester.runpytest_subprocess("-o", "qt_api=pyside6", "-v", timeout=CHILD_TIMEOUT)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads threads from /proc")
def test_a_leaked_qthread_fails_its_test(outcome: pytest.RunResult) -> None:
    """Leaked QThreads, named or not, fail the test that leaked them; stopped ones do not."""
    outcome.stdout.fnmatch_lines(
        [
            "*test_leaks_a_qthread ERROR*",
            "*test_leaks_an_unnamed_qthread_subclass ERROR*",
            "*test_stops_what_the_others_leaked PASSED*",
            "*test_a_qthread_stopped_in_time_is_fine PASSED*",
            "*test_a_qthread_still_ending_after_the_test_is_fine PASSED*",
            "*test_a_python_thread_is_still_caught ERROR*",
            "*test_stops_the_python_thread PASSED*",
        ]
    )
    text = outcome.stdout.str()
    for name in ("leaky_thread", "Worker"):
        pattern = rf".*Qt/OS threads left running \(id, name\): \[\(\d+, '{name}'\)\]"
        outcome.stdout.re_match_lines([pattern])
    assert "threads left running: [<Thread(leaky_python" in text
    assert "tidy_thread" not in text
    assert "ending_thread" not in text
    outcome.assert_outcomes(passed=7, errors=3)  # an error at teardown follows a pass
