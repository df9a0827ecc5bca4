"""The review queue takes the keyboard when its pane opens (issue 17): its keys work at once.

Before, the decision keys did nothing on a first visit until the list was clicked: the focus
stayed on the tab bar or the pane left behind, outside the queue's shortcuts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.domain import ActionState
from tests.ui.conftest import community_of, session_of, window_of
from ui.shell.controller import AppController


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_switching_to_the_queue_by_ctrl_3_then_the_approve_key_decides(
    qtbot: QtBot, discourse_demo: AppController
) -> None:
    window = window_of(discourse_demo)
    outbox = community_of(discourse_demo).outbox
    session_of(discourse_demo).set_paused(True)
    qtbot.waitUntil(lambda: outbox.paused())
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    # Where a moderator starts: typing in the member search.
    window.tabs.setCurrentWidget(window.members)
    window.members.focus_search()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.members.search_box)

    qtbot.keyClick(focused(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    queue = window.queue
    assert window.tabs.currentWidget() is queue
    qtbot.waitUntil(lambda: queue.snapshot is not None and queue.current_group() is not None)
    assert queue.table.hasFocus()
    group = queue.current_group()
    assert group is not None and group.pending and group.approval_problem() is None

    qtbot.keyClick(focused(), "a")
    qtbot.waitUntil(lambda: outbox.pending_count() == 1)
    (action,) = outbox.actions([ActionState.PENDING])
    assert action.payload["request_id"] == group.id

    # Away and back by a click on the tab (the tab bar does not keep the keys): still the queue's.
    window.tabs.setCurrentWidget(window.members)
    window.members.focus_search()
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(window.tabs.indexOf(queue)).center())
    assert window.tabs.currentWidget() is queue
    assert queue.table.hasFocus()
    qtbot.keyClick(focused(), "u")
    qtbot.waitUntil(lambda: outbox.pending_count() == 0)
    session_of(discourse_demo).set_paused(False)
    qtbot.waitUntil(lambda: discourse_demo.tasks.active == 0, timeout=30_000)
