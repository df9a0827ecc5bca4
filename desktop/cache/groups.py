"""The mirror's groups and memberships: how a sync stores them and how the views read them.

A group row carries the member count the server gave with it; its
memberships are replaced whole whenever a sync read the group's members
(``Group.member_ids`` set) and left as they are otherwise (the count had not
changed, so the sync did not spend requests on them). Only this module and
the snapshot sweep (:mod:`desktop.sync.snapshot`) write the two tables.

Thread safety: the writing functions run inside the caller's write
transaction (the sync's thread); the reading ones open a read connection and
may run on any worker thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection

from desktop.cache.database import Cache
from desktop.domain import Group, Member, MemberStatus


def upsert_groups(connection: Connection, groups: Iterable[Group]) -> None:
    """Within a write transaction: store the groups, and the members of those whose members were read."""
    given = list(groups)
    if not given:
        return
    connection.exec_driver_sql(
        "INSERT INTO member_groups (id, name, title, user_count) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET name = excluded.name, title = excluded.title,"
        " user_count = excluded.user_count",
        [(g.id, g.name, g.title, g.user_count) for g in given],
    )
    for group in given:
        if group.member_ids is None:
            continue
        connection.exec_driver_sql("DELETE FROM group_memberships WHERE group_id = ?", (group.id,))
        if group.member_ids:
            connection.exec_driver_sql(
                "INSERT INTO group_memberships (group_id, member_id) VALUES (?, ?)",
                [(group.id, m) for m in sorted(group.member_ids)],
            )


def drop_orphan_memberships(connection: Connection) -> int:
    """Within a write transaction, after a sweep: memberships of groups or members no longer
    in the mirror go too; returns how many."""
    gone = connection.exec_driver_sql(
        "DELETE FROM group_memberships WHERE group_id NOT IN (SELECT id FROM member_groups)"
        " OR member_id NOT IN (SELECT id FROM members)"
    )
    return int(gone.rowcount or 0)


def memberships(connection: Connection, group_ids: Sequence[int]) -> dict[int, frozenset[int]]:
    """Who is in each of these groups, as the mirror has it now (within any transaction)."""
    found: dict[int, set[int]] = {}
    for start in range(0, len(group_ids), 500):
        part = list(group_ids[start : start + 500])
        marks = ", ".join("?" * len(part))
        rows = connection.exec_driver_sql(
            f"SELECT group_id, member_id FROM group_memberships WHERE group_id IN ({marks})", tuple(part)
        )
        for group_id, member_id in rows:
            found.setdefault(int(group_id), set()).add(int(member_id))
    return {g: frozenset(m) for g, m in found.items()}


def user_counts(cache: Cache) -> dict[int, int]:
    """Each cached group's member count as the server last gave it, by group id."""
    with cache.read() as connection:
        rows = connection.exec_driver_sql("SELECT id, user_count FROM member_groups")
        return {int(i): int(n) for i, n in rows}


def groups_of_member(cache: Cache, member_id: int) -> list[str]:
    """The names of the groups the member is in (from the group listing), sorted."""
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT g.name FROM group_memberships gm JOIN member_groups g ON g.id = gm.group_id"
            " WHERE gm.member_id = ? ORDER BY g.name COLLATE NOCASE",
            (member_id,),
        )
        return [str(r[0]) for r in rows]


def change_memberships(
    connection: Connection, group_id: int, member_ids: Iterable[int], *, add: bool
) -> None:
    """Within a write transaction, after the server confirmed members added to (removed from) a
    group: the mirror follows. The group's ``user_count`` stays the server's last, so the next
    sync sees it changed and reads the group's members again (the server has the last word)."""
    ids = sorted(set(member_ids))
    if not ids:
        return
    if add:
        connection.exec_driver_sql(
            "INSERT OR IGNORE INTO group_memberships (group_id, member_id) VALUES (?, ?)",
            [(group_id, m) for m in ids],
        )
    else:
        connection.exec_driver_sql(
            "DELETE FROM group_memberships WHERE group_id = ? AND member_id = ?", [(group_id, m) for m in ids]
        )


def follow_member_rows(connection: Connection, members: Sequence[Member]) -> bool:
    """Within a write transaction, for a server whose member rows name all their groups
    (:attr:`Changes.groups_in_member_rows <desktop.dialects.base.Changes.groups_in_member_rows>`):
    each member's memberships of the listed groups become those its row names (names the
    mirror lists no group for are left out; a deleted member has none). Whether any
    membership changed."""
    listed = {
        str(name): int(i) for i, name in connection.exec_driver_sql("SELECT id, name FROM member_groups")
    }
    if not listed or not members:
        return False
    changed = False
    for member in members:
        # A deleted member is in no group (the server lists them in none).
        deleted = member.status is MemberStatus.DELETED
        wanted = set() if deleted else {listed[n] for n in member.groups if n in listed}
        rows = connection.exec_driver_sql(
            "SELECT group_id FROM group_memberships WHERE member_id = ?", (member.id,)
        )
        current = {int(r[0]) for r in rows}
        if wanted == current:
            continue
        changed = True
        gone = sorted(current - wanted)
        if gone:
            connection.exec_driver_sql(
                "DELETE FROM group_memberships WHERE group_id = ? AND member_id = ?",
                [(g, member.id) for g in gone],
            )
        new = sorted(wanted - current)
        if new:
            connection.exec_driver_sql(
                "INSERT OR IGNORE INTO group_memberships (group_id, member_id) VALUES (?, ?)",
                [(g, member.id) for g in new],
            )
    return changed
