"""Saved searches ▸ Rename or delete…: the saved searches in a list, to open, rename or delete.

As the rule builder keeps saved rules (:mod:`ui.search.rules.rule_builder`): a
rename refuses an empty name or another search's, saying why, and leaves the
search as it was; a delete asks first (No is the default). The names are the
user's own text, shown as they are. Changes go to ``Settings.saved_searches``
at once (:mod:`desktop.saved_searches`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.saved_searches import (
    SavedSearchNameError,
    delete_saved_search,
    rename_saved_search,
    saved_search_names,
)
from desktop.settings import Settings
from ui.i18n import shows_data
from ui.widgets.text import Button, ask, ask_text, plain_label


class SavedSearchesDialog(QDialog):
    """The saved searches of ``settings``. GUI thread only."""

    #: The user chose to open this saved search (the dialog then closes).
    open_requested = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Saved searches"))
        self.list = QListWidget()
        self.list.setObjectName("savedSearchList")
        self.list.setAccessibleName(self.tr("Saved searches"))
        shows_data(self.list)
        label = QLabel(self.tr("&Saved searches:"))
        label.setBuddy(self.list)
        self.open_button = QPushButton(self.tr("&Open"))
        self.rename_button = QPushButton(self.tr("Rena&me…"))
        self.rename_button.setToolTip(self.tr("Give the selected search another name (F2)"))
        self.delete_button = QPushButton(self.tr("De&lete"))
        self.delete_button.setToolTip(self.tr("Delete the selected search (Delete)"))
        self.open_button.clicked.connect(self.open_current)
        self.rename_button.clicked.connect(self._ask_rename)
        self.delete_button.clicked.connect(self._ask_delete)
        self.list.itemActivated.connect(lambda _item: self.open_current())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        QShortcut(QKeySequence(Qt.Key.Key_F2), self.list, self._ask_rename)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list, self._ask_delete)
        #: What happened last (a refused name says why here).
        self.message_label = plain_label(wrap=True, name="savedSearchMessage")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        #: Hooks the tests replace: a new name for ``current`` (None: cancelled); "really delete?".
        self.ask_name: Callable[[str], str | None] = lambda current: ask_text(
            self, self.tr("Rename saved search"), self.tr("New name:"), text=current
        )
        self.confirm_delete: Callable[[str], bool] = lambda text: (
            ask(self, self.tr("Delete saved search"), text, default=Button.No) == Button.Yes
        )

        side = QVBoxLayout()
        for button in (self.open_button, self.rename_button, self.delete_button):
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(row, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(close)
        self._fill()

    def _fill(self, current: str | None = None) -> None:
        names = saved_search_names(self.settings)
        self.list.clear()
        self.list.addItems(names)
        if names:
            self.list.setCurrentRow(names.index(current) if current in names else 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current_name() is not None
        for button in (self.open_button, self.rename_button, self.delete_button):
            button.setEnabled(chosen)

    def current_name(self) -> str | None:
        item = self.list.currentItem()
        return item.text() if item is not None else None

    def select(self, name: str) -> None:
        """Make ``name`` the current search of the list."""
        self._fill(name)

    # --- what the buttons do ------------------------------------------------------------

    def open_current(self) -> None:
        name = self.current_name()
        if name is not None:
            self.open_requested.emit(name)
            self.accept()

    def rename(self, old: str, new: str) -> bool:
        """Rename ``old`` to ``new``; False (and why, below the list) when refused."""
        try:
            renamed = rename_saved_search(self.settings, old, new)
        except SavedSearchNameError as error:
            self.message_label.setText(str(error))
            return False
        self._fill(renamed)
        self.message_label.setText(
            self.tr("Renamed “{old}” to “{new}”.").format(old=old, new=renamed) if renamed != old else ""
        )
        return True

    def _ask_rename(self) -> None:
        name = self.current_name()
        if name is None:
            return
        new = self.ask_name(name)
        if new is not None:
            self.rename(name, new)

    def delete(self, name: str) -> None:
        if delete_saved_search(self.settings, name):
            self.message_label.setText(self.tr("Deleted the saved search “{name}”.").format(name=name))
        row = self.list.currentRow()
        self._fill()
        if self.list.count():
            self.list.setCurrentRow(min(row, self.list.count() - 1))

    def _ask_delete(self) -> None:
        name = self.current_name()
        if name is not None and self.confirm_delete(
            self.tr("Delete the saved search “{name}”? This cannot be undone.").format(name=name)
        ):
            self.delete(name)
