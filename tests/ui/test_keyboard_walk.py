"""Every window and dialog of the app on the Discourse demo, walked by keyboard (issue 19).

Each is shown offscreen and checked: Tab reaches every focusable control (no table
keeps it), a control Tab skips has a key of its own, every control has an accessible
name that says what it is, a field's label has
the field as its buddy, and no Alt+letter is used twice in one window (on the main
window: for each tab in turn, since only the current tab's controls take their
mnemonics).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot

from tests.ui import every_window
from tests.ui.conftest import window_of
from tests.ui.keyboard_walk import (
    labels_without_buddy,
    menu_mnemonic_problems,
    mnemonic_clashes,
    mouse_only_controls,
    unnamed_controls,
    unreachable_by_tab,
)
from tests.ui.modal import inspect_modal
from ui.shell.controller import AppController


def problems_of(qtbot: QtBot, name: str, window: QWidget) -> list[str]:
    window.show()
    qtbot.waitExposed(window)
    found = [f"{name}: cannot be reached by Tab: {w}" for w in unreachable_by_tab(window)]
    found += [f"{name}: no key reaches it: {w}" for w in mouse_only_controls(window)]
    found += [f"{name}: {problem}" for problem in unnamed_controls(window)]
    found += [f"{name}: no buddy: {label}" for label in labels_without_buddy(window)]
    found += [f"{name}: mnemonic used twice: {clash}" for clash in mnemonic_clashes(window)]
    return found


def test_every_window_and_dialog_can_be_walked_by_keyboard(
    qtbot: QtBot, discourse_demo: AppController
) -> None:
    window = window_of(discourse_demo)
    problems: list[str] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        problems += problems_of(qtbot, f"main window, {window.tabs.tabText(index)!r} tab", window)

    for name, dialog in every_window.dialogs(qtbot, window):
        problems += problems_of(qtbot, name, dialog)

    # The deny and return dialogs, as the review queue opens them (then cancelled).
    window.tabs.setCurrentWidget(window.queue)
    assert window.queue.current_group() is not None, "the demo has no request to decide"
    shown: list[str] = []

    def walk_and_cancel(dialog: QDialog) -> bool:
        problems.extend(problems_of(qtbot, f"{dialog.windowTitle()!r} dialog", dialog))
        shown.append(dialog.windowTitle())
        return False

    window.queue.run_dialog = walk_and_cancel
    window.queue.deny()
    window.queue.return_request()
    assert len(shown) == 2
    assert problems == [], "\n".join(problems)


def test_the_review_keys_still_work_from_the_order_and_badge_filters(
    qtbot: QtBot, discourse_demo: AppController
) -> None:
    """The filters now take Tab focus; a letter there still decides (or skips), it does not pick an item."""
    window = window_of(discourse_demo)
    window.tabs.setCurrentWidget(window.queue)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for combo in (window.queue.order, window.queue.badge_filter):
        combo.setFocus()
        chosen = combo.currentIndex()
        before = window.queue.current_group()
        assert before is not None
        qtbot.keyClick(combo, "s")  # Skip
        assert window.queue.current_group() is not before
        assert combo.currentIndex() == chosen


def test_quit_and_the_views_show_their_keys_on_every_key_scheme(discourse_demo: AppController) -> None:
    """Quit has Ctrl+Q even where the platform's scheme has no Quit key (Windows)."""
    window = window_of(discourse_demo)
    quit_action = next(a for a in window.findChildren(QAction) if a.text() == "&Quit")
    assert QKeySequence("Ctrl+Q") in quit_action.shortcuts()
    assert len(set(k.toString() for k in quit_action.shortcuts())) == len(quit_action.shortcuts())
    # One per tab, in order.
    views = range(1, window.tabs.count() + 1)
    assert [a.shortcut().toString() for a in window.view_actions] == [f"Ctrl+{n}" for n in views]


def test_the_edit_menu_copies_the_selected_rows_and_finds(
    qtbot: QtBot, discourse_demo: AppController
) -> None:
    window = window_of(discourse_demo)
    window.tabs.setCurrentWidget(window.members)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    edit = window.edit_menu
    assert edit.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    table = window.members.table
    table.setFocus()
    table.selectRow(0)
    table.selectionModel().select(
        table.model().index(1, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    QApplication.clipboard().clear()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QApplication.clipboard().text().split("\n")
    model = table.model()
    assert len(lines) == 2
    assert lines[0].split("\t")[: model.columnCount()] == [
        str(model.index(0, c).data() or "") for c in range(model.columnCount())
    ]
    edit.find_action.trigger()
    assert window.members.search_box.hasFocus()
    window.tabs.setCurrentWidget(window.audit)
    edit.find_action.trigger()
    assert window.audit.text_box.hasFocus()


def test_the_dialogs_that_run_their_own_loop_can_be_walked_by_keyboard(
    qtbot: QtBot, discourse_demo: AppController
) -> None:
    """The paste-list, saved-search, request-category and About dialogs, and the review keys' help."""
    window = window_of(discourse_demo)
    problems: list[str] = []
    modal = every_window.modal_dialogs(window)
    for name, opener in modal:
        inspect_modal(opener, lambda dialog, name=name: problems.extend(problems_of(qtbot, name, dialog)))  # type: ignore[misc]

    window.tabs.setCurrentWidget(window.queue)
    window.queue.help.open_help()
    qtbot.waitUntil(window.queue.help.isVisible)
    problems += problems_of(qtbot, "review keys' help", window.queue.help)
    window.queue.help.close_help()
    assert problems == [], "\n".join(problems)


def test_the_context_menus_open_by_keyboard_and_every_entry_has_its_letter(
    qtbot: QtBot, discourse_demo: AppController
) -> None:
    """Shift+F10 opens each pane's row menu on the current row; "Open on the server" reaches the forum."""
    window = window_of(discourse_demo)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    problems: list[str] = []
    for pane in (window.members, window.badges, window.queue):
        window.tabs.setCurrentWidget(pane)
        table = pane.table
        qtbot.waitUntil(lambda table=table: table.model().rowCount() > 0, timeout=10_000)  # type: ignore[misc]
        table.setFocus()
        table.selectRow(0)
        qtbot.keyClick(table, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        problems += [f"{type(pane).__name__} menu: {p}" for p in menu_mnemonic_problems(menu)]
        menu.close()
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert problems == [], "\n".join(problems)

    # The forum's profile address came with the sync: the member's page on the demo forum.
    members = window.members
    window.tabs.setCurrentWidget(members)
    qtbot.waitUntil(lambda: members.row_menu.current_member() is not None, timeout=10_000)
    member = members.row_menu.current_member()
    assert member is not None
    opened: list[str] = []

    def capture(url: str) -> bool:
        opened.append(url)
        return True

    members.row_menu.open_url = capture
    members.table.setFocus()
    qtbot.keyClick(
        members.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    endpoint = discourse_demo.session.community.endpoint  # type: ignore[union-attr]
    assert endpoint is not None
    assert opened == [f"{endpoint.url.rstrip('/')}/u/{member.username}"]
