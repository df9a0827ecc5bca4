"""Who is calling: ``Api-Key`` and ``Api-Username`` checked as Discourse checks them, then the admin bucket.

``Auth::DefaultCurrentUserProvider`` looks the key up, takes its user (a
single-user key: ``Api-Username`` may only repeat that user's name) or the
user ``Api-Username`` names (an all-users key), refuses suspended users, and
spends one request from the site-wide admin bucket. Before any of that,
``ApiKey#request_allowed?`` asks the key's scopes (``scopes``): a request no
scope permits finds no user, so it is refused as a bad key is. Credentials go in
headers; Discourse ignores ``api_key`` in the query string outside RSS feeds.

Refusals follow Discourse's two conventions: on ``/admin/*`` the route's
constraint cannot see an admin, so the answer is the router's 404; elsewhere a
bad key (or one whose scopes do not cover the request) is a 403
``invalid_access`` naming the key, and a missing login a 403
``not_logged_in``. A refused request spends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.routing import APIRoute
from starlette.requests import Request

from desktop.sandbox.discourse.context import DiscourseContext, context
from desktop.sandbox.discourse.data.users import UserRow
from desktop.sandbox.discourse.errors import (
    INVALID_API_CREDENTIALS,
    InvalidAccess,
    NotFound,
    NotLoggedIn,
)
from desktop.sandbox.discourse.keys import ApiKey
from desktop.sandbox.discourse.middleware import IP_STATE
from desktop.sandbox.discourse.params import Params, ParamsDep
from desktop.sandbox.discourse.scopes import ROUTES, RequestParams, rails_path_params


@dataclass(frozen=True, slots=True)
class Caller:
    """The request's user (``None``: anonymous) and the key it came with. Immutable; any thread."""

    user: UserRow | None
    key: ApiKey | None


def _admin_route(request: Request) -> bool:
    return request.url.path == "/admin" or request.url.path.startswith("/admin/")


def request_allowed(key: ApiKey, request: Request, params: Params) -> bool:
    """``ApiKey#request_allowed?``: a global key, ``GET /session/scopes``, or a scope that permits it."""
    if not key.scopes:
        return True
    method = "GET" if request.method == "HEAD" else request.method
    route = request.scope.get("route")
    declared = route.path if isinstance(route, APIRoute) else ""
    rails = ROUTES.get((method, declared))
    if rails is not None and method == "GET" and rails.action == "session#scopes":
        return True
    path = rails_path_params(rails, declared, request.path_params) if rails is not None else {}
    seen = RequestParams(path=path, query_and_body=params.values)
    return any(scope.permits(method, rails, seen) for scope in key.scopes)


def resolve_caller(request: Request, ctx: DiscourseContext, params: Params) -> Caller:
    api_key = request.headers.get("api-key")
    if not api_key:
        return Caller(user=None, key=None)
    key = ctx.keys.lookup(api_key)
    username = request.headers.get("api-username")
    user: UserRow | None = None
    if key is not None and request_allowed(key, request, params):
        if key.user_id is not None:
            candidate = ctx.data.user_by_id(key.user_id)
            if candidate is not None and (not username or username.lower() == candidate.username.lower()):
                user = candidate
        elif username:
            user = ctx.data.user_by_username(username)
    if user is None:
        raise InvalidAccess(INVALID_API_CREDENTIALS)
    if user.suspended:
        raise InvalidAccess()
    if ctx.limiter is not None:
        ctx.limiter.perform()
    ip = request.scope.get("state", {}).get(IP_STATE)
    if ctx.ip_limits is not None and ip is not None:
        # A good key: the per-IP limits do not apply to admin API requests.
        ctx.ip_limits.rollback(ip)
    request.state.discourse_username = user.username
    return Caller(user=user, key=key)


def caller(request: Request, ctx: Annotated[DiscourseContext, Depends(context)], params: ParamsDep) -> Caller:
    try:
        return resolve_caller(request, ctx, params)
    except InvalidAccess:
        if _admin_route(request):
            raise NotFound() from None
        raise


def logged_in(who: Annotated[Caller, Depends(caller)]) -> UserRow:
    """``ensure_logged_in``: an anonymous request is refused with ``not_logged_in``."""
    if who.user is None:
        raise NotLoggedIn()
    return who.user


def admin(who: Annotated[Caller, Depends(caller)]) -> UserRow:
    """``AdminConstraint``: a route only admins can see; for anyone else it does not exist."""
    if who.user is None or not who.user.admin:
        raise NotFound()
    return who.user


def staff(who: Annotated[Caller, Depends(caller)]) -> UserRow:
    """``StaffConstraint``: a route staff (admins and moderators) can see; for anyone else a 404."""
    if who.user is None or not who.user.staff:
        raise NotFound()
    return who.user


CallerDep = Annotated[Caller, Depends(caller)]
LoggedIn = Annotated[UserRow, Depends(logged_in)]
Admin = Annotated[UserRow, Depends(admin)]
Staff = Annotated[UserRow, Depends(staff)]
Context = Annotated[DiscourseContext, Depends(context)]
