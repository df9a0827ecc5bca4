"""BadgeDesk's core against the sandbox speaking Discourse, over loopback HTTP.

The client (desktop/dialects/discourse) and the server (desktop/sandbox/discourse)
share no wire code: what they agree on is Discourse's published description.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.domain import ActionState
from desktop.sandbox.process import SandboxProcess
from tests.e2e.discourse_admin import admin_client

MEMBERS = 300
#: The forum's admin API limit, raised so the test runs in seconds (the client is told too).
RATE = 6000
#: A badge the demo lets a member hold several times (Discourse's multiple_grant).
MULTIPLE = 110


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    process = SandboxProcess(
        data_dir=tmp_path_factory.mktemp("forum"), members=MEMBERS, seed=5, dialect="discourse", rate=RATE
    )
    with process:
        yield process


def _community(forum: SandboxProcess, path: Path, who: str = "admin") -> Community:
    endpoint = Endpoint(
        forum.url,
        forum.tokens[who],
        kind="discourse",
        username=forum.usernames[who],
        requests_per_minute=RATE,
    )
    return Community(forum.url, endpoint, Cache(path))


def _listed_members(forum: SandboxProcess) -> set[int]:
    """The members the forum lists to an admin (its bots, ids under 1, aside)."""
    found: set[int] = set()
    with admin_client(forum) as client:
        for page in range(1, 1000):
            rows = client.get("/admin/users/list/active.json", params={"page": page}).json()
            if not rows:
                return {i for i in found if i > 0}
            found.update(row["id"] for row in rows)
    raise AssertionError("the member list did not end")


def _holders(forum: SandboxProcess, badge_id: int) -> list[int]:
    """Every grant of a badge on the forum (user ids, one per grant), read as any Discourse client would."""
    found: list[int] = []
    with admin_client(forum) as client:
        offset = 0
        while True:
            page = client.get(
                "/user_badges.json", params={"badge_id": badge_id, "offset": offset, "limit": 50}
            )
            page.raise_for_status()
            rows = page.json()["user_badge_info"]["user_badges"]
            found.extend(row["user_id"] for row in rows)
            if len(rows) < 50:
                return found
            offset += 50


def test_a_first_sync_then_awards_and_a_revoke_reach_the_forum_once(
    forum: SandboxProcess, tmp_path: Path
) -> None:
    community = _community(forum, tmp_path / "profile")
    try:
        result = community.sync()
        counts = community.cache.counts()
        assert result.full and counts.badges > 0 and counts.awards > 0
        assert counts.members == len(_listed_members(forum))
        capabilities = community.capabilities()
        assert capabilities is not None and capabilities.kind == "discourse"
        assert not capabilities.changes_feed and capabilities.batch_cap == 1

        with community.cache.read() as connection:
            lacking = [
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT id FROM members m WHERE status = 'active' AND NOT EXISTS"
                    " (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?)"
                    " ORDER BY id LIMIT 3",
                    (MULTIPLE,),
                )
            ]
        before = _holders(forum, MULTIPLE)
        community.outbox.queue_awards(lacking, MULTIPLE, reason="e2e", notify=False)
        report = community.send_outbox()
        assert (report.applied, report.failed, report.conflicts) == (3, 0, 0)
        after = _holders(forum, MULTIPLE)
        assert sorted(after) == sorted(before + lacking)  # each once, although the badge allows more

        # Sent again (nothing left): nothing more reaches the forum.
        assert community.send_outbox().applied == 0
        assert sorted(_holders(forum, MULTIPLE)) == sorted(after)

        community.outbox.queue_revokes(lacking[:1], MULTIPLE, reason="e2e")
        report = community.send_outbox()
        assert report.applied == 1
        assert sorted(_holders(forum, MULTIPLE)) == sorted(before + lacking[1:])
        states = {a.state for a in community.outbox.actions()}
        assert states == {ActionState.DONE}

        # A second sync (a snapshot: Discourse has no feed) agrees with the forum.
        community.sync()
        with community.cache.read() as connection:
            cached = connection.exec_driver_sql(
                "SELECT member_id FROM awards WHERE badge_id = ?", (MULTIPLE,)
            ).fetchall()
        assert sorted(r[0] for r in cached) == sorted(before + lacking[1:])
    finally:
        community.close()
