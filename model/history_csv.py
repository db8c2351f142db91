"""The training history and a trace as CSV files a spreadsheet or pandas reads as they are.

Every number is written with ``repr`` (the shortest text that reads back as the same float),
so a file read back gives exactly the numbers the window drew. Three tables, each with a
header row, UTF-8 (the observations hold "≤" and "′"):

* epochs: one row per epoch, every :class:`~model.records.EpochRecord` field; dead and
  saturated units get one column per hidden layer (``dead_units_layer1`` …);
* batches: ``position_epochs, loss``, one row per batch drawn on the loss plot;
* trace: one row per stage and unit: ``stage, activation, unit, pre_activation, value,
  derivative, gradient`` (empty where a stage has none: the input has no z).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from model.atomic_file import write_atomically
from model.records import EpochRecord
from model.trace import Trace

EPOCH_COLUMNS = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
TAIL_COLUMNS = ("layer_width", "observation_kind", "observation")
BATCH_COLUMNS = ("position_epochs", "loss")
TRACE_COLUMNS = (
    "stage",
    "activation",
    "unit",
    "pre_activation",
    "value",
    "derivative",
    "gradient",
)
#: Stages named by position, as the window names its panels (two ReLU layers never collide).
STAGE_KEYS = ("input", "layer1", "layer2", "output")


def _number(value: float | int | None) -> str:
    """Exact text for a number ("" for None): ``repr`` of a float reads back bit for bit."""
    if value is None:
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)


def _write_rows(
    path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[list[str]]
) -> Path:
    def write(file: Path) -> None:
        with file.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    return write_atomically(path, write, _check_header(header))


def _check_header(header: Sequence[str]) -> Callable[[Path], None]:
    def check(file: Path) -> None:
        with file.open(encoding="utf-8", newline="") as handle:
            if next(csv.reader(handle), None) != list(header):
                raise ValueError("the header row did not come back")

    return check


def layer_count(records: Sequence[EpochRecord]) -> int:
    """Hidden layers the records count units for (the widest record decides)."""
    return max((max(len(r.dead_units), len(r.saturated_units)) for r in records), default=0)


def epoch_header(layers: int) -> list[str]:
    """The epochs table's column names for ``layers`` hidden layers."""
    units = [f"{kind}_units_layer{i + 1}" for kind in ("dead", "saturated") for i in range(layers)]
    return [*EPOCH_COLUMNS, *units, *TAIL_COLUMNS]


def write_epochs_csv(
    records: Sequence[EpochRecord],
    path: str | os.PathLike[str],
    baseline: EpochRecord | None = None,
) -> Path:
    """One row per epoch (``baseline``, the untrained epoch 0, first when given)."""
    rows = [baseline, *records] if baseline is not None else list(records)
    layers = layer_count(rows)

    def cells(record: EpochRecord) -> list[str]:
        dead = list(record.dead_units) + [0] * (layers - len(record.dead_units))
        saturated = list(record.saturated_units) + [0] * (layers - len(record.saturated_units))
        numbers = [getattr(record, name) for name in EPOCH_COLUMNS]
        return [
            *(_number(v) for v in numbers),
            *(str(v) for v in (*dead, *saturated)),
            str(record.layer_width),
            record.observation_kind,
            record.observation,
        ]

    return _write_rows(path, epoch_header(layers), (cells(r) for r in rows))


def read_epochs_csv(path: str | os.PathLike[str]) -> list[EpochRecord]:
    """The records of a file :func:`write_epochs_csv` wrote (for tools and tests)."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = []
    for row in rows:
        layers = sum(1 for key in row if key.startswith("dead_units_layer"))
        records.append(
            EpochRecord(
                int(row["epoch"]),
                float(row["train_loss"]),
                float(row["test_loss"]),
                float(row["train_accuracy"]),
                float(row["test_accuracy"]),
                dead_units=tuple(int(row[f"dead_units_layer{i + 1}"]) for i in range(layers)),
                saturated_units=tuple(
                    int(row[f"saturated_units_layer{i + 1}"]) for i in range(layers)
                ),
                layer_width=int(row["layer_width"]),
                observation=row["observation"],
                observation_kind=row["observation_kind"],
            )
        )
    return records


def write_batches_csv(
    positions: npt.ArrayLike, losses: npt.ArrayLike, path: str | os.PathLike[str]
) -> Path:
    """One row per batch: where it ends, in epochs (1.5 = halfway through epoch 2), and its
    loss."""
    x = np.asarray(positions, dtype=np.float64).tolist()
    y = np.asarray(losses, dtype=np.float64).tolist()
    if len(x) != len(y):
        raise ValueError(f"{len(x)} positions for {len(y)} losses")
    return _write_rows(
        path, BATCH_COLUMNS, ([_number(a), _number(b)] for a, b in zip(x, y, strict=True))
    )


def read_batches_csv(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    """Positions and losses of a file :func:`write_batches_csv` wrote."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    positions = np.array([float(r["position_epochs"]) for r in rows], dtype=np.float64)
    return positions, np.array([float(r["loss"]) for r in rows], dtype=np.float64)


def trace_rows(trace: Trace) -> list[list[str]]:
    """The trace table's rows: every stage × unit, numbers as exact text."""
    rows = []
    for index, stage in enumerate(trace.stages):
        key = STAGE_KEYS[index] if len(trace.stages) == len(STAGE_KEYS) else f"stage{index}"
        for unit, value in enumerate(stage.values):
            rows.append(
                [
                    key,
                    stage.name,
                    str(unit + 1),
                    _number(_at(stage.pre_activation, unit)),
                    _number(value),
                    _number(_at(stage.derivative, unit)),
                    _number(_at(stage.gradient, unit)),
                ]
            )
    return rows


def _at(values: Sequence[float] | None, unit: int) -> float | None:
    return None if values is None else float(values[unit])


def write_trace_csv(trace: Trace, path: str | os.PathLike[str]) -> Path:
    """One row per stage and unit of ``trace``."""
    return _write_rows(path, TRACE_COLUMNS, trace_rows(trace))
