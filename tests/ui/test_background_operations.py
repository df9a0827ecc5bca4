"""Background operations (a hidden pane's load) wait for the foreground ones, within a limit."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

import ui.operations
from desktop.cancellation import CancelToken
from ui.operations import TaskManager


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def test_background_work_runs_after_the_foreground_work_ends(qtbot: QtBot, tasks: TaskManager) -> None:
    gate = threading.Event()
    ran: list[str] = []

    def foreground(_cancel: CancelToken, _report: object) -> None:
        assert gate.wait(10)
        ran.append("foreground")

    tasks.start("hidden pane", lambda _c, _r: ran.append("background"), background=True)
    tasks.start("visible list", foreground)
    # A few event-loop turns: the background work stays held while the list is read.
    qtbot.wait(100)
    assert ran == []
    assert tasks.active == 2
    gate.set()
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=5000)
    assert ran == ["foreground", "background"]


def test_background_work_runs_at_once_when_nothing_else_runs(qtbot: QtBot, tasks: TaskManager) -> None:
    results: list[int] = []
    tasks.start("hidden pane", lambda _c, _r: 7, on_success=results.append, background=True)
    qtbot.waitUntil(lambda: results == [7], timeout=500)


def test_network_work_does_not_hold_background_work(qtbot: QtBot, tasks: TaskManager) -> None:
    gate = threading.Event()
    results: list[str] = []
    tasks.start("sync", lambda _c, _r: gate.wait(10), pool="network")
    tasks.start("hidden pane", lambda _c, _r: "loaded", on_success=results.append, background=True)
    qtbot.waitUntil(lambda: results == ["loaded"], timeout=500)
    gate.set()


def test_background_work_waits_no_longer_than_the_limit(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ui.operations, "BACKGROUND_WAIT_MS", 200)
    tasks = TaskManager()
    gate = threading.Event()
    results: list[str] = []
    tasks.start("long export", lambda _c, _r: gate.wait(10))
    tasks.start("hidden pane", lambda _c, _r: "loaded", on_success=results.append, background=True)
    qtbot.waitUntil(lambda: results == ["loaded"], timeout=2000)
    gate.set()
    tasks.shutdown()


def test_released_when_asked_and_cancelled_when_shut_down(qtbot: QtBot, tasks: TaskManager) -> None:
    gate = threading.Event()
    outcomes: list[str] = []
    tasks.start("visible list", lambda _c, _r: gate.wait(10))
    tasks.start("shown pane", lambda _c, _r: "loaded", on_success=outcomes.append, background=True)
    tasks.release_background()
    qtbot.waitUntil(lambda: outcomes == ["loaded"], timeout=1000)

    tasks.start(
        "hidden pane",
        lambda _c, _r: "loaded",
        on_success=outcomes.append,
        on_cancel=lambda: outcomes.append("cancelled"),
        background=True,
    )
    gate.set()
    tasks.shutdown()
    assert outcomes == ["loaded", "cancelled"]
    assert tasks.active == 0
