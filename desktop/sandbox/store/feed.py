"""The sandbox's changes feed: every member, badge, award and request changed after a cursor, in order.

This is the v1 API's incremental sync; it reads the ``seq`` every write
stamps (see ``schema.py``) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from desktop.dialects.badgedesk_v1.wire import ChangesPage
from desktop.sandbox.store.database import StoreDatabase
from desktop.sandbox.store.errors import StoreError
from desktop.sandbox.store.records import (
    award_record,
    badge_record,
    member_record,
    parse_cursor,
    request_record,
)
from desktop.sandbox.store.schema import AWARD_COLUMNS, BADGE_COLUMNS, MEMBER_COLUMNS, REQUEST_COLUMNS


class ChangesFeed(StoreDatabase):
    """Reads of the change sequence. Thread safety: any thread (see ``StoreDatabase``)."""

    def changes(self, *, since: str | None, limit: int) -> ChangesPage:
        """Entities changed after ``since``, oldest first, at most ``limit`` across all kinds.

        Every row has its own ``seq``, so cutting the merged list at ``limit``
        never splits a position between two pages.
        """
        after = parse_cursor(since)
        with self._read() as conn:
            top = conn.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0]
            if after > top:
                raise StoreError(
                    400, "bad_cursor", f"Cursor {after} is ahead of this server ({top}); was it reset?"
                )
            fetched: list[tuple[int, str, Sequence[Any]]] = []
            # Badges with ids of 0 or less (and their awards) are the Discourse
            # face's system badges, which the v1 API does not know.
            for kind, columns, table, visible in (
                ("members", MEMBER_COLUMNS, "members", ""),
                ("badges", BADGE_COLUMNS, "badges", " AND id > 0"),
                ("awards", AWARD_COLUMNS, "awards", " AND badge_id > 0"),
                ("requests", REQUEST_COLUMNS, "requests", ""),
            ):
                rows = conn.execute(
                    f"SELECT seq, {columns} FROM {table} WHERE seq > ?{visible} ORDER BY seq LIMIT ?",
                    (after, limit + 1),
                ).fetchall()
                fetched.extend((r[0], kind, r[1:]) for r in rows)
        fetched.sort(key=lambda entry: entry[0])
        has_more = len(fetched) > limit
        fetched = fetched[:limit]
        out: dict[str, list[Any]] = {"members": [], "badges": [], "awards": [], "requests": []}
        convert: dict[str, Callable[[Sequence[Any]], Any]] = {
            "members": member_record,
            "badges": badge_record,
            "awards": award_record,
            "requests": request_record,
        }
        for _seq, kind, row in fetched:
            out[kind].append(convert[kind](row))
        next_cursor = str(fetched[-1][0]) if fetched else str(after)
        return ChangesPage(
            members=out["members"],
            badges=out["badges"],
            awards=out["awards"],
            requests=out["requests"],
            next_cursor=next_cursor,
            has_more=has_more,
        )
