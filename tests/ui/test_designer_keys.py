"""The designer's standard keys (issue 19): Ctrl+W and Esc close it, asking about unsaved changes first."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.designer.document import BadgeMeta
from tests.ui.test_designer import make_designer, new_draft, tasks  # noqa: F401  (fixtures)
from ui.designer import BadgeDesigner


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    ],
    ids=["ctrl+w", "esc"],
)
def test_a_key_closes_the_designer_after_asking_about_unsaved_changes(
    qtbot: QtBot,
    make_designer: Callable[..., BadgeDesigner],  # noqa: F811  (the fixture imported above)
    key: Qt.Key,
    modifier: Qt.KeyboardModifier,
) -> None:
    designer = make_designer(new_draft(meta=BadgeMeta("Mentor", "Helps newcomers.")))
    designer.show()
    designer.activateWindow()
    qtbot.waitExposed(designer)
    # Window shortcuts act in the active window only.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is designer)
    # From a text field: it would keep Esc for itself.
    designer.title_edit.setFocus()
    designer.rings_spin.setValue(0)
    designer.title_edit.setFocus()
    print("FOCUS", designer.focusWidget())
    answers = ["cancel", "discard"]
    asked: list[str] = []

    def ask(_title: str, text: str) -> str:
        asked.append(text)
        return answers.pop(0)

    designer.ask = ask
    QTest.keyClick(designer.title_edit, key, modifier)
    assert asked == ["Save the changes to “Mentor” before closing?"]
    assert designer.isVisible(), "cancelled: the designer stays open"
    QTest.keyClick(designer.title_edit, key, modifier)
    assert len(asked) == 2
    assert not designer.isVisible(), "discarded: the designer is closed"
