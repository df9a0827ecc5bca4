"""API keys of the Discourse face, and the demo's two: an admin key and a moderator's.

Discourse keys are made at /admin/api/keys: "All users" keys act as whoever
``Api-Username`` names (``system`` acts as the system user), "Single user" keys
only as their user. The demo has one of each: an all-users global key, printed
with ``system`` as its username, and a single-user key of the first active
moderator. Their secrets are kept in the data directory, so a client that saved
one keeps working after a restart or ``--reset``.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from desktop.sandbox.discourse.data import DiscourseData
from desktop.sandbox.discourse.data.schema import SYSTEM_USERNAME

KEYS_NAME = "discourse_keys.json"


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One API key. ``user_id`` is ``None`` for an all-users key. Immutable; any thread."""

    key: str
    description: str
    user_id: int | None = None


@dataclass(slots=True)
class ApiKeys:
    """The keys the server accepts. Thread safety: filled before serving, then only read."""

    by_key: dict[str, ApiKey] = field(default_factory=dict)

    def add(self, key: ApiKey) -> None:
        self.by_key[key.key] = key

    def lookup(self, key: str) -> ApiKey | None:
        return self.by_key.get(key)


@dataclass(frozen=True, slots=True)
class DemoKeys:
    """The demo's keys and the usernames to send with them, for the ready line. Immutable; any thread."""

    keys: ApiKeys
    tokens: dict[str, str]
    usernames: dict[str, str]


def _load(path: Path) -> dict[str, str]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {k: v for k, v in loaded.items() if isinstance(k, str) and isinstance(v, str) and v}


def _write_private(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def demo_moderator(data: DiscourseData) -> tuple[int, str] | None:
    """The member the moderator's key belongs to: the first active moderator (else an active admin)."""
    conn = data._conn()
    for condition in ("groups = 'staff'", "',' || groups || ',' LIKE '%,admins,%'"):
        row = conn.execute(
            f"SELECT id, username FROM members WHERE status = 'active' AND {condition} ORDER BY id LIMIT 1"
        ).fetchone()
        if row is not None:
            return int(row[0]), str(row[1])
    return None


def ensure_api_keys(data: DiscourseData, path: Path) -> DemoKeys:
    """The demo's keys, reusing the secrets saved in ``path`` (and saving new ones there)."""
    saved = _load(path)
    keys = ApiKeys()
    tokens: dict[str, str] = {"admin": saved.get("admin") or secrets.token_hex(32)}
    usernames = {"admin": SYSTEM_USERNAME}
    keys.add(ApiKey(tokens["admin"], "BadgeDesk demo: all users, global"))
    moderator = demo_moderator(data)
    if moderator is not None:
        tokens["moderator"] = saved.get("moderator") or secrets.token_hex(32)
        usernames["moderator"] = moderator[1]
        keys.add(ApiKey(tokens["moderator"], f"BadgeDesk demo: {moderator[1]} only, global", moderator[0]))
    if tokens != saved:
        _write_private(path, json.dumps(tokens, indent=2) + "\n")
    return DemoKeys(keys=keys, tokens=tokens, usernames=usernames)
