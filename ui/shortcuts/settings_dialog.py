"""Rebinding shortcuts: a table of every command and its key, and a field to press the new one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QKeyCombination, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.shortcuts.keymap import NATIVE, ShortcutMap, find_conflicts, parse_key
from ui.widgets.colours import set_status_style, text_style


class ShortcutSettingsDialog(QDialog):
    """Rebind the shortcuts of a map: pick a row, press the new key.

    Edits a copy; OK applies it to the map (so bound actions change at once)
    and is disabled while two commands share a key. GUI thread only.
    """

    GROUP, ACTION, KEY = range(3)

    def __init__(self, shortcut_map: ShortcutMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSettings")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self._map = shortcut_map
        self._specs = shortcut_map.specs()
        self._keys: dict[str, QKeySequence] = {spec.id: shortcut_map.key(spec.id) for spec in self._specs}
        self._syncing = False

        self.table = QTableWidget(len(self._specs), 3, self)
        self.table.setObjectName("shortcutTable")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Group"), self.tr("Action"), self.tr("Key")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(self.ACTION, QHeaderView.ResizeMode.Stretch)
        for row, spec in enumerate(self._specs):
            for column, text in ((self.GROUP, spec.group_title), (self.ACTION, spec.title)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
            key_item = QTableWidgetItem()
            key_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, self.KEY, key_item)
            self._show_key(row)
        self.table.resizeColumnToContents(self.GROUP)

        self.key_edit = QKeySequenceEdit(self)
        self.key_edit.setObjectName("keyEdit")
        # One key, taken as soon as it is pressed (no wait for a second chord); Tab leaves the field.
        self.key_edit.setMaximumSequenceLength(1)
        self.key_edit.setClearButtonEnabled(True)
        self.key_edit.setToolTip(self.tr("Press the new key for the selected action"))
        key_label = QLabel(self.tr("&Key:"))
        key_label.setBuddy(self.key_edit)
        self.clear_button = QPushButton(self.tr("&Clear"))
        self.clear_button.setToolTip(self.tr("Leave the selected action without a key"))
        self.reset_button = QPushButton(self.tr("&Reset"))
        self.reset_button.setToolTip(self.tr("Give the selected action its default key"))
        self.reset_all_button = QPushButton(self.tr("Reset &all"))
        self.reset_all_button.setToolTip(self.tr("Give every action its default key"))
        for button in (self.clear_button, self.reset_button, self.reset_all_button):
            button.setAutoDefault(False)

        self.warning = QLabel()
        self.warning.setObjectName("conflictWarning")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        # Readable on a light and a dark palette, restyled when the scheme changes.
        set_status_style(self.warning, text_style("error"))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok_button is not None
        self.ok_button = ok_button

        editor = QHBoxLayout()
        editor.addWidget(key_label)
        editor.addWidget(self.key_edit, 1)
        editor.addWidget(self.clear_button)
        editor.addWidget(self.reset_button)
        editor.addStretch(1)
        editor.addWidget(self.reset_all_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(editor)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.resize(560, 460)

        selection = self.table.selectionModel()
        assert selection is not None
        selection.currentRowChanged.connect(lambda _current, _previous: self._row_changed())
        # Double-click a row, or press Enter or F2 on it: go press its new key.
        self.table.activated.connect(lambda _index: self._edit_current())
        self.table.installEventFilter(self)
        self.key_edit.installEventFilter(self)
        self.key_edit.keySequenceChanged.connect(self._key_edited)
        self.clear_button.clicked.connect(lambda: self._set_current(QKeySequence()))
        self.reset_button.clicked.connect(self._reset_current)
        self.reset_all_button.clicked.connect(self.reset_all)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        if self._specs:
            self.select(self._specs[0].id)
        self._row_changed()
        self._update_conflicts()

    def select(self, id_: str) -> None:
        row = self._row(id_)
        self.table.setCurrentCell(
            row,
            self.ACTION,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )

    def current_id(self) -> str | None:
        row = self.table.currentRow()
        return self._specs[row].id if 0 <= row < len(self._specs) else None

    def pending_key(self, id_: str) -> QKeySequence:
        """The key ``id_`` gets if the dialog is accepted now."""
        return QKeySequence(self._keys[id_])

    def set_pending_key(self, id_: str, key: QKeySequence | str) -> None:
        sequence = parse_key(key) if isinstance(key, str) else key
        if sequence is None:
            raise ValueError(f"not a key: {key!r}")
        self.select(id_)
        self._set_current(sequence)

    def reset_all(self) -> None:
        for spec in self._specs:
            self._keys[spec.id] = self._map.default_key(spec.id)
            self._show_key(self._row(spec.id))
        self._row_changed()
        self._update_conflicts()

    def accept(self) -> None:
        if find_conflicts(self._specs, self._keys):
            return
        self._map.set_keys(self._keys)
        super().accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2)
            and self.current_id() is not None
        ):
            self._edit_current()
            return True
        if (
            watched is self.key_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.keyCombination() == QKeyCombination(Qt.Key.Key_Escape)
        ):
            # Esc cancels the dialog as everywhere else; it is never recorded as a key.
            self.reject()
            return True
        return super().eventFilter(watched, event)

    def _edit_current(self) -> None:
        self.key_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _row(self, id_: str) -> int:
        return next(n for n, spec in enumerate(self._specs) if spec.id == id_)

    def _row_changed(self) -> None:
        id_ = self.current_id()
        for widget in (self.key_edit, self.clear_button, self.reset_button):
            widget.setEnabled(id_ is not None)
        self._syncing = True
        try:
            self.key_edit.setKeySequence(self._keys[id_] if id_ is not None else QKeySequence())
        finally:
            self._syncing = False

    @Slot(QKeySequence)
    def _key_edited(self, key: QKeySequence) -> None:
        if not self._syncing:
            self._set_current(key)

    def _reset_current(self) -> None:
        id_ = self.current_id()
        if id_ is not None:
            self._set_current(self._map.default_key(id_))

    def _set_current(self, key: QKeySequence) -> None:
        id_ = self.current_id()
        if id_ is None:
            return
        self._keys[id_] = QKeySequence(key)
        self._show_key(self._row(id_))
        if self.key_edit.keySequence() != key:
            self._syncing = True
            try:
                self.key_edit.setKeySequence(key)
            finally:
                self._syncing = False
        self._update_conflicts()

    def _show_key(self, row: int) -> None:
        item = self.table.item(row, self.KEY)
        if item is not None:
            item.setText(self._keys[self._specs[row].id].toString(NATIVE))

    def _update_conflicts(self) -> None:
        labels = {spec.id: spec.title for spec in self._specs}
        lines = [
            self.tr("{first} and {second} are both bound to {key}.").format(
                first=labels[first], second=labels[second], key=key.toString(NATIVE)
            )
            for first, second, key in find_conflicts(self._specs, self._keys)
        ]
        self.warning.setText("\n".join(lines))
        self.warning.setVisible(bool(lines))
        self.ok_button.setEnabled(not lines)
