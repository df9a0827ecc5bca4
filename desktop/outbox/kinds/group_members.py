"""Group membership changes: members added to a server's group, or removed from it.

The group side of the group check (:mod:`desktop.group_check`). One action
carries the whole list (``group_id``, ``group``, ``change`` "add" or "remove",
``member_ids`` with their ``usernames``); the session's
:class:`~desktop.dialects.groups.GroupMembershipWriter` splits it into as many
requests as the server needs (Discourse: 1000 names each; v1: its batch cap). A
server without the port cannot take it: :class:`~desktop.outbox.kinds.MissingPort`.

**Exactly once.** The changes are idempotent on the server (adding a member
already in the group, or removing one not in it, changes nothing), but a lost
answer (or a crash between claim and answer) is still settled as the writer's
:meth:`~desktop.dialects.groups.GroupMembershipWriter.group_delivery` says,
never assumed: a server that deduplicates by key (v1) gets the same change
again with the action's idempotency key and answers with its first result; for
one that does not (Discourse) the group's members are read first, and only the
members not yet in the wanted state are sent. Once the server confirmed it, the
mirror's memberships follow (:func:`desktop.cache.groups.change_memberships`)
until the next sync reads the group again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.cache import groups as cached_groups
from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.dialects.base import Delivery
from desktop.dialects.groups import GroupMember, GroupMembershipWriter
from desktop.domain import Action, ActionState, ChangeSet, utc_now
from desktop.i18n import ngettext
from desktop.outbox.kinds.common import mirror
from desktop.outbox.store import actions as rows
from desktop.outbox.types import Tally

ADD = "add"
REMOVE = "remove"


def payload(
    group_id: int, group: str, change: str, members: Sequence[tuple[int, str]], reason: str = ""
) -> dict[str, Any]:
    """What one action carries: ``members`` as (id, username) pairs, each once, in order."""
    if change not in (ADD, REMOVE):
        raise ValueError(f"Not a membership change: {change!r}")
    seen: dict[int, str] = {}
    for member_id, username in members:
        if not username.strip():
            raise ValueError(f"Member {member_id} has no username to send")
        seen.setdefault(member_id, username)
    return {
        "group_id": group_id,
        "group": group,
        "change": change,
        "member_ids": list(seen),
        "usernames": list(seen.values()),
        "reason": reason,
    }


def send(
    cache: Cache, writer: GroupMembershipWriter, action: Action, tally: Tally, *, maybe_applied: bool
) -> None:
    """Send the change (what is not in effect already, when it may have been applied); store it done."""
    p = action.payload
    add = p["change"] == ADD
    pairs = [GroupMember(m, u) for m, u in zip(p["member_ids"], p["usernames"], strict=True)]
    to_send = pairs
    if maybe_applied and writer.group_delivery() is not Delivery.IDEMPOTENT:
        now_in = _members_now(writer, str(p["group"]))
        if now_in is not None:
            to_send = [m for m in pairs if (m.id in now_in) != add]
    if to_send:
        if add:
            writer.add_group_members(int(p["group_id"]), to_send, action.idempotency_key)
        else:
            writer.remove_group_members(int(p["group_id"]), to_send, action.idempotency_key)
    now = to_epoch(utc_now())
    with cache.write() as connection:
        rows.store_result(
            connection, action.id, ActionState.DONE, "applied", None, {"sent": len(to_send)}, now
        )
    mirror(
        cache,
        lambda connection: cached_groups.change_memberships(
            connection, int(p["group_id"]), p["member_ids"], add=add
        ),
    )
    tally.applied += 1
    tally.changed(ChangeSet(outbox=True, groups=True))


def _members_now(writer: GroupMembershipWriter, group: str) -> frozenset[int] | None:
    """The group's members as the server has them now, where the session can say (else None:
    the change is sent whole, which the server applies only where it is not in effect)."""
    read = getattr(writer, "group_member_ids", None)
    if read is None:
        return None
    found = read(group)
    return found if isinstance(found, frozenset) else None


def describe(p: dict[str, Any]) -> str:
    """One line for the audit log."""
    count = len(p.get("member_ids", ()))
    group = str(p.get("group", ""))
    if p.get("change") == ADD:
        text = ngettext(
            "{n} member added to the group “{group}”", "{n} members added to the group “{group}”", count
        )
    else:
        text = ngettext(
            "{n} member removed from the group “{group}”",
            "{n} members removed from the group “{group}”",
            count,
        )
    return text.format(n=count, group=group)


__all__ = ["ADD", "REMOVE", "describe", "payload", "send"]
