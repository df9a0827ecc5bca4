"""The v1 API's reads of the community's activity: leaderboards, most liked posts, who posted where.

Rankings are computed from the ``activity_`` tables on every request (the
sandbox has no refresh job: its periods are exact, unlike Discourse's rolling
ones) and paged by a keyset cursor ``"<value>.<id>"`` in the ranking's order,
so a page never repeats or skips a row while the data stays put.

"Days visited" is the days on which a member posted, liked or was last seen:
the sandbox keeps no log of every visit, and these are days they certainly came.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from desktop.dialects.badgedesk_v1.wire_activity import (
    ActivityMeasure,
    ActivityPostOut,
    ActivityPostPage,
    ActivityTopicOut,
    ActivityTopicPage,
    LeaderboardPage,
    LeaderboardRow,
    PosterOut,
    PosterPage,
)
from desktop.sandbox.store.database import StoreDatabase
from desktop.sandbox.store.errors import StoreError
from desktop.sandbox.store.records import keyset_page, parse_cursor

_DAY = 86_400
_INT_DIGITS = 18

# Each gives (member_id, value) for the window [:lo, :hi).
_MEASURES: dict[str, str] = {
    "likes_received": (
        "SELECT p.member_id, COUNT(*) FROM activity_likes l JOIN activity_posts p ON p.id = l.post_id"
        " WHERE l.created_at >= :lo AND l.created_at < :hi GROUP BY p.member_id"
    ),
    "replies": (
        "SELECT member_id, COUNT(*) FROM activity_posts"
        " WHERE created_at >= :lo AND created_at < :hi AND post_number > 1 GROUP BY member_id"
    ),
    "topics": (
        "SELECT member_id, COUNT(*) FROM activity_topics"
        " WHERE created_at >= :lo AND created_at < :hi GROUP BY member_id"
    ),
    "days_visited": (
        "SELECT member_id, COUNT(DISTINCT day) FROM ("
        " SELECT member_id, created_at / 86400 AS day FROM activity_posts"
        " WHERE created_at >= :lo AND created_at < :hi"
        " UNION ALL SELECT member_id, created_at / 86400 FROM activity_likes"
        " WHERE created_at >= :lo AND created_at < :hi"
        " UNION ALL SELECT id, last_seen_at / 86400 FROM members"
        " WHERE last_seen_at >= :lo AND last_seen_at < :hi) GROUP BY member_id"
    ),
}

_TOPIC_SELECT = (
    "SELECT t.id, t.title, t.member_id, t.created_at,"
    " (SELECT COUNT(*) FROM activity_posts p JOIN members m ON m.id = p.member_id"
    "  WHERE p.topic_id = t.id AND m.status != 'deleted'),"
    " (SELECT COUNT(DISTINCT p.member_id) FROM activity_posts p JOIN members m ON m.id = p.member_id"
    "  WHERE p.topic_id = t.id AND m.status != 'deleted')"
    " FROM activity_topics t"
)


def _ts(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _seconds(value: datetime) -> int:
    return int(value.timestamp())


def _pair_cursor(cursor: str | None) -> tuple[int, int] | None:
    """A ``"<value>.<id>"`` cursor; ``None`` for the first page; 400 for anything else."""
    if cursor is None or cursor == "":
        return None
    value, dot, ident = cursor.partition(".")
    if not dot or not all(p.isascii() and p.isdigit() and len(p) <= _INT_DIGITS for p in (value, ident)):
        raise StoreError(400, "bad_cursor", f"Not a cursor this server issued: {cursor!r}")
    return int(value), int(ident)


def _window(starts: datetime, ends: datetime) -> tuple[int, int]:
    if starts.tzinfo is None or ends.tzinfo is None:
        raise StoreError(422, "invalid", "from and to need a time zone (an offset or Z).")
    if ends <= starts:
        raise StoreError(422, "invalid", "to must be later than from.")
    return _seconds(starts), _seconds(ends)


class ActivityTable(StoreDatabase):
    """The ``activity_`` tables, read. Thread safety: any thread (see ``StoreDatabase``)."""

    def leaderboard(
        self,
        measure: ActivityMeasure,
        starts: datetime,
        ends: datetime,
        *,
        exclude_groups: Sequence[int] = (),
        cursor: str | None,
        limit: int,
    ) -> LeaderboardPage:
        lo, hi = _window(starts, ends)
        after = _pair_cursor(cursor)
        with self._read() as conn:
            self._check_groups(conn, exclude_groups)
            params: dict[str, Any] = {"lo": lo, "hi": hi, "limit": limit + 1}
            excluded = ""
            if exclude_groups:
                names = [f":g{i}" for i in range(len(exclude_groups))]
                params.update({name[1:]: group for name, group in zip(names, exclude_groups, strict=True)})
                excluded = (
                    " AND s.member_id NOT IN (SELECT member_id FROM group_memberships"
                    f" WHERE group_id IN ({','.join(names)}))"
                )
            keyset = ""
            if after is not None:
                keyset = " WHERE r.value < :value OR (r.value = :value AND r.member_id > :after)"
                params.update(value=after[0], after=after[1])
            sql = (
                f"WITH scores(member_id, value) AS ({_MEASURES[measure]}),"
                " ranked AS (SELECT s.member_id, s.value, RANK() OVER (ORDER BY s.value DESC) AS rank"
                " FROM scores s JOIN members m ON m.id = s.member_id"
                f" WHERE m.status != 'deleted' AND s.value > 0{excluded})"
                " SELECT r.rank, r.member_id, m.username, m.display_name, r.value"
                f" FROM ranked r JOIN members m ON m.id = r.member_id{keyset}"
                " ORDER BY r.value DESC, r.member_id LIMIT :limit"
            )
            rows = conn.execute(sql, params).fetchall()
        page = rows[:limit]
        next_cursor = f"{page[-1][4]}.{page[-1][1]}" if len(rows) > limit else None
        items = [
            LeaderboardRow(rank=r[0], member_id=r[1], username=r[2], display_name=r[3], value=r[4])
            for r in page
        ]
        return LeaderboardPage(
            measure=measure, starts_at=_ts(lo), ends_at=_ts(hi), items=items, next_cursor=next_cursor
        )

    @staticmethod
    def _check_groups(conn: sqlite3.Connection, group_ids: Sequence[int]) -> None:
        for group_id in group_ids:
            if conn.execute("SELECT 1 FROM member_groups WHERE id = ?", (group_id,)).fetchone() is None:
                raise StoreError(404, "not_found", f"No group with id {group_id}.")

    def top_posts(
        self, starts: datetime, ends: datetime, *, base_url: str, cursor: str | None, limit: int
    ) -> ActivityPostPage:
        lo, hi = _window(starts, ends)
        after = _pair_cursor(cursor)
        params: list[Any] = [lo, hi]
        keyset = ""
        if after is not None:
            keyset = " AND (p.like_count < ? OR (p.like_count = ? AND p.id > ?))"
            params += [after[0], after[0], after[1]]
        params.append(limit + 1)
        rows = (
            self._conn()
            .execute(
                "SELECT p.id, p.topic_id, p.post_number, p.member_id, m.username, t.title, p.like_count,"
                " p.created_at FROM activity_posts p JOIN members m ON m.id = p.member_id"
                " JOIN activity_topics t ON t.id = p.topic_id"
                " WHERE p.created_at >= ? AND p.created_at < ? AND p.like_count > 0"
                f" AND m.status != 'deleted'{keyset} ORDER BY p.like_count DESC, p.id LIMIT ?",
                params,
            )
            .fetchall()
        )
        page = rows[:limit]
        next_cursor = f"{page[-1][6]}.{page[-1][0]}" if len(rows) > limit else None
        items = [
            ActivityPostOut(
                id=r[0],
                topic_id=r[1],
                post_number=r[2],
                member_id=r[3],
                username=r[4],
                title=r[5],
                like_count=r[6],
                created_at=_ts(r[7]),
                link=f"{base_url}t/{r[1]}/{r[2]}",
            )
            for r in page
        ]
        return ActivityPostPage(items=items, next_cursor=next_cursor)

    def activity_topics(
        self, *, q: str | None, base_url: str, cursor: str | None, limit: int
    ) -> ActivityTopicPage:
        params: list[Any] = [parse_cursor(cursor)]
        where = " WHERE t.id > ?"
        if q:
            # LIKE ignores the case of ASCII letters only; titles are matched as written otherwise.
            where += " AND t.title LIKE ? ESCAPE '\\'"
            escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        params.append(limit + 1)
        rows = self._conn().execute(f"{_TOPIC_SELECT}{where} ORDER BY t.id LIMIT ?", params).fetchall()
        items, next_cursor = keyset_page(rows, limit, lambda r: _topic(r, base_url))
        return ActivityTopicPage(items=items, next_cursor=next_cursor)

    def activity_topic(self, topic_id: int, *, base_url: str) -> ActivityTopicOut:
        row = self._conn().execute(f"{_TOPIC_SELECT} WHERE t.id = ?", (topic_id,)).fetchone()
        if row is None:
            raise StoreError(404, "not_found", f"No topic with id {topic_id}.")
        return _topic(row, base_url)

    def topic_post(self, topic_id: int, post_number: int) -> tuple[str, str, datetime, str, int] | None:
        """A post's topic title, author's username, date, text and like count, for its page."""
        row = (
            self._conn()
            .execute(
                "SELECT t.title, m.username, p.created_at, p.body, p.like_count FROM activity_posts p"
                " JOIN activity_topics t ON t.id = p.topic_id JOIN members m ON m.id = p.member_id"
                " WHERE p.topic_id = ? AND p.post_number = ?",
                (topic_id, post_number),
            )
            .fetchone()
        )
        return None if row is None else (row[0], row[1], _ts(row[2]), row[3], row[4])

    def topic_posters(self, topic_id: int, *, cursor: str | None, limit: int) -> PosterPage:
        after = parse_cursor(cursor)
        with self._read() as conn:
            if conn.execute("SELECT 1 FROM activity_topics WHERE id = ?", (topic_id,)).fetchone() is None:
                raise StoreError(404, "not_found", f"No topic with id {topic_id}.")
            rows = self._posters(conn, "p.topic_id = ?", [topic_id], after, limit)
        items, next_cursor = keyset_page(rows, limit, _poster)
        return PosterPage(items=items, next_cursor=next_cursor)

    def posters_between(
        self, starts: datetime, ends: datetime, *, cursor: str | None, limit: int
    ) -> PosterPage:
        lo, hi = _window(starts, ends)
        after = parse_cursor(cursor)
        rows = self._posters(self._conn(), "p.created_at >= ? AND p.created_at < ?", [lo, hi], after, limit)
        items, next_cursor = keyset_page(rows, limit, _poster)
        return PosterPage(items=items, next_cursor=next_cursor)

    @staticmethod
    def _posters(
        conn: sqlite3.Connection, where: str, params: list[Any], after: int, limit: int
    ) -> list[tuple[Any, ...]]:
        return conn.execute(
            "SELECT p.member_id, m.username, m.display_name, COUNT(*), MIN(p.created_at), MAX(p.created_at)"
            " FROM activity_posts p JOIN members m ON m.id = p.member_id"
            f" WHERE {where} AND p.member_id > ? AND m.status != 'deleted'"
            " GROUP BY p.member_id ORDER BY p.member_id LIMIT ?",
            [*params, after, limit + 1],
        ).fetchall()


def _topic(row: Sequence[Any], base_url: str) -> ActivityTopicOut:
    return ActivityTopicOut(
        id=row[0],
        title=row[1],
        member_id=row[2],
        created_at=_ts(row[3]),
        posts_count=row[4],
        posters_count=row[5],
        link=f"{base_url}t/{row[0]}",
    )


def _poster(row: Sequence[Any]) -> PosterOut:
    return PosterOut(
        member_id=row[0],
        username=row[1],
        display_name=row[2],
        post_count=row[3],
        first_post_at=_ts(row[4]),
        last_post_at=_ts(row[5]),
    )
