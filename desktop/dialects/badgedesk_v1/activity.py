"""The v1 server's activity (:class:`~desktop.dialects.activity.ActivityReader`), where it says
``capabilities.activity``: ``GET /activity/leaderboard``, ``/top-posts``, ``/topics``,
``/topics/{id}/posters`` and ``/posters`` (:mod:`desktop.dialects.badgedesk_v1.wire_activity`).

The v1 API ranks by likes received, replies, topics and days visited: it keeps no accepted
answers, so a leaderboard of solutions is refused (:class:`~desktop.dialects.activity.MeasureNotCounted`)
before any request.

What it costs: one request a page (500 ranked members, 50 posts, 5000 posters);
a leaderboard is read only down to the rank asked for.

Thread safety: one thread at a time (it belongs to the connector).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from desktop.dialects.activity import (
    BASIC_MEASURES,
    ActivitySource,
    LikedPost,
    Measure,
    MeasureNotCounted,
    Poster,
    RankedMember,
    Ranking,
    TopicRef,
    top_ranks,
)
from desktop.dialects.badgedesk_v1 import wire
from desktop.dialects.badgedesk_v1 import wire_activity as wa
from desktop.dialects.badgedesk_v1.groups import Call
from desktop.i18n import _
from desktop.net.errors import ApiError, MalformedResponse

M = TypeVar("M", bound=BaseModel)

#: The server's largest pages.
RANKS_PER_PAGE = 500
POSTS_PER_PAGE = 500
POSTERS_PER_PAGE = 5000

ALL_SOURCES = frozenset(ActivitySource)


def _window(starts: datetime, ends: datetime) -> dict[str, str | int | None]:
    return {"from": starts.isoformat(), "to": ends.isoformat()}


def _next(path: str, cursor: str | None, following: str | None) -> str | None:
    if following is not None and following == cursor:
        raise MalformedResponse(
            _("Malformed response from GET {path}: the next page's cursor is this page's").format(path=path)
        )
    return following


def leaderboard(
    call: Call,
    measure: Measure,
    starts: datetime,
    ends: datetime,
    *,
    top: int,
    exclude_groups: Sequence[int],
    exclude_usernames: Sequence[str],
) -> Ranking:
    if measure not in BASIC_MEASURES:
        raise MeasureNotCounted(measure)
    # ``exclude_group`` repeats, which a mapping of parameters cannot say: the whole query goes
    # in the path (parameters given apart would replace it).
    path = "/activity/leaderboard"
    fixed = [("measure", measure.value), ("from", starts.isoformat()), ("to", ends.isoformat())]
    fixed += [("exclude_group", str(int(g))) for g in sorted(set(exclude_groups))]
    fixed.append(("limit", str(RANKS_PER_PAGE)))
    excluded = {name.casefold() for name in exclude_usernames}
    rows: list[RankedMember] = []
    cursor: str | None = None
    while True:
        query = urllib.parse.urlencode(fixed + ([("cursor", cursor)] if cursor is not None else []))
        page = call(wa.LeaderboardPage, "GET", f"{path}?{query}")
        rows += [
            RankedMember(r.rank, r.member_id, r.username, r.value)
            for r in page.items
            if r.username.casefold() not in excluded
        ]
        kept = top_ranks(rows, top)
        cursor = _next(path, cursor, page.next_cursor)
        # Done when the ranking ends, or once a row read ranks below the ones kept.
        if cursor is None or len(kept) < len(rows):
            return Ranking(measure, page.starts_at, page.ends_at, tuple(kept))


def liked_posts(call: Call, starts: datetime, ends: datetime, *, top: int) -> list[LikedPost]:
    path = "/activity/top-posts"
    posts: list[LikedPost] = []
    cursor: str | None = None
    while len(posts) < top:
        params = {**_window(starts, ends), "cursor": cursor, "limit": min(POSTS_PER_PAGE, top)}
        page = call(wa.ActivityPostPage, "GET", path, params=params)
        posts += [
            LikedPost(
                p.id,
                p.topic_id,
                p.post_number,
                p.member_id,
                p.username,
                p.title,
                p.like_count,
                p.created_at,
                p.link,
            )
            for p in page.items
        ]
        cursor = _next(path, cursor, page.next_cursor)
        if cursor is None:
            break
    return posts[:top]


def find_topics(call: Call, query: str) -> list[TopicRef]:
    text = query.strip().removeprefix("#")
    if text.isdigit():
        try:
            topic = call(wa.ActivityTopicOut, "GET", f"/activity/topics/{int(text)}")
        except ApiError as error:
            if error.status != 404:
                raise
        else:
            return [TopicRef(topic.id, topic.title, topic.posts_count, topic.link)]
    page = call(wa.ActivityTopicPage, "GET", "/activity/topics", params={"q": text or None, "limit": 100})
    return [TopicRef(t.id, t.title, t.posts_count, t.link) for t in page.items]


def _posters(call: Call, path: str, params: dict[str, str | int | None]) -> list[Poster]:
    found: list[Poster] = []
    cursor: str | None = None
    while True:
        page = call(
            wa.PosterPage, "GET", path, params={**params, "cursor": cursor, "limit": POSTERS_PER_PAGE}
        )
        found += [Poster(p.member_id, p.username, p.post_count) for p in page.items]
        cursor = _next(path, cursor, page.next_cursor)
        if cursor is None:
            return found


def topic_posters(call: Call, topic_id: int) -> list[Poster]:
    return _posters(call, f"/activity/topics/{int(topic_id)}/posters", {})


def window_posters(call: Call, starts: datetime, ends: datetime) -> list[Poster]:
    return _posters(call, "/activity/posters", _window(starts, ends))


class ActivityMethods:
    """The connector's :class:`~desktop.dialects.activity.ActivityReader` methods (a base of the
    connector, which keeps them out of its own module)."""

    def _call(
        self,
        model: type[M],
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int | None] | None = None,
        body: Any = None,
    ) -> M:
        raise NotImplementedError

    def _server_capabilities(self) -> wire.Capabilities:
        raise NotImplementedError

    def activity_sources(self) -> frozenset[ActivitySource]:
        # A server that predates the activity endpoints does not say ``activity``.
        return ALL_SOURCES if self._server_capabilities().activity else frozenset()

    def measures(self) -> frozenset[Measure]:
        return BASIC_MEASURES

    def leaderboard(
        self,
        measure: Measure,
        starts: datetime,
        ends: datetime,
        *,
        top: int,
        exclude_groups: Sequence[int] = (),
        exclude_usernames: Sequence[str] = (),
    ) -> Ranking:
        return leaderboard(
            self._call,
            measure,
            starts,
            ends,
            top=top,
            exclude_groups=exclude_groups,
            exclude_usernames=exclude_usernames,
        )

    def liked_posts(self, starts: datetime, ends: datetime, *, top: int) -> list[LikedPost]:
        return liked_posts(self._call, starts, ends, top=top)

    def find_topics(self, query: str) -> list[TopicRef]:
        return find_topics(self._call, query)

    def topic_posters(self, topic_id: int) -> list[Poster]:
        return topic_posters(self._call, topic_id)

    def window_posters(self, starts: datetime, ends: datetime) -> list[Poster]:
        return window_posters(self._call, starts, ends)
