"""Groups: Discourse's automatic ones (admins, moderators, staff, trust levels) and the demo's own
(the members' ``groups`` in the store: speakers, translators, mentors, …), with their members.

Membership of an automatic group follows from the user (admin, moderator,
trust level at least n); of a custom group from the store. Only human users
are members (not ``system``), and deleted members are gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.sandbox.discourse.data.base import DiscourseBase

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
