"""Build the one-folder bundle and the organisers' archive.

    pip install -e ".[bundle]" && python packaging/build.py [--dist DIR] [--work DIR]
        [--skip-self-test] [--reuse-cache]

writes ``dist/activation-lab/`` (the executable ``dist/activation-lab/activation-lab``, the
desktop launcher's files and install/uninstall scripts, the organisers' README, the list of
system packages, ``SHA256SUMS``) and ``dist/activation-lab-VERSION-linux-x86_64.tar.gz``.
Before packing, the bundled executable runs its own ``--self-test`` offscreen: a cut in the
spec that the app needed fails the build here, not at a workshop.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"
APP = "activation-lab"
#: The issue's bound on the archive (a workshop's USB stick and download).
MAX_ARCHIVE_MB = 250
#: Files of the bundle's top folder that the archive's SHA256SUMS does not list (itself).
CHECKSUMS = "SHA256SUMS"

sys.path.insert(0, str(ROOT))


def version() -> str:
    """The project's version, from pyproject.toml."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def run_pyinstaller(dist: Path, work: Path, clean: bool = True) -> None:
    """The one-folder build from packaging/activation-lab.spec."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", *(["--clean"] if clean else [])]
    command += ["--distpath", str(dist), "--workpath", str(work)]
    subprocess.run([*command, str(PACKAGING / f"{APP}.spec")], check=True, cwd=ROOT)


#: Libraries shipped with their symbol tables (for debuggers): about 90 MB in torch's, 15 MB in
#: Python's. ``strip --strip-unneeded`` keeps the dynamic symbols that loading needs.
UNSTRIPPED = ("torch/lib/libtorch_cpu.so", "torch/lib/libtorch_python.so", "libpython3*.so.*")


def strip_symbols(bundle: Path) -> None:
    """Drop the symbol tables of :data:`UNSTRIPPED` (the self-test then proves the result)."""
    strip = shutil.which("strip")
    if strip is None:
        print("build.py: warning: no `strip` (binutils): the bundle stays ~100 MB larger")
        return
    for pattern in UNSTRIPPED:
        for path in (bundle / "_internal").glob(pattern):
            subprocess.run([strip, "--strip-unneeded", str(path)], check=True)


def add_desktop_files(bundle: Path, app_version: str) -> None:
    """The launcher's files, install/uninstall scripts, the organisers' README and the list of
    system packages, at the top of the bundle where an organiser finds them."""
    from gui.system_libraries import QT_LIBRARIES, XCB_LIBRARIES

    share = bundle / "share"
    (share / "icons").mkdir(parents=True, exist_ok=True)
    shutil.copy2(RESOURCES / f"{APP}.desktop", share / f"{APP}.desktop")
    shutil.copy2(RESOURCES / f"{APP}.svg", share / "icons" / f"{APP}.svg")
    for png in sorted((RESOURCES / "icons").glob(f"{APP}-*.png")):
        shutil.copy2(png, share / "icons" / png.name)
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy2(PACKAGING / script, bundle / script)
        (bundle / script).chmod(0o755)
    packages = sorted(set(QT_LIBRARIES.values()) | set(XCB_LIBRARIES.values()))
    (bundle / "SYSTEM-PACKAGES.txt").write_text(
        "# Debian/Ubuntu packages Qt needs to open the window on an X11 desktop.\n"
        f"sudo apt-get install {' '.join(packages)}\n"
    )
    readme = (PACKAGING / "README-organisers.txt").read_text()
    readme = readme.replace("@VERSION@", app_version).replace("@PACKAGES@", " ".join(packages))
    (bundle / "README-organisers.txt").write_text(readme)


def write_checksums(bundle: Path) -> None:
    """SHA256SUMS of every regular file (``sha256sum -c SHA256SUMS`` inside the folder)."""
    lines = []
    for path in sorted(p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(bundle).as_posix()
        if relative != CHECKSUMS:
            lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {relative}\n")
    (bundle / CHECKSUMS).write_text("".join(lines))


def self_test(bundle: Path, report: Path) -> bool:
    """Run the bundled executable's --self-test offscreen; True if it passed."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [str(bundle / APP), "--self-test", str(report)]
    result = subprocess.run(
        command, check=False, env=env, capture_output=True, text=True, timeout=600
    )
    print(report.read_text() if report.exists() else result.stderr)
    return result.returncode == 0


def make_archive(bundle: Path, archive: Path) -> None:
    """The bundle as one folder in a .tar.gz (symlinks and run bits kept)."""
    with tarfile.open(archive, "w:gz", compresslevel=9) as tar:
        tar.add(bundle, arcname=APP)


def folder_bytes(folder: Path) -> int:
    """The size of the files in ``folder`` (symlinks not followed)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    """Build, self-test, pack; print the figures. Non-zero if any step failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work")
    parser.add_argument("--skip-self-test", action="store_true", help="pack without the check")
    parser.add_argument(
        "--reuse-cache", action="store_true", help="keep PyInstaller's cache (faster rebuilds)"
    )
    args = parser.parse_args(argv)
    app_version, started = version(), time.monotonic()
    dist = args.dist.resolve()
    run_pyinstaller(dist, args.work.resolve(), clean=not args.reuse_cache)
    bundle = dist / APP
    strip_symbols(bundle)
    add_desktop_files(bundle, app_version)
    if not args.skip_self_test and not self_test(bundle, args.work.resolve() / "self-test.txt"):
        print("build.py: error: the bundled app failed its self-test", file=sys.stderr)
        return 1
    write_checksums(bundle)
    archive = dist / f"{APP}-{app_version}-linux-{platform.machine()}.tar.gz"
    make_archive(bundle, archive)
    archive_mb = archive.stat().st_size / 1e6
    print(f"bundle folder: {bundle} ({folder_bytes(bundle) / 1e6:.0f} MB)")
    print(f"archive: {archive} ({archive_mb:.0f} MB, at most {MAX_ARCHIVE_MB} MB)")
    print(f"build time: {time.monotonic() - started:.0f} s")
    if archive_mb > MAX_ARCHIVE_MB:
        print(f"build.py: error: the archive is over {MAX_ARCHIVE_MB} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
