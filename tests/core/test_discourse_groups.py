"""Discourse groups: listed by the directory, synced into the mirror, swept, searched.

Against the fake forum (answers checked against Discourse's published spec),
counting requests: every one spends the forum's one admin bucket of 60 a
minute. FACTS.md § Members: ``GET /groups.json`` (36 a page),
``GET /groups/{name}/members.json`` (``offset``/``limit`` up to 1000,
``meta.total``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cache import groups as cached_groups
from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.dialects.groups import GroupListing
from desktop.domain import Group
from desktop.member_search import MemberQuery, MemberSearch, member_detail
from desktop.net.budget import DISCOURSE_ADMIN_API, RateBudget
from desktop.net.errors import MalformedResponse
from desktop.sync import SyncProgress, SyncService
from desktop.sync.kinds import phases_of
from tests.core.test_discourse_directory import open_session
from tests.fakes.discourse_forum import FakeForum, ForumBadge
from tests.fakes.discourse_records import INVALID_ACCESS, NOT_FOUND
from tests.fakes.memory_community import MemoryCommunity
from tests.fakes.memory_dialect import MemorySession
from tests.fakes.memory_server import MemoryServer

MEMBERS = 1_100


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    yield cache
    cache.close()


@pytest.fixture()
def forum() -> FakeForum:
    forum = FakeForum.seeded(MEMBERS, [ForumBadge(100, "Speaker")])
    forum.add_group(41, "speakers", [3, 5, 8])
    forum.add_group(42, "translators", [5, 13])
    # More members than one page of 1000 holds.
    forum.add_group(43, "everyone_club", list(range(1, MEMBERS + 1)))
    forum.add_group(44, "empty", [])
    # Discourse's automatic groups: not synced (see the directory's docstring).
    forum.add_group(1, "admins", [MEMBERS + 1], automatic=True)
    forum.add_group(10, "trust_level_0", list(range(1, MEMBERS + 3)), automatic=True)
    return forum


def all_groups(forum: FakeForum, known: dict[int, int] | None = None) -> list[Group]:
    found: list[Group] = []
    with open_session(forum) as session:
        directory = session.directory
        assert isinstance(directory, GroupListing)
        cursor: str | None = None
        while True:
            page = directory.groups(cursor, known)
            found.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                return found


def rows(cache: Cache, sql: str) -> set[tuple[object, ...]]:
    with cache.read() as connection:
        return {tuple(r) for r in connection.exec_driver_sql(sql)}


def sync(cache: Cache, forum: FakeForum, *, snapshot: bool = False) -> None:
    with open_session(forum) as session:
        SyncService(cache, session).run(snapshot=snapshot)


def test_the_directory_lists_the_forums_own_groups_with_every_member(forum: FakeForum) -> None:
    groups = {g.name: g for g in all_groups(forum)}
    assert set(groups) == {"speakers", "translators", "everyone_club", "empty"}
    assert groups["speakers"] == Group(41, "speakers", "speakers", 3, frozenset({3, 5, 8}))
    assert groups["everyone_club"].member_ids == frozenset(range(1, MEMBERS + 1))
    assert groups["empty"].member_ids == frozenset()
    # One page of groups; members 1000 a page: 1 + 1 + 2 + 1, none for the automatic groups.
    assert forum.count("GET", "/groups.json") == 1
    assert forum.count("GET", "/groups/") == 5
    assert forum.count("GET", "/groups/trust_level_0/") == 0
    assert {"GET /groups.json", "GET /groups/{name}/members.json"} <= forum.checked


def test_groups_page_by_page_past_discourses_36(forum: FakeForum) -> None:
    for i in range(40):
        forum.add_group(100 + i, f"team_{i:02d}", [i + 1])
    groups = all_groups(forum)
    assert len(groups) == 44
    assert forum.count("GET", "/groups.json") == 2


def test_a_group_whose_count_is_known_is_listed_without_reading_its_members(forum: FakeForum) -> None:
    groups = {g.name: g for g in all_groups(forum, known={41: 3, 43: MEMBERS, 42: 1})}
    assert groups["speakers"].member_ids is None
    assert groups["everyone_club"].member_ids is None
    assert groups["translators"].member_ids == frozenset({5, 13})  # 2, not the 1 known
    assert forum.count("GET", "/groups/speakers/") == 0
    assert forum.count("GET", "/groups/everyone_club/") == 0


def test_a_group_deleted_between_the_list_and_its_members_is_left_out(forum: FakeForum) -> None:
    forum.refuse_next("GET", "/groups/speakers/members", 404, NOT_FOUND)
    assert "speakers" not in {g.name for g in all_groups(forum)}


def test_a_group_whose_members_are_hidden_from_the_user_is_left_out(forum: FakeForum) -> None:
    forum.groups[42].members_hidden = True  # listed with can_see_members: false
    assert "translators" not in {g.name for g in all_groups(forum)}
    assert forum.count("GET", "/groups/translators/") == 0
    # Hidden between the list and the read (a 403 on the members): left out too, the sync goes on.
    forum.groups[42].members_hidden = False
    forum.refuse_next("GET", "/groups/translators/members", 403, INVALID_ACCESS)
    assert "translators" not in {g.name for g in all_groups(forum)}


def test_a_broken_members_answer_is_refused_whole(forum: FakeForum) -> None:
    forum.spoil_next("/groups/speakers/members", lambda body: {**body, "members": [{"id": "3"}]})
    with pytest.raises(MalformedResponse):
        all_groups(forum)


def test_a_server_without_a_group_listing_syncs_no_group_phase() -> None:
    # Decided by the port, not the server's kind: v1 lists its groups as Discourse does.
    assert issubclass(CommunityApiConnector, GroupListing)
    with MemorySession(MemoryServer(MemoryCommunity.seeded(3, 1))) as session:
        assert "groups" not in phases_of(session)


def test_a_first_sync_mirrors_groups_and_a_complete_pass_sweeps_the_deleted(
    cache: Cache, forum: FakeForum
) -> None:
    sync(cache, forum)
    assert rows(cache, "SELECT id, name, user_count FROM member_groups") == {
        (41, "speakers", 3),
        (42, "translators", 2),
        (43, "everyone_club", MEMBERS),
        (44, "empty", 0),
    }
    assert rows(cache, "SELECT member_id FROM group_memberships WHERE group_id = 41") == {(3,), (5,), (8,)}
    assert len(rows(cache, "SELECT member_id FROM group_memberships WHERE group_id = 43")) == MEMBERS

    # On the forum: a group deleted, someone leaves speakers and someone joins (count unchanged).
    del forum.groups[42]
    forum.groups[41].member_ids = [3, 5, 9]
    forum.delete_user(8)
    sync(cache, forum, snapshot=True)
    assert {n for (n,) in rows(cache, "SELECT name FROM member_groups")} == {
        "speakers",
        "everyone_club",
        "empty",
    }
    assert rows(cache, "SELECT member_id FROM group_memberships WHERE group_id = 41") == {(3,), (5,), (9,)}
    assert rows(cache, "SELECT group_id FROM group_memberships WHERE group_id = 42") == set()
    assert rows(cache, "SELECT group_id FROM group_memberships WHERE member_id = 8") == set()


def test_a_failed_pass_deletes_no_group(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    del forum.groups[42]
    forum.spoil_next("/groups/speakers/members", lambda body: {"members": "broken"})
    with pytest.raises(MalformedResponse):
        sync(cache, forum, snapshot=True)
    assert (42, "translators") in rows(cache, "SELECT id, name FROM member_groups")
    assert rows(cache, "SELECT member_id FROM group_memberships WHERE group_id = 42") == {(5,), (13,)}


def test_a_later_sync_reads_the_members_of_changed_groups_only(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    forum.log.clear()
    sync(cache, forum)
    # Nothing changed: the group list, no group's members.
    assert forum.count("GET", "/groups.json") == 1
    assert forum.count("GET", "/groups/") == 0

    forum.groups[41].member_ids.append(21)
    forum.add_group(45, "mentors", [1, 2])
    forum.log.clear()
    sync(cache, forum)
    assert forum.count("GET", "/groups/") == 2  # speakers (4 now) and the new mentors
    assert rows(cache, "SELECT member_id FROM group_memberships WHERE group_id = 41") == {
        (3,),
        (5,),
        (8,),
        (21,),
    }
    assert rows(cache, "SELECT member_id FROM group_memberships WHERE group_id = 45") == {(1,), (2,)}


def test_search_by_group_and_the_member_detail_name_the_groups(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    search = MemberSearch(cache)
    assert sorted(search.ids(MemberQuery(group="speakers"))) == [3, 5, 8]
    assert sorted(search.ids(MemberQuery(group="translators", text="member 5"))) == [5]
    assert search.count(MemberQuery(group="everyone_club")) == MEMBERS
    assert search.ids(MemberQuery(group="nobody")) == []
    assert {"speakers", "translators", "everyone_club", "empty"} <= set(cache.groups())
    detail = member_detail(cache, 5)
    assert detail is not None and detail.groups == ["everyone_club", "speakers", "translators"]
    assert cached_groups.groups_of_member(cache, 8) == ["everyone_club", "speakers"]


def test_a_first_syncs_requests_left_are_a_floor_until_the_groups_are_read(
    cache: Cache, forum: FakeForum
) -> None:
    progress: list[SyncProgress] = []
    with open_session(forum) as session:
        SyncService(cache, session, budget=RateBudget("forum.example", DISCOURSE_ADMIN_API)).run(
            progress=progress.append
        )
    # No count of groups anywhere: until they are read, the requests left are "at least".
    awards = [p for p in progress if p.phase == "awards" and p.requests_left is not None]
    assert awards and all(p.at_least for p in awards)
    groups = [p for p in progress if p.phase == "groups"]
    assert groups and groups[-1].requests_left == 0 and not groups[-1].at_least


def test_a_first_sync_cancelled_among_the_groups_resumes_at_the_next_page_of_them(
    cache: Cache, forum: FakeForum
) -> None:
    for i in range(40):
        forum.add_group(100 + i, f"team_{i:02d}", [i + 1])
    cancel = CancelToken()

    def stop_after_the_first_page_of_groups(progress: SyncProgress) -> None:
        if progress.phase == "groups" and progress.page == 1:
            cancel.cancel()

    with open_session(forum) as session, pytest.raises(Cancelled):
        SyncService(cache, session).run(progress=stop_after_the_first_page_of_groups, cancel=cancel)
    first_page = {n for (n,) in rows(cache, "SELECT name FROM member_groups")}
    assert len(first_page) == 36 - 1  # Discourse's page of 36 by name, less "admins" (automatic)
    forum.log.clear()
    forum.requests.clear()
    sync(cache, forum)
    # Only the second page of groups (and its groups' members), nothing before it again.
    assert [r.url.params.get("page") for r in forum.sent("GET", "/groups.json")] == ["1"]
    assert forum.count("GET", "/admin/users/list/") == 0 and forum.count("GET", "/user_badges") == 0
    assert len(rows(cache, "SELECT id FROM member_groups")) == 44
