"""The handout's epoch table: as many epochs as fit the room left on the page, never cut.

The rows come from :func:`model.handout_rows.choose_rows`; a row stands for the epochs left
out ("… 37 more epochs"). The table is rich text in a :class:`QTextDocument`, which wraps
each observation and knows its height before anything is drawn: when the rows chosen are
taller than the room, fewer are listed until they fit.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPaintEvent, QTextDocument
from PySide6.QtWidgets import QWidget

from gui import theme
from gui.widgets.epoch_table import loss_text, units_text
from model.handout_rows import Gap, Row, choose_rows, listed
from model.records import EpochRecord

HEADERS = ("Epoch", "Train loss", "Test loss", "Test acc.", "Units", "What happened")
#: Column widths: the numbers as narrow as they read, the sentences the rest.
WIDTHS = ("7%", "10%", "10%", "10%", "12%", "51%")
_ZEBRA = "#f3f5f8"


def rows_html(rows: Sequence[Row], baseline: EpochRecord | None, total: int) -> str:
    """The table as rich text: a header, epoch 0 (if known), then ``rows``."""
    cells = "".join(
        f"<th align='{'left' if i > 3 else 'right'}' width='{w}'>{html.escape(h)}</th>"
        for i, (h, w) in enumerate(zip(HEADERS, WIDTHS, strict=True))
    )
    body = [f"<tr style='background:#e4e7eb'>{cells}</tr>"]
    records: list[Row] = [baseline, *rows] if baseline is not None else list(rows)
    for number, row in enumerate(records):
        shade = f" style='background:{_ZEBRA}'" if number % 2 else ""
        if isinstance(row, Gap):
            words = f"… {row.count} more epoch{'s' if row.count != 1 else ''} not listed"
            body.append(
                f"<tr{shade}><td colspan='6' align='center' style='color:{theme.MUTED}'>"
                f"<i>{words}</i></td></tr>"
            )
            continue
        numbers = (
            str(row.epoch),
            loss_text(row.train_loss),
            loss_text(row.test_loss),
            f"{row.test_accuracy:.1%}",
        )
        right = "".join(f"<td align='right'>{n}</td>" for n in numbers)
        body.append(
            f"<tr{shade}>{right}<td>{html.escape(units_text(row))}</td>"
            f"<td>{html.escape(row.observation)}</td></tr>"
        )
    if total == 0:
        body.append("<tr><td colspan='6'><i>No epoch trained yet.</i></td></tr>")
    return (
        f"<table width='100%' cellspacing='0' cellpadding='3' "
        f"style='color:{theme.TEXT}; font-size:{theme.css_points(8.5)}'>{''.join(body)}</table>"
    )


class HandoutTable(QWidget):
    """Paints the epoch table into its rectangle; :meth:`fit` picks the rows that fit it."""

    def __init__(
        self,
        records: Sequence[EpochRecord],
        baseline: EpochRecord | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handout_table")
        self._records = tuple(records)
        self._baseline = baseline
        self._document = QTextDocument(self)
        self._document.setDocumentMargin(0)
        self._document.setDefaultFont(self.font())
        #: The rows listed after :meth:`fit` (for tests and tools).
        self.rows: list[Row] = choose_rows(self._records)
        #: True when :meth:`fit` left out epochs it would have listed, for want of room.
        self.trimmed = False

    def fit(self) -> None:
        """List the chosen epochs, fewer while they are taller than this widget."""
        self._document.setTextWidth(self.width())
        rows = choose_rows(self._records)
        self.trimmed = False
        while True:
            self._document.setHtml(rows_html(rows, self._baseline, len(self._records)))
            shown = listed(rows)
            if self._document.size().height() <= self.height() or shown <= 1:
                break
            rows = choose_rows(self._records, budget=shown - 1)
            self.trimmed = True
        self.rows = rows
        self.update()

    @property
    def fits(self) -> bool:
        """True when the table drawn is no taller than the widget (nothing cut)."""
        return self._document.size().height() <= self.height()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the table from the top left."""
        del event
        painter = QPainter(self)
        self._document.drawContents(painter, QRectF(self.rect()))
        painter.end()
