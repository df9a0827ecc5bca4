"""Discourse's refusals and the bodies they become, in both of its conventions.

Most controllers answer ``{"errors": [...], "error_type": ...}`` (Rails'
``render_json_error`` through ``rescue_discourse_actions``); ``user_badges`` and
the suspend action answer ``{"failed": "FAILED", ...}`` (``failed_json``).
Messages are Discourse's English strings, so a client that shows them shows
what a real forum says.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from desktop.sandbox.discourse.responses import json_answer

NOT_FOUND = "The requested URL or resource could not be found."
INVALID_ACCESS = "You are not permitted to view the requested resource."
INVALID_API_CREDENTIALS = (
    "You are not permitted to view the requested resource. The API username or key is invalid."
)
NOT_LOGGED_IN = "You need to be logged in to do that."


class DiscourseError(Exception):
    """A refusal as ``{"errors": [...]}``, and ``error_type``/``extras`` when Discourse sends them."""

    def __init__(
        self,
        status: int,
        errors: list[str],
        error_type: str | None = None,
        *,
        extras: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__("; ".join(errors))
        self.status = status
        self.errors = errors
        self.error_type = error_type
        self.extras = extras
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"errors": self.errors}
        if self.error_type is not None:
            body["error_type"] = self.error_type
        if self.extras is not None:
            body["extras"] = self.extras
        return body


class NotFound(DiscourseError):
    """``Discourse::NotFound`` and Rails' routing error: 404 ``not_found``."""

    def __init__(self) -> None:
        super().__init__(404, [NOT_FOUND], "not_found")


class InvalidAccess(DiscourseError):
    """``Discourse::InvalidAccess``: 403 ``invalid_access``, with Discourse's custom message if any."""

    def __init__(self, message: str = INVALID_ACCESS) -> None:
        super().__init__(403, [message], "invalid_access")


class NotLoggedIn(DiscourseError):
    """``ensure_logged_in`` refused an anonymous request: 403 ``not_logged_in``."""

    def __init__(self) -> None:
        super().__init__(403, [NOT_LOGGED_IN], "not_logged_in")


class InvalidParameters(DiscourseError):
    """``Discourse::InvalidParameters``: 400 ``invalid_parameters``."""

    def __init__(self, message: str) -> None:
        super().__init__(
            400, [f"You supplied invalid parameters to the request: {message}"], "invalid_parameters"
        )


class ParameterMissing(DiscourseError):
    """Rails' ``params.require`` of a missing key: 400 with Rails' message and no ``error_type``."""

    def __init__(self, key: str) -> None:
        super().__init__(400, [f"param is missing or the value is empty: {key}"])


class RecordInvalid(DiscourseError):
    """A model that failed validation, as a controller's ``render_json_error errors`` (422, no type)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(422, messages)


class RateLimited(DiscourseError):
    """``RateLimiter::LimitExceeded`` as ``ApplicationController`` renders it: 429 with the wait."""

    def __init__(self, wait_seconds: int, error_code: str) -> None:
        left = time_left(wait_seconds)
        super().__init__(
            429,
            [f"You’ve performed this action too many times. Please wait {left} before trying again."],
            "rate_limit",
            extras={"wait_seconds": wait_seconds, "time_left": left},
            headers={"Retry-After": str(wait_seconds), "Discourse-Rate-Limit-Error-Code": error_code},
        )


class Failed(Exception):
    """A ``failed_json`` answer: ``{"failed": "FAILED"}`` plus any ``message``/``errors`` Discourse adds."""

    def __init__(self, status: int, message: str | None = None, *, errors: list[str] | None = None) -> None:
        super().__init__(message or "; ".join(errors or []) or "FAILED")
        self.status = status
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"failed": "FAILED"}
        if self.message is not None:
            body["message"] = self.message
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def time_left(seconds: int) -> str:
    """``RateLimiter::LimitExceeded#time_left``: "a few seconds", "N seconds", "N minutes"."""
    if seconds <= 3:
        return "a few seconds"
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


async def _on_discourse_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DiscourseError)
    return json_answer(exc.body(), exc.status, exc.headers)


async def _on_failed(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Failed)
    return json_answer(exc.body(), exc.status)


async def _on_http_error(_request: Request, exc: Exception) -> Response:
    # Rails answers an unknown path, and a known path with another method,
    # with its routing error: a 404 not_found (never a 405).
    assert isinstance(exc, StarletteHTTPException)
    error = (
        NotFound() if exc.status_code in (404, 405) else DiscourseError(exc.status_code, [str(exc.detail)])
    )
    return json_answer(error.body(), error.status)


async def _on_out_of_range(_request: Request, _exc: Exception) -> Response:
    # An id beyond the database's integers (SQLite binds at most 64 bits): Rails' ``find`` raises
    # RecordNotFound for an out-of-range id, so it is the ordinary 404, not a crash.
    error = NotFound()
    return json_answer(error.body(), error.status)


async def _on_unexpected(_request: Request, exc: Exception) -> Response:
    # What Discourse's exception page would say, without leaking the sandbox's internals.
    return json_answer({"errors": [f"Internal server error ({type(exc).__name__})."]}, 500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DiscourseError, _on_discourse_error)
    app.add_exception_handler(Failed, _on_failed)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(OverflowError, _on_out_of_range)
    app.add_exception_handler(Exception, _on_unexpected)
