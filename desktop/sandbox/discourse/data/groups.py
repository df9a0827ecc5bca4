"""Groups: Discourse's automatic ones (admins, moderators, staff, trust levels) and the demo's own
(the members' ``groups`` in the store: speakers, translators, mentors, …), with their members.

Membership of an automatic group follows from the user (admin, moderator,
trust level at least n); of a custom group from the store. Only human users
are members (not ``system``), and deleted members are gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.sandbox.discourse.data.base import DiscourseBase
from desktop.sandbox.store.group_index import write_member_groups

_MEMBERSHIP = {
    "admins": "',' || groups || ',' LIKE '%,admins,%'",
    "moderators": "',' || groups || ',' LIKE '%,staff,%' AND ',' || groups || ',' NOT LIKE '%,admins,%'",
    "staff": "(',' || groups || ',' LIKE '%,admins,%' OR ',' || groups || ',' LIKE '%,staff,%')",
}


@dataclass(frozen=True, slots=True)
class GroupRow:
    """A group and how many members it has. Immutable; any thread."""

    id: int
    name: str
    automatic: bool
    visibility_level: int
    user_count: int


class GroupData(DiscourseBase):
    """Groups and their members. Thread safety: any thread (see ``StoreDatabase``)."""

    def groups(self, *, staff_viewer: bool) -> list[GroupRow]:
        """Every group the viewer may see, by name."""
        rows = (
            self._conn()
            .execute("SELECT id, name, automatic, visibility_level FROM dc_groups ORDER BY name")
            .fetchall()
        )
        return [
            GroupRow(r[0], r[1], bool(r[2]), r[3], len(self.group_member_ids(r[1], bool(r[2]))))
            for r in rows
            if staff_viewer or r[3] == 0
        ]

    def group(self, name: str, *, staff_viewer: bool) -> GroupRow | None:
        return next(
            (g for g in self.groups(staff_viewer=staff_viewer) if g.name.lower() == name.lower()), None
        )

    def group_member_ids(self, name: str, automatic: bool) -> list[int]:
        """The group's members' ids, by username (cached until the next write)."""
        return self._cached(("group", name), lambda: self._member_ids(name, automatic))

    def _member_ids(self, name: str, automatic: bool) -> list[int]:
        params: list[object]
        if not automatic:
            condition, params = "',' || groups || ',' LIKE ?", [f"%,{name},%"]
        elif name.startswith("trust_level_"):
            condition = "dc_trust_level(id, joined_at, last_seen_at, groups) >= ?"
            params = [int(name.removeprefix("trust_level_"))]
        else:
            condition, params = _MEMBERSHIP[name], []
        rows = self._conn().execute(
            f"SELECT id FROM members WHERE status != 'deleted' AND {condition} ORDER BY username_fold, id",
            params,
        )
        return [int(r[0]) for r in rows]

    def group_by_id(self, group_id: int) -> GroupRow | None:
        """``Group.find``: any group by id, whoever asks (who may change it is the caller's check)."""
        return next((g for g in self.groups(staff_viewer=True) if g.id == group_id), None)

    def add_group_members(self, group: GroupRow, user_ids: list[int]) -> None:
        """``Group#add`` for each: a custom group's members gain its name (members already in it stay)."""
        self._change_membership(group, user_ids, add=True)

    def remove_group_members(self, group: GroupRow, user_ids: list[int]) -> list[int]:
        """``Group#remove`` for each; the ids that were members (and are no longer)."""
        return self._change_membership(group, user_ids, add=False)

    def _change_membership(self, group: GroupRow, user_ids: list[int], *, add: bool) -> list[int]:
        if group.automatic:
            raise ValueError("An automatic group's members follow from the users")
        changed: list[int] = []
        with self._write() as conn:
            for user_id in user_ids:
                row = conn.execute("SELECT groups FROM members WHERE id = ?", (user_id,)).fetchone()
                if row is None:
                    continue
                names = [n for n in str(row[0]).split(",") if n]
                if (group.name in names) == add:
                    continue
                names = [*names, group.name] if add else [n for n in names if n != group.name]
                # Like every v1 write: a new feed position, so a v1 client syncing later sees it
                # (and the v1 face's membership index follows).
                write_member_groups(conn, user_id, names, self._next_seq(conn))
                changed.append(user_id)
        return changed
