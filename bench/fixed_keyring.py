"""A keyring for bench/startup.py's app: every token is one fixed string, nothing is stored.

The started app finds it through ``PYTHON_KEYRING_BACKEND=fixed_keyring.FixedKeyring``, so
it reads a token as it would from the user's keyring without a keyring service (or a dialog
asking for the token) on the benchmark machine.
"""

from __future__ import annotations

import keyring.backend

TOKEN = "bench-token"


class FixedKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        return TOKEN

    def set_password(self, service: str, username: str, password: str) -> None:
        """Nothing is kept: the benchmark's token never changes."""

    def delete_password(self, service: str, username: str) -> None:
        """Nothing is kept, so nothing is deleted."""
