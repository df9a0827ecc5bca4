"""The sandbox store as the v1 API writes to it: idempotency keys replayed, ``If-Match`` versions checked.

The community's data and its rules live in the table modules beside this one;
what is only the v1 API's promise (a retried key returns its first answer, a
stale version is refused) wraps them here, so another server face can share
the same data and rules without these promises.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from desktop.dialects.badgedesk_v1.wire import (
    BadgeCreateIn,
    BadgeOut,
    BadgeUpdateIn,
    BatchAwardItem,
    BatchItemResult,
    BatchRevokeItem,
    Counts,
    DecisionIn,
    DecisionOut,
    GroupChangeOut,
)
from desktop.domain import BadgeState
from desktop.sandbox.store.activity import ActivityTable
from desktop.sandbox.store.awards import Applied
from desktop.sandbox.store.badges import BadgeTable
from desktop.sandbox.store.errors import StoreError
from desktop.sandbox.store.feed import ChangesFeed
from desktop.sandbox.store.groups import GroupTable
from desktop.sandbox.store.members import MemberTable
from desktop.sandbox.store.requests import RequestTable
from desktop.sandbox.store.tokens import TokenTable

_Item = TypeVar("_Item", BatchAwardItem, BatchRevokeItem)


class SandboxStore(ActivityTable, ChangesFeed, GroupTable, RequestTable, BadgeTable, MemberTable, TokenTable):
    """All reads and writes of the sandbox database.

    Thread safety: any thread. Each thread gets its own connection (WAL lets
    readers run beside the writer); writes are serialised by one lock and run
    in ``BEGIN IMMEDIATE`` transactions.
    """

    def counts(self) -> tuple[Counts, int]:
        """The community's counts and the current change position, from one snapshot."""
        with self._read() as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        counts = Counts(
            members=meta.get("members", 0),
            badges=meta.get("badges", 0),
            awards=meta.get("awards", 0),
            requests=meta.get("pending_requests", 0),
        )
        return counts, meta.get("seq", 0)

    # --- idempotency keys -----------------------------------------------------

    @staticmethod
    def _replay(conn: sqlite3.Connection, key: str, kind: str) -> str | None:
        row = conn.execute("SELECT kind, result FROM idempotency WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        if row[0] != kind:
            raise StoreError(
                422, "idempotency_key_reused", f"The idempotency key {key!r} was already used for a {row[0]}."
            )
        return str(row[1])

    def _remember(self, conn: sqlite3.Connection, key: str, kind: str, result: str) -> None:
        conn.execute(
            "INSERT INTO idempotency (key, kind, result, created_at) VALUES (?, ?, ?, ?)",
            (key, kind, result, self._now()),
        )

    # --- badges ---------------------------------------------------------------

    def create_badge(self, body: BadgeCreateIn, image: tuple[bytes, str] | None) -> BadgeOut:
        now = self._now()
        with self._write() as conn:
            if body.idempotency_key is not None:
                stored = self._replay(conn, body.idempotency_key, "badge create")
                if stored is not None:
                    return BadgeOut.model_validate_json(stored)
            created = self._insert_badge(conn, body, image, now)
            if body.idempotency_key is not None:
                self._remember(conn, body.idempotency_key, "badge create", created.model_dump_json())
            return created

    def _check_version(self, current: BadgeOut, if_match: int | None) -> None:
        if if_match is not None and if_match != current.version:
            raise StoreError(
                409,
                "conflict",
                f"Badge {current.id} is at version {current.version}, not {if_match}; reload and retry.",
            )

    def update_badge(
        self, badge_id: int, body: BadgeUpdateIn, image: tuple[bytes, str] | None, *, if_match: int | None
    ) -> BadgeOut:
        changes: dict[str, Any] = {
            name: getattr(body, name)
            for name in ("title", "description", "criteria", "tier", "category", "award_message")
            if getattr(body, name) is not None
        }
        if image is not None:
            changes["image"], changes["image_media_type"] = image
        with self._write() as conn:
            if body.idempotency_key is not None:
                stored = self._replay(conn, body.idempotency_key, "badge update")
                if stored is not None:
                    return BadgeOut.model_validate_json(stored)
            current = self._badge_row(conn, badge_id)
            self._check_version(current, if_match)
            updated = self._update_badge(conn, badge_id, changes)
            if body.idempotency_key is not None:
                self._remember(conn, body.idempotency_key, "badge update", updated.model_dump_json())
            return updated

    def set_badge_state(
        self, badge_id: int, state: BadgeState, *, if_match: int | None, idempotency_key: str | None = None
    ) -> BadgeOut:
        with self._write() as conn:
            if idempotency_key is not None:
                stored = self._replay(conn, idempotency_key, "badge state")
                if stored is not None:
                    return BadgeOut.model_validate_json(stored)
            current = self._badge_row(conn, badge_id)
            self._check_version(current, if_match)
            if current.state is state:
                return current
            changed = self._change_badge_state(conn, badge_id, state)
            if idempotency_key is not None:
                self._remember(conn, idempotency_key, "badge state", changed.model_dump_json())
            return changed

    # --- awards ---------------------------------------------------------------

    def award_batch(self, items: Sequence[BatchAwardItem], *, granted_by: str) -> list[BatchItemResult]:
        """Apply every item in one transaction; a key seen before returns its first result."""
        return self._apply_batch(
            items,
            "award",
            lambda conn, item: self._award(
                conn,
                member_id=item.member_id,
                badge_id=item.badge_id,
                granted_by=granted_by,
                reason=item.reason,
                notify=item.notify,
                message=item.message,
                force=item.force,
            ),
        )

    def revoke_batch(self, items: Sequence[BatchRevokeItem], *, revoked_by: str) -> list[BatchItemResult]:
        return self._apply_batch(
            items,
            "revoke",
            lambda conn, item: self._revoke(
                conn,
                member_id=item.member_id,
                badge_id=item.badge_id,
                revoked_by=revoked_by,
                reason=item.reason,
                notify=item.notify,
            ),
        )

    def _apply_batch(
        self,
        items: Sequence[_Item],
        kind: str,
        apply: Callable[[sqlite3.Connection, _Item], Applied],
    ) -> list[BatchItemResult]:
        results: list[BatchItemResult] = []
        with self._write() as conn:
            for item in items:
                stored = self._replay(conn, item.idempotency_key, kind)
                if stored is not None:
                    first = BatchItemResult.model_validate_json(stored)
                    results.append(first.model_copy(update={"replayed": True}))
                    continue
                outcome, award, condition = apply(conn, item)
                result = BatchItemResult(
                    idempotency_key=item.idempotency_key,
                    outcome=outcome,
                    award=award,
                    replayed=False,
                    condition=condition,
                )
                self._remember(conn, item.idempotency_key, kind, result.model_dump_json())
                results.append(result)
        return results

    # --- groups ---------------------------------------------------------------

    def change_group_members(
        self, group_id: int, member_ids: Sequence[int], *, add: bool, idempotency_key: str
    ) -> GroupChangeOut:
        """Add the members to the group (or remove them) in one transaction; a key seen before
        returns its first answer (``replayed``), for whichever group it was used with."""
        kind = "group add" if add else "group remove"
        with self._write() as conn:
            stored = self._replay(conn, idempotency_key, kind)
            if stored is not None:
                first = GroupChangeOut.model_validate_json(stored)
                if first.group.id != group_id:
                    raise StoreError(
                        422,
                        "idempotency_key_reused",
                        f"The idempotency key {idempotency_key!r} was used for group {first.group.id}.",
                    )
                return first.model_copy(update={"replayed": True})
            change = self._change_members(conn, group_id, member_ids, add=add)
            result = GroupChangeOut(
                group=change.group,
                changed=change.changed,
                unchanged=change.unchanged,
                missing=change.missing,
                replayed=False,
            )
            self._remember(conn, idempotency_key, kind, result.model_dump_json())
            return result

    # --- requests -------------------------------------------------------------

    def decide(
        self, request_id: int, body: DecisionIn, *, expected_version: int, moderator: str
    ) -> DecisionOut:
        """Decide a pending request and its duplicates (see ``RequestTable._decide``).

        Only successful decisions are remembered under the idempotency key: a
        refused one changed nothing, so repeating it must be refused again.
        """
        with self._write() as conn:
            if body.idempotency_key is not None:
                stored = self._replay(conn, body.idempotency_key, "decision")
                if stored is not None:
                    return DecisionOut.model_validate_json(stored)
            result = self._decide(
                conn, request_id, body, expected_version=expected_version, moderator=moderator
            )
            if body.idempotency_key is not None:
                self._remember(conn, body.idempotency_key, "decision", result.model_dump_json())
            return result
