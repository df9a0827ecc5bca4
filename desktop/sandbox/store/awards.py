"""The sandbox's awards: who holds what, the rules of granting and revoking, and the messages members get.

``_award`` and ``_revoke`` are the community's rules for one award or revoke
(what stops it, named as a ``Drift``); they run inside a transaction their
caller opened, so the API's batches (``v1.py``) and a request's approval
(``requests.py``) apply the same rules.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from desktop.dialects.badgedesk_v1.wire import AwardOut, AwardPage
from desktop.domain import AwardOutcome, BadgeState, Drift, MemberStatus
from desktop.sandbox.store.database import StoreDatabase
from desktop.sandbox.store.records import award_record, keyset_page, parse_cursor
from desktop.sandbox.store.schema import AWARD_COLUMNS

#: The API's timestamp format (``wire.iso``) in SQLite.
_ISO = "strftime('%Y-%m-%dT%H:%M:%SZ', {}, 'unixepoch')"
#: One award as :class:`AwardOut` writes it, keys in the model's order.
_AWARD_JSON = (
    "json_object('id', id, 'member_id', member_id, 'badge_id', badge_id,"
    f" 'granted_at', {_ISO.format('granted_at')}, 'granted_by', granted_by, 'reason', reason,"
    f" 'revoked_at', CASE WHEN revoked_at IS NULL THEN NULL ELSE {_ISO.format('revoked_at')} END)"
)

#: What one award or revoke did: its outcome, the award concerned, and what stopped it.
Applied = tuple[AwardOutcome, AwardOut | None, Drift | None]


def render_message(
    template: str, *, member: str, badge: str, community: str, username: str = "", date: str = ""
) -> str:
    """Fill an award-message template; unknown placeholders are left as written."""
    values = {"member": member, "badge": badge, "community": community, "username": username, "date": date}

    class _Keep(dict[str, str]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return template.format_map(_Keep(values))
    except (ValueError, IndexError):
        # A stray brace in a moderator's text must not fail the award.
        return template


class AwardTable(StoreDatabase):
    """The ``awards`` and ``messages`` tables. Thread safety: any thread (see ``StoreDatabase``)."""

    def awards_page(
        self, *, badge_id: int | None, member_id: int | None, cursor: str | None, limit: int
    ) -> AwardPage:
        rows = self._listed(AWARD_COLUMNS, badge_id, member_id, cursor, limit)
        items, next_cursor = keyset_page(rows, limit, award_record)
        return AwardPage(items=items, next_cursor=next_cursor)

    def awards_page_json(
        self, *, badge_id: int | None, member_id: int | None, cursor: str | None, limit: int
    ) -> bytes:
        """:meth:`awards_page` as the API's JSON body, each award written by SQLite.

        A full sync lists every award, 5,000 a page: building a model for each
        only to write it out again cost the sandbox about 8 µs an award, and it
        shares the machine with the client it serves. For every award the
        models accept (all the sandbox writes: whole seconds from 1970 on,
        names and reasons within their bounds) the text is what they write:
        the same keys in the same order, timestamps in the API's format. Tests
        compare the two.
        """
        rows = self._listed(f"id, {_AWARD_JSON}", badge_id, member_id, cursor, limit)
        page = rows[:limit]
        next_cursor = json.dumps(str(page[-1][0])) if len(rows) > limit else "null"
        items = ",".join(row[1] for row in page)
        return f'{{"items":[{items}],"next_cursor":{next_cursor}}}'.encode()

    def _listed(
        self, columns: str, badge_id: int | None, member_id: int | None, cursor: str | None, limit: int
    ) -> list[Any]:
        """``columns`` of the listed awards after ``cursor``, ``limit`` + 1 of them (is there more?)."""
        after = parse_cursor(cursor)
        # Badge ids of 0 or less are the Discourse face's system badges, which
        # the v1 API does not know (see desktop.sandbox.discourse).
        where = ["revoked_at IS NULL", "id > ?", "badge_id > 0"]
        params: list[Any] = [after]
        if badge_id is not None:
            where.append("badge_id = ?")
            params.append(badge_id)
        if member_id is not None:
            where.append("member_id = ?")
            params.append(member_id)
        params.append(limit + 1)
        sql = f"SELECT {columns} FROM awards WHERE {' AND '.join(where)} ORDER BY id LIMIT ?"
        return self._conn().execute(sql, params).fetchall()

    def messages_for(self, member_id: int) -> list[str]:
        """Award and revoke messages "sent" to a member, oldest first (the sandbox has no mail)."""
        rows = (
            self._conn()
            .execute("SELECT body FROM messages WHERE member_id = ? ORDER BY id", (member_id,))
            .fetchall()
        )
        return [str(r[0]) for r in rows]

    def _active_award(self, conn: sqlite3.Connection, member_id: int, badge_id: int) -> AwardOut | None:
        row = conn.execute(
            f"SELECT {AWARD_COLUMNS} FROM awards WHERE member_id = ? AND badge_id = ? AND revoked_at IS NULL"
            " ORDER BY id LIMIT 1",
            (member_id, badge_id),
        ).fetchone()
        return None if row is None else award_record(row)

    def _grant(
        self,
        conn: sqlite3.Connection,
        *,
        member_id: int,
        member_name: str,
        badge_id: int,
        granted_by: str,
        reason: str,
        notify: bool,
        message: str | None,
    ) -> AwardOut:
        now = self._now()
        cur = conn.execute(
            "INSERT INTO awards (member_id, badge_id, granted_at, granted_by, reason, seq)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (member_id, badge_id, now, granted_by, reason, self._next_seq(conn)),
        )
        self._bump(conn, "awards", 1)
        if notify:
            self._send_award_message(conn, member_id, member_name, badge_id, message, now)
        row = conn.execute(f"SELECT {AWARD_COLUMNS} FROM awards WHERE id = ?", (cur.lastrowid,)).fetchone()
        return award_record(row)

    def _send_award_message(
        self,
        conn: sqlite3.Connection,
        member_id: int,
        member_name: str,
        badge_id: int,
        message: str | None,
        now: int,
    ) -> None:
        title, template = conn.execute(
            "SELECT title, award_message FROM badges WHERE id = ?", (badge_id,)
        ).fetchone()
        username = conn.execute("SELECT username FROM members WHERE id = ?", (member_id,)).fetchone()
        body = render_message(
            message if message is not None else template,
            member=member_name,
            badge=title,
            community=self.community_name,
            username=username[0] if username else "",
            date=f"{datetime.fromtimestamp(now, UTC):%d %B %Y}".lstrip("0"),
        )
        conn.execute(
            "INSERT INTO messages (member_id, body, created_at) VALUES (?, ?, ?)", (member_id, body, now)
        )

    def _award(
        self,
        conn: sqlite3.Connection,
        *,
        member_id: int,
        badge_id: int,
        granted_by: str,
        reason: str,
        notify: bool,
        message: str | None,
        force: bool,
    ) -> Applied:
        """Award ``badge_id`` to ``member_id`` unless something stops it; ``force`` is "apply anyway"."""
        # Checked in the order the API documents for `condition`.
        member = conn.execute(
            "SELECT status, display_name FROM members WHERE id = ?", (member_id,)
        ).fetchone()
        badge = conn.execute("SELECT state FROM badges WHERE id = ?", (badge_id,)).fetchone()
        if member is None or member[0] == MemberStatus.DELETED:
            return AwardOutcome.NOT_FOUND, None, Drift.MEMBER_GONE
        if badge is None:
            return AwardOutcome.NOT_FOUND, None, Drift.BADGE_GONE
        if member[0] == MemberStatus.SUSPENDED and not force:
            return AwardOutcome.MEMBER_SUSPENDED, None, Drift.MEMBER_SUSPENDED
        state = BadgeState(badge[0])
        # A moderator may override a disabled badge (paused), never a draft
        # (not yet real) or a discontinued one (retired for good).
        if state is BadgeState.DISABLED and not force:
            return AwardOutcome.BADGE_NOT_AWARDABLE, None, Drift.BADGE_DISABLED
        if state in (BadgeState.DRAFT, BadgeState.DISCONTINUED):
            return AwardOutcome.BADGE_NOT_AWARDABLE, None, Drift.BADGE_RETIRED
        held = self._active_award(conn, member_id, badge_id)
        if held is not None:
            # Even with force: an award that exists is never rewritten (its giver,
            # reason and date stay, and the member is not told twice).
            return AwardOutcome.ALREADY_HELD, held, Drift.ALREADY_HELD
        award = self._grant(
            conn,
            member_id=member_id,
            member_name=member[1],
            badge_id=badge_id,
            granted_by=granted_by,
            reason=reason,
            notify=notify,
            message=message,
        )
        return AwardOutcome.AWARDED, award, None

    def _revoke(
        self,
        conn: sqlite3.Connection,
        *,
        member_id: int,
        badge_id: int,
        revoked_by: str,
        reason: str,
        notify: bool = False,
    ) -> Applied:
        """Revoke the member's award of the badge, if they hold it; ``notify`` tells them so."""
        # A deleted member is left as they are; suspensions and badge states do not stop a revoke.
        member = conn.execute("SELECT status FROM members WHERE id = ?", (member_id,)).fetchone()
        badge = conn.execute("SELECT 1 FROM badges WHERE id = ?", (badge_id,)).fetchone()
        if member is None or member[0] == MemberStatus.DELETED:
            return AwardOutcome.NOT_FOUND, None, Drift.MEMBER_GONE
        if badge is None:
            return AwardOutcome.NOT_FOUND, None, Drift.BADGE_GONE
        held = self._active_award(conn, member_id, badge_id)
        if held is None:
            return AwardOutcome.NOT_HELD, None, Drift.NOT_HELD
        # A multiple_grant badge granted several times (through the Discourse
        # face) has several active rows; here a member holds a badge or not, so
        # revoking it takes every grant.
        grants = [
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM awards WHERE member_id = ? AND badge_id = ? AND revoked_at IS NULL",
                (member_id, badge_id),
            )
        ]
        now = self._now()
        for grant_id in grants:
            conn.execute(
                "UPDATE awards SET revoked_at = ?, revoked_by = ?, revoke_reason = ?, seq = ? WHERE id = ?",
                (now, revoked_by, reason, self._next_seq(conn), grant_id),
            )
        self._bump(conn, "awards", -len(grants))
        if notify:
            self._send_revoke_message(conn, member_id, badge_id, reason, now)
        row = conn.execute(f"SELECT {AWARD_COLUMNS} FROM awards WHERE id = ?", (held.id,)).fetchone()
        return AwardOutcome.REVOKED, award_record(row), None

    def _send_revoke_message(
        self, conn: sqlite3.Connection, member_id: int, badge_id: int, reason: str, now: int
    ) -> None:
        # The server's own words (not the app's): kept in English like the award messages' dates.
        (title,) = conn.execute("SELECT title FROM badges WHERE id = ?", (badge_id,)).fetchone()
        body = f"Your badge “{title}” was revoked."
        if reason:
            body += f" Reason: {reason}"
        conn.execute(
            "INSERT INTO messages (member_id, body, created_at) VALUES (?, ?, ?)", (member_id, body, now)
        )
