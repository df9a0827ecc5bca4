"""The window driven against the Discourse demo (``badgedesk --demo-dialect discourse``): a member
search, and a CSV batch of usernames from import to the forum (the members hold the badge there).

Read back from the forum with plain HTTP over loopback, as an admin would see it, not through the
client's own connector: what the app says it did must be what Discourse holds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.domain import ActionKind, BadgeState, MemberStatus
from desktop.outbox import Batch
from desktop.sandbox.process import SandboxProcess
from tests.ui.conftest import DISCOURSE_MEMBERS, community_of, wait_idle_after_sync, window_of
from tests.ui.test_batches import drop_file
from ui.shell.controller import AppController


def forum_get(sandbox: SandboxProcess, path: str, **params: Any) -> Any:
    """An admin's GET on the demo forum (loopback only)."""
    headers = {"Api-Key": sandbox.tokens["admin"], "Api-Username": sandbox.usernames["admin"]}
    answer = httpx.get(f"{sandbox.url}{path}", headers=headers, params=params, timeout=10)
    answer.raise_for_status()
    return answer.json()


def forum_badge_ids(sandbox: SandboxProcess, username: str) -> list[int]:
    """The badges ``username`` holds on the forum, one entry per grant."""
    answer = forum_get(sandbox, f"/user-badges/{username}.json")
    return [grant["badge_id"] for grant in answer["user_badges"]]


def holders_of(controller: AppController, badge_id: int) -> set[int]:
    with community_of(controller).cache.read() as connection:
        rows = connection.exec_driver_sql("SELECT member_id FROM awards WHERE badge_id = ?", (badge_id,))
        return {row[0] for row in rows}


def test_a_member_search_finds_forum_members_and_their_badges(
    qtbot: QtBot, discourse_demo: AppController, artifacts: Path
) -> None:
    controller = discourse_demo
    window = window_of(controller)
    view = window.members
    cache = community_of(controller).cache
    badge = next(b for b in cache.badges() if holders_of(controller, b.id))
    holder = cache.members_by_ids(sorted(holders_of(controller, badge.id))[:1])
    [member] = holder.values()

    # Typed as a moderator would: part of the username, in another case.
    qtbot.keyClicks(view.search_box, member.username[:-1].upper())
    qtbot.waitUntil(lambda: view.idle and controller.tasks.active == 0, timeout=10_000)
    assert member.id in view.model.ids
    row = list(view.model.ids).index(member.id)
    view.table.selectRow(row)
    detail = view.detail
    qtbot.waitUntil(
        lambda: detail.detail is not None and detail.detail.member.id == member.id, timeout=10_000
    )
    items = [detail.badges.topLevelItem(i) for i in range(detail.badges.topLevelItemCount())]
    titles = [item.text(0) for item in items if item is not None]
    assert badge.title in titles
    assert detail.fields["Username"].text() == member.username
    # The forum agrees: the member holds the badge there.
    sandbox = controller.sandbox
    assert sandbox is not None and badge.id in forum_badge_ids(sandbox, member.username)

    # Holders of the badge, as a filter: as many as the forum counts.
    view.search_box.clear()
    view.set_query(view.query.__class__(holds=frozenset({badge.id})))
    qtbot.waitUntil(lambda: view.idle and controller.tasks.active == 0, timeout=10_000)
    assert set(view.model.ids) == holders_of(controller, badge.id)
    window.grab().save(str(artifacts / "discourse-demo-search.png"))


def test_a_csv_batch_of_usernames_reaches_the_forum(
    qtbot: QtBot, discourse_demo: AppController, tmp_path: Path, artifacts: Path
) -> None:
    controller = discourse_demo
    window = window_of(controller)
    sandbox = controller.sandbox
    assert sandbox is not None
    cache = community_of(controller).cache
    badge = next(
        b
        for b in cache.badges()
        if b.state is BadgeState.PUBLISHED and not b.multiple_grant and holders_of(controller, b.id)
    )
    holders = holders_of(controller, badge.id)
    members = cache.members_by_ids(cache.member_ids())
    fresh = sorted(
        (m for m in members.values() if m.status is MemberStatus.ACTIVE and m.id not in holders),
        key=lambda m: m.id,
    )[:4]
    holder = members[min(holders)]
    before = {m.username: forum_badge_ids(sandbox, m.username) for m in fresh}
    assert all(badge.id not in ids for ids in before.values())

    # Usernames as people write them: a header, an @, another case, a repeat, an unknown one.
    lines = [
        "username",
        fresh[0].username,
        f"@{fresh[1].username}",
        fresh[2].username.upper(),
        fresh[3].username,
        fresh[0].username,
        "nobody_by_that_name",
        holder.username,
    ]
    dropped = tmp_path / "meetup.csv"
    dropped.write_text("\n".join(lines) + "\n", encoding="utf-8")

    dialog = window.new_batch((), ActionKind.AWARD)
    qtbot.waitUntil(lambda: dialog.badge_combo.count() > 0, timeout=10_000)
    dialog.select_badge(badge.id)
    drop_file(qtbot, dialog, dropped)
    qtbot.waitUntil(lambda: dialog.column_combo.count() == 1, timeout=10_000)
    qtbot.mouseClick(dialog.dry_run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    shown = {key: label.text() for key, label in dialog.count_values.items()}
    assert (shown["rows"], shown["duplicates"], shown["not_found"], shown["already"], shown["to_send"]) == (
        "7",
        "1",
        "1",
        "1",
        "4",
    )
    dialog.reason_edit.setText("Meetup 2026")
    dialog.notify_check.setChecked(False)
    dialog.grab().save(str(artifacts / "discourse-demo-batch.png"))

    queued: list[Batch] = []
    dialog.queued.connect(queued.append)
    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(queued), timeout=10_000)
    [batch] = queued
    outbox = community_of(controller).outbox
    qtbot.waitUntil(lambda: outbox.batch_summary(batch.id).finished, timeout=60_000)
    summary = outbox.batch_summary(batch.id)
    assert (summary.total, summary.applied) == (4, 4)

    # On the forum: each member holds the badge once; the holder was left alone.
    for member in fresh:
        assert forum_badge_ids(sandbox, member.username).count(badge.id) == 1
    assert forum_badge_ids(sandbox, holder.username).count(badge.id) == 1
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)


def test_the_demo_forums_request_category_is_a_setting_remembered_for_the_demo(
    qtbot: QtBot, discourse_demo: AppController, make_controller: Callable[..., AppController]
) -> None:
    controller = discourse_demo
    window = window_of(controller)
    # The demo starts with its "Badge requests" category: the review queue is there.
    assert window.request_category_action.isVisible()
    endpoint = community_of(controller).endpoint
    assert endpoint is not None and endpoint.request_category == "badge-requests"
    review = window.tabs.indexOf(window.queue)
    qtbot.waitUntil(lambda: window.tabs.isTabVisible(review), timeout=30_000)

    # Cleared by the user: no review queue, and remembered as the user's choice.
    controller.ask_request_category = lambda _parent, current: "" if current == "badge-requests" else None
    window.request_category_action.trigger()
    endpoint = community_of(controller).endpoint
    assert endpoint is not None and endpoint.request_category == ""
    choice = controller.settings.connection(controller.profile)
    assert choice is not None and (choice.kind, choice.request_category) == ("discourse", "")
    qtbot.waitUntil(lambda: not window.tabs.isTabVisible(review), timeout=30_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=60_000)
    controller.shutdown()

    # The next start of the demo keeps the user's choice over the demo's default.
    again = make_controller(controller.settings, demo_members=DISCOURSE_MEMBERS, demo_dialect="discourse")
    qtbot.waitUntil(lambda: community_of(again).endpoint is not None, timeout=60_000)
    endpoint = community_of(again).endpoint
    assert endpoint is not None and endpoint.request_category == ""
    wait_idle_after_sync(qtbot, again)
