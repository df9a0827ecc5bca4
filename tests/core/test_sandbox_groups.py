"""The sandbox's group API (v1): groups with ids, a group's members, and moderators' membership
changes with idempotency keys; a database seeded before groups had ids is upgraded when opened."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.dialects.groups import GroupListing, GroupMember, GroupMembershipWriter
from desktop.sandbox import names
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.seed import seed_database
from desktop.sandbox.store import SandboxStore

MEMBERS = 300


def key() -> str:
    return uuid.uuid4().hex


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with SandboxProcess(data_dir=tmp_path_factory.mktemp("sandbox"), members=MEMBERS, seed=1) as process:
        yield process


def _client(sandbox: SandboxProcess, token_key: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {sandbox.tokens[token_key]}"}
    return httpx.Client(base_url=sandbox.url, headers=headers, timeout=15)


@pytest.fixture(scope="module")
def mod(sandbox: SandboxProcess) -> Iterator[httpx.Client]:
    with _client(sandbox, "moderator") as client:
        yield client


@pytest.fixture(scope="module")
def member(sandbox: SandboxProcess) -> Iterator[httpx.Client]:
    with _client(sandbox, "member") as client:
        yield client


def groups(client: httpx.Client) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/groups", params=params).json()
        found.update((g["name"], g) for g in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def member_ids(client: httpx.Client, group_id: int) -> list[int]:
    found: list[int] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 7} | ({"cursor": cursor} if cursor else {})
        answer = client.get(f"/api/v1/groups/{group_id}/members", params=params)
        assert answer.status_code == 200, answer.text
        found += [m["id"] for m in answer.json()["items"]]
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            return found


def outsiders(client: httpx.Client, count: int) -> list[int]:
    """Active members in no group, from the end of the member list (the tokens' members are first)."""
    items = client.get("/api/v1/members", params={"limit": 5000}).json()["items"]
    free = [m["id"] for m in items if m["status"] == "active" and not m["groups"]]
    return free[-count:]


def change(client: httpx.Client, group_id: int, verb: str, ids: list[int], idem: str) -> httpx.Response:
    return client.post(
        f"/api/v1/groups/{group_id}/{verb}-members", json={"idempotency_key": idem, "member_ids": ids}
    )


def test_groups_are_listed_with_ids_titles_and_member_counts(mod: httpx.Client) -> None:
    listed = groups(mod)
    assert list(listed) == list(names.GROUPS)  # by id, the demo's order
    assert mod.get("/api/v1/community").json()["capabilities"]["groups"] is True
    members = mod.get("/api/v1/members", params={"limit": 5000}).json()["items"]
    for name, group in listed.items():
        assert group["title"] == name.capitalize()
        named = sorted(m["id"] for m in members if name in m["groups"] and m["status"] != "deleted")
        assert member_ids(mod, group["id"]) == named
        assert group["member_count"] == len(named) > 0


def test_members_are_added_and_removed_and_the_feed_and_rows_follow(mod: httpx.Client) -> None:
    group = groups(mod)["mentors"]
    cursor = mod.get("/api/v1/community").json()["changes_cursor"]
    first, second = outsiders(mod, 2)
    inside = member_ids(mod, group["id"])[0]

    added = change(mod, group["id"], "add", [first, inside, first, 99_999_999], key())
    assert added.status_code == 200, added.text
    body = added.json()
    assert (body["changed"], body["unchanged"], body["missing"]) == ([first], [inside], [99_999_999])
    assert body["replayed"] is False
    assert body["group"]["member_count"] == group["member_count"] + 1
    assert mod.get(f"/api/v1/members/{first}").json()["groups"] == ["mentors"]
    feed = mod.get("/api/v1/changes", params={"since": cursor}).json()
    assert [m["id"] for m in feed["members"]] == [first]
    assert feed["members"][0]["groups"] == ["mentors"]

    # Removing one not in the group is no error either.
    removed = change(mod, group["id"], "remove", [first, second], key()).json()
    assert (removed["changed"], removed["unchanged"]) == ([first], [second])
    assert first not in member_ids(mod, group["id"])
    assert mod.get(f"/api/v1/members/{first}").json()["groups"] == []


def test_a_repeated_key_returns_the_first_answer_and_changes_nothing(mod: httpx.Client) -> None:
    group = groups(mod)["translators"]
    (outside,) = outsiders(mod, 3)[:1]
    idem = key()
    first = change(mod, group["id"], "add", [outside], idem).json()
    cursor = mod.get("/api/v1/community").json()["changes_cursor"]
    again = change(mod, group["id"], "add", [outside], idem).json()
    assert again == {**first, "replayed": True}
    assert mod.get("/api/v1/changes", params={"since": cursor}).json()["members"] == []
    # The same key for another kind of change, or another group, is refused.
    assert change(mod, group["id"], "remove", [outside], idem).status_code == 422
    other = groups(mod)["speakers"]
    reused = change(mod, other["id"], "add", [outside], idem)
    assert reused.status_code == 422 and reused.json()["error"] == "idempotency_key_reused"
    change(mod, group["id"], "remove", [outside], key())


def test_limits_and_refusals(mod: httpx.Client, member: httpx.Client) -> None:
    group = groups(mod)["speakers"]
    too_many = change(mod, group["id"], "add", list(range(1, 52)), key())
    assert too_many.status_code == 413
    assert too_many.json()["error"] == "batch_too_large"
    assert change(mod, group["id"], "add", [], key()).status_code == 422
    forbidden = change(member, group["id"], "add", [1], key())
    assert forbidden.status_code == 403 and set(forbidden.json()) == {"error", "message"}
    assert member.get(f"/api/v1/groups/{group['id']}/members").status_code == 403
    assert change(mod, 9999, "add", [1], key()).status_code == 404
    assert mod.get("/api/v1/groups/9999/members").status_code == 404
    assert mod.get("/api/v1/groups", params={"cursor": "x"}).status_code == 400
    # Any token may list the groups themselves.
    assert member.get("/api/v1/groups").status_code == 200


def test_a_database_seeded_before_groups_had_ids_is_upgraded_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.sqlite3"
    seed_database(path, members=200, seed=3)
    with sqlite3.connect(path) as conn:
        seeded = conn.execute("SELECT * FROM member_groups ORDER BY id").fetchall()
        memberships = conn.execute("SELECT * FROM group_memberships ORDER BY 1, 2").fetchall()
        conn.execute("DROP TABLE group_memberships")
        conn.execute("DROP TABLE member_groups")
    store = SandboxStore(path)
    try:
        items, _cursor = store.groups_page(cursor=None, limit=100)
        assert [g.name for g in items] == list(names.GROUPS)
        assert all(g.member_count > 0 for g in items)
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT * FROM member_groups ORDER BY id").fetchall() == seeded
        assert conn.execute("SELECT * FROM group_memberships ORDER BY 1, 2").fetchall() == memberships


def test_the_connector_lists_groups_and_changes_members_in_requests_of_the_batch_cap(
    sandbox: SandboxProcess, mod: httpx.Client
) -> None:
    sent: list[tuple[str, dict[str, Any]]] = []

    class Recording(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "POST":
                sent.append((request.url.path, json.loads(request.content)))
            return super().handle_request(request)

    listed = groups(mod)
    with CommunityApiConnector(sandbox.url, sandbox.tokens["moderator2"], transport=Recording()) as connector:
        assert isinstance(connector, GroupListing) and isinstance(connector, GroupMembershipWriter)
        caps = Capabilities.of(connector)
        assert caps.group_editing and connector.group_delivery() is Delivery.IDEMPOTENT
        page = connector.groups(None)
        assert page.next_cursor is None
        assert [(g.id, g.name, g.title, g.user_count) for g in page.items] == [
            (g["id"], name, g["title"], g["member_count"]) for name, g in listed.items()
        ]
        assert all(g.member_ids == frozenset(member_ids(mod, g.id)) for g in page.items)
        # A group whose count is known is not read again.
        known = {g.id: g.user_count for g in page.items}
        assert all(g.member_ids is None for g in connector.groups(None, known).items)

        speakers = listed["speakers"]
        chosen = outsiders(mod, 60)
        members = [GroupMember(i, f"user{i}") for i in chosen]
        connector.add_group_members(speakers["id"], members, "action-key-1")
        assert set(chosen) <= set(member_ids(mod, speakers["id"]))
        # 60 members at 50 a request: two requests, each with its own key from the action's.
        assert [(path.rsplit("/", 1)[-1], len(body["member_ids"])) for path, body in sent] == [
            ("add-members", 50),
            ("add-members", 10),
        ]
        assert [body["idempotency_key"] for _path, body in sent] == ["action-key-1.0", "action-key-1.1"]
        connector.remove_group_members(speakers["id"], members, "action-key-2")
        assert not set(chosen) & set(member_ids(mod, speakers["id"]))
