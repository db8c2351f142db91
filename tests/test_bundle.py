"""The PyInstaller bundle, built as an organiser would and run without Python or network.

Slow (a build takes about 5 minutes): marked ``bundle``, run in CI (``CI`` set) or where
``ACTIVATION_LAB_BUNDLE_TEST=1``; deselect with ``-m "not bundle"``. The archive is extracted
and its executable runs ``--self-test`` offscreen in a fresh network namespace (``unshare``):
what the archive lost (run bits, links), what the spec cut and the app needed, a frozen
multiprocessing start method that does not work, or a reach for the network all fail here.
"""

from __future__ import annotations

import faulthandler
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_ARCHIVE_BYTES = 250_000_000
WANTED = os.environ.get("CI") or os.environ.get("ACTIVATION_LAB_BUNDLE_TEST") == "1"

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(not WANTED, reason="slow: set ACTIVATION_LAB_BUNDLE_TEST=1 (CI runs it)"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux bundle"),
]


def _no_network_prefix() -> list[str]:
    """``unshare`` into a new network namespace (only a down loopback inside)."""
    for command in (["unshare", "-n"], ["unshare", "-rn"]):
        if (
            shutil.which("unshare")
            and subprocess.run([*command, "true"], check=False).returncode == 0
        ):
            return command
    pytest.fail("no network namespace: `unshare -n` and `unshare -rn` both failed here")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the archive, the folder it extracts to), built once for this module."""
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail('PyInstaller is missing: pip install -e ".[bundle]"')
    # The build takes longer than the suite's faulthandler_timeout: no stack dump mid-build.
    faulthandler.cancel_dump_traceback_later()
    out = tmp_path_factory.mktemp("bundle")
    command = [sys.executable, str(ROOT / "packaging" / "build.py"), "--skip-self-test"]
    command += ["--dist", str(out / "dist"), "--work", str(out / "build")]
    subprocess.run(command, check=True, cwd=ROOT, timeout=1800)
    (archive,) = (out / "dist").glob("activation-lab-*-linux-*.tar.gz")
    extracted = out / "extracted"
    with tarfile.open(archive) as tar:
        tar.extractall(extracted, filter="tar")
    return archive, extracted / "activation-lab"


def test_the_archive_is_small_and_holds_what_organisers_need(bundle: tuple[Path, Path]) -> None:
    """≤ 250 MB; the README, checksums that verify, the package list, executable scripts."""
    archive, folder = bundle
    assert archive.stat().st_size <= MAX_ARCHIVE_BYTES, archive.stat().st_size
    for name in ("README-organisers.txt", "SHA256SUMS", "SYSTEM-PACKAGES.txt"):
        assert (folder / name).is_file(), name
    assert "libxcb-cursor0" in (folder / "SYSTEM-PACKAGES.txt").read_text()
    for name in ("activation-lab", "install.sh", "uninstall.sh"):
        assert os.access(folder / name, os.X_OK), name
    assert not (folder / "_internal" / "torch" / "test").exists()
    check = subprocess.run(
        ["sha256sum", "-c", "--quiet", "SHA256SUMS"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_bundled_app_passes_its_self_test_without_network(
    bundle: tuple[Path, Path], tmp_path: Path
) -> None:
    """The extracted executable, no Python on PATH, no network: every check passes."""
    _, folder = bundle
    prefix = _no_network_prefix()
    inside = subprocess.run(
        [*prefix, "cat", "/proc/net/dev"], capture_output=True, text=True, check=False
    )
    interfaces = [line.split(":")[0].strip() for line in inside.stdout.splitlines()[2:]]
    assert interfaces == ["lo"], interfaces  # the namespace really has no network
    report = tmp_path / "report.txt"
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "PATH": "/usr/bin:/bin",  # no virtualenv's python: the bundle must bring its own
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",  # a desktop session has a UTF-8 locale; Qt warns without one
        "ACTIVATION_LAB_LOG_DIR": str(tmp_path / "logs"),
    }
    command = [*prefix, str(folder / "activation-lab"), "--self-test", str(report)]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    text = report.read_text() if report.exists() else ""
    assert result.returncode == 0, result.stderr + text
    assert "result: PASS" in text
    assert "bundle: PyInstaller one-folder build" in text
    assert "PyTorch (model process): 2.13.0+cpu" in text
    assert "Traceback" not in result.stderr
    assert "QThread: Destroyed" not in result.stderr


def test_install_puts_the_launcher_in_the_menu_and_uninstall_takes_it_out(
    bundle: tuple[Path, Path], tmp_path: Path
) -> None:
    """The .desktop file runs this folder's executable, with the icon; uninstall removes it."""
    _, folder = bundle
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    subprocess.run([str(folder / "install.sh")], env=env, check=True, capture_output=True)
    entry = tmp_path / "applications" / "activation-lab.desktop"
    text = entry.read_text()
    assert f'Exec="{folder / "activation-lab"}"' in text
    assert "Icon=activation-lab" in text
    assert (tmp_path / "icons/hicolor/48x48/apps/activation-lab.png").is_file()
    assert (tmp_path / "icons/hicolor/scalable/apps/activation-lab.svg").is_file()
    subprocess.run([str(folder / "uninstall.sh")], env=env, check=True, capture_output=True)
    assert not entry.exists()
    assert not (tmp_path / "icons/hicolor/48x48/apps/activation-lab.png").exists()
