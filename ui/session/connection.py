"""What a failure says about the connection to the server: the status-bar label and the token's fate."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.net.errors import (
    ApiError,
    AuthError,
    BadServerAddress,
    MalformedResponse,
    ServerUnreachable,
    TlsError,
)

#: What the user reads when the server refused the token (English, marked for translation;
#: :func:`token_refused_text` is the text to show).
TOKEN_REFUSED = str(
    QT_TRANSLATE_NOOP(
        "Connection",
        "The token was refused by the server (expired or revoked): sending is paused until you "
        "give a new one; nothing queued is lost.",
    )
)


def token_refused_text() -> str:
    """:data:`TOKEN_REFUSED` in the user's language."""
    return QCoreApplication.translate("Connection", TOKEN_REFUSED)


def token_refused(error: BaseException) -> bool:
    """The server refused the token (401): the core paused sending until a new one is given."""
    return isinstance(error, AuthError) and error.status == 401


def connection_problem(error: BaseException) -> str | None:
    """A short label for what only the user can fix (a certificate, a refused token), else None."""
    if isinstance(error, TlsError):
        if error.certificate:
            return QCoreApplication.translate("Connection", "⚠ Certificate not verified")
        return QCoreApplication.translate("Connection", "⚠ No secure connection")
    if token_refused(error):
        return QCoreApplication.translate("Connection", "⚠ Token refused")
    return None


def vouches_for_token(error: BaseException) -> bool:
    """Whether a failed request still shows that the server took the token.

    Only an answer from the server vouches for it (not one that could not be
    read: a proxy's or a login page's, for instance).
    """
    return isinstance(error, ApiError) and not isinstance(
        error, AuthError | ServerUnreachable | TlsError | BadServerAddress | MalformedResponse
    )
