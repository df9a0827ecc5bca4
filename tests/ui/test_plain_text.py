"""Text from outside (CSV headers, badge titles, member names) is shown literally, never as HTML."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import BadgeRequest, BadgeState, MemberStatus, RequestState
from tests.core.test_cache import T0, badge, member
from ui.operations import TaskManager
from ui.outbox.batch_dialog import BatchDialog
from ui.session.app_session import AppSession
from ui.shell import controller
from ui.shell.main_window import MainWindow

HOSTILE = "<b>x</b><img src=x>"


@pytest.fixture()
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """The main window on a cache (no server) where a member and a badge carry markup."""
    cache = Cache(tmp_path / "cache.sqlite3")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1, HOSTILE, MemberStatus.SUSPENDED), member(2, "Bo Chen")])
        Cache.upsert_badges(connection, [replace(badge(1), title=HOSTILE), badge(2)])
        Cache.upsert_requests(
            connection,
            [
                BadgeRequest(1, 1, 2, "please", None, T0, RequestState.PENDING, 1),
                BadgeRequest(2, 2, 2, "please", None, T0, RequestState.PENDING, 1),
            ],
        )
    tasks = TaskManager()
    session = AppSession(Community("test", None, cache), tasks)
    main = MainWindow(session)
    qtbot.addWidget(main)
    main.show()
    session.start()
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
    yield main
    tasks.shutdown()
    cache.close()
    # On the GUI thread, not whenever (and wherever) the garbage collector gets to them.
    session.deleteLater()
    tasks.deleteLater()


@dataclass(frozen=True)
class Shown:
    """What a message box showed (the box itself is gone once answered)."""

    format: Qt.TextFormat
    content: str

    def textFormat(self) -> Qt.TextFormat:
        return self.format

    def text(self) -> str:
        return self.content


def answer_box(qtbot: QtBot, act: Callable[[], object]) -> Shown:
    """Run ``act``, which opens a message box; note what it shows and answer No."""
    seen: list[Shown] = []
    tries = [0]

    def inspect() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            tries[0] += 1
            if tries[0] < 500:  # about 5 s: then the waitUntil below fails the test
                QTimer.singleShot(10, inspect)
            return
        try:
            seen.append(Shown(box.textFormat(), box.text()))
        finally:
            no = box.button(QMessageBox.StandardButton.No)
            (no or box.buttons()[-1]).click()

    QTimer.singleShot(0, inspect)
    act()
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    return seen[0]


def assert_literal(shown: QLabel | Shown) -> None:
    assert shown.textFormat() is Qt.TextFormat.PlainText
    assert HOSTILE in shown.text()


def test_a_csv_header_is_shown_literally_in_the_batch_dialog(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text(f"{HOSTILE}\nuser2@example.org\nuser1@example.org\n", encoding="utf-8")
    dialog = BatchDialog(window.session, parent=window)
    qtbot.addWidget(dialog)
    dialog.load_file(listing)
    qtbot.waitUntil(lambda: "header row" in dialog.format_label.text(), timeout=10_000)
    assert_literal(dialog.format_label)
    for label in (dialog.source_label, dialog.error_label):
        assert label.textFormat() is Qt.TextFormat.PlainText


def test_a_badge_title_is_shown_literally_when_asking_before_discontinuing(
    qtbot: QtBot, window: MainWindow
) -> None:
    pane = window.badges
    qtbot.waitUntil(lambda: pane.model.row_of(1) is not None)
    row = pane.model.row_of(1)
    assert row is not None
    pane.table.selectRow(row)
    box = answer_box(qtbot, lambda: pane.change_state(BadgeState.DISCONTINUED))
    assert_literal(box)
    assert "Discontinue" in box.text()


def test_a_member_name_is_shown_literally_on_the_card_and_when_approving_a_selection(
    qtbot: QtBot, window: MainWindow
) -> None:
    queue = window.queue
    window.tabs.setCurrentWidget(queue)
    qtbot.waitUntil(lambda: queue.model.rowCount() == 2)
    selection = queue.table.selectionModel()
    for row in range(2):
        selection.select(
            queue.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    box = answer_box(qtbot, queue.bulk_approve)
    assert_literal(box)
    queue.table.selectRow(next(r for r in range(2) if HOSTILE in str(queue.model.index(r, 1).data())))
    qtbot.waitUntil(lambda: HOSTILE in queue.card.member.text())
    assert_literal(queue.card.member)


def test_the_token_dialog_shows_what_it_quotes_literally(qtbot: QtBot) -> None:
    seen: list[tuple[Qt.TextFormat, str]] = []

    tries = [0]

    def inspect() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            tries[0] += 1
            if tries[0] < 500:  # about 5 s
                QTimer.singleShot(10, inspect)
            return
        try:
            label = dialog.findChild(QLabel)
            if label is not None:
                seen.append((label.textFormat(), label.text()))
        finally:
            dialog.reject()

    QTimer.singleShot(0, inspect)
    assert controller._ask_token_dialog(None, f"No keyring ({HOSTILE})\n\nAPI token for x:") is None
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert seen[0][0] is Qt.TextFormat.PlainText and HOSTILE in seen[0][1]
