"""Undoing a sent approval on Discourse (issue 17): the grant is revoked, the topic stays closed.

Discourse has requests only as the topics of a category; neither closing nor reopening makes
a decided topic pending again (closed, it reads as approved while the member holds the badge,
as denied once a full pass reads it again after the revoke). The card says "reverted" once
the forum confirmed the revoke, and approving again grants the badge again, with no link
(the free-text reason stays here).
"""

from __future__ import annotations

from desktop.community import Community
from desktop.domain import Decision
from desktop.review import RequestGroup, load_queue
from desktop.review_status import Again, Reversal
from desktop.sandbox.process import SandboxProcess
from tests.e2e.test_discourse_requests import closed, community, forum, grants, pending

__all__ = ["community", "forum"]  # fixtures


def card(community: Community, request_id: int) -> RequestGroup:
    [group] = [
        g
        for g in load_queue(community.cache, session_start_action=0).groups
        if g.decision is not None and g.id == request_id
    ]
    return group


def test_undo_revokes_the_grant_the_card_says_reverted_and_approve_again_grants_it_again(
    forum: SandboxProcess, community: Community
) -> None:
    request, member, badge, version = pending(community)[0]
    outbox = community.outbox
    approval = outbox.queue_decision(
        request,
        version,
        Decision.APPROVE,
        message="Well deserved, thank you!",
        member_id=member,
        badge_id=badge,
    )
    community.send_outbox()
    assert grants(forum, member, badge) == [request]

    outbox.undo_decision(approval.id)
    assert card(community, request).decision.reversal is Reversal.QUEUED  # type: ignore[union-attr]
    community.send_outbox()

    assert grants(forum, member, badge) == [] and closed(forum, request)
    group = card(community, request)
    assert group.reverted
    # A later sync changes nothing of it (the topic did not change: it is not read again).
    community.sync()
    assert card(community, request).reverted

    outbox.approve_again(approval.id)
    community.send_outbox()

    assert grants(forum, member, badge) == [None]
    again = card(community, request).decision
    assert again is not None and again.again is Again.AWARDED
