"""Edit ▸ Undo and Redo on the main window (issue 19): Undo takes back the review queue's last
decision (as its U key does) and is disabled on the other panes; no pane has a redo."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.domain import ActionState
from desktop.review import RequestGroup
from tests.ui.conftest import community_of, session_of, window_of
from ui.shell.controller import AppController
from ui.shell.main_window import MainWindow


def on_the_queue(qtbot: QtBot, controller: AppController) -> MainWindow:
    """The review queue, focused, sending paused (an undo drops the decision before it is sent)."""
    window = window_of(controller)
    outbox = community_of(controller).outbox
    session_of(controller).set_paused(True)
    qtbot.waitUntil(lambda: outbox.paused())
    window.tabs.setCurrentWidget(window.queue)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.queue.table.setFocus()
    return window


def approve_one(qtbot: QtBot, window: MainWindow) -> RequestGroup:
    """Approve the first card that can be approved, by its key (A); returns its group."""
    queue = window.queue
    for _step in range(50):
        group = queue.current_group()
        assert group is not None, "the demo has no request to decide"
        if group.pending and group.approval_problem() is None:
            break
        qtbot.keyClick(queue.table, "j")
    else:
        raise AssertionError("no request of the demo can be approved")
    qtbot.keyClick(queue.table, "a")
    assert queue.current_key != group.key  # moved on at once
    return group


def menu_shown(qtbot: QtBot, window: MainWindow) -> None:
    menu = window.edit_menu.menu
    menu.popup(window.mapToGlobal(QPoint(40, 40)))
    qtbot.waitUntil(menu.isVisible)


def menu_closed(qtbot: QtBot, window: MainWindow) -> None:
    window.edit_menu.menu.hide()
    qtbot.waitUntil(lambda: not window.edit_menu.menu.isVisible())
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.queue.table.setFocus()


def test_ctrl_z_on_the_review_queue_undoes_the_last_decision_through_the_menu(
    qtbot: QtBot, discourse_demo: AppController
) -> None:
    window = on_the_queue(qtbot, discourse_demo)
    outbox = community_of(discourse_demo).outbox
    edit = window.edit_menu
    assert edit.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert edit.redo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Redo)

    # Nothing decided yet: the menu offers nothing to undo.
    menu_shown(qtbot, window)
    assert not edit.undo_action.isEnabled()
    assert edit.undo_action.text() == "&Undo"
    menu_closed(qtbot, window)

    first = approve_one(qtbot, window)
    qtbot.waitUntil(lambda: outbox.pending_count() == 1)
    menu_shown(qtbot, window)
    assert edit.undo_action.isEnabled()
    assert edit.undo_action.text() == "&Undo approve"
    assert not edit.redo_action.isEnabled()
    assert "no redo" in edit.redo_action.statusTip()
    menu_closed(qtbot, window)

    qtbot.keyClick(window.queue.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: outbox.pending_count() == 0)
    assert outbox.actions([ActionState.DISCARDED])[0].payload["request_id"] == first.id
    # Its card is open again, and current.
    qtbot.waitUntil(lambda: window.queue.current_key == first.key)
    current = window.queue.current_group()
    assert current is not None and current.pending
    assert window.status.message.text().startswith("Undone: ")
    session_of(discourse_demo).set_paused(False)
    qtbot.waitUntil(lambda: discourse_demo.tasks.active == 0, timeout=30_000)


def test_undo_is_disabled_on_the_other_panes_and_their_ctrl_z_undoes_nothing(
    qtbot: QtBot, discourse_demo: AppController
) -> None:
    window = on_the_queue(qtbot, discourse_demo)
    outbox = community_of(discourse_demo).outbox
    edit = window.edit_menu
    approve_one(qtbot, window)
    qtbot.waitUntil(lambda: outbox.pending_count() == 1)
    assert edit.undo_action.isEnabled()

    for pane in (window.members, window.badges, window.outbox, window.audit):
        window.tabs.setCurrentWidget(pane)
        assert not edit.undo_action.isEnabled(), pane
        assert not edit.redo_action.isEnabled(), pane
        assert edit.undo_action.statusTip() == "Nothing in this pane can be undone"
        assert edit.redo_action.statusTip() == "Nothing in this pane can be redone"
    window.tabs.setCurrentWidget(window.members)
    window.members.table.setFocus()
    qtbot.keyClick(window.members.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(200)
    assert outbox.pending_count() == 1

    # Back on the queue, Undo is there again: clicked in the open menu, it undoes.
    window.tabs.setCurrentWidget(window.queue)
    assert edit.undo_action.isEnabled()
    menu_shown(qtbot, window)
    assert edit.undo_action.text() == "&Undo approve"
    where = edit.menu.actionGeometry(edit.undo_action).center()
    qtbot.mouseClick(edit.menu, Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: not edit.menu.isVisible())
    qtbot.waitUntil(lambda: outbox.pending_count() == 0)
    session_of(discourse_demo).set_paused(False)
    qtbot.waitUntil(lambda: discourse_demo.tasks.active == 0, timeout=30_000)
