"""Help → Keyboard shortcuts: every key the window answers, listed from the window itself.

The list is made when the dialog opens, from the menus' actions (their text and shortcuts),
the window's other actions with a key, and the pages' own keys (QShortcut objects, such as
the step page's ← →), so a key added anywhere shows up without anyone editing a list. Only
the words for the pages' keys are written here; a page key without words is still listed,
under its page's name. Typing into the input cells is described too: it is no shortcut.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from model.modes import MODE_NAMES, get_mode

#: Words for the pages' own keys (QShortcuts have no text), by page and key.
PAGE_KEY_WORDS = {
    ("step", "Left"): "Previous stage of the forward pass",
    ("step", "Right"): "Next stage of the forward pass",
    ("quiz", "A"): "Answer A",
    ("quiz", "B"): "Answer B",
    ("quiz", "C"): "Answer C",
    ("quiz", "D"): "Answer D",
    ("quiz", "N"): "Next question",
    ("quiz", "Return"): "Next question",
    ("quiz", "Enter"): "Next question",
}
#: Keys that are no shortcut of the window's: what the input cells do with them.
CELL_KEYS = (
    ("0–9, −, ., e", "Type a new number into the selected input cell"),
    ("Enter", "Apply the number typed into a cell (Esc cancels it)"),
    ("Tab, ← →", "Move between the input cells"),
    ("Alt+1 … Alt+9", "Switch modes while a cell has the keyboard (a digit types)"),
)


def plain_text(text: str) -> str:
    """A menu text without its mnemonic ("&Undo" → "Undo", "&&" → "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


#: Key names written as a learner sees them on the keyboard.
_KEY_WORDS = {"Left": "←", "Right": "→", "Up": "↑", "Down": "↓", "PgDown": "Page Down"}
_KEY_WORDS |= {"PgUp": "Page Up"}


def key_text(keys: list[QKeySequence]) -> str:
    """Shortcuts as the platform writes them, arrows as arrows: "Space or F5", "Ctrl+→"."""
    native = QKeySequence.SequenceFormat.NativeText
    texts = [
        "+".join(_KEY_WORDS.get(part, part) for part in key.toString(native).split("+"))
        for key in keys
        if not key.isEmpty()
    ]
    return " or ".join(dict.fromkeys(texts))


def shortcut_sections(window: QWidget) -> list[tuple[str, list[tuple[str, str]]]]:
    """The window's keys by section: (section title, [(keys, what they do)])."""
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    listed: set[QAction] = set()
    bar = window.findChild(QMenuBar)
    menus = [a.menu() for a in bar.actions()] if bar is not None else []
    for menu in menus:
        if not isinstance(menu, QMenu):
            continue
        rows = _menu_rows(menu, listed)
        if rows:
            sections.append((plain_text(menu.title()), rows))
    others = [
        (key_text(action.shortcuts()), plain_text(action.text()))
        for action in window.findChildren(QAction)
        if action not in listed and key_text(action.shortcuts())
    ]
    if others:
        sections.append(("Other keys", others))
    pages = _page_rows(window)
    if pages:
        sections.append(("Keys on a page", pages))
    sections.append(("In the input cells", list(CELL_KEYS)))
    return sections


def _menu_rows(menu: QMenu, listed: set[QAction]) -> list[tuple[str, str]]:
    rows = []
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            rows += _menu_rows(submenu, listed)
            continue
        keys = key_text(action.shortcuts())
        if keys and action not in listed:
            listed.add(action)
            rows.append((keys, plain_text(action.text())))
    return rows


def _page_rows(window: QWidget) -> list[tuple[str, str]]:
    rows = []
    for shortcut in window.findChildren(QShortcut):
        keys = key_text([shortcut.key()])
        page = _page_of(shortcut)
        title = get_mode(page).title if page in MODE_NAMES else "the window"
        words = PAGE_KEY_WORDS.get((page, shortcut.key().toString()), "")
        rows.append((keys, f"{title}: {words}" if words else f"A key of {title}"))
    return rows


def _page_of(shortcut: QShortcut) -> str:
    """The mode whose page holds ``shortcut`` (its objectName is ``mode_<name>``), or ""."""
    parent: QObject | None = shortcut.parent()
    while parent is not None:
        name = parent.objectName()
        if name.startswith("mode_") and name[5:] in MODE_NAMES:
            return name[5:]
        parent = parent.parent()
    return ""


class ShortcutsDialog(QDialog):
    """``shortcuts_dialog``: a read-only table (``shortcuts_table``) of every key."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("shortcuts_table")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Keys", "What they do"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for title, rows in shortcut_sections(window):
            self._add_section(title, rows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setCurrentCell(-1, -1)  # no row picked out when it opens
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        screen = window.screen().availableGeometry()
        self.resize(min(680, screen.width() - 40), min(620, screen.height() - 60))
        # The keys take what their longest line needs, at most 40 %: long lists wrap.
        self.table.resizeColumnToContents(0)
        keys_width = min(self.table.columnWidth(0), round(self.width() * 0.4))
        self.table.setColumnWidth(0, keys_width)
        self.table.resizeRowsToContents()

    def _add_section(self, title: str, rows: list[tuple[str, str]]) -> None:
        table = self.table
        row = table.rowCount()
        table.insertRow(row)
        heading = QTableWidgetItem(title)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        table.setItem(row, 0, heading)
        table.setSpan(row, 0, 1, 2)
        for keys, words in rows:
            row = table.rowCount()
            table.insertRow(row)
            key_item = QTableWidgetItem(keys)
            key_item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 0, key_item)
            table.setItem(row, 1, QTableWidgetItem(words))

    def texts(self) -> list[tuple[str, str]]:
        """Every row as (keys, words), section titles with empty words (for tests)."""
        table = self.table
        rows = []
        for row in range(table.rowCount()):
            first, second = table.item(row, 0), table.item(row, 1)
            rows.append((first.text() if first else "", second.text() if second else ""))
        return rows
