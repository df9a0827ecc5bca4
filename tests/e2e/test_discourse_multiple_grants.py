"""A badge held three times on the sandbox's Discourse face: synced as three grants, one revoked by name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.grants import grants_of, revoke_grant
from desktop.sandbox.process import SandboxProcess
from tests.e2e.discourse_admin import admin_client

RATE = 6000
#: A demo badge that may be held several times (Discourse's multiple_grant).
MULTIPLE = 110


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    process = SandboxProcess(
        data_dir=tmp_path_factory.mktemp("forum"), members=150, seed=7, dialect="discourse", rate=RATE
    )
    with process:
        yield process


def _client(forum: SandboxProcess) -> httpx.Client:
    return admin_client(forum)


def _forum_grants(forum: SandboxProcess, username: str) -> list[dict[str, Any]]:
    """The member's grants of the badge, as any Discourse client reads them."""
    with _client(forum) as client:
        answer = client.get(f"/user-badges/{username}.json")
        answer.raise_for_status()
        return [row for row in answer.json()["user_badges"] if row["badge_id"] == MULTIPLE]


def test_a_badge_granted_three_times_syncs_as_three_and_one_named_grant_is_revoked(
    forum: SandboxProcess, tmp_path: Path
) -> None:
    endpoint = Endpoint(
        forum.url,
        forum.tokens["admin"],
        kind="discourse",
        username=forum.usernames["admin"],
        requests_per_minute=RATE,
    )
    community = Community(forum.url, endpoint, Cache(tmp_path / "profile"))
    try:
        community.sync()
        cache = community.cache
        with cache.read() as connection:
            assert connection.exec_driver_sql(
                "SELECT multiple_grant FROM badges WHERE id = ?", (MULTIPLE,)
            ).scalar()
            member_id, username = connection.exec_driver_sql(
                "SELECT id, username FROM members m WHERE status = 'active' AND id > 0 AND NOT EXISTS"
                " (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?) ORDER BY id LIMIT 1",
                (MULTIPLE,),
            ).one()
        # Granted three times on the forum by another client: reasons linking two
        # different topics, and none (each a new grant on Discourse).
        with _client(forum) as client:
            for reason in ("/t/first-talk/21", f"{forum.url}/t/second-talk/22", None):
                body = {"username": username, "badge_id": MULTIPLE, **({"reason": reason} if reason else {})}
                client.post("/user_badges.json", json=body).raise_for_status()
        on_forum = _forum_grants(forum, username)
        assert len(on_forum) == 3

        community.sync()
        held = grants_of(cache, member_id, MULTIPLE)
        assert sorted(a.id for a in held) == sorted(row["id"] for row in on_forum)

        # The moderator revokes the second grant by name (the one linking the second topic).
        second_id = next(row["id"] for row in on_forum if row.get("topic_id") == 22)
        second = next(a for a in held if a.id == second_id)
        batch = revoke_grant(community.outbox, second.id)
        report = community.send_outbox()
        assert (report.applied, report.failed) == (1, 0)
        left = sorted(row["id"] for row in _forum_grants(forum, username))
        assert len(left) == 2 and second.id not in left
        assert sorted(a.id for a in grants_of(cache, member_id, MULTIPLE)) == left
        # A later sync agrees.
        community.sync()
        assert sorted(a.id for a in grants_of(cache, member_id, MULTIPLE)) == left
        (action,) = community.outbox.actions(batch_id=batch.id)
        assert action.payload["award_id"] == second.id
    finally:
        community.close()
