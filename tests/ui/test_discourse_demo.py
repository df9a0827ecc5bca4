"""The app on the demo community speaking Discourse (``badgedesk --demo-dialect discourse``), offscreen.

The window shows what a Discourse forum offers through BadgeDesk today: members,
badges and their holders, the review queue (the "Badge requests" category's
topics), the outbox. Badges can be created and edited (the demo's key is an
admin's), without edit versions: an edit made elsewhere is looked for before saving.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from pytestqt.qtbot import QtBot

from tests.ui.conftest import EVERY_PANE, community_of, session_of, window_of
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
    assert shown == EVERY_PANE
    assert capabilities.requests and capabilities.messages
    counts = community_of(controller).cache.counts()
    assert counts.members > 0 and counts.badges > 0 and counts.awards > 0
    qtbot.waitUntil(lambda: window.members.model.rowCount() == counts.members, timeout=10_000)
    qtbot.waitUntil(lambda: window.badges.model.rowCount() > 0, timeout=10_000)
    assert capabilities.badge_editing and not capabilities.edit_conflicts
    assert window.badges.new_action.isEnabled()
    # The review queue lists the open topics of the "Badge requests" category.
    assert counts.requests > 0
    qtbot.waitUntil(lambda: window.queue.model.rowCount() > 0, timeout=10_000)
    assert window.status.online.text() == "● Online"
    window.grab().save(str(artifacts / "discourse-demo.png"))

    # A request decided by keyboard reaches the forum: granted, answered and closed there.
    window.tabs.setCurrentWidget(window.queue)
    window.activateWindow()
    qtbot.waitExposed(window)
    view = window.queue
    qtbot.waitUntil(lambda: view.snapshot is not None and view.model.rowCount() > 0, timeout=10_000)
    group = next(g for g in view.model.groups() if g.approval_problem() is None)
    row = view.model.row_of(group.key)
    assert row is not None
    view.table.selectRow(row)
    view.table.setFocus()

    def on_card() -> bool:
        shown = view.current_group()
        return shown is not None and shown.id == group.id

    qtbot.waitUntil(on_card)
    qtbot.keyClick(view.table, "a")
    outbox = community_of(controller).outbox
    qtbot.waitUntil(lambda: outbox.pending_count() == 0 and controller.tasks.active == 0, timeout=30_000)
    [done] = [a for a in outbox.actions() if a.payload.get("request_id") == group.id]
    assert done.outcome == "approved"
    process = controller.sandbox
    headers = {"Api-Key": process.tokens["admin"], "Api-Username": process.usernames["admin"]}
    with httpx.Client(base_url=process.url, headers=headers) as forum:
        topic = forum.get(f"/t/{group.id}.json").json()
        assert topic["closed"] and topic["post_stream"]["posts"][-1]["action_code"] == "closed.enabled"
        member = topic["post_stream"]["posts"][0]["username"]
        held = forum.get(f"/user-badges/{member}.json").json()["user_badges"]
        assert [b["badge_id"] for b in held].count(group.badge_id) == 1
