"""The BadgeDesk Community API v1's activity endpoints, as pydantic models (see ``wire`` for the rules).

A server that has them says so with ``capabilities.activity``. All of them are
read-only and paged by an opaque cursor:

- ``GET /activity/leaderboard?measure=&from=&to=``: members ranked by a measure
  of what they did in ``[from, to)``; equal values share a rank (1, 1, 3);
  ``exclude_group`` (group ids, moderators only: it reveals who is in a group);
- ``GET /activity/top-posts?from=&to=``: the posts created in ``[from, to)``
  that got likes, most liked first (their all-time like count);
- ``GET /activity/topics?q=`` and ``GET /activity/topics/{id}``: topics, to find one;
- ``GET /activity/topics/{id}/posters``: everyone who posted in a topic, with
  how many posts each, by member id;
- ``GET /activity/posters?from=&to=``: everyone who posted in ``[from, to)``, likewise.

Deleted members are left out of every answer (nothing can be awarded to them).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from desktop.dialects.badgedesk_v1.wire import Count, Cursor, Id, Name, Text, Timestamp


class _Response(BaseModel):
    # As ``wire``'s responses: strict, unknown fields ignored.
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


#: What a leaderboard can rank by: likes received on any post (counted when
#: given), replies written, topics started, and days with a visit.
ActivityMeasure = Literal["likes_received", "replies", "topics", "days_visited"]
ACTIVITY_MEASURES: tuple[ActivityMeasure, ...] = ("likes_received", "replies", "topics", "days_visited")


class LeaderboardRow(_Response):
    #: 1 for the highest value; members with equal values share a rank.
    rank: Id
    member_id: Id
    username: Name
    display_name: Name
    value: Count


class LeaderboardPage(_Response):
    measure: ActivityMeasure
    starts_at: Timestamp
    ends_at: Timestamp
    items: list[LeaderboardRow]
    next_cursor: Cursor | None


class ActivityPostOut(_Response):
    id: Id
    topic_id: Id
    post_number: Id
    member_id: Id
    username: Name
    #: The topic's title.
    title: Name
    like_count: Count
    created_at: Timestamp
    #: The post's page on the server, to name as a badge's reason.
    link: Text


class ActivityPostPage(_Response):
    items: list[ActivityPostOut]
    next_cursor: Cursor | None


class ActivityTopicOut(_Response):
    id: Id
    title: Name
    member_id: Id
    created_at: Timestamp
    posts_count: Count
    posters_count: Count
    link: Text


class ActivityTopicPage(_Response):
    items: list[ActivityTopicOut]
    next_cursor: Cursor | None


class PosterOut(_Response):
    member_id: Id
    username: Name
    display_name: Name
    post_count: Count
    first_post_at: Timestamp
    last_post_at: Timestamp


class PosterPage(_Response):
    items: list[PosterOut]
    next_cursor: Cursor | None
