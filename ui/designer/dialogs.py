"""The designer's standard dialogs: a colour, a file, a name, unsaved changes (tests replace them)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from ui.widgets.text import ask


def pick_colour(parent: QWidget, initial: str, title: str) -> str | None:
    colour = QColorDialog.getColor(QColor(initial), parent, title)
    return colour.name() if colour.isValid() else None


def choose_file(parent: QWidget, title: str, filter_: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, "", filter_)
    return Path(name) if name else None


def choose_save_path(parent: QWidget, title: str, filter_: str, suggested: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_)
    return Path(name) if name else None


def prompt_text(parent: QWidget, title: str, label: str, default: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
    return text if ok else None


def ask_save(parent: QWidget, title: str, text: str) -> str:
    """ "save", "discard" or "cancel"."""
    buttons = QMessageBox.StandardButton
    # The question quotes the badge's title: a plain-text box.
    answer = ask(parent, title, text, buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
    return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")
