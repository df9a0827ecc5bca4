"""The review queue's score, grouping and order, without a server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop.domain import UNRECOGNISED_BADGE, BadgeRequest, Decision, Member, MemberStatus, RequestState
from desktop.review import QueueOrder, RequestGroup, group_requests, sort_groups
from desktop.review_score import Score, ScorePart, score

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def request(
    request_id: int, member: int, badge: int, hours_ago: int, evidence: str | None = "https://x"
) -> BadgeRequest:
    return BadgeRequest(
        id=request_id,
        member_id=member,
        badge_id=badge,
        note="note",
        evidence_url=evidence,
        created_at=NOW - timedelta(hours=hours_ago),
        state=RequestState.PENDING,
        version=1,
    )


def test_score_parts_and_caps() -> None:
    fresh = score(False, 0, NOW - timedelta(days=10), NOW)
    assert [(p.label, p.points, p.detail) for p in fresh.parts] == [
        ("evidence link", 0, "none"),
        ("badges held", 0, "0 badges"),
        ("account age", 0, "10 days"),
    ]
    assert fresh.total == 0
    seasoned = score(True, 4, NOW - timedelta(days=400), NOW)
    assert [p.points for p in seasoned.parts] == [30, 12, 13]
    assert seasoned.total == 55
    assert seasoned.parts[2].detail == "13 months"
    capped = score(True, 50, NOW - timedelta(days=3650), NOW)
    assert [p.points for p in capped.parts] == [30, 30, 40]
    assert capped.parts[2].detail == "10.0 years"
    unknown = score(True, 1, None, NOW)
    assert (unknown.parts[1].detail, unknown.parts[2].detail, unknown.total) == (
        "1 badge",
        "unknown member",
        33,
    )
    assert seasoned.explain().splitlines() == [
        "+30  evidence link: given",
        "+12  badges held: 4 badges",
        "+13  account age: 13 months",
    ]


def test_duplicates_group_by_member_and_badge_oldest_first() -> None:
    requests = [
        request(1, member=10, badge=1, hours_ago=5),
        request(2, member=10, badge=2, hours_ago=9),
        request(3, member=11, badge=1, hours_ago=7),
        request(4, member=10, badge=1, hours_ago=8),
        request(5, member=10, badge=1, hours_ago=1),
    ]
    groups = group_requests(requests)
    assert [[r.id for r in g] for g in groups] == [[2], [4, 1, 5], [3]]


def group(requests: list[BadgeRequest], points: int) -> RequestGroup:
    return RequestGroup(
        requests=tuple(requests),
        member=None,
        badge=None,
        held_badges=(),
        score=Score((ScorePart("x", points, ""),)),
    )


def test_order_oldest_or_by_score_with_ties_broken_by_age() -> None:
    a = group([request(1, 1, 1, hours_ago=3)], 10)
    b = group([request(2, 2, 1, hours_ago=9)], 40)
    c = group([request(3, 3, 1, hours_ago=5)], 40)
    assert [g.id for g in sort_groups([a, b, c], QueueOrder.OLDEST)] == [2, 3, 1]
    assert [g.id for g in sort_groups([a, b, c], QueueOrder.SCORE)] == [2, 3, 1]
    d = group([request(4, 4, 1, hours_ago=1)], 90)
    assert [g.id for g in sort_groups([a, b, c, d], QueueOrder.SCORE)] == [4, 2, 3, 1]


def test_a_group_decision_carries_every_version_seen() -> None:
    g = group([request(4, 10, 1, 8), request(1, 10, 1, 5), request(5, 10, 1, 1)], 0)
    spec = g.decision_spec(Decision.DENY, reason="Duplicate", message="Hi")
    assert (spec.request_id, spec.version, spec.duplicates) == (4, 1, ((1, 1), (5, 1)))
    assert spec.payload()["duplicates"] == [[1, 1], [5, 1]]
    assert (spec.member_id, spec.badge_id) == (10, 1)
    # Without a member in the cache, approving is refused with a reason.
    assert g.approval_problem() == "member #10 no longer exists; deny the request instead."


def test_a_request_naming_no_known_badge_stands_alone_and_cannot_be_approved() -> None:
    vague = [
        request(1, member=10, badge=UNRECOGNISED_BADGE, hours_ago=5),
        request(2, member=10, badge=UNRECOGNISED_BADGE, hours_ago=4),
    ]
    groups = group_requests(vague)
    assert [[r.id for r in g] for g in groups] == [[1], [2]]  # two asks, perhaps for two badges
    someone = Member(10, "ten", "Ten", "", NOW, None, MemberStatus.ACTIVE)
    card = RequestGroup(requests=(vague[0],), member=someone, badge=None, held_badges=(), score=Score(()))
    assert card.badge_text == "badge not recognised"
    assert "names no badge BadgeDesk recognises" in (card.approval_problem() or "")
