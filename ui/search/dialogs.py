"""The Members pane's dialogs: a pasted list of members to select, and what to export where."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.export import COLUMNS as EXPORT_COLUMNS
from ui.widgets.text import tell

#: The columns ticked when the export dialog opens.
DEFAULT_EXPORT = ("display_name", "username", "email", "joined_at")


def ask_pasted_list(parent: QWidget) -> str | None:
    """The usernames or emails the user pasted, or None when cancelled."""
    translate = QCoreApplication.translate
    dialog = QDialog(parent)
    dialog.setWindowTitle(translate("PastedListDialog", "Select members from a list"))
    edit = QPlainTextEdit()
    edit.setAccessibleName(translate("PastedListDialog", "Members to find"))
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(
        translate("PastedListDialog", "One username or email per line (commas and semicolons work too)")
    )
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(edit)
    layout.addWidget(buttons)
    dialog.resize(420, 360)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return edit.toPlainText()
    return None


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """Where to export which columns of which members."""

    path: Path
    columns: list[str]
    selection_only: bool


def ask_export(parent: QWidget, *, total: int, selected: int) -> ExportChoice | None:
    """Ask for the rows (all ``total`` results or the ``selected``), the columns and the file."""
    translate = QCoreApplication.translate
    dialog = QDialog(parent)
    dialog.setWindowTitle(translate("ExportMembersDialog", "Export members to CSV"))
    layout = QVBoxLayout(dialog)
    all_rows = QRadioButton(translate("ExportMembersDialog", "All %Ln result(s)", "", total))
    only_selected = QRadioButton(translate("ExportMembersDialog", "The %Ln selected member(s)", "", selected))
    only_selected.setEnabled(selected > 0)
    (only_selected if selected else all_rows).setChecked(True)
    layout.addWidget(all_rows)
    layout.addWidget(only_selected)
    layout.addWidget(QLabel(translate("ExportMembersDialog", "Columns:")))
    boxes = {}
    for column in EXPORT_COLUMNS:
        box = QCheckBox(column.title)
        box.setChecked(column.key in DEFAULT_EXPORT)
        boxes[column.key] = box
        layout.addWidget(box)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    columns = [key for key, box in boxes.items() if box.isChecked()]
    if not columns:
        tell(
            parent,
            translate("ExportMembersDialog", "Export"),
            translate("ExportMembersDialog", "Choose at least one column."),
        )
        return None
    path, _ = QFileDialog.getSaveFileName(
        parent,
        translate("ExportMembersDialog", "Export members"),
        translate("ExportMembersDialog", "members.csv"),
        translate("ExportMembersDialog", "CSV files (*.csv)"),
    )
    if not path:
        return None
    return ExportChoice(Path(path), columns, selection_only=only_selected.isChecked())
