"""A hand-over stopped by a holder the cache did not know, as the Outbox pane shows it (the demo)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.dialects.base import AwardItem
from desktop.domain import ActionKind, ActionState, BadgeState, MemberStatus, new_idempotency_key
from desktop.programs.titles import OneHolderBadges, queue_handover
from tests.ui.test_main_window import wait_synced
from ui.shell.controller import AppController


def test_a_hand_over_stopped_names_who_holds_the_title_on_the_server(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(demo_members=600)
    wait_synced(qtbot, controller)
    window, session, sandbox = controller.window, controller.session, controller.sandbox
    assert window is not None and session is not None and sandbox is not None
    view = window.outbox
    window.tabs.setCurrentWidget(view)
    cache = session.community.cache
    outbox = session.community.outbox
    members = cache.members_by_ids(cache.member_ids())
    with cache.read() as connection:
        held: dict[int, set[int]] = {}
        for badge_id, member_id in connection.exec_driver_sql("SELECT badge_id, member_id FROM awards"):
            held.setdefault(badge_id, set()).add(member_id)
    published = [b for b in cache.badges() if b.state is BadgeState.PUBLISHED]
    title = next(b for b in published if len(held.get(b.id, ())) == 1)
    alumni = next(b for b in published if b.id != title.id)
    [previous] = held[title.id]
    active = [m for m in sorted(members) if members[m].status is MemberStatus.ACTIVE and m != previous]
    new, stranger = active[0], active[1]

    qtbot.mouseClick(view.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.paused)
    OneHolderBadges(cache).mark(title.id, alumni.id)
    action = queue_handover(outbox, title.id, new)
    # Meanwhile Bob hands the title to someone else.
    with CommunityApiConnector(sandbox.url, sandbox.tokens["moderator2"]) as bob:
        bob.award_batch([AwardItem(new_idempotency_key(), stranger, title.id, "Bob was faster")])

    qtbot.mouseClick(view.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not session.paused)
    qtbot.waitUntil(
        lambda: [a.state for a in outbox.actions() if a.id == action.id] == [ActionState.CONFLICT],
        timeout=20_000,
    )
    qtbot.waitUntil(lambda: "need attention" in window.status.pending.text(), timeout=10_000)
    view.show_combo.setCurrentText("Needs your decision")
    qtbot.waitUntil(lambda: view.item_model.rowCount() == 1)
    entry = view.item_model.entry(0)
    assert entry.kind is ActionKind.HANDOVER
    why = view.item_model.index(0, 5).data()
    assert why == (
        f"Held by @{members[stranger].username} on the server,"
        f" not @{members[previous].username}: nothing revoked. (skip)"
    )
    Path("artifacts").mkdir(exist_ok=True)
    window.grab().save("artifacts/handover_stopped.png")
    # Nothing was revoked or granted: the previous holder and Bob's both hold it.
    with CommunityApiConnector(sandbox.url, sandbox.tokens["moderator2"]) as bob:
        holders = {a.member_id for a in bob.awards(None, 50, badge_id=title.id).items}
    assert holders == {previous, stranger}
    # The user decides: skip it.
    view.item_table.selectRow(0)
    assert view.skip_button.isEnabled() and not view.apply_button.isEnabled()
    qtbot.mouseClick(view.skip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: [a.state for a in outbox.actions() if a.id == action.id] == [ActionState.DISCARDED],
        timeout=10_000,
    )
