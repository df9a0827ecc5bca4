"""Posts: private messages (a topic of their own with its recipients), replies, topics' status.

A private message to members is also kept in the store's ``messages`` table,
where the v1 face keeps the messages members get (the sandbox sends no mail).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.sandbox.discourse.data.schema import FIRST_OTHER_TOPIC_ID, POST_TYPE_SMALL_ACTION, slug_for
from desktop.sandbox.discourse.data.topics import TopicData


@dataclass(frozen=True, slots=True)
class NewPost:
    """A post just written, with what its answer shows of the topic. Immutable; any thread."""

    id: int
    topic_id: int
    topic_slug: str
    post_number: int
    posts_count: int
    raw: str
    created_at: int


@dataclass(frozen=True, slots=True)
class TopicRow:
    id: int
    title: str
    slug: str
    category_id: int
    user_id: int
    closed: bool
    archetype: str


class PostData(TopicData):
    """Posts and topics' status. Thread safety: any thread (see ``StoreDatabase``)."""

    def topic(self, topic_id: int) -> TopicRow | None:
        row = (
            self._conn()
            .execute(
                "SELECT id, title, slug, category_id, user_id, closed, archetype FROM dc_topics WHERE id = ?",
                (topic_id,),
            )
            .fetchone()
        )
        return None if row is None else TopicRow(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6])

    def topic_closed(self, topic_id: int) -> bool | None:
        found = self.topic(topic_id)
        return None if found is None else found.closed

    def create_topic(
        self, *, title: str, raw: str, user_id: int, category_id: int, recipients: set[int] | None = None
    ) -> NewPost:
        """A new topic (a private message when ``recipients`` are given) and its first post."""
        now = self._now()
        with self._write() as conn:
            topic_id = max(
                FIRST_OTHER_TOPIC_ID,
                conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM dc_topics").fetchone()[0],
            )
            slug = slug_for(title) or "topic"
            conn.execute(
                "INSERT INTO dc_topics"
                " (id, title, slug, category_id, user_id, request_id, created_at, closed, archetype)"
                " VALUES (?, ?, ?, ?, ?, NULL, ?, 0, ?)",
                (
                    topic_id,
                    title,
                    slug,
                    category_id,
                    user_id,
                    now,
                    "private_message" if recipients is not None else "regular",
                ),
            )
            if recipients is not None:
                conn.executemany(
                    "INSERT OR IGNORE INTO dc_topic_allowed_users (topic_id, user_id) VALUES (?, ?)",
                    [(topic_id, member) for member in {*recipients, user_id}],
                )
                conn.executemany(
                    "INSERT INTO messages (member_id, body, created_at) VALUES (?, ?, ?)",
                    [(member, raw, now) for member in sorted(recipients) if member > 0],
                )
            cur = conn.execute(
                "INSERT INTO dc_posts (topic_id, post_number, user_id, raw, created_at)"
                " VALUES (?, 1, ?, ?, ?)",
                (topic_id, user_id, raw, now),
            )
            assert cur.lastrowid is not None
            return NewPost(cur.lastrowid, topic_id, slug, 1, 1, raw, now)

    def reply(self, topic: TopicRow, *, raw: str, user_id: int) -> NewPost:
        now = self._now()
        with self._write() as conn:
            number = conn.execute(
                "SELECT COALESCE(MAX(post_number), 0) + 1 FROM dc_posts WHERE topic_id = ?", (topic.id,)
            ).fetchone()[0]
            cur = conn.execute(
                "INSERT INTO dc_posts (topic_id, post_number, user_id, raw, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (topic.id, number, user_id, raw, now),
            )
            assert cur.lastrowid is not None
            return NewPost(cur.lastrowid, topic.id, topic.slug, number, number, raw, now)

    def set_topic_status(self, topic_id: int, status: str, enabled: bool, user_id: int) -> None:
        """Closing (and reopening) is kept; pinning, archiving and hiding are accepted and change nothing.

        As ``TopicStatusUpdater`` does, a change of the closed status adds a small
        action post by whoever made it (``closed.enabled`` / ``closed.disabled``):
        that post is how a reader of the topic sees who closed it and when.
        Closing a closed topic changes nothing.
        """
        if status != "closed":
            return
        with self._write() as conn:
            row = conn.execute("SELECT closed FROM dc_topics WHERE id = ?", (topic_id,)).fetchone()
            if row is None or bool(row[0]) == enabled:
                return
            conn.execute("UPDATE dc_topics SET closed = ? WHERE id = ?", (int(enabled), topic_id))
            number = conn.execute(
                "SELECT COALESCE(MAX(post_number), 0) + 1 FROM dc_posts WHERE topic_id = ?", (topic_id,)
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO dc_posts (topic_id, post_number, user_id, raw, created_at, post_type,"
                " action_code) VALUES (?, ?, ?, '', ?, ?, ?)",
                (
                    topic_id,
                    number,
                    user_id,
                    self._now(),
                    POST_TYPE_SMALL_ACTION,
                    "closed.enabled" if enabled else "closed.disabled",
                ),
            )

    def private_message_recipients(self, topic_id: int) -> set[int]:
        """Who a private message's thread is shared with, its author aside."""
        rows = self._conn().execute(
            "SELECT a.user_id FROM dc_topic_allowed_users a JOIN dc_topics t ON t.id = a.topic_id"
            " WHERE a.topic_id = ? AND a.user_id != t.user_id",
            (topic_id,),
        )
        return {int(r[0]) for r in rows}

    def messages_for(self, member_id: int) -> list[str]:
        """What the member received, oldest first (the store's messages, as the v1 face keeps them)."""
        rows = self._conn().execute("SELECT body FROM messages WHERE member_id = ? ORDER BY id", (member_id,))
        return [str(r[0]) for r in rows]
