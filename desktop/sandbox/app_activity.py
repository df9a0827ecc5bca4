"""The sandbox's activity endpoints of API v1 (``capabilities.activity``), for recognition programs.

Any token may read what a community's public pages show anyway (rankings, the
most liked posts, who posted in a topic or lately); leaving groups out of a
ranking is for moderators, since comparing two rankings tells who is in a
group. Windows are half-open, ``[from, to)``, with a time zone; pages are
keyset pages (``cursor``), the limits capped as the other lists'.
See :mod:`desktop.dialects.badgedesk_v1.wire_activity` for the answers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from desktop.dialects.badgedesk_v1.wire_activity import (
    ActivityMeasure,
    ActivityPostPage,
    ActivityTopicOut,
    ActivityTopicPage,
    LeaderboardPage,
    PosterPage,
)
from desktop.sandbox.app import _BAD_CURSOR, _ERRORS, _NOT_FOUND, Caller, Context
from desktop.sandbox.store import StoreError

router = APIRouter(prefix="/api/v1/activity", responses={**_ERRORS, **_BAD_CURSOR})

#: At most this many groups left out of one ranking.
MAX_EXCLUDED_GROUPS = 50

From = Annotated[
    datetime, Query(alias="from", description="Start of the window (inclusive), with a time zone")
]
To = Annotated[datetime, Query(alias="to", description="End of the window (exclusive), with a time zone")]
Limit = Annotated[int, Query(ge=1, le=500)]


def _base(request: Request) -> str:
    return str(request.base_url)


@router.get("/leaderboard", responses=_NOT_FOUND)
def leaderboard(
    context: Context,
    caller: Caller,
    measure: ActivityMeasure,
    starts: From,
    ends: To,
    exclude_group: Annotated[list[int], Query(max_length=MAX_EXCLUDED_GROUPS)] = [],  # noqa: B006
    cursor: str | None = None,
    limit: Limit = 100,
) -> LeaderboardPage:
    """Members ranked by ``measure`` in ``[from, to)``, highest first; equal values share a rank.

    ``exclude_group`` (repeatable, group ids) leaves those groups' members out: moderators only.
    """
    if exclude_group and caller.role != "moderator":
        raise StoreError(403, "forbidden", "Only moderators may leave groups out of a ranking.")
    return context.store.leaderboard(
        measure, starts, ends, exclude_groups=sorted(set(exclude_group)), cursor=cursor, limit=limit
    )


@router.get("/top-posts")
def top_posts(
    request: Request,
    context: Context,
    caller: Caller,
    starts: From,
    ends: To,
    cursor: str | None = None,
    limit: Limit = 50,
) -> ActivityPostPage:
    """The posts created in ``[from, to)`` that have likes, most liked first (all-time like counts)."""
    return context.store.top_posts(starts, ends, base_url=_base(request), cursor=cursor, limit=limit)


@router.get("/topics")
def topics(
    request: Request,
    context: Context,
    caller: Caller,
    q: Annotated[str | None, Query(max_length=200, description="Part of the title")] = None,
    cursor: str | None = None,
    limit: Limit = 100,
) -> ActivityTopicPage:
    """Topics by id, those whose title contains ``q`` when given."""
    query = q.strip() if q else None
    return context.store.activity_topics(q=query or None, base_url=_base(request), cursor=cursor, limit=limit)


@router.get("/topics/{topic_id}", responses=_NOT_FOUND)
def topic(request: Request, topic_id: int, context: Context, caller: Caller) -> ActivityTopicOut:
    return context.store.activity_topic(topic_id, base_url=_base(request))


@router.get("/topics/{topic_id}/posters", responses=_NOT_FOUND)
def topic_posters(
    topic_id: int,
    context: Context,
    caller: Caller,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> PosterPage:
    """Everyone who posted in the topic, by member id, with their number of posts in it."""
    return context.store.topic_posters(topic_id, cursor=cursor, limit=limit)


@router.get("/posters")
def posters(
    context: Context,
    caller: Caller,
    starts: From,
    ends: To,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> PosterPage:
    """Everyone who posted in ``[from, to)``, by member id, with their number of posts then."""
    return context.store.posters_between(starts, ends, cursor=cursor, limit=limit)
