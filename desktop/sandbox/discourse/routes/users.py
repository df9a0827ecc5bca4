"""Users: the admin list (``/admin/users/list/{flag}``) and profiles (``/u/{username}``, ``/users/…``,
``/u/by-external/{external_id}``: a member by the single sign-on id, ``data.external_ids``).

A browser that asks for a profile without a key gets a small HTML page, as a forum's
visitors get its profile page.

The list is ``Admin::UsersController#index`` over ``AdminUserIndexQuery``: staff
only (a 404 for anyone else), 100 a page, a bare array, no total. Only the
flags the code filters by filter (the published enum, ``active new staff
suspended blocked suspect``, is stale: ``new``, ``blocked`` and ``suspect`` list
everyone, like any unknown word, and ``active`` only orders by last seen).
"""

from __future__ import annotations

import html
import json

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from desktop.sandbox.discourse.auth import CallerDep, Context, Staff
from desktop.sandbox.discourse.data.external_ids import user_id_of
from desktop.sandbox.discourse.data.users import UserQuery, UserRow
from desktop.sandbox.discourse.errors import NotFound
from desktop.sandbox.discourse.params import ParamsDep, to_i
from desktop.sandbox.discourse.responses import json_answer
from desktop.sandbox.discourse.user_models import UserProfileAnswer, admin_list_item, user_profile

router = APIRouter()


@router.get("/admin/users/list/{flag}")
def list_users(flag: str, params: ParamsDep, ctx: Context, user: Staff) -> Response:
    show_emails = params.get("show_emails") == "true"
    query = UserQuery(
        flag=flag,
        order=params.text("order") if params.present("order") else None,
        ascending=params.present("asc"),
        page=to_i(params.get("page")),
        filter=params.text("filter"),
        email=params.text("email") if params.present("email") else None,
    )
    users = ctx.data.list_users(query)
    if show_emails:
        # StaffActionLogger#log_show_emails: who looked at whose addresses.
        ctx.data.log_staff_action(
            "check_email", user.id, details=json.dumps({"user_ids": [u.id for u in users]})
        )
    now = ctx.now()
    return json_answer([admin_list_item(u, now=now, show_emails=show_emails) for u in users])


def find_user(ctx: Context, who: CallerDep, username: str) -> UserRow:
    """``fetch_user_from_params``: by username, any case, ``.json`` chomped; 404 when there is none."""
    if who.user is not None and who.user.username.lower() == username.lower():
        return who.user
    found = ctx.data.user_by_username(username)
    if found is None:
        raise NotFound()
    return found


@router.get("/u/{username}")
@router.get("/users/{username}")
def profile(username: str, ctx: Context, who: CallerDep, request: Request) -> Response:
    user = find_user(ctx, who, username)
    if who.user is None and "text/html" in request.headers.get("accept", ""):
        # A browser (BadgeDesk's "Open on the server"): Discourse answers its page, not JSON.
        return profile_page(user)
    return _profile_answer(ctx, user)


@router.get("/u/by-external/{external_id}")
def profile_by_external_id(external_id: str, ctx: Context) -> Response:
    """``users#show`` with ``external_id``: the member whose ``SingleSignOnRecord`` has it (exact,
    case and all); 404 when none has (or the forum signs nobody in through another system)."""
    user_id = user_id_of(external_id)
    user = None if user_id is None else ctx.data.user_by_id(user_id)
    if user is None:
        raise NotFound()
    return _profile_answer(ctx, user)


def _profile_answer(ctx: Context, user: UserRow) -> Response:
    enabled = {b.id for b in ctx.data.all_badges() if b.enabled}
    badge_count = len(ctx.data.user_grants(user.id, enabled_badge_ids=enabled, grouped=True))
    return json_answer(UserProfileAnswer(user_badges=[], user=user_profile(user, badge_count=badge_count)))


def profile_page(user: UserRow) -> HTMLResponse:
    """A minimal public profile page; what the member wrote is escaped, never markup."""
    name = html.escape(user.name or user.username)
    return HTMLResponse(
        f'<!doctype html><html><head><meta charset="utf-8"><title>{name}</title></head>'
        f"<body><h1>{name}</h1><p>@{html.escape(user.username)}</p></body></html>"
    )
