"""``/session/current`` (who the key acts as), ``/session/scopes`` (what the key may do),
and ``/site/basic-info`` (the forum's title and look, public).

``SessionController#current`` answers the current user through
``CurrentUserSerializer`` (root ``current_user``), or an empty 404 without one.
``#scopes`` answers an API key's granular scopes (``[]`` for a global key), or an
empty 404 for a request without a key. The acting user's name also comes back
on every authenticated answer as ``X-Discourse-Username``.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import CallerDep, Context
from desktop.sandbox.discourse.responses import empty_answer, json_answer
from desktop.sandbox.discourse.scopes import scope_urls
from desktop.sandbox.discourse.user_models import (
    ApiKeyScopeOut,
    CurrentUserAnswer,
    ScopesAnswer,
    current_user_out,
)

router = APIRouter()


@router.get("/session/current")
def current(who: CallerDep) -> Response:
    if who.user is None:
        return empty_answer(404)
    return json_answer(CurrentUserAnswer(current_user=current_user_out(who.user)))


@router.get("/session/scopes")
def scopes(who: CallerDep) -> Response:
    if who.key is None:
        return empty_answer(404)
    # A global key has no scopes: every route its user may use.
    return json_answer(
        ScopesAnswer(scopes=[ApiKeyScopeOut(**scope.answer(scope_urls(scope))) for scope in who.key.scopes])
    )


@router.get("/site/basic-info")
def basic_info(ctx: Context, _who: CallerDep) -> Response:
    """``SiteController#basic_info``: public, every field of the published description.

    Public, but a key sent with it is still looked up (and spends the bucket), as on every route.
    """
    title = ctx.data.community_name
    return json_answer(
        {
            "logo_url": "",
            "logo_small_url": "",
            "apple_touch_icon_url": "",
            "favicon_url": "",
            "title": title,
            "description": f"{title}: the BadgeDesk sandbox speaking Discourse",
            "header_primary_color": "333333",
            "header_background_color": "ffffff",
            "login_required": False,
            "locale": "en",
            "include_in_discourse_discover": False,
            "mobile_logo_url": "",
        }
    )
