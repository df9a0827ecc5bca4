"""Topics and posts, as far as grants need them: which reasons link this forum, and the post they link.

``UserBadgesController#create`` accepts a ``reason`` only when Discourse's
router recognises it as a topic or post page of this forum (a relative path,
or a URL whose host is the forum's), and records the linked post, when the
reason is a topic URL and that post exists, on the grant. That post is what
makes a repeated grant of a ``multiple_grant`` badge a no-op.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from desktop.sandbox.discourse.data.base import DiscourseBase

# What Ruby's URI() refuses (so Discourse.route_for answers nil).
_NOT_A_URI = re.compile(r"[\s<>\"{}|\\^`]")
_TOPIC_ROUTES = (
    re.compile(r"/t/(?P<topic_id>\d+)(?:/(?P<post_number>\d+))?/?"),
    re.compile(r"/t/[^/]+/(?P<topic_id>\d+)(?:/(?P<post_number>\d+))?/?"),
    re.compile(r"/t/[^/]+/(?P<topic_id>\d+)/last/?"),
)
_POST_ROUTES = (
    re.compile(r"/p/\d+(?:/\d+)?/?"),
    re.compile(r"/posts/\d+/?"),
    re.compile(r"/posts/by_number/\d+/\d+/?"),
)


@dataclass(frozen=True, slots=True)
class ReasonRoute:
    """What a reason link routes to. Immutable; any thread."""

    controller: str
    topic_id: int | None = None
    post_number: int = 1


def route_for(reason: str, hostname: str) -> ReasonRoute | None:
    """``Discourse.route_for`` narrowed to the routes a badge reason may name; ``None`` = not this forum's."""
    if _NOT_A_URI.search(reason):
        return None
    try:
        parts = urlsplit(reason)
    except ValueError:
        return None
    if parts.hostname is not None and parts.hostname != hostname.lower():
        return None
    path = parts.path if parts.path.startswith("/") else "/" + parts.path
    for pattern in _TOPIC_ROUTES:
        match = pattern.fullmatch(path)
        if match:
            number = match.groupdict().get("post_number")
            return ReasonRoute("topics", int(match.group("topic_id")), int(number) if number else 1)
    if any(pattern.fullmatch(path) for pattern in _POST_ROUTES):
        return ReasonRoute("posts")
    return None


@dataclass(frozen=True, slots=True)
class PostRow:
    id: int
    topic_id: int
    post_number: int
    topic_title: str


class TopicData(DiscourseBase):
    """The ``dc_topics`` and ``dc_posts`` tables. Thread safety: any thread (see ``StoreDatabase``)."""

    def post_id_for(self, topic_id: int, post_number: int) -> int | None:
        row = (
            self._conn()
            .execute(
                "SELECT id FROM dc_posts WHERE topic_id = ? AND post_number = ?", (topic_id, post_number)
            )
            .fetchone()
        )
        return None if row is None else int(row[0])

    def posts(self, post_ids: set[int]) -> dict[int, PostRow]:
        if not post_ids:
            return {}
        marks = ",".join("?" * len(post_ids))
        rows = (
            self._conn()
            .execute(
                "SELECT p.id, p.topic_id, p.post_number, t.title FROM dc_posts p"
                f" JOIN dc_topics t ON t.id = p.topic_id WHERE p.id IN ({marks})",
                sorted(post_ids),
            )
            .fetchall()
        )
        return {r[0]: PostRow(r[0], r[1], r[2], r[3]) for r in rows}
