"""The real outbox sending to the Discourse connector: exactly once without idempotency keys.

Discourse applies a repeated grant of a ``multiple_grant`` badge as a new
grant. When the answer to a grant is lost after the forum applied it, the
HTTP session does not send it again; the outbox asks the connector's
``confirm`` (the member's badges) and records the grant it finds. The
member ends with one grant.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.cache.database import Cache
from desktop.domain import ActionState, Award
from desktop.drift import noop_text
from desktop.outbox import Outbox, RetryPolicy
from tests.core.test_discourse_directory import open_session
from tests.core.test_outbox import cache as cache  # the fixture: members user1..user20, badges 1 and 2
from tests.fakes.discourse_forum import FakeForum, ForumBadge

RETRY = RetryPolicy(attempts=3, first_delay=0.0)
MULTIPLE, ONCE = 1, 2
BOB = 22


@pytest.fixture()
def forum() -> Iterator[FakeForum]:
    yield FakeForum.seeded(
        20, [ForumBadge(MULTIPLE, "Badge 1", multiple_grant=True), ForumBadge(ONCE, "Badge 2")]
    )


def test_a_grant_whose_answer_was_lost_is_confirmed_not_granted_twice(cache: Cache, forum: FakeForum) -> None:
    outbox = Outbox(cache)
    [action] = outbox.queue_awards([3], MULTIPLE, notify=False)  # no award message: grants only
    forum.lose_next("POST", "/user_badges")
    with open_session(forum) as session:
        report = outbox.send_pending(session, retry=RETRY)
    assert len(forum.held(3, MULTIPLE)) == 1  # applied once, although its answer never arrived
    assert forum.count("POST", "/user_badges") == 1
    # The check before the grant (a badge that can be held several times), then the confirmation.
    assert forum.count("GET", "/user-badges/user3") == 2
    [done] = outbox.actions()
    assert done.id == action.id and done.state is ActionState.DONE and done.outcome == "awarded"
    assert done.result is not None and done.result["replayed"] and report.applied == 1


def test_grants_whose_answers_arrive_are_sent_once_each_and_never_confirmed(
    cache: Cache, forum: FakeForum
) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1, 2, 3], ONCE, notify=False)
    with open_session(forum) as session:
        report = outbox.send_pending(session, retry=RETRY)
    assert report.applied == 3 and forum.count("POST", "/user_badges") == 3
    assert forum.count("GET", "/user-badges/") == 0
    assert [len(forum.held(m, ONCE)) for m in (1, 2, 3)] == [1, 1, 1]


def test_a_revoke_whose_answer_was_lost_is_confirmed_by_the_grant_being_gone(
    cache: Cache, forum: FakeForum
) -> None:
    grant = forum.grant(5, ONCE)
    with cache.write() as connection:  # the cache knows the grant, as after a sync
        Cache.upsert_awards(connection, [Award(grant.id, 5, ONCE, grant.granted_at, "system", "")])
    outbox = Outbox(cache)
    outbox.queue_revokes([5], ONCE)
    forum.lose_next("DELETE", "/user_badges/")
    with open_session(forum) as session:
        outbox.send_pending(session, retry=RETRY)
    assert forum.held(5, ONCE) == [] and forum.count("DELETE") == 1
    assert str(forum.sent("DELETE", "/user_badges/")[0].url.path) == f"/user_badges/{grant.id}.json"
    [done] = outbox.actions()
    assert (done.state, done.outcome) == (ActionState.DONE, "revoked")


def test_a_badge_already_held_ends_as_a_no_op_saying_who_granted_it(cache: Cache, forum: FakeForum) -> None:
    from datetime import UTC, datetime

    forum.grant(4, ONCE, by=BOB, at=datetime(2025, 3, 4, 5, 6, tzinfo=UTC))
    outbox = Outbox(cache)
    outbox.queue_awards([4], ONCE, notify=False)
    with open_session(forum) as session:
        report = outbox.send_pending(session, retry=RETRY)
    [done] = outbox.actions()
    assert report.noop == 1 and len(forum.held(4, ONCE)) == 1
    assert noop_text(done.outcome, done.result) == (
        "the member already holds the badge: granted by Bob Moderator on 2025-03-04 05:06 UTC"
    )
