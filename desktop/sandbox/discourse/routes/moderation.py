"""Member moderation: ``GET /admin/users/{id}``, ``PUT /admin/users/{id}/suspend``,
``PUT /admin/users/{id}/unsuspend``, ``DELETE /admin/users/{id}``.

Reading a user by id is ``Admin::UsersController#show``: ``User.find_by(id:)``,
so an id that is not a number, a missing id and a deleted user are all a 404;
the route has no AdminConstraint, so moderators may read it too
(AdminDetailedUserSerializer, see ``admin_user_models``).

Staff routes (a 404 for anyone else). Suspend is Discourse's ``User::Suspend``
service as ``Admin::UsersController#suspend`` renders it: a contract
(``reason`` present and at most 300 characters, ``suspend_until`` a time) whose
failures are a 400 ``failed_json`` with the messages, a 409 ``failed_json``
when the user is suspended already, a 403 when the caller may not suspend them
(staff cannot be suspended). Unsuspend always answers the cleared suspension.
Delete refuses admins (403) and, without ``delete_posts=true``, a user who
has posts (403 ``{"deleted": false, "message": ...}``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.admin_user_models import admin_detailed_user, admin_group
from desktop.sandbox.discourse.auth import Context, Staff
from desktop.sandbox.discourse.badge_models import avatar_template, iso
from desktop.sandbox.discourse.data.users import UserRow
from desktop.sandbox.discourse.errors import Failed, InvalidAccess, NotFound
from desktop.sandbox.discourse.params import ParamsDep, ruby_string, to_i
from desktop.sandbox.discourse.responses import json_answer
from desktop.sandbox.discourse.routes.groups import group_out

router = APIRouter()

_LEADING_NUMBER = re.compile(r"\s*[+-]?\d")


def _member(ctx: Context, raw_id: str) -> UserRow:
    if not re.fullmatch(r"-?\d+", raw_id.strip()):
        raise NotFound()
    found = ctx.data.user_by_id(int(raw_id))
    if found is None:
        raise NotFound()
    return found


@router.get("/admin/users/{raw_id}")
def show_user(raw_id: str, ctx: Context, viewer: Staff) -> Response:
    # ActiveRecord serializes the id as an integer column does: "7abc" is 7, "abc" is nil.
    user_id = to_i(raw_id) if _LEADING_NUMBER.match(raw_id) else None
    user = None if user_id is None else ctx.data.user_by_id(user_id)
    if user is None:
        raise NotFound()
    enabled = {b.id for b in ctx.data.all_badges() if b.enabled}
    badge_count = len(ctx.data.user_grants(user.id, enabled_badge_ids=enabled, grouped=True))
    groups = [
        admin_group(group_out(g, member=True))
        for g in ctx.data.groups(staff_viewer=True)
        if user.id in ctx.data.group_member_ids(g.name, g.automatic)
    ]
    answer = admin_detailed_user(
        user,
        viewer=viewer,
        now=ctx.now(),
        badge_count=badge_count,
        groups=groups,
        suspended_by=ctx.data.suspended_by(user.id) if user.suspension is not None else None,
    )
    return json_answer(answer)


def parse_time(text: str) -> int | None:
    """A date or time as Rails casts it into a datetime attribute (UTC when no zone); ``None`` if not one."""
    value = text.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _already_suspended(user: UserRow, by: UserRow | None) -> Failed:
    """The ``not_suspended_already`` policy's refusal: who suspended the user, and until when."""
    who = by.username if by is not None else "A staff member"
    till = iso(user.suspension.suspended_till) if user.suspension is not None else "further notice"
    return Failed(409, f"{who} already suspended this user until {till}.")


@router.put("/admin/users/{raw_id}/suspend")
def suspend(raw_id: str, params: ParamsDep, ctx: Context, staff: Staff) -> Response:
    errors: list[str] = []
    reason = ruby_string(params.get("reason")) if params.present("reason") else ""
    if not reason.strip():
        errors.append("Reason can't be blank")
    elif len(reason) > 300:
        errors.append("Reason is too long (maximum is 300 characters)")
    until = parse_time(ruby_string(params.get("suspend_until"))) if params.present("suspend_until") else None
    if until is None:
        errors.append("Suspend until can't be blank")
    if errors:
        raise Failed(400, errors=errors)
    assert until is not None
    user = _member(ctx, raw_id)
    if user.suspended:
        raise _already_suspended(user, ctx.data.suspended_by(user.id))
    if user.staff:
        raise InvalidAccess()
    message = ruby_string(params.get("message")) if params.present("message") else None
    began = ctx.data.suspend(user, until=until, reason=reason, message=message, by=staff)
    return json_answer(
        {
            "suspension": {
                "suspend_reason": reason,
                "full_suspend_reason": f"{reason}\n\n{message}" if message else reason,
                "suspended_till": iso(until),
                "suspended_at": iso(began),
                "suspended_by": {
                    "id": staff.id,
                    "username": staff.username,
                    "name": staff.name,
                    "avatar_template": avatar_template(staff.username),
                },
            }
        }
    )


@router.put("/admin/users/{raw_id}/unsuspend")
def unsuspend(raw_id: str, ctx: Context, staff: Staff) -> Response:
    user = _member(ctx, raw_id)
    if user.staff:
        raise InvalidAccess()
    ctx.data.unsuspend(user, by=staff)
    return json_answer({"suspension": {"suspended_till": None, "suspended_at": None}})


@router.delete("/admin/users/{raw_id}")
def delete_user(raw_id: str, params: ParamsDep, ctx: Context, staff: Staff) -> Response:
    user = None
    if re.fullmatch(r"-?\d+", raw_id.strip()):
        user = ctx.data.user_by_id(int(raw_id))
    # Guardian#can_delete_user?: nobody deletes a missing user, an admin, or system.
    if user is None or user.admin:
        raise InvalidAccess()
    if user.activity.post_count > 0 and params.get("delete_posts") != "true":
        return json_answer(
            {
                "deleted": False,
                "message": (
                    f"User {user.username} has {user.activity.post_count} posts, so they can't be deleted."
                ),
            },
            status=403,
        )
    ctx.data.delete_user(user, by=staff)
    return json_answer({"deleted": True})
