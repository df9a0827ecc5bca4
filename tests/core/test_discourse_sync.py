"""The real sync service reading a Discourse forum through the connector: a first sync, then a snapshot pass.

Discourse has no change feed, so a snapshot pass reads the forum again and
sweeps what it did not see (``desktop/sync/snapshot.py``); later syncs in
between are in ``test_discourse_later_sync.py``. This
checks that the connector's pages and cursors carry a real sync to the end
and that the cache then mirrors the forum.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.sync import SyncService, stored_capabilities
from tests.core.test_discourse_directory import open_session
from tests.fakes.discourse_forum import FakeForum, ForumBadge, ForumUser


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    yield cache
    cache.close()


def rows(cache: Cache, sql: str) -> set[tuple[object, ...]]:
    with cache.read() as connection:
        return {tuple(r) for r in connection.exec_driver_sql(sql)}


def sync(cache: Cache, forum: FakeForum, *, snapshot: bool = False) -> None:
    with open_session(forum) as session:
        SyncService(cache, session).run(snapshot=snapshot)


def test_a_first_sync_then_a_pass_mirror_the_forum(cache: Cache) -> None:
    forum = FakeForum.seeded(
        230,
        [
            ForumBadge(100, "Speaker", badge_type_id=1),
            ForumBadge(101, "Helper"),
            ForumBadge(102, "Old", enabled=False),
            ForumBadge(103, "Thanks", multiple_grant=True),
        ],
    )
    for member in range(1, 121):
        forum.grant(member, 101)
    forum.grant(1, 101)  # a second grant of a badge held once: the cache keeps one row
    forum.grant(2, 103)
    forum.grant(2, 103)  # a badge held several times: each grant is a row of its own
    forum.grant(5, 100, by=232)
    forum.users[9].suspended = True
    sync(cache, forum)

    assert len(rows(cache, "SELECT id FROM members")) == 232  # 230, alice and bob; no bots
    assert rows(cache, "SELECT status FROM members WHERE id = 9") == {("suspended",)}
    assert rows(cache, "SELECT id, tier, state FROM badges") == {
        (100, "gold", "published"),
        (101, "bronze", "published"),
        (102, "bronze", "disabled"),
        (103, "bronze", "published"),
    }
    assert rows(cache, "SELECT id FROM badges WHERE multiple_grant") == {(103,)}
    assert len(rows(cache, "SELECT id FROM awards WHERE badge_id = 103 AND member_id = 2")) == 2
    assert len(rows(cache, "SELECT id FROM awards WHERE badge_id = 101")) == 120
    assert rows(cache, "SELECT member_id, granted_by FROM awards WHERE badge_id = 100") == {
        (5, "Bob Moderator")
    }
    caps = stored_capabilities(cache.sync_state())
    assert caps is not None and caps == Capabilities(
        kind="discourse",
        changes_feed=False,
        requests=False,
        badge_editing=True,
        edit_conflicts=False,
        messages=True,
        award_messages=True,
        delivery=Delivery.RECONCILE,
        batch_cap=1,
        messages_apart=True,
        mass_award_cap=50_000,
        holders_per_request=50,
        # Discourse keeps no draft badges and no award messages: BadgeDesk keeps both here.
        local_drafts=True,
        local_award_messages=True,
        # An admin's key: the group check can change the forum's groups.
        group_editing=True,
        # The user list carries trust levels and post counts: rules may use them.
        member_activity=True,
        # A member's forum profile, for "Open on the server".
        profile_url="https://forum.test/u/{username}",
        # A grant's reason is kept only as a link to a post or topic (recognition programs).
        link_reasons=True,
        # The program sources it can read (desktop.dialects.activity).
        activity_sources=("leaderboard", "liked_posts", "topic_posters", "window_posters"),
        # What its leaderboards rank by: this forum's directory has no Solved column.
        activity_measures=("days_visited", "likes_received", "replies", "topics"),
        # Members by single sign-on id (a list source's column of external ids).
        external_ids=True,
    )

    # Meanwhile on the forum: a grant revoked, a member deleted, one joined, a new grant.
    forum.grants.remove(forum.held(7, 101)[0])
    forum.delete_user(8)
    forum.add_user(ForumUser(500, "newcomer", "New Comer", "new@example.org", forum.users[230].created_at))
    forum.grant(500, 100)
    sync(cache, forum, snapshot=True)

    members = {i for (i,) in rows(cache, "SELECT id FROM members")}
    assert 8 not in members and 500 in members and len(members) == 232
    holders = {m for (m,) in rows(cache, "SELECT member_id FROM awards WHERE badge_id = 101")}
    assert 7 not in holders and len(holders) == 118  # 8's award went with them
    assert rows(cache, "SELECT member_id FROM awards WHERE badge_id = 100") == {(5,), (500,)}
