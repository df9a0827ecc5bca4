"""API tokens live in the OS keyring, and only there.

Where there is no usable keyring (a headless box without Secret Service),
:class:`NoKeyring` says so; the app then asks for the token once per session
and keeps it in memory only.
"""

from __future__ import annotations

import keyring
import keyring.errors

from desktop.i18n import _

SERVICE = "BadgeDesk"


class NoKeyring(Exception):
    """No OS keyring is available; the message says what to do about it."""


class TokenStore:
    """Tokens per server URL in the OS keyring.

    Thread safety: any thread (the keyring backends serialise themselves).
    """

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def _fail(self, error: Exception) -> NoKeyring:
        return NoKeyring(
            _(
                "No system keyring is available, so the API token cannot be stored;"
                " you will be asked for it each time BadgeDesk starts. ({error})"
            ).format(error=type(error).__name__)
        )

    def get(self, server_url: str) -> str | None:
        try:
            token: str | None = keyring.get_password(self.service, server_url)
        except keyring.errors.KeyringError as error:
            raise self._fail(error) from error
        return token

    def set(self, server_url: str, token: str) -> None:
        try:
            keyring.set_password(self.service, server_url, token)
        except keyring.errors.KeyringError as error:
            raise self._fail(error) from error

    def delete(self, server_url: str) -> None:
        try:
            keyring.delete_password(self.service, server_url)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as error:
            raise self._fail(error) from error
