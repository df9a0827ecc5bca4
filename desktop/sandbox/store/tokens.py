"""Who may call the sandbox: bearer tokens (kept only as hashes) and the members the demo tokens belong to."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from desktop.sandbox.store.database import StoreDatabase

Role = Literal["moderator", "member"]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a bearer token belongs to. Immutable; any thread."""

    name: str
    role: Role
    member_id: int | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenTable(StoreDatabase):
    """The ``tokens`` table. Thread safety: any thread (see ``StoreDatabase``)."""

    def add_token(self, token: str, *, name: str, role: Role, member_id: int | None) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO tokens (token_sha256, name, role, member_id) VALUES (?, ?, ?, ?)",
                (token_hash(token), name, role, member_id),
            )

    def revoke_token(self, token: str) -> bool:
        """Forget ``token``; whether it was known. (A demo token comes back at the next start.)"""
        with self._write() as conn:
            deleted = conn.execute("DELETE FROM tokens WHERE token_sha256 = ?", (token_hash(token),))
            return deleted.rowcount == 1

    def principal(self, token: str) -> Principal | None:
        row = (
            self._conn()
            .execute("SELECT name, role, member_id FROM tokens WHERE token_sha256 = ?", (token_hash(token),))
            .fetchone()
        )
        if row is None:
            return None
        return Principal(name=row[0], role=row[1], member_id=row[2])

    def demo_members(self) -> dict[str, tuple[int, str]]:
        """Members the demo tokens belong to: two ordinary ones and a suspended one."""
        conn = self._conn()
        active = conn.execute(
            "SELECT id, display_name FROM members WHERE status = 'active' AND groups = '' ORDER BY id LIMIT 2"
        ).fetchall()
        suspended = conn.execute(
            "SELECT id, display_name FROM members WHERE status = 'suspended' ORDER BY id LIMIT 1"
        ).fetchall()
        found: dict[str, tuple[int, str]] = {}
        for key, row in zip(("member", "member2"), active, strict=False):
            found[key] = (row[0], row[1])
        if suspended:
            found["member_suspended"] = (suspended[0][0], suspended[0][1])
        return found
