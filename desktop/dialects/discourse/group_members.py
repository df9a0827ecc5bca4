"""Adding members to a Discourse group and removing them (the group side of the group check).

``PUT /groups/{id}/members.json {usernames}`` and ``DELETE`` with the same body
(Discourse's ``GroupsController#add_members`` / ``#remove_member``): the
usernames comma-separated, matched without regard to case; Discourse drops the
ones it does not know, and refuses (400) a request that names none it knows.

**Requests.** Discourse adds at most 1000 members a request
(``ADD_MEMBERS_LIMIT``; more is a 422) and removes any number; both are chunked
by :func:`username_chunks` to 1000 names and to a body of at most 60,000
characters (well under any proxy's limit), so 2,500 members cost 3 requests of
the session's rate budget (the forum's one admin bucket, shared with the sync
and the awards).

**Answers.** Adding only members already in the group is a 422 ("already a
member"): the group already holds them, so it counts as done. Removing a
non-member is skipped by Discourse (``skipped_usernames``): also done. Only an
admin may change a group (or its owner; the demo's have none), and never an
automatic one: a 403, :class:`~desktop.net.errors.AuthError`.

**Exactly once.** Discourse keeps no idempotency keys: each request is sent once
(:meth:`~desktop.dialects.discourse.api.DiscourseApi.write`); a lost answer
raises :class:`~desktop.net.errors.ServerUnreachable` and the caller settles it by
reading the group's members (:meth:`DiscourseGroupWriter.group_member_ids`), never
by sending again blindly. Both operations are idempotent on the forum's side
anyway (adding a member twice, removing one already gone), so a repeat after
the read does no harm.

Thread safety: one thread at a time (it belongs to the session).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from desktop.dialects.discourse import wire
from desktop.dialects.discourse.api import DiscourseApi, adapter
from desktop.dialects.discourse.groups import members_of

#: ``GroupsController::ADD_MEMBERS_LIMIT``: the most members one request may add.
ADD_MEMBERS_LIMIT = 1000
#: The longest ``usernames`` one request carries (Discourse usernames are at most 60 characters).
MAX_BODY_CHARS = 60_000


def username_chunks(usernames: Sequence[str], size: int = ADD_MEMBERS_LIMIT) -> Iterator[list[str]]:
    """``usernames`` (each once, in order) in requests of at most ``size`` names and
    :data:`MAX_BODY_CHARS` characters. A name with a comma, or blank, cannot be sent: ValueError."""
    seen: set[str] = set()
    chunk: list[str] = []
    length = 0
    for raw in usernames:
        name = raw.strip()
        if not name or "," in name:
            raise ValueError(f"Not a Discourse username: {raw!r}")
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        if chunk and (len(chunk) >= size or length + 1 + len(name) > MAX_BODY_CHARS):
            yield chunk
            chunk, length = [], 0
        chunk.append(name)
        length += len(name) + (1 if length else 0)
    if chunk:
        yield chunk


class DiscourseGroupWriter:
    """The :class:`~desktop.dialects.groups.GroupMembershipWriter` port over one forum session."""

    def __init__(self, api: DiscourseApi) -> None:
        self._api = api

    def add_group_members(self, group_id: int, usernames: Sequence[str]) -> None:
        path = f"/groups/{int(group_id)}/members.json"
        for chunk in username_chunks(usernames):
            response = self._api.write("PUT", path, {"usernames": ",".join(chunk)})
            if response.status_code == 422:
                continue  # every one of them is in the group already
            if response.status_code != 200:
                raise self._api.error("PUT", path, response)
            self._api.parse(adapter(wire.GroupMembersAdded), "PUT", path, response)

    def remove_group_members(self, group_id: int, usernames: Sequence[str]) -> None:
        path = f"/groups/{int(group_id)}/members.json"
        for chunk in username_chunks(usernames):
            response = self._api.write("DELETE", path, {"usernames": ",".join(chunk)})
            if response.status_code != 200:
                raise self._api.error("DELETE", path, response)
            self._api.parse(adapter(wire.GroupMembersRemoved), "DELETE", path, response)

    def group_member_ids(self, group_name: str) -> frozenset[int] | None:
        """Who is in the group now (after a lost answer); None: the group is gone or hidden."""
        return members_of(self._api, group_name)


__all__ = ["ADD_MEMBERS_LIMIT", "DiscourseGroupWriter", "username_chunks"]
