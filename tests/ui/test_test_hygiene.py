"""What one UI test leaves behind must not change the next (tests/ui/conftest.py's teardown)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot


def test_a_test_ending_with_shift_held(qtbot: QtBot) -> None:
    box = QLineEdit()
    qtbot.addWidget(box)
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.ShiftModifier


def test_the_next_test_starts_with_no_key_held() -> None:
    # Runs after the test above (pytest keeps the file's order).
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier
