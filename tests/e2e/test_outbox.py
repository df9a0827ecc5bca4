"""Outbox and decisions against the real sandbox: keys, conflicts, chunks."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.api.errors import DecisionConflict
from desktop.cache.database import Cache
from desktop.domain import ActionState, BadgeState, Decision, MemberStatus, RequestState, new_idempotency_key
from desktop.outbox import Outbox
from desktop.sandbox.process import SandboxProcess
from desktop.sync import SyncService
from tests.e2e.conftest import CountingTransport, connector_for


def synced(sandbox: SandboxProcess, cache: Cache) -> None:
    with connector_for(sandbox) as connector:
        SyncService(cache, connector).run()


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
    with connector_for(sandbox, token="moderator2") as bob:
        decided = bob.decide(
            request.id,
            version=request.version,
            decision=Decision.DENY,
            reason="not yet",
            message=None,
            idempotency_key=new_idempotency_key(),
        )
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
    with connector_for(sandbox, token="moderator2") as bob:
        bob.decide(
            request.id,
            version=request.version,
            decision=Decision.DENY,
            reason="first",
            message=None,
            idempotency_key=new_idempotency_key(),
        )
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
    badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    members = [m for m in cache.member_ids() if cache.member(m).status is MemberStatus.ACTIVE][:120]
    outbox = Outbox(cache)
    actions = outbox.queue_awards(members, badge.id, reason="chunks")
    assert len({a.idempotency_key for a in actions}) == 120
    transport = CountingTransport()
    with connector_for(sandbox, transport=transport) as connector:
        report = outbox.send_pending(connector, batch_cap=50)
        # Sending again sends nothing: everything was confirmed.
        again = outbox.send_pending(connector, batch_cap=50)
    assert transport.paths["/api/v1/awards/batch"] == 3
    assert report.sent == 120 and report.done == 120 and report.failed == 0
    assert again.sent == 0
    assert outbox.pending_count() == 0
    done = outbox.actions([ActionState.DONE])
    assert {a.result["outcome"] for a in done} <= {"awarded", "already_held"}
    with cache.read() as connection:
        held = connection.exec_driver_sql(
            "SELECT count(*) FROM awards WHERE badge_id = ?", (badge.id,)
        ).scalar()
    with connector_for(sandbox) as connector:
        server_held = sum(1 for _ in _all_awards(connector, badge.id))
    assert held == server_held


def _all_awards(connector: Any, badge_id: int) -> Any:
    cursor = None
    while True:
        page = connector.awards(cursor, 1000, badge_id=badge_id)
        yield from page.items
        cursor = page.next_cursor
        if cursor is None:
            return
