"""Full-page search: ``GET /search`` (operationId ``search``), as ``SearchController#show`` answers it,
for the most liked posts of a date range (``q=order:likes after:2026-03-01 before:2026-04-01``).

A query of filters alone is allowed; 50 posts a page, ``page`` 1–10, and any
other page (11 and beyond included) silently answers page 1;
``grouped_search_result.more_full_page_results`` is ``true`` while more remain.
The posts' topics come beside them in ``topics``. Anyone may search (the admin
bucket is spent as for any request with a key). See ``data.activity_search``.
"""

from __future__ import annotations

import html
import itertools
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import CallerDep, Context
from desktop.sandbox.discourse.badge_models import avatar_template, iso
from desktop.sandbox.discourse.data.activity_search import FoundPost, parse_query
from desktop.sandbox.discourse.data.activity_topics import ACTIVITY_CATEGORY_ID
from desktop.sandbox.discourse.data.schema import slug_for
from desktop.sandbox.discourse.params import ParamsDep, ruby_string, to_i
from desktop.sandbox.discourse.responses import json_answer

router = APIRouter()

PER_PAGE = 50
LAST_PAGE = 10
TOO_SHORT = "Your search term is too short."
_log_ids = itertools.count(1)


def _post(post: FoundPost) -> dict[str, Any]:
    """``SearchPostSerializer``."""
    return {
        "id": post.id,
        "name": post.name or None,
        "username": post.username,
        "avatar_template": avatar_template(post.username),
        "created_at": iso(post.created_at),
        "like_count": post.like_count,
        "blurb": html.escape(post.body),
        "post_number": post.post_number,
        "topic_title_headline": html.escape(post.topic_title),
        "topic_id": post.topic_id,
    }


def _topic(post: FoundPost) -> dict[str, Any]:
    """``SearchTopicListItemSerializer``, as far as the sandbox knows a topic."""
    return {
        "id": post.topic_id,
        "title": post.topic_title,
        "fancy_title": html.escape(post.topic_title),
        "slug": slug_for(post.topic_title) or "topic",
        "posts_count": post.topic_posts,
        "reply_count": max(0, post.topic_posts - 1),
        "highest_post_number": post.topic_posts,
        "created_at": iso(post.topic_created_at),
        "category_id": ACTIVITY_CATEGORY_ID,
        "archetype": "regular",
        "closed": False,
        "archived": False,
        "visible": True,
        "tags": [],
    }


@router.get("/search")
def search(params: ParamsDep, ctx: Context, who: CallerDep) -> Response:
    term = ruby_string(params.get("q")) if params.has("q") else ""
    query = parse_query(term)
    page = to_i(params.get("page")) if params.has("page") else 1
    if not 1 <= page <= LAST_PAGE:
        page = 1
    found: list[FoundPost] = []
    error = None
    if query.empty:
        error = TOO_SHORT
    else:
        found = ctx.data.search_posts(query, (page - 1) * PER_PAGE, PER_PAGE + 1)
    more = len(found) > PER_PAGE
    found = found[:PER_PAGE]
    topics = {p.topic_id: _topic(p) for p in found}
    return json_answer(
        {
            "posts": [_post(p) for p in found],
            "topics": list(topics.values()),
            "users": [],
            "categories": [],
            "tags": [],
            "groups": [],
            "grouped_search_result": {
                "more_posts": None,
                "more_users": None,
                "more_categories": None,
                "term": term,
                "search_log_id": next(_log_ids),
                "more_full_page_results": True if more else None,
                "can_create_topic": who.user is not None,
                "error": error,
                "post_ids": [p.id for p in found],
                "user_ids": [],
                "category_ids": [],
                "tag_ids": [],
                "group_ids": [],
            },
        }
    )
