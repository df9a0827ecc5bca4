"""A small Discourse forum for tests: the badge API over an ``httpx.MockTransport``.

It imitates what FACTS.md (``/work/shared/discourse``) says Discourse does,
no more: ``Api-Key`` + ``Api-Username`` auth (a bad key is a 404 on
``/admin/*`` and a 403 elsewhere), the admin user list (100 a page, 1-based,
``order``/``asc``, ``show_emails``, ``active`` listing everyone), the badge
list with its types and groupings, grants one member per request with the
reason-link rule and Discourse's repeat semantics, revokes by grant id,
the holders list (newest first, ``limit`` ≤ 50, ``offset``), a member's
badges, the request category's topics, replies, closing and private
messages (:mod:`tests.fakes.discourse_topics`), groups and their members
(:mod:`tests.fakes.discourse_groups`), and both shapes of 429.

Every answer is built from the published spec's schemas and checked against
them (:mod:`tests.fakes.discourse_spec`) before the client sees it; a test's
hooks (drop an answer after applying, answer 429, spoil a page, refuse a
request) act after that check, as a broken network or server would.

The state and the answers are in :mod:`tests.fakes.discourse_answers`, the
records in :mod:`tests.fakes.discourse_records`.

Thread safety: one test thread.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, unquote

import httpx

from tests.fakes import discourse_spec as spec
from tests.fakes.discourse_badge_admin import BadgeAdminAnswers
from tests.fakes.discourse_groups import ForumGroup, ForumGroups
from tests.fakes.discourse_records import (
    ADMIN_KEY,
    HOST,
    INVALID_ACCESS,
    NOT_FOUND,
    T0,
    URL,
    ForumBadge,
    ForumUser,
    Grant,
    json_answer,
    template_of,
)
from tests.fakes.discourse_topics import ForumTopics

__all__ = ["ADMIN_KEY", "HOST", "T0", "URL", "FakeForum", "ForumBadge", "ForumGroup", "ForumUser", "Grant"]


@dataclass
class _Armed:
    """Effects armed for the next matching requests."""

    lose: list[tuple[str, str]] = field(default_factory=list)
    throttle: list[tuple[str, str | None]] = field(default_factory=list)
    spoil: list[tuple[str, Callable[[Any], Any]]] = field(default_factory=list)
    refuse: list[tuple[str, str, int, Any]] = field(default_factory=list)


class FakeForum(ForumTopics, BadgeAdminAnswers, ForumGroups):
    """The forum's state and its HTTP face. ``transport()`` is what a session is given."""

    def __init__(self, title: str = "Badge Forum") -> None:
        super().__init__(title)
        self._init_badge_admin()
        self._init_groups()
        #: The scopes of granular and read-only keys (``GET /session/scopes.json``); a key
        #: not named here is global (``[]``). Not enforced: the forum answers what it is asked.
        self.key_scopes: dict[str, list[dict[str, Any]]] = {}
        self.armed = _Armed()
        #: Every request that reached the forum: (method, path), and the requests themselves.
        self.log: list[tuple[str, str]] = []
        self.requests: list[httpx.Request] = []
        #: Answers checked against a published description, by "METHOD path".
        self.checked: set[str] = set()

    # --- seeding -------------------------------------------------------------------------

    @classmethod
    def seeded(cls, members: int = 20, badges: Iterable[ForumBadge] = ()) -> FakeForum:
        """``members`` members (ids 1.., ``user{i}``), alice (admin) and bob (moderator) after them."""
        forum = cls()
        for i in range(1, members + 1):
            forum.add_user(
                ForumUser(
                    i, f"user{i}", f"Member {i}", f"user{i}@example.org", T0 + timedelta(minutes=i), None
                )
            )
        joined = T0 + timedelta(minutes=members + 1)
        forum.add_user(
            ForumUser(members + 1, "alice", "Alice Moderator", "alice@example.org", joined, admin=True)
        )
        forum.add_user(
            ForumUser(members + 2, "bob", "Bob Moderator", "bob@example.org", joined, moderator=True)
        )
        for badge in badges:
            forum.badges[badge.id] = badge
        return forum

    # --- hooks ----------------------------------------------------------------------------

    def lose_next(self, method: str, path_prefix: str) -> None:
        """The next such request is applied, then its answer is lost (the connection breaks)."""
        self.armed.lose.append((method, path_prefix))

    def throttle_next(self, shape: str = "json", retry_after: str | None = "0") -> None:
        """The next request is refused with 429: ``json`` (the admin bucket) or ``text`` (per IP)."""
        self.armed.throttle.append((shape, retry_after))

    def refuse_next(self, method: str, path_prefix: str, status: int, body: Any) -> None:
        """The next such request is answered with this status and JSON body, and not applied."""
        self.armed.refuse.append((method, path_prefix, status, body))

    def spoil_next(self, path_prefix: str, change: Callable[[Any], Any]) -> None:
        """The next answer to a GET of this path is changed after the spec check (a broken server)."""
        self.armed.spoil.append((path_prefix, change))

    def add_key(self, key: str, scopes: list[str]) -> None:
        """A key with these ``resource:action`` scopes (``["global:read"]``: read-only)."""
        self.keys.add(key)
        self.key_scopes[key] = [
            {
                "resource": scope.split(":")[0],
                "action": scope.split(":")[1],
                "key": scope,
                "parameters": [],
                "urls": [],
                "allowed_parameters": {},
            }
            for scope in scopes
        ]

    def sent(self, method: str, path_prefix: str) -> list[httpx.Request]:
        """The requests of this method whose path starts so, oldest first."""
        return [r for r in self.requests if r.method == method and r.url.path.startswith(path_prefix)]

    def count(self, method: str, path_prefix: str = "") -> int:
        return sum(1 for m, p in self.log if m == method and p.startswith(path_prefix))

    # --- HTTP --------------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        method, path = request.method, request.url.path
        self.log.append((method, path))
        self.requests.append(request)
        if self.armed.throttle:
            return self._throttled(*self.armed.throttle.pop(0))
        actor = self._actor(request)
        if actor is None:
            return json_answer(
                404 if path.startswith("/admin/") else 403,
                NOT_FOUND if path.startswith("/admin/") else INVALID_ACCESS,
            )
        refusal = next((r for r in self.armed.refuse if r[0] == method and path.startswith(r[1])), None)
        if refusal is not None:
            self.armed.refuse.remove(refusal)
            return json_answer(refusal[2], refusal[3])
        response = self._route(request, actor)
        # Discourse names the acting user on every answer to a request it authenticated.
        response.headers["X-Discourse-Username"] = actor.username
        if response.status_code == 200 and spec.check(request, response):
            self.checked.add(f"{method} {template_of(path)}")
        for i, (prefix, change) in enumerate(self.armed.spoil):
            if method == "GET" and path.startswith(prefix):
                del self.armed.spoil[i]
                response = json_answer(200, change(json.loads(response.content)))
                break
        for i, (lose_method, prefix) in enumerate(self.armed.lose):
            if method == lose_method and path.startswith(prefix):
                del self.armed.lose[i]
                raise httpx.ReadError("the answer was lost on the way back (test hook)", request=request)
        # The forum's own clock, which a client may compare grant times with.
        response.headers["Date"] = email.utils.format_datetime(self.clock(), usegmt=True)
        return response

    def _throttled(self, shape: str, retry_after: str | None) -> httpx.Response:
        headers = {} if retry_after is None else {"Retry-After": retry_after}
        if shape == "text":
            headers["Discourse-Rate-Limit-Error-Code"] = "ip_10_secs_limit"
            text = "Slow down, too many requests from this IP address. Error code: ip_10_secs_limit."
            return httpx.Response(
                429, headers={**headers, "Content-Type": "text/plain; charset=utf-8"}, content=text.encode()
            )
        headers["Discourse-Rate-Limit-Error-Code"] = "admin_api_key_rate_limit"
        wait = int(retry_after or 0)
        body = {
            "errors": [
                "You’ve performed this action too many times. Please wait "
                f"{wait} seconds before trying again."
            ],
            "error_type": "rate_limit",
            "extras": {"wait_seconds": wait, "time_left": f"{wait} seconds"},
        }
        return json_answer(429, body, headers)

    def _actor(self, request: httpx.Request) -> ForumUser | None:
        if request.headers.get("Api-Key") not in self.keys:
            return None
        return self.user(request.headers.get("Api-Username", ""))

    def _route(self, request: httpx.Request, actor: ForumUser) -> httpx.Response:
        method, path = request.method, request.url.path.removesuffix(".json")
        query = {k: v[-1] for k, v in parse_qs(request.url.query.decode("ascii")).items()}
        staff = actor.admin or actor.moderator
        if method == "GET" and path == "/site/basic-info":
            return json_answer(
                200, spec.shaped(spec.response_schema("/site/basic-info.json"), title=self.title)
            )
        if method == "GET" and (m := re.fullmatch(r"/u/([^/]+)", path)):
            return self._user_show(unquote(m[1]))
        if method == "GET" and path == "/session/scopes":
            return json_answer(200, {"scopes": self.key_scopes.get(request.headers["Api-Key"], [])})
        administered = self._badge_admin(request, path, actor)
        if administered is not None:
            return administered
        if path.startswith("/admin/") and not staff:
            return json_answer(404, NOT_FOUND)
        if method == "GET" and (m := re.fullmatch(r"/admin/users/list/([^/]+)", path)):
            return self._user_list(m[1], query)
        if method == "GET" and (m := re.fullmatch(r"/admin/users/(-?\d+)", path)):
            return self._admin_user(int(m[1]))
        if method == "GET" and path == "/admin/badges":
            # Badges are the admins' business: a moderator gets a 404 here.
            return self._badge_list() if actor.admin else json_answer(404, NOT_FOUND)
        if method == "GET" and path == "/user_badges":
            return self._holders(query)
        if method == "GET" and (m := re.fullmatch(r"/user-badges/([^/]+)", path)):
            return self._member_badges(unquote(m[1]))
        if method == "POST" and path == "/user_badges":
            return self._grant(request, actor)
        if method == "DELETE" and (m := re.fullmatch(r"/user_badges/(\d+)", path)):
            return self._revoke(int(m[1]), actor)
        grouped = self.route_groups(method, path, query)
        if grouped is not None:
            return grouped
        topics = self.route_topics(method, path, query, request, actor)
        return json_answer(404, NOT_FOUND) if topics is None else topics
