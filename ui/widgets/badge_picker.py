"""Badge pickers that filter as you type: an editable combo box whose completer matches anywhere.

Typing "win" offers "Contest Winner" and "Winter Speaker"; Enter or a click picks one.
The item data is the badge id, as with a plain combo box. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from ui.i18n import shows_data


def make_searchable(combo: QComboBox) -> QComboBox:
    """Let ``combo`` filter its items as the user types (any part of a title, any case).

    What is typed never becomes a new item: the current item changes only when a
    title is picked (or typed whole).
    """
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    # A completion picked: select its item (the popup's rows are the combo's, filtered).
    completer.activated[str].connect(lambda text: _pick(combo, text))  # type: ignore[index]
    line = combo.lineEdit()
    if line is not None:
        line.setAccessibleName(combo.accessibleName())
    return combo


def start_empty(combo: QComboBox, placeholder: str) -> QComboBox:
    """Let ``combo`` show ``placeholder`` and no badge until the user picks one (call before filling it).

    A plain combo box selects its first item as soon as it has one: the first badge of
    a list would be awarded by a hasty OK. With a placeholder it stays at index -1.
    """
    combo.setPlaceholderText(placeholder)
    line = combo.lineEdit()
    if line is not None:
        line.setPlaceholderText(placeholder)
    combo.setCurrentIndex(-1)
    return combo


def _pick(combo: QComboBox, text: str) -> None:
    index = combo.findText(text, Qt.MatchFlag.MatchExactly)
    if index >= 0:
        combo.setCurrentIndex(index)


def matching_titles(combo: QComboBox) -> list[str]:
    """The titles the completer offers for what is typed now (tests read the popup through this)."""
    completer = combo.completer()
    if completer is None:
        return []
    model = completer.completionModel()
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


def ask_choice(parent: QWidget, title: str, titles: Sequence[str]) -> int | None:
    """The index of the badge the user picks among ``titles`` (type to filter); None when cancelled."""
    dialog = QDialog(parent)
    dialog.setObjectName("badgePicker")
    dialog.setWindowTitle(title)
    combo = QComboBox()
    combo.setObjectName("badgePickerCombo")
    combo.setAccessibleName(QCoreApplication.translate("BadgePicker", "Badge"))
    shows_data(combo)  # the community's badge titles
    make_searchable(combo)
    start_empty(combo, QCoreApplication.translate("BadgePicker", "Choose a badge"))
    combo.addItems(list(titles))
    combo.setCurrentIndex(-1)
    label = QLabel(QCoreApplication.translate("BadgePicker", "&Badge (type to filter):"))
    label.setBuddy(combo)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    # OK once a whole title is chosen (picked, or typed in full), never for the first by default.
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setEnabled(False)
    combo.currentIndexChanged.connect(lambda index: ok.setEnabled(index >= 0))
    form = QFormLayout(dialog)
    form.addRow(label, combo)
    form.addRow(buttons)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        # What is typed may be only part of a title: the item it names whole, else the current one.
        index = combo.findText(combo.currentText(), Qt.MatchFlag.MatchExactly)
        return index if index >= 0 else None
    finally:
        dialog.deleteLater()
