"""The app on the demo community speaking Discourse (``badgedesk --demo-dialect discourse``), offscreen.

The window shows what a Discourse forum offers through BadgeDesk today: members,
badges and their holders, the review queue (the "Badge requests" category's
topics), the outbox; no badge editing yet (the connector has no badge editor so far).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.conftest import community_of, session_of, window_of
from ui.shell.controller import AppController

DEMO_MEMBERS = 300


def test_the_discourse_demo_syncs_and_shows_what_the_forum_can_do(
    qtbot: QtBot, make_controller: Callable[..., AppController], artifacts: Path
) -> None:
    controller = make_controller(demo_members=DEMO_MEMBERS, demo_dialect="discourse")
    session = session_of(controller)
    qtbot.waitUntil(lambda: session.last_sync is not None, timeout=120_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=60_000)
    window = window_of(controller)
    assert controller.sandbox is not None and controller.sandbox.dialect == "discourse"
    capabilities = session.capabilities
    assert capabilities is not None and capabilities.kind == "discourse"

    tabs = window.tabs
    shown = [tabs.tabText(i).replace("&", "") for i in range(tabs.count()) if tabs.isTabVisible(i)]
    assert shown == ["Members", "Badges", "Review queue", "Outbox", "Audit log"]
    assert capabilities.requests and capabilities.messages
    counts = community_of(controller).cache.counts()
    assert counts.members > 0 and counts.badges > 0 and counts.awards > 0
    qtbot.waitUntil(lambda: window.members.model.rowCount() == counts.members, timeout=10_000)
    qtbot.waitUntil(lambda: window.badges.model.rowCount() > 0, timeout=10_000)
    # The review queue lists the open topics of the "Badge requests" category.
    assert counts.requests > 0
    qtbot.waitUntil(lambda: window.queue.model.rowCount() > 0, timeout=10_000)
    assert not window.badges.new_action.isEnabled()
    assert "does not let badges be created or changed" in window.badges.new_action.toolTip()
    assert window.status.online.text() == "● Online"
    window.grab().save(str(artifacts / "discourse-demo.png"))
