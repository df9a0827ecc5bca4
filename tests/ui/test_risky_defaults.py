"""Risky defaults: no badge is preselected in a picker, and Enter does not discontinue a badge."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.badge_picker import ask_choice

TITLES = ["Contest Winner", "Helper", "Winter Speaker"]


def when_modal(act: Callable[[QDialog], None]) -> list[QDialog]:
    """Run ``act`` on the next modal dialog once it shows (it must close it)."""
    seen: list[QDialog] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            QTimer.singleShot(20, look)
            return
        seen.append(dialog)
        act(dialog)

    QTimer.singleShot(20, look)
    return seen


@pytest.fixture()
def parent(qtbot: QtBot) -> Iterator[QWidget]:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    yield widget


def test_the_badge_picker_starts_empty_and_ok_waits_for_a_badge(
    qtbot: QtBot, parent: QWidget, artifacts: Path
) -> None:
    states: list[tuple[int, str, bool]] = []

    def choose(dialog: QDialog) -> None:
        combo = dialog.findChild(QComboBox, "badgePickerCombo")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)  # type: ignore[union-attr]
        assert combo is not None and combo.lineEdit() is not None
        states.append((combo.currentIndex(), combo.lineEdit().placeholderText(), ok.isEnabled()))  # type: ignore[union-attr]
        dialog.grab().save(str(artifacts / "badge_picker_empty.png"))
        # Enter with nothing chosen picks nothing (OK is disabled): the dialog stays open.
        qtbot.keyClick(combo, Qt.Key.Key_Return)
        assert dialog.isVisible()
        combo.setCurrentIndex(1)
        states.append((combo.currentIndex(), combo.currentText(), ok.isEnabled()))
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    seen = when_modal(choose)
    assert ask_choice(parent, "Holds badge", TITLES) == 1
    assert seen
    assert states == [(-1, "Choose a badge", False), (1, "Helper", True)]


def test_the_badge_picker_answers_none_when_nothing_was_chosen(qtbot: QtBot, parent: QWidget) -> None:
    def accept_anyway(dialog: QDialog) -> None:
        dialog.accept()

    when_modal(accept_anyway)
    assert ask_choice(parent, "Holds badge", TITLES) is None
