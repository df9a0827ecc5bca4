"""A small Discourse forum for tests: the badge API over an ``httpx.MockTransport``.

It imitates what FACTS.md (``/work/shared/discourse``) says Discourse does,
no more: ``Api-Key`` + ``Api-Username`` auth (a bad key is a 404 on
``/admin/*`` and a 403 elsewhere), the admin user list (100 a page, 1-based,
``order``/``asc``, ``show_emails``, ``active`` listing everyone), the badge
list with its types and groupings, grants one member per request with the
reason-link rule and Discourse's repeat semantics, revokes by grant id,
the holders list (newest first, ``limit`` ≤ 50, ``offset``), a member's
badges, and both shapes of 429.

Every answer is built from the published spec's schemas and checked against
them (:mod:`tests.fakes.discourse_spec`) before the client sees it; a test's
hooks (drop an answer after applying, answer 429, spoil a page) act after
that check, as a broken network or server would.

Thread safety: one test thread.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx

from tests.fakes import discourse_spec as spec

HOST = "forum.test"
URL = f"https://{HOST}"
ADMIN_KEY = "admin-key-0123456789abcdef"
T0 = datetime(2024, 1, 1, tzinfo=UTC)
USERS_PER_PAGE = 100
MAX_HOLDERS = 50
BADGE_TYPES = {1: "Gold", 2: "Silver", 3: "Bronze"}
GROUPINGS = {1: "Getting Started", 2: "Community", 3: "Posting", 4: "Trust Level", 5: "Other"}

_NOT_FOUND = {"errors": ["The requested URL or resource could not be found."], "error_type": "not_found"}
_INVALID_ACCESS = {
    "errors": ["You are not permitted to view the requested resource. The API username or key is invalid."],
    "error_type": "invalid_access",
}
_BAD_REASON = "Reason must be a link to a post or topic on this site."


@dataclass
class ForumUser:
    id: int
    username: str
    name: str = ""
    email: str = ""
    created_at: datetime = T0
    last_seen_at: datetime | None = None
    suspended: bool = False
    silenced: bool = False
    admin: bool = False
    moderator: bool = False


@dataclass
class ForumBadge:
    id: int
    name: str
    description: str = ""
    long_description: str = ""
    badge_type_id: int = 3
    badge_grouping_id: int = 5
    enabled: bool = True
    multiple_grant: bool = False
    icon: str = "fa-certificate"
    image_url: str | None = None
    system: bool = False


@dataclass
class Grant:
    id: int
    user_id: int
    badge_id: int
    granted_at: datetime
    granted_by_id: int
    post_id: int | None = None


@dataclass
class _Armed:
    """Effects armed for the next matching requests."""

    lose: list[tuple[str, str]] = field(default_factory=list)
    throttle: list[tuple[str, str | None]] = field(default_factory=list)
    spoil: list[tuple[str, Callable[[Any], Any]]] = field(default_factory=list)
    refuse: list[tuple[str, str, int, Any]] = field(default_factory=list)


class FakeForum:
    """The forum's state and its HTTP face. ``transport()`` is what a session is given."""

    def __init__(self, title: str = "Badge Forum") -> None:
        self.title = title
        self.users: dict[int, ForumUser] = {
            -1: ForumUser(-1, "system", "system", "no_email@invalid", T0, None, admin=True),
            -2: ForumUser(-2, "discobot", "discobot", "discobot_email@invalid", T0, None),
        }
        self.keys = {ADMIN_KEY}
        self.badges: dict[int, ForumBadge] = {}
        self.grants: list[Grant] = []
        #: Topics that exist: a reason linking one of their posts is recorded as the grant's post.
        self.topics: set[int] = set()
        self._next_grant = 1000
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
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

    def add_user(self, user: ForumUser) -> ForumUser:
        self.users[user.id] = user
        return user

    def delete_user(self, user_id: int) -> None:
        """As an admin's delete does: the member and their grants go."""
        del self.users[user_id]
        self.grants = [g for g in self.grants if g.user_id != user_id]

    def user(self, username: str) -> ForumUser | None:
        lower = username.lower()
        return next((u for u in self.users.values() if u.username.lower() == lower), None)

    def grant(self, user_id: int, badge_id: int, *, by: int = -1, at: datetime | None = None) -> Grant:
        """A grant made on the forum directly (another moderator, or Discourse itself)."""
        self._next_grant += 1
        grant = Grant(self._next_grant, user_id, badge_id, at or self.clock(), by)
        self.grants.append(grant)
        return grant

    def held(self, user_id: int, badge_id: int) -> list[Grant]:
        return [g for g in self.grants if g.user_id == user_id and g.badge_id == badge_id]

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
            return _json(
                404 if path.startswith("/admin/") else 403,
                _NOT_FOUND if path.startswith("/admin/") else _INVALID_ACCESS,
            )
        refusal = next((r for r in self.armed.refuse if r[0] == method and path.startswith(r[1])), None)
        if refusal is not None:
            self.armed.refuse.remove(refusal)
            return _json(refusal[2], refusal[3])
        response = self._route(request, actor)
        if response.status_code == 200 and spec.check(request, response):
            self.checked.add(f"{method} {_template(path)}")
        for i, (prefix, change) in enumerate(self.armed.spoil):
            if method == "GET" and path.startswith(prefix):
                del self.armed.spoil[i]
                response = _json(200, change(json.loads(response.content)))
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
        return _json(429, body, headers)

    def _actor(self, request: httpx.Request) -> ForumUser | None:
        if request.headers.get("Api-Key") not in self.keys:
            return None
        return self.user(request.headers.get("Api-Username", ""))

    def _route(self, request: httpx.Request, actor: ForumUser) -> httpx.Response:
        method, path = request.method, request.url.path.removesuffix(".json")
        query = {k: v[-1] for k, v in parse_qs(request.url.query.decode("ascii")).items()}
        staff = actor.admin or actor.moderator
        if method == "GET" and path == "/site/basic-info":
            return _json(200, spec.shaped(spec.response_schema("/site/basic-info.json"), title=self.title))
        if method == "GET" and (m := re.fullmatch(r"/u/([^/]+)", path)):
            return self._user_show(unquote(m[1]))
        if path.startswith("/admin/") and not staff:
            return _json(404, _NOT_FOUND)
        if method == "GET" and (m := re.fullmatch(r"/admin/users/list/([^/]+)", path)):
            return self._user_list(m[1], query)
        if method == "GET" and (m := re.fullmatch(r"/admin/users/(-?\d+)", path)):
            return self._admin_user(int(m[1]))
        if method == "GET" and path == "/admin/badges":
            # Badges are the admins' business: a moderator gets a 404 here.
            return self._badge_list() if actor.admin else _json(404, _NOT_FOUND)
        if method == "GET" and path == "/user_badges":
            return self._holders(query)
        if method == "GET" and (m := re.fullmatch(r"/user-badges/([^/]+)", path)):
            return self._member_badges(unquote(m[1]))
        if method == "POST" and path == "/user_badges":
            return self._grant(request, actor)
        if method == "DELETE" and (m := re.fullmatch(r"/user_badges/(\d+)", path)):
            return self._revoke(int(m[1]), actor)
        return _json(404, _NOT_FOUND)

    # --- reads ----------------------------------------------------------------------------

    def _user_show(self, username: str) -> httpx.Response:
        user = self.user(username)
        if user is None:
            return _json(404, _NOT_FOUND)
        body = spec.example(spec.response_schema("/u/{username}.json"))
        body["user"].update(
            id=user.id,
            username=user.username,
            name=user.name,
            created_at=_iso(user.created_at),
            admin=user.admin,
            moderator=user.moderator,
        )
        return _json(200, body)

    def _user_list(self, flag: str, query: dict[str, str]) -> httpx.Response:
        users = [u for u in self.users.values() if flag != "suspended" or u.suspended]
        if query.get("order") == "created":
            users.sort(key=lambda u: (u.created_at, u.id), reverse=not query.get("asc"))
        else:  # "active": by last seen, newest first; the others by creation, newest first
            users.sort(key=lambda u: (u.last_seen_at or T0, u.id), reverse=True)
        page = max(int(query.get("page", "1") or "1"), 1)
        chosen = users[(page - 1) * USERS_PER_PAGE : page * USERS_PER_PAGE]
        emails = query.get("show_emails") == "true"
        schema = spec.item_schema(spec.response_schema("/admin/users/list/{flag}.json"))
        return _json(200, [self._listed(schema, u, emails) for u in chosen])

    def _listed(self, schema: dict[str, Any], user: ForumUser, emails: bool) -> dict[str, Any]:
        row = spec.shaped(
            schema,
            id=user.id,
            username=user.username,
            name=user.name or None,
            active=True,
            admin=user.admin,
            moderator=user.moderator,
            created_at=_iso(user.created_at),
            last_seen_at=None if user.last_seen_at is None else _iso(user.last_seen_at),
            last_emailed_at=None,
            manual_locked_trust_level=None,
            title=None,
        )
        if emails:
            row["email"] = user.email
            row["secondary_emails"] = []
        # As AdminUserListSerializer does: present only while it applies.
        if user.suspended:
            row["suspended_at"] = _iso(T0)
            row["suspended_till"] = "3024-01-01T00:00:00.000Z"
        if user.silenced:
            row["silenced"] = True
        return row

    def _admin_user(self, user_id: int) -> httpx.Response:
        user = self.users.get(user_id)
        if user is None:
            return _json(404, _NOT_FOUND)
        body = spec.example(spec.response_schema("/admin/users/{id}.json"))
        body.update(id=user.id, username=user.username, name=user.name, created_at=_iso(user.created_at))
        return _json(200, body)

    def _badge_list(self) -> httpx.Response:
        schema = spec.response_schema("/admin/badges.json")
        body = spec.example(schema)
        row = spec.item_schema(schema, "badges")
        body["badges"] = [
            spec.shaped(
                row,
                **self._badge_fields(b),
                long_description=b.long_description,
                query=None,
                trigger=None,
                i18n_name=None,
                image_upload_id=None,
            )
            for b in sorted(self.badges.values(), key=lambda b: b.id)
        ]
        body["badge_types"] = self._badge_types(spec.item_schema(schema, "badge_types"))
        grouping = spec.item_schema(schema, "badge_groupings")
        body["badge_groupings"] = [
            spec.shaped(grouping, id=i, name=n, description=None, position=i) for i, n in GROUPINGS.items()
        ]
        return _json(200, body)

    def _badge_fields(self, badge: ForumBadge) -> dict[str, Any]:
        return {
            "id": badge.id,
            "name": badge.name,
            "description": badge.description,
            "grant_count": sum(1 for g in self.grants if g.badge_id == badge.id),
            "multiple_grant": badge.multiple_grant,
            "icon": badge.icon,
            "image_url": badge.image_url,
            "listable": True,
            "enabled": badge.enabled,
            "badge_grouping_id": badge.badge_grouping_id,
            "system": badge.system,
            "slug": re.sub(r"[^a-z0-9]+", "-", badge.name.lower()).strip("-"),
            "manually_grantable": not badge.system,
            "badge_type_id": badge.badge_type_id,
        }

    def _badge_types(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        return [spec.shaped(schema, id=i, name=n, sort_order=10 - i) for i, n in BADGE_TYPES.items()]

    def _holders(self, query: dict[str, str]) -> httpx.Response:
        """``GET /user_badges.json?badge_id=``: no published schema; shaped as UserBadgesSerializer does."""
        badge = self.badges.get(int(query.get("badge_id", "0") or 0))
        if badge is None or not badge.enabled:
            return _json(404, _NOT_FOUND)
        limit = min(max(int(query.get("limit", str(MAX_HOLDERS))), 1), MAX_HOLDERS)
        offset = max(int(query.get("offset", "0")), 0)
        grants = sorted(
            (g for g in self.grants if g.badge_id == badge.id),
            key=lambda g: (g.granted_at, g.id),
            reverse=True,
        )[offset : offset + limit]
        rows = []
        for g in grants:
            row: dict[str, Any] = {
                "id": g.id,
                "granted_at": _iso(g.granted_at),
                "created_at": _iso(g.granted_at),
                "badge_id": g.badge_id,
                "user_id": g.user_id,
                "granted_by_id": g.granted_by_id,
            }
            if g.post_id is not None:
                row.update(post_id=g.post_id, post_number=g.post_id % 1000, topic_id=g.post_id // 1000)
            rows.append(row)
        people = {g.user_id for g in grants} | {g.granted_by_id for g in grants}
        return _json(
            200,
            {
                "badges": [{**self._badge_fields(badge), "long_description": badge.long_description}],
                "badge_types": [{"id": i, "name": n, "sort_order": 10 - i} for i, n in BADGE_TYPES.items()],
                "users": [self._user_ref(self.users[i]) for i in sorted(people) if i in self.users],
                "user_badge_info": {"user_badges": rows, "grant_count": None, "username": None},
            },
        )

    def _user_ref(self, user: ForumUser) -> dict[str, Any]:
        return {
            "id": user.id,
            "username": user.username,
            "name": user.name,
            "avatar_template": "",
            "moderator": user.moderator,
            "admin": user.admin,
        }

    def _member_badges(self, username: str) -> httpx.Response:
        user = self.user(username)
        if user is None:
            return _json(404, _NOT_FOUND)
        schema = spec.response_schema("/user-badges/{username}.json")
        grants = [g for g in self.grants if g.user_id == user.id]
        return _json(
            200,
            self._grant_sideloads(
                schema,
                grants,
                {
                    "user_badges": [
                        spec.shaped(
                            spec.item_schema(schema, "user_badges"),
                            id=g.id,
                            granted_at=_iso(g.granted_at),
                            is_favorite=None,
                            badge_id=g.badge_id,
                            granted_by_id=g.granted_by_id,
                        )
                        for g in grants
                    ]
                },
            ),
        )

    def _grant_sideloads(
        self, schema: dict[str, Any], grants: list[Grant], body: dict[str, Any]
    ) -> dict[str, Any]:
        badges = sorted({g.badge_id for g in grants})
        givers = sorted({g.granted_by_id for g in grants})
        body["badges"] = [
            spec.shaped(spec.item_schema(schema, "badges"), **self._badge_fields(self.badges[i]))
            for i in badges
            if i in self.badges
        ]
        body["badge_types"] = self._badge_types(spec.item_schema(schema, "badge_types"))
        giver = spec.item_schema(schema, "granted_bies")
        body["granted_bies"] = [
            spec.shaped(
                giver,
                id=u.id,
                username=u.username,
                name=u.name,
                flair_name=None,
                admin=u.admin,
                moderator=u.moderator,
            )
            for u in (self.users[i] for i in givers if i in self.users)
        ]
        return body

    # --- writes ---------------------------------------------------------------------------

    def _grant(self, request: httpx.Request, actor: ForumUser) -> httpx.Response:
        """``POST /user_badges.json`` as UserBadgesController#create and BadgeGranter#grant do it."""
        body = _body(request)
        if not body.get("username"):
            return _json(
                400,
                {
                    "errors": ["param is missing or the value is empty: username"],
                    "error_type": "invalid_parameters",
                },
            )
        user = self.user(str(body["username"]))
        if user is None:
            return _json(404, _NOT_FOUND)
        if not (actor.admin or actor.moderator):
            return _json(403, {"failed": "FAILED"})
        badge = self.badges.get(int(body.get("badge_id") or 0))
        if badge is None or not badge.enabled:
            return _json(404, _NOT_FOUND)
        post_id = None
        reason = str(body.get("reason") or "")
        if reason:
            route = _route_for(reason)
            if route is None:
                return _json(400, {"failed": "FAILED", "message": _BAD_REASON})
            topic, post_number = route
            post_id = topic * 1000 + post_number if topic in self.topics else None
        existing = [
            g for g in self.held(user.id, badge.id) if not badge.multiple_grant or g.post_id == post_id
        ]
        if existing and not (badge.multiple_grant and post_id is None):
            grant = existing[0]  # the grant the member holds: no new row, no notification
        else:
            grant = self.grant(user.id, badge.id, by=actor.id)
            grant.post_id = post_id
        return _json(200, self._grant_answer(grant))

    def _grant_answer(self, grant: Grant) -> dict[str, Any]:
        """The answer of a grant: root ``user_badge`` (DetailedUserBadgeSerializer) and its sideloads."""
        row: dict[str, Any] = {
            "id": grant.id,
            "granted_at": _iso(grant.granted_at),
            "grouping_position": 0,
            "is_favorite": None,
            "can_favorite": False,
            "badge_id": grant.badge_id,
            "granted_by_id": grant.granted_by_id,
        }
        if grant.post_id is not None:
            row.update(
                post_number=grant.post_id % 1000, topic_id=grant.post_id // 1000, topic_title="A topic"
            )
        # The 2021 spec describes the sideloads only loosely: shaped like the member's badges.
        return self._grant_sideloads(
            spec.response_schema("/user-badges/{username}.json"), [grant], {"user_badge": row}
        )

    def _revoke(self, grant_id: int, actor: ForumUser) -> httpx.Response:
        grant = next((g for g in self.grants if g.id == grant_id), None)
        if grant is None:
            return _json(404, _NOT_FOUND)
        if not (actor.admin or actor.moderator):
            return _json(403, {"failed": "FAILED"})
        self.grants.remove(grant)
        return _json(200, {"success": "OK"})


def _route_for(reason: str) -> tuple[int, int] | None:
    """The topic and post number a reason routes to on this forum, as Discourse.route_for finds them."""
    parts = urlsplit(reason)
    if parts.netloc and parts.netloc != HOST:
        return None
    m = re.fullmatch(r"/t/(?:[^/]+/)?(\d+)(?:/(\d+))?/?", parts.path)
    if m:
        return int(m[1]), int(m[2] or 1)
    m = re.fullmatch(r"/(?:p|posts)/(\d+)/?", parts.path)
    return (int(m[1]) // 1000, int(m[1]) % 1000) if m else None


def _body(request: httpx.Request) -> dict[str, Any]:
    """A request's parameters: JSON, or form data (pydiscourse sends forms)."""
    if request.headers.get("Content-Type", "").startswith("application/json"):
        data: dict[str, Any] = json.loads(request.content)
        return data
    return {k: v[-1] for k, v in parse_qs(request.content.decode()).items()}


def _template(path: str) -> str:
    """A path as the spec names it (``/user_badges/{id}.json``), for the record of checked answers."""
    for pattern, name in (
        (r"/admin/users/list/[^/]+\.json", "/admin/users/list/{flag}.json"),
        (r"/admin/users/-?\d+\.json", "/admin/users/{id}.json"),
        (r"/user-badges/[^/]+\.json", "/user-badges/{username}.json"),
        (r"/user_badges/\d+\.json", "/user_badges/{id}.json"),
        (r"/u/[^/]+\.json", "/u/{username}.json"),
    ):
        if re.fullmatch(pattern, path):
            return name
    return path


def _iso(moment: datetime) -> str:
    """A time as Rails writes it: milliseconds and a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        content=json.dumps(body).encode(),
    )
