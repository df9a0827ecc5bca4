"""Undoing an approval already sent, as the review queue tells it, and approving it again (issue 17).

Before, the card said "Approved by you, then undone." as soon as the undo was queued (nothing
confirmed), its status stayed "Approved", and it could not be decided again. No Qt, no network:
the approval's answer is stored as the sender would; the awards and revokes go to a fake server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.audit import AuditFilter, audit_entries
from desktop.cache.database import Cache
from desktop.domain import ActionKind, ActionState, BadgeRequest, Decision, RequestState
from desktop.outbox import Outbox, OutboxError
from desktop.outbox.store import actions
from desktop.review import RequestGroup, load_queue
from desktop.review_status import Again, Reversal
from tests.core.test_cache import T0, badge, member
from tests.core.test_outbox import FakeServer

REQUEST = BadgeRequest(7, 1, 2, "please", None, T0, RequestState.PENDING, 1)


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1)])
        Cache.upsert_badges(connection, [badge(2)])
        Cache.upsert_requests(connection, [REQUEST])
    yield cache
    cache.close()


def card(cache: Cache) -> RequestGroup:
    [group] = [g for g in load_queue(cache, session_start_action=0).groups if g.id == REQUEST.id]
    return group


def approved_and_sent(cache: Cache, outbox: Outbox, server: FakeServer) -> int:
    """The approval, answered as the sender stores it: approved, the badge granted as award 22."""
    [action] = outbox.queue_decisions([card(cache).decision_spec(Decision.APPROVE)])
    server.held[(1, 2)] = 22
    with cache.write() as connection:
        result = json.dumps({"state": "approved", "award_id": 22})
        actions.store_results(connection, [("done", "approved", None, result, 0, 0, action.id)])
        approved = RequestState.APPROVED
        Cache.upsert_requests(connection, [BadgeRequest(7, 1, 2, "please", None, T0, approved, 2)])
    return action.id


def test_the_card_follows_the_revoke_and_says_reverted_only_once_the_server_confirmed(
    cache: Cache,
) -> None:
    outbox, server = Outbox(cache, actor="Alice Moderator"), FakeServer()
    approval = approved_and_sent(cache, outbox, server)

    outbox.undo_decision(approval)

    decision = card(cache).decision
    assert decision is not None and decision.reversal is Reversal.QUEUED
    assert decision.status_text == "Approved by you, then undone: the award's revoke is queued, not sent yet."
    assert not card(cache).reverted

    outbox.send_pending(server, batch_cap=10)

    group = card(cache)
    assert group.decision is not None and group.decision.reversal is Reversal.REVOKED
    assert group.decision.status_text == (
        "Approval reverted: the award is revoked (confirmed by the server). The request stays"
        " decided on the server: it cannot be reopened from here."
    )
    assert group.reverted and (1, 2) not in server.held
    with pytest.raises(OutboxError, match="already undone"):
        outbox.undo_decision(approval)


def test_a_revoke_refused_says_the_award_stands(cache: Cache) -> None:
    outbox, server = Outbox(cache, actor="Alice Moderator"), FakeServer()
    approval = approved_and_sent(cache, outbox, server)
    undo = outbox.undo_decision(approval)
    assert undo.reversal is not None
    with cache.write() as connection:
        actions.store_results(connection, [("failed", None, None, "{}", 0, 0, undo.reversal.id)])
        connection.exec_driver_sql(
            "UPDATE actions SET last_error = 'forbidden' WHERE id = ?", (undo.reversal.id,)
        )
    decision = card(cache).decision
    assert decision is not None and decision.reversal is Reversal.REFUSED
    assert decision.status_text == "Approved by you; undoing it failed, the award stands: forbidden"
    assert not card(cache).reverted


def test_a_reverted_approval_is_approved_again_by_an_award_and_undone_again(cache: Cache) -> None:
    outbox, server = Outbox(cache, actor="Alice Moderator"), FakeServer()
    approval = approved_and_sent(cache, outbox, server)
    # Not before the server confirmed the revoke.
    outbox.undo_decision(approval)
    with pytest.raises(OutboxError, match="not confirmed"):
        outbox.approve_again(approval)
    outbox.send_pending(server, batch_cap=10)

    award = outbox.approve_again(approval)

    assert award.kind is ActionKind.AWARD
    assert award.payload["reason"] == "Request #7 approved again."
    assert award.payload["notify"] is False  # the member was told when it was approved
    group = card(cache)
    assert group.decision is not None and group.decision.again is Again.QUEUED
    assert group.decision.status_text == "Approved again by you: the award is queued, not sent yet."
    assert not group.reverted
    with pytest.raises(OutboxError, match="Only an approval whose award was revoked"):
        outbox.approve_again(approval)

    # Unsent, an undo drops it: reverted again, and it can be approved again.
    undo = outbox.undo_decision(approval)
    assert undo.dropped and outbox.actions([ActionState.DISCARDED])[-1].id == award.id
    assert card(cache).reverted

    award = outbox.approve_again(approval)
    outbox.send_pending(server, batch_cap=10)
    group = card(cache)
    assert group.decision is not None and group.decision.again is Again.AWARDED
    assert (
        group.decision.status_text == "Approved again by you: the badge is awarded (confirmed by the server)."
    )
    assert (1, 2) in server.held

    # Sent, an undo revokes that award, and the card follows the new revoke.
    undo = outbox.undo_decision(approval)
    assert not undo.dropped and undo.reversal is not None
    assert undo.reversal.payload["undo_of_action"] == award.id
    assert card(cache).decision.reversal is Reversal.QUEUED  # type: ignore[union-attr]
    outbox.send_pending(server, batch_cap=10)
    assert card(cache).reverted and (1, 2) not in server.held

    # The audit shows every step: the approval, its revoke, the award again and its revoke.
    entries = sorted(audit_entries(cache, AuditFilter()), key=lambda e: e.id)
    assert [(e.kind, e.outcome, e.reason) for e in entries if e.state is ActionState.DONE] == [
        (ActionKind.DECIDE, "approved", "approve"),
        (ActionKind.REVOKE, "revoked", "undo"),
        (ActionKind.AWARD, "awarded", "Request #7 approved again."),
        (ActionKind.REVOKE, "revoked", "undo"),
    ]


def test_an_award_given_again_that_is_held_says_why(cache: Cache) -> None:
    outbox, server = Outbox(cache, actor="Alice Moderator"), FakeServer()
    approval = approved_and_sent(cache, outbox, server)
    outbox.undo_decision(approval)
    outbox.send_pending(server, batch_cap=10)
    server.suspended.add(1)  # suspended on the server meanwhile

    outbox.approve_again(approval)
    outbox.send_pending(server, batch_cap=10)

    decision = card(cache).decision
    assert decision is not None and decision.again is Again.REFUSED
    assert decision.status_text.startswith("Approved again, but the award waits: ")
    assert "suspended" in decision.status_text
