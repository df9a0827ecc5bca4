"""Groups: ``GET /groups`` (36 a page), ``GET /groups/search`` (what pydiscourse's ``groups()`` calls),
``GET /groups/{name}/members`` (``offset``/``limit`` up to 1000, with ``meta.total``).

``PUT /groups/{id}/members`` (``add_members``) and ``DELETE /groups/{id}/members``
(``remove_member``) change a custom group by comma-separated ``usernames`` (split on commas
only, matched case-insensitively; unknown names are dropped, none known is a 400), at most
1000 members a request (422 beyond); adding only members already in the group is a 422,
removing a non-member skips it (``skipped_usernames``). Only admins change groups here
(Discourse's ``can_edit_group?``: an admin or the group's owner, and the demo's groups have
none; moderators only with ``moderators_manage_groups``, off by default), and never an
automatic group (403).

``GroupsController``: staff see every group, others the public ones. The demo's
groups have no owners, so ``owners`` is empty. Not yet: a group's own page,
creating groups.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import CallerDep, Context
from desktop.sandbox.discourse.badge_models import avatar_template, iso
from desktop.sandbox.discourse.data.groups import GroupRow
from desktop.sandbox.discourse.data.users import UserRow
from desktop.sandbox.discourse.errors import InvalidAccess, InvalidParameters, NotFound, RecordInvalid
from desktop.sandbox.discourse.params import ParamsDep, present, ruby_string, to_i
from desktop.sandbox.discourse.responses import json_answer
from desktop.sandbox.discourse.routes.user_badges import int_param

router = APIRouter()

PAGE_SIZE = 36
MEMBERS_LIMIT = 50
MEMBERS_MAX = 1000
#: ``GroupsController::ADD_MEMBERS_LIMIT``: members one ``PUT /groups/{id}/members`` may add.
ADD_MEMBERS_LIMIT = 1000


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


def _editable_group(ctx: Context, who: CallerDep, raw_id: str) -> GroupRow:
    """``Group.find`` (404), then ``guardian.ensure_can_edit!`` (403: not an admin, or automatic)."""
    group = ctx.data.group_by_id(int(raw_id)) if re.fullmatch(r"\d+", raw_id.strip()) else None
    if group is None:
        raise NotFound()
    if who.user is None or not who.user.admin or group.automatic:
        raise InvalidAccess()
    return group


def _users_from_params(ctx: Context, params: ParamsDep) -> list[UserRow] | None:
    """``users_from_params`` for usernames: None when none were sent; 400 when none is known."""
    if not params.present("usernames"):
        return None
    found: dict[int, UserRow] = {}
    for name in ruby_string(params.get("usernames")).split(","):
        user = ctx.data.user_by_username(name) if name else None
        if user is not None:
            found.setdefault(user.id, user)
    if not found:
        raise InvalidParameters("usernames")
    return list(found.values())


@router.put("/groups/{raw_id}/members")
def add_members(raw_id: str, params: ParamsDep, ctx: Context, who: CallerDep) -> Response:
    group = _editable_group(ctx, who, raw_id)
    users = _users_from_params(ctx, params) or []
    if not users:
        raise InvalidParameters("Usernames or emails must be present")
    if len(users) > ADD_MEMBERS_LIMIT:
        raise RecordInvalid([f"Maximum {ADD_MEMBERS_LIMIT} users can be added at once"])
    members = set(ctx.data.group_member_ids(group.name, group.automatic))
    already = sorted(u.username for u in users if u.id in members)
    if already and len(already) == len(users):
        if len(already) == 1:
            raise RecordInvalid([f"'{already[0]}' is already a member of this group."])
        raise RecordInvalid([f"The following users are already members of this group: {', '.join(already)}"])
    ctx.data.add_group_members(group, [u.id for u in users])
    return json_answer({"success": "OK", "usernames": [u.username for u in users], "emails": []})


@router.delete("/groups/{raw_id}/members")
def remove_members(raw_id: str, params: ParamsDep, ctx: Context, who: CallerDep) -> Response:
    group = _editable_group(ctx, who, raw_id)
    users = _users_from_params(ctx, params)
    if not users:
        raise InvalidParameters("user_ids or usernames or user_emails must be present")
    removed = set(ctx.data.remove_group_members(group, [u.id for u in users]))
    return json_answer(
        {
            "success": "OK",
            "usernames": [u.username for u in users if u.id in removed],
            "skipped_usernames": [u.username for u in users if u.id not in removed],
        }
    )
