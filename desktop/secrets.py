"""API tokens live in the OS keyring, and only there.

Where there is no usable keyring (a headless box without Secret Service),
:class:`NoKeyring` says so; the app then asks for the token once per session
and keeps it in memory only.
"""

from __future__ import annotations

import contextlib

import keyring
import keyring.errors

from desktop import paths
from desktop.i18n import _

SERVICE = "BadgeDesk"


class NoKeyring(Exception):
    """No OS keyring is available; the message says what to do about it."""


class TokenStore:
    """Tokens per profile in the OS keyring, under the profile's id (:func:`desktop.paths.profile_id`).

    ``profile`` is the server's URL (or a profile's id): ``https://x.org`` and
    ``https://X.org:443/`` share one entry, ``http://x.org`` has its own. An entry an older
    BadgeDesk stored under the URL as typed is moved to the id when first read.

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

    def get(self, profile: str) -> str | None:
        key = paths.profile_id(profile)
        try:
            token: str | None = keyring.get_password(self.service, key)
            if token is None:
                token = self._adopt_legacy(profile, key)
        except keyring.errors.KeyringError as error:
            raise self._fail(error) from error
        return token

    def _adopt_legacy(self, profile: str, key: str) -> str | None:
        for legacy in _legacy_keys(profile):
            if legacy == key:
                continue
            token: str | None = keyring.get_password(self.service, legacy)
            if token is not None:
                # Stored under the id first, then the old entry deleted: never neither.
                keyring.set_password(self.service, key, token)
                with contextlib.suppress(keyring.errors.PasswordDeleteError):
                    keyring.delete_password(self.service, legacy)
                return token
        return None

    def set(self, profile: str, token: str) -> None:
        try:
            keyring.set_password(self.service, paths.profile_id(profile), token)
        except keyring.errors.KeyringError as error:
            raise self._fail(error) from error

    def delete(self, profile: str) -> None:
        key = paths.profile_id(profile)
        for name in dict.fromkeys([key, *_legacy_keys(profile)]):
            try:
                keyring.delete_password(self.service, name)
            except keyring.errors.PasswordDeleteError:
                pass
            except keyring.errors.NoKeyringError:
                # No keyring at all: nothing was stored (the key was kept for a session only).
                return
            except keyring.errors.KeyringError as error:
                raise self._fail(error) from error


def _legacy_keys(profile: str) -> list[str]:
    """Where BadgeDesk before profile ids kept this URL's token: the URL as given, without a final slash."""
    url = profile.strip()
    return list(dict.fromkeys([url.rstrip("/"), url]))
