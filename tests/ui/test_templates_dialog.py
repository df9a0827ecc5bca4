"""The reason templates dialog: editing, validation, the preview, add / remove / restore."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.decision_templates import DEFAULT_TEMPLATES, DecisionTemplate, templates_to_settings
from desktop.domain import Decision
from ui.review.templates_dialog import DecisionTemplatesDialog


def open_dialog(qtbot: QtBot, templates: Sequence[DecisionTemplate]) -> DecisionTemplatesDialog:
    dialog = DecisionTemplatesDialog(templates)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def widgets(dialog: DecisionTemplatesDialog) -> dict[str, QWidget]:
    found: dict[str, QWidget] = {}
    for kind, name in [
        (QListWidget, "templateList"),
        (QLineEdit, "templateTitle"),
        (QComboBox, "templateDecision"),
        (QPlainTextEdit, "templateReason"),
        (QPlainTextEdit, "templateMessage"),
        (QPlainTextEdit, "templatePreview"),
        (QLabel, "templateError"),
        (QLabel, "templatePlaceholders"),
        (QPushButton, "templateAdd"),
        (QPushButton, "templateDuplicate"),
        (QPushButton, "templateRemove"),
        (QPushButton, "templateRestoreDefaults"),
        (QPushButton, "templateOk"),
    ]:
        widget = dialog.findChild(kind, name)
        assert widget is not None, name
        found[name] = widget
    return found


def labels(dialog: DecisionTemplatesDialog) -> list[str]:
    return [dialog.list.item(row).text() for row in range(dialog.list.count())]


def test_lists_templates_by_decision_and_previews_with_sample_values(qtbot: QtBot, artifacts: Path) -> None:
    dialog = open_dialog(qtbot, DEFAULT_TEMPLATES)
    assert dialog.objectName() == "decisionTemplatesDialog"
    found = widgets(dialog)
    assert labels(dialog)[0] == "Deny · Criteria not met"
    assert "Return · Add an evidence link" in labels(dialog)
    assert dialog.title_edit.text() == "Criteria not met"
    assert dialog.decision_combo.currentText() == "Deny"
    preview = dialog.preview.toPlainText()
    assert preview.startswith("Hi Jane Doe,\n")
    assert "Conference Speaker" in preview
    assert DEFAULT_TEMPLATES[0].reason in preview
    assert preview.endswith("— Alice Moderator, Sandbox Community")
    assert (
        "{member}" in dialog.placeholders_label.text() and "{moderator}" in dialog.placeholders_label.text()
    )
    for name in ("templateError", "templatePlaceholders"):
        label = found[name]
        assert isinstance(label, QLabel) and label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.error_label.isHidden()
    assert dialog.ok_button.isEnabled()
    dialog.grab().save(str(artifacts / "templates_dialog.png"))


def test_editing_title_decision_reason_and_message(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, DEFAULT_TEMPLATES)
    dialog.list.setCurrentRow(1)
    dialog.title_edit.selectAll()
    qtbot.keyClicks(dialog.title_edit, "No proof yet")
    dialog.decision_combo.setCurrentIndex(dialog.decision_combo.findData(Decision.RETURN))
    dialog.reason_edit.setPlainText("Needs proof.")
    dialog.message_edit.setPlainText("Dear {member}: {reason} ({badge}) {{literal}}")
    assert labels(dialog)[1] == "Return · No proof yet"
    assert dialog.preview.toPlainText() == "Dear Jane Doe: Needs proof. (Conference Speaker) {literal}"

    result = dialog.templates()
    assert result[1] == dataclasses.replace(
        DEFAULT_TEMPLATES[1],
        title="No proof yet",
        decision=Decision.RETURN,
        reason="Needs proof.",
        message="Dear {member}: {reason} ({badge}) {{literal}}",
    )
    assert result[0] == DEFAULT_TEMPLATES[0] and result[2:] == list(DEFAULT_TEMPLATES[2:])
    # Selecting another template and back shows the edits.
    dialog.list.setCurrentRow(0)
    assert dialog.title_edit.text() == "Criteria not met"
    dialog.list.setCurrentRow(1)
    assert dialog.title_edit.text() == "No proof yet"
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    assert dialog.result() == DecisionTemplatesDialog.DialogCode.Accepted
    assert templates_to_settings(dialog.templates())["templates"][1]["title"] == "No proof yet"


def test_an_unknown_placeholder_disables_ok_and_is_named(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, DEFAULT_TEMPLATES)
    dialog.message_edit.setPlainText("Hi {membr}")
    assert not dialog.ok_button.isEnabled()
    assert not dialog.error_label.isHidden()
    assert dialog.error_label.text() == (
        "Template “Criteria not met”, message: Unknown placeholder {membr}. "
        "Use one of {badge}, {community}, {member}, {moderator}, {reason}."
    )
    assert dialog.preview.toPlainText() == ""
    assert "placeholders" in dialog.preview.placeholderText()
    assert not dialog.list.item(0).icon().isNull()
    # Another template selected: the problem is still shown, and OK still disabled.
    dialog.list.setCurrentRow(3)
    assert "Unknown placeholder {membr}" in dialog.error_label.text()
    assert not dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.isVisible()  # refused while invalid
    dialog.list.setCurrentRow(0)
    dialog.message_edit.setPlainText("Hi {member}")
    assert dialog.ok_button.isEnabled()
    assert dialog.error_label.isHidden() and dialog.error_label.text() == ""
    assert dialog.preview.toPlainText() == "Hi Jane Doe"
    assert dialog.list.item(0).icon().isNull()


def test_user_text_stays_plain(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, DEFAULT_TEMPLATES)
    dialog.title_edit.setText("<b>bold</b>")
    dialog.message_edit.setPlainText("<i>{nope}</i>")
    assert dialog.error_label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.error_label.text().startswith(
        "Template “<b>bold</b>”, message: Unknown placeholder {nope}."
    )
    assert labels(dialog)[0] == "Deny · <b>bold</b>"


def test_add_duplicate_remove_and_restore_defaults(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, DEFAULT_TEMPLATES[:2])
    dialog.list.setCurrentRow(1)
    dialog.add_button.click()
    assert dialog.list.currentRow() == 2
    assert labels(dialog)[2] == "Deny · New template"
    # A new template needs a reason first.
    assert not dialog.ok_button.isEnabled()
    assert "Template “New template” has no reason" in dialog.error_label.text()
    assert dialog.title_edit.hasFocus() and dialog.title_edit.selectedText() == "New template"
    qtbot.keyClicks(dialog.title_edit, "Spam")
    dialog.reason_edit.setPlainText("Looks like spam.")
    assert dialog.ok_button.isEnabled()
    added = dialog.templates()[2]
    assert (added.title, added.reason, added.decision) == ("Spam", "Looks like spam.", Decision.DENY)
    assert added.id not in {t.id for t in DEFAULT_TEMPLATES}

    dialog.duplicate_button.click()
    assert [t.title for t in dialog.templates()] == [
        "Criteria not met",
        "Evidence does not show it",
        "Spam",
        "Spam (copy)",
    ]
    copy = dialog.templates()[3]
    assert copy.id != added.id and copy.reason == added.reason
    assert dialog.list.currentRow() == 3

    dialog.list.setCurrentRow(0)
    dialog.remove_button.click()
    assert [t.title for t in dialog.templates()] == ["Evidence does not show it", "Spam", "Spam (copy)"]
    assert dialog.list.currentRow() == 0
    assert dialog.title_edit.text() == "Evidence does not show it"

    dialog.restore_button.click()
    assert dialog.templates() == list(DEFAULT_TEMPLATES)
    assert dialog.list.currentRow() == 0


def test_removing_everything_leaves_an_empty_valid_list(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, DEFAULT_TEMPLATES[:2])
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    assert len(dialog.templates()) == 1
    dialog.remove_button.click()
    assert dialog.templates() == []
    assert dialog.list.count() == 0
    assert not dialog.editor.isEnabled()
    assert not dialog.remove_button.isEnabled() and not dialog.duplicate_button.isEnabled()
    assert dialog.title_edit.text() == "" and dialog.preview.toPlainText() == ""
    assert dialog.ok_button.isEnabled()
    assert templates_to_settings(dialog.templates()) == {"version": 1, "templates": []}


def test_keyboard_ctrl_n_adds_and_del_only_removes_from_the_list(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, DEFAULT_TEMPLATES[:1])
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(dialog.templates()) == 2
    assert dialog.title_edit.hasFocus()
    # Del in a text field edits the text, it does not remove the template.
    dialog.title_edit.setCursorPosition(0)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Delete)
    assert dialog.title_edit.text() == "ew template"
    assert len(dialog.templates()) == 2
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    assert dialog.templates() == [DEFAULT_TEMPLATES[0]]


def test_empty_message_and_an_invalid_title(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, DEFAULT_TEMPLATES[:1])
    dialog.message_edit.setPlainText("")
    assert dialog.ok_button.isEnabled()
    assert dialog.preview.toPlainText() == ""
    assert dialog.preview.placeholderText().startswith("No message")
    dialog.title_edit.setText("")
    assert labels(dialog) == ["Deny · (no title)"]
    assert dialog.error_label.text() == "A Deny template has no title: give it one."
    assert not dialog.ok_button.isEnabled()
    dialog.title_edit.setText("x" * 81)
    assert "too long: 81 characters, at most 80" in dialog.error_label.text()


def test_insert_placeholder(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, DEFAULT_TEMPLATES[:1])
    dialog.message_edit.setPlainText("Hello ")
    cursor = dialog.message_edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    dialog.message_edit.setTextCursor(cursor)
    dialog.insert_placeholder("badge")
    assert dialog.templates()[0].message == "Hello {badge}"
    assert dialog.preview.toPlainText() == "Hello Conference Speaker"
