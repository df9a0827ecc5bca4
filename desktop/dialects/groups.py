"""An optional port for servers that have groups of members (Discourse's "Speakers").

A directory that lists groups also offers :class:`GroupListing` (checked
with ``isinstance``, like any optional port; the core never asks which
server it is). The sync then keeps the groups and who is in them in the
mirror, and the search filters by group. Discourse and BadgeDesk's own server
(v1, whose members also carry their group names in their own rows) both list
groups by id.

Every method blocks (call it off the GUI thread) and raises the errors of
:mod:`desktop.net.errors`, as the ports of :mod:`desktop.dialects.base`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple, Protocol, runtime_checkable

from desktop.dialects.base import Delivery, Page
from desktop.domain import Group


@runtime_checkable
class GroupListing(Protocol):
    """Groups page by page, each with its members."""

    def groups(self, cursor: str | None, known: Mapping[int, int] | None = None) -> Page[Group]:
        """A page of groups (``cursor`` None: the first), each with its members read whole,
        except a group whose member count is the one ``known`` gives for its id: its
        ``member_ids`` is None (the cached memberships stand), which spares the requests."""
        ...

    def requests_to_list_groups(self, cursor: str | None, cached_groups: int) -> int:
        """Requests to list the groups from ``cursor`` to the end, with their members;
        ``cached_groups``: how many the cache holds, for an estimate."""
        ...


class GroupMember(NamedTuple):
    """A member a group change names: by id and by username (each server takes one of them)."""

    id: int
    username: str


@runtime_checkable
class GroupMembershipWriter(Protocol):
    """Adding members to a group and removing them (the group side of the group check).

    Optional, on the session (``isinstance``); :attr:`Capabilities.group_editing
    <desktop.dialects.capabilities.Capabilities.group_editing>` says whether a session has it.
    Discourse offers it (``PUT``/``DELETE /groups/{id}/members.json`` by usernames:
    :mod:`desktop.dialects.discourse.group_members`), and so does BadgeDesk's own server
    (v1: ``POST /groups/{id}/add-members`` / ``remove-members`` by member id, with an
    idempotency key). The outbox sends it (:mod:`desktop.outbox.kinds.group_members`).

    Each call sends once; ``key`` is the outbox action's idempotency key, the same for
    every try. What a lost answer (:class:`~desktop.net.errors.ServerUnreachable`) means
    is :meth:`group_delivery`'s to say. Adding a member already in the group, or removing
    one not in it, is no error.
    """

    def group_delivery(self) -> Delivery:
        """``IDEMPOTENT``: the server deduplicates by ``key``, so the same change is sent again
        with it (v1). ``RECONCILE``: it does not; the group's members are read first
        (``group_member_ids(group_name)``, where the session has it) and only what is not in
        effect is sent (Discourse)."""
        ...

    def add_group_members(self, group_id: int, members: Sequence[GroupMember], key: str) -> None: ...

    def remove_group_members(self, group_id: int, members: Sequence[GroupMember], key: str) -> None: ...
