"""The user directory (``directory_items``): every user's activity in a rolling period, as Discourse ranks it.

Discourse keeps one row per user and period type, rebuilt by a job: the daily
period every hour, the others once a day, each over the span before the
refresh (a day, a week, a month, three months, a year, or all time). The
sandbox computes the rows from the activity tables for the span ending at the
last refresh it pretends happened (the top of the hour for ``daily``, the
start of the UTC day for the others), so a weekly ranking can be a day old,
as on a forum.

Columns: ``likes_received`` (likes given in the span on the user's posts),
``likes_given``, ``topic_count`` (topics started), ``post_count`` (replies
only), ``days_visited`` (days with a post, a like or the last visit: the
sandbox keeps no visit log), and ``topics_entered`` / ``posts_read`` derived
from those days as the user list derives them. Every user but the system
user and deleted members has a row, zeros included.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from desktop.sandbox.discourse.data.activity import _mix
from desktop.sandbox.discourse.data.base import DiscourseBase
from desktop.sandbox.discourse.data.solutions import solutions

_DAY = 86_400
_HOUR = 3_600
PERIODS = ("daily", "weekly", "monthly", "quarterly", "yearly", "all")
COLUMNS = (
    "likes_received",
    "likes_given",
    "topics_entered",
    "topic_count",
    "post_count",
    "posts_read",
    "days_visited",
)
#: The Solved plugin's column, where an admin enabled it.
SOLVED_COLUMN = "solutions"


@dataclass(frozen=True, slots=True)
class DirectoryRow:
    """A user's row for one period. Immutable; any thread."""

    user_id: int
    username: str
    name: str
    likes_received: int
    likes_given: int
    topics_entered: int
    topic_count: int
    post_count: int
    posts_read: int
    days_visited: int
    solutions: int = 0

    def value(self, column: str) -> int | str:
        return self.username.lower() if column == "username" else int(getattr(self, column))


def _months_before(moment: int, months: int) -> int:
    """The same time ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    at = datetime.fromtimestamp(moment, UTC)
    index = at.year * 12 + at.month - 1 - months
    year, month = divmod(index, 12)
    day = min(at.day, calendar.monthrange(year, month + 1)[1])
    return int(at.replace(year=year, month=month + 1, day=day).timestamp())


def period_span(period: str, now: int) -> tuple[int, int]:
    """``(start, last refresh)`` of a period at ``now``: what its rows count."""
    refreshed = now - now % _HOUR if period == "daily" else now - now % _DAY
    if period == "daily":
        return refreshed - _DAY, refreshed
    if period == "weekly":
        return refreshed - 7 * _DAY, refreshed
    if period == "all":
        return 0, refreshed
    months = {"monthly": 1, "quarterly": 3, "yearly": 12}[period]
    return _months_before(refreshed, months), refreshed


class DirectoryData(DiscourseBase):
    """The directory's rows. Thread safety: any thread (see ``StoreDatabase``)."""

    def directory(self, start: int, end: int) -> list[DirectoryRow]:
        """Every user's row for ``[start, end)``, by user id (kept until anything is written)."""
        return self._cached(("directory", start, end), lambda: self._directory(start, end))

    def _directory(self, start: int, end: int) -> list[DirectoryRow]:
        conn = self._conn()
        window = (start, end)
        received = dict(
            conn.execute(
                "SELECT p.member_id, COUNT(*) FROM activity_likes l JOIN activity_posts p ON p.id = l.post_id"
                " WHERE l.created_at >= ? AND l.created_at < ? GROUP BY p.member_id",
                window,
            ).fetchall()
        )
        given = dict(
            conn.execute(
                "SELECT member_id, COUNT(*) FROM activity_likes WHERE created_at >= ? AND created_at < ?"
                " GROUP BY member_id",
                window,
            ).fetchall()
        )
        topics = dict(
            conn.execute(
                "SELECT member_id, COUNT(*) FROM activity_topics WHERE created_at >= ? AND created_at < ?"
                " GROUP BY member_id",
                window,
            ).fetchall()
        )
        replies = dict(
            conn.execute(
                "SELECT member_id, COUNT(*) FROM activity_posts WHERE created_at >= ? AND created_at < ?"
                " AND post_number > 1 GROUP BY member_id",
                window,
            ).fetchall()
        )
        days: Counter[int] = Counter(
            member
            for (member,) in conn.execute(
                "SELECT member_id FROM (SELECT member_id, created_at / 86400 AS day FROM activity_posts"
                " WHERE created_at >= ?1 AND created_at < ?2"
                " UNION SELECT member_id, created_at / 86400 FROM activity_likes"
                " WHERE created_at >= ?1 AND created_at < ?2"
                " UNION SELECT id, last_seen_at / 86400 FROM members"
                " WHERE last_seen_at >= ?1 AND last_seen_at < ?2)",
                window,
            )
        )
        solved = solutions(conn, start, end)
        rows = []
        for user_id, username, name in conn.execute(
            "SELECT id, username, display_name FROM members WHERE status != 'deleted' ORDER BY id"
        ):
            visited = days.get(user_id, 0)
            entered = visited * (1 + int(_mix(user_id, 2) * 8))
            rows.append(
                DirectoryRow(
                    user_id=user_id,
                    username=username,
                    name=name,
                    likes_received=received.get(user_id, 0),
                    likes_given=given.get(user_id, 0),
                    topics_entered=entered,
                    topic_count=topics.get(user_id, 0),
                    post_count=replies.get(user_id, 0),
                    posts_read=entered * (2 + int(_mix(user_id, 3) * 12)),
                    days_visited=visited,
                    solutions=solved.get(user_id, 0),
                )
            )
        return rows
