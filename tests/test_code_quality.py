"""The code stays ruff-clean, formatted and type-checked: part of the one test command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> list[str]:
    beside_python = Path(sys.executable).with_name(name)
    if beside_python.exists():
        return [str(beside_python)]
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: install the project with its [test] extra")
    return [found]


@pytest.mark.parametrize(
    "arguments", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"]
)
def test_ruff(arguments: list[str]) -> None:
    """``ruff check`` and ``ruff format --check`` report nothing."""
    result = subprocess.run(
        [*_tool("ruff"), *arguments], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    """mypy (strict for model/) finds no type errors."""
    result = subprocess.run(
        [*_tool("mypy"), "model", "gui", "main.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
