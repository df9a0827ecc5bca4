"""The activity's posts as Discourse's full-page search finds them (``lib/search.rb``).

Search reads ``after:YYYY-MM-DD`` (created after that day began) and
``before:YYYY-MM-DD`` (created before it began), ``order:likes`` (most liked
first, each post on its own; equal counts newest first) or ``order:latest``;
other words must all appear in the post or its topic's title (any case).
Without ``order:`` the posts come newest first (the sandbox ranks no relevance
and does not group them by topic). Only the activity's posts are searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from desktop.sandbox.discourse.data.activity_topics import ACTIVITY_ID_OFFSET
from desktop.sandbox.discourse.data.base import DiscourseBase

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
