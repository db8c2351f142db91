"""Reading and writing session files on disk: atomically, and with a sentence when it fails.

Writing goes through QSaveFile: the text goes to a temporary file beside the target, which
replaces it only once everything is written, so a crash or a full disk mid-save leaves the old
file as it was. Reading is :func:`model.session.read_session_file`'s (Qt-free, shared with
the command line).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QIODevice, QSaveFile

from model.session import Session, read_session_file


def write_session(session: Session, path: Path) -> None:
    """Write ``session`` to ``path`` atomically; OSError says why it could not be written."""
    data = session.to_text().encode("utf-8")
    file = QSaveFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError(f"cannot write {path.name}: {file.errorString()}")
    written = file.write(data)
    if written != len(data):
        file.cancelWriting()
        raise OSError(f"cannot write {path.name}: {file.errorString() or 'the disk may be full'}")
    if not file.commit():
        raise OSError(f"cannot write {path.name}: {file.errorString() or 'the disk may be full'}")


def load_session(path: Path) -> Session:
    """The session in ``path``; SessionError names the problem (a missing file included)."""
    return read_session_file(path)
