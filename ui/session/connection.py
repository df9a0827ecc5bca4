"""What a failure says about the connection to the server: the status-bar label and the token's fate."""

from __future__ import annotations

from desktop.net.errors import (
    ApiError,
    AuthError,
    BadServerAddress,
    MalformedResponse,
    ServerUnreachable,
    TlsError,
)

#: What the user reads when the server refused the token.
TOKEN_REFUSED = (
    "The token was refused by the server (expired or revoked): sending is paused until you "
    "give a new one; nothing queued is lost."
)


def token_refused(error: BaseException) -> bool:
    """The server refused the token (401): the core paused sending until a new one is given."""
    return isinstance(error, AuthError) and error.status == 401


def connection_problem(error: BaseException) -> str | None:
    """A short label for what only the user can fix (a certificate, a refused token), else None."""
    if isinstance(error, TlsError):
        return "⚠ Certificate not verified" if error.certificate else "⚠ No secure connection"
    if token_refused(error):
        return "⚠ Token refused"
    return None


def vouches_for_token(error: BaseException) -> bool:
    """Whether a failed request still shows that the server took the token.

    Only an answer from the server vouches for it (not one that could not be
    read: a proxy's or a login page's, for instance).
    """
    return isinstance(error, ApiError) and not isinstance(
        error, AuthError | ServerUnreachable | TlsError | BadServerAddress | MalformedResponse
    )
