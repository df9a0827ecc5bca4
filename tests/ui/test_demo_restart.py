"""Restarting the demo's server from the app when it stopped (issue 17), against the real sandbox.

The server's process is killed under the running app: the next request that fails says so in the
status bar with a "Restart demo server" button, work done meanwhile stays queued, and the restart
(on a worker, with a busy bar) brings the server back; the app reconnects, syncs and sends.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.cancellation import CancelToken
from desktop.sandbox.process import SandboxProcess, SandboxStartError
from desktop.settings import Settings
from tests.ui.conftest import community_of, session_of, wait_idle_after_sync, window_of
from ui.shell import demo_restart as demo_restart_module
from ui.shell.controller import AppController
from ui.shell.demo import start_demo_server

DEMO_MEMBERS = 200


def demo_settings() -> Settings:
    return Settings(demo_members=DEMO_MEMBERS, getting_started_shown=True)


def test_a_killed_demo_server_is_restarted_from_the_status_bar_and_the_queued_work_is_sent(
    qtbot: QtBot, make_controller: Callable[..., AppController], artifacts: Path
) -> None:
    controller = make_controller(demo_settings())
    wait_idle_after_sync(qtbot, controller)
    window, session = window_of(controller), session_of(controller)
    restart = controller.demo_restart
    assert restart.action is not None and restart.button is not None and restart.busy is not None
    # Running: nothing to restart.
    assert restart.action in window.file_menu.actions() and not restart.action.isEnabled()
    assert not restart.button.isVisibleTo(window) and not restart.busy.isVisibleTo(window)

    old = controller.sandbox
    assert old is not None and old.pid is not None
    os.kill(old.pid, signal.SIGKILL)
    # Seen by the look at the process, before any request fails.
    qtbot.waitUntil(lambda: restart.stopped, timeout=10_000)

    # A decision made while the server is gone is queued, and its sending fails.
    queue = window.queue
    window.tabs.setCurrentWidget(queue)
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0, timeout=10_000)
    group = next(g for g in queue.model.groups() if g.approval_problem() is None)
    row = queue.model.row_of(group.key)
    assert row is not None
    queue.table.selectRow(row)
    qtbot.waitUntil(lambda: (shown := queue.current_group()) is not None and shown.id == group.id)
    queue.approve()
    outbox = community_of(controller).outbox
    qtbot.waitUntil(lambda: outbox.pending_count() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: not session.sending and session.online is False, timeout=30_000)
    # What to do stays said after the failure's own words.
    assert window.status.message.text() == (
        "The demo community server stopped (exit status -9): BadgeDesk works offline on the cache."
        " Restart demo server starts it again."
    )
    assert restart.button.isVisibleTo(window) and restart.action.isEnabled()
    assert restart.button.text() == "Restart demo server"
    assert restart.action.shortcut().toString() == "Ctrl+Shift+R"
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.grab().save(str(artifacts / "demo-server-stopped.png"))

    restart.button.click()
    assert restart.busy.isVisibleTo(window) and not restart.action.isEnabled()
    assert window.status.message.text() == "Restarting the demo community server…"
    qtbot.waitUntil(lambda: controller.sandbox is not None and controller.sandbox.running, timeout=60_000)
    new = controller.sandbox
    assert new is not None and new is not old and new.pid != old.pid
    # Reconnected (a new port), synced, and the queued decision sent.
    qtbot.waitUntil(
        lambda: session.online is True and outbox.pending_count() == 0 and controller.tasks.active == 0,
        timeout=60_000,
    )
    [sent] = [a for a in outbox.actions() if a.payload.get("request_id") == group.id]
    assert sent.outcome == "approved"
    assert not restart.stopped and not restart.button.isVisibleTo(window)
    assert not restart.busy.isVisibleTo(window) and not restart.action.isEnabled()
    assert window.status.online.text() == "● Online"


def test_a_demo_server_that_did_not_start_is_retried_from_the_file_menu(
    qtbot: QtBot, make_controller: Callable[..., AppController], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def fails(dialect: str, members: int, seed: int, cancel: CancelToken) -> SandboxProcess:
        # The first start fails; the restart (the same function) starts the real server.
        calls.append(dialect)
        if len(calls) == 1:
            raise SandboxStartError("The sandbox exited with status 1", "Address already in use")
        return start_demo_server(dialect, members, seed, cancel)

    monkeypatch.setattr(demo_restart_module, "start_demo_server", fails)
    controller = make_controller(demo_settings())
    window, session = window_of(controller), session_of(controller)
    restart = controller.demo_restart
    qtbot.waitUntil(lambda: restart.stopped, timeout=10_000)
    assert window.status.message.text() == (
        "The demo community server did not start (The sandbox exited with status 1): BadgeDesk works"
        " offline on the cache; Restart demo server (File menu) tries again."
    )
    assert restart.action is not None and restart.action.isEnabled()
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    # Its key starts the real server.
    qtbot.keyClick(
        window.tabs, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: session.last_sync is not None, timeout=120_000)
    assert controller.sandbox is not None and controller.sandbox.running
    assert not restart.stopped


def test_the_discourse_demo_server_is_restarted_too(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(demo_settings(), demo_dialect="discourse")
    wait_idle_after_sync(qtbot, controller)
    session, restart = session_of(controller), controller.demo_restart
    old = controller.sandbox
    assert old is not None and old.pid is not None
    synced = session.last_sync
    os.kill(old.pid, signal.SIGTERM)
    qtbot.waitUntil(lambda: restart.stopped, timeout=10_000)
    assert (
        window_of(controller)
        .status.message.text()
        .startswith("The demo community server stopped (exit status ")
    )
    restart.restart()
    qtbot.waitUntil(lambda: session.last_sync != synced and session.online is True, timeout=120_000)
    new = controller.sandbox
    assert new is not None and new is not old and new.running and new.dialect == "discourse"
    assert not restart.stopped
