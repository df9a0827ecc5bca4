"""Categories and topics: ``GET /categories``, a category's topics ``GET /c/{slug}/{id}`` (and
``/c/{id}``, as pydiscourse's ``category_topics`` calls it), and a topic ``GET /t/{id}``
(and ``/t/{slug}/{id}``): its first 20 posts and every post's id, or with
``print=true`` 1,000 posts a page (``page`` from 1); ``details.participants`` lists
at most 24 posters, the most prolific first, and none for a topic of 10,000 posts
or more (``participant_count`` counts them all). The activity's topics
(``data.activity_topics``) are shown too.

The demo has two categories: Uncategorized (1) and "Badge requests" (5,
``badge-requests``), whose topics are the demo's badge requests. A
category's topics come 30 a page, ``page`` 0-based, the latest bumped first
(``order=created`` by creation, ``ascending=true`` the other way round);
``topic_list.more_topics_url`` is there while more remain. The slug in
``/c/{slug}/{id}`` is not checked (Discourse redirects a wrong one to the
right one; the sandbox answers at once). A private message is a 404 for
anyone but an admin or one of its participants, as Guardian#can_see_topic?.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import Context, LoggedIn
from desktop.sandbox.discourse.data.schema import (
    REQUESTS_CATEGORY_ID,
    REQUESTS_CATEGORY_NAME,
    REQUESTS_CATEGORY_SLUG,
    SYSTEM_USER_ID,
)
from desktop.sandbox.discourse.data.topic_views import ListedTopic
from desktop.sandbox.discourse.data.users import UserRow
from desktop.sandbox.discourse.errors import NotFound
from desktop.sandbox.discourse.params import ParamsDep, cast_integer, to_i
from desktop.sandbox.discourse.responses import json_answer
from desktop.sandbox.discourse.topic_models import basic_user, category_item, listed_topic, topic_view

router = APIRouter()

#: TopicQuery's default page size.
TOPICS_PER_PAGE = 30
#: TopicView: the posts a topic's answer carries (``post_stream.stream`` has every post's id);
#: ``print=true`` carries up to 1,000 (staff are exempt from the print limit).
CHUNK = 20
PRINT_CHUNK = 1_000
UNCATEGORIZED = (1, "Uncategorized", "uncategorized", "0088CC")
REQUESTS = (REQUESTS_CATEGORY_ID, REQUESTS_CATEGORY_NAME, REQUESTS_CATEGORY_SLUG, "F7941D")
CATEGORIES = {c[0]: c for c in (UNCATEGORIZED, REQUESTS)}


@router.get("/categories")
def categories(ctx: Context, user: LoggedIn) -> Response:
    listed = [
        category_item(
            category_id,
            name,
            slug,
            topics=ctx.data.category_topic_count(category_id),
            posts=ctx.data.category_post_count(category_id),
            position=position,
            colour=colour,
        )
        for position, (category_id, name, slug, colour) in enumerate(CATEGORIES.values())
    ]
    return json_answer(
        {"category_list": {"can_create_category": user.admin, "can_create_topic": True, "categories": listed}}
    )


@router.get("/c/{slug}/{raw_id}")
def category_topics(slug: str, raw_id: str, params: ParamsDep, ctx: Context, user: LoggedIn) -> Response:
    return _category_page(raw_id, params, ctx)


@router.get("/c/{raw_id}")
def category_topics_by_id(raw_id: str, params: ParamsDep, ctx: Context, user: LoggedIn) -> Response:
    return _category_page(raw_id, params, ctx)


def _category_page(raw_id: str, params: ParamsDep, ctx: Context) -> Response:
    category_id = cast_integer(raw_id)
    category = CATEGORIES.get(category_id) if category_id is not None else None
    if category is None:
        raise NotFound()
    page = max(0, to_i(params.get("page")))
    # TopicQuery: order by a SORTABLE_MAPPING column ("activity" = bumped, "created"), DESC unless
    # ascending is exactly "true"; the sandbox knows no likes, views or posters to order by.
    by_creation = params.get("order") == "created"
    ascending = params.get("ascending") == "true"
    topics = ctx.data.category_topics(
        category[0], page * TOPICS_PER_PAGE, TOPICS_PER_PAGE + 1, by_creation=by_creation, ascending=ascending
    )
    more = len(topics) > TOPICS_PER_PAGE
    topics = topics[:TOPICS_PER_PAGE]
    users = ctx.data.users_by_id({u for t in topics for u in (*t.poster_ids, t.last_poster_id)})
    topic_list: dict[str, object] = {
        "can_create_topic": True,
        "per_page": TOPICS_PER_PAGE,
        "topics": [listed_topic(t, users) for t in topics],
    }
    if more:
        ordered = f"&order={params.get('order')}" if params.present("order") else ""
        ordered += f"&ascending={params.get('ascending')}" if params.present("ascending") else ""
        topic_list["more_topics_url"] = f"/c/{category[2]}/{category[0]}/l/latest?page={page + 1}{ordered}"
    return json_answer(
        {
            "users": [basic_user(u) for u in users.values()],
            "primary_groups": [],
            "topic_list": topic_list,
        }
    )


@router.get("/t/{raw_id}")
def topic(raw_id: str, params: ParamsDep, ctx: Context, user: LoggedIn) -> Response:
    return _topic(raw_id, params, ctx, user)


@router.get("/t/{slug}/{raw_id}")
def topic_with_slug(slug: str, raw_id: str, params: ParamsDep, ctx: Context, user: LoggedIn) -> Response:
    return _topic(raw_id, params, ctx, user)


def _topic(raw_id: str, params: ParamsDep, ctx: Context, user: UserRow) -> Response:
    printing = params.get("print") == "true"
    # A print view's page N (1-based) carries posts (N-1)*1,000+1 to N*1,000.
    page = max(1, to_i(params.get("page"))) if printing and params.has("page") else 1
    topic_id = cast_integer(raw_id)
    found = ctx.data.listed_topic(topic_id) if topic_id is not None else None
    if found is None or not _may_see(found, user, ctx):
        raise NotFound()
    posts = ctx.data.topic_posts(found.id)
    wanted = {found.user_id, found.last_poster_id, *(p.user_id for p in posts)}
    users = ctx.data.users_by_id(wanted | {SYSTEM_USER_ID})
    # A deleted member's posts stay, shown as the system user's (Discourse shows them ownerless).
    users.update({i: users[SYSTEM_USER_ID] for i in wanted - users.keys()})
    chunk = PRINT_CHUNK if printing else CHUNK
    return json_answer(topic_view(found, posts, users, user, chunk=chunk, first=(page - 1) * chunk))


def _may_see(topic: ListedTopic, user: UserRow, ctx: Context) -> bool:
    if topic.archetype != "private_message" or user.admin or user.id == topic.user_id:
        return True
    return user.id in ctx.data.private_message_recipients(topic.id)
