"""Showing text that others wrote, and failures, in widgets.

Qt guesses whether a string is rich text (``Qt.mightBeRichText``) in labels,
message boxes and tooltips: a member named ``<b>x</b><img src=x>`` would be
drawn bold with an image. Text from outside (member names, badge titles,
CSV headers, server messages, notes) is therefore shown through the helpers
here: labels and message boxes with ``Qt.PlainText``, tooltips escaped. Every
widget that may show such text is made here, so the rule lives in one place.

GUI thread only.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget

Button = QMessageBox.StandardButton


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally, line breaks kept."""
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def plain_label(text: str = "", *, name: str = "", wrap: bool = False, selectable: bool = False) -> QLabel:
    """A label that shows ``text`` (and whatever is set later) literally."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def make_plain(*labels: QLabel) -> None:
    """Labels made elsewhere (a form, a dialog of Qt's) show their text literally from now on."""
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)


def message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    buttons: Button = Button.Yes | Button.No,
    default: Button = Button.NoButton,
) -> QMessageBox:
    """A message box whose text is plain; ``exec()`` it, or use :func:`ask` / :func:`tell`."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != Button.NoButton:
        box.setDefaultButton(default)
    return box


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: Button = Button.Yes | Button.No,
    default: Button = Button.NoButton,
) -> Button:
    """Ask a question in a plain-text message box; the button chosen (Escape: the cancel one)."""
    box = message_box(parent, title, text, buttons=buttons, default=default)
    try:
        return Button(box.exec())
    finally:
        box.deleteLater()


def confirm(parent: QWidget | None, title: str, text: str, *, default: Button = Button.NoButton) -> bool:
    """Yes or no, in plain text; ``default``: the button Enter presses (``Button.No`` where Yes is risky)."""
    return ask(parent, title, text, default=default) == Button.Yes


def tell(
    parent: QWidget | None, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information
) -> None:
    """Say something that needs acknowledging (a critical failure, a hint), in plain text."""
    box = message_box(parent, title, text, icon=icon, buttons=Button.Ok)
    try:
        box.exec()
    finally:
        box.deleteLater()


def ask_text(
    parent: QWidget | None, title: str, label: str, *, secret: bool = False, text: str = ""
) -> str | None:
    """One line of text from the user (starting as ``text``), under a plain ``label``; None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal)
    # QInputDialog makes its label on setLabelText: only now can it be told.
    make_plain(*dialog.findChildren(QLabel))
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.textValue()
    finally:
        dialog.deleteLater()
