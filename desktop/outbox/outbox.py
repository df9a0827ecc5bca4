"""The outbox: changes the user made, kept in SQLite until the server confirms them.

:class:`Outbox` is the face the rest of the app uses; the work is done by the
package's modules: the store (the actions table), the kinds (what each kind
of action carries and how it is sent), the sender, holds, batches and undo.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.dialects.base import ServerSession
from desktop.domain import Action, ActionKind, ActionState, Award, Decision
from desktop.i18n import _
from desktop.outbox import batches, holds, undo
from desktop.outbox.kinds.awards import award_payloads, revoke_payloads
from desktop.outbox.sender import Sender
from desktop.outbox.store import actions as rows
from desktop.outbox.types import (
    NO_RETRY,
    Batch,
    BatchRowRecord,
    BatchSummary,
    DecisionSpec,
    DecisionUndo,
    OutboxError,
    PauseReason,
    RetryPolicy,
    SendProgress,
    SendReport,
)
from desktop.sync import KEY_ACTOR, KEY_OUTBOX_PAUSED

#: The most awards or revokes sent in one request, whatever the server takes (v1 allows up
#: to 10,000): progress is told and a pause or cancel heard between requests. Beyond this a
#: larger request saves no CPU here (bench/outbox.py: 58 ms per 1,000 awards at 500, 60 at 1,000).
MOST_PER_REQUEST = 500


class Outbox:
    """The durable queue of one community's actions.

    Thread safety: writes go through the cache's writer lock, so any thread
    may call; the application runs one :meth:`send_pending` at a time.
    """

    def __init__(self, cache: Cache, *, actor: str | None = None) -> None:
        self.cache = cache
        self._actor = actor
        self.sender = Sender(cache)

    @property
    def owner(self) -> str:
        """This outbox's name in its claims on actions it sends."""
        return self.sender.owner

    # --- who is acting ----------------------------------------------------------

    @property
    def actor(self) -> str:
        """The moderator the server knows the token as (recorded by sync)."""
        if self._actor is not None:
            return self._actor
        return self.cache.preferences().get(KEY_ACTOR, "")

    def remember_actor(self, name: str) -> None:
        with self.cache.write() as connection:
            Cache.set_preferences(connection, {KEY_ACTOR: name})

    # --- pause ------------------------------------------------------------------

    def paused(self) -> bool:
        return self.pause_reason() is not None

    def pause_reason(self) -> PauseReason | None:
        value = self.cache.preferences().get(KEY_OUTBOX_PAUSED)
        if value is None:
            return None
        try:
            return PauseReason(value)
        except ValueError:
            return PauseReason.USER

    def set_paused(self, paused: bool) -> None:
        """Pause or resume sending (the user); kept across restarts. A running send stops after its chunk."""
        with self.cache.write() as connection:
            Cache.set_preferences(connection, {KEY_OUTBOX_PAUSED: PauseReason.USER.value if paused else None})

    def pause_for(self, reason: PauseReason) -> bool:
        """Pause for ``reason`` unless already paused (a user's pause stays theirs to lift)."""
        with self.cache.write() as connection:
            result = connection.exec_driver_sql(
                "INSERT INTO preferences (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
                (KEY_OUTBOX_PAUSED, reason.value),
            )
            return bool(result.rowcount)

    def resume_from(self, reason: PauseReason) -> bool:
        """Resume if paused for ``reason`` (and for nothing else); whether it did."""
        with self.cache.write() as connection:
            result = connection.exec_driver_sql(
                "DELETE FROM preferences WHERE key = ? AND value = ?", (KEY_OUTBOX_PAUSED, reason.value)
            )
            return bool(result.rowcount)

    # --- queueing ---------------------------------------------------------------

    def queue(
        self, kind: ActionKind, payloads: Sequence[dict[str, Any]], *, batch_id: str | None = None
    ) -> list[Action]:
        """Commit new actions; when this returns they survive a crash."""
        actor = self.actor
        with self.cache.write() as connection:
            keys = rows.insert(connection, kind, payloads, batch_id, actor)
            return rows.by_keys(connection, keys)

    def queue_awards(
        self,
        member_ids: Iterable[int],
        badge_id: int,
        *,
        reason: str = "",
        notify: bool = True,
        message: str | None = None,
        batch_id: str | None = None,
    ) -> list[Action]:
        payloads = award_payloads(member_ids, badge_id, reason, notify, message)
        return self.queue(ActionKind.AWARD, payloads, batch_id=batch_id)

    def queue_revokes(
        self,
        member_ids: Iterable[int],
        badge_id: int,
        *,
        reason: str = "",
        notify: bool = False,
        batch_id: str | None = None,
    ) -> list[Action]:
        payloads = revoke_payloads(member_ids, badge_id, reason, notify=notify)
        return self.queue(ActionKind.REVOKE, payloads, batch_id=batch_id)

    def queue_decision(
        self,
        request_id: int,
        version: int,
        decision: Decision,
        *,
        reason: str = "",
        message: str | None = None,
        duplicates: Sequence[tuple[int, int]] = (),
        member_id: int | None = None,
        badge_id: int | None = None,
    ) -> Action:
        """Queue a decision on a request and its duplicates (``(id, version)`` pairs).

        The server settles them all or none, checked against the versions the
        moderator saw: someone else deciding first makes it a conflict.
        """
        spec = DecisionSpec(
            request_id, version, decision, reason, message, tuple(duplicates), member_id, badge_id
        )
        return self.queue_decisions([spec])[0]

    def queue_decisions(self, specs: Sequence[DecisionSpec]) -> list[Action]:
        """Queue several decisions in one transaction (a bulk approve or deny)."""
        return self.queue(ActionKind.DECIDE, [spec.payload() for spec in specs])

    def undo_decision(self, action_id: int) -> DecisionUndo:
        """Take back a decision: drop it while unsent, or revoke what an approval awarded."""
        actor = self.actor
        with self.cache.write() as connection:
            return undo.undo_decision(connection, action_id, actor)

    def approve_again(self, action_id: int) -> Action:
        """Award again what an approval gave and its undo revoked (the request stays decided)."""
        actor = self.actor
        with self.cache.write() as connection:
            return undo.approve_again(connection, action_id, actor)

    def queue_batch(
        self,
        kind: ActionKind,
        badge_id: int,
        member_ids: Sequence[int],
        *,
        reason: str = "",
        notify: bool = True,
        message: str | None = None,
        source: str = "",
        rows: Iterable[BatchRowRecord] = (),
        mass_award: bool = False,
        grants: Mapping[int, Award] | None = None,
        corrects: str | None = None,
    ) -> Batch:
        """Commit a batch, its actions and its input rows in one transaction.

        ``mass_award``: the awards go first by the server's mass award (one
        upload, then a verification of the holders), the rest one by one.
        ``grants``: for revokes, member id → the grant removed (a badge held
        several times; see :mod:`desktop.grants`); the others name none.
        ``corrects``: the id of the batch this one corrects (started from its history).
        """
        batch = batches.new_batch(
            kind,
            badge_id,
            reason=reason,
            notify=notify,
            message=message,
            source=source,
            actor=self.actor,
            corrects=corrects,
        )
        with self.cache.write() as connection:
            batches.insert(connection, batch, member_ids, rows, mass=mass_award, grants=grants)
            return batches.with_name(connection, batch)

    # --- reading ----------------------------------------------------------------

    def pending_count(self) -> int:
        """Actions not yet confirmed by the server (pending or in flight)."""
        with self.cache.read() as connection:
            return rows.unsent_count(connection)

    def counts(self) -> dict[ActionState, int]:
        with self.cache.read() as connection:
            return rows.counts(connection)

    def actions(
        self,
        states: Iterable[ActionState] | None = None,
        *,
        batch_id: str | None = None,
        limit: int | None = None,
    ) -> list[Action]:
        with self.cache.read() as connection:
            return rows.listing(connection, states, batch_id=batch_id, limit=limit)

    def batch(self, batch_id: str) -> Batch | None:
        with self.cache.read() as connection:
            return batches.get(connection, batch_id)

    def batch_members(self, batch_id: str) -> list[tuple[int, str]]:
        """A batch's members (id, as people read them), in its order: where a correction starts."""
        with self.cache.read() as connection:
            return batches.batch_members(connection, batch_id)

    def batches(self, *, limit: int = 200) -> list[BatchSummary]:
        """The newest batches first, each with its counts."""
        with self.cache.read() as connection:
            return batches.newest(connection, limit)

    def batch_summary(self, batch_id: str) -> BatchSummary:
        with self.cache.read() as connection:
            batch = batches.get(connection, batch_id)
            if batch is None:
                raise OutboxError(_("There is no batch {batch}.").format(batch=batch_id[:6]))
            return batches.summary(connection, batch)

    # --- the user's decisions ---------------------------------------------------

    def apply_anyway(self, action_ids: Iterable[int]) -> int:
        """Send held or conflicting awards again with the moderator's override; returns how many."""
        return holds.apply_anyway(self.cache, action_ids)

    def skip(self, action_ids: Iterable[int]) -> int:
        """Settle held, conflicting or failed actions without sending them."""
        return holds.skip(self.cache, action_ids)

    def discard_unsent(self, action_ids: Iterable[int] | None = None, *, batch_id: str | None = None) -> int:
        """Drop actions the server has not seen (pending, held, failed); in flight ones are kept."""
        return holds.discard_unsent(self.cache, action_ids, batch_id=batch_id)

    def retry_failed(self, action_ids: Iterable[int] | None = None) -> int:
        """Queue refused actions again, with their own keys; those of an undone batch stay."""
        return holds.retry_failed(self.cache, action_ids)

    def undo_batch(self, batch_id: str) -> Batch | None:
        """Drop the batch's unsent actions and reverse what it applied.

        Awards become revokes with the reason "undo of batch …" (and revokes
        become awards, without a message to the member). Actions still in
        flight are reversed too: the sender resolves them first and skips the
        reversal when they turn out not to have changed anything. Returns the
        batch of reversals, or None when there was nothing to reverse.
        """
        # Read before the write begins: a read through another connection
        # while this transaction holds the work file would wait for itself.
        actor = self.actor
        with self.cache.write() as connection:
            return batches.undo(connection, batch_id, actor)

    # --- sending ----------------------------------------------------------------

    def send_pending(
        self,
        session: ServerSession,
        *,
        batch_cap: int | None = None,
        cancel: CancelToken | None = None,
        progress: Callable[[SendProgress], None] | None = None,
        retry: RetryPolicy = NO_RETRY,
        clock: Callable[[], float] = time.monotonic,
    ) -> SendReport:
        """Send every unsent action, oldest first, awards and revokes in runs of the writer's cap
        (at most :data:`MOST_PER_REQUEST`).

        ``batch_cap`` sets another run length (a larger one than the writer
        takes is refused by it, and the run fails). Actions queued
        while this runs are sent too. A transient failure (the server gone or
        busy, a server error, an answer that cannot be read: the server may
        have applied the chunk) is retried with back-off as ``retry`` allows;
        then it is raised and the chunk stays ``sending`` for the next run. A
        refusal of the request itself (a 4xx other than auth) marks the chunk
        failed, for the user to see. What was confirmed so far stays
        confirmed. Pausing the outbox stops the run after the current chunk.
        """
        cap = min(session.writer.batch_cap if batch_cap is None else batch_cap, MOST_PER_REQUEST)
        with self.cache.user_waiting():
            return self.sender.send_pending(
                session, max(1, cap), cancel or CancelToken(), progress, retry, clock
            )
