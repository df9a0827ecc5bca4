"""Outbox and decisions against the real sandbox: keys, conflicts, chunks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from desktop.audit import AuditFilter, audit_entries
from desktop.cache.database import Cache
from desktop.domain import (
    ActionKind,
    ActionState,
    BadgeState,
    Decision,
    MemberStatus,
    RequestState,
    new_idempotency_key,
)
from desktop.net.errors import DecisionConflict, MalformedResponse
from desktop.outbox import Outbox
from desktop.sandbox.process import SandboxProcess
from desktop.sync import SyncService
from tests.e2e.conftest import CountingTransport, connector_for
from tests.e2e.server_witness import server_db
from tests.e2e.test_offline_batches import as_bob, reconnect
from tests.e2e.test_sync import member_status


def synced(sandbox: SandboxProcess, cache: Cache) -> None:
    with connector_for(sandbox) as connector:
        SyncService(cache, connector).run()


def deny_as_bob(sandbox: SandboxProcess, request: Any, reason: str) -> Any:
    """The second moderator decides first, with the version the first one saw."""
    with connector_for(sandbox, token="moderator2") as bob:
        return bob.decide(
            request.id,
            version=request.version,
            decision=Decision.DENY,
            reason=reason,
            message=None,
            idempotency_key=new_idempotency_key(),
        ).request


def pending_request_of_active_member(cache: Cache) -> Any:
    for request in cache.requests():
        member = cache.member(request.member_id)
        if member is not None and member.status is MemberStatus.ACTIVE:
            badge = next(b for b in cache.badges() if b.id == request.badge_id)
            if badge.state is BadgeState.PUBLISHED:
                return request
    raise AssertionError("no decidable request in the seed")


def test_stale_decision_gets_409_with_who_decided(sandbox: SandboxProcess, cache: Cache) -> None:
    synced(sandbox, cache)
    request = pending_request_of_active_member(cache)
    decided = deny_as_bob(sandbox, request, "not yet")
    assert decided.state is RequestState.DENIED and decided.decided_by == "Bob Moderator"
    with connector_for(sandbox) as alice, pytest.raises(DecisionConflict) as conflict:
        alice.decide(
            request.id,
            version=request.version,
            decision=Decision.APPROVE,
            reason="",
            message=None,
            idempotency_key=new_idempotency_key(),
        )
    assert "Bob Moderator" in str(conflict.value)
    assert conflict.value.current.state is RequestState.DENIED
    assert conflict.value.current.version == decided.version


def test_outbox_decision_conflict_is_kept_for_the_user_not_dropped(
    sandbox: SandboxProcess, cache: Cache
) -> None:
    synced(sandbox, cache)
    request = pending_request_of_active_member(cache)
    outbox = Outbox(cache)
    action = outbox.queue_decision(request.id, request.version, Decision.APPROVE, reason="looks good")
    assert outbox.pending_count() == 1
    deny_as_bob(sandbox, request, "first")
    with connector_for(sandbox) as alice:
        report = outbox.send_pending(alice, batch_cap=50)
    assert (report.done, report.conflicts) == (0, 1)
    [stored] = outbox.actions()
    assert stored.id == action.id and stored.state is ActionState.CONFLICT
    assert stored.result is not None and stored.result["decided_by"] == "Bob Moderator"
    # The cache now shows the other moderator's decision.
    [cached] = [r for r in cache.requests(None) if r.id == request.id]
    assert cached.state is RequestState.DENIED and cached.decided_by == "Bob Moderator"


def test_outbox_sends_in_chunks_of_the_cap_and_confirms_each_award(
    sandbox: SandboxProcess, cache: Cache
) -> None:
    synced(sandbox, cache)
    badge_id, members = _awardable(cache, 120)
    outbox = Outbox(cache)
    actions = outbox.queue_awards(members, badge_id, reason="chunks")
    assert len({a.idempotency_key for a in actions}) == 120
    transport = CountingTransport()
    with connector_for(sandbox, transport=transport) as connector:
        report = outbox.send_pending(connector, batch_cap=50)
        # Sending again sends nothing: everything was confirmed.
        again = outbox.send_pending(connector, batch_cap=50)
    assert transport.paths["/api/v1/awards/batch"] == 3
    assert report.queued == 120 and report.done == 120 and report.failed == 0
    assert again.queued == 0
    assert outbox.pending_count() == 0
    done = outbox.actions([ActionState.DONE])
    assert {a.outcome for a in done} == {"awarded"}
    with cache.read() as connection:
        held = connection.exec_driver_sql(
            "SELECT count(*) FROM awards WHERE badge_id = ?", (badge_id,)
        ).scalar()
    with connector_for(sandbox) as connector:
        server_held = sum(1 for _ in _all_awards(connector, badge_id))
    assert held == server_held


def _all_awards(connector: Any, badge_id: int) -> Any:
    cursor = None
    while True:
        page = connector.awards(cursor, 1000, badge_id=badge_id)
        yield from page.items
        cursor = page.next_cursor
        if cursor is None:
            return


def _awardable(cache: Cache, count: int) -> tuple[int, list[int]]:
    badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    holders = {
        a for a in cache.member_ids() if any(x.badge_id == badge.id for x in cache.awards_of_member(a))
    }
    members = [
        m for m in cache.member_ids() if m not in holders and member_status(cache, m) is MemberStatus.ACTIVE
    ][:count]
    return badge.id, members


def test_a_chunk_applied_before_a_crash_is_resent_with_the_same_keys(
    sandbox: SandboxProcess, cache: Cache
) -> None:
    synced(sandbox, cache)
    badge_id, members = _awardable(cache, 10)
    outbox = Outbox(cache)
    actions = outbox.queue_awards(members, badge_id, reason="crash")
    # The sender marked the chunk and the server applied it; then the app died
    # before it could store the answer.
    outbox.sender.claim(actions)
    with connector_for(sandbox) as connector:
        before = connector.community().awards
        from desktop.dialects.base import AwardItem

        connector.award_batch(
            [AwardItem(a.idempotency_key, a.payload["member_id"], badge_id) for a in actions]
        )
        transport = CountingTransport()
    with connector_for(sandbox, transport=transport) as connector:
        report = outbox.send_pending(connector, batch_cap=50)
        after = connector.community().awards
    assert report.done == 10
    assert after == before + 10  # applied once, not twice
    assert all(a.state is ActionState.DONE and a.attempts == 2 for a in outbox.actions())
    assert {a.result["outcome"] if a.result else None for a in outbox.actions()} == {"awarded"}


def test_an_unreadable_answer_leaves_the_chunk_to_resend(sandbox: SandboxProcess, cache: Cache) -> None:
    synced(sandbox, cache)
    badge_id, members = _awardable(cache, 5)
    outbox = Outbox(cache)
    outbox.queue_awards(members, badge_id, reason="garbled")
    garble = CountingTransport(
        lambda request, body: b"{oops" if request.url.path.endswith("/batch") else None
    )
    with connector_for(sandbox, transport=garble) as connector, pytest.raises(MalformedResponse):
        outbox.send_pending(connector, batch_cap=50)
    # The server did apply it, but we cannot know: still unconfirmed.
    assert outbox.pending_count() == 5
    assert {a.state for a in outbox.actions()} == {ActionState.SENDING}
    with connector_for(sandbox) as connector:
        before = connector.community().awards
        report = outbox.send_pending(connector, batch_cap=50)
        assert connector.community().awards == before  # the resend replayed, awarded nothing new
    assert report.done == 5 and outbox.pending_count() == 0


def test_a_refused_chunk_is_marked_failed_and_counted(sandbox: SandboxProcess, cache: Cache) -> None:
    synced(sandbox, cache)
    outbox = Outbox(cache)
    # More items than the server allows in one request: it answers 413.
    badge_id, members = _awardable(cache, 60)
    outbox.queue_awards(members, badge_id)
    with connector_for(sandbox) as connector:
        connector.capabilities()
        report = outbox.send_pending(connector, batch_cap=60)
    assert report.failed == 60
    assert outbox.pending_count() == 0
    assert outbox.counts()[ActionState.FAILED] == 60
    assert "at most 50" in (outbox.actions()[0].last_error or "")


def server_messages(sandbox: SandboxProcess, member_id: int) -> list[str]:
    with server_db(sandbox) as db:
        return [r[0] for r in db.execute("SELECT body FROM messages WHERE member_id = ?", (member_id,))]


def published_badge_id(cache: Cache) -> int:
    return next(b.id for b in cache.badges() if b.state is BadgeState.PUBLISHED)


def test_apply_anyway_on_a_badge_someone_granted_meanwhile_is_a_no_op_that_says_who_and_when(
    sandbox: SandboxProcess, cache: Cache
) -> None:
    synced(sandbox, cache)
    badge_id, [member_id] = _awardable(cache, 1)
    outbox = Outbox(cache)
    batch = outbox.queue_batch(ActionKind.AWARD, badge_id, [member_id], reason="Alice's")
    # Bob suspends the member: Alice's award is held for her decision.
    as_bob(sandbox, "POST", f"/members/{member_id}/suspend")
    reconnect(sandbox, cache, outbox)
    [held] = outbox.actions([ActionState.HELD])
    # Before Alice decides, Bob lifts the suspension and awards the badge himself.
    as_bob(sandbox, "POST", f"/members/{member_id}/unsuspend")
    bobs = as_bob(
        sandbox,
        "POST",
        "/awards/batch",
        json={
            "items": [
                {
                    "idempotency_key": new_idempotency_key(),
                    "member_id": member_id,
                    "badge_id": badge_id,
                    "reason": "Bob's",
                }
            ]
        },
    )["results"][0]["award"]
    messages = server_messages(sandbox, member_id)
    assert outbox.apply_anyway([held.id]) == 1
    reconnect(sandbox, cache, outbox)

    [done] = outbox.actions(batch_id=batch.id)
    assert (done.state, done.outcome) == (ActionState.DONE, "already_held")
    assert done.result is not None
    when = datetime.fromisoformat(bobs["granted_at"])
    assert (done.result["granted_by"], datetime.fromisoformat(done.result["granted_at"])) == (
        "Bob Moderator",
        when,
    )
    summary = outbox.batch_summary(batch.id)
    assert (summary.applied, summary.noop, summary.finished) == (0, 1, True)
    [entry] = audit_entries(cache, AuditFilter(batch_id=batch.id))
    assert f"granted by Bob Moderator on {when:%Y-%m-%d %H:%M} UTC" in entry.detail
    # The server kept Bob's award as it was, and the member got no second message.
    with connector_for(sandbox) as connector:
        [award] = connector.awards(None, 10, badge_id=badge_id, member_id=member_id).items
    assert (award.id, award.granted_by, award.reason) == (bobs["id"], "Bob Moderator", "Bob's")
    assert server_messages(sandbox, member_id) == messages
