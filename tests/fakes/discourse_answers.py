"""The fake Discourse forum's state and its answers, shaped from the published spec.

See :mod:`tests.fakes.discourse_forum` (the forum with its hooks, and what it imitates).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.fakes import discourse_spec as spec
from tests.fakes.discourse_records import (
    ADMIN_KEY,
    BAD_REASON,
    BADGE_TYPES,
    GROUPINGS,
    MAX_HOLDERS,
    NOT_FOUND,
    T0,
    USERS_PER_PAGE,
    ForumBadge,
    ForumUser,
    Grant,
    body_of,
    iso,
    json_answer,
    route_for,
)


class ForumState:
    """Who is on the forum, its badges and its grants."""

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


class ForumAnswers(ForumState):
    """The answers to each request the forum serves, as Discourse's controllers give them."""

    # --- reads ----------------------------------------------------------------------------

    def _user_show(self, username: str) -> httpx.Response:
        user = self.user(username)
        if user is None:
            return json_answer(404, NOT_FOUND)
        body = spec.example(spec.response_schema("/u/{username}.json"))
        body["user"].update(
            id=user.id,
            username=user.username,
            name=user.name,
            created_at=iso(user.created_at),
            admin=user.admin,
            moderator=user.moderator,
        )
        return json_answer(200, body)

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
        return json_answer(200, [self._listed(schema, u, emails) for u in chosen])

    def _listed(self, schema: dict[str, Any], user: ForumUser, emails: bool) -> dict[str, Any]:
        row = spec.shaped(
            schema,
            id=user.id,
            username=user.username,
            name=user.name or None,
            active=True,
            admin=user.admin,
            moderator=user.moderator,
            created_at=iso(user.created_at),
            last_seen_at=None if user.last_seen_at is None else iso(user.last_seen_at),
            last_emailed_at=None,
            manual_locked_trust_level=None,
            title=None,
            trust_level=user.trust_level,
            post_count=user.post_count,
        )
        if emails:
            row["email"] = user.email
            row["secondary_emails"] = []
        # As AdminUserListSerializer does: present only while it applies.
        if user.suspended:
            row["suspended_at"] = iso(T0)
            row["suspended_till"] = "3024-01-01T00:00:00.000Z"
        if user.silenced:
            row["silenced"] = True
        return row

    def _admin_user(self, user_id: int) -> httpx.Response:
        user = self.users.get(user_id)
        if user is None:
            return json_answer(404, NOT_FOUND)
        body = spec.example(spec.response_schema("/admin/users/{id}.json"))
        body.update(id=user.id, username=user.username, name=user.name, created_at=iso(user.created_at))
        return json_answer(200, body)

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
                image_upload_id=b.image_upload_id,
            )
            for b in sorted(self.badges.values(), key=lambda b: b.id)
        ]
        body["badge_types"] = self._badge_types(spec.item_schema(schema, "badge_types"))
        grouping = spec.item_schema(schema, "badge_groupings")
        body["badge_groupings"] = [
            spec.shaped(grouping, id=i, name=n, description=None, position=i) for i, n in GROUPINGS.items()
        ]
        return json_answer(200, body)

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
            return json_answer(404, NOT_FOUND)
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
                "granted_at": iso(g.granted_at),
                "created_at": iso(g.granted_at),
                "badge_id": g.badge_id,
                "user_id": g.user_id,
                "granted_by_id": g.granted_by_id,
            }
            if g.post_id is not None:
                row.update(post_id=g.post_id, post_number=g.post_id % 1000, topic_id=g.post_id // 1000)
            rows.append(row)
        people = {g.user_id for g in grants} | {g.granted_by_id for g in grants}
        return json_answer(
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
            return json_answer(404, NOT_FOUND)
        schema = spec.response_schema("/user-badges/{username}.json")
        grants = [g for g in self.grants if g.user_id == user.id]
        return json_answer(
            200,
            self._grant_sideloads(
                schema,
                grants,
                {
                    "user_badges": [
                        spec.shaped(
                            spec.item_schema(schema, "user_badges"),
                            id=g.id,
                            granted_at=iso(g.granted_at),
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
        body = body_of(request)
        if not body.get("username"):
            return json_answer(
                400,
                {
                    "errors": ["param is missing or the value is empty: username"],
                    "error_type": "invalid_parameters",
                },
            )
        user = self.user(str(body["username"]))
        if user is None:
            return json_answer(404, NOT_FOUND)
        if not (actor.admin or actor.moderator):
            return json_answer(403, {"failed": "FAILED"})
        badge = self.badges.get(int(body.get("badge_id") or 0))
        if badge is None or not badge.enabled:
            return json_answer(404, NOT_FOUND)
        post_id = None
        reason = str(body.get("reason") or "")
        if reason:
            route = route_for(reason)
            if route is None:
                return json_answer(400, {"failed": "FAILED", "message": BAD_REASON})
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
        return json_answer(200, self._grant_answer(grant))

    def _grant_answer(self, grant: Grant) -> dict[str, Any]:
        """The answer of a grant: root ``user_badge`` (DetailedUserBadgeSerializer) and its sideloads."""
        row: dict[str, Any] = {
            "id": grant.id,
            "granted_at": iso(grant.granted_at),
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
            return json_answer(404, NOT_FOUND)
        if not (actor.admin or actor.moderator):
            return json_answer(403, {"failed": "FAILED"})
        self.grants.remove(grant)
        return json_answer(200, {"success": "OK"})
