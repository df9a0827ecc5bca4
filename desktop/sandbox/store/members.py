"""The sandbox's members: search by prefix, one member, and the moderator's suspend / unsuspend / delete."""

from __future__ import annotations

from typing import Any

from desktop.dialects.badgedesk_v1.wire import MemberOut, MemberPage
from desktop.domain import MemberStatus
from desktop.sandbox.store.database import StoreDatabase
from desktop.sandbox.store.errors import StoreError
from desktop.sandbox.store.records import keyset_page, member_record, parse_cursor
from desktop.sandbox.store.schema import MEMBER_COLUMNS


def _prefix_range(prefix: str) -> tuple[str, str]:
    # BINARY collation compares UTF-8 bytes, i.e. code points, so every string
    # starting with `prefix` sorts below prefix + the highest code point.
    return prefix, prefix + "\U0010ffff"


class MemberTable(StoreDatabase):
    """The ``members`` table. Thread safety: any thread (see ``StoreDatabase``)."""

    def members_page(self, *, cursor: str | None, limit: int, q: str | None) -> MemberPage:
        after = parse_cursor(cursor)
        params: list[Any] = [after]
        where = "id > ?"
        if q:
            folded = q.casefold()
            lo, hi = _prefix_range(folded)
            if len(folded) >= 3:
                # Long prefixes match few members: collect them from the three
                # indexes. Short ones match many, and walking ids in order finds
                # a page sooner than sorting a huge union (measured at 1M members).
                where += (
                    " AND id IN (SELECT id FROM members WHERE username_fold >= ? AND username_fold < ?"
                    " UNION ALL SELECT id FROM members WHERE display_fold >= ? AND display_fold < ?"
                    " UNION ALL SELECT id FROM members WHERE email_fold >= ? AND email_fold < ?)"
                )
            else:
                where += (
                    " AND ((username_fold >= ? AND username_fold < ?)"
                    " OR (display_fold >= ? AND display_fold < ?) OR (email_fold >= ? AND email_fold < ?))"
                )
            params += [lo, hi, lo, hi, lo, hi]
        params.append(limit + 1)
        rows = (
            self._conn()
            .execute(f"SELECT {MEMBER_COLUMNS} FROM members WHERE {where} ORDER BY id LIMIT ?", params)
            .fetchall()
        )
        items, next_cursor = keyset_page(rows, limit, member_record)
        return MemberPage(items=items, next_cursor=next_cursor)

    def member(self, member_id: int) -> MemberOut | None:
        row = (
            self._conn()
            .execute(f"SELECT {MEMBER_COLUMNS} FROM members WHERE id = ?", (member_id,))
            .fetchone()
        )
        return None if row is None else member_record(row)

    def set_member_status(self, member_id: int, status: MemberStatus) -> MemberOut:
        """Suspend, unsuspend or delete a member, as another moderator or an admin would.

        A deletion is soft (the row stays with the status ``deleted``, awards
        and all) so the changes feed can report it; it cannot be undone.
        Setting the status a member already has changes nothing.
        """
        with self._write() as conn:
            row = conn.execute(f"SELECT {MEMBER_COLUMNS} FROM members WHERE id = ?", (member_id,)).fetchone()
            if row is None:
                raise StoreError(404, "not_found", f"No member with id {member_id}.")
            current = MemberStatus(row[6])
            if current is status:
                return member_record(row)
            if current is MemberStatus.DELETED:
                raise StoreError(
                    409, "member_deleted", f"Member {member_id} was deleted; a deleted member stays deleted."
                )
            conn.execute(
                "UPDATE members SET status = ?, seq = ? WHERE id = ?",
                (status.value, self._next_seq(conn), member_id),
            )
            row = conn.execute(f"SELECT {MEMBER_COLUMNS} FROM members WHERE id = ?", (member_id,)).fetchone()
            return member_record(row)
