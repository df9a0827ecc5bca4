"""A keyring kept in a JSON file (``BADGEDESK_TEST_KEYRING``), so a test sees what a BadgeDesk it
started as a process did to the keys: ``PYTHON_KEYRING_BACKEND=tests.ui.file_keyring.FileKeyring``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors


class FileKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's __init__ has no annotations

    @staticmethod
    def _path() -> Path:
        return Path(os.environ["BADGEDESK_TEST_KEYRING"])

    def _all(self) -> dict[str, str]:
        path = self._path()
        stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
        return stored

    def get_password(self, service: str, username: str) -> str | None:
        return self._all().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._path().write_text(json.dumps({**self._all(), f"{service}/{username}": password}))

    def delete_password(self, service: str, username: str) -> None:
        stored = self._all()
        if stored.pop(f"{service}/{username}", None) is None:
            raise keyring.errors.PasswordDeleteError(username)
        self._path().write_text(json.dumps(stored))
