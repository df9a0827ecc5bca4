"""Requests to a Discourse forum, and its answers read in one place.

- **Credentials** travel as the ``Api-Key`` and ``Api-Username`` headers,
  never in a URL (URLs end up in logs and proxies).
- **Paths** carry the ``.json`` suffix every Discourse route accepts; usernames
  in paths are percent-encoded.
- **Writes** are never sent a second time by the HTTP session after their
  answer was lost: Discourse has no idempotency keys, and a repeated grant of
  a ``multiple_grant`` badge is a second grant. The outbox asks the writer's
  ``confirm`` instead. A revoke is treated the same way (its repeat would be
  harmless, but a 404 after a lost answer would read as "not held" rather
  than "revoked").
- **429s** of both shapes are waited out for up to ten minutes per request
  (:class:`~desktop.net.http.HttpSession` ``max_throttled_wait``): a rate
  limit is never a failure.
- **The key** is checked at the session's first request
  (:mod:`~desktop.dialects.discourse.access`): Discourse never answers 401,
  so a refused key is recognised by ``GET /session/scopes.json``, which any
  valid key may read, and raised as the core's "token refused".
- **Errors**: Discourse answers in two conventions, ``{"errors": [...],
  "error_type": ...}`` and ``{"failed": "FAILED", "message": ...}``;
  :meth:`DiscourseApi.error` reads both. A 403 is a key refused or lacking a
  right; a 404 on an admin page is how Discourse refuses a key there.

Thread safety: one thread at a time per instance (as :class:`HttpSession`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter

from desktop.cancellation import CancelToken
from desktop.dialects.discourse.access import KeyAccess, read_access
from desktop.i18n import _
from desktop.net.answers import one_line, parse_answer
from desktop.net.budget import Priority, RateBudget
from desktop.net.errors import ApiError, AuthError
from desktop.net.http import HttpSession
from desktop.net.ratecontrol import RateControl

T = TypeVar("T")

API_NAME = "Discourse's API"
#: How long one request waits out the forum's rate limit before giving up (the
#: admin bucket refills within a minute; ten leave room for other integrations).
RATE_LIMIT_PATIENCE = 600.0

_ADAPTERS: dict[object, TypeAdapter[Any]] = {}


def adapter(kind: type[T]) -> TypeAdapter[T]:
    """One TypeAdapter per answer model (building one costs more than a request's parsing)."""
    found = _ADAPTERS.get(kind)
    if found is None:
        found = _ADAPTERS[kind] = TypeAdapter(kind)
    return found


def user_path(prefix: str, username: str) -> str:
    """``/u/{username}.json`` and the like, the username percent-encoded."""
    return f"{prefix}/{quote(username, safe='')}.json"


def check_credentials(api_key: str, username: str) -> None:
    """Refuse, before anything is sent, what cannot work: no acting user, or one a header cannot carry."""
    if not username:
        raise ValueError(
            _(
                "Discourse needs the username the API key acts as (sent as Api-Username):"
                " the moderator's own username for a single-user key, or any admin's (or 'system')"
                " for an all-users key"
            )
        )
    if not api_key:
        raise ValueError(_("The Discourse API key is empty"))
    if not _fits_header(username):
        raise ValueError(
            _(
                "The username {username} cannot travel in an HTTP header"
                " (Discourse takes it as Api-Username / Api-Key): use a key acting as a user whose"
                " username is plain ASCII, or 'system' with an all-users key"
            ).format(username=repr(username))
        )
    if not _fits_header(api_key):
        # Never the key itself in the message.
        raise ValueError(
            _(
                "The API key cannot travel in an HTTP header"
                " (Discourse takes it as Api-Username / Api-Key): use a key acting as a user whose"
                " username is plain ASCII, or 'system' with an all-users key"
            )
        )


def _fits_header(value: str) -> bool:
    return value.isascii() and value.isprintable()


class DiscourseApi:
    """The requests of one session to one forum, as one acting user."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        username: str,
        *,
        rate_control: RateControl | None = None,
        budget: RateBudget | None = None,
        priority: Priority = Priority.FOREGROUND,
        max_attempts: int = 6,
        timeout: float = 15.0,
        connect_timeout: float = 3.0,
        cancel: CancelToken | None = None,
        transport: httpx.BaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        # Pasted keys and names often carry a space or a line break at either end.
        api_key, username = api_key.strip(), username.strip()
        check_credentials(api_key, username)
        self.username = username
        self.http = HttpSession(
            base_url,
            headers={"Api-Key": api_key, "Api-Username": username, "Accept": "application/json"},
            rate_control=rate_control,
            budget=budget,
            priority=priority,
            max_attempts=max_attempts,
            timeout=timeout,
            connect_timeout=connect_timeout,
            cancel=cancel,
            transport=transport,
            allow_insecure_http=allow_insecure_http,
            max_throttled_wait=RATE_LIMIT_PATIENCE,
        )
        self.base_url = self.http.base_url
        self.host = self.http.host
        self._access: KeyAccess | None = None

    def close(self) -> None:
        self.http.close()

    # --- the key --------------------------------------------------------------------------

    def access(self) -> KeyAccess:
        """What the key may do, asked of the forum once a session (before its first request)."""
        if self._access is None:
            self._access = read_access(self.http, self.username)
        return self._access

    # --- reads --------------------------------------------------------------------------

    def read(self, kind: TypeAdapter[T], path: str, params: Mapping[str, str | int] | None = None) -> T:
        """A GET whose answer must be 200 and of ``kind``."""
        self.access()
        response = self.http.send("GET", path, params=params)
        if response.status_code != 200:
            raise self.error("GET", path, response)
        return self.parse(kind, "GET", path, response)

    def read_unless_missing(
        self, kind: TypeAdapter[T], path: str, params: Mapping[str, str | int] | None = None
    ) -> T | None:
        """A GET, None when the forum answers 404 (no such user, grant or badge)."""
        self.access()
        response = self.http.send("GET", path, params=params)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise self.error("GET", path, response)
        return self.parse(kind, "GET", path, response)

    # --- writes -------------------------------------------------------------------------

    def write(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> httpx.Response:
        """A write, sent once: a lost answer raises :class:`ServerUnreachable` (confirm, then decide)."""
        self.access()
        return self.http.send(method, path, body=body, resend_after_loss=False)

    def upload(
        self, path: str, files: Mapping[str, tuple[str, bytes, str]], data: Mapping[str, str]
    ) -> httpx.Response:
        """A multipart upload. Sent again after a lost answer: Discourse keeps one upload per
        file (by its SHA-1), so a repeat gives the same upload, and an unused one does no harm."""
        self.access()
        return self.http.send("POST", path, files=files, data=data)

    # --- answers ------------------------------------------------------------------------

    @staticmethod
    def parse(kind: TypeAdapter[T], method: str, path: str, response: httpx.Response) -> T:
        return parse_answer(kind, method, path, response, api=API_NAME)

    def error(self, method: str, path: str, response: httpx.Response) -> ApiError:
        """What a refusal means, in words for the user, as the error the caller must handle."""
        status = response.status_code
        code, said = _what_it_said(response)
        if status in (401, 403):
            return AuthError(
                _(
                    "Discourse refused {method} {path} for {user}: the API key may be wrong or"
                    " revoked, or {user} may not do this (granting badges takes a moderator or an"
                    " admin; a granular key needs the scope). Discourse said: {said}"
                ).format(method=method, path=path, user=self.username, said=said),
                status=status,
                code=code,
            )
        if status == 404 and path.startswith("/admin/"):
            return AuthError(
                _(
                    "Discourse answered 'not found' for {path}, an admin page, which is how it refuses a"
                    " key there: the API key may be wrong or revoked, {user} may not be staff, or"
                    " the key lacks the scope"
                ).format(path=path, user=self.username),
                status=status,
                code=code,
            )
        return ApiError(
            _("{method} {path} failed (HTTP {status}): {reason}").format(
                method=method, path=path, status=status, reason=said
            ),
            status=status,
            code=code,
        )


def _what_it_said(response: httpx.Response) -> tuple[str | None, str]:
    """The error's code and message from either of Discourse's conventions (or the status line)."""
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        return None, one_line(response.reason_phrase or f"HTTP {response.status_code}")
    code = body.get("error_type") if isinstance(body.get("error_type"), str) else None
    errors = body.get("errors")
    if isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        return code, one_line(" ".join(errors))
    if isinstance(body.get("message"), str):
        return code or "failed", one_line(body["message"])
    if body.get("failed") == "FAILED":
        return "failed", _("the request failed (Discourse gave no reason)")
    return code, one_line(response.reason_phrase or f"HTTP {response.status_code}")


def refusal_words(response: httpx.Response) -> tuple[str | None, str]:
    """What a refusal said, as ``(error code, message)``, from either of Discourse's conventions."""
    return _what_it_said(response)
