"""The GUI thread goes first: workers run below it, and a pane's new text repaints only itself."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.cancellation import CancelToken
from ui.operations import TaskManager
from ui.operations.priority import WORKER_NICENESS
from ui.widgets.pane_tabs import PaneTabs


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_every_pool_runs_its_work_below_the_gui_thread(qtbot: QtBot, tasks: TaskManager) -> None:
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen: dict[str, int] = {}

    def note(pool: str) -> None:
        seen[pool] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    for pool in ("writer", "readers", "network", "rows"):
        tasks.start(pool, lambda _c, _r, p=pool: note(p), pool=pool)  # type: ignore[misc]
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=5000)
    wanted = min(19, os.getpriority(os.PRIO_PROCESS, os.getpid()) + WORKER_NICENESS)
    assert seen == dict.fromkeys(("writer", "readers", "network", "rows"), wanted)
    assert wanted > gui
    # The GUI thread itself is left as it was.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == gui


def test_work_started_again_on_the_same_thread_keeps_one_lowering(qtbot: QtBot, tasks: TaskManager) -> None:
    seen: list[int] = []

    def note(_cancel: CancelToken, _report: object) -> None:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    for _ in range(3):
        tasks.start("one more", note, pool="writer")  # one thread: the same one each time
        qtbot.waitUntil(lambda: tasks.active == 0, timeout=5000)
    assert len(set(seen)) == 1


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted: list[QObject] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted.append(watched)
        return False


@pytest.mark.parametrize("kind", [PaneTabs, QTabWidget])
def test_a_pane_label_with_new_text_repaints_its_row_not_the_whole_window(
    qtbot: QtBot, kind: type[QTabWidget]
) -> None:
    """A plain QTabWidget repaints everything (the reason for PaneTabs: if Qt stops, it can go)."""
    tabs = kind()
    qtbot.addWidget(tabs)
    pane = QWidget()
    count = QLabel("10 matches")
    row = QHBoxLayout()
    row.addWidget(count)
    row.addStretch(1)
    column = QVBoxLayout(pane)
    column.addLayout(row)
    body = QLabel("the table")
    column.addWidget(body, 1)
    tabs.addTab(pane, "Members")
    tabs.addTab(QWidget(), "Badges")
    corner = QLabel("Offline")
    tabs.setCornerWidget(corner)
    tabs.resize(800, 600)
    tabs.show()
    qtbot.waitExposed(tabs)
    qtbot.wait(50)
    paints = _Paints()
    for widget in (tabs, tabs.tabBar(), body, count):
        widget.installEventFilter(paints)

    count.setText("1,000+ matches, counting…")
    qtbot.waitUntil(lambda: count in paints.painted)
    qtbot.wait(50)
    if kind is QTabWidget:
        assert tabs.tabBar() in paints.painted and body in paints.painted
        return
    assert tabs.tabBar() not in paints.painted and body not in paints.painted
    # What the tabs' own layout holds still lays it out: a corner widget grown wider.
    corner.setText("Connected to a community with a long name")
    qtbot.waitUntil(lambda: corner.width() == corner.sizeHint().width() > 200)
    tabs.resize(900, 650)
    qtbot.waitUntil(lambda: pane.width() > 850)
