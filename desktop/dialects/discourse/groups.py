"""Discourse's groups through the directory: the group list, and each group's members.

What it costs (the forum's one admin bucket of 60 requests a minute):

- the group list: one request a page of 36 (``GET /groups.json?page=``,
  Discourse's ``GroupsController#index`` page size), ``total_rows_groups``
  saying when it ends;
- a group's members: one request per 1000 (``GET /groups/{name}/members.json``
  with ``limit=1000``, Discourse's most), until ``meta.total``; none at all
  for a group whose ``user_count`` is what the caller already knows
  (``known``): a later sync reads only the groups that changed, as it reads
  only the holders of badges whose ``grant_count`` changed.

**Automatic groups are left out** (``automatic: true``: ``admins``,
``moderators``, ``staff``, ``trust_level_0`` … ``trust_level_4``). Their
membership follows from each member's rank and trust level, not from a
choice anyone made; ``trust_level_0`` is everyone and ``trust_level_1`` nearly
everyone, so reading them would cost about two requests per thousand members
each pass to learn "everyone", and promotions change their counts daily, so
a later sync would read them again and again. Staff are a handful of people
a moderator knows by name. The groups a community makes ("Speakers",
"Translators") are what a moderator selects members by.

A group deleted between the list and the read of its members (404) is left
out of the page: it is gone, and a complete pass sweeps it. So is a group
whose members the acting user may not see (``can_see_members`` false, or a
403 on its members: Discourse lets a group show its members to its own
members or owners only, and a moderator is not an admin): it cannot be
searched by, and its member list is not BadgeDesk's to know.

Thread safety: one thread at a time (it belongs to the directory's session).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from desktop.dialects.base import Page
from desktop.dialects.discourse import wire
from desktop.dialects.discourse.api import DiscourseApi, adapter
from desktop.dialects.discourse.cursors import GroupPosition
from desktop.domain import Group
from desktop.i18n import _
from desktop.net.errors import AuthError, MalformedResponse

#: Discourse's groups a page (GroupsController#index) and most members a request (#members).
GROUPS_PER_PAGE = 36
MEMBERS_PER_REQUEST = 1000
_GROUPS = "/groups.json"


def group_page(api: DiscourseApi, cursor: str | None, known: Mapping[int, int] | None) -> Page[Group]:
    """One page of the forum's own groups, each with its members unless ``known`` has its count."""
    at = GroupPosition.decode(cursor)
    listed = api.read(adapter(wire.GroupList), _GROUPS, {"page": at.page})
    groups: list[Group] = []
    for row in listed.groups:
        if row.automatic or not row.can_see_members:
            continue
        unchanged = known is not None and known.get(row.id) == row.user_count
        members = None if unchanged else _members(api, row.name)
        if not unchanged and members is None:
            continue  # deleted since the list was read, or its members hidden from this user
        groups.append(Group(row.id, row.name, row.full_name or row.name, row.user_count, members))
    shown = (at.page + 1) * GROUPS_PER_PAGE
    more = bool(listed.groups) and shown < listed.total_rows_groups
    return Page(groups, GroupPosition(at.page + 1).encode() if more else None)


def requests_to_list(cursor: str | None, cached_groups: int) -> int:
    """The group list's pages left and one request per group (most have under 1000 members)."""
    at = GroupPosition.decode(cursor)
    pages = cached_groups // GROUPS_PER_PAGE + 1
    return max(1, pages - at.page) + max(0, cached_groups - at.page * GROUPS_PER_PAGE)


def members_of(api: DiscourseApi, name: str) -> frozenset[int] | None:
    """Every member of the group by id (None: gone, or hidden from the acting user)."""
    return _members(api, name)


def _members(api: DiscourseApi, name: str) -> frozenset[int] | None:
    """Every member of the group (its owners are members too), None when the group is gone
    or its members are hidden from the acting user."""
    path = f"/groups/{quote(name, safe='')}/members.json"
    seen: set[int] = set()
    offset = 0
    while True:
        params: dict[str, str | int] = {"offset": offset, "limit": MEMBERS_PER_REQUEST}
        try:
            answer = api.read_unless_missing(adapter(wire.GroupMembers), path, params)
        except AuthError as refused:
            # The key itself was accepted when the session began: this is the group's privacy.
            if refused.status != 403:
                raise
            return None
        if answer is None:
            return None
        before = len(seen)
        seen.update(m.id for m in (*answer.members, *answer.owners))
        offset += len(answer.members)
        if not answer.members or offset >= answer.meta.total:
            # Discourse's own users (system, bots) have ids of 0 or below: not members.
            return frozenset(i for i in seen if i >= 1)
        if len(seen) == before:
            raise MalformedResponse(
                _(
                    "Malformed response from GET {path}: a page of the group {name} brought no member"
                    " not seen before; tell the forum's administrator"
                ).format(path=path, name=repr(name))
            )
