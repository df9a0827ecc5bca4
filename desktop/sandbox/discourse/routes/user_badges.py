"""Grants: ``POST /user_badges`` (grant), ``DELETE /user_badges/{id}`` (revoke), the holders list
(``GET /user_badges``) and a member's badges (``GET /user-badges/{username}``).

``UserBadgesController``, step for step: a grant needs a login, a known
username (404), a staff caller (403 ``failed_json``), an enabled badge by id or
name (404), and a reason, when given, that routes to a topic or post of this
forum (400 ``failed_json`` with the message); then ``BadgeGranter#grant``
decides whether it is new (see ``data.grants``). Disabled badges are invisible
to grants, holders and lookups.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from desktop.sandbox.discourse.auth import CallerDep, Context, LoggedIn
from desktop.sandbox.discourse.badge_models import (
    BadgeOut,
    BadgeUserOut,
    GrantAnswer,
    HoldersAnswer,
    UserBadgeInfo,
    UserBadgesAnswer,
    badge_out,
    badge_type_out,
    badge_user_out,
    detailed_user_badge_out,
    user_badge_out,
)
from desktop.sandbox.discourse.data.badges import BadgeRow
from desktop.sandbox.discourse.data.grants import GrantRow
from desktop.sandbox.discourse.data.topics import route_for
from desktop.sandbox.discourse.errors import Failed, InvalidParameters, NotFound, ParameterMissing
from desktop.sandbox.discourse.params import Params, ParamsDep, present, ruby_string, truthy
from desktop.sandbox.discourse.responses import json_answer
from desktop.sandbox.discourse.routes.users import find_user

router = APIRouter()

#: UserBadgesController::MAX_BADGES and MAX_INDEX_LIMIT.
MAX_BADGES = 96
MAX_INDEX_LIMIT = 50
INVALID_REASON = "External or invalid discourse link cannot be used as reason."


def int_param(params: Params, key: str, *, default: int, minimum: int | None = None) -> int:
    """``fetch_int_from_params``: a whole number (else 400 invalid_parameters), at least ``minimum``."""
    if not params.has(key):
        return default
    raw = params.get(key)
    text = ruby_string(raw).strip() if raw is not None else ""
    if not re.fullmatch(r"[+-]?\d+", text):
        raise InvalidParameters(key)
    value = int(text)
    if minimum is not None and value < minimum:
        raise InvalidParameters(key)
    return value


def fetch_badge(ctx: Context, params: Params) -> BadgeRow:
    """The badge named by ``badge_name`` or ``badge_id`` (required); a disabled one is not found."""
    if params.get("badge_name") is not None:
        found = ctx.data.badge_by_name(ruby_string(params.get("badge_name")), enabled_only=True)
    else:
        if not params.present("badge_id"):
            raise ParameterMissing("badge_id")
        value = params.get("badge_id")
        text = ruby_string(value).strip()
        found = ctx.data.badge(int(text), enabled_only=True) if re.fullmatch(r"\d+", text) else None
    if found is None:
        raise NotFound()
    return found


def _badges_by_id(ctx: Context) -> dict[int, BadgeRow]:
    return {b.id: b for b in ctx.data.all_badges()}


def _sideloads(
    ctx: Context, grants: list[GrantRow], badges: dict[int, BadgeRow], *, long_description: bool
) -> tuple[list[BadgeOut], list[BadgeUserOut], dict[int, BadgeUserOut]]:
    shown = sorted({g.badge_id for g in grants})
    badge_list = [badge_out(badges[b], long_description=long_description) for b in shown if b in badges]
    users = ctx.data.users_by_id({g.granted_by_id for g in grants} | {g.user_id for g in grants})
    granters = sorted({g.granted_by_id for g in grants})
    granted_bies = [badge_user_out(users[u]) for u in granters if u in users]
    return badge_list, granted_bies, {u: badge_user_out(row) for u, row in users.items()}


@router.post("/user_badges")
def grant(request: Request, params: ParamsDep, ctx: Context, who: CallerDep, granter: LoggedIn) -> Response:
    if not params.present("username"):
        raise ParameterMissing("username")
    member = find_user(ctx, who, ruby_string(params.get("username")))
    if not granter.staff:
        raise Failed(403)
    badge = fetch_badge(ctx, params)
    post_id = None
    reason = ruby_string(params.get("reason")) if params.present("reason") else ""
    if reason:
        route = route_for(reason, ctx.forum_hostname(request))
        if route is None:
            raise Failed(400, INVALID_REASON)
        if route.controller == "topics" and route.topic_id:
            post_id = ctx.data.post_id_for(route.topic_id, route.post_number)
    granted = ctx.data.grant(user=member, badge=badge, granted_by=granter, post_id=post_id, reason=reason)
    current = ctx.data.badge(badge.id) or badge
    posts = ctx.data.posts({granted.grant.post_id} if granted.grant.post_id else set())
    badges, granted_bies, _users = _sideloads(
        ctx, [granted.grant], {badge.id: current}, long_description=False
    )
    return json_answer(
        GrantAnswer(
            badges=badges,
            badge_types=[badge_type_out(t) for t in ctx.data.badge_types() if t[0] == current.badge_type_id],
            granted_bies=granted_bies,
            user_badge=detailed_user_badge_out(
                granted.grant,
                current,
                viewer_id=granter.id,
                post=posts.get(granted.grant.post_id) if granted.grant.post_id else None,
            ),
        )
    )


@router.delete("/user_badges/{raw_id}")
def revoke(raw_id: str, ctx: Context, revoker: LoggedIn) -> Response:
    if not re.fullmatch(r"\d+", raw_id.strip()):
        raise NotFound()
    existing = ctx.data.active_grant(int(raw_id))
    if existing is None:
        raise NotFound()
    if not revoker.staff:
        raise Failed(403)
    ctx.data.revoke(existing.id, revoked_by=revoker)
    return json_answer({"success": "OK"})


def _selected_badge_ids(ctx: Context, params: Params, badges: dict[int, BadgeRow]) -> list[int]:
    """``selected_badge_ids``: ``badge_ids``, else ``badge_name``, else ``badge_id``, else all listable."""
    enabled = [b for b in badges.values() if b.enabled]
    if params.has("badge_ids"):
        raw = params.get("badge_ids")
        if present(raw):
            tokens = raw if isinstance(raw, list) else [raw]
            ids: list[int] = []
            for token in tokens:
                for part in re.split(r"[,|\s+]", ruby_string(token)):
                    if re.fullmatch(r"[+-]?\d+", part) and int(part) > 0 and int(part) not in ids:
                        ids.append(int(part))
            return [i for i in ids if i in badges and badges[i].enabled]
    elif params.present("badge_name"):
        found = ctx.data.badge_by_name(ruby_string(params.get("badge_name")), enabled_only=True)
        if found is None:
            raise NotFound()
        return [found.id]
    elif params.present("badge_id"):
        text = ruby_string(params.get("badge_id")).strip()
        found_by_id = ctx.data.badge(int(text), enabled_only=True) if re.fullmatch(r"\d+", text) else None
        if found_by_id is None:
            raise NotFound()
        return [found_by_id.id]
    return [b.id for b in enabled if b.listable]


@router.get("/user_badges")
def holders(params: ParamsDep, ctx: Context, who: CallerDep) -> Response:
    badges = _badges_by_id(ctx)
    ids = _selected_badge_ids(ctx, params, badges)
    if params.present("badge_type_id"):
        type_id = int_param(params, "badge_type_id", default=0, minimum=1)
        ids = [i for i in ids if badges[i].badge_type_id == type_id]
    user_id = None
    grant_count = None
    username = None
    if params.get("username") is not None:
        username = ruby_string(params.get("username"))
        user_id = find_user(ctx, who, username).id
        grant_count = ctx.data.count_grants(badge_ids=ids, user_id=user_id)
    limit = min(int_param(params, "limit", default=MAX_BADGES, minimum=1), MAX_INDEX_LIMIT)
    offset = max(0, int_param(params, "offset", default=0))
    grants = ctx.data.holders(badge_ids=ids, user_id=user_id, offset=offset, limit=limit)
    badge_list, _granters, users = _sideloads(ctx, grants, badges, long_description=True)
    posts = ctx.data.posts({g.post_id for g in grants if g.post_id})
    type_ids = {badges[g.badge_id].badge_type_id for g in grants}
    listed_users = sorted({g.user_id for g in grants} | {g.granted_by_id for g in grants})
    return json_answer(
        HoldersAnswer(
            badges=badge_list,
            badge_types=[badge_type_out(t) for t in ctx.data.badge_types() if t[0] in type_ids],
            users=[users[u] for u in listed_users if u in users],
            user_badge_info=UserBadgeInfo(
                user_badges=[
                    user_badge_out(g, badges[g.badge_id], posts.get(g.post_id) if g.post_id else None)
                    for g in grants
                ],
                grant_count=grant_count,
                username=username,
            ),
        )
    )


@router.get("/user-badges/{username}")
def member_badges(username: str, params: ParamsDep, ctx: Context, who: CallerDep) -> Response:
    user = find_user(ctx, who, username)
    badges = _badges_by_id(ctx)
    enabled = {b for b, row in badges.items() if row.enabled}
    grants = ctx.data.user_grants(user.id, enabled_badge_ids=enabled, grouped=truthy(params.get("grouped")))
    badge_list, granted_bies, _users = _sideloads(ctx, grants, badges, long_description=False)
    posts = ctx.data.posts({g.post_id for g in grants if g.post_id})
    type_ids = {badges[g.badge_id].badge_type_id for g in grants}
    viewer = who.user.id if who.user is not None else None
    return json_answer(
        UserBadgesAnswer(
            badges=badge_list,
            badge_types=[badge_type_out(t) for t in ctx.data.badge_types() if t[0] in type_ids],
            granted_bies=granted_bies,
            user_badges=[
                detailed_user_badge_out(
                    g, badges[g.badge_id], viewer_id=viewer, post=posts.get(g.post_id) if g.post_id else None
                )
                for g in grants
            ],
        )
    )
