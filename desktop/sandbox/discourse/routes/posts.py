"""Posts: ``POST /posts`` (a private message, a reply, or a new topic) and ``PUT /t/{id}/status``.

``PostsController#create``: a login is needed; ``archetype=private_message``
with ``target_recipients`` (comma-separated; the newest code ignores
``target_usernames``) starts a message thread the recipients share; a
``topic_id`` replies; otherwise a ``title`` starts a topic. A post the
validators refuse is a 422 ``{"action": "create_post", "errors": [...]}``
(minimum lengths are Discourse's defaults; the wording of the recipient error
is the sandbox's own). ``TopicsController#status``: staff only; ``status`` and
``enabled`` are required.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import Context, LoggedIn
from desktop.sandbox.discourse.badge_models import avatar_template, iso
from desktop.sandbox.discourse.data.posts import NewPost
from desktop.sandbox.discourse.data.schema import REQUESTS_CATEGORY_ID
from desktop.sandbox.discourse.data.users import UserRow
from desktop.sandbox.discourse.errors import (
    DiscourseError,
    InvalidAccess,
    InvalidParameters,
    NotFound,
    ParameterMissing,
)
from desktop.sandbox.discourse.params import ParamsDep, cast_integer, ruby_string
from desktop.sandbox.discourse.responses import json_answer

router = APIRouter()

MIN_POST_LENGTH = 20
MIN_PERSONAL_MESSAGE_POST_LENGTH = 10
MIN_TOPIC_TITLE_LENGTH = 15
MIN_PERSONAL_MESSAGE_TITLE_LENGTH = 2
STATUSES = ("closed", "pinned", "pinned_globally", "archived", "visible")


class PostRefused(DiscourseError):
    """``{"action": "create_post", "errors": [...]}``: what the post's validators said."""

    def __init__(self, *errors: str) -> None:
        super().__init__(422, list(errors))

    def body(self) -> dict[str, Any]:
        return {"action": "create_post", "errors": self.errors}


def cooked(raw: str) -> str:
    """Markdown's paragraphs, escaped (the sandbox renders no other markup)."""
    paragraphs = [p.strip() for p in raw.split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def post_answer(post: NewPost, author: UserRow) -> dict[str, Any]:
    """``PostSerializer`` for the author who just wrote it."""
    return {
        "id": post.id,
        "name": author.name,
        "username": author.username,
        "avatar_template": avatar_template(author.username),
        "created_at": iso(post.created_at),
        "raw": post.raw,
        "cooked": cooked(post.raw),
        "post_number": post.post_number,
        "post_type": 1,
        "posts_count": post.posts_count,
        "updated_at": iso(post.created_at),
        "reply_count": 0,
        "reply_to_post_number": None,
        "quote_count": 0,
        "incoming_link_count": 0,
        "reads": 1,
        "readers_count": 0,
        "score": 0,
        "yours": True,
        "topic_id": post.topic_id,
        "topic_slug": post.topic_slug,
        "display_username": author.name,
        "primary_group_name": None,
        "flair_name": None,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "flair_group_id": None,
        "badges_granted": [],
        "version": 1,
        "can_edit": True,
        "can_delete": post.post_number > 1,
        "can_recover": False,
        "can_see_hidden_post": author.staff,
        "can_wiki": author.staff,
        "user_title": None,
        "bookmarked": False,
        "actions_summary": [],
        "moderator": author.moderator,
        "admin": author.admin,
        "staff": author.staff,
        "user_id": author.id,
        "draft_sequence": 0,
        "hidden": False,
        "trust_level": author.activity.trust_level,
        "deleted_at": None,
        "user_deleted": False,
        "edit_reason": None,
        "can_view_edit_history": True,
        "wiki": False,
        "reviewable_id": None,
        "reviewable_score_count": 0,
        "reviewable_score_pending_count": 0,
        "post_url": f"/t/{post.topic_slug}/{post.topic_id}/{post.post_number}",
        "post_localizations": [],
        "mentioned_users": [],
    }


@router.post("/posts")
def create_post(params: ParamsDep, ctx: Context, author: LoggedIn) -> Response:
    raw = ruby_string(params.get("raw")) if params.get("raw") is not None else ""
    title = ruby_string(params.get("title")) if params.get("title") is not None else ""
    if params.get("archetype") == "private_message":
        names = [
            n.strip() for n in ruby_string(params.get("target_recipients") or "").split(",") if n.strip()
        ]
        errors = _length_errors(
            raw, title, MIN_PERSONAL_MESSAGE_POST_LENGTH, MIN_PERSONAL_MESSAGE_TITLE_LENGTH
        )
        recipients: set[int] = set()
        for name in names:
            found = ctx.data.user_by_username(name)
            if found is None:
                errors.append(f"The recipient {name} could not be found.")
            else:
                recipients.add(found.id)
        if not names:
            errors.append("A private message needs recipients: target_recipients lists their usernames.")
        if errors:
            raise PostRefused(*errors)
        post = ctx.data.create_topic(
            title=title, raw=raw, user_id=author.id, category_id=0, recipients=recipients
        )
        return json_answer(post_answer(post, author))
    if params.get("topic_id") is not None:
        topic_id = cast_integer(params.get("topic_id"))
        topic = ctx.data.topic(topic_id) if topic_id is not None else None
        if topic is None:
            raise NotFound()
        errors = _length_errors(raw, None, MIN_POST_LENGTH, 0)
        if errors:
            raise PostRefused(*errors)
        return json_answer(post_answer(ctx.data.reply(topic, raw=raw, user_id=author.id), author))
    errors = _length_errors(raw, title, MIN_POST_LENGTH, MIN_TOPIC_TITLE_LENGTH)
    if errors:
        raise PostRefused(*errors)
    category = cast_integer(params.get("category")) or REQUESTS_CATEGORY_ID
    post = ctx.data.create_topic(title=title, raw=raw, user_id=author.id, category_id=category)
    return json_answer(post_answer(post, author))


def _length_errors(raw: str, title: str | None, min_raw: int, min_title: int) -> list[str]:
    errors: list[str] = []
    if title is not None and len(title.strip()) < min_title:
        errors.append(f"Title is too short (minimum is {min_title} characters)")
    if len(raw.strip()) < min_raw:
        errors.append(f"Body is too short (minimum is {min_raw} characters)")
    return errors


@router.put("/t/{raw_id}/status")
def topic_status(raw_id: str, params: ParamsDep, ctx: Context, user: LoggedIn) -> Response:
    for key in ("status", "enabled"):
        if not params.present(key):
            raise ParameterMissing(key)
    status = ruby_string(params.get("status"))
    if status not in STATUSES:
        raise InvalidParameters("status")
    topic_id = cast_integer(raw_id)
    topic = ctx.data.topic(topic_id) if topic_id is not None else None
    if topic is None:
        raise NotFound()
    if not user.staff:
        raise InvalidAccess()
    ctx.data.set_topic_status(topic.id, status, ruby_string(params.get("enabled")) == "true", user.id)
    return json_answer({"success": "OK", "topic_status_update": None})
