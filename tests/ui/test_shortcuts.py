"""Rebindable shortcuts: the map, bound actions fired by keys, the help overlay and the settings dialog.

Keys are sent with ``qtbot.keyClick`` to the focused widget of a shown, active
window; Qt's shortcut map then finds the action just as for a real key press
(offscreen too). "?" is sent as the ``?`` character without Shift: a real
keyboard sends Shift+/ and the platform's key mapper (xcb, Windows, macOS)
also tries it without Shift; the offscreen platform does not.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.review.keys import REVIEW_SHORTCUTS
from ui.shortcuts.help_overlay import ShortcutHelpOverlay
from ui.shortcuts.keymap import ShortcutMap, ShortcutSpec
from ui.shortcuts.settings_dialog import ShortcutSettingsDialog

SPECS = [
    ShortcutSpec("review.approve", "Approve", "A", "Review queue"),
    ShortcutSpec("review.deny", "Deny", "D", "Review queue"),
    ShortcutSpec("review.bulk_approve", "Approve the selection", "Shift+A", "Review queue"),
    ShortcutSpec("review.help", "Show or hide the shortcuts", "?", "Review queue"),
    ShortcutSpec("members.award", "Award badge", "W", "Members"),
    ShortcutSpec("app.new_batch", "New batch", "Ctrl+B", "Global"),
]


class Pane(QWidget):
    """A pane with focusable buttons (like the request table) and a text field."""

    def __init__(self) -> None:
        super().__init__()
        self.button = QPushButton("Request")
        self.field = QLineEdit()
        self.other = QPushButton("Other")
        layout = QVBoxLayout(self)
        layout.addWidget(self.button)
        layout.addWidget(self.field)
        layout.addWidget(self.other)
        self.resize(500, 400)


@pytest.fixture()
def pane(qtbot: QtBot) -> Iterator[Pane]:
    pane = Pane()
    qtbot.addWidget(pane)
    pane.show()
    pane.activateWindow()
    qtbot.waitExposed(pane)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is pane)
    pane.button.setFocus()
    qtbot.waitUntil(pane.button.hasFocus)
    yield pane


def test_defaults_give_keys_and_display_text() -> None:
    shortcuts = ShortcutMap(SPECS)
    assert [s.id for s in shortcuts.specs()] == [s.id for s in SPECS]
    assert shortcuts.key("review.approve") == QKeySequence("A")
    assert shortcuts.key("review.bulk_approve") == QKeySequence(
        Qt.KeyboardModifier.ShiftModifier | Qt.Key.Key_A
    )
    assert shortcuts.key("review.help") == QKeySequence(Qt.Key.Key_Question)
    assert shortcuts.text("review.bulk_approve") == QKeySequence("Shift+A").toString(
        QKeySequence.SequenceFormat.NativeText
    )
    assert shortcuts.text("review.help") == "?"
    assert shortcuts.overrides() == {}
    assert shortcuts.conflicts() == []
    with pytest.raises(KeyError):
        shortcuts.key("review.nothing")


def test_review_shortcuts_are_complete_and_free_of_conflicts() -> None:
    shortcuts = ShortcutMap(REVIEW_SHORTCUTS)
    assert {s.id: shortcuts.key(s.id).toString() for s in shortcuts.specs()} == {
        "review.approve": "A",
        "review.deny": "D",
        "review.return": "R",
        "review.skip": "S",
        "review.undo": "U",
        "review.next": "J",
        "review.previous": "K",
        "review.bulk_approve": "Shift+A",
        "review.bulk_deny": "Shift+D",
        "review.help": "?",
    }
    assert shortcuts.conflicts() == []


def test_overrides_round_trip(qtbot: QtBot) -> None:
    stored = {"review.approve": "Y", "review.deny": "", "app.new_batch": "Ctrl+Shift+B"}
    shortcuts = ShortcutMap(SPECS, stored)
    assert shortcuts.key("review.approve") == QKeySequence("Y")
    assert shortcuts.key("review.deny").isEmpty()
    assert shortcuts.text("review.deny") == ""
    assert shortcuts.overrides() == stored

    with qtbot.waitSignal(shortcuts.changed):
        shortcuts.set_key("review.approve", "A")  # back to the default: no longer an override
    shortcuts.set_key("members.award", QKeySequence("Ctrl+W"))
    assert shortcuts.overrides() == {
        "review.deny": "",
        "app.new_batch": "Ctrl+Shift+B",
        "members.award": "Ctrl+W",
    }
    again = ShortcutMap(SPECS, shortcuts.overrides())
    assert {s.id: again.key(s.id) for s in SPECS} == {s.id: shortcuts.key(s.id) for s in SPECS}

    with qtbot.assertNotEmitted(shortcuts.changed):
        shortcuts.set_key("members.award", "ctrl+w")  # the same key
    with pytest.raises(ValueError):
        shortcuts.set_key("review.approve", "Ctrl+Nonsense")
    with pytest.raises(KeyError):
        shortcuts.set_key("review.nothing", "A")


def test_unknown_ids_and_unreadable_keys_are_ignored(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ui.shortcuts"):
        shortcuts = ShortcutMap(
            SPECS, {"review.gone": "G", "review.approve": "Ctrl+Nonsense", "review.deny": "X"}
        )
    assert shortcuts.key("review.approve") == QKeySequence("A")
    assert shortcuts.key("review.deny") == QKeySequence("X")
    assert shortcuts.overrides() == {"review.deny": "X"}
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "review.gone" in messages and "Ctrl+Nonsense" in messages


def test_reset_one_and_all(qtbot: QtBot) -> None:
    shortcuts = ShortcutMap(SPECS, {"review.approve": "Y", "review.deny": "Z"})
    with qtbot.waitSignal(shortcuts.changed):
        shortcuts.reset("review.approve")
    assert shortcuts.key("review.approve") == QKeySequence("A")
    assert shortcuts.overrides() == {"review.deny": "Z"}
    with qtbot.waitSignal(shortcuts.changed):
        shortcuts.reset_all()
    assert shortcuts.overrides() == {}
    with qtbot.assertNotEmitted(shortcuts.changed):
        shortcuts.reset_all()


def test_conflicts_within_a_group_or_with_global() -> None:
    shortcuts = ShortcutMap(SPECS)
    shortcuts.set_key("members.award", "A")  # another group: no clash
    assert shortcuts.conflicts() == []
    shortcuts.set_key("review.deny", "A")
    shortcuts.set_key("review.help", "")
    shortcuts.set_key("review.bulk_approve", "")  # two unbound commands never clash
    assert shortcuts.conflicts() == [("review.approve", "review.deny", QKeySequence("A"))]
    shortcuts.set_key("app.new_batch", "A")  # Global clashes with every group
    assert shortcuts.conflicts() == [
        ("review.approve", "review.deny", QKeySequence("A")),
        ("review.approve", "app.new_batch", QKeySequence("A")),
        ("review.deny", "app.new_batch", QKeySequence("A")),
        ("members.award", "app.new_batch", QKeySequence("A")),
    ]


def test_bound_action_follows_rebinding_and_fires_on_its_key(qtbot: QtBot, pane: Pane) -> None:
    shortcuts = ShortcutMap(SPECS)
    fired: list[str] = []
    approve = shortcuts.shortcut_for("review.approve", pane, lambda: fired.append("approve"))
    shortcuts.shortcut_for("review.bulk_approve", pane, lambda: fired.append("bulk"))
    assert approve in pane.actions() and approve.text() == "Approve"
    assert approve.shortcut() == QKeySequence("A")
    assert approve.toolTip() == "Approve (A)"

    qtbot.keyClick(pane.button, Qt.Key.Key_A)
    qtbot.keyClick(pane.button, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert fired == ["approve", "bulk"]

    shortcuts.set_key("review.approve", "Y")
    assert approve.shortcut() == QKeySequence("Y")
    assert approve.toolTip() == "Approve (Y)"
    qtbot.keyClick(pane.button, Qt.Key.Key_A)
    qtbot.keyClick(pane.button, Qt.Key.Key_Y)
    assert fired == ["approve", "bulk", "approve"]

    shortcuts.set_key("review.approve", "")
    assert approve.shortcut().isEmpty() and approve.toolTip() == "Approve"


def test_a_text_field_in_the_pane_takes_letters(qtbot: QtBot, pane: Pane) -> None:
    shortcuts = ShortcutMap(SPECS)
    fired: list[str] = []
    shortcuts.shortcut_for("review.approve", pane, lambda: fired.append("approve"))
    shortcuts.shortcut_for("review.help", pane, lambda: fired.append("help"))
    pane.field.setFocus()
    qtbot.waitUntil(pane.field.hasFocus)
    qtbot.keyClick(pane.field, Qt.Key.Key_A)
    qtbot.keyClick(pane.field, "?")
    assert pane.field.text() == "a?"
    assert fired == []


def test_bind_keeps_an_existing_tooltip_and_survives_the_action(qtbot: QtBot) -> None:
    shortcuts = ShortcutMap(SPECS)
    action = QAction("&New batch…")
    action.setToolTip("Award or revoke a badge for many members")
    assert shortcuts.bind("app.new_batch", action) is action
    native = QKeySequence("Ctrl+B").toString(QKeySequence.SequenceFormat.NativeText)
    assert action.toolTip() == f"Award or revoke a badge for many members ({native})"
    assert action.shortcut() == QKeySequence("Ctrl+B")
    action.deleteLater()
    QApplication.sendPostedEvents(None, 0)
    qtbot.wait(1)
    shortcuts.set_key("app.new_batch", "Ctrl+N")  # no error from the deleted action


def test_overlay_lists_every_shortcut_and_toggles_on_question_mark_and_escape(
    qtbot: QtBot, pane: Pane
) -> None:
    shortcuts = ShortcutMap(SPECS, {"review.deny": ""})
    overlay = ShortcutHelpOverlay(shortcuts, pane, toggle_id="review.help")
    fired: list[str] = []
    shortcuts.shortcut_for("review.help", pane, overlay.toggle)
    shortcuts.shortcut_for("review.approve", pane, lambda: fired.append("approve"))
    assert overlay.objectName() == "shortcutHelp"
    assert not overlay.isVisible()
    assert overlay.entries() == [
        ("Review queue", "A", "Approve"),
        ("Review queue", "—", "Deny"),
        ("Review queue", shortcuts.text("review.bulk_approve"), "Approve the selection"),
        ("Review queue", "?", "Show or hide the shortcuts"),
        ("Members", "W", "Award badge"),
        ("Global", shortcuts.text("app.new_batch"), "New batch"),
    ]

    pane.other.setFocus()  # not the first in the focus chain, where Qt would put it anyway
    qtbot.waitUntil(pane.other.hasFocus)
    qtbot.keyClick(pane.other, "?")
    assert overlay.isVisible()
    assert overlay.geometry() == pane.rect()
    qtbot.waitUntil(overlay.hasFocus)
    qtbot.keyClick(overlay, Qt.Key.Key_A)  # swallowed: nothing is approved behind the help
    assert fired == []
    assert overlay.isVisible()
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible()
    assert pane.other.hasFocus()  # focus given back

    qtbot.keyClick(pane.button, "?")
    assert overlay.isVisible()
    qtbot.keyClick(overlay, "?")
    assert not overlay.isVisible()

    overlay.toggle()
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton)
    assert not overlay.isVisible()

    overlay.toggle()
    qtbot.waitUntil(overlay.hasFocus)
    qtbot.keyClick(overlay, Qt.Key.Key_Tab)  # focus moved away: the help goes
    assert not overlay.isVisible()

    shortcuts.set_key("review.help", "H")  # the rebound help key opens and closes it
    pane.button.setFocus()
    qtbot.keyClick(pane.button, Qt.Key.Key_H)
    assert overlay.isVisible()
    qtbot.keyClick(overlay, Qt.Key.Key_H)
    assert not overlay.isVisible()

    # Follows the map and the pane's size.
    shortcuts.set_key("review.approve", "Y")
    assert ("Review queue", "Y", "Approve") in overlay.entries()
    pane.resize(640, 480)
    overlay.toggle()
    assert overlay.geometry() == pane.rect()
    pane.resize(700, 520)
    qtbot.waitUntil(lambda: overlay.geometry() == pane.rect())


def test_overlay_splits_long_lists_into_two_columns(qtbot: QtBot, pane: Pane) -> None:
    long = [
        ShortcutSpec(f"g{g}.c{c}", f"Command {g}.{c}", "", f"Group {g}") for g in range(4) for c in range(5)
    ]
    overlay = ShortcutHelpOverlay(ShortcutMap(long), pane)
    overlay.toggle()
    first = overlay.panel.findChild(QWidget, "label:g0.c0")
    last = overlay.panel.findChild(QWidget, "label:g3.c4")
    assert first is not None and last is not None
    assert last.mapTo(overlay, last.rect().topLeft()).x() > first.mapTo(overlay, first.rect().topLeft()).x()
    assert len(overlay.entries()) == 20


def cell(dialog: ShortcutSettingsDialog, row: int, column: int) -> str:
    item = dialog.table.item(row, column)
    assert item is not None, (row, column)
    return item.text()


def test_settings_dialog_edits_by_keyboard_and_refuses_conflicts(qtbot: QtBot, pane: Pane) -> None:
    shortcuts = ShortcutMap(SPECS)
    deny = shortcuts.shortcut_for("review.deny", pane, lambda: None)
    dialog = ShortcutSettingsDialog(shortcuts, pane)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.objectName() == "shortcutSettings"
    assert dialog.table.rowCount() == len(SPECS)
    assert cell(dialog, 1, 1) == "Deny"
    assert cell(dialog, 1, 2) == "D"
    assert dialog.ok_button.isEnabled() and dialog.warning.isHidden()

    # Select Deny, press Enter to go to the key field, press A: a conflict with Approve.
    dialog.select("review.deny")
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.key_edit.hasFocus)
    qtbot.keyClick(dialog.key_edit, Qt.Key.Key_A)
    assert dialog.pending_key("review.deny") == QKeySequence("A")
    assert cell(dialog, 1, 2) == "A"
    assert dialog.warning.text() == "Approve and Deny are both bound to A."
    assert not dialog.warning.isHidden()
    assert not dialog.ok_button.isEnabled()
    dialog.accept()  # refused while conflicting
    assert dialog.isVisible() and shortcuts.key("review.deny") == QKeySequence("D")

    # Clearing the key is allowed and ends the conflict.
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.pending_key("review.deny").isEmpty()
    assert dialog.ok_button.isEnabled() and dialog.warning.isHidden()

    # Reset brings the default back; then pick X and accept: the bound action follows.
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert dialog.pending_key("review.deny") == QKeySequence("D")
    dialog.key_edit.setFocus()
    qtbot.waitUntil(dialog.key_edit.hasFocus)
    qtbot.keyClick(dialog.key_edit, Qt.Key.Key_X)
    assert shortcuts.key("review.deny") == QKeySequence("D")  # nothing applied before OK
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ShortcutSettingsDialog.DialogCode.Accepted
    assert shortcuts.key("review.deny") == QKeySequence("X")
    assert deny.shortcut() == QKeySequence("X")
    assert shortcuts.overrides() == {"review.deny": "X"}


def test_settings_dialog_reset_all_and_cancel_with_escape(qtbot: QtBot) -> None:
    shortcuts = ShortcutMap(SPECS, {"review.approve": "Y", "members.award": ""})
    dialog = ShortcutSettingsDialog(shortcuts)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    dialog.set_pending_key("app.new_batch", "Y")
    assert dialog.warning.text() == "Approve and New batch are both bound to Y."
    assert not dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.reset_all_button, Qt.MouseButton.LeftButton)
    assert all(dialog.pending_key(s.id) == shortcuts.default_key(s.id) for s in SPECS)
    assert dialog.ok_button.isEnabled()
    dialog.key_edit.setFocus()
    qtbot.waitUntil(dialog.key_edit.hasFocus)
    qtbot.keyClick(dialog.key_edit, Qt.Key.Key_Escape)  # cancels; not recorded as a key
    assert not dialog.isVisible()
    assert dialog.result() == ShortcutSettingsDialog.DialogCode.Rejected
    assert dialog.pending_key("app.new_batch") == QKeySequence("Ctrl+B")
    assert shortcuts.overrides() == {"review.approve": "Y", "members.award": ""}


_GERMAN = {
    ("Shortcuts", "Approve"): "Genehmigen",
    ("Shortcuts", "Review queue"): "Anträge",
    ("Review", "Deny"): "Ablehnen",
    ("ShortcutMap", "{action} ({key})"): "{action} [{key}]",
}


class _German(QTranslator):
    """Two shortcut texts, a group and the tooltip pattern in German; nothing else."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return _GERMAN.get((context, source))  # type: ignore[return-value]  # None: not ours

    def isEmpty(self) -> bool:
        return False


@pytest.fixture()
def german() -> Iterator[None]:
    translator = _German()
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def test_labels_and_groups_are_translated_where_shown_never_in_the_map(
    qtbot: QtBot, pane: Pane, german: None
) -> None:
    """Specs hold English (marked with QT_TRANSLATE_NOOP); the overlay, dialog and actions translate it."""
    specs = [
        ShortcutSpec("review.approve", "Approve", "A", "Review queue"),
        ShortcutSpec("review.deny", "Deny", "D", "Review queue", context="Review"),
    ]
    shortcuts = ShortcutMap(specs)
    assert shortcuts.spec("review.approve").label == "Approve"
    action = shortcuts.shortcut_for("review.approve", pane, lambda: None)
    assert action.text() == "Genehmigen"
    tooltip = QAction("Ablehnen", pane)
    tooltip.setToolTip("Ablehnen")
    shortcuts.bind("review.deny", tooltip)
    assert tooltip.toolTip() == "Ablehnen [D]"

    overlay = ShortcutHelpOverlay(shortcuts, pane)
    assert [(group, label) for group, _key, label in overlay.entries()] == [
        ("Anträge", "Genehmigen"),
        ("Review queue", "Ablehnen"),  # this spec's context has no group named so
    ]
    dialog = ShortcutSettingsDialog(shortcuts, pane)
    qtbot.addWidget(dialog)
    assert [dialog.table.model().index(row, dialog.ACTION).data() for row in range(2)] == [
        "Genehmigen",
        "Ablehnen",
    ]
    dialog.set_pending_key("review.deny", "A")
    assert dialog.warning.text() == "Genehmigen and Ablehnen are both bound to A."
