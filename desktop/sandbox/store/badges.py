"""The sandbox's badges: listing, creating, changing fields and moving between states.

The writes here run inside a transaction their caller opened (the API's face
in ``v1.py`` wraps them with key replay and ``If-Match`` versions).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from desktop.dialects.badgedesk_v1.wire import BadgeCreateIn, BadgeOut, BadgePage
from desktop.domain import BadgeState
from desktop.sandbox.store.database import StoreDatabase
from desktop.sandbox.store.errors import StoreError
from desktop.sandbox.store.records import badge_record, keyset_page, parse_cursor
from desktop.sandbox.store.schema import BADGE_COLUMNS


class BadgeTable(StoreDatabase):
    """The ``badges`` table. Thread safety: any thread (see ``StoreDatabase``)."""

    def badges_page(self, *, cursor: str | None, limit: int) -> BadgePage:
        after = parse_cursor(cursor)
        rows = (
            self._conn()
            .execute(
                f"SELECT {BADGE_COLUMNS} FROM badges WHERE id > ? ORDER BY id LIMIT ?", (after, limit + 1)
            )
            .fetchall()
        )
        items, next_cursor = keyset_page(rows, limit, badge_record)
        return BadgePage(items=items, next_cursor=next_cursor)

    def badge(self, badge_id: int) -> BadgeOut | None:
        # Ids of 0 or less are the Discourse face's system badges (see awards_page).
        row = (
            self._conn()
            .execute(f"SELECT {BADGE_COLUMNS} FROM badges WHERE id = ? AND id > 0", (badge_id,))
            .fetchone()
        )
        return None if row is None else badge_record(row)

    @staticmethod
    def _badge_row(conn: sqlite3.Connection, badge_id: int) -> BadgeOut:
        row = conn.execute(f"SELECT {BADGE_COLUMNS} FROM badges WHERE id = ?", (badge_id,)).fetchone()
        if row is None:
            raise StoreError(404, "not_found", f"No badge with id {badge_id}.")
        return badge_record(row)

    def _insert_badge(
        self, conn: sqlite3.Connection, body: BadgeCreateIn, image: tuple[bytes, str] | None, now: int
    ) -> BadgeOut:
        """A new badge at version 1; its slug must be new."""
        if conn.execute("SELECT 1 FROM badges WHERE slug = ?", (body.slug,)).fetchone():
            raise StoreError(409, "conflict", f"A badge with the slug {body.slug!r} already exists.")
        seq = self._next_seq(conn)
        cur = conn.execute(
            "INSERT INTO badges (slug, title, description, criteria, tier, category, state,"
            " award_message, version, image, image_media_type, updated_at, seq)"
            " VALUES (?,?,?,?,?,?,?,?,1,?,?,?,?)",
            (
                body.slug,
                body.title,
                body.description,
                body.criteria,
                body.tier,
                body.category,
                body.state.value,
                body.award_message,
                image[0] if image else None,
                image[1] if image else None,
                now,
                seq,
            ),
        )
        self._bump(conn, "badges", 1)
        assert cur.lastrowid is not None
        return self._badge_row(conn, cur.lastrowid)

    def _update_badge(self, conn: sqlite3.Connection, badge_id: int, changes: dict[str, Any]) -> BadgeOut:
        """Set the given columns; every change moves the badge to its next version."""
        changes["updated_at"] = self._now()
        changes["seq"] = self._next_seq(conn)
        assignments = ", ".join(f"{name} = ?" for name in changes)
        conn.execute(
            f"UPDATE badges SET {assignments}, version = version + 1 WHERE id = ?",
            [*changes.values(), badge_id],
        )
        return self._badge_row(conn, badge_id)

    def _change_badge_state(self, conn: sqlite3.Connection, badge_id: int, state: BadgeState) -> BadgeOut:
        """Publish, disable or discontinue; a badge that left draft never returns to it."""
        if state is BadgeState.DRAFT:
            raise StoreError(422, "invalid_transition", "A badge that left draft cannot go back to draft.")
        conn.execute(
            "UPDATE badges SET state = ?, version = version + 1, updated_at = ?, seq = ? WHERE id = ?",
            (state.value, self._now(), self._next_seq(conn), badge_id),
        )
        return self._badge_row(conn, badge_id)
