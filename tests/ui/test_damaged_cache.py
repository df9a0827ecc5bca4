"""A cache file found damaged while the window is open: checked, repaired, said, and the panes load again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import ActionState
from tests.core.test_storage import _populated
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.shell.main_window import MainWindow


@pytest.fixture()
def tasks() -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()
    assert manager.active == 0
    # Deleted here, on the GUI thread, never by the garbage collector on another.
    manager.deleteLater()


@pytest.fixture()
def session(tmp_path: Path, tasks: TaskManager) -> Iterator[AppSession]:
    """A session on a profile with 2,000 members and 300 queued awards; closed whatever the test did."""
    profile = tmp_path / "profile"
    _populated(profile)
    cache = Cache(profile)
    session = AppSession(Community("test", None, cache), tasks)
    try:
        yield session
    finally:
        tasks.shutdown()
        session.shutdown()
        session.deleteLater()
        cache.close()


def overwrite_root(path: Path, table: str) -> None:
    """Garbage over the root page of ``table``: every row read by id now fails."""
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))


def test_a_mirror_found_damaged_while_running_is_set_aside_and_the_work_kept(
    qtbot: QtBot, session: AppSession, tasks: TaskManager
) -> None:
    cache = session.community.cache
    window = MainWindow(session)
    qtbot.addWidget(window)
    session.start()
    qtbot.waitUntil(lambda: window.members.model.rowCount() == 2000, timeout=10_000)
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)

    cache.engine.dispose()
    overwrite_root(cache.mirror_path, "members")
    repaired: list[list[str]] = []
    session.cache_repaired.connect(repaired.append)
    # The members pane loads rows it has not shown yet (the last ones; the first came with the
    # list): SQLite finds the page damaged.
    last = window.members.model.index(1999, 0)
    window.members.model.data(last)
    qtbot.waitUntil(lambda: bool(repaired), timeout=10_000)
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)

    [notices] = repaired
    assert len(notices) == 1 and "being rebuilt" in notices[0] and "queued work is safe" in notices[0]
    assert session.last_error == notices[0]
    box = window.findChild(QMessageBox, "cacheRepairs")
    assert box is not None and box.isVisible()
    assert box.textFormat() is Qt.TextFormat.PlainText and "mirror.damaged-" in box.text()
    # The panes reloaded from the new, empty mirror; the queued work is all there.
    qtbot.waitUntil(lambda: window.members.model.rowCount() == 0, timeout=10_000)
    assert cache.counts().members == 0
    assert session.community.outbox.counts() == {ActionState.PENDING: 300}
    qtbot.waitUntil(lambda: session.pending_actions == 300, timeout=10_000)
    box.close()


def test_the_mirror_check_after_start_repairs_a_damaged_mirror(
    qtbot: QtBot, session: AppSession, tasks: TaskManager
) -> None:
    """The app opens the mirror unchecked; the check it runs after start finds the damage."""
    cache = session.community.cache
    cache.engine.dispose()
    overwrite_root(cache.mirror_path, "members")
    repaired: list[list[str]] = []
    session.cache_repaired.connect(repaired.append)
    session.check_mirror()
    qtbot.waitUntil(lambda: bool(repaired), timeout=10_000)
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
    [notices] = repaired
    assert len(notices) == 1 and "being rebuilt" in notices[0]
    assert cache.counts().members == 0
    assert session.community.outbox.counts() == {ActionState.PENDING: 300}


def test_the_mirror_check_after_start_leaves_a_sound_mirror_alone(
    qtbot: QtBot, session: AppSession, tasks: TaskManager
) -> None:
    repaired: list[list[str]] = []
    session.cache_repaired.connect(repaired.append)
    session.check_mirror()
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
    assert repaired == [] and session.community.cache.counts().members == 2000


def test_a_server_answer_called_malformed_is_no_damage_to_the_cache(
    qtbot: QtBot, session: AppSession, tasks: TaskManager
) -> None:
    """Only SQLite's word counts: a proxy's page that cannot be read is not a reason to check the files."""
    from desktop.net.errors import MalformedResponse

    damaged: list[bool] = []
    tasks.cache_damaged.connect(lambda: damaged.append(True))

    def fail(_cancel: object, _report: object) -> None:
        raise MalformedResponse("Malformed response from /members: not valid JSON")

    tasks.start("read a page", fail)
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
    assert damaged == []
