"""What the sandbox's activity tables say, computed here by hand (plain SQL over its database, behind
the API's back): the expectations of :mod:`tests.contract.test_activity`. By username and title,
which every dialect shows alike (ids differ between the sandbox's faces)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from tests.e2e import server_witness

_LIVE = "m.status != 'deleted'"


def _db(harness: Any) -> sqlite3.Connection:
    return server_witness.server_db(harness.process)


def _s(value: datetime) -> int:
    return int(value.timestamp())


def epoch(harness: Any) -> int:
    """The seed's "today" (seconds), where the seeded activity ends."""
    with _db(harness) as db:
        return int(db.execute("SELECT value FROM meta WHERE key = 'seed_epoch'").fetchone()[0])


def likes_received(harness: Any, starts: datetime, ends: datetime) -> list[tuple[str, int]]:
    """(username, likes received in the window), most first, then by member id."""
    with _db(harness) as db:
        return list(
            db.execute(
                "SELECT m.username, COUNT(*) AS n FROM activity_likes l"
                " JOIN activity_posts p ON p.id = l.post_id JOIN members m ON m.id = p.member_id"
                f" WHERE l.created_at >= ? AND l.created_at < ? AND {_LIVE}"
                " GROUP BY p.member_id ORDER BY n DESC, p.member_id",
                (_s(starts), _s(ends)),
            )
        )


def group_of(harness: Any, usernames: list[str]) -> tuple[int, set[str]]:
    """A group the first of ``usernames`` in any group is in (its group with fewest members), and
    its members' usernames."""
    with _db(harness) as db:
        group_id = next(
            row[0]
            for name in usernames
            for row in db.execute(
                "SELECT g.group_id FROM group_memberships g JOIN members m ON m.id = g.member_id"
                " WHERE m.username = ? ORDER BY (SELECT COUNT(*) FROM group_memberships x"
                " WHERE x.group_id = g.group_id), g.group_id LIMIT 1",
                (name,),
            )
        )
        names = db.execute(
            "SELECT m.username FROM group_memberships g JOIN members m ON m.id = g.member_id"
            " WHERE g.group_id = ?",
            (group_id,),
        )
        return int(group_id), {str(r[0]) for r in names}


def most_liked_posts(harness: Any, starts: datetime, ends: datetime, top: int) -> list[tuple[str, str, int]]:
    """(author, topic title, likes) of the posts created in the window, most liked first."""
    with _db(harness) as db:
        return list(
            db.execute(
                "SELECT m.username, t.title, p.like_count FROM activity_posts p"
                " JOIN members m ON m.id = p.member_id JOIN activity_topics t ON t.id = p.topic_id"
                f" WHERE p.created_at >= ? AND p.created_at < ? AND p.like_count > 0 AND {_LIVE}"
                " ORDER BY p.like_count DESC, p.id LIMIT ?",
                (_s(starts), _s(ends), top),
            )
        )


def biggest_topic(harness: Any) -> tuple[str, dict[str, int]]:
    """The title of the topic with most posts, and its posters' post counts by username."""
    with _db(harness) as db:
        topic_id, title = db.execute(
            "SELECT t.id, t.title FROM activity_topics t JOIN activity_posts p ON p.topic_id = t.id"
            " GROUP BY t.id ORDER BY COUNT(*) DESC, t.id LIMIT 1"
        ).fetchone()
        rows = db.execute(
            "SELECT m.username, COUNT(*) FROM activity_posts p JOIN members m ON m.id = p.member_id"
            f" WHERE p.topic_id = ? AND {_LIVE} GROUP BY p.member_id",
            (topic_id,),
        )
        return str(title), {str(u): int(n) for u, n in rows}


def window_posters(harness: Any, starts: datetime, ends: datetime) -> dict[str, int]:
    with _db(harness) as db:
        rows = db.execute(
            "SELECT m.username, COUNT(*) FROM activity_posts p JOIN members m ON m.id = p.member_id"
            f" WHERE p.created_at >= ? AND p.created_at < ? AND {_LIVE} GROUP BY p.member_id",
            (_s(starts), _s(ends)),
        )
        return {str(u): int(n) for u, n in rows}
