"""Which epochs a one-page handout lists, when the run has more than a page holds.

The first epoch (where training started), the last few (where it ended) and every epoch
whose observation is worth a look (a milestone, an overshoot, units that died …); a
:class:`Gap` stands where epochs are left out, so the page can say "… 37 more epochs".
When even that is too long, :func:`choose_rows` takes a budget and keeps what matters most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from model.records import EpochRecord

#: Observation kinds (see :data:`model.observations.KINDS`) that a handout always lists.
NOTABLE_KINDS = ("milestone", "spike", "overshoot", "dead", "saturated", "overfitting")
#: The newest epochs a handout lists.
LAST_ROWS = 12


@dataclass(frozen=True)
class Gap:
    """``count`` epochs left out between two listed rows."""

    count: int


Row = EpochRecord | Gap


def choose_rows(
    records: Sequence[EpochRecord],
    *,
    last: int = LAST_ROWS,
    notable: Sequence[str] = NOTABLE_KINDS,
    budget: int | None = None,
) -> list[Row]:
    """The epochs to list, oldest first, with a :class:`Gap` wherever some are left out.

    Without ``budget``: the first, the ``last`` newest and every ``notable`` one. With a
    ``budget`` (at most that many epochs listed), what matters most comes first: the newest
    epoch, the first, the first epoch of each notable kind (the first overshoot says more
    than the twelfth-newest epoch), the rest of the newest, then the other notable ones.
    """
    count = len(records)
    if count == 0:
        return []
    newest = list(range(count - 1, max(0, count - last) - 1, -1))
    seen_kinds: set[str] = set()
    first_of_kind, repeats = [], []
    for index, record in enumerate(records):
        if record.observation_kind in notable:
            if record.observation_kind in seen_kinds:
                repeats.append(index)
            else:
                seen_kinds.add(record.observation_kind)
                first_of_kind.append(index)
    priority = [newest[0], 0, *first_of_kind, *newest[1:], *repeats]
    chosen: list[int] = []
    for index in priority:
        if index not in chosen:
            chosen.append(index)
    if budget is not None:
        chosen = chosen[: max(1, budget)]
    return _with_gaps(records, sorted(chosen))


def _with_gaps(records: Sequence[EpochRecord], indices: list[int]) -> list[Row]:
    rows: list[Row] = []
    previous = -1
    for index in indices:
        if index - previous > 1:
            rows.append(Gap(index - previous - 1))
        rows.append(records[index])
        previous = index
    if previous < len(records) - 1:
        rows.append(Gap(len(records) - 1 - previous))
    return rows


def listed(rows: Sequence[Row]) -> int:
    """How many epochs ``rows`` list (gaps not counted)."""
    return sum(1 for row in rows if isinstance(row, EpochRecord))
