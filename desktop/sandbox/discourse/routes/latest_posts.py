"""The latest posts: ``GET /posts`` (operationId ``listPosts``), as ``PostsController#latest`` answers
it, for everyone who posted between two times.

Regular posts of public topics, highest id (newest) first, 50 at most; with
``before`` (a post id) only posts with an id up to it, so a client walks back
with ``before=<last id - 1>`` until it passes its start time. The root is
``latest_posts``, each post with its raw text and its topic's title. The
activity's ids (``data.activity_topics``) are above the ones posts made
through the API get, so those come after the activity when walking back.
Anyone may read them (the admin bucket is spent as for any request with a key).
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import CallerDep, Context
from desktop.sandbox.discourse.badge_models import avatar_template, iso
from desktop.sandbox.discourse.data.activity_topics import LatestPost
from desktop.sandbox.discourse.data.schema import SYSTEM_USER_ID, slug_for
from desktop.sandbox.discourse.data.users import UserRow
from desktop.sandbox.discourse.params import ParamsDep, to_i
from desktop.sandbox.discourse.responses import json_answer
from desktop.sandbox.discourse.routes.posts import cooked

router = APIRouter()

PAGE = 50


def latest_post(post: LatestPost, author: UserRow, viewer: UserRow | None) -> dict[str, Any]:
    """A post of ``latest_posts`` (PostSerializer with ``add_raw`` and ``add_title``)."""
    staff = viewer is not None and viewer.staff
    mine = viewer is not None and viewer.id == author.id
    slug = slug_for(post.topic_title) or "topic"
    return {
        "id": post.id,
        "name": author.name or None,
        "username": author.username,
        "avatar_template": avatar_template(author.username),
        "created_at": iso(post.created_at),
        "cooked": cooked(post.raw),
        "post_number": post.post_number,
        "post_type": 1,
        "posts_count": post.topic_posts,
        "updated_at": iso(post.created_at),
        "reply_count": 0,
        "reply_to_post_number": None,
        "quote_count": 0,
        "incoming_link_count": 0,
        "reads": 1,
        "readers_count": 0,
        "score": 0,
        "yours": mine,
        "topic_id": post.topic_id,
        "topic_slug": slug,
        "topic_title": post.topic_title,
        "topic_html_title": html.escape(post.topic_title),
        "category_id": post.category_id,
        "display_username": author.name or None,
        "primary_group_name": None,
        "flair_name": None,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "flair_group_id": None,
        "badges_granted": [],
        "version": 1,
        "can_edit": staff or mine,
        "can_delete": staff and post.post_number > 1,
        "can_recover": False,
        "can_see_hidden_post": staff,
        "can_wiki": staff,
        "user_title": None,
        "bookmarked": False,
        "raw": post.raw,
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
        "excerpt": html.escape(post.raw[:300]),
        "truncated": len(post.raw) > 300,
        "reviewable_id": None,
        "reviewable_score_count": 0,
        "reviewable_score_pending_count": 0,
        "post_url": f"/t/{slug}/{post.topic_id}/{post.post_number}",
    }


@router.get("/posts")
def latest_posts(params: ParamsDep, ctx: Context, who: CallerDep) -> Response:
    before = to_i(params.get("before")) if params.has("before") else 0
    posts = ctx.data.latest_posts(before if before > 0 else None, PAGE)
    users = ctx.data.users_by_id({p.user_id for p in posts} | {SYSTEM_USER_ID})
    # A deleted member's posts stay, shown as the system user's.
    return json_answer(
        {
            "latest_posts": [
                latest_post(p, users.get(p.user_id, users[SYSTEM_USER_ID]), who.user) for p in posts
            ]
        }
    )
