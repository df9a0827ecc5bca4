"""The connect dialog: the fields each server kind needs, and what it refuses before closing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.dialects import registry
from desktop.settings import ConnectionChoice
from ui.connect.connect_dialog import ConnectDialog, ConnectForm, Connection, ask_connection

FORUM = "https://forum.example.org"


def make_dialog(qtbot: QtBot, **kwargs: object) -> ConnectDialog:
    dialog = ConnectDialog(**kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(
    dialog: ConnectDialog, *, url: str = FORUM, key: str = "k" * 64, username: str = "", category: str = ""
) -> None:
    dialog.url_edit.setText(url)
    dialog.key_edit.setText(key)
    dialog.username_edit.setText(username)
    dialog.category_edit.setText(category)


def test_the_kinds_are_the_registrys_and_the_fields_follow_the_kind(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    titles = [dialog.kind_combo.itemText(i) for i in range(dialog.kind_combo.count())]
    assert titles == [d.title for d in registry.DIALECTS.values()]
    assert dialog.key_edit.echoMode() is dialog.key_edit.EchoMode.Password

    dialog.select_kind("badgedesk-v1")
    assert not dialog.username_edit.isVisible() and not dialog.username_label.isVisible()
    assert not dialog.category_edit.isVisible()
    assert "Single user" not in dialog.key_help.text()

    dialog.select_kind("discourse")
    assert dialog.username_edit.isVisible() and dialog.username_label.isVisible()
    assert dialog.category_edit.isVisible() and dialog.category_label.isVisible()
    # Which key to create on Discourse (FACTS.md § API keys).
    assert "Admin → Advanced → API keys" in dialog.key_help.text()
    assert "Global" in dialog.key_help.text() and "60" in dialog.key_help.text()


def test_a_remembered_choice_fills_the_form(qtbot: QtBot) -> None:
    dialog = make_dialog(
        qtbot,
        url=FORUM,
        url_fixed=True,
        choice=ConnectionChoice("discourse", "mod_alice", "badge-requests"),
    )
    assert dialog.kind == "discourse"
    assert dialog.url_edit.text() == FORUM and dialog.url_edit.isReadOnly()
    assert dialog.username_edit.text() == "mod_alice"
    assert dialog.category_edit.text() == "badge-requests"


@pytest.mark.parametrize(
    ("kind", "form", "expected"),
    [
        ("discourse", {"url": ""}, "Give the server's address"),
        ("discourse", {"url": "forum.example.org"}, "is not a server address"),
        ("discourse", {"url": "http://forum.example.org"}, "would send the API token unencrypted"),
        ("discourse", {"key": ""}, "Give the API key"),
        ("discourse", {"key": "abc def"}, "has no spaces"),
        ("discourse", {"username": ""}, "needs the username the API key acts as"),
        ("discourse", {"username": "mod alice"}, "usernames have no spaces"),
        ("discourse", {"category": "Badge requests"}, "is not a category"),
        ("discourse", {"category": "c/badge-requests"}, "is not a category"),
    ],
)
def test_a_form_that_cannot_work_is_refused_with_a_reason(
    qtbot: QtBot, kind: str, form: dict[str, str], expected: str
) -> None:
    dialog = make_dialog(qtbot)
    dialog.select_kind(kind)
    fill(dialog, **{"username": "mod_alice", **form})
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.connection is None
    assert dialog.error_label.isVisible()
    assert expected in dialog.error_label.text()


def test_a_complete_discourse_form_gives_the_connection(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    dialog.select_kind("discourse")
    fill(dialog, url=FORUM + "/", key=" abc123 ", username=" mod_alice ", category="badge-requests")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.connection == Connection(
        FORUM, ConnectionChoice("discourse", "mod_alice", "badge-requests"), "abc123"
    )
    assert "abc123" not in repr(dialog.connection)


def test_a_kind_without_username_or_category_drops_what_was_typed_there(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, choice=ConnectionChoice("discourse", "mod_alice", "badge-requests"))
    dialog.select_kind("badgedesk-v1")
    fill(dialog, key="tok", username="mod_alice", category="badge-requests")
    dialog.accept()
    assert dialog.connection is not None
    assert dialog.connection.choice == ConnectionChoice("badgedesk-v1")


def test_a_stored_key_may_be_kept_and_plain_http_to_loopback_is_fine(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, key_stored=True)
    dialog.select_kind("discourse")
    assert "leave empty to keep it" in dialog.key_edit.placeholderText()
    fill(dialog, url="http://127.0.0.1:8123", key="", username="system")
    dialog.accept()
    assert dialog.connection is not None and dialog.connection.key == ""


def test_insecure_http_is_accepted_only_when_allowed(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, allow_insecure_http=True)
    fill(dialog, url="http://forum.lan", key="tok")
    dialog.accept()
    assert dialog.connection is not None and dialog.connection.insecure_http


def test_without_a_keyring_the_dialog_says_so(qtbot: QtBot, artifacts: Path) -> None:
    note = "No system keyring is available, so the API token cannot be stored."
    dialog = make_dialog(qtbot, keyring_note=note, message="Connect to https://forum.example.org:")
    assert dialog.keyring_label.isVisible() and dialog.keyring_label.text() == note
    dialog.select_kind("discourse")
    fill(dialog, key="", username="")
    dialog.accept()
    dialog.grab().save(str(artifacts / "connect-dialog.png"))


def test_ask_connection_runs_the_dialog_and_gives_what_was_filled_in(qtbot: QtBot) -> None:
    seen: list[tuple[bool, str]] = []

    def fill_and_connect() -> None:
        # No assertion in here: a failure would leave the modal dialog open and the test hanging.
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ConnectDialog):
            seen.append((dialog.url_edit.isReadOnly(), dialog.message_label.text()))
            fill(dialog, key="abc", username="mod_alice")
            dialog.connect_button.click()
        elif dialog is not None:
            dialog.close()

    QTimer.singleShot(0, fill_and_connect)
    form = ConnectForm(url=FORUM, choice=ConnectionChoice("discourse"), url_fixed=True, message="Why")
    connection = ask_connection(None, form)
    assert seen == [(True, "Why")]
    assert connection == Connection(FORUM, ConnectionChoice("discourse", "mod_alice", ""), "abc")

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            dialog.close()

    QTimer.singleShot(0, cancel)
    assert ask_connection(None, form) is None
