"""Undoing a sent approval against the sandbox (issue 17): what the server allows, and the card's truth.

BadgeDesk's API decides only pending requests and has no way back: after the undo the request
stays approved on the server, the award is revoked, the card says so once the server confirmed
it, and approving again sends the award alone (a second decision would be refused).
"""

from __future__ import annotations

import httpx

from desktop.audit import AuditFilter, audit_entries
from desktop.cache.database import Cache
from desktop.domain import ActionKind, ActionState, Decision
from desktop.outbox import Outbox
from desktop.review_status import Again, Reversal
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.scenarios import ReviewScenario
from tests.e2e.test_review import award_rows, group_of, plain_groups, send, server_requests, sync


def test_a_sent_approval_undone_is_reverted_on_the_card_and_approved_again_by_its_award(
    review_sandbox: tuple[SandboxProcess, ReviewScenario], cache: Cache
) -> None:
    sandbox, _scenario = review_sandbox
    sync(sandbox, cache)
    outbox = Outbox(cache)
    group = plain_groups(cache)[0]
    [approval] = outbox.queue_decisions([group.decision_spec(Decision.APPROVE)])
    send(sandbox, cache, outbox)

    outbox.undo_decision(approval.id)
    # Queued, not confirmed: the card does not say revoked yet.
    card = group_of(cache, group.id)
    assert card.decision is not None and card.decision.reversal is Reversal.QUEUED and not card.reverted
    send(sandbox, cache, outbox)

    card = group_of(cache, group.id)
    assert card.reverted and card.decision is not None
    assert card.decision.status_text.startswith("Approval reverted: the award is revoked")
    assert award_rows(sandbox, group.member_id, group.badge_id) == [("Alice Moderator", "undo")]
    # What the server allows: the request stays approved, a second decision is refused.
    assert server_requests(sandbox, [group.id]) == {group.id: ("approved", "Alice Moderator")}
    refused = httpx.post(
        f"{sandbox.url}/api/v1/requests/{group.id}/decision",
        json={"decision": "deny", "reason": "again", "message": "No."},
        headers={"Authorization": f"Bearer {sandbox.tokens['moderator']}", "If-Match": "2"},
    )
    assert refused.status_code == 409

    outbox.approve_again(approval.id)
    send(sandbox, cache, outbox)

    card = group_of(cache, group.id)
    assert card.decision is not None and card.decision.again is Again.AWARDED and not card.reverted
    assert award_rows(sandbox, group.member_id, group.badge_id) == [
        ("Alice Moderator", "undo"),
        ("Alice Moderator", None),
    ]
    assert group.badge_id in {a.badge_id for a in cache.awards_of_member(group.member_id)}
    entries = [e for e in audit_entries(cache, AuditFilter()) if e.state is ActionState.DONE]
    assert sorted((e.kind, e.outcome) for e in entries) == sorted(
        [(ActionKind.DECIDE, "approved"), (ActionKind.REVOKE, "revoked"), (ActionKind.AWARD, "awarded")]
    )
