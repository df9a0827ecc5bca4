"""The activity's posts as Discourse's full-page search finds them (``lib/search.rb``), and its ids.

The activity tables (``desktop.sandbox.store.activity_seed``) number topics and
posts from 1; on this face they keep those numbers plus ``ACTIVITY_ID_OFFSET``,
out of the way of the badge requests' topics and the posts made through the
API (``schema``), so every id names one thing.

Search reads ``after:YYYY-MM-DD`` (created after that day began) and
``before:YYYY-MM-DD`` (created before it began), ``order:likes`` (most liked
first, each post on its own; equal counts newest first) or ``order:latest``;
other words must all appear in the post or its topic's title (any case).
Without ``order:`` the posts come newest first (the sandbox ranks no relevance
and does not group them by topic). Only the activity's posts are searched.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop.sandbox.discourse.data.base import DiscourseBase
from desktop.sandbox.discourse.data.schema import POST_TYPE_REGULAR, slug_for

ACTIVITY_ID_OFFSET = 1_000_000
#: The category the activity's topics are in (Uncategorized).
ACTIVITY_CATEGORY_ID = 1
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed ``q``. Immutable; any thread."""

    words: tuple[str, ...] = ()
    after: int | None = None
    before: int | None = None
    order: str | None = None

    @property
    def empty(self) -> bool:
        return not self.words and self.after is None and self.before is None and self.order is None


@dataclass(frozen=True, slots=True)
class FoundPost:
    """A post search found, with its topic. Immutable; any thread."""

    id: int
    topic_id: int
    post_number: int
    user_id: int
    username: str
    name: str
    created_at: int
    like_count: int
    body: str
    topic_title: str
    topic_created_at: int
    topic_posts: int


def _day(word: str) -> int | None:
    """``Search.word_to_date`` for ``YYYY-MM-DD``: the start of that day (UTC); ``None`` if not a date."""
    match = _DATE.fullmatch(word)
    if match is None:
        return None
    try:
        return int(datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC).timestamp())
    except ValueError:
        return None


def parse_query(q: str) -> SearchQuery:
    words: list[str] = []
    after = before = None
    order = None
    for word in q.split():
        key, colon, value = word.partition(":")
        key = key.lower()
        if colon and key == "after" and _day(value) is not None:
            after = _day(value)
        elif colon and key == "before" and _day(value) is not None:
            before = _day(value)
        elif colon and key == "order" and value.lower() in ("likes", "latest"):
            order = value.lower()
        else:
            words.append(word.lower())
    return SearchQuery(tuple(words), after, before, order)


class ActivitySearchData(DiscourseBase):
    """The activity's posts, searched. Thread safety: any thread (see ``StoreDatabase``)."""

    def search_posts(self, query: SearchQuery, offset: int, limit: int) -> list[FoundPost]:
        """Up to ``limit`` posts from ``offset``, in the search's order (ask one more: are there more?)."""
        where = ["m.status != 'deleted'"]
        params: list[object] = []
        if query.after is not None:
            where.append("p.created_at > ?")
            params.append(query.after)
        if query.before is not None:
            where.append("p.created_at < ?")
            params.append(query.before)
        for word in query.words:
            where.append("(instr(lower(p.body), ?) > 0 OR instr(lower(t.title), ?) > 0)")
            params += [word, word]
        if query.order == "likes":
            order = "p.like_count DESC, p.created_at DESC, p.id DESC"
        else:
            order = "p.created_at DESC, p.id DESC"
        sql = (
            "SELECT p.id, p.topic_id, p.post_number, p.member_id, m.username, m.display_name, p.created_at,"
            " p.like_count, p.body, t.title, t.created_at,"
            " (SELECT COUNT(*) FROM activity_posts q WHERE q.topic_id = t.id)"
            " FROM activity_posts p JOIN activity_topics t ON t.id = p.topic_id"
            f" JOIN members m ON m.id = p.member_id WHERE {' AND '.join(where)}"
        )
        rows = (
            self._conn()
            .execute(f"{sql} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset])
            .fetchall()
        )
        return [
            FoundPost(
                id=r[0] + ACTIVITY_ID_OFFSET,
                topic_id=r[1] + ACTIVITY_ID_OFFSET,
                post_number=r[2],
                user_id=r[3],
                username=r[4],
                name=r[5],
                created_at=r[6],
                like_count=r[7],
                body=r[8],
                topic_title=r[9],
                topic_created_at=r[10],
                topic_posts=r[11],
            )
            for r in rows
        ]


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


class LatestPostData(ActivitySearchData):
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
