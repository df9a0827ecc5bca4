"""Telling a TLS failure apart from a server that is not there.

httpx reports both as ``ConnectError``; the ``ssl`` error behind it decides.
A certificate that cannot be verified is not "offline" and does not get
better by asking again, so it becomes its own error, for the user to act on.
"""

from __future__ import annotations

import ssl

from desktop.i18n import _
from desktop.net.errors import TlsError


def tls_failure(error: BaseException, host: str) -> TlsError | None:
    """The TLS failure behind a connection error, as a :class:`TlsError`; None for any other cause."""
    cause: BaseException | None = error
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or cause.reason or _("unknown reason")
            return TlsError(
                _(
                    "The server's certificate could not be verified ({reason}): nothing was sent to {host};"
                    " check the server address, or ask its administrator for a valid certificate."
                ).format(reason=reason, host=host),
                certificate=True,
            )
        if isinstance(cause, ssl.SSLError):
            reason = cause.reason or type(cause).__name__
            return TlsError(
                _(
                    "No secure connection could be made to {host} ({reason}): nothing was sent; check that"
                    " the address and port are those of the server's https service."
                ).format(host=host, reason=reason),
                certificate=False,
            )

        cause = cause.__cause__ or cause.__context__
    return None
