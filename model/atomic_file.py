"""Writing an exported file whole or not at all: a temporary file beside it, checked, renamed.

A learner who exports over last week's handout must never be left with half a file: the
new content goes to a hidden temporary file in the same folder, is checked (it parses, it
has content), and only then replaces the target in one rename (``os.replace``, atomic on
one file system). Any failure leaves the old file as it was and says what went wrong in
plain words.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path


class ExportError(RuntimeError):
    """A file could not be written; the message names the file and says why."""


def check_suffix(path: str | os.PathLike[str], allowed: tuple[str, ...]) -> str:
    """The lower-case suffix of ``path``; ValueError naming the allowed ones otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        named = suffix or "no suffix"
        raise ValueError(f"the file name must end in {_either(allowed)}, not {named}")
    return suffix


def _either(suffixes: tuple[str, ...]) -> str:
    if len(suffixes) == 1:
        return suffixes[0]
    return f"{', '.join(suffixes[:-1])} or {suffixes[-1]}"


def reason(error: OSError, path: Path) -> str:
    """What an OSError means for someone saving ``path``, in plain words."""
    if isinstance(error, FileNotFoundError):
        return f"the folder {path.parent} does not exist"
    if isinstance(error, PermissionError):
        return "permission denied: choose a folder you can write to"
    if isinstance(error, IsADirectoryError):
        return "that name is a folder"
    return error.strerror or str(error)


def check_writable(path: str | os.PathLike[str]) -> Path:
    """``path`` if a file can be written there (its folder exists and is writable), else
    :class:`ExportError`: asked before minutes of work, not after."""
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"Could not write {target}: that name is a folder")
    if not target.parent.is_dir():
        raise ExportError(f"Could not write {target}: the folder {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK):
        raise ExportError(f"Could not write {target}: permission denied for {target.parent}")
    return target


def write_atomically(
    path: str | os.PathLike[str],
    write: Callable[[Path], None],
    check: Callable[[Path], None] | None = None,
) -> Path:
    """Let ``write`` fill a temporary file beside ``path``, ``check`` it, then put it in place.

    ``check`` raises (any exception) when the file is broken; nothing is replaced then. The
    temporary file keeps ``path``'s suffix, so writers that choose a format by it still
    can. Returns the target; raises :class:`ExportError` with a plain message.
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"Could not write {target}: that name is a folder")
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent
        )
    except OSError as error:
        raise ExportError(f"Could not write {target}: {reason(error, target)}") from error
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        if check is not None:
            try:
                check(temporary)
            except ExportError:
                raise
            except Exception as error:
                raise ExportError(
                    f"Could not write {target}: the file came out broken ({error}); "
                    "nothing was replaced"
                ) from error
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except OSError as error:
        raise ExportError(f"Could not write {target}: {reason(error, target)}") from error
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    return target


def _mode_for(target: Path) -> int:
    """The permissions the file would have had if opened directly (mkstemp makes it 0600)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
