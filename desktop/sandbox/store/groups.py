"""The sandbox's groups: ids for the group names members carry, who is in each, and changes to that.

A member's own row names its groups (``members.groups``, comma-separated: what
``MemberOut.groups`` shows and what the Discourse face reads). The groups get
ids in ``member_groups`` and their members are indexed in ``group_memberships``,
so a group's members are a primary-key range rather than a scan of every
member. Both are kept together by :func:`write_member_groups`, the one place
that changes a member's groups after the seed; every change is a new feed
position for the member (the changes feed reports members whose groups
changed, so other clients' syncs converge).

Deleted members keep their rows (and memberships) but are no group's members:
the reads leave them out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop.dialects.badgedesk_v1.wire import GroupOut, MemberPage
from desktop.sandbox.store.database import StoreDatabase
from desktop.sandbox.store.errors import StoreError
from desktop.sandbox.store.group_index import write_member_groups
from desktop.sandbox.store.records import keyset_page, member_record, parse_cursor
from desktop.sandbox.store.schema import MEMBER_COLUMNS

_GROUP_SQL = (
    "SELECT g.id, g.name, g.title, (SELECT count(*) FROM group_memberships gm JOIN members m"
    " ON m.id = gm.member_id WHERE gm.group_id = g.id AND m.status != 'deleted') FROM member_groups g"
)


def _group_record(row: Sequence[Any]) -> GroupOut:
    return GroupOut(id=row[0], name=row[1], title=row[2], member_count=row[3])


@dataclass(frozen=True, slots=True)
class MembershipChange:
    """What one add or remove did, by member id. Immutable; any thread."""

    group: GroupOut
    #: Members now in (added) or out (removed) who were not before.
    changed: list[int]
    #: Members already as asked: in the group (add) or not in it (remove).
    unchanged: list[int]
    #: Ids of no member, or of a deleted one: nothing done for them.
    missing: list[int]


class GroupTable(StoreDatabase):
    """The ``member_groups`` and ``group_memberships`` tables. Thread safety: any thread (see
    ``StoreDatabase``)."""

    def groups_page(self, *, cursor: str | None, limit: int) -> tuple[list[GroupOut], str | None]:
        after = parse_cursor(cursor)
        with self._read() as conn:
            rows = conn.execute(
                f"{_GROUP_SQL} WHERE g.id > ? ORDER BY g.id LIMIT ?", (after, limit + 1)
            ).fetchall()
        return keyset_page(rows, limit, _group_record)

    def group(self, group_id: int) -> GroupOut | None:
        with self._read() as conn:
            row = conn.execute(f"{_GROUP_SQL} WHERE g.id = ?", (group_id,)).fetchone()
        return None if row is None else _group_record(row)

    def group_members_page(self, group_id: int, *, cursor: str | None, limit: int) -> MemberPage:
        after = parse_cursor(cursor)
        columns = ", ".join(f"m.{c.strip()}" for c in MEMBER_COLUMNS.split(","))
        with self._read() as conn:
            if conn.execute("SELECT 1 FROM member_groups WHERE id = ?", (group_id,)).fetchone() is None:
                raise StoreError(404, "not_found", f"No group with id {group_id}.")
            rows = conn.execute(
                f"SELECT {columns} FROM group_memberships gm JOIN members m ON m.id = gm.member_id"
                " WHERE gm.group_id = ? AND gm.member_id > ? AND m.status != 'deleted'"
                " ORDER BY gm.member_id LIMIT ?",
                (group_id, after, limit + 1),
            ).fetchall()
        items, next_cursor = keyset_page(rows, limit, member_record)
        return MemberPage(items=items, next_cursor=next_cursor)

    def _change_members(
        self, conn: sqlite3.Connection, group_id: int, member_ids: Sequence[int], *, add: bool
    ) -> MembershipChange:
        """Within a write transaction: add (or remove) the members; each id once, in order."""
        row = conn.execute("SELECT name FROM member_groups WHERE id = ?", (group_id,)).fetchone()
        if row is None:
            raise StoreError(404, "not_found", f"No group with id {group_id}.")
        name = str(row[0])
        changed: list[int] = []
        unchanged: list[int] = []
        missing: list[int] = []
        for member_id in dict.fromkeys(member_ids):
            member = conn.execute("SELECT status, groups FROM members WHERE id = ?", (member_id,)).fetchone()
            if member is None or member[0] == "deleted":
                missing.append(member_id)
                continue
            current = [n for n in str(member[1]).split(",") if n]
            if (name in current) == add:
                unchanged.append(member_id)
                continue
            wanted = [*current, name] if add else [n for n in current if n != name]
            write_member_groups(conn, member_id, wanted, self._next_seq(conn))
            changed.append(member_id)
        after = conn.execute(f"{_GROUP_SQL} WHERE g.id = ?", (group_id,)).fetchone()
        return MembershipChange(_group_record(after), changed, unchanged, missing)
