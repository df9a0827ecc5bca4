"""The fake Discourse forum's records and the small helpers its answers share.

See :mod:`tests.fakes.discourse_forum`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

HOST = "forum.test"
URL = f"https://{HOST}"
ADMIN_KEY = "admin-key-0123456789abcdef"
T0 = datetime(2024, 1, 1, tzinfo=UTC)
USERS_PER_PAGE = 100
MAX_HOLDERS = 50
BADGE_TYPES = {1: "Gold", 2: "Silver", 3: "Bronze"}
GROUPINGS = {1: "Getting Started", 2: "Community", 3: "Posting", 4: "Trust Level", 5: "Other"}

NOT_FOUND = {"errors": ["The requested URL or resource could not be found."], "error_type": "not_found"}
INVALID_ACCESS = {
    "errors": ["You are not permitted to view the requested resource. The API username or key is invalid."],
    "error_type": "invalid_access",
}
BAD_REASON = "Reason must be a link to a post or topic on this site."


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
    trust_level: int = 1
    post_count: int = 0


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
    image_upload_id: int | None = None


@dataclass
class Grant:
    id: int
    user_id: int
    badge_id: int
    granted_at: datetime
    granted_by_id: int
    post_id: int | None = None


def route_for(reason: str) -> tuple[int, int] | None:
    """The topic and post number a reason routes to on this forum, as Discourse.route_for finds them."""
    parts = urlsplit(reason)
    if parts.netloc and parts.netloc != HOST:
        return None
    m = re.fullmatch(r"/t/(?:[^/]+/)?(\d+)(?:/(\d+))?/?", parts.path)
    if m:
        return int(m[1]), int(m[2] or 1)
    m = re.fullmatch(r"/(?:p|posts)/(\d+)/?", parts.path)
    return (int(m[1]) // 1000, int(m[1]) % 1000) if m else None


def body_of(request: httpx.Request) -> dict[str, Any]:
    """A request's parameters: JSON, or form data (pydiscourse sends forms)."""
    if request.headers.get("Content-Type", "").startswith("application/json"):
        data: dict[str, Any] = json.loads(request.content)
        return data
    return {k: v[-1] for k, v in parse_qs(request.content.decode()).items()}


def template_of(path: str) -> str:
    """A path as the spec names it (``/user_badges/{id}.json``), for the record of checked answers."""
    for pattern, name in (
        (r"/admin/users/list/[^/]+\.json", "/admin/users/list/{flag}.json"),
        (r"/admin/users/-?\d+\.json", "/admin/users/{id}.json"),
        (r"/user-badges/[^/]+\.json", "/user-badges/{username}.json"),
        (r"/user_badges/\d+\.json", "/user_badges/{id}.json"),
        (r"/u/[^/]+\.json", "/u/{username}.json"),
        (r"/groups/[^/]+/members\.json", "/groups/{name}/members.json"),
    ):
        if re.fullmatch(pattern, path):
            return name
    return path


def iso(moment: datetime) -> str:
    """A time as Rails writes it: milliseconds and a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def json_answer(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        content=json.dumps(body).encode(),
    )
