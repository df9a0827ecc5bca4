"""Groups of the sandbox's Discourse face, synced over loopback and searched.

The sandbox serves Discourse's automatic groups and the demo's own
(speakers, translators, mentors); BadgeDesk mirrors the demo's own with
their members, reads a group's members again only when its count changed,
and a snapshot pass drops a deleted member from their groups.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.member_search import MemberQuery, MemberSearch, member_detail
from desktop.sandbox.process import SandboxProcess
from tests.e2e.discourse_admin import admin_client
from tests.e2e.test_discourse_sync import CountingTransport

#: Enough that the demo's own groups (under 1% of members each) have several members.
MEMBERS = 1500
RATE = 6000


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    process = SandboxProcess(
        data_dir=tmp_path_factory.mktemp("forum"), members=MEMBERS, seed=11, dialect="discourse", rate=RATE
    )
    with process:
        yield process


def _admin(forum: SandboxProcess) -> httpx.Client:
    return admin_client(forum)


def _forum_groups(forum: SandboxProcess) -> dict[str, set[int]]:
    """The forum's own groups and their members, as Discourse lists them."""
    found: dict[str, set[int]] = {}
    with _admin(forum) as admin:
        page = 0
        while True:
            listed = admin.get("/groups.json", params={"page": page}).json()
            for group in listed["groups"]:
                if not group["automatic"]:
                    answer = admin.get(f"/groups/{group['name']}/members.json", params={"limit": 1000}).json()
                    found[group["name"]] = {m["id"] for m in answer["members"]}
            page += 1
            if page * 36 >= listed["total_rows_groups"]:
                return found


def _ids(cache: Cache, sql: str, *args: object) -> set[int]:
    with cache.read() as connection:
        return {int(row[0]) for row in connection.exec_driver_sql(sql, args)}


def test_groups_are_synced_searched_and_refreshed(forum: SandboxProcess, tmp_path: Path) -> None:
    expected = _forum_groups(forum)
    assert {"speakers", "translators"} <= set(expected) and expected["speakers"]
    transport = CountingTransport()
    endpoint = Endpoint(
        forum.url,
        forum.tokens["admin"],
        kind="discourse",
        username=forum.usernames["admin"],
        requests_per_minute=RATE,
    )
    community = Community(forum.url, endpoint, Cache(tmp_path / "profile"), transport=transport)
    try:
        community.sync()
        cache = community.cache
        with cache.read() as connection:
            names = {str(r[0]) for r in connection.exec_driver_sql("SELECT name FROM member_groups")}
        # The forum's own groups; not the automatic ones (trust levels, staff).
        assert names == set(expected)
        assert "trust_level_0" not in names and "staff" not in names
        search = MemberSearch(cache)
        for name, members in expected.items():
            assert set(search.ids(MemberQuery(group=name))) == members
        speaker = min(expected["speakers"])
        detail = member_detail(cache, speaker)
        assert detail is not None and "speakers" in detail.groups

        # Nothing changed: the group list alone, no group's members.
        transport.sent.clear()
        community.sync()
        assert [p for _m, p in transport.sent if p.startswith("/groups")] == ["/groups.json"]

        # A speaker deleted on the forum: speakers' count changed, so a later sync reads its
        # members again (and no other group's); the member is no longer a speaker.
        with _admin(forum) as admin:
            admin.delete(f"/admin/users/{speaker}.json", params={"delete_posts": "true"}).raise_for_status()
        transport.sent.clear()
        result = community.sync()
        assert result.recent and result.changes.groups
        read = [p for _m, p in transport.sent if p.startswith("/groups/")]
        assert "/groups/speakers/members.json" in read
        assert all(
            "/groups/" + n + "/members.json" in read for n, m in expected.items() if speaker in m
        ) and len(read) == sum(1 for m in expected.values() if speaker in m)
        assert speaker not in set(search.ids(MemberQuery(group="speakers")))

        # The snapshot pass sweeps the member, and every membership of theirs with them.
        community.sync(snapshot=True)
        assert speaker not in _ids(cache, "SELECT id FROM members")
        assert speaker not in _ids(cache, "SELECT member_id FROM group_memberships")
    finally:
        community.close()
