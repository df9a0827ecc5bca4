"""Finding members in the cache: word-prefix text search plus combinable filters.

Text goes to the FTS5 index (``members_fts``): each word of the query must
start a word of the username, display name or email, in any case and with or
without accents ("jose" finds "José", "ann" finds "Ann-Marie" and
"annika@…"). Filters narrow the set with plain SQL; the result is a list of
member ids in the requested order, which the views load lazily.

Thread safety: a :class:`MemberSearch` may be used from any worker thread.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from desktop.cache.database import Cache, to_epoch
from desktop.domain import MemberStatus, utc_now

_WORD = re.compile(r"\w+")


class SortKey(enum.StrEnum):
    #: Best text matches first (by name when there is no text).
    RELEVANCE = "relevance"
    NAME = "name"
    JOINED = "joined"
    LAST_SEEN = "last_seen"
    BADGE_COUNT = "badge_count"


@dataclass(frozen=True, slots=True)
class MemberQuery:
    """What the user asked for. Empty fields do not filter."""

    text: str = ""
    #: Members holding every one of these badges.
    holds: frozenset[int] = field(default_factory=frozenset)
    #: Members holding none of these badges.
    lacks: frozenset[int] = field(default_factory=frozenset)
    status: MemberStatus | None = None
    joined_after: datetime | None = None
    joined_before: datetime | None = None
    seen_within_days: int | None = None
    group: str | None = None
    sort: SortKey = SortKey.RELEVANCE
    descending: bool = False


def fold(text: str) -> str:
    """Case- and accent-insensitive form, as the index folds what it stores."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def match_expression(text: str) -> str | None:
    """The FTS5 query for ``text``: every word as a prefix, all required.

    Words are quoted, so nothing the user types is read as FTS5 syntax.
    """
    words = _WORD.findall(fold(text))
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


# Ordering columns; ``id`` last keeps the order total and stable.
_ORDER = {
    SortKey.NAME: "m.display_name COLLATE NOCASE {dir}, m.id",
    SortKey.JOINED: "m.joined_at {dir}, m.id",
    SortKey.LAST_SEEN: "m.last_seen_at IS NULL, m.last_seen_at {dir}, m.id",
    SortKey.BADGE_COUNT: "(SELECT count(*) FROM awards a WHERE a.member_id = m.id) {dir}, m.id",
}


class MemberSearch:
    """Runs :class:`MemberQuery` against one cache."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def _sql(self, query: MemberQuery, now: datetime | None) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        match = match_expression(query.text)
        if match is not None:
            source = "members_fts f JOIN members m ON m.id = f.rowid"
            where.append("members_fts MATCH ?")
            params.append(match)
        else:
            source = "members m"
        for badge_id in sorted(query.holds):
            where.append("EXISTS (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?)")
            params.append(badge_id)
        for badge_id in sorted(query.lacks):
            where.append("NOT EXISTS (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?)")
            params.append(badge_id)
        if query.status is not None:
            where.append("m.status = ?")
            params.append(query.status.value)
        if query.joined_after is not None:
            where.append("m.joined_at >= ?")
            params.append(to_epoch(query.joined_after))
        if query.joined_before is not None:
            where.append("m.joined_at < ?")
            params.append(to_epoch(query.joined_before))
        if query.seen_within_days is not None:
            since = (now or utc_now()) - timedelta(days=query.seen_within_days)
            where.append("m.last_seen_at >= ?")
            params.append(to_epoch(since))
        if query.group:
            where.append("EXISTS (SELECT 1 FROM json_each(m.groups) g WHERE g.value = ?)")
            params.append(query.group)
        direction = "DESC" if query.descending else "ASC"
        if query.sort is SortKey.RELEVANCE and match is not None:
            # Whole-word matches first ("Ann" before "Annika"), then bm25
            # (smaller is better; names weigh more than the email).
            order = (
                "f.rowid IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ?) DESC,"
                " bm25(members_fts, 4.0, 4.0, 1.0), m.id"
            )
            params.append(match.replace("*", ""))
        elif query.sort is SortKey.RELEVANCE:
            order = _ORDER[SortKey.NAME]
        else:
            order = _ORDER[query.sort]
        sql = f"SELECT m.id FROM {source}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + order.format(dir=direction)
        return sql, params

    def ids(self, query: MemberQuery, *, now: datetime | None = None) -> list[int]:
        """Ids of the matching members, in the query's order."""
        sql, params = self._sql(query, now)
        with self.cache.read() as connection:
            return [row[0] for row in connection.exec_driver_sql(sql, tuple(params))]

    def count(self, query: MemberQuery, *, now: datetime | None = None) -> int:
        sql, params = self._sql(replace(query, sort=SortKey.NAME), now)
        counted = "SELECT count(*) FROM (" + sql.split(" ORDER BY ")[0] + ")"
        with self.cache.read() as connection:
            return int(connection.exec_driver_sql(counted, tuple(params)).scalar() or 0)
