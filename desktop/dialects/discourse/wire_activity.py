"""Discourse's answers for recognition programs' activity, as pydantic models (see ``wire`` for the
rules): the directory (``GET /directory_items.json``), full-page search (``GET /search.json``), a
topic's print view (``GET /t/{id}.json?print=true``) and the latest posts (``GET /posts.json``).
Only the fields the activity reader uses; see /work/shared/discourse/FACTS.md "Activity"."""

from __future__ import annotations

from pydantic import Field

from desktop.dialects.discourse.wire import Count, Id, Name, Rows, Timestamp, UserCard, UserId, _Answer


class DirectoryItem(_Answer):
    id: UserId
    likes_received: Count = 0
    post_count: Count = 0
    topic_count: Count = 0
    days_visited: Count = 0
    #: The Solved plugin's column: absent (None) where an admin has not enabled it.
    solutions: Count | None = None
    user: UserCard


class DirectoryMeta(_Answer):
    last_updated_at: Timestamp | None = None
    total_rows_directory_items: Count = 0


class DirectoryItems(_Answer):
    directory_items: Rows[DirectoryItem]
    meta: DirectoryMeta


class SearchPost(_Answer):
    id: Id
    username: Name
    like_count: Count = 0
    post_number: Id
    topic_id: Id
    created_at: Timestamp


class SearchTopic(_Answer):
    id: Id
    title: Name
    posts_count: Count = 0
    slug: Name = "topic"


class GroupedResult(_Answer):
    more_full_page_results: bool | None = None


class SearchAnswer(_Answer):
    posts: Rows[SearchPost] = Field(default_factory=list)
    topics: Rows[SearchTopic] = Field(default_factory=list)
    grouped_search_result: GroupedResult | None = None


class TopicPost(_Answer):
    id: Id
    user_id: UserId
    username: Name
    created_at: Timestamp


class PostStream(_Answer):
    posts: Rows[TopicPost]


class TopicView(_Answer):
    id: Id
    title: Name
    slug: Name = "topic"
    posts_count: Count
    post_stream: PostStream


class LatestPost(_Answer):
    id: Id
    user_id: UserId
    username: Name
    created_at: Timestamp


class LatestPosts(_Answer):
    latest_posts: Rows[LatestPost]
