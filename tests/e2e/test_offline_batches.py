"""Batches prepared offline meet a server that changed meanwhile: held, conflicts, decisions, undo."""

from __future__ import annotations

import httpx

from desktop.api.connector import AwardItem
from desktop.cache.database import Cache
from desktop.domain import ActionKind, ActionState, BadgeState, MemberStatus, new_idempotency_key
from desktop.outbox import HoldReason, Outbox
from desktop.sandbox.process import SandboxProcess
from desktop.sync import SyncService
from tests.e2e.conftest import connector_for
from tests.e2e.test_exactly_once import active_holders, plan_trials, server_db


def reconnect(sandbox: SandboxProcess, cache: Cache, outbox: Outbox) -> object:
    """What the app does on reconnect: sync, then send."""
    with connector_for(sandbox) as connector:
        SyncService(cache, connector).run()
        return outbox.send_pending(connector, batch_cap=50)


def test_offline_batch_meets_a_changed_server(sandbox: SandboxProcess, cache: Cache) -> None:
    with connector_for(sandbox) as connector:
        SyncService(cache, connector).run()
    (badge_a, members_a), (badge_b, members_b) = plan_trials(cache, 2, 6)
    holders_a = active_holders(sandbox, badge_a)
    suspended = next(
        m
        for m in cache.members_by_ids(cache.member_ids()).values()
        if m.status is MemberStatus.SUSPENDED and m.id not in holders_a
    )
    outbox = Outbox(cache)
    # On the plane: two batches, committed locally.
    batch_a = outbox.queue_batch(ActionKind.AWARD, badge_a, [*members_a[:4], suspended.id], reason="plane")
    batch_b = outbox.queue_batch(ActionKind.AWARD, badge_b, members_b[:2], reason="plane")

    # Meanwhile on the server: Bob awards one of them, and disables badge B.
    with connector_for(sandbox, token="moderator2") as bob:
        bob.award_batch([AwardItem(new_idempotency_key(), members_a[1], badge_a, "Bob was faster")])
    version = next(b.version for b in cache.badges() if b.id == badge_b)
    response = httpx.post(
        f"{sandbox.url}/api/v1/badges/{badge_b}/state",
        json={"state": BadgeState.DISABLED.value},
        headers={"Authorization": f"Bearer {sandbox.tokens['moderator2']}", "If-Match": str(version)},
    )
    assert response.status_code == 200, response.text

    reconnect(sandbox, cache, outbox)
    a = outbox.batch_summary(batch_a.id)
    b = outbox.batch_summary(batch_b.id)
    assert (a.applied, a.held, a.conflict, a.unsent) == (3, 2, 0, 0)
    assert (b.applied, b.held) == (0, 2)
    reasons = {(x.member_id, x.badge_id): x.hold_reason for x in outbox.actions([ActionState.HELD])}
    assert reasons == {
        (members_a[1], badge_a): HoldReason.ALREADY_HELD,
        (suspended.id, badge_a): HoldReason.MEMBER_SUSPENDED,
        (members_b[0], badge_b): HoldReason.BADGE_DISABLED,
        (members_b[1], badge_b): HoldReason.BADGE_DISABLED,
    }
    # Nothing held reached the server.
    assert suspended.id not in active_holders(sandbox, badge_a)
    assert not active_holders(sandbox, badge_b) & set(members_b[:2])

    # The moderator decides: apply anyway for the disabled badge's first member and
    # the suspended one, skip the rest.
    held = {(x.member_id, x.badge_id): x.id for x in outbox.actions([ActionState.HELD])}
    assert outbox.apply_anyway([held[(members_b[0], badge_b)], held[(suspended.id, badge_a)]]) == 2
    assert outbox.skip([held[(members_b[1], badge_b)], held[(members_a[1], badge_a)]]) == 2
    reconnect(sandbox, cache, outbox)
    a = outbox.batch_summary(batch_a.id)
    b = outbox.batch_summary(batch_b.id)
    assert (a.applied, a.skipped, a.held) == (4, 1, 0) and a.finished
    assert (b.applied, b.skipped) == (1, 1) and b.finished
    assert suspended.id in active_holders(sandbox, badge_a)
    assert members_b[0] in active_holders(sandbox, badge_b)


def test_a_conflict_the_cache_could_not_see_is_reported_by_the_server(
    sandbox: SandboxProcess, cache: Cache
) -> None:
    with connector_for(sandbox) as connector:
        SyncService(cache, connector).run()
    [(badge_id, members)] = plan_trials(cache, 1, 3)
    holders = active_holders(sandbox, badge_id)
    suspended = next(
        m
        for m in cache.members_by_ids(cache.member_ids()).values()
        if m.status is MemberStatus.SUSPENDED and m.id not in holders
    )
    # The cache is stale: it believes the member is active.
    with cache.write() as connection:
        connection.exec_driver_sql("UPDATE members SET status = 'active' WHERE id = ?", (suspended.id,))
    outbox = Outbox(cache)
    batch = outbox.queue_batch(ActionKind.AWARD, badge_id, [*members, suspended.id])
    with connector_for(sandbox) as connector:
        report = outbox.send_pending(connector, batch_cap=50)
    assert (report.applied, report.conflicts) == (3, 1)  # type: ignore[attr-defined]
    summary = outbox.batch_summary(batch.id)
    assert (summary.applied, summary.conflict) == (3, 1)
    [conflict] = outbox.actions([ActionState.CONFLICT])
    assert conflict.hold_reason == HoldReason.MEMBER_SUSPENDED


def test_undo_a_sent_batch_revokes_exactly_what_it_awarded(sandbox: SandboxProcess, cache: Cache) -> None:
    with connector_for(sandbox) as connector:
        SyncService(cache, connector).run()
    [(badge_id, members)] = plan_trials(cache, 1, 60)
    before = active_holders(sandbox, badge_id)
    outbox = Outbox(cache)
    batch = outbox.queue_batch(ActionKind.AWARD, badge_id, members, reason="oops")
    reconnect(sandbox, cache, outbox)
    assert active_holders(sandbox, badge_id) == before | set(members)
    undo = outbox.undo_batch(batch.id)
    assert undo is not None
    reconnect(sandbox, cache, outbox)
    assert active_holders(sandbox, badge_id) == before
    summary = outbox.batch_summary(undo.id)
    assert (summary.applied, summary.total) == (60, 60)
    marks = ", ".join("?" * len(members))
    with server_db(sandbox) as db:
        reasons = db.execute(
            f"SELECT DISTINCT revoke_reason FROM awards WHERE badge_id = ? AND member_id IN ({marks})",
            (badge_id, *members),
        ).fetchall()
    assert reasons == [(f"undo of {batch.label}",)]
