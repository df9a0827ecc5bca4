"""The Members pane's context menu and "Open on the server", on a cache filled by hand (no server)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionKind, Award
from desktop.settings import Settings
from tests.core.test_member_search import AWARDS, MEMBERS, NOW
from tests.ui.test_member_search import badge
from ui.operations import TaskManager
from ui.search.member_search import MemberSearchView
from ui.session.app_session import AppSession

FORUM = Capabilities(
    kind="discourse",
    changes_feed=False,
    requests=True,
    badge_editing=True,
    edit_conflicts=False,
    messages=True,
    award_messages=True,
    delivery=Delivery.RECONCILE,
    batch_cap=1,
    profile_url="https://forum.example.org/u/{username}",
)
ENTRIES = [
    "&Award badge…",
    "&Revoke badge…",
    "",
    "&Open on the server",
    "Copy &username",
    "Copy &email address",
]


@pytest.fixture()
def view(qtbot: QtBot, tmp_path: Path) -> Iterator[MemberSearchView]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
        Cache.upsert_badges(connection, [badge(10, "MVP"), badge(20, "Speaker"), badge(30, "Ten Year Club")])
        Cache.upsert_awards(
            connection, [Award(i, mid, bid, NOW, "Alice", "") for i, (mid, bid) in enumerate(AWARDS, 1)]
        )
    community = Community("test", None, cache)
    tasks = TaskManager()
    session = AppSession(community, tasks)
    widget = MemberSearchView(session, Settings())
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    widget.reload()
    qtbot.waitUntil(lambda: widget.idle and widget.model.rowCount() == len(MEMBERS))
    yield widget
    tasks.shutdown()
    community.close()


def with_capabilities(view: MemberSearchView, capabilities: Capabilities) -> None:
    view.session.capabilities = capabilities
    view.session.capabilities_changed.emit(capabilities)


def current_row(view: MemberSearchView, qtbot: QtBot, row: int) -> int:
    """Select ``row``, wait until its member is loaded and shown; its member id."""
    view.table.selectRow(row)
    member_id = view.model.ids[row]
    qtbot.waitUntil(lambda: view.detail.detail is not None and view.detail.detail.member.id == member_id)
    qtbot.waitUntil(lambda: view.row_menu.current_member() is not None)
    return member_id


def texts(menu: QMenu) -> list[str]:
    return [action.text() for action in menu.actions()]


def entry(menu: QMenu, text: str) -> object:
    return next(action for action in menu.actions() if action.text() == text)


def test_shift_f10_and_the_menu_key_open_the_menu_on_the_current_row(
    view: MemberSearchView, qtbot: QtBot, artifacts: Path
) -> None:
    with_capabilities(view, FORUM)
    current_row(view, qtbot, 2)
    view.grab().save(str(artifacts / "member_detail_open_on_server.png"))
    view.table.setFocus()
    for key, modifiers in (
        (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
        (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
    ):
        qtbot.keyClick(view.table, key, modifiers)
        qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu) and menu is view.row_menu.rows.menu
        assert texts(menu) == ENTRIES
        # Below the current row, not at the window's corner.
        row_rect = view.table.visualRect(view.table.currentIndex())
        assert menu.pos().y() >= view.table.viewport().mapToGlobal(row_rect.topLeft()).y()
        if key == Qt.Key.Key_Menu:
            menu.grab().save(str(artifacts / "member_context_menu.png"))
        menu.close()
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


def test_award_and_revoke_press_the_panes_buttons_for_the_selection(
    view: MemberSearchView, qtbot: QtBot
) -> None:
    # Nothing selected: off, as the buttons are.
    menu = view.row_menu.rows.build()
    assert not entry(menu, "&Award badge…").isEnabled()  # type: ignore[attr-defined]
    assert not entry(menu, "&Revoke badge…").isEnabled()  # type: ignore[attr-defined]
    view.table.selectRow(1)
    view.table.selectionModel().select(
        view.model.index(3, 0),
        view.table.selectionModel().SelectionFlag.Select | view.table.selectionModel().SelectionFlag.Rows,
    )
    menu = view.row_menu.rows.build()
    for text, kind in (("&Award badge…", ActionKind.AWARD), ("&Revoke badge…", ActionKind.REVOKE)):
        action = entry(menu, text)
        assert action.isEnabled()  # type: ignore[attr-defined]
        with qtbot.waitSignal(view.batch_requested) as requested:
            action.trigger()  # type: ignore[attr-defined]
        assert requested.args == [view.selected_ids(), kind]
        assert len(view.selected_ids()) == 2


def test_open_on_the_server_from_the_menu_the_key_and_the_detail(
    view: MemberSearchView, qtbot: QtBot
) -> None:
    opened: list[str] = []
    said: list[str] = []
    view.message.connect(said.append)

    def capture(url: str) -> bool:
        opened.append(url)
        return True

    view.row_menu.open_url = capture
    member_id = current_row(view, qtbot, 0)
    member = next(m for m in MEMBERS if m.id == member_id)
    # Before the first sync nobody knows where profiles are.
    menu = view.row_menu.rows.build()
    assert not entry(menu, "&Open on the server").isEnabled()  # type: ignore[attr-defined]
    assert not view.detail.profile_button.isEnabled()
    assert "synced" in view.detail.profile_button.toolTip()

    with_capabilities(view, FORUM)
    expected = f"https://forum.example.org/u/{member.username}"
    menu = view.row_menu.rows.build()
    entry(menu, "&Open on the server").trigger()  # type: ignore[attr-defined]
    assert opened == [expected]
    assert said[-1] == f"Opened {expected} in the browser."
    view.table.setFocus()
    qtbot.keyClick(
        view.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert opened == [expected] * 2
    assert view.detail.profile_button.isEnabled()
    assert "Ctrl+Shift+O" in view.detail.profile_button.toolTip()
    qtbot.mouseClick(view.detail.profile_button, Qt.MouseButton.LeftButton)
    assert opened == [expected] * 3

    # A server without profile pages: off, and saying why.
    with_capabilities(view, dataclasses.replace(FORUM, profile_url=""))
    assert not view.detail.profile_button.isEnabled()
    assert view.detail.profile_button.toolTip() == "This server shows no member profiles."
    assert not view.row_menu.open_profile_action.isEnabled()

    # No browser: the status bar says so.
    with_capabilities(view, FORUM)
    view.row_menu.open_url = lambda url: False
    view.row_menu.open_profile_action.trigger()
    assert said[-1] == f"No browser could open {expected}."


def test_copy_username_and_email(view: MemberSearchView, qtbot: QtBot) -> None:
    member_id = current_row(view, qtbot, 4)
    member = next(m for m in MEMBERS if m.id == member_id)
    menu = view.row_menu.rows.build()
    QApplication.clipboard().clear()
    entry(menu, "Copy &username").trigger()  # type: ignore[attr-defined]
    assert QApplication.clipboard().text() == member.username
    entry(menu, "Copy &email address").trigger()  # type: ignore[attr-defined]
    assert QApplication.clipboard().text() == member.email


def test_a_right_click_on_a_row_opens_the_menu_for_that_row(view: MemberSearchView, qtbot: QtBot) -> None:
    current_row(view, qtbot, 0)
    rect = view.table.visualRect(view.model.index(3, 1))
    # What a right click does: the row under the mouse becomes current, then the menu asks.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.RightButton, pos=rect.center())
    view.table.customContextMenuRequested.emit(rect.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    assert view.table.currentIndex().row() == 3
    assert view.selected_ids() == [view.model.ids[3]]
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    menu.close()
    # Below the last row there is no row: no menu.
    view.table.customContextMenuRequested.emit(view.table.viewport().rect().bottomLeft())
    assert QApplication.activePopupWidget() is None
