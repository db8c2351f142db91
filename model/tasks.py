"""The built-in classification tasks, described: four numbers in, one of four classes out.

This module is torch-free so the window can list tasks before PyTorch has loaded;
:mod:`model.datasets` generates their data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Task:
    """A task a learner can pick: its name, the question it asks, and why it is interesting."""

    name: str
    title: str
    question: str
    why: str
    #: How the right answer follows from the four inputs: "smallest" or "largest" of them.
    answer_rule: str

    def answer(self, values: Sequence[float]) -> int:
        """The right class (0-based) for ``values``: what the default gradient target is.

        For the clusters it is the most likely cluster: centres lie at 1.5 along each axis with
        the same noise, so the nearest centre is the one whose axis holds the largest value.
        """
        pick = min if self.answer_rule == "smallest" else max
        return pick(range(len(values)), key=values.__getitem__)


_ENTRIES = (
    Task(
        "smallest",
        "Find the smallest",
        "Which of the four inputs is smallest?",
        "The untrained network picks the largest, so it must learn to flip signs.",
        "smallest",
    ),
    Task(
        "largest",
        "Find the largest",
        "Which of the four inputs is largest?",
        "Already solved before training: the identity pipeline keeps the order.",
        "largest",
    ),
    Task(
        "clusters",
        "Overlapping clusters",
        "Which of four overlapping clusters did this point come from?",
        "The clusters overlap, so no network is always right; watch the test loss.",
        "largest",
    ),
)

#: Tasks by name; the first is the default.
TASKS: Mapping[str, Task] = MappingProxyType({t.name: t for t in _ENTRIES})
DEFAULT_TASK = "smallest"
