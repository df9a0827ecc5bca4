"""API keys of the Discourse face, and the demo's four: an admin key and three of a moderator's.

Discourse keys are made at /admin/api/keys: "All users" keys act as whoever
``Api-Username`` names (``system`` acts as the system user), "Single user" keys
only as their user; a key is global, read-only (``global:read``) or granular
(chosen scopes, see ``scopes``). The demo has an all-users global key, printed
with ``system`` as its username, and three single-user keys of the first active
moderator: global, read-only, and granular with the scopes BadgeDesk writes
with (FACTS.md § API keys: the least-privilege setup is the read-only key plus
the granular one). Their secrets are kept in the data directory, so a client
that saved one keeps working after a restart or ``--reset``.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from desktop.sandbox.discourse.data import DiscourseData
from desktop.sandbox.discourse.data.schema import SYSTEM_USERNAME
from desktop.sandbox.discourse.scopes import READ_ONLY, KeyScope, parse_scope

KEYS_NAME = "discourse_keys.json"

#: The demo's granular key: what BadgeDesk needs to work without a global key (FACTS.md § API keys),
#: besides the read-only key's reads. Mass award, the holders list and unsuspend need a global key.
BADGEDESK_SCOPES: tuple[KeyScope, ...] = tuple(
    parse_scope(name)
    for name in (
        "badges:assign_badge_to_user",
        "badges:revoke_badge_from_user",
        "badges:list_user_badges",
        "badges:list",
        "badges:create",
        "badges:update",
        "badges:delete",
        "uploads:create",
        "topics:write",
        "topics:read",
        "topics:read_lists",
        "topics:status",
        "users:list",
        "users:show",
        "users:suspend",
        "users:delete",
        "categories:list",
        "categories:show",
    )
)


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One API key. ``user_id`` is ``None`` for an all-users key; no ``scopes``: a global key.

    Immutable; any thread.
    """

    key: str
    description: str
    user_id: int | None = None
    scopes: tuple[KeyScope, ...] = ()


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
        user_id, username = moderator
        for name, scopes, kind in (
            ("moderator", (), "global"),
            ("read_only", READ_ONLY, "read-only"),
            ("granular", BADGEDESK_SCOPES, "granular"),
        ):
            tokens[name] = saved.get(name) or secrets.token_hex(32)
            usernames[name] = username
            keys.add(ApiKey(tokens[name], f"BadgeDesk demo: {username} only, {kind}", user_id, scopes))
    if tokens != saved:
        _write_private(path, json.dumps(tokens, indent=2) + "\n")
    return DemoKeys(keys=keys, tokens=tokens, usernames=usernames)
