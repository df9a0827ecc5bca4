"""The app on the Discourse demo: a badge granted three times on the forum, one grant revoked by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from pytestqt.qtbot import QtBot

from desktop.domain import Award
from desktop.grants import grants_of
from tests.ui.conftest import community_of, session_of, window_of
from ui.search.member_detail import GrantsRole
from ui.shell.controller import AppController

#: A demo badge that may be held several times (Discourse's multiple_grant).
MULTIPLE = 110


def test_the_second_of_three_grants_is_revoked_from_the_member_detail(
    qtbot: QtBot, make_controller: Callable[..., AppController], artifacts: Path
) -> None:
    controller = make_controller(demo_members=200, demo_dialect="discourse")
    session = session_of(controller)
    qtbot.waitUntil(lambda: session.last_sync is not None, timeout=120_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=60_000)
    window, cache = window_of(controller), community_of(controller).cache
    process = controller.sandbox
    assert process is not None
    with cache.read() as connection:
        member_id, username = connection.exec_driver_sql(
            "SELECT id, username FROM members m WHERE status = 'active' AND id > 0 AND NOT EXISTS"
            " (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?) ORDER BY id LIMIT 1",
            (MULTIPLE,),
        ).one()
    headers = {"Api-Key": process.tokens["admin"], "Api-Username": process.usernames["admin"]}

    def on_forum() -> list[dict[str, Any]]:
        with httpx.Client(base_url=process.url, headers=headers) as forum:
            rows = forum.get(f"/user-badges/{username}.json").json()["user_badges"]
        return [row for row in rows if row["badge_id"] == MULTIPLE]

    # Another moderator grants it three times on the forum: two topics, then no link.
    with httpx.Client(base_url=process.url, headers=headers) as forum:
        for reason in ("/t/first-answer/21", "/t/second-answer/22", None):
            body = {"username": username, "badge_id": MULTIPLE, **({"reason": reason} if reason else {})}
            forum.post("/user_badges.json", json=body).raise_for_status()
    second = next(row["id"] for row in on_forum() if row.get("topic_id") == 22)
    synced = session.last_sync
    session.sync()
    qtbot.waitUntil(lambda: session.last_sync is not synced and controller.tasks.active == 0, timeout=60_000)
    assert len(grants_of(cache, member_id, MULTIPLE)) == 3

    members = window.members
    members.search_box.setText(username)
    qtbot.waitUntil(lambda: members.idle and list(members.model.ids) == [member_id], timeout=10_000)
    members.table.selectRow(0)
    detail = members.detail
    qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.member.id == member_id)
    tree = detail.badges
    badge_rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    held = next(item for item in badge_rows if item is not None and item.text(0).endswith("×3"))
    grant_rows = [held.child(i) for i in range(held.childCount())]
    chosen = next(row for row in grant_rows if row is not None and row.data(0, GrantsRole).id == second)
    tree.setCurrentItem(chosen)
    window.grab().save(str(artifacts / "discourse-grants.png"))
    detail.confirm_revoke = lambda _text: True
    detail.revoke_button.click()

    outbox = community_of(controller).outbox
    qtbot.waitUntil(
        lambda: bool(outbox.actions()) and outbox.pending_count() == 0 and controller.tasks.active == 0,
        timeout=30_000,
    )
    left = sorted(row["id"] for row in on_forum())
    assert len(left) == 2 and second not in left
    assert sorted(a.id for a in grants_of(cache, member_id, MULTIPLE)) == left

    def shows_two() -> bool:
        shown = detail.detail
        return (
            shown is not None
            and sum(isinstance(h.award, Award) and h.award.badge_id == MULTIPLE for h in shown.badges) == 2
        )

    qtbot.waitUntil(shows_two, timeout=10_000)
