"""Topics on the wire: ``CategoryListSerializer``, ``TopicListSerializer`` and ``TopicViewSerializer``
as far as the published description has them (every field it requires, nothing it forbids).

The choices where the sandbox has no data of its own: no views, likes,
bookmarks or tags (tagging is off, as on a new forum); a topic's excerpt is
empty (Discourse sends excerpts only for pinned topics); cooked posts are
the paragraphs of their raw text, escaped.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from desktop.sandbox.discourse.badge_models import avatar_template, iso
from desktop.sandbox.discourse.data.schema import POST_TYPE_SMALL_ACTION
from desktop.sandbox.discourse.data.topic_views import ListedTopic, TopicPost
from desktop.sandbox.discourse.data.users import UserRow
from desktop.sandbox.discourse.routes.posts import cooked


def category_item(
    category_id: int, name: str, slug: str, *, topics: int, posts: int, position: int, colour: str
) -> dict[str, Any]:
    """A category of ``GET /categories.json`` (BasicCategorySerializer and CategoryDetailedSerializer)."""
    return {
        "id": category_id,
        "name": name,
        "color": colour,
        "text_color": "FFFFFF",
        "style_type": "square",
        "emoji": None,
        "icon": None,
        "slug": slug,
        "topic_count": topics,
        "post_count": posts,
        "position": position,
        "description": None,
        "description_text": None,
        "description_excerpt": None,
        "topic_url": None,
        "read_restricted": False,
        "permission": 1,
        "notification_level": 1,
        "can_edit": True,
        "topic_template": None,
        "topic_title_placeholder": None,
        "has_children": False,
        "subcategory_count": None,
        "sort_order": None,
        "sort_ascending": None,
        "show_subcategory_list": False,
        "num_featured_topics": 3,
        "default_view": None,
        "subcategory_list_style": "rows_with_featured_topics",
        "default_top_period": "all",
        "default_list_filter": "all",
        "minimum_required_tags": 0,
        "navigate_to_first_post_after_read": False,
        "topics_day": 0,
        "topics_week": 0,
        "topics_month": 0,
        "topics_year": 0,
        "topics_all_time": topics,
        "is_uncategorized": category_id == 1,
        "subcategory_ids": [],
        "subcategory_list": None,
        "uploaded_logo": None,
        "uploaded_logo_dark": None,
        "uploaded_background": None,
        "uploaded_background_dark": None,
    }


def basic_user(user: UserRow) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "avatar_template": avatar_template(user.username),
    }


def listed_topic(topic: ListedTopic, users: dict[int, UserRow]) -> dict[str, Any]:
    """A row of ``topic_list.topics`` (TopicListItemSerializer)."""
    last = users.get(topic.last_poster_id)
    posters = []
    for index, user_id in enumerate(topic.poster_ids[:5]):
        latest = user_id == topic.last_poster_id
        description = "Original Poster" if index == 0 else "Frequent Poster"
        if latest:
            description += ", Most Recent Poster"
        posters.append(
            {
                "extras": "latest" if latest else "",
                "description": description,
                "user_id": user_id,
                "primary_group_id": None,
            }
        )
    return {
        "id": topic.id,
        "title": topic.title,
        "fancy_title": topic.title,
        "slug": topic.slug,
        "posts_count": topic.posts_count,
        "reply_count": max(0, topic.posts_count - 1),
        "highest_post_number": topic.highest_post_number,
        "image_url": None,
        "created_at": iso(topic.created_at),
        "last_posted_at": iso(topic.bumped_at),
        "bumped": topic.bumped_at > topic.created_at,
        "bumped_at": iso(topic.bumped_at),
        "archetype": topic.archetype,
        "unseen": False,
        "pinned": False,
        "unpinned": None,
        "excerpt": "",
        "visible": True,
        "closed": topic.closed,
        "archived": False,
        "bookmarked": None,
        "liked": None,
        "views": 0,
        "like_count": 0,
        "has_summary": False,
        "last_poster_username": last.username if last is not None else "",
        "category_id": topic.category_id,
        "pinned_globally": False,
        "featured_link": None,
        "posters": posters,
    }


def topic_post(post: TopicPost, topic: ListedTopic, author: UserRow, viewer: UserRow) -> dict[str, Any]:
    """A post of ``post_stream.posts`` (PostSerializer); a small action adds its ``action_code``."""
    small_action = post.post_type == POST_TYPE_SMALL_ACTION
    out: dict[str, Any] = {
        "id": post.id,
        "name": author.name,
        "username": author.username,
        "avatar_template": avatar_template(author.username),
        "created_at": iso(post.created_at),
        "cooked": "" if small_action else cooked(post.raw),
        "post_number": post.post_number,
        "post_type": post.post_type,
        "updated_at": iso(post.created_at),
        "reply_count": 0,
        "reply_to_post_number": None,
        "quote_count": 0,
        "incoming_link_count": 0,
        "reads": 1,
        "readers_count": 0,
        "score": 0,
        "yours": author.id == viewer.id,
        "topic_id": topic.id,
        "topic_slug": topic.slug,
        "display_username": author.name,
        "primary_group_name": None,
        "flair_name": None,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "version": 1,
        "can_edit": viewer.staff or author.id == viewer.id,
        "can_delete": viewer.staff and post.post_number > 1,
        "can_recover": False,
        "can_see_hidden_post": viewer.staff,
        "can_wiki": viewer.staff,
        "link_counts": [],
        "read": True,
        "user_title": None,
        "bookmarked": False,
        "actions_summary": [],
        "moderator": author.moderator,
        "admin": author.admin,
        "staff": author.staff,
        "user_id": author.id,
        "hidden": False,
        "trust_level": author.activity.trust_level,
        "deleted_at": None,
        "user_deleted": False,
        "edit_reason": None,
        "can_view_edit_history": True,
        "wiki": False,
        "reviewable_id": 0,
        "reviewable_score_count": 0,
        "reviewable_score_pending_count": 0,
    }
    if small_action and post.action_code:
        out["action_code"] = post.action_code
    return out


#: ``TopicView``: the participants a topic's details list, the most prolific first; none at all for
#: a topic of this many posts or more.
MAX_PARTICIPANTS = 24
NO_PARTICIPANTS_FROM = 10_000


def topic_view(
    topic: ListedTopic,
    posts: list[TopicPost],
    users: dict[int, UserRow],
    viewer: UserRow,
    *,
    chunk: int,
    first: int = 0,
) -> dict[str, Any]:
    """``GET /t/{id}.json`` (TopicViewSerializer): ``chunk`` posts from the ``first``, every post's id."""
    author = users[topic.user_id]
    last = users.get(topic.last_poster_id, author)
    window = posts[first : first + chunk]
    shown = [topic_post(p, topic, users[p.user_id], viewer) for p in window if p.user_id in users]
    counts = Counter(p.user_id for p in posts if p.post_type != POST_TYPE_SMALL_ACTION)
    # By post count, then in the order they first posted (sorted() is stable).
    prolific = sorted(topic.poster_ids, key=lambda user_id: -counts[user_id])
    participants = []
    for user_id in prolific[:MAX_PARTICIPANTS]:
        user = users.get(user_id)
        if user is None:
            continue
        participants.append(
            {
                **basic_user(user),
                "post_count": counts[user_id],
                "primary_group_name": None,
                "flair_name": None,
                "flair_url": None,
                "flair_color": None,
                "flair_bg_color": None,
                "flair_group_id": None,
                "admin": user.admin,
                "moderator": user.moderator,
                "trust_level": user.activity.trust_level,
            }
        )
    words = sum(len(p.raw.split()) for p in posts)
    return {
        "post_stream": {"posts": shown, "stream": [p.id for p in posts]},
        "timeline_lookup": [[1, 0]],
        "suggested_topics": [],
        "tags": [],
        "tags_descriptions": {},
        "id": topic.id,
        "title": topic.title,
        "fancy_title": topic.title,
        "posts_count": topic.posts_count,
        "created_at": iso(topic.created_at),
        "views": 0,
        "reply_count": max(0, topic.posts_count - 1),
        "like_count": 0,
        "last_posted_at": iso(topic.bumped_at),
        "visible": True,
        "closed": topic.closed,
        "archived": False,
        "has_summary": False,
        "archetype": topic.archetype,
        "slug": topic.slug,
        "category_id": topic.category_id,
        "word_count": words,
        "deleted_at": None,
        "user_id": topic.user_id,
        "featured_link": None,
        "pinned_globally": False,
        "pinned_at": None,
        "pinned_until": None,
        "image_url": None,
        "slow_mode_seconds": 0,
        "draft": None,
        "draft_key": f"topic_{topic.id}",
        "draft_sequence": 0,
        "unpinned": None,
        "pinned": False,
        "current_post_number": 1,
        "highest_post_number": topic.highest_post_number,
        "deleted_by": None,
        "has_deleted": False,
        "actions_summary": [],
        "chunk_size": chunk,
        "bookmarked": False,
        "bookmarks": [],
        "topic_timer": None,
        "message_bus_last_id": 0,
        "participant_count": len(topic.poster_ids),
        "show_read_indicator": False,
        "thumbnails": None,
        "slow_mode_enabled_until": None,
        "details": {
            "can_edit": viewer.staff,
            "notification_level": 1,
            "can_move_posts": viewer.staff,
            "can_delete": viewer.staff,
            "can_remove_allowed_users": viewer.staff,
            "can_create_post": viewer.staff or not topic.closed,
            "can_reply_as_new_topic": True,
            "can_convert_topic": viewer.staff,
            "can_review_topic": viewer.staff,
            "can_close_topic": viewer.staff,
            "can_archive_topic": viewer.staff,
            "can_split_merge_topic": viewer.staff,
            "can_edit_staff_notes": viewer.staff,
            "can_toggle_topic_visibility": viewer.staff,
            "can_pin_unpin_topic": viewer.staff,
            "can_moderate_category": viewer.staff,
            "can_remove_self_id": viewer.id,
            **({"participants": participants} if len(posts) < NO_PARTICIPANTS_FROM else {}),
            "created_by": basic_user(author),
            "last_poster": basic_user(last),
        },
    }
