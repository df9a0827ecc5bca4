"""The Discourse connector's award writer: one grant or revoke a request, every outcome, confirm.

FACTS.md § Grants and revokes is the specification: a repeat of a badge
that cannot be held twice answers with the existing grant; a multiple_grant
badge is granted again unless the reason links the same post; ``reason``
must route to a topic or post of this forum; a revoke names the grant's id
and a 404 means it is gone. Discourse has no idempotency keys, so a grant
whose answer was lost is never sent again by the HTTP session: the outbox
asks :meth:`confirm` first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from desktop.dialects.base import AwardItem, RevokeItem
from desktop.dialects.discourse.session import DiscourseSession
from desktop.domain import AwardOutcome, Drift
from desktop.net.errors import ApiError, AuthError, ServerUnreachable
from tests.core.test_discourse_directory import open_session
from tests.fakes.discourse_forum import FakeForum, ForumBadge

LAST_YEAR = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
SPEAKER, HELPER, RETIRED = 100, 101, 102  # once only; multiple_grant; disabled
ALICE, BOB = 21, 22


@pytest.fixture()
def forum() -> FakeForum:
    forum = FakeForum.seeded(
        20,
        [
            ForumBadge(SPEAKER, "Conference Speaker"),
            ForumBadge(HELPER, "Helper", multiple_grant=True),
            ForumBadge(RETIRED, "Retired", enabled=False),
        ],
    )
    forum.topics.add(55)
    return forum


@pytest.fixture()
def session(forum: FakeForum) -> Iterator[DiscourseSession]:
    with open_session(forum) as session:
        yield session


def award(member: int, badge: int, reason: str = "", username: str | None = None) -> AwardItem:
    name = f"user{member}" if username is None else username
    return AwardItem(f"key-{member}-{badge}", member, badge, reason=reason, username=name)


def revoke(member: int, badge: int, award_id: int | None, username: str | None = None) -> RevokeItem:
    name = f"user{member}" if username is None else username
    return RevokeItem(f"rev-{member}-{badge}", member, badge, username=name, award_id=award_id)


def sent_bodies(forum: FakeForum) -> list[dict[str, object]]:
    return [json.loads(r.content) for r in forum.sent("POST", "/user_badges")]


# --- grants -------------------------------------------------------------------------------


def test_a_new_grant_is_awarded_by_the_acting_moderator(forum: FakeForum, session: DiscourseSession) -> None:
    [result] = session.award_batch([award(3, SPEAKER)])
    assert (result.outcome, result.replayed, result.condition) == (AwardOutcome.AWARDED, False, None)
    [grant] = forum.held(3, SPEAKER)
    assert result.award is not None
    assert (result.award.id, result.award.member_id, result.award.badge_id) == (grant.id, 3, SPEAKER)
    assert result.award.granted_by == "Alice Moderator"
    assert sent_bodies(forum) == [{"username": "user3", "badge_id": SPEAKER}]


def test_a_badge_already_held_is_not_granted_again_and_says_by_whom_and_when(
    forum: FakeForum, session: DiscourseSession
) -> None:
    old = forum.grant(3, SPEAKER, by=BOB, at=LAST_YEAR)
    [result] = session.award_batch([award(3, SPEAKER)])
    assert (result.outcome, result.condition) == (AwardOutcome.ALREADY_HELD, Drift.ALREADY_HELD)
    assert result.award is not None
    assert (result.award.id, result.award.granted_by, result.award.granted_at) == (
        old.id,
        "Bob Moderator",
        LAST_YEAR,
    )
    assert forum.held(3, SPEAKER) == [old]


def test_a_grant_the_acting_moderator_made_moments_ago_elsewhere_is_already_held(
    forum: FakeForum, session: DiscourseSession
) -> None:
    # Alice granted it a second ago from the forum's admin page: the same giver, but
    # older than this request, by the forum's own clock.
    forum.grant(3, SPEAKER, by=ALICE, at=datetime.now(UTC) - timedelta(seconds=5))
    [result] = session.award_batch([award(3, SPEAKER)])
    assert result.outcome is AwardOutcome.ALREADY_HELD


def test_a_multiple_grant_badge_the_member_holds_is_not_granted_again(
    forum: FakeForum, session: DiscourseSession
) -> None:
    # Discourse would grant it a second time; BadgeDesk never awards a badge the member holds,
    # so the member's badges are read first for a badge that can be held several times.
    old = forum.grant(3, HELPER, by=BOB, at=LAST_YEAR)
    [result] = session.award_batch([award(3, HELPER)])
    assert (result.outcome, result.condition) == (AwardOutcome.ALREADY_HELD, Drift.ALREADY_HELD)
    assert result.award is not None and (result.award.id, result.award.granted_by) == (
        old.id,
        "Bob Moderator",
    )
    assert forum.held(3, HELPER) == [old] and forum.count("POST") == 0


def test_a_multiple_grant_badge_the_member_lacks_is_checked_then_granted(
    forum: FakeForum, session: DiscourseSession
) -> None:
    [result] = session.award_batch([award(3, HELPER)])
    assert result.outcome is AwardOutcome.AWARDED and len(forum.held(3, HELPER)) == 1
    assert (forum.count("GET", "/user-badges/user3"), forum.count("POST")) == (1, 1)
    # A badge that cannot be held twice needs no check: Discourse answers with the grant held.
    session.award_batch([award(4, SPEAKER)])
    assert forum.count("GET", "/user-badges/user4") == 0


def test_a_repeat_in_the_same_session_is_already_held_however_soon(
    forum: FakeForum, session: DiscourseSession
) -> None:
    [first] = session.award_batch([award(3, SPEAKER)])
    [again] = session.award_batch([AwardItem("another-key", 3, SPEAKER, username="user3")])
    assert (first.outcome, again.outcome) == (AwardOutcome.AWARDED, AwardOutcome.ALREADY_HELD)
    assert again.award is not None and first.award is not None and again.award.id == first.award.id


def test_with_a_moderators_key_every_grant_is_checked_first(forum: FakeForum) -> None:
    # A moderator cannot read the badge list, so whether a badge may be held twice is unknown.
    with open_session(forum, "bob") as session:
        [result] = session.award_batch([award(3, SPEAKER)])
    assert result.outcome is AwardOutcome.AWARDED and result.award is not None
    assert result.award.granted_by == "Bob Moderator"
    assert forum.count("GET", "/user-badges/user3") == 1


def test_a_multiple_grant_badge_for_the_same_post_is_held_already(
    forum: FakeForum, session: DiscourseSession
) -> None:
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    forum.clock = lambda: an_hour_ago  # Alice approved it an hour ago ...
    [first] = session.award_batch([award(3, HELPER, reason="/t/talk/55/2")])
    forum.clock = lambda: datetime.now(UTC)  # ... and again now: the same post
    [again] = session.award_batch(
        [AwardItem("another-key", 3, HELPER, reason="/t/talk/55/2", username="user3")]
    )
    assert (first.outcome, again.outcome) == (AwardOutcome.AWARDED, AwardOutcome.ALREADY_HELD)
    assert first.award is not None and again.award is not None and again.award.id == first.award.id
    assert len(forum.held(3, HELPER)) == 1


@pytest.mark.parametrize(
    ("reason", "sent"),
    [
        ("/t/talk/55", "/t/talk/55"),
        ("/t/55/3", "/t/55/3"),
        ("https://forum.test/t/talk/55/2", "https://forum.test/t/talk/55/2"),
        ("  /p/55002 ", "/p/55002"),
        ("Spoke at FOSDEM 2025", None),  # free text: Discourse refuses it (400)
        ("https://elsewhere.example/t/talk/55", None),  # another site
        ("/about", None),  # this forum, but not a topic or post
        ("//forum.test/t/x/55", None),
        ("", None),
    ],
)
def test_only_a_reason_that_links_a_topic_or_post_of_this_forum_is_sent(
    forum: FakeForum, session: DiscourseSession, reason: str, sent: str | None
) -> None:
    [result] = session.award_batch([award(3, SPEAKER, reason=reason)])
    assert result.outcome is AwardOutcome.AWARDED
    [body] = sent_bodies(forum)
    assert body.get("reason") == sent


def test_without_the_username_the_member_is_looked_up_by_id_first(
    forum: FakeForum, session: DiscourseSession
) -> None:
    [result] = session.award_batch([award(7, SPEAKER, username="")])
    assert result.outcome is AwardOutcome.AWARDED and len(forum.held(7, SPEAKER)) == 1
    assert forum.count("GET", "/admin/users/7") == 1


def test_a_member_renamed_since_the_last_sync_is_found_by_id(
    forum: FakeForum, session: DiscourseSession
) -> None:
    forum.users[7].username = "seven"
    [result] = session.award_batch([award(7, SPEAKER)])  # the cache still says user7
    assert result.outcome is AwardOutcome.AWARDED and len(forum.held(7, SPEAKER)) == 1
    assert [b["username"] for b in sent_bodies(forum)] == ["user7", "seven"]


def test_a_member_gone_from_the_forum_is_not_found(forum: FakeForum, session: DiscourseSession) -> None:
    forum.delete_user(7)
    for item in (award(7, SPEAKER), award(7, SPEAKER, username="")):
        [result] = session.award_batch([item])
        assert (result.outcome, result.condition, result.award) == (
            AwardOutcome.NOT_FOUND,
            Drift.MEMBER_GONE,
            None,
        )


def test_a_disabled_badge_cannot_be_awarded(forum: FakeForum, session: DiscourseSession) -> None:
    [result] = session.award_batch([award(3, RETIRED)])
    assert (result.outcome, result.condition) == (AwardOutcome.BADGE_NOT_AWARDABLE, Drift.BADGE_DISABLED)
    assert forum.held(3, RETIRED) == []


def test_a_disabled_badge_the_member_holds_is_disabled_first(
    forum: FakeForum, session: DiscourseSession
) -> None:
    forum.badges[HELPER].enabled = False
    forum.grant(3, HELPER, at=LAST_YEAR)
    [result] = session.award_batch([award(3, HELPER)])
    assert (result.outcome, result.condition) == (AwardOutcome.BADGE_NOT_AWARDABLE, Drift.BADGE_DISABLED)


def test_a_deleted_badge_is_not_found(forum: FakeForum, session: DiscourseSession) -> None:
    del forum.badges[SPEAKER]
    [result] = session.award_batch([award(3, SPEAKER)])
    assert (result.outcome, result.condition) == (AwardOutcome.NOT_FOUND, Drift.BADGE_GONE)


def test_a_moderator_cannot_tell_a_disabled_badge_from_a_deleted_one(forum: FakeForum) -> None:
    with open_session(forum, "bob") as session:
        [result] = session.award_batch([award(3, RETIRED)])
    # The badge list is admin-only: the forum only said 404, and the user decides.
    assert (result.outcome, result.condition) == (AwardOutcome.BADGE_NOT_AWARDABLE, None)


def test_an_unexpected_404_with_member_and_badge_present_is_an_error(
    forum: FakeForum, session: DiscourseSession
) -> None:
    forum.refuse_next("POST", "/user_badges", 404, {"errors": ["Not found"], "error_type": "not_found"})
    with pytest.raises(ApiError, match="badges may be turned off"):
        session.award_batch([award(3, SPEAKER)])
    assert forum.held(3, SPEAKER) == []


def test_a_refused_reason_is_reported_in_discourses_words(
    forum: FakeForum, session: DiscourseSession
) -> None:
    message = "Reason must be a link to a post or topic on this site."
    forum.refuse_next("POST", "/user_badges", 400, {"failed": "FAILED", "message": message})
    with pytest.raises(ApiError, match=message) as refused:
        session.award_batch([award(3, SPEAKER, reason="/t/talk/55")])
    assert refused.value.status == 400


def test_a_key_that_may_not_grant_is_an_auth_error(forum: FakeForum) -> None:
    forum.users[20].admin = False
    with open_session(forum, "user20") as session, pytest.raises(AuthError, match="user20"):
        session.award_batch([award(3, SPEAKER)])


def test_one_member_a_request(session: DiscourseSession) -> None:
    with pytest.raises(ApiError, match="one member per request"):
        session.award_batch([award(3, SPEAKER), award(4, SPEAKER)])


def test_a_lost_grant_answer_is_not_sent_again_by_the_http_session(
    forum: FakeForum, session: DiscourseSession
) -> None:
    forum.lose_next("POST", "/user_badges")
    with pytest.raises(ServerUnreachable):
        session.award_batch([award(3, HELPER)])
    assert forum.count("POST", "/user_badges") == 1 and len(forum.held(3, HELPER)) == 1


def test_a_lost_revoke_answer_is_not_sent_again_either(forum: FakeForum, session: DiscourseSession) -> None:
    grant = forum.grant(3, SPEAKER)
    forum.lose_next("DELETE", "/user_badges/")
    with pytest.raises(ServerUnreachable):
        session.revoke_batch([revoke(3, SPEAKER, grant.id)])
    assert forum.count("DELETE") == 1 and forum.held(3, SPEAKER) == []


# --- revokes ------------------------------------------------------------------------------


def test_a_revoke_deletes_the_grant_it_names(forum: FakeForum, session: DiscourseSession) -> None:
    first = forum.grant(3, HELPER, at=LAST_YEAR)
    second = forum.grant(3, HELPER)
    [result] = session.revoke_batch([revoke(3, HELPER, first.id)])
    assert (result.outcome, result.replayed) == (AwardOutcome.REVOKED, False)
    assert forum.held(3, HELPER) == [second]


def test_a_grant_already_gone_is_not_held(forum: FakeForum, session: DiscourseSession) -> None:
    [result] = session.revoke_batch([revoke(3, SPEAKER, 987654)])
    assert (result.outcome, result.condition) == (AwardOutcome.NOT_HELD, Drift.NOT_HELD)


def test_a_revoke_without_the_grants_id_finds_it_among_the_members_badges(
    forum: FakeForum, session: DiscourseSession
) -> None:
    forum.grant(3, HELPER, at=LAST_YEAR)
    newest = forum.grant(3, HELPER)
    forum.grant(3, SPEAKER)
    [result] = session.revoke_batch([revoke(3, HELPER, None)])
    assert result.outcome is AwardOutcome.REVOKED
    # Found among the member's badges, the grant revoked is named in the result.
    assert result.award is not None and (result.award.id, result.award.badge_id) == (newest.id, HELPER)
    assert [g.badge_id for g in forum.grants if g.user_id == 3].count(HELPER) == 1
    assert newest not in forum.grants  # the newest grant, as the cache would name it
    [none] = session.revoke_batch([revoke(4, HELPER, None)])
    assert (none.outcome, none.condition) == (AwardOutcome.NOT_HELD, Drift.NOT_HELD)
    assert forum.count("DELETE") == 1


def test_a_revoke_for_a_member_gone_is_a_no_op(forum: FakeForum, session: DiscourseSession) -> None:
    forum.delete_user(7)
    [result] = session.revoke_batch([revoke(7, SPEAKER, None)])
    assert (result.outcome, result.condition) == (AwardOutcome.NOT_FOUND, Drift.MEMBER_GONE)


# --- confirm ------------------------------------------------------------------------------


def test_confirm_says_whether_an_award_is_in_effect(forum: FakeForum, session: DiscourseSession) -> None:
    assert session.confirm(award(3, SPEAKER)) is None
    grant = forum.grant(3, SPEAKER, by=BOB)
    result = session.confirm(award(3, SPEAKER))
    assert result is not None and (result.outcome, result.replayed) == (AwardOutcome.AWARDED, True)
    assert result.award is not None and (result.award.id, result.award.granted_by) == (
        grant.id,
        "Bob Moderator",
    )
    assert result.idempotency_key == "key-3-100"


def test_confirm_says_whether_a_revoke_is_done(forum: FakeForum, session: DiscourseSession) -> None:
    grant = forum.grant(3, HELPER)
    other = forum.grant(3, HELPER)
    assert session.confirm(revoke(3, HELPER, grant.id)) is None
    assert session.confirm(revoke(3, HELPER, None)) is None
    forum.grants.remove(grant)
    done = session.confirm(revoke(3, HELPER, grant.id))
    assert done is not None and (done.outcome, done.replayed) == (AwardOutcome.REVOKED, True)
    assert session.confirm(revoke(3, HELPER, None)) is None  # another grant of it is still held
    forum.grants.remove(other)
    assert session.confirm(revoke(3, HELPER, None)) is not None


def test_confirm_of_a_member_gone(forum: FakeForum, session: DiscourseSession) -> None:
    forum.delete_user(7)
    assert session.confirm(award(7, SPEAKER)) is None  # not in effect: the send will say why
    gone = session.confirm(revoke(7, SPEAKER, 5))
    assert gone is not None and (gone.outcome, gone.condition) == (AwardOutcome.NOT_FOUND, Drift.MEMBER_GONE)
