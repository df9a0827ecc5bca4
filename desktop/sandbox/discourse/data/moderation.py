"""Suspending, unsuspending and deleting users: the store's status follows, so the v1 face sees it.

A suspension is recorded in ``dc_suspensions`` (when, until when, why, by
whom) and makes the member ``suspended`` in the store; lifting it makes them
``active``. Deleting a user marks the member ``deleted`` (the store never
erases a member); on this face they and their grants are gone.
"""

from __future__ import annotations

import sqlite3

from desktop.sandbox.discourse.data.users import UserData, UserRow


class ModerationData(UserData):
    """User moderation's writes. Thread safety: any thread (see ``StoreDatabase``)."""

    def suspend(self, user: UserRow, *, until: int, reason: str, message: str | None, by: UserRow) -> int:
        """Suspend ``user`` until ``until`` (Unix seconds); when it began."""
        now = self._now()
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO dc_suspensions"
                " (user_id, suspended_at, suspended_till, reason, message, by_user_id)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (user.id, now, until, reason, message, by.id),
            )
            # A suspension that already ended suspends no one (Discourse compares with now).
            if until > now:
                self._set_status(conn, user.id, "suspended")
            self._record(conn, "suspend_user", by.id, user.id, reason, now)
        return now

    def suspended_by(self, user_id: int) -> UserRow | None:
        """Who suspended the user (``None`` for the demo's seeded suspensions)."""
        row = (
            self._conn()
            .execute("SELECT by_user_id FROM dc_suspensions WHERE user_id = ?", (user_id,))
            .fetchone()
        )
        return None if row is None else self.user_by_id(int(row[0]))

    def unsuspend(self, user: UserRow, *, by: UserRow) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM dc_suspensions WHERE user_id = ?", (user.id,))
            self._set_status(conn, user.id, "active")
            self._record(conn, "unsuspend_user", by.id, user.id, None, self._now())

    def delete_user(self, user: UserRow, *, by: UserRow) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM dc_suspensions WHERE user_id = ?", (user.id,))
            self._set_status(conn, user.id, "deleted")
            self._record(conn, "delete_user", by.id, user.id, user.username, self._now())

    def _set_status(self, conn: sqlite3.Connection, member_id: int, status: str) -> None:
        current = conn.execute("SELECT status FROM members WHERE id = ?", (member_id,)).fetchone()
        if current is None or current[0] == status:
            return
        # Like every v1 write: a new feed position, so a v1 client syncing later sees it.
        conn.execute(
            "UPDATE members SET status = ?, seq = ? WHERE id = ?", (status, self._next_seq(conn), member_id)
        )

    @staticmethod
    def _record(
        conn: sqlite3.Connection, action: str, acting: int, target: int, subject: str | None, now: int
    ) -> None:
        conn.execute(
            "INSERT INTO dc_staff_actions (action, acting_user_id, target_user_id, subject, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (action, acting, target, subject, now),
        )
