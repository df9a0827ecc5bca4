"""Grants (Discourse's user_badges) over the store's awards: BadgeGranter's rules, revokes, holders.

A grant is an award row; Discourse's own fields (the linked post, the
sequence number of a repeated grant, who granted it by id) live in
``dc_user_badges``. Awards made by the v1 face or the seed have no such row:
their post is none, their sequence 0, and their giver the user whose name
the store recorded (``system`` when no member has that name).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from desktop.sandbox.discourse.data.badges import BadgeRow
from desktop.sandbox.discourse.data.base import DiscourseBase
from desktop.sandbox.discourse.data.schema import SYSTEM_USER_ID, discourse_badge_id, store_badge_id
from desktop.sandbox.discourse.data.users import UserRow
from desktop.sandbox.discourse.errors import NotFound

_GRANT_SELECT = (
    "SELECT a.id, a.member_id, a.badge_id, a.granted_at, x.post_id, COALESCE(x.grant_seq, 0),"
    " COALESCE(x.granted_by_id, CASE WHEN a.granted_by = 'system' THEN -1 ELSE"
    " (SELECT m.id FROM members m WHERE m.display_fold = lower(a.granted_by) AND m.status != 'deleted'"
    " ORDER BY m.id LIMIT 1) END, -1)"
    " FROM awards a LEFT JOIN dc_user_badges x ON x.award_id = a.id"
    # A deleted user's badges went with them (Discourse destroys the rows; the store keeps them).
    " JOIN members holder ON holder.id = a.member_id AND holder.status != 'deleted'"
)


@dataclass(frozen=True, slots=True)
class GrantRow:
    """One grant; ``badge_id`` is the Discourse id, ``count`` set in grouped lists. Immutable; any thread."""

    id: int
    user_id: int
    badge_id: int
    granted_at: int
    post_id: int | None
    seq: int
    granted_by_id: int
    count: int | None = None


def grant_row(row: tuple[Any, ...], count: int | None = None) -> GrantRow:
    return GrantRow(
        id=row[0],
        user_id=row[1],
        badge_id=discourse_badge_id(row[2]),
        granted_at=row[3],
        post_id=row[4],
        seq=row[5],
        granted_by_id=row[6],
        count=count,
    )


@dataclass(frozen=True, slots=True)
class Granted:
    """What a grant request did: the grant it answers with, and whether it is new."""

    grant: GrantRow
    created: bool


class GrantData(DiscourseBase):
    """Grants through the Discourse face. Thread safety: any thread (see ``StoreDatabase``)."""

    def grant(
        self, *, user: UserRow, badge: BadgeRow, granted_by: UserRow, post_id: int | None, reason: str
    ) -> Granted:
        """``BadgeGranter#grant``: a badge held once answers with the existing grant; a multiple_grant
        badge is granted again unless this post already earned it (``post_id`` given and found)."""
        store_id = store_badge_id(badge.id)
        with self._write() as conn:
            if badge.multiple_grant:
                existing = conn.execute(
                    f"{_GRANT_SELECT} WHERE a.member_id = ? AND a.badge_id = ? AND a.revoked_at IS NULL"
                    " AND x.post_id IS ? ORDER BY a.id LIMIT 1",
                    (user.id, store_id, post_id),
                ).fetchone()
                if existing is not None and post_id is not None:
                    return Granted(grant_row(existing), created=False)
            else:
                existing = conn.execute(
                    f"{_GRANT_SELECT} WHERE a.member_id = ? AND a.badge_id = ? AND a.revoked_at IS NULL"
                    " ORDER BY a.id LIMIT 1",
                    (user.id, store_id),
                ).fetchone()
                if existing is not None:
                    return Granted(grant_row(existing), created=False)
            return Granted(
                self._insert(conn, user, store_id, badge, granted_by, post_id, reason), created=True
            )

    def _insert(
        self,
        conn: sqlite3.Connection,
        user: UserRow,
        store_id: int,
        badge: BadgeRow,
        granted_by: UserRow,
        post_id: int | None,
        reason: str,
    ) -> GrantRow:
        seq = 0
        if badge.multiple_grant:
            top = conn.execute(
                "SELECT MAX(COALESCE(x.grant_seq, 0)) FROM awards a LEFT JOIN dc_user_badges x"
                " ON x.award_id = a.id WHERE a.member_id = ? AND a.badge_id = ? AND a.revoked_at IS NULL",
                (user.id, store_id),
            ).fetchone()[0]
            seq = 0 if top is None else int(top) + 1
        now = self._now()
        cur = conn.execute(
            "INSERT INTO awards (member_id, badge_id, granted_at, granted_by, reason, seq)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                user.id,
                store_id,
                now,
                granted_by.username,
                reason,
                0 if badge.system else self._next_seq(conn),
            ),
        )
        assert cur.lastrowid is not None
        conn.execute(
            "INSERT INTO dc_user_badges (award_id, post_id, grant_seq, granted_by_id) VALUES (?, ?, ?, ?)",
            (cur.lastrowid, post_id, seq, granted_by.id),
        )
        if not badge.system:
            self._bump(conn, "awards", 1)
        if granted_by.id != SYSTEM_USER_ID:
            self._log(conn, "grant_badge", granted_by.id, user.id, badge.name, now)
        return GrantRow(cur.lastrowid, user.id, badge.id, now, post_id, seq, granted_by.id)

    def revoke(self, user_badge_id: int, *, revoked_by: UserRow) -> GrantRow:
        """``BadgeGranter.revoke``: the grant is gone (404 when it is not there)."""
        with self._write() as conn:
            row = conn.execute(
                f"{_GRANT_SELECT} WHERE a.id = ? AND a.revoked_at IS NULL", (user_badge_id,)
            ).fetchone()
            if row is None:
                raise NotFound()
            grant = grant_row(row)
            system = store_badge_id(grant.badge_id) <= 0
            now = self._now()
            conn.execute(
                "UPDATE awards SET revoked_at = ?, revoked_by = ?, revoke_reason = '', seq = ? WHERE id = ?",
                (now, revoked_by.username, 0 if system else self._next_seq(conn), user_badge_id),
            )
            if not system:
                self._bump(conn, "awards", -1)
            title = conn.execute(
                "SELECT title FROM badges WHERE id = ?", (store_badge_id(grant.badge_id),)
            ).fetchone()
            self._log(conn, "revoke_badge", revoked_by.id, grant.user_id, title[0] if title else "", now)
            return grant

    def active_grant(self, user_badge_id: int) -> GrantRow | None:
        row = (
            self._conn()
            .execute(f"{_GRANT_SELECT} WHERE a.id = ? AND a.revoked_at IS NULL", (user_badge_id,))
            .fetchone()
        )
        return None if row is None else grant_row(row)

    def holders(
        self,
        *,
        badge_ids: list[int],
        user_id: int | None,
        offset: int,
        limit: int,
    ) -> list[GrantRow]:
        """Grants of these badges, newest first (``granted_at DESC, id DESC``), a page at a time."""
        if not badge_ids:
            return []
        marks = ",".join("?" * len(badge_ids))
        where = f"a.badge_id IN ({marks}) AND a.revoked_at IS NULL"
        params: list[Any] = [store_badge_id(b) for b in badge_ids]
        if user_id is not None:
            where += " AND a.member_id = ?"
            params.append(user_id)
        rows = (
            self._conn()
            .execute(
                f"{_GRANT_SELECT} WHERE {where} ORDER BY a.granted_at DESC, a.id DESC LIMIT ? OFFSET ?",
                (*params, limit, offset),
            )
            .fetchall()
        )
        return [grant_row(r) for r in rows]

    def count_grants(self, *, badge_ids: list[int], user_id: int) -> int:
        if not badge_ids:
            return 0
        marks = ",".join("?" * len(badge_ids))
        row = (
            self._conn()
            .execute(
                f"SELECT COUNT(*) FROM awards WHERE badge_id IN ({marks}) AND member_id = ?"
                " AND revoked_at IS NULL",
                (*[store_badge_id(b) for b in badge_ids], user_id),
            )
            .fetchone()
        )
        return int(row[0])

    def user_grants(self, user_id: int, *, enabled_badge_ids: set[int], grouped: bool) -> list[GrantRow]:
        """A member's grants of enabled badges, oldest first; grouped = one row per badge with its count."""
        rows = (
            self._conn()
            .execute(
                f"{_GRANT_SELECT} WHERE a.member_id = ? AND a.revoked_at IS NULL ORDER BY a.granted_at, a.id",
                (user_id,),
            )
            .fetchall()
        )
        grants = [g for g in (grant_row(r) for r in rows) if g.badge_id in enabled_badge_ids]
        if not grouped:
            return grants
        # Discourse's select_for_grouping: MAX() of every column, and COUNT(*), per badge.
        by_badge: dict[int, list[GrantRow]] = {}
        for grant in grants:
            by_badge.setdefault(grant.badge_id, []).append(grant)
        return [
            GrantRow(
                id=max(g.id for g in group),
                user_id=user_id,
                badge_id=badge_id,
                granted_at=max(g.granted_at for g in group),
                post_id=max((g.post_id for g in group if g.post_id is not None), default=None),
                seq=max(g.seq for g in group),
                granted_by_id=max(g.granted_by_id for g in group),
                count=len(group),
            )
            for badge_id, group in by_badge.items()
        ]

    @staticmethod
    def _log(
        conn: sqlite3.Connection, action: str, acting: int, target: int | None, subject: str, now: int
    ) -> None:
        conn.execute(
            "INSERT INTO dc_staff_actions (action, acting_user_id, target_user_id, subject, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (action, acting, target, subject, now),
        )

    def staff_actions(self, action: str) -> list[tuple[int, int | None, str | None, str | None]]:
        """The staff action log's entries of one kind, oldest first (what an admin reads at /admin/logs)."""
        rows = (
            self._conn()
            .execute(
                "SELECT acting_user_id, target_user_id, subject, details FROM dc_staff_actions"
                " WHERE action = ? ORDER BY id",
                (action,),
            )
            .fetchall()
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def log_staff_action(
        self, action: str, acting: int, *, subject: str | None = None, details: str | None = None
    ) -> None:
        with self._write_unversioned() as conn:
            conn.execute(
                "INSERT INTO dc_staff_actions (action, acting_user_id, subject, details, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (action, acting, subject, details, self._now()),
            )
