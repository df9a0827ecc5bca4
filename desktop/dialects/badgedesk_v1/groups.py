"""The v1 server's groups: the group listing (:class:`~desktop.dialects.groups.GroupListing`) and
membership changes (:class:`~desktop.dialects.groups.GroupMembershipWriter`).

What it costs: one request a page of 100 groups (``GET /groups``), and one per
5000 members of a group whose members are read (``GET /groups/{id}/members``);
none for a group whose ``member_count`` is what the caller already knows
(``known``), as with Discourse. A change is one request per batch cap of
members (``POST /groups/{id}/add-members`` / ``remove-members``), each with its
own idempotency key made from the action's (``key.0``, ``key.1``, …): the same
change sent again after a lost answer is the same requests with the same keys,
which the server answers with their first results.

Thread safety: one thread at a time (it belongs to the connector).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from desktop.dialects.badgedesk_v1 import wire
from desktop.dialects.base import Page
from desktop.domain import Group
from desktop.i18n import _
from desktop.net.errors import ApiError, MalformedResponse

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

#: Groups a page, and most members a request (the server's own limits).
GROUPS_PER_PAGE = 100
MEMBERS_PER_REQUEST = 5000


class Call(Protocol):
    """The connector's request: the answer validated as ``model``, or an :class:`ApiError`."""

    def __call__(
        self,
        model: type[M],
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int | None] | None = None,
        body: Any = None,
    ) -> M: ...


def group_page(call: Call, cursor: str | None, known: Mapping[int, int] | None) -> Page[Group]:
    """One page of groups, each with its members unless ``known`` has its count."""
    page = call(wire.GroupPage, "GET", "/groups", params={"cursor": cursor, "limit": GROUPS_PER_PAGE})
    groups: list[Group] = []
    for row in page.items:
        unchanged = known is not None and known.get(row.id) == row.member_count
        members = None if unchanged else _members(call, row.id)
        if not unchanged and members is None:
            continue  # deleted since the list was read: a complete pass sweeps it
        groups.append(Group(row.id, row.name, row.title or row.name, row.member_count, members))
    return Page(groups, page.next_cursor)


def requests_to_list(cached_groups: int) -> int:
    """The group list's pages and one request per group (most have under 5000 members)."""
    return cached_groups // GROUPS_PER_PAGE + 1 + cached_groups


def _members(call: Call, group_id: int) -> frozenset[int] | None:
    path = f"/groups/{int(group_id)}/members"
    seen: set[int] = set()
    cursor: str | None = None
    while True:
        try:
            page = call(wire.MemberPage, "GET", path, params={"cursor": cursor, "limit": MEMBERS_PER_REQUEST})
        except ApiError as error:
            if error.status == 404:
                return None
            raise
        seen.update(m.id for m in page.items)
        if page.next_cursor is None:
            return frozenset(seen)
        if page.next_cursor == cursor:
            raise MalformedResponse(
                _("Malformed response from GET {path}: the next page's cursor is this page's").format(
                    path=path
                )
            )
        cursor = page.next_cursor


def change_members(
    call: Call, group_id: int, member_ids: Sequence[int], key: str, *, add: bool, cap: int
) -> None:
    """Add the members to the group (``add``) or remove them, ``cap`` a request."""
    path = f"/groups/{int(group_id)}/{'add' if add else 'remove'}-members"
    ids = list(dict.fromkeys(member_ids))
    for number, start in enumerate(range(0, len(ids), max(1, cap))):
        chunk = ids[start : start + max(1, cap)]
        body = {"idempotency_key": f"{key}.{number}", "member_ids": chunk}
        answer = call(wire.GroupChangeOut, "POST", path, body=body)
        accounted = {*answer.changed, *answer.unchanged, *answer.missing}
        if answer.group.id != group_id or accounted != set(chunk):
            raise MalformedResponse(
                _("Malformed response from POST {path}: the answer does not match the members sent").format(
                    path=path
                )
            )
        if answer.missing:
            # Deleted (or never known) on the server: nothing to change there, the next sync drops them.
            log.info("group %s: %d member(s) not on the server", group_id, len(answer.missing))
