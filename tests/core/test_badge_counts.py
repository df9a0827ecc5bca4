"""Members' maintained badge counts (badges held, then grants): right after every kind of write,
and the badge-count order they give, in both directions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from desktop.cache import database
from desktop.cache.database import KEY_COUNTS_DEFERRED, Cache
from desktop.cache.storage import _MIRROR_MIGRATIONS, _alembic_config
from desktop.dialects.base import RevokeItem
from desktop.domain import Award
from desktop.member_search import MemberQuery, MemberSearch, SortKey, held_counts
from desktop.net.errors import ServerUnreachable
from desktop.outbox import Outbox
from desktop.sync import SyncService
from tests.core.feedless_server import FeedlessServer, award
from tests.core.test_cache import T0, badge, member
from tests.core.test_discourse_directory import open_session
from tests.fakes.discourse_forum import FakeForum, ForumBadge
from tests.fakes.memory_community import MemoryCommunity
from tests.fakes.memory_dialect import MemorySession
from tests.fakes.memory_server import MemoryServer

#: FeedlessServer's members' (badges, grants).
FEEDLESS_COUNTS = {1: (2, 2), 2: (1, 1), 3: (1, 1), 4: (1, 1), 5: (1, 1), 6: (1, 1), 7: (1, 1)}


def kept(cache: Cache) -> dict[int, tuple[int, int]]:
    """Member id → (badge_count, grant_count) as the members' columns hold them (zeros left out)."""
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id, badge_count, grant_count FROM members WHERE badge_count OR grant_count"
        )
        return {int(i): (int(b), int(g)) for i, b, g in rows}


def counted(cache: Cache) -> dict[int, tuple[int, int]]:
    """The same, counted from the awards of members the mirror has."""
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT member_id, count(DISTINCT badge_id), count(*) FROM awards"
            " WHERE member_id IN (SELECT id FROM members) GROUP BY member_id"
        )
        return {int(i): (int(b), int(g)) for i, b, g in rows}


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    yield cache
    cache.close()


def test_a_full_sync_then_incremental_awards_and_revokes_keep_the_counts(cache: Cache) -> None:
    server = MemoryServer(MemoryCommunity.seeded(300, 3))
    with MemorySession(server) as session:
        SyncService(cache, session, page_size=50).run()
        before = kept(cache)
        assert before == counted(cache)
        assert len(before) > 100
        badge_ids = [b.id for b in server.read().badges_page(None, 100).items]
        with cache.read() as connection:
            # One member gets a badge they lack; another loses one they hold once.
            gainer, lacking = connection.exec_driver_sql(
                "SELECT m.id, b.id FROM members m, badges b WHERE m.badge_count > 0 AND NOT EXISTS"
                " (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = b.id) LIMIT 1"
            ).one()
            loser, held = connection.exec_driver_sql(
                "SELECT member_id, badge_id FROM awards WHERE member_id != ?"
                " GROUP BY member_id, badge_id HAVING count(*) = 1 LIMIT 1",
                (gainer,),
            ).one()
        assert lacking in badge_ids
        server.grant(gainer, lacking)
        server.change("revoke_batch", [RevokeItem("revoke-test-1", loser, held)])
        result = SyncService(cache, session, page_size=50).run()
        assert not result.full
    after = kept(cache)
    assert after[gainer] == (before[gainer][0] + 1, before[gainer][1] + 1)
    assert after.get(loser, (0, 0)) == (before[loser][0] - 1, before[loser][1] - 1)
    assert after == counted(cache)


def test_a_full_sync_interrupted_among_the_awards_counts_them_all_when_resumed(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = FeedlessServer()

    def fail_third_awards_page(kind: str, cursor: str | None) -> None:
        if kind == "awards" and cursor is not None and int(cursor) >= 4:
            raise ServerUnreachable("gone")

    server.trap = fail_third_awards_page
    monkeypatch.setattr(database, "RECOUNT_MEMBERS", 3)
    with pytest.raises(ServerUnreachable):
        SyncService(cache, server, page_size=2).run()
    assert KEY_COUNTS_DEFERRED in cache.sync_state()
    server.trap = None
    SyncService(cache, server, page_size=2).run()
    assert KEY_COUNTS_DEFERRED not in cache.sync_state()
    assert (
        kept(cache)
        == counted(cache)
        == {1: (2, 2), 2: (1, 1), 3: (1, 1), 4: (1, 1), 5: (1, 1), 6: (1, 1), 7: (1, 1)}
    )
    # Counting award by award again.
    with cache.write() as connection:
        Cache.delete_awards(connection, [1])
    assert kept(cache)[1] == (1, 1)


def test_a_recount_goes_a_range_of_members_at_a_time_while_the_rest_waits(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "RECOUNT_MEMBERS", 2)
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 6)])
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        Cache.defer_badge_counts(connection)
        Cache.upsert_awards(connection, [Award(10 + i, i, 1, T0, "A", "") for i in range(1, 6)])
    assert kept(cache) == {}
    with cache.write() as connection:
        assert Cache.recount_badges(connection)  # members 1 and 2
    assert kept(cache) == {1: (1, 1), 2: (1, 1)}
    with cache.write() as connection:
        # Counted at once for a member already recounted; left to the recount for the others.
        Cache.upsert_awards(connection, [Award(21, 1, 2, T0, "A", ""), Award(24, 4, 2, T0, "A", "")])
    assert kept(cache) == {1: (2, 2), 2: (1, 1)}
    with cache.write() as connection:
        assert Cache.recount_badges(connection)  # 3 and 4
        assert not Cache.recount_badges(connection)  # 5, the last
    assert KEY_COUNTS_DEFERRED not in cache.sync_state()
    assert kept(cache) == counted(cache) == {1: (2, 2), 2: (1, 1), 3: (1, 1), 4: (2, 2), 5: (1, 1)}
    with cache.write() as connection:
        Cache.delete_awards(connection, [15])
    assert 5 not in kept(cache)


def test_several_grants_of_one_badge_count_once_as_a_badge(cache: Cache) -> None:
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1), member(2)])
        Cache.upsert_badges(connection, [replace(badge(1), multiple_grant=True), badge(2)])
        Cache.upsert_awards(
            connection,
            [Award(10, 1, 1, T0, "A", ""), Award(11, 1, 1, T0, "A", ""), Award(12, 1, 2, T0, "A", "")],
        )
    assert kept(cache) == {1: (2, 3)}
    with cache.write() as connection:
        # A page stored again (a resumed sync), and a re-award of a badge held once.
        Cache.upsert_awards(connection, [Award(10, 1, 1, T0, "A", ""), Award(11, 1, 1, T0, "A", "")])
        Cache.upsert_awards(connection, [Award(13, 1, 2, T0, "B", "again")])
    assert kept(cache) == {1: (2, 3)}
    with cache.write() as connection:
        Cache.delete_awards(connection, [10])
    assert kept(cache) == {1: (2, 2)}
    with cache.write() as connection:
        Cache.delete_awards(connection, [11])
    assert kept(cache) == {1: (1, 1)}
    with cache.write() as connection:
        # An award moved to another member and badge by the server (same id).
        Cache.upsert_awards(connection, [Award(13, 2, 1, T0, "B", "")])
    assert kept(cache) == {2: (1, 1)}
    assert held_counts(cache, [1, 2]) == {2: (1, 1)}


def test_several_grants_of_a_badge_held_once_in_one_page_keep_the_newest(cache: Cache) -> None:
    # A forum that stopped allowing several grants of a badge still lists its holders' older ones.
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1), member(2)])
        Cache.upsert_badges(connection, [badge(1)])
        Cache.upsert_awards(connection, [Award(21, 2, 1, T0, "A", ""), Award(20, 2, 1, T0, "A", "")])
    with cache.read() as connection:
        held = connection.exec_driver_sql("SELECT id FROM awards WHERE member_id = 2").fetchall()
    assert held == [(21,)]
    assert kept(cache) == counted(cache) == {2: (1, 1)}


def test_awards_stored_before_their_member_are_counted_when_the_member_arrives(cache: Cache) -> None:
    with cache.write() as connection:
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        Cache.upsert_awards(connection, [Award(10, 7, 1, T0, "A", ""), Award(11, 7, 2, T0, "A", "")])
        Cache.upsert_members(connection, [member(7)])
        # The member listed again keeps its counts.
        Cache.upsert_members(connection, [member(7, "Renamed")])
    assert kept(cache) == {7: (2, 2)}


def test_sent_awards_and_revokes_confirmed_by_the_server_change_the_counts(cache: Cache) -> None:
    members = [member(i) for i in range(1, 4)]
    with cache.write() as connection:
        Cache.upsert_members(connection, members)
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        Cache.set_preferences(connection, {"me.name": "Alice Moderator"})
    server = MemoryServer(MemoryCommunity.of(members=members, badges=[badge(1), badge(2)]))
    outbox = Outbox(cache)
    with MemorySession(server) as session:
        outbox.queue_awards([1, 2], 1)
        outbox.queue_awards([1], 2)
        assert kept(cache) == {}  # queued only: nothing is held before the server says so
        outbox.send_pending(session, batch_cap=5)
        assert kept(cache) == {1: (2, 2), 2: (1, 1)}
        outbox.queue_revokes([1], 1)
        outbox.send_pending(session, batch_cap=5)
    assert kept(cache) == {1: (1, 1), 2: (1, 1)}


def test_a_snapshot_pass_counts_new_awards_and_sweeps_of_awards_and_members(cache: Cache) -> None:
    server = FeedlessServer()
    SyncService(cache, server, page_size=2).run()
    assert kept(cache) == FEEDLESS_COUNTS
    # Member 1 deleted with its two awards, member 3's award revoked, member 2 awarded another badge.
    del server.rows["members"][1]
    del server.rows["awards"][1], server.rows["awards"][2], server.rows["awards"][4]
    server.rows["awards"][9] = award(9, 2, 2)
    assert SyncService(cache, server, page_size=2).run().full
    assert kept(cache) == {2: (2, 2), 4: (1, 1), 5: (1, 1), 6: (1, 1), 7: (1, 1)}
    assert kept(cache) == counted(cache)


def test_a_resync_builds_a_mirror_with_the_counts(cache: Cache) -> None:
    server = MemoryServer(MemoryCommunity.seeded(120, 5))
    with MemorySession(server) as session:
        SyncService(cache, session, page_size=40).run()
        with cache.write() as connection:
            # Counts gone wrong in the old mirror, then a position the server refuses.
            connection.exec_driver_sql("UPDATE members SET badge_count = 99, grant_count = 99")
            Cache.set_sync_state(connection, {"changes.cursor": "999999"})
        assert SyncService(cache, session, page_size=40).run().full
    assert kept(cache) == counted(cache) != {}
    assert max(badges for badges, _grants in kept(cache).values()) < 99


def test_migrating_an_existing_cache_fills_the_counts(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    cache.close()
    # A mirror as the revision before kept it.
    engine = create_engine(f"sqlite:///{cache.mirror_path}")
    with engine.begin() as connection:
        command.downgrade(_alembic_config(_MIRROR_MIGRATIONS, connection), "0010")
        connection.exec_driver_sql(
            "INSERT INTO members (id, username, display_name, email, joined_at, status)"
            " VALUES (1, 'a', 'A', 'a@x', 0, 'active'), (2, 'b', 'B', 'b@x', 0, 'active'),"
            " (3, 'c', 'C', 'c@x', 0, 'active')"
        )
        connection.exec_driver_sql(
            "INSERT INTO awards (id, member_id, badge_id, granted_at, granted_by)"
            " VALUES (1, 1, 5, 0, 'x'), (2, 1, 5, 0, 'x'), (3, 1, 6, 0, 'x'), (4, 3, 6, 0, 'x')"
        )
    engine.dispose()
    cache = Cache(tmp_path / "c")  # upgrades to head
    assert kept(cache) == {1: (2, 3), 3: (1, 1)}
    with cache.write() as connection:
        Cache.delete_awards(connection, [4])
    assert kept(cache) == {1: (2, 3)}
    cache.close()


@pytest.mark.parametrize(
    ("descending", "expected"),
    [(False, [1, 4, 6, 3, 5, 2]), (True, [2, 5, 3, 6, 4, 1])],
)
@pytest.mark.parametrize("counting", [False, True])
def test_sorting_by_badge_count_then_grants_breaks_ties_by_id(
    cache: Cache, descending: bool, expected: list[int], counting: bool
) -> None:
    """Descending is ascending reversed, ties included; also while a first sync is counting."""
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 7)])
        Cache.upsert_badges(connection, [replace(badge(1), multiple_grant=True), badge(2), badge(3)])
        Cache.upsert_awards(
            connection,
            [
                # 2: three badges; 3 and 5: two badges, 5 with one granted twice; 6: one.
                *(Award(20 + b, 2, b, T0, "A", "") for b in (1, 2, 3)),
                Award(30, 3, 1, T0, "A", ""),
                Award(31, 3, 2, T0, "A", ""),
                Award(50, 5, 1, T0, "A", ""),
                Award(51, 5, 1, T0, "A", ""),
                Award(52, 5, 2, T0, "A", ""),
                Award(60, 6, 3, T0, "A", ""),
            ],
        )
    if counting:
        # A first sync stopped among its awards: the triggers left the counts alone since.
        with cache.write() as connection:
            Cache.defer_badge_counts(connection)
            Cache.upsert_awards(connection, [Award(40, 4, 3, T0, "A", "")])
            Cache.delete_awards(connection, [40])
            connection.exec_driver_sql("UPDATE members SET badge_count = 0, grant_count = 0")
    query = MemberQuery(sort=SortKey.BADGE_COUNT, descending=descending)
    search = MemberSearch(cache)
    assert search.ids(query) == expected
    assert search.first_window(query, limit=3) == expected[:3]
    assert held_counts(cache, range(1, 7)) == {2: (3, 3), 3: (2, 2), 5: (2, 3), 6: (1, 1)}


def test_discourse_first_and_later_syncs_keep_the_counts(cache: Cache) -> None:
    forum = FakeForum.seeded(60, [ForumBadge(100, "Speaker"), ForumBadge(101, "Helper", multiple_grant=True)])
    for member_id in (3, 4, 5):
        forum.grant(member_id, 101, at=T0 + timedelta(days=1))
    forum.grant(3, 100, at=T0 + timedelta(days=1))
    with open_session(forum) as session:
        assert SyncService(cache, session).run().full
    assert kept(cache) == counted(cache) == {3: (2, 2), 4: (1, 1), 5: (1, 1)}
    # Helper granted again to 3 (one more grant, no more badges), Speaker to 4.
    forum.grant(3, 101, at=T0 + timedelta(days=2))
    forum.grant(4, 100, at=T0 + timedelta(days=2))
    with open_session(forum) as session:
        assert SyncService(cache, session).run().recent
    assert kept(cache) == counted(cache) == {3: (2, 3), 4: (2, 2), 5: (1, 1)}
