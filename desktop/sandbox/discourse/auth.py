"""Who is calling: ``Api-Key`` and ``Api-Username`` checked as Discourse checks them, then the admin bucket.

``Auth::DefaultCurrentUserProvider`` looks the key up, takes its user (a
single-user key: ``Api-Username`` may only repeat that user's name) or the
user ``Api-Username`` names (an all-users key), refuses suspended users, and
spends one request from the site-wide admin bucket. Credentials go in
headers; Discourse ignores ``api_key`` in the query string outside RSS feeds.

Refusals follow Discourse's two conventions: on ``/admin/*`` the route's
constraint cannot see an admin, so the answer is the router's 404; elsewhere a
bad key is a 403 ``invalid_access`` naming the key, and a missing login a 403
``not_logged_in``. A refused request spends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
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


@dataclass(frozen=True, slots=True)
class Caller:
    """The request's user (``None``: anonymous) and the key it came with. Immutable; any thread."""

    user: UserRow | None
    key: ApiKey | None


def _admin_route(request: Request) -> bool:
    return request.url.path == "/admin" or request.url.path.startswith("/admin/")


def resolve_caller(request: Request, ctx: DiscourseContext) -> Caller:
    api_key = request.headers.get("api-key")
    if not api_key:
        return Caller(user=None, key=None)
    key = ctx.keys.lookup(api_key)
    username = request.headers.get("api-username")
    user: UserRow | None = None
    if key is not None:
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
    request.state.discourse_username = user.username
    return Caller(user=user, key=key)


def caller(request: Request, ctx: Annotated[DiscourseContext, Depends(context)]) -> Caller:
    try:
        return resolve_caller(request, ctx)
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
