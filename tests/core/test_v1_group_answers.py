"""The v1 connector's group answers, from a fake server behind ``httpx.MockTransport``: what it
refuses (a members page that does not advance, a change answer that does not match what was
sent), a group gone between the list and its members, and a server that predates groups."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.dialects.capabilities import Capabilities
from desktop.dialects.groups import GroupMember
from desktop.net.errors import MalformedResponse

BASE_URL = "http://127.0.0.1:9"


def _member(i: int) -> dict[str, Any]:
    return {
        "id": i,
        "username": f"user{i}",
        "display_name": f"User {i}",
        "email": f"user{i}@example.org",
        "joined_at": "2024-01-01T10:00:00Z",
        "last_seen_at": None,
        "status": "active",
        "groups": ["mentors"],
    }


class Server:
    def __init__(self, *, groups: bool = True) -> None:
        self.groups = groups
        self.answers: dict[str, Any] = {}
        self.statuses: dict[str, int] = {}

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        if path == "/community":
            caps = {"requests": False, "changes_feed": True, "batch_awards": True, "batch_cap": 2}
            body: Any = {
                "name": "Fake",
                "api_version": "1",
                "capabilities": {**caps, "groups": True} if self.groups else caps,
                "counts": {"members": 3, "badges": 0, "awards": 0, "requests": 0},
                "changes_cursor": "1",
                "server_time": "2024-01-01T10:00:00Z",
            }
        else:
            body = self.answers[path]
            if callable(body):
                body = body(request)
        return httpx.Response(self.statuses.get(path, 200), content=json.dumps(body).encode())

    def connector(self) -> CommunityApiConnector:
        return CommunityApiConnector(
            BASE_URL, "token", transport=httpx.MockTransport(self.handle), max_attempts=1
        )


MENTORS: dict[str, Any] = {"id": 1, "name": "mentors", "title": None, "member_count": 3}
GROUPS: dict[str, Any] = {
    "items": [MENTORS, {"id": 2, "name": "gone", "title": "Gone", "member_count": 1}],
    "next_cursor": None,
}


def test_a_group_gone_before_its_members_are_read_is_left_out() -> None:
    server = Server()
    server.answers["/groups"] = GROUPS
    server.answers["/groups/1/members"] = {"items": [_member(i) for i in (1, 2, 3)], "next_cursor": None}
    server.answers["/groups/2/members"] = {"error": "not_found", "message": "No group with id 2."}
    server.statuses["/groups/2/members"] = 404
    with server.connector() as connector:
        [group] = connector.groups(None).items
    assert (group.id, group.name, group.title, group.member_ids) == (
        1,
        "mentors",
        "mentors",
        frozenset({1, 2, 3}),
    )


def test_a_members_page_that_does_not_advance_is_refused() -> None:
    server = Server()
    server.answers["/groups"] = {"items": [MENTORS], "next_cursor": None}
    server.answers["/groups/1/members"] = {"items": [_member(1)], "next_cursor": "7"}
    with server.connector() as connector, pytest.raises(MalformedResponse):
        connector.groups(None)


def test_a_change_answer_that_does_not_match_the_members_sent_is_refused() -> None:
    server = Server()
    sent: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> dict[str, Any]:
        body = json.loads(request.content)
        sent.append(body)
        return {
            "group": MENTORS,
            "changed": body["member_ids"][:1],  # one of them is not accounted for
            "unchanged": [],
            "missing": [],
            "replayed": False,
        }

    server.answers["/groups/1/add-members"] = answer
    with server.connector() as connector, pytest.raises(MalformedResponse):
        connector.add_group_members(
            1, [GroupMember(5, "user5"), GroupMember(6, "user6")], "key-of-the-action"
        )
    assert sent == [{"idempotency_key": "key-of-the-action.0", "member_ids": [5, 6]}]


def test_a_server_that_predates_groups_lists_none_and_takes_no_group_changes() -> None:
    with Server(groups=False).connector() as connector:
        assert connector.groups(None).items == []
        assert not Capabilities.of(connector).group_editing
