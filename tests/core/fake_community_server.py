"""A tiny, well-behaved Community API v1 server behind ``httpx.MockTransport``.

The hostile-server tests start from its honest answers and break one of them,
so whatever the client refuses is refused for the one thing that was broken.
Nothing here opens a socket: the base URL is loopback only so that no request
could ever leave the machine, and the mock transport answers before any
connection is made.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.badgedesk_v1 import wire
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.sync import ProgressCallback, SyncProgress, SyncResult, SyncService

BASE_URL = "http://127.0.0.1:9"
API = "/api/v1"
#: Where the changes feed stands on the fake server; asking from here gives "nothing changed".
FEED_POSITION = "c100"
KINDS = ("badges", "members", "awards", "requests")

JsonObject = dict[str, Any]
#: Answers one request instead of the honest server, or returns None to let it answer.
Tamper = Callable[[httpx.Request, "FakeCommunityServer"], httpx.Response | None]


def _valid(model: type[BaseModel], **fields: Any) -> JsonObject:
    """``fields`` as the API sends them, checked against the wire model the client uses."""
    return model.model_validate_json(json.dumps(fields)).model_dump(mode="json")


def _time(day: int) -> str:
    return f"2024-01-{day:02d}T10:00:00Z"


def _members() -> list[JsonObject]:
    names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov"]
    return [
        _valid(
            wire.MemberOut,
            id=i,
            username=name.split()[0].lower(),
            display_name=name,
            email=f"{name.split()[0].lower()}@example.org",
            joined_at=_time(i),
            last_seen_at=None if i == 3 else _time(i + 10),
            status="active" if i != 4 else "suspended",
            groups=["staff"] if i == 1 else [],
        )
        for i, name in enumerate(names, start=1)
    ]


def _badges() -> list[JsonObject]:
    titles = ["Conference Speaker", "Certified Admin", "Ten Year Club"]
    return [
        _valid(
            wire.BadgeOut,
            id=i,
            slug=title.lower().replace(" ", "-"),
            title=title,
            description=f"{title}, described",
            criteria="",
            tier="",
            category="people",
            state="published",
            award_message="Congratulations {member}",
            version=1,
            image=None,
            updated_at=_time(i),
        )
        for i, title in enumerate(titles, start=1)
    ]


def _awards() -> list[JsonObject]:
    pairs = [(1, 1), (1, 2), (2, 1), (3, 3), (5, 2), (5, 3)]
    return [
        _valid(
            wire.AwardOut,
            id=i,
            member_id=member,
            badge_id=badge,
            granted_at=_time(i + 2),
            granted_by="Alice Moderator",
            reason="",
        )
        for i, (member, badge) in enumerate(pairs, start=1)
    ]


def _requests() -> list[JsonObject]:
    return [
        _valid(
            wire.RequestOut,
            id=i,
            member_id=i + 1,
            badge_id=i,
            note="I spoke at the meetup",
            evidence_url="https://example.org/talk" if i != 2 else None,
            created_at=_time(i + 5),
            state="pending" if i != 3 else "denied",
            version=1 if i != 3 else 2,
            decided_by=None if i != 3 else "Bob Moderator",
            decided_at=None if i != 3 else _time(20),
            reason=None if i != 3 else "no evidence",
        )
        for i in range(1, 4)
    ]


class FakeCommunityServer:
    """3 badges, 5 members, 6 awards, 3 requests; offset cursors ("2", "4"…).

    ``tamper`` may answer any request in its place; ``requests`` counts what
    reached the server, by path, and ``trip_after`` fails a test that would
    otherwise page for ever.
    """

    def __init__(self, tamper: Tamper | None = None, *, trip_after: int = 2_000) -> None:
        self.rows: dict[str, list[JsonObject]] = {
            "badges": _badges(),
            "members": _members(),
            "awards": _awards(),
            "requests": _requests(),
        }
        self.tamper = tamper
        self.trip_after = trip_after
        self.requests: dict[str, int] = {}

    # --- honest answers -------------------------------------------------------

    def community(self) -> JsonObject:
        return {
            "name": "Fake Community",
            "api_version": wire.API_VERSION,
            "capabilities": {"requests": True, "changes_feed": True, "batch_awards": True, "batch_cap": 50},
            "counts": {
                "members": len(self.rows["members"]),
                "badges": len(self.rows["badges"]),
                "awards": len(self.rows["awards"]),
                "requests": sum(1 for r in self.rows["requests"] if r["state"] == "pending"),
            },
            "changes_cursor": FEED_POSITION,
            "server_time": _time(30),
        }

    def page(self, kind: str, cursor: str | None, limit: int) -> JsonObject:
        start = int(cursor or 0)
        rows = self.rows[kind]
        end = start + limit
        return {"items": rows[start:end], "next_cursor": str(end) if end < len(rows) else None}

    def changes(self, since: str) -> JsonObject:
        # Nothing changes on the fake server after the first sync.
        return {
            "members": [],
            "badges": [],
            "awards": [],
            "requests": [],
            "next_cursor": since,
            "has_more": False,
        }

    def honest(self, request: httpx.Request) -> JsonObject:
        path = request.url.path.removeprefix(API).strip("/")
        params = request.url.params
        if path == "community":
            return self.community()
        if path == "changes":
            return self.changes(params["since"])
        if path in KINDS:
            return self.page(path, params.get("cursor"), int(params["limit"]))
        raise AssertionError(f"the fake server has no {request.url.path}")

    # --- transport --------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix(API)
        self.requests[path] = self.requests.get(path, 0) + 1
        if sum(self.requests.values()) > self.trip_after:
            raise AssertionError(f"still paging after {self.trip_after} requests: {self.requests}")
        if self.tamper is not None:
            answer = self.tamper(request, self)
            if answer is not None:
                return answer
        return json_response(self.honest(request))

    def connector(self) -> CommunityApiConnector:
        return CommunityApiConnector(BASE_URL, "token", transport=httpx.MockTransport(self.handle))


def json_response(body: Any, *, status: int = 200, content_type: str = "application/json") -> httpx.Response:
    # allow_nan: a hostile server may well send NaN, which strict JSON has no word for.
    content = body if isinstance(body, bytes) else json.dumps(body, allow_nan=True).encode()
    return httpx.Response(status, content=content, headers={"Content-Type": content_type})


def path_of(request: httpx.Request) -> str:
    """``/members`` for ``/api/v1/members?cursor=…``."""
    return request.url.path.removeprefix(API)


def dump_cache(cache: Cache) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of both files (work and mirror), so "nothing changed" means nothing at all."""
    with cache.read() as connection:
        tables = [
            f"{schema}.{row[0]}"
            for schema in ("main", "mirror")
            for row in connection.exec_driver_sql(
                f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        assert "mirror.members" in tables and "main.actions" in tables
        return {
            table: sorted(
                (tuple(row) for row in connection.exec_driver_sql(f"SELECT * FROM {table}")), key=repr
            )
            for table in tables
        }


MIRROR_TABLES = ("members", "badges", "awards", "requests")


def sync(
    cache: Cache,
    server: FakeCommunityServer,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
) -> SyncResult:
    """One sync with pages of two items, so every kind takes several pages."""
    with server.connector() as connector:
        return SyncService(cache, connector, page_size=2, changes_page_size=2).run(
            cancel=cancel, progress=progress
        )


def interrupt_full_sync(cache: Cache, phase: str) -> None:
    """A first full sync, stopped (as by closing the app) right after the first page of ``phase``."""
    cancel = CancelToken()

    def stop_after_first_page(progress: SyncProgress) -> None:
        # Reported once the page is stored; the next page is dropped unstored.
        if progress.phase == phase and progress.done > 0:
            cancel.cancel()

    with pytest.raises(Cancelled):
        sync(cache, FakeCommunityServer(), cancel, stop_after_first_page)
