"""The group check: a badge and the group that should hold it ("MVP" badge ↔ "MVP" group).

For a badge paired with a group, the check lists, from the cache, the
holders not in the group and the group's members without the badge, and
fixes the badge side in one batch through the usual dry run
(:func:`desktop.batches.dry_run`, :func:`desktop.batches.queue_batch`):
award the badge to the members lacking it, or revoke it from the holders
outside the group. The batch's source and default reason name the group check.

**The pairing is the user's, so it lives in the work file** (``badge_groups``,
owned by :class:`GroupPairings`), by the server's badge id and the group's
name. Not the mirror: a sync or a resync rebuilds that from the server, which
knows nothing of it, and the user's work must survive both. Not the
application's settings either: they are per machine and user, while a badge
id means something only in one community, whose work file also goes with its
profile (and its batches, which the pairing feeds). A badge without a stored
pairing gets a *suggestion*: the group whose name or title equals the badge's
title, ignoring case (a name match before a title match). Storing "no group"
silences the suggestion.

**Who is in a group** reads as the member search's group filter
(:mod:`desktop.member_search`) does, so the check and *Add filter → Group…*
agree: a group the server lists (``member_groups``: Discourse, BadgeDesk's
v1 server) is its memberships (``group_memberships``); any other name is the
members whose own ``groups`` (a JSON list) names it. A member counts once
however often a source names it. Holders count once however often they hold
a badge (``multiple_grant``).

**Cost.** A listed group's lists are index lookups only: the badge's holders
by ``ix_awards_badge``, the group's members by the memberships' primary key,
each side probing the other's index (``tests/core/test_group_check.py``
checks the query plans). A group named only in the members' own rows has no
index: its members are one scan of the members table.

**The group side** (adding or removing group members) needs a server that
offers :class:`~desktop.dialects.groups.GroupMembershipWriter`, which
:attr:`Capabilities.group_editing <desktop.dialects.capabilities.Capabilities.group_editing>`
reports (Discourse and v1 do). :func:`queue_group_fix` queues the change as one
outbox action (:mod:`desktop.outbox.kinds.group_members`: a lost answer sent again
with the same key where the server deduplicates (v1), else settled by reading the
group): add the holders outside the group, or remove the members without the badge.

Thread safety: every function opens its own read or write connection
(:class:`~desktop.cache.database.Cache`) and may run on any worker thread.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass

from sqlalchemy import Connection

from desktop.batches import DryRun, ListSource, dry_run, queue_batch
from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Action, ActionKind, ActionState, utc_now
from desktop.i18n import _
from desktop.outbox import Batch, Outbox, OutboxError
from desktop.outbox.kinds import group_members
from desktop.outbox.store import queries

__all__ = [
    "FixSide",
    "GroupCheck",
    "GroupCheckError",
    "GroupFix",
    "GroupPairing",
    "GroupPairings",
    "GroupSide",
    "check_group",
    "group_side_note",
    "plan_fix",
    "queue_fix",
    "queue_group_fix",
]


class GroupCheckError(Exception):
    """The check or its fix cannot be made; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class GroupPairing:
    """The group a badge goes with: set by the user, or only suggested by the titles."""

    badge_id: int
    #: The group's name; None: the user said the badge goes with no group.
    group: str | None
    #: Not stored: the group whose name or title equals the badge's title.
    suggested: bool = False


class GroupPairings:
    """The one owner of ``badge_groups``: which group each badge goes with (see the module)."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def stored(self) -> dict[int, str | None]:
        """Every pairing the user set, by badge id (None: "no group")."""
        with self.cache.read() as connection:
            rows = connection.exec_driver_sql("SELECT badge_id, group_name FROM badge_groups")
            return {int(badge_id): None if name is None else str(name) for badge_id, name in rows}

    def pairing(self, badge_id: int) -> GroupPairing | None:
        """The badge's pairing as set, else the suggested one, else None."""
        stored = self.stored()
        if badge_id in stored:
            return GroupPairing(badge_id, stored[badge_id])
        group = self.suggestions().get(badge_id)
        return None if group is None else GroupPairing(badge_id, group, suggested=True)

    def set(self, badge_id: int, group: str | None) -> None:
        """The badge goes with ``group`` from now on (None: with no group, and nothing is suggested)."""
        if group is not None and not group.strip():
            raise ValueError("A group's name is not blank")
        with self.cache.write() as connection:
            connection.exec_driver_sql(
                "INSERT INTO badge_groups (badge_id, group_name, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(badge_id) DO UPDATE SET group_name = excluded.group_name,"
                " updated_at = excluded.updated_at",
                (badge_id, group, int(utc_now().timestamp())),
            )

    def forget(self, badge_id: int) -> None:
        """Drop the user's pairing of the badge: the suggestion (if any) stands again."""
        with self.cache.write() as connection:
            connection.exec_driver_sql("DELETE FROM badge_groups WHERE badge_id = ?", (badge_id,))

    def suggestions(self) -> dict[int, str]:
        """For each badge the user has not paired: the group whose name, else title, equals the
        badge's title ignoring case (the lowest id among equals, then the first name)."""
        with self.cache.read() as connection:
            badges = list(connection.exec_driver_sql("SELECT id, title FROM badges ORDER BY id"))
            listed = list(connection.exec_driver_sql("SELECT name, title FROM member_groups ORDER BY id"))
            carried = [
                str(row[0])
                for row in connection.exec_driver_sql(
                    "SELECT DISTINCT g.value FROM members, json_each(members.groups) g"
                    " WHERE members.groups != '[]' AND g.type = 'text' ORDER BY 1"
                )
            ]
            paired = {int(row[0]) for row in connection.exec_driver_sql("SELECT badge_id FROM badge_groups")}
        by_name: dict[str, str] = {}
        by_title: dict[str, str] = {}
        for name, title in listed:
            by_name.setdefault(str(name).casefold(), str(name))
            by_title.setdefault(str(title).casefold(), str(name))
        for name in carried:
            by_name.setdefault(name.casefold(), name)
        found: dict[int, str] = {}
        for badge_id, title in badges:
            if int(badge_id) in paired:
                continue
            key = str(title).casefold()
            group = by_name.get(key) or by_title.get(key)
            if group is not None:
                found[int(badge_id)] = group
        return found


@dataclass(frozen=True, slots=True)
class GroupCheck:
    """A badge against its group, as the cache has them when checked."""

    badge_id: int
    group: str
    #: The server's id of a listed group (None: a name only the members' own rows carry).
    group_id: int | None
    #: The group is in the cache: listed by the server, or named by at least one member.
    group_known: bool
    #: Members of the group / holders of the badge, each counted once.
    members: int
    holders: int
    #: Sorted as the member list (display name, then id).
    holders_outside: tuple[int, ...]
    members_without: tuple[int, ...]
    #: Of the two lists, the members whose award (revoke) of the badge waits in the outbox
    #: already: a fix leaves them out, so nothing is queued twice.
    awards_waiting: frozenset[int] = frozenset()
    revokes_waiting: frozenset[int] = frozenset()

    @property
    def consistent(self) -> bool:
        return not self.holders_outside and not self.members_without


def check_group(cache: Cache, badge_id: int, group: str) -> GroupCheck:
    """Compare the badge's holders with the group's members (see the module for who is in a group)."""
    with cache.read() as connection:
        listed = connection.exec_driver_sql(
            "SELECT id FROM member_groups WHERE name = ? ORDER BY id LIMIT 1", (group,)
        ).fetchone()
        group_id = None if listed is None else int(listed[0])
        within, params = _membership(group_id, group)
        # Members the cache has, as in the lists (an award of a member it lacks cannot be revoked).
        holders = _scalar(
            connection,
            "SELECT count(*) FROM members m WHERE m.id IN (SELECT member_id FROM awards WHERE badge_id = ?)",
            (badge_id,),
        )
        members = _scalar(connection, f"SELECT count(*) FROM members m WHERE {within}", params)
        outside = _ids(connection, *holders_outside_sql(badge_id, group_id, group))
        without = _ids(connection, *members_without_sql(badge_id, group_id, group))
        awards_waiting = queries.waiting_for_badge(connection, badge_id, ActionKind.AWARD)
        revokes_waiting = queries.waiting_for_badge(connection, badge_id, ActionKind.REVOKE)
    return GroupCheck(
        badge_id=badge_id,
        group=group,
        group_id=group_id,
        group_known=group_id is not None or members > 0,
        members=members,
        holders=holders,
        holders_outside=outside,
        members_without=without,
        awards_waiting=frozenset(awards_waiting.intersection(without)),
        revokes_waiting=frozenset(revokes_waiting.intersection(outside)),
    )


def _membership(group_id: int | None, group: str) -> tuple[str, tuple[object, ...]]:
    """A condition on ``members m``: the member is in the group; and its parameters."""
    if group_id is not None:
        return "m.id IN (SELECT member_id FROM group_memberships WHERE group_id = ?)", (group_id,)
    # The quoted name is a whole element of the JSON list (instr: cheap, no wildcards);
    # json_each then makes sure on the few rows that pass.
    return (
        "(instr(m.groups, ?) > 0 AND EXISTS (SELECT 1 FROM json_each(m.groups) WHERE value = ?))",
        (json.dumps(group), group),
    )


def holders_outside_sql(badge_id: int, group_id: int | None, group: str) -> tuple[str, tuple[object, ...]]:
    """The query of the holders not in the group, sorted as the member list (for the plan test)."""
    within, params = _membership(group_id, group)
    # A deleted member (v1 keeps their row and awards) joins no group: nothing to fix there.
    return (
        "SELECT m.id FROM members m WHERE m.id IN (SELECT member_id FROM awards WHERE badge_id = ?)"
        f" AND m.status != 'deleted' AND NOT {within} ORDER BY m.sort_name, m.id",
        (badge_id, *params),
    )


def members_without_sql(badge_id: int, group_id: int | None, group: str) -> tuple[str, tuple[object, ...]]:
    """The query of the group's members without the badge, sorted as the member list."""
    within, params = _membership(group_id, group)
    # A group named in the members' rows is a scan of them: read the table in its own order
    # and sort the few found, rather than walk the sort index and fetch every row by it (six
    # times slower at 200,000 members; bench/group_check.py).
    table = "members m" if group_id is not None else "members m NOT INDEXED"
    return (
        f"SELECT m.id FROM {table} WHERE {within} AND NOT EXISTS"
        " (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?)"
        " ORDER BY m.sort_name, m.id",
        (*params, badge_id),
    )


def _scalar(connection: Connection, sql: str, params: tuple[object, ...]) -> int:
    row = connection.exec_driver_sql(sql, params).fetchone()
    return 0 if row is None else int(row[0])


def _ids(connection: Connection, sql: str, params: tuple[object, ...]) -> tuple[int, ...]:
    return tuple(int(row[0]) for row in connection.exec_driver_sql(sql, params))


def group_side_note(capabilities: Capabilities) -> str | None:
    """Why the group side cannot be fixed from here, in words for the user (None: it can)."""
    if capabilities.group_editing:
        return None
    return _(
        "Group members cannot be added or removed from BadgeDesk on this server:"
        " change the group on the server, or fix the badge side here."
    )


# --- fixing the badge side ------------------------------------------------------------------


class FixSide(enum.StrEnum):
    """Which way the badge side is made to agree with the group."""

    #: Award the badge to the group's members without it.
    AWARD_MEMBERS = "award-members"
    #: Revoke it from the holders not in the group.
    REVOKE_OUTSIDERS = "revoke-outsiders"


@dataclass(frozen=True, slots=True)
class GroupFix:
    """A fix's batch before it is queued: the dry run of the members it changes, and its reason."""

    check: GroupCheck
    side: FixSide
    plan: DryRun
    #: The batch's reason unless the moderator writes another; it names the group check.
    reason: str


def plan_fix(
    cache: Cache, check: GroupCheck, side: FixSide, *, cancel: CancelToken | None = None
) -> GroupFix:
    """The dry run of the batch that fixes one side of ``check`` (nothing is queued).

    Members whose award or revoke of the badge waits in the outbox are left
    out. Revoking from the holders outside a group the cache does not know
    (not listed, named by no member) is refused: it would take the badge from
    every holder because of a misspelt or unsynced group.
    """
    group = check.group
    if side is FixSide.AWARD_MEMBERS:
        kind = ActionKind.AWARD
        members = [m for m in check.members_without if m not in check.awards_waiting]
        reason = _("Group check: a member of the group “{group}”").format(group=group)
    else:
        if not check.group_known:
            raise GroupCheckError(
                _(
                    "The group “{group}” is not in the local copy of the community: no badge is revoked"
                    " for it. Check the group's name, or sync."
                ).format(group=group)
            )
        kind = ActionKind.REVOKE
        members = [m for m in check.holders_outside if m not in check.revokes_waiting]
        reason = _("Group check: not a member of the group “{group}”").format(group=group)
    source = ListSource(name=_("group check “{group}”").format(group=group), member_ids=tuple(members))
    plan = dry_run(cache, source, kind, check.badge_id, cancel=cancel)
    return GroupFix(check=check, side=side, plan=plan, reason=reason)


def queue_fix(
    outbox: Outbox,
    fix: GroupFix,
    *,
    reason: str | None = None,
    notify: bool = True,
    message: str | None = None,
    mass_award: bool = False,
    cancel: CancelToken | None = None,
) -> Batch:
    """Queue the batch ``fix`` planned, once: refused (:class:`OutboxError`) when one of its
    members was queued for the badge since the check (queue it again from a new check).

    ``reason``: the moderator's, else the fix's own (which names the group check).
    """
    kind = fix.plan.kind
    with outbox.cache.read() as connection:
        waiting = queries.waiting_for_badge(connection, fix.plan.badge_id, kind)
    if waiting.intersection(fix.plan.member_ids):
        raise OutboxError(
            _("Some of these members were queued for this badge since the group check. Check again.")
        )
    return queue_batch(
        outbox,
        fix.plan,
        reason=fix.reason if reason is None else reason,
        notify=notify,
        message=message,
        cancel=cancel,
        mass_award=mass_award,
    )


# --- fixing the group side ---------------------------------------------------------------------


class GroupSide(enum.StrEnum):
    """Which way the group is made to agree with the badge (a server with ``group_editing``)."""

    #: Add the badge's holders who are not in the group.
    ADD_HOLDERS = "add-holders"
    #: Remove the group's members who do not hold the badge.
    REMOVE_MEMBERS = "remove-members"


def group_change_waiting(cache: Cache, group_id: int) -> bool:
    """Whether a change of this group's members waits in the outbox (not yet confirmed)."""
    waiting = (ActionState.PENDING, ActionState.SENDING, ActionState.HELD, ActionState.CONFLICT)
    with cache.read() as connection:
        row = connection.exec_driver_sql(
            "SELECT 1 FROM actions WHERE kind = ? AND state IN (?, ?, ?, ?)"
            " AND json_extract(payload, '$.group_id') = ? LIMIT 1",
            (ActionKind.GROUP_MEMBERS.value, *(s.value for s in waiting), group_id),
        ).fetchone()
    return row is not None


def queue_group_fix(outbox: Outbox, check: GroupCheck, side: GroupSide, *, reason: str = "") -> Action:
    """Queue, as one outbox action, the change of the group's members that fixes ``side`` of ``check``.

    Only a group the server lists (``check.group_id``) can be changed; refused
    (:class:`OutboxError`) while another change of the same group waits in the
    outbox (check again once it is sent). Members without a username in the
    cache are left out (nothing to address them by).
    """
    if check.group_id is None:
        raise GroupCheckError(
            _(
                "The group “{group}” is not one the server lists: its members cannot be changed from here."
            ).format(group=check.group)
        )
    if group_change_waiting(outbox.cache, check.group_id):
        raise OutboxError(
            _("A change of this group's members is still in the outbox. Check again once it is sent.")
        )
    add = side is GroupSide.ADD_HOLDERS
    ids = check.holders_outside if add else check.members_without
    known = outbox.cache.members_by_ids(list(ids))
    members = [(m, known[m].username) for m in ids if m in known and known[m].username.strip()]
    if not members:
        raise GroupCheckError(
            _("There is no member to change in the group “{group}”.").format(group=check.group)
        )
    change = group_members.ADD if add else group_members.REMOVE
    payload = group_members.payload(check.group_id, check.group, change, members, reason)
    return outbox.queue(ActionKind.GROUP_MEMBERS, [payload])[0]
