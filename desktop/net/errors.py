"""What can go wrong when talking to a community server.

Every message is meant for the status bar: specific, short, and free of
secrets (no token, no request headers).
"""

from __future__ import annotations

from desktop.domain import Badge, BadgeRequest


class ApiError(Exception):
    """A request failed; ``str(error)`` is a user-facing sentence."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class BadServerAddress(ApiError):
    """The server address cannot be used (not http/https, or plain http to a host that is not
    loopback); nothing was sent."""


class TlsError(ApiError):
    """No secure connection: the server's certificate could not be verified, or TLS could not
    be agreed. Not "offline", and never retried: it lasts until the server or the address is fixed."""

    def __init__(self, message: str, *, certificate: bool) -> None:
        super().__init__(message)
        #: The certificate failed verification (rather than TLS as such).
        self.certificate = certificate


class ServerUnreachable(ApiError):
    """No answer from the server (refused, timed out, or connections kept breaking): go offline."""

    def __init__(self, message: str, *, request_sent: bool = True) -> None:
        super().__init__(message)
        #: False when no request reached the server (the connection was refused): nothing
        #: can have been applied. True when a request went out and its answer was lost.
        self.request_sent = request_sent


class AuthError(ApiError):
    """The token is missing, wrong, or lacks the role (401 / 403)."""


class MalformedResponse(ApiError):
    """The server answered, but not with what API v1 promises; nothing was stored."""


class RunawayPaging(MalformedResponse):
    """The server's pages would never end (a cursor came back, or far more than it announced).

    Pages before the one that showed it were well-formed and may be stored;
    the sync stops there and resumes from them next time.
    """


class ServerBusy(ApiError):
    """Rate-limited or unavailable (429 / 5xx) on every bounded retry."""


class DecisionConflict(ApiError):
    """Another moderator decided the request first (409); ``current`` is its state now."""

    def __init__(self, message: str, current: BadgeRequest) -> None:
        super().__init__(message, status=409, code="conflict")
        self.current = current


class BadgeConflict(ApiError):
    """The badge changed on the server since the edit began, or its slug or name is taken (409).

    ``name_taken``: the title another badge holds, on a server whose badge
    names are unique (Discourse, which also makes the slug from the name):
    trying another slug would meet the same refusal, only a new title helps.
    """

    def __init__(self, message: str, current: Badge | None = None, *, name_taken: str | None = None) -> None:
        super().__init__(message, status=409, code="conflict")
        self.current = current
        self.name_taken = name_taken
