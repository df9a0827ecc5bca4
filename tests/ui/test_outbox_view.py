"""The Outbox pane on the demo community: pause, held actions and the user's decision, undo."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.dialects.base import AwardItem
from desktop.domain import ActionKind, ActionState, BadgeState, MemberStatus, new_idempotency_key
from desktop.outbox import HoldReason
from tests.ui.test_main_window import wait_synced
from ui.shell.controller import AppController


def test_pause_hold_apply_anyway_and_undo_through_the_pane(
    qtbot: QtBot, make_controller: Callable[..., AppController], monkeypatch: pytest.MonkeyPatch
) -> None:
    controller = make_controller(demo_members=600)
    wait_synced(qtbot, controller)
    window, session, sandbox = controller.window, controller.session, controller.sandbox
    assert window is not None and session is not None and sandbox is not None
    view = window.outbox
    window.tabs.setCurrentWidget(view)
    cache = session.community.cache
    outbox = session.community.outbox
    badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    with cache.read() as connection:
        holders = {
            r[0]
            for r in connection.exec_driver_sql(
                "SELECT member_id FROM awards WHERE badge_id = ?", (badge.id,)
            )
        }
    members = [
        m.id
        for m in cache.members_by_ids(cache.member_ids()).values()
        if m.status is MemberStatus.ACTIVE and m.id not in holders
    ][:8]

    # Pause: a batch is queued (committed) but nothing goes out.
    qtbot.mouseClick(view.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.paused)
    assert view.pause_button.text() == "Resume sendin&g"
    dialog = window.new_batch(members, ActionKind.AWARD)
    qtbot.waitUntil(lambda: dialog.badge_combo.count() > 0)
    dialog.select_badge(badge.id)
    qtbot.mouseClick(dialog.dry_run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert dialog.count_values["to_send"].text() == "8"
    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.selected_batch() is not None, timeout=10_000)
    batch = view.selected_batch()
    assert batch is not None and batch.pending == 8
    qtbot.waitUntil(lambda: window.status.pending.text() == "Pending actions: 8")
    assert outbox.pending_count() == 8

    # Meanwhile Bob suspends the first member and awards the second the same badge.
    bob_token = sandbox.tokens["moderator2"]
    suspended = httpx.post(
        f"{sandbox.url}/api/v1/members/{members[0]}/suspend",
        headers={"Authorization": f"Bearer {bob_token}"},
        timeout=15,
    )
    assert suspended.status_code == 200, suspended.text
    with CommunityApiConnector(sandbox.url, bob_token) as bob:
        bob.award_batch([AwardItem(new_idempotency_key(), members[1], badge.id, "Bob was faster")])

    # Resume: the app syncs; Bob's award makes the second one a no-op, the suspension holds the first.
    qtbot.mouseClick(view.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not session.paused)
    qtbot.waitUntil(lambda: outbox.batch_summary(batch.batch.id).applied == 6, timeout=20_000)
    summary = outbox.batch_summary(batch.batch.id)
    assert (summary.held, summary.noop, summary.unsent) == (1, 1, 0)
    qtbot.waitUntil(lambda: "need attention" in window.status.pending.text())
    assert view.show_combo.currentText() == "Needs your decision"
    qtbot.waitUntil(lambda: view.item_model.rowCount() == 1)
    entry = view.item_model.entry(0)
    assert entry.state is ActionState.HELD and entry.hold_reason == HoldReason.MEMBER_SUSPENDED
    assert view.item_model.index(0, 5).data() == "the member is suspended (apply anyway or skip)"
    view.item_table.selectRow(0)
    assert view.apply_button.isEnabled() and view.skip_button.isEnabled()
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: outbox.batch_summary(batch.batch.id).finished, timeout=20_000)
    assert outbox.batch_summary(batch.batch.id).applied == 7

    # Undo: everything the batch awarded is revoked on the server.
    monkeypatch.setattr(view, "confirm_undo", lambda _summary: True)
    messages: list[str] = []
    view.message.connect(messages.append)
    view.select_batch(batch.batch.id)
    qtbot.waitUntil(lambda: view.undo_button.isEnabled())
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(outbox.batches()) == 2, timeout=10_000)
    undo = next(s for s in outbox.batches() if s.batch.undo_of == batch.batch.id)
    # Both batches are named for people, never by their ids.
    name = batch.batch.name
    assert re.fullmatch(rf"{re.escape(badge.title)} · \d{{4}}-\d\d-\d\d · #1 · 8 members", name), name
    assert undo.batch.name == f"Undo of {name}"
    qtbot.waitUntil(lambda: bool(messages))
    assert messages[-1] == f"{name} undone: reversals queued as Undo of {name}."
    model = view.batch_model
    qtbot.waitUntil(lambda: model.row_of(undo.batch.id) >= 0)
    undo_row, done_row = model.row_of(undo.batch.id), model.row_of(batch.batch.id)
    assert model.index(undo_row, model.columnCount() - 1).data() == f"Undo of {name}"
    assert model.index(undo_row, 3).data() == f"Undo of {name}"  # "From": the batch it undoes
    tooltip = model.index(done_row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert f"Undone by Undo of {name}" in tooltip and undo.batch.id[:6] not in tooltip
    qtbot.waitUntil(lambda: outbox.batch_summary(undo.batch.id).finished, timeout=20_000)
    # Seven revokes: the second member holds Bob's award, which the batch did not give, and keeps it.
    assert outbox.batch_summary(undo.batch.id).applied == 7
    with CommunityApiConnector(sandbox.url, sandbox.tokens["moderator"]) as alice:
        page = alice.awards(None, 1000, badge_id=badge.id)
    assert {a.member_id for a in page.items} & set(members) == {members[1]}
