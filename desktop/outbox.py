"""The outbox: changes the user made, kept in SQLite until the server confirms them.

An action is committed with its idempotency key *before* anyone is told it is
queued. The sender marks a chunk ``sending`` (and commits) before the request
goes out; after a crash or a lost answer that chunk is sent again with the
same keys, and the server returns the first result instead of applying twice.

Before a never-sent award goes out, the sender compares it with the cache
(synced on reconnect); the server's answer names what it found. Both are read
with one table (``desktop.drift.DRIFT``), so a member suspended or deleted, a
badge disabled or retired, a badge already held or no longer held end the
same way whether or not a sync ran first: applied, a no-op, or *held* for the
user to apply anyway or skip, never dropped.

Batches group actions made together (a list, a selection) so the user can
follow, undo and report them as one.

Several senders may work on one profile (two windows, two processes): an
action is *claimed* in the same atomic ``UPDATE … RETURNING`` that marks it
in flight, with the sender's name and a lease. No sender sends an action
another one holds a live claim on, so no two ever send the same action, and
each reports only what it sent itself. A claim of a sender that died (its
process is gone, or its lease ran out) is taken over, with the same keys.
"""

from __future__ import annotations

import base64
import enum
import json
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, or_, select

from desktop.cache import schema
from desktop.cache.database import Cache, from_epoch, to_epoch
from desktop.cancellation import CancelToken
from desktop.dialects.base import AwardItem, BadgeEditor, ItemResult, RequestDesk, RevokeItem, ServerSession
from desktop.domain import (
    Action,
    ActionKind,
    ActionState,
    Award,
    AwardOutcome,
    Badge,
    BadgeState,
    ChangeSet,
    Decision,
    new_idempotency_key,
    utc_now,
)
from desktop.drift import HELD_KINDS, Category, hold_before_sending, read_answer
from desktop.drift import NOOP_OUTCOMES as NOOP_OUTCOMES
from desktop.drift import HoldReason as HoldReason
from desktop.net.errors import (
    ApiError,
    AuthError,
    BadgeConflict,
    DecisionConflict,
    MalformedResponse,
    ServerBusy,
    ServerUnreachable,
    TlsError,
)
from desktop.sync import KEY_ACTOR, KEY_LAST_SYNC, KEY_OUTBOX_PAUSED

_ACTOR_KEY = KEY_ACTOR
_PAUSED_KEY = KEY_OUTBOX_PAUSED


class PauseReason(enum.StrEnum):
    """Why sending is paused: the value kept under the pause key."""

    #: The user paused ("1": what earlier versions kept).
    USER = "1"
    #: The server refused the token (401); lifted when a new token is given.
    TOKEN_REFUSED = "token_refused"


#: Outcomes that changed something on the server.
APPLIED_OUTCOMES = frozenset({"awarded", "revoked", "approved", "denied", "returned"})


def _effective_outcome(row: RowMapping) -> str | None:
    """The outcome, except that an approval which granted nothing (the badge was held) changed nothing."""
    outcome: str | None = row["outcome"]
    granted = json.loads(row["result"] or "{}").get("award_id") is not None
    if row["kind"] == ActionKind.DECIDE.value and outcome == "approved" and not granted:
        return "approved (already held)"
    return outcome


@dataclass(frozen=True, slots=True)
class DecisionSpec:
    """A moderator's decision on a request (and its duplicates), ready to queue."""

    request_id: int
    version: int
    decision: Decision
    reason: str = ""
    message: str | None = None
    duplicates: tuple[tuple[int, int], ...] = ()
    member_id: int | None = None
    badge_id: int | None = None

    def payload(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "version": self.version,
            "decision": self.decision.value,
            "reason": self.reason,
            "message": self.message,
            "duplicates": [[i, v] for i, v in self.duplicates],
            "member_id": self.member_id,
            "badge_id": self.badge_id,
        }


@dataclass(frozen=True, slots=True)
class DecisionUndo:
    """What undoing a decision did: dropped it unsent, queued a revoke, or nothing was needed."""

    action_id: int
    dropped: bool
    reversal: Action | None


class OutboxError(Exception):
    """A request the outbox cannot carry out; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class SendProgress:
    done: int
    total: int
    #: Seconds since the send began.
    elapsed: float = 0.0
    #: Estimated seconds left, from the pace so far (None before the first answer).
    eta: float | None = None


@dataclass(frozen=True, slots=True)
class SendReport:
    #: Unsent actions when the send began (plus any queued while it ran).
    queued: int
    #: Confirmed by the server: applied or no-op.
    done: int
    conflicts: int
    failed: int
    changes: ChangeSet
    held: int = 0
    applied: int = 0
    noop: int = 0
    #: Stopped early because the outbox was paused.
    paused: bool = False


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often a chunk is re-sent after a transient failure, and how long to wait.

    The connector already retries each HTTP request a few times; this covers
    longer outages (a restarting server) without giving up the run.
    """

    attempts: int = 4
    first_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, attempt: int) -> float:
        return float(min(self.max_delay, self.first_delay * 2 ** (attempt - 1)))


NO_RETRY = RetryPolicy(attempts=1)


@dataclass(frozen=True, slots=True)
class Batch:
    id: str
    kind: ActionKind
    badge_id: int
    reason: str
    notify: bool
    message: str | None
    source: str
    actor: str
    created_at: datetime
    undo_of: str | None = None
    undone_by: str | None = None

    @property
    def label(self) -> str:
        """Short, stable name shown to the user ("batch 3f2a9c")."""
        return f"batch {self.id[:6]}"


@dataclass(frozen=True, slots=True)
class BatchSummary:
    batch: Batch
    total: int = 0
    applied: int = 0
    noop: int = 0
    conflict: int = 0
    held: int = 0
    failed: int = 0
    pending: int = 0
    sending: int = 0
    skipped: int = 0

    @property
    def unsent(self) -> int:
        return self.pending + self.sending

    @property
    def finished(self) -> bool:
        return not (self.unsent or self.conflict or self.held or self.failed)


@dataclass(frozen=True, slots=True)
class BatchRowRecord:
    """One input row of a batch and what the dry run made of it."""

    row: int
    input: str
    status: str
    detail: str | None = None
    member_id: int | None = None


class Outbox:
    """The durable queue of one community's actions.

    Thread safety: writes go through the cache's writer lock, so any thread
    may call; the application runs one :meth:`send_pending` at a time.
    """

    def __init__(self, cache: Cache, *, actor: str | None = None) -> None:
        self.cache = cache
        self._actor = actor
        #: Names this sender in its claims: the machine, the process, and this outbox.
        self.owner = f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        #: Senders found dead whose claims this one may take over.
        self._dead_owners: set[str] = set()

    # --- who is acting ----------------------------------------------------------

    @property
    def actor(self) -> str:
        """The moderator the server knows the token as (recorded by sync)."""
        if self._actor is not None:
            return self._actor
        return self.cache.preferences().get(_ACTOR_KEY, "")

    def remember_actor(self, name: str) -> None:
        with self.cache.write() as connection:
            Cache.set_preferences(connection, {_ACTOR_KEY: name})

    # --- pause ----------------------------------------------------------------

    def paused(self) -> bool:
        return self.pause_reason() is not None

    def pause_reason(self) -> PauseReason | None:
        value = self.cache.preferences().get(_PAUSED_KEY)
        if value is None:
            return None
        try:
            return PauseReason(value)
        except ValueError:
            return PauseReason.USER

    def set_paused(self, paused: bool) -> None:
        """Pause or resume sending (the user); kept across restarts. A running send stops after its chunk."""
        with self.cache.write() as connection:
            Cache.set_preferences(connection, {_PAUSED_KEY: PauseReason.USER.value if paused else None})

    def pause_for(self, reason: PauseReason) -> bool:
        """Pause for ``reason`` unless already paused (a user's pause stays theirs to lift)."""
        with self.cache.write() as connection:
            result = connection.exec_driver_sql(
                "INSERT INTO preferences (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
                (_PAUSED_KEY, reason.value),
            )
            return bool(result.rowcount)

    def resume_from(self, reason: PauseReason) -> bool:
        """Resume if paused for ``reason`` (and for nothing else); whether it did."""
        with self.cache.write() as connection:
            result = connection.exec_driver_sql(
                "DELETE FROM preferences WHERE key = ? AND value = ?", (_PAUSED_KEY, reason.value)
            )
            return bool(result.rowcount)

    # --- queueing -------------------------------------------------------------

    def queue(
        self, kind: ActionKind, payloads: Sequence[dict[str, Any]], *, batch_id: str | None = None
    ) -> list[Action]:
        """Commit new actions; when this returns they survive a crash."""
        with self.cache.write() as connection:
            keys = self._insert(connection, kind, payloads, batch_id, self.actor)
            return self._by_keys(connection, keys)

    @staticmethod
    def _insert(
        connection: Connection,
        kind: ActionKind,
        payloads: Iterable[dict[str, Any]],
        batch_id: str | None,
        actor: str,
    ) -> list[str]:
        now = to_epoch(utc_now())
        rows = [
            {
                "kind": kind.value,
                "payload": json.dumps(payload, sort_keys=True),
                "idempotency_key": new_idempotency_key(),
                "state": ActionState.PENDING.value,
                "batch_id": batch_id,
                "created_at": now,
                "updated_at": now,
                "member_id": payload.get("member_id"),
                "badge_id": payload.get("badge_id"),
                "request_id": payload.get("request_id"),
                "actor": actor,
            }
            for payload in payloads
        ]
        if rows:
            connection.execute(schema.actions.insert(), rows)
        return [str(row["idempotency_key"]) for row in rows]

    @staticmethod
    def _by_keys(connection: Connection, keys: Sequence[str]) -> list[Action]:
        actions: list[Action] = []
        table = schema.actions
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            rows = connection.execute(select(table).where(table.c.idempotency_key.in_(part)))
            actions.extend(_action(row._mapping) for row in rows)
        actions.sort(key=lambda a: a.id)
        return actions

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
        return self.queue(
            ActionKind.AWARD,
            _award_payloads(member_ids, badge_id, reason, notify, message),
            batch_id=batch_id,
        )

    def queue_revokes(
        self, member_ids: Iterable[int], badge_id: int, *, reason: str = "", batch_id: str | None = None
    ) -> list[Action]:
        payloads = _revoke_payloads(member_ids, badge_id, reason)
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
        payloads = [spec.payload() for spec in specs]
        with self.cache.write() as connection:
            keys = self._insert(connection, ActionKind.DECIDE, payloads, None, self.actor)
            return self._by_keys(connection, keys)

    def undo_decision(self, action_id: int) -> DecisionUndo:
        """Take back a decision: drop it while unsent, or revoke what an approval awarded.

        A denial or a return the server has (or may have) seen cannot be taken
        back: the member was told. Undoing twice is refused.
        """
        with self.cache.write() as connection:
            rows = list(_rows_by_ids(connection, [action_id]))
            if not rows or rows[0]["kind"] != ActionKind.DECIDE.value:
                raise OutboxError("There is no such decision to undo.")
            row = rows[0]
            state = ActionState(row["state"])
            payload = json.loads(row["payload"])
            result = json.loads(row["result"] or "{}")
            decision = Decision(payload["decision"])
            if state is ActionState.DISCARDED or result.get("undone_by"):
                raise OutboxError("This decision was already undone.")
            if state in (ActionState.PENDING, *_WAITING):
                self._settle_in(connection, [action_id], (ActionState.PENDING, *_WAITING), "undone")
                return DecisionUndo(action_id, dropped=True, reversal=None)
            if decision is not Decision.APPROVE:
                raise OutboxError(
                    f"The {decision.value} was already sent and the member was told; it cannot be taken back."
                )
            if state is ActionState.DONE and result.get("award_id") is None:
                # The member already held the badge: the approval gave nothing.
                self._mark_undone(connection, row, result, "nothing")
                return DecisionUndo(action_id, dropped=False, reversal=None)
            member_id, badge_id = row["member_id"], row["badge_id"]
            if member_id is None or badge_id is None:
                raise OutboxError("This decision does not say whom it concerned; revoke the badge by hand.")
            revoke = {
                "member_id": member_id,
                "badge_id": badge_id,
                "reason": "undo",
                "undo_of_action": action_id,
            }
            key = self._insert(connection, ActionKind.REVOKE, [revoke], None, self.actor)
            reversal = self._by_keys(connection, key)[0]
            self._mark_undone(connection, row, result, reversal.id)
            return DecisionUndo(action_id, dropped=False, reversal=reversal)

    @staticmethod
    def _mark_undone(connection: Connection, row: RowMapping, result: dict[str, Any], by: Any) -> None:
        result = {**result, "undone_by": by}
        connection.execute(
            schema.actions.update()
            .where(schema.actions.c.id == row["id"])
            .values(result=json.dumps(result, sort_keys=True))
        )

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
    ) -> Batch:
        """Commit a batch, its actions and its input rows in one transaction."""
        if kind not in (ActionKind.AWARD, ActionKind.REVOKE):
            raise ValueError(f"A batch awards or revokes, not {kind.value!r}")
        batch = Batch(
            id=uuid.uuid4().hex,
            kind=kind,
            badge_id=badge_id,
            reason=reason,
            notify=notify,
            message=message,
            source=source,
            actor=self.actor,
            created_at=utc_now().replace(microsecond=0),
        )
        if kind is ActionKind.AWARD:
            payloads = _award_payloads(member_ids, badge_id, reason, notify, message)
        else:
            payloads = _revoke_payloads(member_ids, badge_id, reason)
        with self.cache.write() as connection:
            self._insert_batch(connection, batch)
            self._insert(connection, kind, payloads, batch.id, batch.actor)
            chunk: list[dict[str, Any]] = []
            for record in rows:
                chunk.append(
                    {
                        "batch_id": batch.id,
                        "row": record.row,
                        "input": record.input,
                        "status": record.status,
                        "detail": record.detail,
                        "member_id": record.member_id,
                    }
                )
                if len(chunk) >= 5000:
                    connection.execute(schema.batch_rows.insert(), chunk)
                    chunk = []
            if chunk:
                connection.execute(schema.batch_rows.insert(), chunk)
        return batch

    @staticmethod
    def _insert_batch(connection: Connection, batch: Batch) -> None:
        connection.execute(
            schema.batches.insert().values(
                id=batch.id,
                kind=batch.kind.value,
                badge_id=batch.badge_id,
                reason=batch.reason,
                notify=int(batch.notify),
                message=batch.message,
                source=batch.source,
                actor=batch.actor,
                created_at=to_epoch(batch.created_at),
                undo_of=batch.undo_of,
            )
        )

    # --- reading --------------------------------------------------------------

    def pending_count(self) -> int:
        """Actions not yet confirmed by the server (pending or in flight)."""
        table = schema.actions
        with self.cache.read() as connection:
            unsent = [state.value for state in ActionState if state.unsent]
            value = connection.execute(select(func.count()).where(table.c.state.in_(unsent))).scalar()
            return int(value or 0)

    def counts(self) -> dict[ActionState, int]:
        table = schema.actions
        with self.cache.read() as connection:
            rows = connection.execute(select(table.c.state, func.count()).group_by(table.c.state))
            return {ActionState(state): int(n) for state, n in rows}

    def actions(
        self,
        states: Iterable[ActionState] | None = None,
        *,
        batch_id: str | None = None,
        limit: int | None = None,
    ) -> list[Action]:
        table = schema.actions
        statement = select(table).order_by(table.c.id)
        if states is not None:
            statement = statement.where(table.c.state.in_([s.value for s in states]))
        if batch_id is not None:
            statement = statement.where(table.c.batch_id == batch_id)
        if limit is not None:
            statement = statement.limit(limit)
        with self.cache.read() as connection:
            return [_action(row._mapping) for row in connection.execute(statement)]

    def batch(self, batch_id: str) -> Batch | None:
        with self.cache.read() as connection:
            row = connection.execute(select(schema.batches).where(schema.batches.c.id == batch_id)).first()
            return None if row is None else _batch(row._mapping)

    def batches(self, *, limit: int = 200) -> list[BatchSummary]:
        """The newest batches first, each with its counts."""
        table = schema.batches
        with self.cache.read() as connection:
            rows = connection.execute(select(table).order_by(table.c.created_at.desc()).limit(limit))
            batches = [_batch(row._mapping) for row in rows]
            return [self._summary(connection, batch) for batch in batches]

    def batch_summary(self, batch_id: str) -> BatchSummary:
        with self.cache.read() as connection:
            row = connection.execute(select(schema.batches).where(schema.batches.c.id == batch_id)).first()
            if row is None:
                raise OutboxError(f"There is no batch {batch_id[:6]}.")
            return self._summary(connection, _batch(row._mapping))

    @staticmethod
    def _summary(connection: Connection, batch: Batch) -> BatchSummary:
        counts = dict.fromkeys(
            ("applied", "noop", "conflict", "held", "failed", "pending", "sending", "skipped"), 0
        )
        total = 0
        rows = connection.exec_driver_sql(
            "SELECT state, outcome, COUNT(*) FROM actions WHERE batch_id = ? GROUP BY state, outcome",
            (batch.id,),
        )
        for state, outcome, n in rows:
            total += n
            counts[_bucket(ActionState(state), outcome)] += n
        return BatchSummary(batch=batch, total=total, **counts)

    # --- the user's decisions -------------------------------------------------

    def apply_anyway(self, action_ids: Iterable[int]) -> int:
        """Send held or conflicting awards again with the moderator's override.

        The override is a new request, so it gets a new idempotency key (the
        server remembers the refusal under the old one). Only actions whose
        reason a moderator can override are changed; returns how many.
        """
        table = schema.actions
        changed = 0
        now = to_epoch(utc_now())
        with self.cache.write() as connection:
            undone = _undone_batches(connection)
            for row in _rows_by_ids(connection, action_ids):
                reason = row["hold_reason"]
                state = ActionState(row["state"])
                if state not in (ActionState.HELD, ActionState.CONFLICT) or row["kind"] != "award":
                    continue
                if row["batch_id"] in undone:
                    continue
                if reason is None or not HoldReason(reason).forceable:
                    continue
                payload = json.loads(row["payload"])
                payload["force"] = True
                history = json.loads(row["result"] or "{}")
                history["overridden"] = {"key": row["idempotency_key"], "reason": reason}
                connection.execute(
                    table.update()
                    .where(table.c.id == row["id"])
                    .values(
                        state=ActionState.PENDING.value,
                        payload=json.dumps(payload, sort_keys=True),
                        idempotency_key=new_idempotency_key(),
                        result=json.dumps(history),
                        hold_reason=None,
                        outcome=None,
                        confirmed_at=None,
                        updated_at=now,
                    )
                )
                changed += 1
        return changed

    def skip(self, action_ids: Iterable[int]) -> int:
        """Settle held, conflicting or failed actions without sending them."""
        return self._settle(action_ids, _WAITING, "skipped")

    def discard_unsent(self, action_ids: Iterable[int] | None = None, *, batch_id: str | None = None) -> int:
        """Drop actions the server has not seen (pending, held, failed); returns how many.

        Actions in flight (``sending``) are kept: the server may have applied
        them, and only their answer can tell.
        """
        states = (ActionState.PENDING, *_WAITING)
        if action_ids is not None:
            return self._settle(action_ids, states, "discarded")
        table = schema.actions
        statement = select(table.c.id).where(table.c.state.in_([s.value for s in states]))
        if batch_id is not None:
            statement = statement.where(table.c.batch_id == batch_id)
        with self.cache.read() as connection:
            ids = [row[0] for row in connection.execute(statement)]
        return self._settle(ids, states, "discarded")

    def retry_failed(self, action_ids: Iterable[int] | None = None) -> int:
        """Queue refused actions again, with their own keys (the server applied none of them).

        Actions of a batch that was undone stay as they are.
        """
        table = schema.actions
        statement = table.update().where(table.c.state == ActionState.FAILED.value)
        if action_ids is not None:
            statement = statement.where(table.c.id.in_(list(action_ids)))
        with self.cache.write() as connection:
            undone = _undone_batches(connection)
            if undone:
                statement = statement.where(
                    table.c.batch_id.is_(None) | table.c.batch_id.not_in(sorted(undone))
                )
            result = connection.execute(
                statement.values(
                    state=ActionState.PENDING.value,
                    outcome=None,
                    last_error=None,
                    confirmed_at=None,
                    updated_at=to_epoch(utc_now()),
                )
            )
            return int(result.rowcount or 0)

    def _settle(self, action_ids: Iterable[int], states: Iterable[ActionState], outcome: str) -> int:
        with self.cache.write() as connection:
            return self._settle_in(connection, action_ids, states, outcome)

    @staticmethod
    def _settle_in(
        connection: Connection, action_ids: Iterable[int], states: Iterable[ActionState], outcome: str
    ) -> int:
        """Mark actions discarded (only those still in ``states``); returns how many changed."""
        table = schema.actions
        ids = list(action_ids)
        allowed = [s.value for s in states]
        changed = 0
        batches: set[str] = set()
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            result = connection.execute(
                table.update()
                .where(table.c.id.in_(part), table.c.state.in_(allowed))
                .values(state=ActionState.DISCARDED.value, outcome=outcome, updated_at=to_epoch(utc_now()))
            )
            changed += int(result.rowcount or 0)
            rows = connection.execute(
                select(table.c.batch_id).where(table.c.id.in_(part), table.c.batch_id.is_not(None)).distinct()
            )
            batches.update(row[0] for row in rows)
        _release_undone(connection, batches)
        return changed

    def undo_batch(self, batch_id: str) -> Batch | None:
        """Drop the batch's unsent actions and reverse what it applied.

        Awards become revokes with the reason "undo of batch …" (and revokes
        become awards, without a message to the member). Actions still in
        flight are reversed too: the sender resolves them first and skips the
        reversal when they turn out not to have changed anything. Returns the
        batch of reversals, or None when there was nothing to reverse.
        """
        table = schema.actions
        # Read before the write begins: a read through another connection
        # while this transaction holds the work file would wait for itself.
        actor = self.actor
        with self.cache.write() as connection:
            row = connection.execute(select(schema.batches).where(schema.batches.c.id == batch_id)).first()
            if row is None:
                raise OutboxError(f"There is no batch {batch_id[:6]}.")
            batch = _batch(row._mapping)
            # Marked first, in one statement: of two windows (or processes)
            # undoing the same batch at once, only one gets past this.
            marked = connection.execute(
                schema.batches.update()
                .where(schema.batches.c.id == batch_id, schema.batches.c.undone_by.is_(None))
                .values(undone_by="-")
            ).rowcount
            if not marked:
                raise OutboxError(f"The {batch.label} was already undone.")
            connection.execute(
                table.update()
                .where(
                    table.c.batch_id == batch_id,
                    table.c.state.in_([ActionState.PENDING.value, *(s.value for s in _WAITING)]),
                )
                .values(state=ActionState.DISCARDED.value, outcome="undone", updated_at=to_epoch(utc_now()))
            )
            applied = "awarded" if batch.kind is ActionKind.AWARD else "revoked"
            candidates = connection.execute(
                select(table.c.id, table.c.member_id, table.c.result).where(
                    table.c.batch_id == batch_id,
                    (table.c.state == ActionState.SENDING.value)
                    | ((table.c.state == ActionState.DONE.value) & (table.c.outcome == applied)),
                )
            ).all()
            # A badge the member already held, awarded again with "apply anyway",
            # was not given by this batch: undoing it must not take it away.
            reverse = [
                (action_id, member_id)
                for action_id, member_id, result in candidates
                if json.loads(result or "{}").get("overridden", {}).get("reason") != HoldReason.ALREADY_HELD
            ]
            undo: Batch | None = None
            if reverse:
                kind = ActionKind.REVOKE if batch.kind is ActionKind.AWARD else ActionKind.AWARD
                undo = Batch(
                    id=uuid.uuid4().hex,
                    kind=kind,
                    badge_id=batch.badge_id,
                    reason=f"undo of {batch.label}",
                    notify=False,
                    message=None,
                    source=f"undo of {batch.label}",
                    actor=actor,
                    created_at=utc_now().replace(microsecond=0),
                    undo_of=batch.id,
                )
                self._insert_batch(connection, undo)
                payloads = [
                    {
                        "member_id": member_id,
                        "badge_id": batch.badge_id,
                        "reason": undo.reason,
                        "undo_of_action": action_id,
                        **({"notify": False, "message": None} if kind is ActionKind.AWARD else {}),
                    }
                    for action_id, member_id in reverse
                ]
                self._insert(connection, kind, payloads, undo.id, undo.actor)
            connection.execute(
                schema.batches.update()
                .where(schema.batches.c.id == batch_id)
                .values(undone_by=undo.id if undo is not None else "-")
            )
            _release_undone(connection, [batch_id])
            return undo

    # --- sending --------------------------------------------------------------

    def send_pending(
        self,
        session: ServerSession,
        *,
        batch_cap: int,
        cancel: CancelToken | None = None,
        progress: Callable[[SendProgress], None] | None = None,
        retry: RetryPolicy = NO_RETRY,
        clock: Callable[[], float] = time.monotonic,
    ) -> SendReport:
        """Send every unsent action, oldest first, in chunks of ``batch_cap``.

        Actions queued while this runs are sent too. A transient failure (the
        server gone or busy, a server error, an answer that cannot be read:
        the server may have applied the chunk) is retried with back-off as
        ``retry`` allows, always with the same keys; then it is raised and
        the chunk stays ``sending`` for the next run. A refusal of the request
        itself (a 4xx other than auth) marks the chunk failed, for the user to
        see. What was confirmed so far stays confirmed. Pausing the outbox
        stops the run after the current chunk.
        """
        with self.cache.user_waiting():
            return self._send_pending(session, batch_cap, cancel or CancelToken(), progress, retry, clock)

    def _send_pending(
        self,
        session: ServerSession,
        batch_cap: int,
        cancel: CancelToken,
        progress: Callable[[SendProgress], None] | None,
        retry: RetryPolicy,
        clock: Callable[[], float],
    ) -> SendReport:
        report = progress or (lambda _p: None)
        started = clock()
        tally = _Tally()
        total = self.pending_count()
        report(SendProgress(0, total))
        last_id = 0
        chunks = 0
        paused = False
        while True:
            state = self.cache.sync_state()
            if self.paused():
                paused = True
                break
            cancel.raise_if_cancelled()
            chunk, seen = self._next_chunk(last_id, batch_cap)
            if seen is None:
                break
            last_id = seen
            if not chunk:
                continue  # all claimed by another sender
            # Compared with the cache only while it mirrors the server (not
            # before the first sync, nor while a reset sync refills it).
            if KEY_LAST_SYNC in state:
                chunk = self._hold_changed(chunk, tally)
            chunk, wait = self._resolve_undos(chunk, tally)
            if wait:
                break
            if chunk:
                self._send_chunk(session, chunk, tally, retry, cancel)
            finished = tally.finished
            chunks += 1
            if chunks % 20 == 0:
                # Actions queued while sending join the total (counted now and then: it costs).
                total = max(total, finished + self.pending_count())
            total = max(total, finished)
            elapsed = clock() - started
            eta = elapsed / finished * (total - finished) if finished else None
            report(SendProgress(finished, total, elapsed, eta))
        return SendReport(
            queued=total,
            done=tally.applied + tally.noop,
            conflicts=tally.conflicts,
            failed=tally.failed,
            changes=tally.changes,
            held=tally.held,
            applied=tally.applied,
            noop=tally.noop,
            paused=paused,
        )

    def _next_chunk(self, after_id: int, cap: int) -> tuple[list[Action], int | None]:
        """The next run of unsent actions of one kind after ``after_id`` (decisions one by one),
        and the last id looked at (``None``: nothing is left).

        Actions another live sender has claimed are passed over.
        """
        table = schema.actions
        unsent = [state.value for state in ActionState if state.unsent]
        with self.cache.read() as connection:
            rows = connection.execute(
                select(table)
                .where(table.c.id > after_id, table.c.state.in_(unsent))
                .order_by(table.c.id)
                .limit(cap)
            ).all()
        if not rows:
            return [], None
        now = to_epoch(utc_now())
        actions = [
            _action(row._mapping)
            for row in rows
            if row._mapping["state"] != ActionState.SENDING.value
            or not self._claimed_elsewhere(row._mapping["claimed_by"], row._mapping["lease_until"], now)
        ]
        last_id = int(rows[-1]._mapping["id"])
        if not actions:
            return [], last_id
        first = actions[0].kind
        if first in _ONE_BY_ONE:
            return actions[:1], actions[0].id
        run: list[Action] = []
        for action in actions:
            if action.kind is not first:
                break
            run.append(action)
        return run, run[-1].id

    def _claimed_elsewhere(self, owner: str | None, lease_until: int | None, now: int) -> bool:
        """Whether another sender that is still alive holds this claim."""
        if owner is None or owner == self.owner or (lease_until or 0) < now:
            return False
        if _owner_alive(owner):
            return True
        self._dead_owners.add(owner)
        return False

    def _hold_changed(self, chunk: list[Action], tally: _Tally) -> list[Action]:
        """Hold never-sent actions whose member or badge changed since they were queued."""
        candidates = [
            a
            for a in chunk
            if a.kind in HELD_KINDS
            and a.state is ActionState.PENDING
            and a.attempts == 0
            and not a.payload.get("force")
        ]
        if not candidates:
            return chunk
        marks = ", ".join("?" * len(candidates))
        holds: dict[int, HoldReason] = {}
        with self.cache.read() as connection:
            rows = connection.exec_driver_sql(
                "SELECT a.id, a.kind, m.status, b.state,"
                " EXISTS(SELECT 1 FROM awards w WHERE w.member_id = a.member_id AND w.badge_id = a.badge_id)"
                " FROM actions a LEFT JOIN members m ON m.id = a.member_id"
                " LEFT JOIN badges b ON b.id = a.badge_id"
                f" WHERE a.id IN ({marks})",
                tuple(a.id for a in candidates),
            )
            for action_id, kind, member_status, badge_state, held in rows:
                reason = hold_before_sending(ActionKind(kind), member_status, badge_state, bool(held))
                if reason is not None:
                    holds[action_id] = reason
        if not holds:
            return chunk
        now = to_epoch(utc_now())
        with self.cache.write() as connection:
            for action_id, reason in holds.items():
                result = connection.execute(
                    schema.actions.update()
                    .where(schema.actions.c.id == action_id, schema.actions.c.state == "pending")
                    .values(state=ActionState.HELD.value, hold_reason=reason.value, updated_at=now)
                )
                # Not counted when the user discarded it meanwhile.
                tally.held += int(result.rowcount or 0)
        tally.changes = tally.changes.merged(ChangeSet(outbox=True))
        return [a for a in chunk if a.id not in holds]

    def _resolve_undos(self, chunk: list[Action], tally: _Tally) -> tuple[list[Action], bool]:
        """Skip reversals of actions that changed nothing; wait while one is unresolved."""
        targets = {a.id: a.payload["undo_of_action"] for a in chunk if "undo_of_action" in a.payload}
        if not targets:
            return chunk, False
        with self.cache.read() as connection:
            found = {
                row["id"]: (ActionState(row["state"]), _effective_outcome(row))
                for row in _rows_by_ids(connection, set(targets.values()))
            }
        needless: list[int] = []
        orphans: list[int] = []
        for action_id, target in targets.items():
            state, outcome = found.get(target, (ActionState.DISCARDED, None))
            if state.unsent:
                # The action it reverses has no answer yet: try again next run.
                return [], True
            if state.needs_user:
                # It ended held, in conflict or failed: its batch was undone, so
                # it must not be applied later either.
                orphans.append(target)
            if state is not ActionState.DONE or outcome not in APPLIED_OUTCOMES:
                needless.append(action_id)
        if needless:
            with self.cache.write() as connection:
                self._settle_in(connection, orphans, _WAITING, "undone")
                tally.skipped += self._settle_in(
                    connection, needless, (ActionState.PENDING, ActionState.SENDING), "nothing to undo"
                )
        return [a for a in chunk if a.id not in needless], False

    def _send_chunk(
        self,
        session: ServerSession,
        chunk: list[Action],
        tally: _Tally,
        retry: RetryPolicy,
        cancel: CancelToken,
    ) -> None:
        # Still in flight from an earlier run (a crash or a lost answer): the
        # server may have applied it.
        ambiguous = any(a.state is ActionState.SENDING for a in chunk)
        chunk = self._mark_sending(chunk)
        if not chunk:
            return
        attempt = 1
        while True:
            try:
                if attempt > 1 and not self._renew(chunk):
                    # The lease ran out during the back-off and another sender took
                    # the chunk over: it is theirs now (the same keys), not ours.
                    return
                if chunk[0].kind is ActionKind.DECIDE:
                    self._send_decision(session, chunk[0], tally)
                elif chunk[0].kind is ActionKind.BADGE_SAVE:
                    self._send_badge_save(session, chunk[0], tally)
                elif chunk[0].kind is ActionKind.BADGE_STATE:
                    self._send_badge_state(session, chunk[0], tally)
                else:
                    self._send_awards(session, chunk, tally)
                return
            except Exception as failure:
                if not isinstance(failure, ApiError):
                    # Cancelled, or the cache failed: whoever sends next resumes it.
                    self._release(chunk)
                    raise
                error = failure
                # A refusal after an attempt whose answer was lost proves
                # nothing about that attempt: the chunk stays in flight.
                if _refused(error) and not ambiguous:
                    self._mark_failed(chunk, str(error))
                    tally.failed += len(chunk)
                    tally.changes = tally.changes.merged(ChangeSet(outbox=True))
                    return
                # A refused token or certificate lasts until the user acts: no retry.
                if _refused(error) or isinstance(error, AuthError | TlsError) or attempt >= retry.attempts:
                    self._release(chunk)
                    raise
                ambiguous = True
                cancel.sleep(retry.delay(attempt))
                attempt += 1

    def _mark_sending(self, chunk: Sequence[Action]) -> list[Action]:
        """Claim the chunk and mark it in flight, committed before the request goes out.

        One atomic statement: an action is claimed only while it is unsent and
        nobody else holds a live claim on it (claims of dead senders were
        found by :meth:`_next_chunk`). Returns the actions this sender now
        holds: the user may have discarded some since the chunk was read, or
        another sender claimed them.
        """
        table = schema.actions
        unsent = [state.value for state in ActionState if state.unsent]
        now = to_epoch(utc_now())
        with self.cache.write() as connection:
            marked = connection.execute(
                table.update()
                .where(
                    table.c.id.in_([a.id for a in chunk]),
                    table.c.state.in_(unsent),
                    or_(
                        # A claim counts only while its action is in flight: one
                        # made pending again (retry, apply anyway) is free.
                        table.c.state != ActionState.SENDING.value,
                        table.c.claimed_by.is_(None),
                        table.c.claimed_by == self.owner,
                        table.c.lease_until < now,
                        # Found by _next_chunk: a dead sender's claim is taken over.
                        table.c.claimed_by.in_(sorted(self._dead_owners)),
                    ),
                )
                .values(
                    state=ActionState.SENDING.value,
                    attempts=table.c.attempts + 1,
                    sent_at=func.coalesce(table.c.sent_at, now),
                    updated_at=now,
                    claimed_by=self.owner,
                    lease_until=now + CLAIM_LEASE,
                )
                .returning(table.c.id)
            )
            still = {row[0] for row in marked}
        return [a for a in chunk if a.id in still]

    def _renew(self, chunk: Sequence[Action]) -> bool:
        """Extend this sender's lease on a chunk before another attempt; False when it lost it."""
        table = schema.actions
        now = to_epoch(utc_now())
        with self.cache.write() as connection:
            renewed = connection.execute(
                table.update()
                .where(table.c.id.in_([a.id for a in chunk]), table.c.claimed_by == self.owner)
                .values(lease_until=now + CLAIM_LEASE)
            ).rowcount
        return bool(renewed) and renewed == len(chunk)

    def _release(self, chunk: Sequence[Action]) -> None:
        """Give up the claim on a chunk whose answer is unknown: any sender may resume it."""
        table = schema.actions
        with self.cache.write() as connection:
            connection.execute(
                table.update()
                .where(table.c.id.in_([a.id for a in chunk]), table.c.claimed_by == self.owner)
                .values(claimed_by=None, lease_until=None)
            )

    def _mark_failed(self, chunk: Sequence[Action], message: str) -> None:
        table = schema.actions
        with self.cache.write() as connection:
            connection.execute(
                table.update()
                .where(table.c.id.in_([a.id for a in chunk]))
                .values(
                    state=ActionState.FAILED.value,
                    outcome="refused",
                    last_error=message,
                    updated_at=to_epoch(utc_now()),
                )
            )

    def _send_awards(self, session: ServerSession, chunk: Sequence[Action], tally: _Tally) -> None:
        results: list[ItemResult]
        if chunk[0].kind is ActionKind.AWARD:
            results = session.writer.award_batch(
                [
                    AwardItem(
                        idempotency_key=a.idempotency_key,
                        member_id=a.payload["member_id"],
                        badge_id=a.payload["badge_id"],
                        reason=a.payload.get("reason", ""),
                        notify=a.payload.get("notify", True),
                        message=a.payload.get("message"),
                        force=bool(a.payload.get("force", False)),
                    )
                    for a in chunk
                ]
            )
        else:
            results = session.writer.revoke_batch(
                [
                    RevokeItem(
                        idempotency_key=a.idempotency_key,
                        member_id=a.payload["member_id"],
                        badge_id=a.payload["badge_id"],
                        reason=a.payload.get("reason", ""),
                    )
                    for a in chunk
                ]
            )
        by_key = {a.idempotency_key: a for a in chunk}
        members: set[int] = set()
        now = to_epoch(utc_now())
        stored: list[tuple[str, str | None, str | None, str, int, int, int]] = []
        awarded: list[Award] = []
        removed: list[tuple[int, int]] = []
        for result in results:
            action = by_key[result.idempotency_key]
            verdict = read_answer(action.kind, result.outcome, result.condition)
            state = ActionState.HELD if verdict.category is Category.HELD else ActionState.DONE
            if verdict.category is Category.HELD:
                tally.held += 1
            elif verdict.category is Category.NOOP:
                tally.noop += 1
            else:
                tally.applied += 1
            detail: dict[str, Any] = {"outcome": result.outcome.value, "replayed": result.replayed}
            if result.award is not None:
                detail["award_id"] = result.award.id
                if result.outcome is AwardOutcome.ALREADY_HELD:
                    # Who granted the badge the member holds, and when: the user is told.
                    detail["granted_by"] = result.award.granted_by
                    detail["granted_at"] = result.award.granted_at.isoformat()
            if action.result and "overridden" in action.result:
                # Kept: undo must know an "apply anyway" over a badge already held.
                detail["overridden"] = action.result["overridden"]
            stored.append(
                (
                    state.value,
                    verdict.outcome,
                    None if verdict.hold is None else verdict.hold.value,
                    json.dumps(detail),
                    now,
                    now,
                    action.id,
                )
            )
            if result.outcome is AwardOutcome.AWARDED and result.award is not None:
                awarded.append(result.award)
                members.add(action.payload["member_id"])
            elif result.outcome in (AwardOutcome.REVOKED, AwardOutcome.NOT_HELD):
                removed.append((action.payload["member_id"], action.payload["badge_id"]))
                members.add(action.payload["member_id"])
        # One statement per kind of write for the whole chunk: the sender's
        # CPU time is mostly these writes.
        with self.cache.write() as connection:
            connection.exec_driver_sql(
                "UPDATE actions SET state = ?, outcome = ?, hold_reason = ?, result = ?, last_error = NULL,"
                " confirmed_at = ?, updated_at = ? WHERE id = ?",
                stored,
            )
        if awarded or removed:
            with self.cache.write() as connection:
                if awarded:
                    Cache.upsert_awards(connection, awarded)
                if removed:
                    connection.exec_driver_sql(
                        "DELETE FROM awards WHERE member_id = ? AND badge_id = ?", removed
                    )
        tally.changes = tally.changes.merged(
            ChangeSet(members=frozenset(members), awards=bool(members), outbox=True)
        )

    def _send_decision(self, session: ServerSession, action: Action, tally: _Tally) -> None:
        p = action.payload
        now = to_epoch(utc_now())
        try:
            decided = _desk(session).decide(
                p["request_id"],
                version=p["version"],
                decision=Decision(p["decision"]),
                reason=p.get("reason", ""),
                message=p.get("message"),
                idempotency_key=action.idempotency_key,
                duplicates=[(i, v) for i, v in p.get("duplicates", ())],
            )
        except DecisionConflict as conflict:
            with self.cache.write() as connection:
                self._store_result(
                    connection,
                    action.id,
                    ActionState.CONFLICT,
                    "conflict",
                    HoldReason.DECIDED_ELSEWHERE,
                    {
                        "conflict": str(conflict),
                        "conflicting_request": conflict.current.id,
                        "decided_by": conflict.current.decided_by,
                        "decided_at": conflict.current.decided_at.isoformat()
                        if conflict.current.decided_at
                        else None,
                        "their_decision": conflict.current.state.value,
                    },
                    now,
                )
            theirs = conflict.current
            self._mirror(lambda connection: Cache.upsert_requests(connection, [theirs]))
            tally.conflicts += 1
            touched = {p["request_id"], conflict.current.id}
        else:
            current = decided.request
            with self.cache.write() as connection:
                # An undo made while this was in flight is recorded there: keep it.
                before = connection.execute(
                    select(schema.actions.c.result).where(schema.actions.c.id == action.id)
                ).scalar()
                self._store_result(
                    connection,
                    action.id,
                    ActionState.DONE,
                    current.state.value,
                    None,
                    {
                        **json.loads(before or "{}"),
                        "state": current.state.value,
                        "award_id": decided.award_id,
                    },
                    now,
                )
            self._mirror(lambda connection: Cache.upsert_requests(connection, [current, *decided.duplicates]))
            tally.applied += 1
            touched = {current.id, *(d.id for d in decided.duplicates)}
        tally.changes = tally.changes.merged(ChangeSet(requests=frozenset(touched), outbox=True))

    def _send_badge_save(self, session: ServerSession, action: Action, tally: _Tally) -> None:
        p = action.payload
        drafts = schema.badge_drafts
        with self.cache.read() as connection:
            draft = connection.execute(
                select(drafts.c.badge_id, drafts.c.base_version).where(drafts.c.id == p["draft_id"])
            ).first()
        # A save queued before the badge's creation was confirmed updates what that created.
        badge_id = p.get("badge_id") or (draft.badge_id if draft is not None else None)
        version = draft.base_version if draft is not None else None
        fields = dict(p["fields"])
        if badge_id is None:
            fields.update(slug=p["slug"], state=BadgeState.DRAFT.value)
        image = (base64.b64decode(p["image"]), p["media_type"])
        now = to_epoch(utc_now())
        try:
            editor = _editor(session)
            badge = self._save_badge(editor, badge_id, fields, image, version, action.idempotency_key)
        except BadgeConflict as conflict:
            self._badge_conflict(action, conflict, tally, now)
            return
        with self.cache.write() as connection:
            if draft is not None:
                connection.execute(
                    drafts.update()
                    .where(drafts.c.id == p["draft_id"])
                    .values(
                        badge_id=badge.id,
                        slug=badge.slug,
                        base_version=badge.version,
                        synced_digest=p["digest"],
                    )
                )
            connection.execute(
                schema.actions.update().where(schema.actions.c.id == action.id).values(badge_id=badge.id)
            )
            self._store_result(
                connection,
                action.id,
                ActionState.DONE,
                "created" if badge_id is None else "saved",
                None,
                {"badge_id": badge.id, "version": badge.version},
                now,
            )
        self._mirror(lambda connection: Cache.upsert_badges(connection, [badge]))
        tally.applied += 1
        tally.changes = tally.changes.merged(ChangeSet(outbox=True, badges=frozenset({badge.id})))

    def _badge_conflict(self, action: Action, conflict: BadgeConflict, tally: _Tally, now: int) -> None:
        """The badge changed on the server meanwhile: kept for the user, with what the server has now."""
        with self.cache.write() as connection:
            self._store_result(
                connection,
                action.id,
                ActionState.CONFLICT,
                "conflict",
                HoldReason.BADGE_CHANGED,
                {
                    "conflict": str(conflict),
                    "server_version": conflict.current.version if conflict.current else None,
                },
                now,
            )
        if conflict.current is not None:
            current = conflict.current
            self._mirror(lambda connection: Cache.upsert_badges(connection, [current]))
        tally.conflicts += 1
        badges = frozenset() if conflict.current is None else frozenset({conflict.current.id})
        tally.changes = tally.changes.merged(ChangeSet(outbox=True, badges=badges))

    @staticmethod
    def _save_badge(
        editor: BadgeEditor,
        badge_id: int | None,
        fields: dict[str, str],
        image: tuple[bytes, str],
        version: int | None,
        key: str,
    ) -> Badge:
        if badge_id is not None:
            return editor.save_badge(badge_id, fields, image, version=version, idempotency_key=key)
        # A new badge's slug may have been taken on the server since the last
        # sync: the next free one is tried, each with a key of its own (the
        # server remembers only what it created, so a retry replays that).
        slug = fields["slug"]
        for attempt in range(10):
            try:
                return editor.save_badge(
                    None,
                    {**fields, "slug": slug if attempt == 0 else f"{slug}-{attempt + 1}"},
                    image,
                    version=None,
                    idempotency_key=key if attempt == 0 else f"{key}.{attempt}",
                )
            except BadgeConflict:
                if attempt == 9:
                    raise
        raise AssertionError("unreachable")

    def _send_badge_state(self, session: ServerSession, action: Action, tally: _Tally) -> None:
        p = action.payload
        now = to_epoch(utc_now())
        try:
            badge = _editor(session).set_badge_state(
                p["badge_id"],
                BadgeState(p["state"]),
                version=p.get("version"),
                idempotency_key=action.idempotency_key,
            )
        except BadgeConflict as conflict:
            self._badge_conflict(action, conflict, tally, now)
            return
        with self.cache.write() as connection:
            # Our later saves of this badge build on the version this made.
            connection.execute(
                schema.badge_drafts.update()
                .where(
                    schema.badge_drafts.c.badge_id == badge.id,
                    schema.badge_drafts.c.base_version == p.get("version"),
                )
                .values(base_version=badge.version)
            )
            self._store_result(
                connection,
                action.id,
                ActionState.DONE,
                badge.state.value,
                None,
                {"version": badge.version},
                now,
            )
        self._mirror(lambda connection: Cache.upsert_badges(connection, [badge]))
        tally.applied += 1
        tally.changes = tally.changes.merged(ChangeSet(outbox=True, badges=frozenset({p["badge_id"]})))

    def _mirror(self, write: Callable[[Connection], None]) -> None:
        """Bring the mirror in step with an answer, after the work file recorded it.

        Its own transaction, committed second: a crash in between leaves the
        mirror behind (the next sync corrects it), never the user's work.
        One transaction over both files would not do: SQLite commits the
        mirror's log before it deletes the work file's journal.
        """
        with self.cache.write() as connection:
            write(connection)

    @staticmethod
    def _store_result(
        connection: Connection,
        action_id: int,
        state: ActionState,
        outcome: str,
        hold: HoldReason | None,
        result: dict[str, Any],
        now: int,
    ) -> None:
        connection.execute(
            schema.actions.update()
            .where(schema.actions.c.id == action_id)
            .values(
                state=state.value,
                outcome=outcome,
                hold_reason=None if hold is None else hold.value,
                result=json.dumps(result),
                last_error=None,
                confirmed_at=now,
                updated_at=now,
            )
        )


_WAITING = (ActionState.FAILED, ActionState.CONFLICT, ActionState.HELD)
_HOST = socket.gethostname()
#: How long a claim holds without being renewed (each attempt renews it). Longer
#: than one attempt can take (the connector's own retries and Retry-After waits).
CLAIM_LEASE = 900


def _owner_alive(owner: str) -> bool:
    """Whether the sender named ``owner`` may still be running (see ``Outbox.owner``)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != _HOST or not pid_text.isdigit():
        return True  # another machine's sender: only its lease tells
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: Kinds sent one action per request.
_ONE_BY_ONE = frozenset({ActionKind.DECIDE, ActionKind.BADGE_SAVE, ActionKind.BADGE_STATE})


def _undone_batches(connection: Connection) -> set[str]:
    rows = connection.execute(select(schema.batches.c.id).where(schema.batches.c.undone_by.is_not(None)))
    return {row[0] for row in rows}


def _release_undone(connection: Connection, batch_ids: Iterable[str]) -> None:
    """An undo batch whose every reversal was dropped undid nothing: its batch may be undone again."""
    for batch_id in batch_ids:
        row = connection.execute(
            select(schema.batches.c.undo_of).where(schema.batches.c.id == batch_id)
        ).first()
        if row is None or row[0] is None:
            continue
        noop = sorted(NOOP_OUTCOMES)
        live = connection.exec_driver_sql(
            "SELECT 1 FROM actions WHERE batch_id = ? AND NOT (state = 'discarded'"
            f" OR (state = 'done' AND outcome IN ({', '.join('?' * len(noop))}))) LIMIT 1",
            (batch_id, *noop),
        ).first()
        if live is None:
            connection.execute(
                schema.batches.update().where(schema.batches.c.id == row[0]).values(undone_by=None)
            )


@dataclass(slots=True)
class _Tally:
    applied: int = 0
    noop: int = 0
    conflicts: int = 0
    failed: int = 0
    held: int = 0
    skipped: int = 0
    changes: ChangeSet = field(default_factory=ChangeSet)

    @property
    def finished(self) -> int:
        return self.applied + self.noop + self.conflicts + self.failed + self.held + self.skipped


def _bucket(state: ActionState, outcome: str | None) -> str:
    if state is ActionState.DONE:
        return "noop" if outcome in NOOP_OUTCOMES else "applied"
    if state is ActionState.DISCARDED:
        return "skipped"
    return state.value


def _award_payloads(
    member_ids: Iterable[int], badge_id: int, reason: str, notify: bool, message: str | None
) -> list[dict[str, Any]]:
    return [
        {"member_id": m, "badge_id": badge_id, "reason": reason, "notify": notify, "message": message}
        for m in member_ids
    ]


def _revoke_payloads(member_ids: Iterable[int], badge_id: int, reason: str) -> list[dict[str, Any]]:
    return [{"member_id": m, "badge_id": badge_id, "reason": reason} for m in member_ids]


def _rows_by_ids(connection: Connection, ids: Iterable[int]) -> Iterator[RowMapping]:
    table = schema.actions
    wanted = list(ids)
    for start in range(0, len(wanted), 500):
        rows = connection.execute(select(table).where(table.c.id.in_(wanted[start : start + 500])))
        for row in rows:
            yield row._mapping


def _desk(session: ServerSession) -> RequestDesk:
    desk = session.desk
    if desk is None:
        raise OutboxError("This server has no badge requests: the decision cannot be sent.")
    return desk


def _editor(session: ServerSession) -> BadgeEditor:
    editor = session.editor
    if editor is None:
        raise OutboxError("This server does not let badges be edited from here: the change cannot be sent.")
    return editor


def _refused(error: ApiError) -> bool:
    """The server refused the request itself: sending it again cannot help."""
    if isinstance(error, ServerUnreachable | ServerBusy | AuthError | MalformedResponse | TlsError):
        return False
    # No status: refused before sending (e.g. more items than the server takes).
    # 408 (timeout), 409 (key busy) and 425 (too early) say "try again".
    return error.status is None or (400 <= error.status < 500 and error.status not in (408, 409, 425))


def _action(row: RowMapping) -> Action:
    return Action(
        id=row["id"],
        kind=ActionKind(row["kind"]),
        payload=json.loads(row["payload"]),
        idempotency_key=row["idempotency_key"],
        state=ActionState(row["state"]),
        created_at=from_epoch(row["created_at"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        result=None if row["result"] is None else json.loads(row["result"]),
        batch_id=row["batch_id"],
        actor=row["actor"] or "",
        outcome=row["outcome"],
        hold_reason=row["hold_reason"],
        sent_at=None if row["sent_at"] is None else from_epoch(row["sent_at"]),
        confirmed_at=None if row["confirmed_at"] is None else from_epoch(row["confirmed_at"]),
    )


def _batch(row: RowMapping) -> Batch:
    return Batch(
        id=row["id"],
        kind=ActionKind(row["kind"]),
        badge_id=row["badge_id"],
        reason=row["reason"],
        notify=bool(row["notify"]),
        message=row["message"],
        source=row["source"],
        actor=row["actor"],
        created_at=from_epoch(row["created_at"]),
        undo_of=row["undo_of"],
        undone_by=row["undone_by"],
    )
