"""The Badges and Review queue panes' context menus, in the main window over a cache filled by hand."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QTableView
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Award, Badge, BadgeRequest, BadgeState, RequestState
from desktop.programs.titles import OneHolderBadges
from desktop.sync import KEY_CAPABILITIES
from tests.core.test_member_search import AWARDS, MEMBERS, NOW
from ui.designer import BadgeDesigner
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.shell.main_window import MainWindow

V1 = Capabilities(
    kind="badgedesk-v1",
    changes_feed=True,
    requests=True,
    badge_editing=True,
    edit_conflicts=True,
    messages=False,
    award_messages=True,
    delivery=Delivery.IDEMPOTENT,
    batch_cap=50,
    profile_url="https://community.example.org/members/{member_id}",
)


def badge(i: int, title: str, state: BadgeState = BadgeState.PUBLISHED) -> Badge:
    return Badge(i, f"b{i}", title, "d", "", "", "", state, "", 1)


BADGES = [badge(10, "MVP"), badge(20, "Speaker"), badge(30, "Ten Year Club", BadgeState.DISABLED)]
REQUESTS = [
    BadgeRequest(100 + n, member_id, 20, "I spoke twice", None, NOW, RequestState.PENDING, 1)
    for n, member_id in enumerate((1, 3, 6))
]


@pytest.fixture()
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
        Cache.upsert_badges(connection, BADGES)
        Cache.upsert_awards(
            connection, [Award(i, mid, bid, NOW, "Alice", "") for i, (mid, bid) in enumerate(AWARDS, 1)]
        )
        Cache.upsert_requests(connection, REQUESTS)
        Cache.set_sync_state(connection, {KEY_CAPABILITIES: V1.to_json()})
    tasks = TaskManager()
    session = AppSession(Community("test", None, cache), tasks)
    made = MainWindow(session)
    qtbot.addWidget(made)
    made.resize(1300, 760)
    made.show()
    session.start()
    qtbot.waitUntil(lambda: session.capabilities == V1, timeout=10_000)
    qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
    yield made
    tasks.shutdown()
    session.shutdown()
    cache.close()


def open_with_keyboard(qtbot: QtBot, table: QTableView) -> QMenu:
    """Shift+F10 on the table's current row; the menu that opened."""
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def close(qtbot: QtBot, menu: QMenu) -> None:
    menu.close()
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


def test_the_badge_menu_holds_the_panes_own_actions(
    window: MainWindow, qtbot: QtBot, artifacts: Path
) -> None:
    pane = window.badges
    window.tabs.setCurrentWidget(pane)
    qtbot.waitUntil(lambda: pane.model.rowCount() == len(BADGES))
    pane.table.selectRow(pane.model.row_of(20) or 0)
    menu = open_with_keyboard(qtbot, pane.table)
    assert [a.text() for a in menu.actions()] == [
        "&Edit…",
        "&Duplicate…",
        "Show &holders",
        "&Group check…",
        "",
        "Change &state",
        "",
        "&One holder at a time…",
        "Hand o&ver…",
        "Holders by &period…",
    ]
    # The very actions of the pane (and its keys): enabled when they are, doing what they do.
    actions = menu.actions()
    assert actions[:4] == [
        pane.edit_action,
        pane.duplicate_action,
        pane.holders_action,
        pane.group_check_action,
    ]
    assert all(a.isEnabled() for a in actions[:4])
    states = actions[5].menu()
    assert isinstance(states, QMenu)
    assert states.actions() == list(pane.state_actions.values())
    assert [a.isEnabled() for a in states.actions()] == [False, True, True]  # it is published
    # A badge not marked one holder at a time: it can be marked; nothing to hand over yet.
    assert actions[7:] == list(pane.titles.actions)
    assert [a.isEnabled() for a in actions[7:]] == [True, False, False]
    assert not actions[7].isChecked()
    menu.grab().save(str(artifacts / "badge_context_menu.png"))
    close(qtbot, menu)

    # Change state ▸ Discontinue asks as the pane's button does.
    asked: list[str] = []

    def refuse(_title: str, text: str) -> bool:
        asked.append(text)
        return False

    pane.confirm = refuse
    states.actions()[2].trigger()
    assert asked and asked[0].startswith("Discontinue “Speaker”?")

    # Show holders: the Members pane lists who holds the badge.
    holders = sorted(m for m, b in AWARDS if b == 20)
    pane.holders_action.trigger()
    assert window.tabs.currentWidget() is window.members
    members = window.members
    qtbot.waitUntil(lambda: members.idle and sorted(members.model.ids) == holders, timeout=10_000)
    assert members.query.holds == frozenset({20})

    # Edit, Duplicate and Group check open what the toolbar's buttons open.
    window.tabs.setCurrentWidget(pane)
    pane.table.selectRow(pane.model.row_of(10) or 0)
    built = pane.row_menu.build()
    built.actions()[0].trigger()
    qtbot.waitUntil(lambda: ("badge", 10) in pane.designers, timeout=20_000)
    designer = pane.designers[("badge", 10)]

    def designers() -> list[BadgeDesigner]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, BadgeDesigner) and w.isVisible()]

    built.actions()[1].trigger()  # a copy: a second designer, on a new badge
    qtbot.waitUntil(lambda: len(designers()) == 2, timeout=20_000)
    copy = next(d for d in designers() if d is not designer)
    assert copy.windowTitle() != designer.windowTitle()
    # They close themselves for good (WA_DeleteOnClose).
    for opened in designers():
        opened.ask = lambda _title, _text: "discard"
        opened.close()
    built.actions()[3].trigger()
    assert window.group_check_dialog is not None and window.group_check_dialog.badge.id == 10
    window.group_check_dialog.close()
    qtbot.waitUntil(
        lambda: window.tabs.currentWidget() is pane and pane.session.tasks.active == 0, timeout=20_000
    )

    # Nothing selected: every entry off, as in the toolbar.
    window.tabs.setCurrentWidget(pane)
    pane.table.clearSelection()
    built = pane.row_menu.build()
    assert not any(a.isEnabled() for a in built.actions()[:4])
    assert not built.actions()[5].isEnabled()


def test_the_title_entries_follow_the_marking_and_a_disabled_title_is_not_handed_over(
    window: MainWindow, qtbot: QtBot
) -> None:
    pane = window.badges
    window.tabs.setCurrentWidget(pane)
    qtbot.waitUntil(lambda: pane.model.rowCount() == len(BADGES))
    titles = OneHolderBadges(pane.session.community.cache)
    titles.mark(20, 10)
    titles.mark(30, None)
    pane.reload()
    qtbot.waitUntil(lambda: pane.model.marking_of(30) is not None)
    enabled = {}
    for badge_id in (10, 20, 30):
        pane.table.selectRow(pane.model.row_of(badge_id) or 0)
        menu = open_with_keyboard(qtbot, pane.table)
        entries = menu.actions()[7:]
        enabled[badge_id] = [(a.isEnabled(), a.isChecked()) for a in entries]
        close(qtbot, menu)
    assert enabled == {
        10: [(True, False), (False, False), (False, False)],  # not marked
        20: [(True, True), (True, False), (True, False)],  # marked, published
        30: [(True, True), (False, False), (True, False)],  # marked, disabled: no hand-over
    }

    # The list names the title's holders as the cache knows them (two: both, for the user to fix).
    def shown(badge_id: int) -> str:
        return str(pane.model.index(pane.model.row_of(badge_id) or 0, 6).data())

    assert shown(10) == "" and shown(30) == "@annmarie (Ann-Marie Olsen)"
    assert set(shown(20).split(", ")) == {"@annmarie (Ann-Marie Olsen)", "@zoe (Zoë Ünal)"}


def test_the_review_menu_decides_with_the_panes_buttons_and_opens_the_member(
    window: MainWindow, qtbot: QtBot, artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = window.queue
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.snapshot is not None and view.current_group() is not None, timeout=10_000)
    menu = open_with_keyboard(qtbot, view.table)
    assert [a.text() for a in menu.actions()] == [
        "&Approve\tA",
        "&Deny…\tD",
        "&Return…\tR",
        "",
        "&Open the member on the server",
    ]
    assert all(a.isEnabled() for a in menu.actions())
    menu.grab().save(str(artifacts / "review_context_menu.png"))
    close(qtbot, menu)

    decided: list[str] = []
    for name in ("approve", "deny", "return_request"):
        monkeypatch.setattr(view.decisions, name, lambda name=name: decided.append(name))
    built = view.row_menu.rows.build()
    for action in built.actions()[:3]:
        action.trigger()
    assert decided == ["approve", "deny", "return_request"]

    opened: list[str] = []
    view.open_url = opened.append
    group = view.current_group()
    assert group is not None and group.member is not None
    built.actions()[4].trigger()
    assert opened == [f"https://community.example.org/members/{group.member.id}"]
    view.table.setFocus()
    qtbot.keyClick(
        view.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert len(opened) == 2

    # A server that shows no profiles: the entry is off and says why.
    capabilities = dataclasses.replace(V1, profile_url="")
    view.session.capabilities = capabilities
    view.session.capabilities_changed.emit(capabilities)
    assert not view.row_menu.open_profile_action.isEnabled()
    assert view.row_menu.open_profile_action.toolTip() == "This server shows no member profiles."
