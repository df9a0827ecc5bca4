"""Groups of BadgeDesk's own server (v1) over loopback: synced with their ids and members, the
group check's group side fixed in one outbox action, a lost answer sent again with its key, and
the next sync agreeing (another moderator's change reaches the mirror through the changes feed)."""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.domain import ActionState, MemberStatus
from desktop.group_check import GroupSide, check_group, queue_group_fix
from desktop.member_search import MemberQuery, MemberSearch
from desktop.outbox import RetryPolicy
from desktop.sandbox import names
from desktop.sandbox.process import SandboxProcess
from tests.e2e.conftest import CountingTransport

GROUP = "speakers"


def _server_groups(sandbox: SandboxProcess) -> dict[str, tuple[int, set[int]]]:
    """Each group's id and members, as the server lists them."""
    headers = {"Authorization": f"Bearer {sandbox.tokens['moderator2']}"}
    with httpx.Client(base_url=sandbox.url + "/api/v1", headers=headers, timeout=15) as client:
        found: dict[str, tuple[int, set[int]]] = {}
        for group in client.get("/groups").json()["items"]:
            answer = client.get(f"/groups/{group['id']}/members", params={"limit": 5000}).json()
            assert answer["next_cursor"] is None
            found[group["name"]] = (group["id"], {m["id"] for m in answer["items"]})
        return found


def _cached_groups(cache: Cache) -> dict[str, tuple[int, set[int]]]:
    found: dict[str, tuple[int, set[int]]] = {}
    with cache.read() as connection:
        for group_id, name in connection.exec_driver_sql("SELECT id, name FROM member_groups"):
            rows = connection.exec_driver_sql(
                "SELECT member_id FROM group_memberships WHERE group_id = ?", (group_id,)
            )
            found[str(name)] = (int(group_id), {int(r[0]) for r in rows})
    return found


def _most_held_badge(cache: Cache) -> int:
    with cache.read() as connection:
        row = connection.exec_driver_sql(
            "SELECT badge_id FROM awards GROUP BY badge_id ORDER BY count(*) DESC, badge_id LIMIT 1"
        ).fetchone()
    assert row is not None
    return int(row[0])


class LosingTransport(CountingTransport):
    """Real HTTP; the answer of the first group change is lost after the server applied it."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []
        self.lose = 1

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.method == "POST" and "/groups/" in request.url.path:
            self.sent.append(json.loads(request.content))
            if self.lose:
                self.lose -= 1
                response.read()
                raise httpx.ReadError("the connection broke before the answer came", request=request)
        return response


@pytest.fixture()
def community(sandbox: SandboxProcess, tmp_path: Path) -> Iterator[Community]:
    made = Community(
        sandbox.url,
        Endpoint(sandbox.url, sandbox.tokens["moderator"]),
        Cache(tmp_path / "profile"),
        transport=LosingTransport(),
    )
    try:
        yield made
    finally:
        made.close()


def test_the_group_check_fixes_a_v1_group_in_one_action_and_the_next_sync_agrees(
    sandbox: SandboxProcess, community: Community
) -> None:
    transport = community.transport
    assert isinstance(transport, LosingTransport)
    community.sync()
    cache = community.cache
    capabilities = community.capabilities()
    assert capabilities is not None and capabilities.group_editing
    assert _cached_groups(cache) == _server_groups(sandbox)
    assert set(_cached_groups(cache)) == set(names.GROUPS)
    search = MemberSearch(cache)
    assert set(search.ids(MemberQuery(group=GROUP))) == _server_groups(sandbox)[GROUP][1]

    badge = _most_held_badge(cache)
    check = check_group(cache, badge, GROUP)
    assert check.group_id == _server_groups(sandbox)[GROUP][0]
    outside = set(check.holders_outside)
    assert len(outside) > 50  # more than one request's worth at the sandbox's batch cap
    # Deleted holders (v1 keeps their rows and awards) join no group: not listed.
    with cache.read() as connection:
        deleted = {
            int(r[0])
            for r in connection.exec_driver_sql(
                "SELECT member_id FROM awards a JOIN members m ON m.id = a.member_id"
                " WHERE a.badge_id = ? AND m.status = ?",
                (badge, MemberStatus.DELETED.value),
            )
        }
    assert deleted and not deleted & outside
    action = queue_group_fix(community.outbox, check, GroupSide.ADD_HOLDERS)

    report = community.send_outbox(retry=RetryPolicy(attempts=3, first_delay=0.0))
    assert report.done == 1
    [done] = [a for a in community.outbox.actions() if a.id == action.id]
    assert done.state is ActionState.DONE
    # One action; its requests at 50 members each, the first sent twice with the same key
    # (its answer was lost) and answered the second time with its first result.
    requests = math.ceil(len(outside) / 50)
    keys = [body["idempotency_key"] for body in transport.sent]
    assert keys[0] == keys[1] == f"{action.idempotency_key}.0"
    assert len(keys) == requests + 1 and len(set(keys)) == requests
    assert check_group(cache, badge, GROUP).holders_outside == ()
    server_members = _server_groups(sandbox)[GROUP][1]
    assert outside <= server_members

    # The next sync (the changes feed) agrees with the server, and so does the check.
    community.sync()
    assert _cached_groups(cache) == _server_groups(sandbox)
    assert check_group(cache, badge, GROUP).holders_outside == ()

    # Another moderator takes a member out of the group: the feed brings the member, and the
    # mirror's memberships follow.
    leaving = min(outside)
    headers = {"Authorization": f"Bearer {sandbox.tokens['moderator2']}"}
    answer = httpx.post(
        f"{sandbox.url}/api/v1/groups/{check.group_id}/remove-members",
        json={"idempotency_key": uuid.uuid4().hex, "member_ids": [leaving]},
        headers=headers,
        timeout=15,
    )
    assert answer.json()["changed"] == [leaving]
    result = community.sync()
    assert result.changes.groups
    assert _cached_groups(cache) == _server_groups(sandbox)
    assert check_group(cache, badge, GROUP).holders_outside == (leaving,)

    # A member of the group deleted on the server leaves it in the mirror too.
    gone = min(outside - {leaving})
    httpx.delete(f"{sandbox.url}/api/v1/members/{gone}", headers=headers, timeout=15).raise_for_status()
    community.sync()
    assert gone not in _server_groups(sandbox)[GROUP][1]
    assert _cached_groups(cache) == _server_groups(sandbox)


def test_a_mirror_synced_before_v1_listed_groups_reads_them_at_its_next_sync(
    sandbox: SandboxProcess, community: Community
) -> None:
    community.sync()
    cache = community.cache
    with cache.write() as connection:
        # What a profile synced by an older BadgeDesk holds: no groups with ids at all.
        connection.exec_driver_sql("DELETE FROM group_memberships")
        connection.exec_driver_sql("DELETE FROM member_groups")
    result = community.sync()
    assert not result.full and result.changes.groups
    assert _cached_groups(cache) == _server_groups(sandbox)
    # Read once: the next sync asks the feed alone.
    transport = community.transport
    assert isinstance(transport, CountingTransport)
    transport.paths.clear()
    community.sync()
    assert not [p for p in transport.paths if "/groups" in p]
