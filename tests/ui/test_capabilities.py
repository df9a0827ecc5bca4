"""The window shows only what the server can do: its capabilities, as the last sync found them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.sync import KEY_CAPABILITIES
from tests.ui.conftest import EVERY_PANE
from ui.designer.session import NO_EDIT_CONFLICTS
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.shell.main_window import MainWindow

FULL = Capabilities(
    kind="badgedesk-v1",
    changes_feed=True,
    requests=True,
    badge_editing=True,
    edit_conflicts=True,
    messages=False,
    award_messages=True,
    delivery=Delivery.IDEMPOTENT,
    batch_cap=50,
)
#: What a forum without badge requests or badge versions offers (Discourse, say).
FORUM = Capabilities(
    kind="forum",
    changes_feed=False,
    requests=False,
    badge_editing=True,
    edit_conflicts=False,
    messages=True,
    award_messages=True,
    delivery=Delivery.RECONCILE,
    batch_cap=1,
)


@pytest.fixture()
def window_for(tmp_path: Path, qtbot: QtBot) -> Iterator[object]:
    made: list[tuple[TaskManager, AppSession, Cache]] = []

    def make(capabilities: Capabilities) -> MainWindow:
        cache = Cache(tmp_path / f"profile{len(made)}")
        with cache.write() as connection:
            Cache.set_sync_state(connection, {KEY_CAPABILITIES: capabilities.to_json()})
        tasks = TaskManager()
        session = AppSession(Community("test", None, cache), tasks)
        made.append((tasks, session, cache))
        window = MainWindow(session)
        qtbot.addWidget(window)
        session.start()
        qtbot.waitUntil(lambda: session.capabilities == capabilities, timeout=10_000)
        qtbot.waitUntil(lambda: tasks.active == 0, timeout=10_000)
        return window

    yield make
    for tasks, session, cache in made:
        tasks.shutdown()
        session.shutdown()
        session.deleteLater()
        tasks.deleteLater()
        cache.close()


def _tabs(window: MainWindow) -> list[str]:
    tabs = window.tabs
    return [tabs.tabText(i).replace("&", "") for i in range(tabs.count()) if tabs.isTabVisible(i)]


def test_a_server_with_every_port_shows_every_pane(window_for, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = window_for(FULL)
    assert _tabs(window) == EVERY_PANE
    assert window.view_actions[2].isEnabled()
    assert window.badges.new_action.isEnabled()
    designer = window.badges.new_badge()
    qtbot.addWidget(designer)
    assert NO_EDIT_CONFLICTS not in designer.notes_banner.text()


def test_no_request_desk_no_review_pane_and_no_versions_a_warning_in_the_designer(  # type: ignore[no-untyped-def]
    window_for, qtbot: QtBot
) -> None:
    window = window_for(FORUM)
    assert _tabs(window) == ["Members", "Badges", "Outbox", "Audit log", "History", "Reports", "Programs"]
    assert not window.view_actions[2].isEnabled()
    # Badges can be made here, but the designer says that a concurrent edit would be overwritten.
    assert window.badges.new_action.isEnabled()
    designer = window.badges.new_badge()
    qtbot.addWidget(designer)
    assert designer.notes_banner.isVisibleTo(designer)
    assert NO_EDIT_CONFLICTS in designer.notes_banner.text()


def test_no_badge_editor_no_new_badge_or_state_change(window_for) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    window = window_for(replace(FORUM, badge_editing=False))
    badges = window.badges
    assert not badges.new_action.isEnabled()
    assert not badges.edit_action.isEnabled() and not badges.state_button.isEnabled()
    assert "does not let badges be created or changed" in badges.new_action.toolTip()
