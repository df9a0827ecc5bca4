"""Contract: grants and revokes, each applied once, whatever is repeated or lost on the way."""

from __future__ import annotations

import pytest

from desktop.dialects.base import AwardItem, Delivery, ItemResult, RevokeItem
from desktop.dialects.capabilities import Capabilities
from desktop.domain import AwardOutcome, BadgeState, Drift, MemberStatus
from desktop.net.errors import ApiError, ServerUnreachable
from tests.contract.conftest import Dialect, key


def test_a_grant_then_a_repeat_awards_once(dialect: Dialect) -> None:
    writer = dialect.session.writer
    [(member_id, badge_id)] = dialect.free_pairs(1)
    item = dialect.award(member_id, badge_id, reason="contract", notify=False)
    [first] = writer.award_batch([item])
    assert (first.outcome, first.replayed, first.condition) == (AwardOutcome.AWARDED, False, None)
    assert first.award is not None
    # A server that keeps no free text (Discourse keeps only a link to a post) keeps no reason.
    reason = "contract" if dialect.harness.keeps_free_text_reasons else ""
    assert (first.award.member_id, first.award.badge_id, first.award.reason) == (member_id, badge_id, reason)
    assert first.award.granted_by == dialect.session.directory.me()
    # The same item again: the first result replayed by its key, or (a server without
    # keys) the award that exists; never a second award.
    [again] = writer.award_batch([item])
    if writer.delivery is Delivery.IDEMPOTENT:
        assert (again.outcome, again.replayed) == (AwardOutcome.AWARDED, True)
    else:
        assert again.outcome is AwardOutcome.ALREADY_HELD
    assert again.award is not None and again.award.id == first.award.id
    # A new key for the same grant, even forced: the award that exists, not a second one.
    repeats = dialect.send(
        [dialect.award(member_id, badge_id), dialect.award(member_id, badge_id, force=True)]
    )
    for repeat in repeats:
        assert (repeat.outcome, repeat.condition, repeat.replayed) == (
            AwardOutcome.ALREADY_HELD,
            Drift.ALREADY_HELD,
            False,
        )
        assert repeat.award is not None and repeat.award.id == first.award.id
        assert repeat.award.granted_by == first.award.granted_by
    assert dialect.holds(member_id, badge_id) == [first.award.id]
    assert dialect.harness.award_rows(badge_id)[member_id] == 1


def test_a_revoke_of_a_revoked_award_changes_nothing(dialect: Dialect) -> None:
    writer = dialect.session.writer
    [(member_id, badge_id)] = dialect.free_pairs(1)
    [granted] = writer.award_batch([dialect.award(member_id, badge_id, notify=False)])
    revoke = dialect.revoke(member_id, badge_id, reason="contract")
    [revoked] = writer.revoke_batch([revoke])
    assert (revoked.outcome, revoked.replayed, revoked.condition) == (AwardOutcome.REVOKED, False, None)
    assert revoked.award is not None and granted.award is not None and revoked.award.id == granted.award.id
    assert dialect.holds(member_id, badge_id) == []
    [again] = writer.revoke_batch([dialect.revoke(member_id, badge_id)])
    assert (again.outcome, again.condition, again.award, again.replayed) == (
        AwardOutcome.NOT_HELD,
        Drift.NOT_HELD,
        None,
        False,
    )
    [replayed] = writer.revoke_batch([revoke])
    if writer.delivery is Delivery.IDEMPOTENT:
        assert (replayed.outcome, replayed.replayed) == (AwardOutcome.REVOKED, True)
    else:
        assert replayed.outcome is AwardOutcome.NOT_HELD
    assert dialect.holds(member_id, badge_id) == []
    # One award row, revoked: nothing was granted or revoked twice.
    assert dialect.harness.award_rows(badge_id)[member_id] == 1


def test_each_item_says_what_the_server_found(dialect: Dialect) -> None:
    """Member first, then badge, then who holds it; force overrides a suspension or a disabled badge only.

    Where a dialect's server has no such thing (Discourse: no draft or retired badges, no
    deleted members in its lists, grants to suspended members, no grant of a disabled badge
    even forced), the cases follow what it has, as the harness declares.
    """
    harness = dialect.harness
    [(suspended, its_badge)] = dialect.free_pairs(1, member_status=MemberStatus.SUSPENDED)
    listed = {m.id for m in dialect.members(MemberStatus.ACTIVE) + dialect.members(MemberStatus.SUSPENDED)}
    deleted_members = [m.id for m in dialect.members(MemberStatus.DELETED)]
    # A member the server lists as deleted, or else one it never had (gone the same way).
    deleted = deleted_members[0] if deleted_members else max(listed) + 10_000
    [(active, published)] = dialect.free_pairs(1)
    disabled = dialect.badges(BadgeState.DISABLED)[0].id
    unknown_badge = max(b.id for b in dialect.badges(BadgeState.PUBLISHED)) + 10_000
    retired_badges = [
        b.id for s in (BadgeState.DRAFT, BadgeState.DISCONTINUED) for b in dialect.badges(s)[:1]
    ]
    refused = harness.refuses_suspended_members
    suspended_outcome = (
        (AwardOutcome.MEMBER_SUSPENDED, Drift.MEMBER_SUSPENDED) if refused else (AwardOutcome.AWARDED, None)
    )
    cases = [
        ((deleted, published, False), AwardOutcome.NOT_FOUND, Drift.MEMBER_GONE),
        ((active, unknown_badge, False), AwardOutcome.NOT_FOUND, Drift.BADGE_GONE),
        ((active, disabled, False), AwardOutcome.BADGE_NOT_AWARDABLE, Drift.BADGE_DISABLED),
        *(
            ((active, retired, True), AwardOutcome.BADGE_NOT_AWARDABLE, Drift.BADGE_RETIRED)
            for retired in retired_badges
        ),
        # Where two things are wrong, the first in that order is named.
        ((deleted, unknown_badge, False), AwardOutcome.NOT_FOUND, Drift.MEMBER_GONE),
        (
            (suspended, disabled, False),
            *(suspended_outcome if refused else (AwardOutcome.BADGE_NOT_AWARDABLE, Drift.BADGE_DISABLED)),
        ),
        *(
            ((suspended, retired, False), *suspended_outcome)
            for retired in (retired_badges[-1:] if refused else [])
        ),
        # Last: on a server that grants to suspended members, this one is applied.
        ((suspended, its_badge, False), *suspended_outcome),
    ]
    items = [dialect.award(m, b, notify=False, force=force) for (m, b, force), _o, _c in cases]
    results = dialect.send(items)
    assert [(r.outcome, r.condition, r.award is None) for r in results] == [
        (o, c, o is not AwardOutcome.AWARDED) for _i, o, c in cases
    ]
    forced = dialect.send(
        [dialect.award(suspended, its_badge, notify=False, force=True)]
        + (
            []
            if dialect.holds(active, disabled)
            else [dialect.award(active, disabled, notify=False, force=True)]
        )
    )
    expected = [AwardOutcome.AWARDED if refused else AwardOutcome.ALREADY_HELD]
    if len(forced) == 2:
        expected.append(
            AwardOutcome.AWARDED
            if harness.grants_disabled_badges_when_forced
            else AwardOutcome.BADGE_NOT_AWARDABLE
        )
    assert [r.outcome for r in forced] == expected
    revokes = dialect.send([dialect.revoke(deleted, published), dialect.revoke(suspended, its_badge)])
    assert [(r.outcome, r.condition) for r in revokes] == [
        (AwardOutcome.NOT_FOUND, Drift.MEMBER_GONE),
        (AwardOutcome.REVOKED, None),  # a suspension does not stop a revoke
    ]


def test_a_batch_over_the_cap_is_refused_whole_and_one_at_the_cap_goes_through(dialect: Dialect) -> None:
    writer = dialect.session.writer
    cap = writer.batch_cap
    pairs = dialect.free_pairs(cap + 1)
    with pytest.raises(ApiError):
        writer.award_batch([dialect.award(m, b, notify=False) for m, b in pairs])
    assert not any(dialect.holds(m, b) for m, b in pairs[:3])
    results = writer.award_batch([dialect.award(m, b, notify=False) for m, b in pairs[:cap]])
    assert [r.outcome for r in results] == [AwardOutcome.AWARDED] * cap


@pytest.mark.requires("idempotent")
def test_a_key_is_never_reused_for_another_kind_of_action(dialect: Dialect) -> None:
    writer = dialect.session.writer
    [(member_id, badge_id)] = dialect.free_pairs(1)
    shared = key()
    writer.award_batch([AwardItem(shared, member_id, badge_id, notify=False)])
    with pytest.raises(ApiError) as refused:
        writer.revoke_batch([RevokeItem(shared, member_id, badge_id)])
    assert refused.value.status == 422
    assert len(dialect.holds(member_id, badge_id)) == 1


# --- a lost answer: the server applied the request, the answer never arrived ----------------


def send_again(dialect: Dialect, item: AwardItem | RevokeItem) -> ItemResult:
    """What the outbox does with an item whose answer was lost, as the writer's delivery says."""
    writer = dialect.session.writer
    if writer.delivery is Delivery.RECONCILE:
        confirmed = writer.confirm(item)
        if confirmed is not None:
            return confirmed
    if isinstance(item, AwardItem):
        [result] = writer.award_batch([item])
    else:
        [result] = writer.revoke_batch([item])
    return result


def test_a_lost_answer_is_sent_again_by_the_session_and_applied_once(dialect: Dialect) -> None:
    writer = dialect.session.writer
    [(member_id, badge_id)] = dialect.free_pairs(1)
    dialect.hooks.lose_next_answer()
    item = dialect.award(member_id, badge_id, notify=False)
    try:
        [result] = writer.award_batch([item])
    except ServerUnreachable:
        # A session may give up instead of sending again itself (a reconcile writer must).
        result = send_again(dialect, item)
    assert dialect.hooks.lost == 1
    if writer.delivery is Delivery.IDEMPOTENT:
        assert dialect.hooks.requests["award_batch"] >= 2  # sent again with its key
    else:
        # Confirmed by reading the member's badges, never sent a second time.
        assert dialect.hooks.requests["award_batch"] == 1
    assert (result.outcome, result.replayed) == (AwardOutcome.AWARDED, True)
    assert result.award is not None and dialect.holds(member_id, badge_id) == [result.award.id]
    assert dialect.harness.award_rows(badge_id)[member_id] == 1


@pytest.mark.parametrize("kind", ["award", "revoke"])
def test_after_a_lost_answer_the_caller_sends_again_and_it_is_applied_once(
    dialect: Dialect, kind: str
) -> None:
    """The session gives up at once (one attempt): the caller re-sends, as the outbox does after a crash."""
    session = dialect.open(max_attempts=1)
    [(member_id, badge_id)] = dialect.free_pairs(1)
    item: AwardItem | RevokeItem
    if kind == "revoke":
        dialect.session.writer.award_batch([dialect.award(member_id, badge_id, notify=False)])
        item = dialect.revoke(member_id, badge_id)
    else:
        item = dialect.award(member_id, badge_id, notify=False)
    dialect.hooks.lose_next_answer()
    with pytest.raises(ServerUnreachable):
        if isinstance(item, AwardItem):
            session.writer.award_batch([item])
        else:
            session.writer.revoke_batch([item])
    assert dialect.hooks.lost == 1
    result = send_again(dialect, item)
    expected = AwardOutcome.AWARDED if kind == "award" else AwardOutcome.REVOKED
    assert (result.outcome, result.replayed) == (expected, True)
    assert len(dialect.holds(member_id, badge_id)) == (1 if kind == "award" else 0)
    assert dialect.harness.award_rows(badge_id)[member_id] == 1


def test_confirm_says_whether_an_item_is_in_effect(dialect: Dialect) -> None:
    writer = dialect.session.writer
    [(member_id, badge_id)] = dialect.free_pairs(1)
    award = dialect.award(member_id, badge_id, notify=False)
    revoke = dialect.revoke(member_id, badge_id)
    assert writer.confirm(award) is None
    [granted] = writer.award_batch([award])
    confirmed = writer.confirm(award)
    assert confirmed is not None and confirmed.outcome is AwardOutcome.AWARDED and confirmed.replayed
    assert (
        confirmed.award is not None and granted.award is not None and confirmed.award.id == granted.award.id
    )
    assert writer.confirm(revoke) is None
    writer.revoke_batch([revoke])
    gone = writer.confirm(revoke)
    assert gone is not None and gone.outcome is AwardOutcome.REVOKED
    assert writer.confirm(award) is None


def test_a_revoke_tells_the_member_only_when_asked_and_able(dialect: Dialect) -> None:
    """``notify`` on a revoke: one message where the server can tell the member, none otherwise.

    v1 says it can (``revoke_messages``); Discourse cannot (its revoke takes only the
    grant's id and tells no one), nor can the memory server: there the flag changes nothing.
    """
    writer = dialect.session.writer
    can = Capabilities.of(dialect.session).revoke_messages
    assert can == {"badgedesk-v1": True, "discourse": False, "memory": False}[dialect.kind]
    assert writer.sends_revoke_messages is can
    (told, told_badge), (quiet, quiet_badge) = dialect.free_pairs(2)
    dialect.send(
        [dialect.award(told, told_badge, notify=False), dialect.award(quiet, quiet_badge, notify=False)]
    )
    before = {m: dialect.harness.messages_to(m) for m in (told, quiet)}
    revoke = dialect.revoke(told, told_badge, reason="not a winner", notify=True)
    results = dialect.send([revoke, dialect.revoke(quiet, quiet_badge, reason="not a winner")])
    assert [r.outcome for r in results] == [AwardOutcome.REVOKED] * 2
    new = {m: dialect.harness.messages_to(m)[len(before[m]) :] for m in (told, quiet)}
    assert new[quiet] == []
    if can:
        [message] = new[told]
        assert "revoked" in message and "not a winner" in message
    else:
        assert new[told] == []
    # Sent again (a lost answer): the member is not told twice.
    dialect.send([revoke])
    assert dialect.harness.messages_to(told)[len(before[told]) :] == new[told]
