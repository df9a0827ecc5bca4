"""``/session/current`` (who the key acts as) and ``/session/scopes`` (what the key may do).

``SessionController#current`` answers the current user through
``CurrentUserSerializer`` (root ``current_user``), or an empty 404 without one.
``#scopes`` answers an API key's granular scopes (``[]`` for a global key), or an
empty 404 for a request without a key. The acting user's name also comes back
on every authenticated answer as ``X-Discourse-Username``.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import CallerDep
from desktop.sandbox.discourse.responses import empty_answer, json_answer
from desktop.sandbox.discourse.user_models import CurrentUserAnswer, ScopesAnswer, current_user_out

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
    # The demo's keys are global: every route their user may use.
    return json_answer(ScopesAnswer(scopes=[]))
