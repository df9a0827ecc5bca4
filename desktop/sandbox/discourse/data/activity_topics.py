"""The activity's topics and posts on the Discourse face: a topic's view and the latest posts.

The activity tables (``desktop.sandbox.store.activity_seed``) number topics and
posts from 1; on this face they keep those numbers plus ``ACTIVITY_ID_OFFSET``,
out of the way of the badge requests' topics and the posts made through the
API (``schema``), so every id names one thing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from desktop.sandbox.discourse.data.base import DiscourseBase
from desktop.sandbox.discourse.data.schema import POST_TYPE_REGULAR, slug_for

ACTIVITY_ID_OFFSET = 1_000_000
#: The category the activity's topics are in (Uncategorized).
ACTIVITY_CATEGORY_ID = 1


def activity_topic_row(conn: sqlite3.Connection, topic_id: int) -> tuple[Any, ...] | None:
    """An activity topic (Discourse id) as ``topic_views._LISTED`` selects a topic, plus its posters
    by first post; ``None`` when it is not one."""
    local = topic_id - ACTIVITY_ID_OFFSET
    if local < 1:
        return None
    row = conn.execute(
        "SELECT t.id, t.title, t.member_id, t.created_at, COUNT(p.id), MAX(p.post_number), MAX(p.created_at)"
        " FROM activity_topics t JOIN activity_posts p ON p.topic_id = t.id WHERE t.id = ? GROUP BY t.id",
        (local,),
    ).fetchone()
    if row is None:
        return None
    last = conn.execute(
        "SELECT member_id FROM activity_posts WHERE topic_id = ? ORDER BY post_number DESC LIMIT 1", (local,)
    ).fetchone()[0]
    posters = tuple(
        int(r[0])
        for r in conn.execute(
            "SELECT member_id FROM activity_posts WHERE topic_id = ?"
            " GROUP BY member_id ORDER BY MIN(post_number)",
            (local,),
        )
    )
    slug = slug_for(row[1]) or "topic"
    return (
        topic_id,
        row[1],
        slug,
        ACTIVITY_CATEGORY_ID,
        row[2],
        row[3],
        False,
        "regular",
        row[4],
        row[5],
        row[6],
        last,
        posters,
    )


def activity_topic_posts(conn: sqlite3.Connection, topic_id: int) -> list[tuple[Any, ...]]:
    """An activity topic's posts: ``(id, post_number, user_id, raw, created_at, post_type, action_code)``."""
    return [
        (r[0] + ACTIVITY_ID_OFFSET, r[1], r[2], r[3], r[4], POST_TYPE_REGULAR, None)
        for r in conn.execute(
            "SELECT id, post_number, member_id, body, created_at FROM activity_posts WHERE topic_id = ?"
            " ORDER BY post_number",
            (topic_id - ACTIVITY_ID_OFFSET,),
        )
    ]


@dataclass(frozen=True, slots=True)
class LatestPost:
    """A public post as ``/posts.json`` lists it. Immutable; any thread."""

    id: int
    topic_id: int
    post_number: int
    user_id: int
    raw: str
    created_at: int
    topic_title: str
    category_id: int
    topic_posts: int


class LatestPostData(DiscourseBase):
    """The latest public posts. Thread safety: any thread (see ``StoreDatabase``)."""

    def latest_posts(self, before: int | None, limit: int) -> list[LatestPost]:
        """Regular posts of public topics, highest id first, from ``before`` (inclusive) down."""
        bound = " AND p.id <= ?" if before is not None else ""
        activity_bound = " AND p.id <= ?" if before is not None else ""
        params: list[object] = []
        if before is not None:
            params = [before, before - ACTIVITY_ID_OFFSET]
        conn = self._conn()
        rows = conn.execute(
            "SELECT * FROM ("
            " SELECT p.id, p.topic_id, p.post_number, p.user_id, p.raw, p.created_at, t.title, t.category_id"
            " FROM dc_posts p JOIN dc_topics t ON t.id = p.topic_id"
            f" WHERE t.archetype = 'regular' AND p.post_type = {POST_TYPE_REGULAR}{bound}"
            " UNION ALL"
            f" SELECT p.id + {ACTIVITY_ID_OFFSET}, p.topic_id + {ACTIVITY_ID_OFFSET}, p.post_number,"
            f" p.member_id, p.body, p.created_at, t.title, {ACTIVITY_CATEGORY_ID}"
            f" FROM activity_posts p JOIN activity_topics t ON t.id = p.topic_id WHERE 1{activity_bound}"
            ") ORDER BY 1 DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        counts: dict[int, int] = {}
        for topic_id in {r[1] for r in rows}:
            if topic_id > ACTIVITY_ID_OFFSET:
                sql = "SELECT COUNT(*) FROM activity_posts WHERE topic_id = ?"
                local = topic_id - ACTIVITY_ID_OFFSET
            else:
                sql = f"SELECT COUNT(*) FROM dc_posts WHERE topic_id = ? AND post_type = {POST_TYPE_REGULAR}"
                local = topic_id
            counts[topic_id] = int(conn.execute(sql, (local,)).fetchone()[0])
        return [
            LatestPost(
                id=r[0],
                topic_id=r[1],
                post_number=r[2],
                user_id=r[3],
                raw=r[4],
                created_at=r[5],
                topic_title=r[6],
                category_id=r[7],
                topic_posts=counts[r[1]],
            )
            for r in rows
        ]
