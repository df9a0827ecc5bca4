"""Failures as the user sees them: one sentence, no member data, and panes that can try again."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.exc
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.domain import ActionKind, ActionState
from desktop.sandbox.process import SandboxProcess
from desktop.sync import WRITE_SLICE
from tests.core.test_failures import SECRETS, assert_no_secrets
from tests.diskfull import SmallDisk, small_disk_at
from tests.e2e.conftest import SMALL
from tests.e2e.server_witness import award_rows, server_db
from tests.e2e.test_disk_full import fill_when_written, member_texts
from tests.e2e.test_exactly_once import plan_trials
from tests.ui.test_audit_view import seed
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.shell.main_window import MainWindow

#: A page of 2,000 items is written in slices (short transactions): the second page starts here.
SLICES = 2000 // WRITE_SLICE


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[SandboxProcess]:
    with SandboxProcess(data_dir=tmp_path / "sandbox", members=200, seed=5) as process:
        yield process


@pytest.fixture()
def paged_server(tmp_path: Path) -> Iterator[SandboxProcess]:
    """Big enough for awards to come in several pages."""
    with SandboxProcess(data_dir=tmp_path / "paged-sandbox", members=SMALL, seed=7) as process:
        yield process


@pytest.fixture()
def tasks() -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()
    assert manager.active == 0
    # Deleted here, on the GUI thread: left to Python's garbage collector, it
    # and its children could be destroyed on whichever thread collects them.
    manager.deleteLater()


def dispose(session: AppSession) -> None:
    """Delete the session on the GUI thread when the test ends (as :func:`tasks` does)."""
    session.shutdown()
    session.deleteLater()


def no_room_for_members(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache may not grow when members are written: the INSERT itself fails, rows bound."""
    # The rows' upsert: what a full sync writes, and what the upsert of domain objects calls.
    original = Cache.upsert_member_rows

    def upsert(connection: Any, rows: Any) -> None:
        pages = connection.exec_driver_sql("PRAGMA mirror.page_count").scalar()
        connection.exec_driver_sql(f"PRAGMA mirror.max_page_count = {pages}")
        original(connection, rows)

    monkeypatch.setattr(Cache, "upsert_member_rows", staticmethod(upsert))


def test_a_sync_that_cannot_write_members_says_one_sentence_without_their_data(
    qtbot: QtBot,
    server: SandboxProcess,
    tasks: TaskManager,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    no_room_for_members(monkeypatch)
    community = Community(server.url, Endpoint(server.url, server.tokens["moderator"]))
    session = AppSession(community, tasks)
    try:
        with qtbot.waitSignal(session.sync_finished, timeout=30_000) as finished:
            session.sync()
        assert finished.args == [None]
        qtbot.waitUntil(lambda: tasks.active == 0)
    finally:
        tasks.shutdown()
        community.close()
        dispose(session)
    message = session.last_error
    assert message.startswith("The disk is full: free about "), message
    assert "\n" not in message and "INSERT" not in message and "sqlalche.me" not in message
    texts = member_texts(server)
    for text in (message, caplog.text):
        leaked = [t for t in texts if t in text]
        assert not leaked, leaked[:5]


def damaged() -> sqlalchemy.exc.DatabaseError:
    """What SQLAlchemy raises for a damaged page, with a member's email as a bound parameter."""
    return sqlalchemy.exc.DatabaseError(
        "SELECT id FROM members WHERE email = ?",
        (SECRETS[2],),
        sqlite3.DatabaseError("database disk image is malformed"),
    )


@pytest.fixture()
def window(qtbot: QtBot, tmp_path: Path, tasks: TaskManager) -> Iterator[MainWindow]:
    cache = Cache(tmp_path / "cache")
    seed(cache)
    session = AppSession(Community("test", None, cache), tasks)
    main = MainWindow(session)
    qtbot.addWidget(main)
    yield main
    tasks.shutdown()
    cache.close()
    dispose(session)


#: Each pane, and its line that says how many rows it shows.
PANES = {
    "members": "count_label",
    "badges": "count_label",
    "queue": "count_label",
    "outbox": "counts_label",
    "audit": "count_label",
}


def test_every_pane_whose_load_fails_says_so_in_one_sentence_and_retries(
    qtbot: QtBot, window: MainWindow, tasks: TaskManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = window.session
    cache = session.community.cache
    real_read = cache.read
    broken = [True]

    @contextmanager
    def read() -> Iterator[Any]:
        if broken[0]:
            raise damaged()
        with real_read() as connection:
            yield connection

    monkeypatch.setattr(cache, "read", read)
    window.show()
    session.start()
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)

    for name, label_name in PANES.items():
        pane: QWidget = getattr(window, name)
        window.tabs.setCurrentWidget(pane)  # the audit log reads when first shown
        qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
        shown = getattr(pane, label_name).text()
        assert "loading" not in shown.casefold(), f"the {name} pane still says {shown!r}"
        failure = pane.findChild(QWidget, "loadFailure")
        assert failure is not None and failure.isVisibleTo(pane), f"the {name} pane shows no failure"
        text = failure.findChild(QLabel, "loadFailureText")
        assert text is not None and text.textFormat() is Qt.TextFormat.PlainText
        sentence = text.text()
        assert sentence.startswith("The local cache could not be read"), (name, sentence)
        assert sentence.count(". ") == 0 and "\n" not in sentence and "SELECT" not in sentence
        assert_no_secrets(sentence)
    assert_no_secrets(window.status.message.text())

    broken[0] = False
    for name, label_name in PANES.items():
        pane = getattr(window, name)
        window.tabs.setCurrentWidget(pane)
        retry = pane.findChild(QPushButton, "retryLoad")
        assert retry is not None and retry.text() == "Retry"
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
        failure = pane.findChild(QWidget, "loadFailure")
        assert failure is not None and not failure.isVisibleTo(pane), name
        assert getattr(pane, label_name).text()[:1].isalnum(), name
    assert window.badges.model.rowCount() == 2
    assert window.outbox.batch_model.rowCount() == 2
    assert window.audit.model.rowCount() == 9


@pytest.fixture()
def small_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmallDisk]:
    """BadgeDesk's data directory on a 32 MB tmpfs of this test's own."""
    for disk in small_disk_at(tmp_path / "disk", 32 * 1024 * 1024):
        monkeypatch.setenv("BADGEDESK_DATA_DIR", str(disk.path / "data"))
        yield disk


def test_a_full_disk_stops_sending_until_there_is_room_then_everything_goes_once(
    qtbot: QtBot, server: SandboxProcess, tasks: TaskManager, small_disk: SmallDisk
) -> None:
    endpoint = Endpoint(server.url, server.tokens["moderator"])
    community = Community(server.url, endpoint)
    community.sync()
    [(badge_id, members)] = plan_trials(community.cache, 1, 100)
    community.outbox.queue_batch(ActionKind.AWARD, badge_id, members, reason="disk full")
    # As after a restart: an empty write-ahead log, which sending must grow.
    community.close()
    community = Community(server.url, endpoint)
    session = AppSession(community, tasks)
    session.space_check_ms = 100
    try:
        small_disk.fill()
        session.send_outbox()
        qtbot.waitUntil(lambda: session.waiting_for_space, timeout=30_000)
        assert session.last_error == (
            "The disk is full: free about 16 MB and sending resumes by itself with nothing queued lost."
        )
        qtbot.wait(500)
        assert session.waiting_for_space and not session.sending
        assert community.outbox.pending_count() == 100

        small_disk.free()
        qtbot.waitUntil(lambda: community.outbox.counts() == {ActionState.DONE: 100}, timeout=30_000)
        qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
        assert not session.waiting_for_space
        rows = award_rows(server, badge_id)
        assert all(rows[m] == 1 for m in members)
    finally:
        tasks.shutdown()
        community.close()
        dispose(session)


def test_a_full_disk_stops_the_sync_until_there_is_room_then_it_resumes_where_it_stopped(
    qtbot: QtBot,
    paged_server: SandboxProcess,
    tasks: TaskManager,
    small_disk: SmallDisk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pages = fill_when_written(small_disk, monkeypatch, "awards", after_pages=SLICES)
    community = Community(paged_server.url, Endpoint(paged_server.url, paged_server.tokens["moderator"]))
    session = AppSession(community, tasks)
    session.space_check_ms = 100
    started: list[int] = []
    session.sync_progress.connect(lambda p: started.append(p.done) if p.phase == "awards" else None)
    try:
        session.sync()
        qtbot.waitUntil(lambda: session.waiting_for_space, timeout=30_000)
        assert session.last_error == (
            "The disk is full: free about 16 MB and BadgeDesk resumes the sync where it stopped."
        )
        # The first page of awards was stored; the next page's transaction failed.
        assert len(pages) > SLICES and session.last_sync is None
        stopped_at = started[-1]

        small_disk.free()
        qtbot.waitUntil(lambda: session.last_sync is not None, timeout=30_000)
        qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
        # The resumed sync began at the page after the stored one.
        assert started.count(stopped_at) == 2
        with server_db(paged_server) as db:
            awards = db.execute("SELECT count(*) FROM awards WHERE revoked_at IS NULL").fetchone()[0]
        assert community.cache.counts().awards == awards
    finally:
        tasks.shutdown()
        community.close()
        dispose(session)
