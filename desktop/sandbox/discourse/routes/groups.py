"""Groups: ``GET /groups`` (36 a page), ``GET /groups/search`` (what pydiscourse's ``groups()`` calls),
``GET /groups/{name}/members`` (``offset``/``limit`` up to 1000, with ``meta.total``).

``GroupsController``: staff see every group, others the public ones. The demo's
groups have no owners, so ``owners`` is empty. Not yet: a group's own page,
creating groups, adding or removing members.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import CallerDep, Context
from desktop.sandbox.discourse.badge_models import avatar_template, iso
from desktop.sandbox.discourse.data.groups import GroupRow
from desktop.sandbox.discourse.errors import NotFound
from desktop.sandbox.discourse.params import ParamsDep, present, ruby_string, to_i
from desktop.sandbox.discourse.responses import json_answer
from desktop.sandbox.discourse.routes.user_badges import int_param

router = APIRouter()

PAGE_SIZE = 36
MEMBERS_LIMIT = 50
MEMBERS_MAX = 1000


def group_out(group: GroupRow, *, member: bool) -> dict[str, Any]:
    """``BasicGroupSerializer``."""
    return {
        "id": group.id,
        "automatic": group.automatic,
        "name": group.name,
        "display_name": group.name,
        "user_count": group.user_count,
        "mentionable_level": 0,
        "messageable_level": 0,
        "visibility_level": group.visibility_level,
        "primary_group": False,
        "title": None,
        "grant_trust_level": None,
        "incoming_email": None,
        "has_messages": False,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "bio_raw": None,
        "bio_cooked": None,
        "bio_excerpt": None,
        "public_admission": False,
        "public_exit": False,
        "allow_membership_requests": False,
        "full_name": None,
        "default_notification_level": 3,
        "membership_request_template": None,
        "is_group_user": member,
        "is_group_owner": False,
        "members_visibility_level": 0,
        "can_see_members": True,
        "can_admin_group": False,
        "can_edit_group": False,
        "publish_read_state": False,
    }


def _is_member(ctx: Context, who: CallerDep, group: GroupRow) -> bool:
    return who.user is not None and who.user.id in ctx.data.group_member_ids(group.name, group.automatic)


@router.get("/groups")
def list_groups(params: ParamsDep, ctx: Context, who: CallerDep) -> Response:
    staff = who.user is not None and who.user.staff
    groups = ctx.data.groups(staff_viewer=staff)
    page = max(0, to_i(params.get("page")))
    shown = groups[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    return json_answer(
        {
            "groups": [group_out(g, member=_is_member(ctx, who, g)) for g in shown],
            "extras": {"type_filters": ["my", "owner", "public", "close", "automatic"] if who.user else []},
            "total_rows_groups": len(groups),
            "load_more_groups": f"/groups?page={page + 1}",
        }
    )


@router.get("/groups/search")
def search_groups(params: ParamsDep, ctx: Context, who: CallerDep) -> Response:
    staff = who.user is not None and who.user.staff
    groups = ctx.data.groups(staff_viewer=staff)
    if params.present("term"):
        term = ruby_string(params.get("term")).lower()
        groups = [g for g in groups if term in g.name.lower()]
    if present(params.get("ignore_automatic")) and params.get("ignore_automatic") != "false":
        groups = [g for g in groups if not g.automatic]
    return json_answer([group_out(g, member=_is_member(ctx, who, g)) for g in groups[:20]])


@router.get("/groups/{name}/members")
def group_members(name: str, params: ParamsDep, ctx: Context, who: CallerDep) -> Response:
    staff = who.user is not None and who.user.staff
    group = ctx.data.group(name, staff_viewer=staff)
    if group is None:
        raise NotFound()
    limit = min(int_param(params, "limit", default=MEMBERS_LIMIT, minimum=1), MEMBERS_MAX)
    offset = max(0, int_param(params, "offset", default=0))
    ids = ctx.data.group_member_ids(group.name, group.automatic)
    page = ids[offset : offset + limit]
    users = ctx.data.users_by_id(set(page))
    members = []
    for user_id in page:
        user = users.get(user_id)
        if user is None:
            continue
        members.append(
            {
                "id": user.id,
                "username": user.username,
                "name": user.name,
                "avatar_template": avatar_template(user.username),
                "title": None,
                "last_posted_at": iso(user.last_seen_at)
                if user.last_seen_at and user.activity.post_count
                else None,
                "last_seen_at": None if user.last_seen_at is None else iso(user.last_seen_at),
                "added_at": iso(user.created_at),
                "timezone": None,
            }
        )
    return json_answer(
        {"members": members, "owners": [], "meta": {"total": len(ids), "limit": limit, "offset": offset}}
    )
