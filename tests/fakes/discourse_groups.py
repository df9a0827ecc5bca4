"""The fake Discourse forum's groups: ``GET /groups.json`` and ``GET /groups/{name}/members.json``.

As ``GroupsController`` answers a staff member (FACTS.md § Members; the
sandbox's ``routes/groups.py``): groups by name, 36 a page (``page`` from 0),
with ``total_rows_groups``; a group's members by ``offset``/``limit``
(default 50, at most 1000), ordered by username, with ``meta.total``.
Automatic groups (trust levels, staff) are listed like the others, flagged
``automatic``. Answers are built from the published spec's schemas and
checked against them by the forum (see :mod:`tests.fakes.discourse_forum`).

Thread safety: one test thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx

from tests.fakes import discourse_spec as spec
from tests.fakes.discourse_records import INVALID_ACCESS, NOT_FOUND, ForumUser, iso, json_answer

GROUPS_PER_PAGE = 36
MEMBERS_LIMIT = 50
MEMBERS_MAX = 1000


@dataclass
class ForumGroup:
    id: int
    name: str
    member_ids: list[int] = field(default_factory=list)
    automatic: bool = False
    full_name: str | None = None
    #: Its members shown to its own members only (the acting user is not one): 403 on them.
    members_hidden: bool = False


class ForumGroups:
    """A mixin of the fake forum: its groups and their two listings."""

    users: dict[int, ForumUser]

    def _init_groups(self) -> None:
        self.groups: dict[int, ForumGroup] = {}

    def add_group(
        self, group_id: int, name: str, member_ids: list[int], *, automatic: bool = False
    ) -> ForumGroup:
        group = ForumGroup(group_id, name, list(member_ids), automatic)
        self.groups[group_id] = group
        return group

    def _group_members(self, group: ForumGroup) -> list[ForumUser]:
        # Deleted members are gone from their groups; bots are no one's members here.
        present = [self.users[i] for i in group.member_ids if i in self.users and i > 0]
        return sorted(present, key=lambda u: (u.username.lower(), u.id))

    def route_groups(self, method: str, path: str, query: dict[str, str]) -> httpx.Response | None:
        """The answer to a groups request, or None when the path is not one."""
        if method != "GET":
            return None
        if path == "/groups":
            return self._group_list(query)
        if path.startswith("/groups/") and path.endswith("/members"):
            name = unquote(path.removeprefix("/groups/").removesuffix("/members"))
            return self._members_of(name, query)
        return None

    def _group_list(self, query: dict[str, str]) -> httpx.Response:
        ordered = sorted(self.groups.values(), key=lambda g: g.name)
        page = max(0, int(query.get("page", "0") or 0))
        shown = ordered[page * GROUPS_PER_PAGE : (page + 1) * GROUPS_PER_PAGE]
        schema = spec.response_schema("/groups.json")
        row = spec.item_schema(schema, "groups")
        return json_answer(
            200,
            {
                "groups": [
                    spec.shaped(
                        row,
                        id=g.id,
                        automatic=g.automatic,
                        name=g.name,
                        display_name=g.name,
                        full_name=g.full_name,
                        user_count=len(self._group_members(g)),
                        can_see_members=not g.members_hidden,
                    )
                    for g in shown
                ],
                "extras": {"type_filters": ["my", "owner", "public", "close", "automatic"]},
                "total_rows_groups": len(ordered),
                "load_more_groups": f"/groups?page={page + 1}",
            },
        )

    def _members_of(self, name: str, query: dict[str, str]) -> httpx.Response:
        group = next((g for g in self.groups.values() if g.name.lower() == name.lower()), None)
        if group is None:
            return json_answer(404, NOT_FOUND)
        if group.members_hidden:
            return json_answer(403, INVALID_ACCESS)
        limit = min(max(1, int(query.get("limit", MEMBERS_LIMIT))), MEMBERS_MAX)
        offset = max(0, int(query.get("offset", "0")))
        everyone = self._group_members(group)
        row = spec.item_schema(spec.response_schema("/groups/{name}/members.json"), "members")

        def out(user: ForumUser) -> dict[str, Any]:
            return spec.shaped(
                row,
                id=user.id,
                username=user.username,
                name=user.name or None,
                avatar_template=f"/letter_avatar_proxy/v4/letter/{user.username[0]}/cc4/{{size}}.png",
                last_posted_at=None,
                last_seen_at=None if user.last_seen_at is None else iso(user.last_seen_at),
                added_at=iso(user.created_at),
                timezone=None,
            )

        return json_answer(
            200,
            {
                "members": [out(u) for u in everyone[offset : offset + limit]],
                "owners": [],
                "meta": {"total": len(everyone), "limit": limit, "offset": offset},
            },
        )
