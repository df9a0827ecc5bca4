"""Quitting with actions still queued: a warning with the count, Cancel by default, nothing lost."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import ActionState
from tests.core.test_cache import badge, member
from ui.i18n_catalog import extract, pseudo_translator
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.shell.main_window import MainWindow
from ui.shell.quit_warning import ask_quit_with_actions_waiting


@dataclass
class Running:
    window: MainWindow
    tasks: TaskManager
    cache: Cache
    path: Path
    asked: list[int]
    answer: bool = False

    def stop(self) -> None:
        """As the app stops after its window closed: the pools drained, the cache closed."""
        self.window.session.shutdown()
        self.tasks.shutdown()
        self.cache.close()


def start(qtbot: QtBot, path: Path, queued: int) -> Running:
    """The window on a cache with ``queued`` awards in the outbox and no server (so none is sent)."""
    cache = Cache(path)
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 6)])
        Cache.upsert_badges(connection, [badge(1)])
    community = Community("test", None, cache)
    if queued:
        community.outbox.queue_awards(range(1, queued + 1), 1, reason="first hour")
    tasks = TaskManager()
    session = AppSession(community, tasks)
    window = MainWindow(session)
    qtbot.addWidget(window)
    running = Running(window, tasks, cache, path, [])

    def ask(_parent: QWidget | None, waiting: int) -> bool:
        running.asked.append(waiting)
        return running.answer

    window.ask_quit = ask
    window.show()
    session.start()
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
    assert session.pending_actions == queued
    return running


@pytest.fixture()
def running(qtbot: QtBot, tmp_path: Path) -> Iterator[Running]:
    made = start(qtbot, tmp_path / "cache.sqlite3", queued=3)
    yield made
    made.stop()


def waiting_in_the_work_file(path: Path) -> int:
    """The actions still to send, read from the cache file again as the next start would."""
    cache = Cache(path)
    try:
        counts = Community("test", None, cache).outbox.counts()
    finally:
        cache.close()
    return sum(n for state, n in counts.items() if state.unsent)


class WindowSystemClose(QCloseEvent):
    """A close from the title bar or Alt+F4: Qt marks those spontaneous (offscreen cannot make one)."""

    def spontaneous(self) -> bool:
        return True


def test_cancel_keeps_the_window_open_and_the_actions_queued(qtbot: QtBot, running: Running) -> None:
    running.answer = False
    running.window.quit_action.trigger()
    assert running.asked == [3]
    assert running.window.isVisible()
    # The title bar's close asks the same.
    event = WindowSystemClose()
    running.window.closeEvent(event)
    assert running.asked == [3, 3] and not event.isAccepted()
    assert running.window.isVisible()
    # Still working: the session was not shut down (a refresh still runs).
    running.window.session.refresh_pending()
    qtbot.waitUntil(lambda: running.tasks.active == 0)
    assert running.window.session.pending_actions == 3


def test_quit_closes_and_the_actions_stay_in_the_work_file(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    running = start(qtbot, path, queued=3)
    running.answer = True
    running.window.quit_action.trigger()
    assert running.asked == [3]
    assert not running.window.isVisible()
    running.stop()
    assert waiting_in_the_work_file(path) == 3


def test_nothing_queued_nothing_asked(qtbot: QtBot, tmp_path: Path) -> None:
    running = start(qtbot, tmp_path / "cache.sqlite3", queued=0)
    event = WindowSystemClose()
    running.window.closeEvent(event)
    assert event.isAccepted()
    running.window.quit_action.trigger()
    assert running.asked == [] and not running.window.isVisible()
    running.stop()


def test_a_close_from_code_does_not_ask(qtbot: QtBot, running: Running) -> None:
    """Another community's window replacing this one closes it from code: that is not quitting."""
    running.window.close()
    assert running.asked == [] and not running.window.isVisible()


def test_the_warning_says_how_many_and_enter_cancels(qtbot: QtBot, artifacts: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: list[tuple[str, str, bool, str]] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            QTimer.singleShot(20, press_enter)
            return
        default = box.defaultButton()
        seen.append(
            (
                box.windowTitle(),
                box.text(),
                default is box.button(QMessageBox.StandardButton.Cancel),
                " | ".join(b.text() for b in box.buttons()),
            )
        )
        seen.append(("", box.informativeText(), True, ""))
        box.grab().save(str(artifacts / "quit_warning.png"))
        qtbot.keyClick(box, Qt.Key.Key_Return)
        if box.isVisible():
            box.reject()

    QTimer.singleShot(20, press_enter)
    assert ask_quit_with_actions_waiting(parent, 1234) is False
    title, text, cancel_is_default, buttons = seen[0]
    assert title == "Quit BadgeDesk?"
    assert text == (
        "1,234 actions are still waiting to be sent. "
        "They stay saved and are sent the next time BadgeDesk connects."
    )
    assert cancel_is_default
    assert sorted(buttons.split(" | ")) == ["&Quit", "Cancel"]
    assert seen[1][1] == "Nothing is lost whether you quit now or wait."


def test_one_action_reads_in_the_singular() -> None:
    from ui.shell.quit_warning import quit_question

    assert quit_question(1) == (
        "1 action is still waiting to be sent. They stay saved and are sent the next time BadgeDesk connects."
    )


def test_unsent_means_queued_or_being_sent() -> None:
    """What the question counts (the session's pending_actions): pending and sending, not held or failed."""
    assert {state for state in ActionState if state.unsent} == {ActionState.PENDING, ActionState.SENDING}


@contextmanager
def pseudo_translated(tmp_path: Path, *sources: str) -> Iterator[None]:
    """The messages lupdate reads in ``sources`` (paths under the worktree), pseudo-translated."""
    template = tmp_path / "some.ts"
    extract(template, [Path(source) for source in sources])
    translator = pseudo_translator(None, template)
    QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)


def test_every_text_of_the_warning_is_translated(qtbot: QtBot, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    texts: list[str] = []

    def read() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            QTimer.singleShot(20, read)
            return
        texts.extend([box.windowTitle(), box.text(), box.informativeText()])
        texts.extend(b.text() for b in box.buttons())
        box.reject()

    with pseudo_translated(tmp_path, "ui/shell/quit_warning.py"):
        QTimer.singleShot(20, read)
        ask_quit_with_actions_waiting(parent, 3)
    assert len(texts) == 5
    assert [text for text in texts if not text.startswith("[")] == []
