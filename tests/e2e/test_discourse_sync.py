"""Syncing the sandbox's Discourse face over loopback: a first sync, cheap later ones, a snapshot pass.

Counts the requests each sync sends (every one spends the forum's one admin
bucket) and prints them: the figures of a first sync and a later one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.sandbox.process import SandboxProcess
from desktop.sync import SyncProgress
from tests.e2e.discourse_admin import admin_client

MEMBERS = 300
#: The forum's admin API limit, raised so the test runs in seconds (the client is told too).
RATE = 6000


class CountingTransport(httpx.HTTPTransport):
    """Loopback HTTP that counts the requests it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path))
        return super().handle_request(request)


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    process = SandboxProcess(
        data_dir=tmp_path_factory.mktemp("forum"), members=MEMBERS, seed=7, dialect="discourse", rate=RATE
    )
    with process:
        yield process


def _admin(forum: SandboxProcess) -> httpx.Client:
    return admin_client(forum)


def _ids(cache: Cache, sql: str, *args: object) -> set[int]:
    with cache.read() as connection:
        return {int(row[0]) for row in connection.exec_driver_sql(sql, args)}


def test_later_syncs_read_what_is_new_and_a_pass_sweeps_what_is_gone(
    forum: SandboxProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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
        progress: list[SyncProgress] = []
        first = community.sync(progress=progress.append)
        first_requests = len(transport.sent)
        assert first.full and not first.recent
        assert any(p.phase == "members" and p.page and p.requests_left is not None for p in progress)
        assert progress[-1].requests_left == 0 and "requests/min" in progress[1].describe()

        transport.sent.clear()
        later = community.sync()
        later_requests = len(transport.sent)
        assert later.recent and not later.snapshot and not later.changes
        # The forum's name and badge list, the newest members and the suspended, the group list:
        # no grant count and no group's member count changed.
        assert [p for _m, p in transport.sent] == [
            "/session/scopes.json",
            "/site/basic-info.json",
            "/admin/badges.json",
            "/admin/users/list/active.json",
            "/admin/users/list/suspended.json",
            "/groups.json",
        ]

        cache = community.cache
        with cache.read() as connection:
            member, badge = connection.exec_driver_sql(
                "SELECT m.id, b.id FROM members m, badges b WHERE b.state = 'published'"
                " AND m.status = 'active' AND m.id > 2 AND b.multiple_grant = 0 AND NOT EXISTS"
                " (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = b.id)"
                " ORDER BY b.id, m.id LIMIT 1"
            ).one()
            username = connection.exec_driver_sql(
                "SELECT username FROM members WHERE id = ?", (member,)
            ).scalar()
            gone, disabled = connection.exec_driver_sql(
                "SELECT a.member_id, a.badge_id FROM awards a JOIN badges b ON b.id = a.badge_id"
                " WHERE a.member_id NOT IN (?, 1, 2) AND a.badge_id <> ? ORDER BY a.id DESC LIMIT 1",
                (member, badge),
            ).one()
        kept = _ids(cache, "SELECT id FROM awards WHERE badge_id = ? AND member_id <> ?", disabled, gone)
        with _admin(forum) as admin:
            admin.post("/user_badges.json", data={"username": username, "badge_id": badge}).raise_for_status()
            admin.delete(f"/admin/users/{gone}.json", params={"delete_posts": "true"}).raise_for_status()
            admin.put(f"/admin/badges/{disabled}.json", data={"enabled": "false"}).raise_for_status()

        # A later sync picks up the new grant; it deletes nothing.
        result = community.sync()
        assert result.recent and not result.snapshot
        assert member in _ids(cache, "SELECT member_id FROM awards WHERE badge_id = ?", badge)
        assert gone in _ids(cache, "SELECT id FROM members")

        # The snapshot pass: the deleted member goes, the disabled badge's awards stay.
        transport.sent.clear()
        swept = community.sync(snapshot=True)
        snapshot_requests = len(transport.sent)
        assert swept.snapshot and not swept.withheld
        assert gone not in _ids(cache, "SELECT id FROM members")
        assert gone not in _ids(cache, "SELECT member_id FROM awards")
        assert kept and _ids(cache, "SELECT id FROM awards WHERE badge_id = ?", disabled) == kept
        with capsys.disabled():
            print(
                f"\nDiscourse demo ({MEMBERS} members): first sync {first_requests} requests,"
                f" later sync with nothing new {later_requests},"
                f" later sync + snapshot pass {snapshot_requests}"
            )
    finally:
        community.close()
