"""The one-page handout: which epochs it lists, what its page shows, its files, and the
command line's headless run."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from helpers import run_python
from PySide6.QtGui import QImage

from gui.export_menu import ExportMenu
from gui.handout import PNG_WIDTH, build_page, handout_data_from_window, write_handout
from gui.handout_cli import run_handout
from model.config import TrainingConfig
from model.handout_data import HandoutData
from model.handout_rows import Gap, choose_rows, listed
from model.network import trace_inputs
from model.records import EpochRecord

INPUTS = (2.0, -1.0, 0.5, 3.0)
RELU = (2.0, 0.0, 0.5, 3.0)
SIGMOID = [1 / (1 + math.exp(-v)) for v in RELU]
SOFTMAX = [math.exp(v) / sum(math.exp(s) for s in SIGMOID) for v in SIGMOID]
LONG = "Loss −0.010 (−1.0%): mini-batch noise, the trend matters; test accuracy 61 % so far"


def _records(count: int, notable: dict[int, str] | None = None) -> tuple[EpochRecord, ...]:
    kinds = notable or {}
    return tuple(
        EpochRecord(
            epoch,
            1.4 / epoch,
            1.5 / epoch,
            min(1.0, 0.2 + epoch / 100),
            min(1.0, 0.25 + epoch / 100),
            dead_units=(0, 0),
            saturated_units=(0, 0),
            observation=f"{kinds.get(epoch, 'noise')}: {LONG}",
            observation_kind=kinds.get(epoch, "first" if epoch == 1 else "noise"),
        )
        for epoch in range(1, count + 1)
    )


def _data(records: tuple[EpochRecord, ...] = (), **settings: object) -> HandoutData:
    config = TrainingConfig(**settings)  # type: ignore[arg-type]
    batches = np.arange(1, 4 * len(records) + 1) / 4
    return HandoutData(
        config=config,
        trace=trace_inputs(INPUTS, config.activations, config.temperature, target=1),
        records=records,
        batch_positions=batches,
        batch_losses=1.4 / (1 + batches),
        baseline=EpochRecord(0, 1.5, 1.5, 0.02, 0.02, observation="untrained"),
    )


def test_rows_list_the_first_the_last_and_the_notable() -> None:
    """100 epochs: the first, a milestone, two overshoots and the last 12, gaps between;
    a budget keeps the first of each kind before older "last" rows and repeats."""
    records = _records(100, {30: "milestone", 50: "overshoot", 51: "overshoot"})
    rows = choose_rows(records)
    epochs = [r.epoch if isinstance(r, EpochRecord) else -r.count for r in rows]
    assert epochs == [1, -28, 30, -19, 50, 51, -37, *range(89, 101)]
    assert sum(r.count for r in rows if isinstance(r, Gap)) + listed(rows) == 100
    trimmed = choose_rows(records, budget=6)
    assert [r.epoch for r in trimmed if isinstance(r, EpochRecord)] == [1, 30, 50, 98, 99, 100]
    assert choose_rows(records[:5]) == list(records[:5])
    assert choose_rows(()) == []


def test_the_page_shows_the_trace_the_settings_and_the_epochs(qapp) -> None:  # type: ignore[no-untyped-def]
    """The untrained pipeline's numbers on the four panels, the settings in the title, the
    curves from epoch 0, and every one of a few epochs in the table."""
    page = build_page(_data(_records(5), learning_rate=0.01, optimizer="SGD", seed=7))
    try:
        heights = [panel.heights for panel in page.panels]
        assert heights[0] == INPUTS
        assert heights[1] == RELU
        assert heights[2] == pytest.approx(SIGMOID, abs=1e-12)
        assert heights[3] == pytest.approx(SOFTMAX, abs=1e-12)
        assert [round(v, 3) for v in heights[3]] == [0.283, 0.194, 0.219, 0.304]
        title = page.findChild(type(page.heading), "handout_settings").text()
        assert "ReLU → Sigmoid → Softmax" in title
        assert "SGD, learning rate 0.01, batch 32, seed 7 · 5 epochs trained" in title
        assert "predicted class 4" in title
        assert "class 2" in title
        x, y, _, _ = page.plots.curve_data(0, "train_loss")
        assert list(x) == [0, 1, 2, 3, 4, 5]
        assert y[0] == 1.5
        assert listed(page.table.rows) == 5
        assert page.table.fits
        assert not page.table.trimmed
        assert "5 trained, all listed" in page.heading.text()
    finally:
        page.close()


def test_a_long_run_is_cut_to_what_fits(qapp) -> None:  # type: ignore[no-untyped-def]
    """400 epochs, many notable: the table lists fewer, fits the page, keeps the first and
    the newest epoch and the first of each notable kind, and says how many are left out."""
    notable = dict.fromkeys(range(40, 200, 4), "overshoot") | {20: "milestone", 300: "dead"}
    records = _records(400, notable)
    page = build_page(_data(records))
    try:
        rows = page.table.rows
        assert page.table.fits
        assert page.table.trimmed
        shown = [r.epoch for r in rows if isinstance(r, EpochRecord)]
        assert shown[0] == 1
        assert shown[-1] == 400
        assert {20, 40, 300} <= set(shown)
        assert sum(r.count for r in rows if isinstance(r, Gap)) == 400 - len(shown)
        assert "most notable that fit" in page.heading.text()
    finally:
        page.close()


def test_png_and_pdf_files(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A PNG 1800 pixels wide in A4's proportions, an A4 PDF; any other suffix is refused
    with the allowed ones named, and the file already there is kept."""
    data = _data(_records(3))
    png = write_handout(data, tmp_path / "handout.png")
    image = QImage(str(png))
    assert (image.width(), image.height()) == (PNG_WIDTH, round(PNG_WIDTH * 1273 / 900))
    assert image.pixelColor(5, 5).name() == "#ffffff"
    colours = {image.pixel(x, y) for x in range(0, PNG_WIDTH, 13) for y in range(0, 2000, 13)}
    assert len(colours) > 20
    pdf = write_handout(data, tmp_path / "handout.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert b"%%EOF" in pdf[-64:]
    assert b"/MediaBox [0 0 595" in pdf  # A4: 595 × 842 points
    old = tmp_path / "handout.jpg"
    old.write_bytes(b"keep me")
    with pytest.raises(ValueError, match=r"\.png or \.pdf, not \.jpg"):
        write_handout(data, old)
    assert old.read_bytes() == b"keep me"


def test_command_line_handout_without_a_display(tmp_path: Path) -> None:
    """A fresh interpreter with no display and no Qt platform set trains two epochs and
    writes the PNG, printing nothing."""
    path = tmp_path / "run.png"
    code = (
        "import sys; from gui.handout_cli import run_handout; "
        "from model.config import TrainingConfig; "
        f"sys.exit(run_handout(TrainingConfig(), 2, {INPUTS!r}, {str(path)!r}))"
    )
    # run_python starts from this environment: empty values stand for unset ones.
    result = run_python(
        "-c", code, env={"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert QImage(str(path)).width() == PNG_WIDTH


def test_command_line_refusals_and_divergence(qapp, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A wrong suffix or a missing folder: exit 2 and one line on stderr, before training.
    A run that diverges: exit 1, its reason on stderr, and the handout still written."""
    for path, words in (
        (tmp_path / "run.jpg", ".png or .pdf, not .jpg"),
        (tmp_path / "missing" / "run.pdf", "does not exist"),
    ):
        assert run_handout(TrainingConfig(), 1, INPUTS, path) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err.count("\n") == 1
        assert words in err
        assert "--handout" in err
        assert not path.exists()
    assert run_handout(TrainingConfig(), 1, (1.0, math.nan, 0.0, 0.0), tmp_path / "a.png") == 2
    assert "4 finite numbers" in capsys.readouterr().err
    diverging = tmp_path / "diverged.pdf"
    assert run_handout(TrainingConfig(learning_rate=50), 3, INPUTS, diverging) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "diverged in epoch 1" in err
    assert diverging.read_bytes().startswith(b"%PDF-")


def test_export_menu_writes_the_windows_handout(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The window's run (settings, trace, epochs) goes on the page the Export menu writes."""
    menu = ExportMenu(window)
    data = handout_data_from_window(window)
    assert data.config == window.setup.config
    assert data.trace is window.last_trace
    assert data.records == window.epochs.records
    menu.choose_path = lambda caption, suggested, filters: str(tmp_path / "window.pdf")
    menu.action_export_handout.trigger()
    assert (tmp_path / "window.pdf").read_bytes().startswith(b"%PDF-")
    assert "window.pdf" in window.statusBar().currentMessage()
