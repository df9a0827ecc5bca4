"""The batch dialog in each mode: a revoke has its own wording and defaults, and no badge is preselected.

A revoke starts with the members' notification off (where the server can send one
at all), needs a reason before it can be queued (the hint says so) and counts the
members who do not hold the badge as skipped. Every text the dialog shows in
revoke mode is listed here; both modes are saved as screenshots.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import ActionKind, Award
from tests.core.test_batch_plan import V1
from tests.core.test_cache import T0, badge, member
from tests.ui.test_quit_warning import pseudo_translated
from ui.operations import TaskManager
from ui.outbox.batch_dialog import BatchDialog
from ui.session.app_session import AppSession


@pytest.fixture()
def session(tmp_path: Path) -> Iterator[AppSession]:
    """Five members and two badges; members 1 and 2 hold badge 1. The server can tell of revokes."""
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 6)])
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        Cache.upsert_awards(
            connection, [Award(100 + i, i, 1, T0 - timedelta(days=i), "Alice", "") for i in (1, 2)]
        )
    tasks = TaskManager()
    made = AppSession(Community("test", None, cache), tasks)
    made.send_outbox = lambda *args, **kwargs: None  # type: ignore[method-assign]
    made.capabilities = dataclasses.replace(V1, revoke_messages=True)
    yield made
    tasks.shutdown()
    cache.close()


def open_dialog(qtbot: QtBot, session: AppSession, kind: ActionKind) -> BatchDialog:
    dialog = BatchDialog(session, member_ids=[1, 2, 3], kind=kind)
    qtbot.addWidget(dialog)
    dialog.resize(760, 680)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.badge_combo.count() == 2)
    return dialog


def dry_run(qtbot: QtBot, dialog: BatchDialog) -> None:
    dialog.start_dry_run()
    qtbot.waitUntil(lambda: dialog.plan is not None)


def shown_texts(dialog: QWidget) -> list[str]:
    """Every text a visible widget of ``dialog`` shows: labels, buttons, titles, placeholders."""
    texts = [dialog.windowTitle()]
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QLineEdit | QPlainTextEdit):
            typed = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
            texts.append(typed or widget.placeholderText())
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            texts.append(widget.currentText())
    return [text for text in texts if text]


def test_a_revoke_has_its_own_defaults_wording_and_needs_a_reason(
    qtbot: QtBot, session: AppSession, artifacts: Path
) -> None:
    dialog = open_dialog(qtbot, session, ActionKind.REVOKE)
    # No badge chosen for the user: the picker waits, and so does the dry run.
    assert dialog.badge_id is None and dialog.badge_combo.currentIndex() == -1
    line = dialog.badge_combo.lineEdit()
    assert line is not None and line.text() == ""
    assert line.placeholderText() == "Choose a badge (type to filter)"
    assert not dialog.dry_run_button.isEnabled() and not dialog.queue_button.isEnabled()
    dialog.grab().save(str(artifacts / "batch_revoke_no_badge_yet.png"))
    # The members are not told unless asked; the award's message is not offered.
    assert dialog.revoke_notify_check.isVisibleTo(dialog) and dialog.revoke_notify_check.isEnabled()
    assert not dialog.revoke_notify_check.isChecked()
    assert not dialog.notify_check.isVisibleTo(dialog)
    assert not dialog.message_edit.isVisibleTo(dialog)

    dialog.select_badge(1)
    dry_run(qtbot, dialog)
    assert dialog.count_values["already"].text() == "1"  # member 3
    assert dialog.count_values["to_send"].text() == "2"
    # A reason is required: the button waits and the hint says why.
    assert not dialog.queue_button.isEnabled()
    assert dialog.reason_hint.isVisibleTo(dialog)
    dialog.grab().save(str(artifacts / "batch_revoke_mode.png"))
    assert shown_texts(dialog) == [
        "New batch",
        "Action:",
        "Revoke a badge",
        "Badge:",
        "Badge 1",
        "Reason:",
        "Why the badge is taken back (required: kept in the audit log)",
        "A revoke needs a reason: type why the badge is taken back.",
        "&Notify the members",
        "Members",
        "&Open file…",
        "Use the &selection",
        "or drop a CSV file on this window",
        "…or paste emails or usernames here, one per line or separated by commas",
        "The 3 members selected in the member list.",
        # No column or header choice for a selection: they are for a file or a pasted list.
        "&Dry run",
        "Dry run",
        *("Rows read", "3", "Blank, skipped", "0", "Duplicates merged", "0", "Invalid", "0"),
        *("Not found", "0", "Suspended or deleted", "0", "Do not hold it: skipped", "1", "To revoke", "2"),
        "Rows that could not be used are listed here with their numbers.",
        "Plan",
        "2 revokes in requests of 50: 1 request",
        "Close",
        "&Queue 2 revokes",
    ]

    dialog.reason_edit.setText("   ")
    assert not dialog.queue_button.isEnabled()
    dialog.reason_edit.setText("Wrong list")
    assert dialog.queue_button.isEnabled() and not dialog.reason_hint.isVisibleTo(dialog)
    # The reason does not make the dry run stale.
    assert dialog.plan is not None
    dialog.reason_edit.clear()
    assert not dialog.queue_button.isEnabled() and dialog.reason_hint.isVisibleTo(dialog)

    # Queue cannot be forced without a reason either.
    queued: list[object] = []
    dialog.queued.connect(queued.append)
    dialog.queue()
    qtbot.wait(50)
    assert queued == [] and session.community.outbox.actions() == []


def test_an_award_keeps_its_own_defaults_and_needs_no_reason(
    qtbot: QtBot, session: AppSession, artifacts: Path
) -> None:
    dialog = open_dialog(qtbot, session, ActionKind.AWARD)
    assert dialog.badge_id is None
    assert dialog.notify_check.isVisibleTo(dialog) and dialog.notify_check.isChecked()
    assert dialog.message_edit.isVisibleTo(dialog)
    assert not dialog.revoke_notify_check.isVisibleTo(dialog)
    assert dialog.reason_edit.placeholderText() == "Why (shown to moderators in the audit log)"
    dialog.select_badge(1)
    dry_run(qtbot, dialog)
    assert dialog.counts.count_titles["already"].text() == "Already hold the badge"
    assert dialog.counts.count_titles["to_send"].text() == "To send"
    assert dialog.count_values["already"].text() == "2"
    assert dialog.queue_button.isEnabled() and not dialog.reason_hint.isVisibleTo(dialog)
    assert dialog.queue_button.text() == "&Queue 1 award"
    dialog.grab().save(str(artifacts / "batch_award_mode.png"))

    # Switched to a revoke: its wording, its defaults, and the badge chosen stays chosen.
    dialog.notify_check.setChecked(True)
    dialog.kind_combo.setCurrentIndex(1)
    assert dialog.badge_id == 1
    assert not dialog.notify_check.isVisibleTo(dialog) and not dialog.message_edit.isVisibleTo(dialog)
    assert not dialog.revoke_notify_check.isChecked()
    assert dialog.counts.count_titles["already"].text() == "Do not hold it: skipped"
    assert dialog.counts.count_titles["to_send"].text() == "To revoke"
    dry_run(qtbot, dialog)
    assert not dialog.queue_button.isEnabled() and dialog.reason_hint.isVisibleTo(dialog)
    # And back: the award's message is on again, as it was.
    dialog.kind_combo.setCurrentIndex(0)
    assert dialog.notify_check.isVisibleTo(dialog) and dialog.notify_check.isChecked()
    assert dialog.message_edit.isVisibleTo(dialog) and dialog.message_edit.isEnabled()
    assert not dialog.reason_hint.isVisibleTo(dialog)


def test_where_the_server_cannot_tell_of_revokes_the_switch_is_off_and_says_why(
    qtbot: QtBot, session: AppSession
) -> None:
    session.capabilities = V1
    dialog = open_dialog(qtbot, session, ActionKind.REVOKE)
    check = dialog.revoke_notify_check
    assert not check.isEnabled() and not check.isChecked()
    assert check.toolTip() == "This server cannot tell a member that their badge was revoked"


def test_the_revoke_texts_are_translated(qtbot: QtBot, session: AppSession, tmp_path: Path) -> None:
    with pseudo_translated(tmp_path, "ui/outbox/batch_dialog.py", "ui/outbox/dry_run_counts.py"):
        dialog = open_dialog(qtbot, session, ActionKind.REVOKE)
        line = dialog.badge_combo.lineEdit()
        assert line is not None
        texts = [
            line.placeholderText(),
            dialog.reason_edit.placeholderText(),
            dialog.reason_hint.text(),
            dialog.counts.count_titles["already"].text(),
            dialog.counts.count_titles["to_send"].text(),
        ]
    assert [text for text in texts if not text.startswith("[")] == []
