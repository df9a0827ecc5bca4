"""Reading topics as Discourse lists and shows them: a category's topics, and one topic's posts.

``ListController#category_default`` lists a category's topics, the most
recently bumped first (a topic is bumped by each regular post; small actions
such as closing do not bump it), or, with ``order=created``, by creation
(TopicQuery's ``SORTABLE_MAPPING``; ``ascending=true`` turns either around);
``TopicsController#show`` gives a topic with its posts. Private messages are never in a category's list.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.sandbox.discourse.data.activity_topics import activity_topic_posts, activity_topic_row
from desktop.sandbox.discourse.data.posts import PostData
from desktop.sandbox.discourse.data.schema import POST_TYPE_REGULAR


@dataclass(frozen=True, slots=True)
class ListedTopic:
    """A topic as a list shows it. Immutable; any thread."""

    id: int
    title: str
    slug: str
    category_id: int
    user_id: int
    created_at: int
    closed: bool
    archetype: str
    posts_count: int
    highest_post_number: int
    bumped_at: int
    last_poster_id: int
    #: Who posted, the first (the topic's author) first, each once.
    poster_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TopicPost:
    """One post of a topic, small actions included. Immutable; any thread."""

    id: int
    post_number: int
    user_id: int
    raw: str
    created_at: int
    post_type: int
    action_code: str | None


_LISTED = (
    "SELECT t.id, t.title, t.slug, t.category_id, t.user_id, t.created_at, t.closed, t.archetype,"
    " (SELECT COUNT(*) FROM dc_posts p WHERE p.topic_id = t.id AND p.post_type = 1),"
    " (SELECT COALESCE(MAX(post_number), 0) FROM dc_posts p WHERE p.topic_id = t.id),"
    " (SELECT COALESCE(MAX(created_at), t.created_at) FROM dc_posts p"
    "  WHERE p.topic_id = t.id AND p.post_type = 1) AS bumped_at,"
    " (SELECT user_id FROM dc_posts p WHERE p.topic_id = t.id AND p.post_type = 1"
    "  ORDER BY post_number DESC LIMIT 1)"
    " FROM dc_topics t"
)


class TopicViewData(PostData):
    """Topic lists and topic views. Thread safety: any thread (see ``StoreDatabase``)."""

    def category_topic_count(self, category_id: int) -> int:
        row = (
            self._conn()
            .execute(
                "SELECT COUNT(*) FROM dc_topics WHERE category_id = ? AND archetype = 'regular'",
                (category_id,),
            )
            .fetchone()
        )
        return int(row[0])

    def category_post_count(self, category_id: int) -> int:
        row = (
            self._conn()
            .execute(
                "SELECT COUNT(*) FROM dc_posts p JOIN dc_topics t ON t.id = p.topic_id"
                " WHERE t.category_id = ? AND t.archetype = 'regular' AND p.post_type = ?",
                (category_id, POST_TYPE_REGULAR),
            )
            .fetchone()
        )
        return int(row[0])

    def category_topics(
        self, category_id: int, offset: int, limit: int, *, by_creation: bool = False, ascending: bool = False
    ) -> list[ListedTopic]:
        """A page of the category's topics, the latest bumped first (or by creation, either way)."""
        column = "t.created_at" if by_creation else "bumped_at"
        direction = "ASC" if ascending else "DESC"
        rows = (
            self._conn()
            .execute(
                f"{_LISTED} WHERE t.category_id = ? AND t.archetype = 'regular'"
                f" ORDER BY {column} {direction}, t.id {direction} LIMIT ? OFFSET ?",
                (category_id, limit, offset),
            )
            .fetchall()
        )
        return [self._listed(row) for row in rows]

    def listed_topic(self, topic_id: int) -> ListedTopic | None:
        activity = activity_topic_row(self._conn(), topic_id)
        if activity is not None:
            return ListedTopic(*activity)
        row = self._conn().execute(f"{_LISTED} WHERE t.id = ?", (topic_id,)).fetchone()
        return None if row is None else self._listed(row)

    def topic_posts(self, topic_id: int) -> list[TopicPost]:
        """The topic's posts by number (an activity topic's too: see ``activity_topics``)."""
        activity = activity_topic_posts(self._conn(), topic_id)
        if activity:
            return [TopicPost(*row) for row in activity]
        rows = self._conn().execute(
            "SELECT id, post_number, user_id, raw, created_at, post_type, action_code FROM dc_posts"
            " WHERE topic_id = ? ORDER BY post_number",
            (topic_id,),
        )
        return [TopicPost(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]

    def _listed(self, row: tuple[object, ...]) -> ListedTopic:
        topic_id = int(str(row[0]))
        posters = [
            int(r[0])
            for r in self._conn().execute(
                "SELECT user_id FROM dc_posts WHERE topic_id = ? AND post_type = ?"
                " GROUP BY user_id ORDER BY MIN(post_number)",
                (topic_id, POST_TYPE_REGULAR),
            )
        ]
        author = int(str(row[4]))
        return ListedTopic(
            id=topic_id,
            title=str(row[1]),
            slug=str(row[2]),
            category_id=int(str(row[3])),
            user_id=author,
            created_at=int(str(row[5])),
            closed=bool(row[6]),
            archetype=str(row[7]),
            posts_count=int(str(row[8])),
            highest_post_number=int(str(row[9])),
            bumped_at=int(str(row[10])),
            last_poster_id=int(str(row[11])) if row[11] is not None else author,
            poster_ids=tuple(posters) or (author,),
        )
