"""Badges for admins: ``/admin/badges`` (list, create), ``/admin/badges/{id}`` (update, delete), types.

``Admin::BadgesController``: admins only (moderators and everyone else get the
router's 404). Create and update take any badge column as a parameter and set
it only when Ruby finds the value truthy (``if params[key]``): a JSON ``false``
is skipped, a form's ``"false"`` is applied. On a system badge the protected
fields are left alone without a word.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import Admin, Context
from desktop.sandbox.discourse.badge_models import (
    AdminBadgeAnswer,
    AdminBadgesOut,
    admin_badge_out,
    admin_badges_meta,
    badge_type_out,
    grouping_out,
)
from desktop.sandbox.discourse.data.badges import BadgeChanges
from desktop.sandbox.discourse.errors import NotFound
from desktop.sandbox.discourse.params import (
    Params,
    ParamsDep,
    cast_boolean,
    cast_integer,
    ruby_string,
    truthy,
)
from desktop.sandbox.discourse.responses import empty_answer, json_answer

router = APIRouter()

_TEXT = ("name", "description", "long_description", "icon")
_INTEGERS = ("badge_type_id", "badge_grouping_id", "image_upload_id")
_BOOLEANS = (
    "enabled",
    "multiple_grant",
    "allow_title",
    "listable",
    "target_posts",
    "show_posts",
    "auto_revoke",
    "show_in_post_header",
)


def badge_changes(params: Params) -> BadgeChanges:
    """The badge fields ``update_badge_from_params`` would set, cast as ActiveRecord casts them."""
    given: dict[str, Any] = {}
    blanked: set[str] = set()
    for key in (*_TEXT, *_INTEGERS, *_BOOLEANS):
        value = params.get(key)
        if not truthy(value):
            continue
        if key in _TEXT:
            given[key] = ruby_string(value)
            continue
        cast = cast_integer(value) if key in _INTEGERS else cast_boolean(value)
        if cast is None:
            blanked.add(key)
        else:
            given[key] = cast
    return BadgeChanges(**given, blanked=frozenset(blanked))


def badge_id(raw: str) -> int:
    """``Badge.find(params[:id])``: anything but a whole number finds nothing."""
    value = cast_integer(raw)
    if value is None or str(value) != raw.strip():
        raise NotFound()
    return value


@router.get("/admin/badges")
def list_badges(ctx: Context, user: Admin) -> Response:
    badges = ctx.data.all_badges()
    groupings = ctx.data.badge_groupings()
    types = ctx.data.badge_types()
    return json_answer(
        AdminBadgesOut(
            badges=[admin_badge_out(b) for b in badges],
            badge_types=[badge_type_out(t) for t in types],
            badge_groupings=[grouping_out(g) for g in groupings],
            admin_badges=admin_badges_meta(badges, groupings, [t[0] for t in types]),
        )
    )


@router.get("/admin/badges/types")
def badge_types(ctx: Context, user: Admin) -> Response:
    return json_answer({"badge_types": [badge_type_out(t) for t in ctx.data.badge_types()]})


@router.post("/admin/badges")
def create_badge(params: ParamsDep, ctx: Context, user: Admin) -> Response:
    created = ctx.data.create_badge(badge_changes(params))
    ctx.data.log_staff_action("create_badge", user.id, subject=created.name)
    types = [badge_type_out(t) for t in ctx.data.badge_types()]
    return json_answer(AdminBadgeAnswer(badge_types=types, badge=admin_badge_out(created)))


@router.put("/admin/badges/{raw_id}")
def update_badge(raw_id: str, params: ParamsDep, ctx: Context, user: Admin) -> Response:
    updated = ctx.data.update_badge(badge_id(raw_id), badge_changes(params))
    ctx.data.log_staff_action("change_badge", user.id, subject=updated.name)
    types = [badge_type_out(t) for t in ctx.data.badge_types()]
    return json_answer(AdminBadgeAnswer(badge_types=types, badge=admin_badge_out(updated)))


@router.delete("/admin/badges/{raw_id}")
def delete_badge(raw_id: str, ctx: Context, user: Admin) -> Response:
    target = badge_id(raw_id)
    found = ctx.data.badge(target)
    ctx.data.delete_badge(target, deleted_by=user.username)
    ctx.data.log_staff_action("delete_badge", user.id, subject=found.name if found else None)
    return empty_answer(200)
