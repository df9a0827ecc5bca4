"""Quitting with actions still waiting to be sent: say how many, and that nothing is lost.

The outbox keeps every queued action in the community's cache, so quitting
loses nothing: what waits is sent (and what was being sent is checked) the
next time BadgeDesk connects. The question only lets the user wait for the
send to finish instead; Cancel is the default, so a stray Enter keeps the
window open. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.widgets.text import Button, message_box


def quit_question(waiting: int) -> str:
    """The question's text for ``waiting`` actions queued or being sent."""
    return QCoreApplication.translate(
        "QuitWarning",
        "%Ln action(s) (is|are) still waiting to be sent. "
        "They stay saved and are sent the next time BadgeDesk connects.",
        "",
        waiting,
    )


def ask_quit_with_actions_waiting(parent: QWidget | None, waiting: int) -> bool:
    """Quit although ``waiting`` actions are not sent yet? Cancel (and Enter, and Escape) says no."""
    box = message_box(
        parent,
        QCoreApplication.translate("QuitWarning", "Quit BadgeDesk?"),
        quit_question(waiting),
        icon=QMessageBox.Icon.Warning,
        buttons=Button.Cancel,
        default=Button.Cancel,
    )
    box.setObjectName("quitWarning")
    box.setInformativeText(
        QCoreApplication.translate("QuitWarning", "Nothing is lost whether you quit now or wait.")
    )
    quit_button = box.addButton(
        QCoreApplication.translate("QuitWarning", "&Quit"), QMessageBox.ButtonRole.AcceptRole
    )
    box.setEscapeButton(Button.Cancel)
    try:
        box.exec()
        return box.clickedButton() is quit_button
    finally:
        box.deleteLater()
