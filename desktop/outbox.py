"""The outbox: changes the user made, kept in SQLite until the server confirms them.

An action is committed with its idempotency key *before* anyone is told it is
queued. The sender marks a chunk ``sending`` (and commits) before the request
goes out; after a crash or a lost answer that chunk is sent again with the
same keys, and the server returns the first result instead of applying twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select

from desktop.api.connector import AwardItem, Connector, ItemResult, RevokeItem
from desktop.api.errors import (
    ApiError,
    AuthError,
    DecisionConflict,
    MalformedResponse,
    ServerBusy,
    ServerUnreachable,
)
from desktop.cache import schema
from desktop.cache.database import Cache, from_epoch, to_epoch
from desktop.cancellation import CancelToken
from desktop.domain import (
    Action,
    ActionKind,
    ActionState,
    AwardOutcome,
    ChangeSet,
    Decision,
    new_idempotency_key,
    utc_now,
)

#: Outcomes that mean "the server state is not what the action assumed": the
#: user decides what to do with them; they are never dropped silently.
CONFLICT_OUTCOMES = frozenset(
    {AwardOutcome.NOT_FOUND, AwardOutcome.MEMBER_SUSPENDED, AwardOutcome.BADGE_NOT_AWARDABLE}
)


@dataclass(frozen=True, slots=True)
class SendProgress:
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class SendReport:
    #: Unsent actions when the send began.
    queued: int
    done: int
    conflicts: int
    failed: int
    changes: ChangeSet


class Outbox:
    """The durable queue of one community's actions.

    Thread safety: writes go through the cache's writer lock, so any thread
    may call; the application calls :meth:`send_pending` from its writer
    worker only, one send at a time.
    """

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    # --- queueing -------------------------------------------------------------

    def queue(
        self, kind: ActionKind, payloads: Sequence[dict[str, Any]], *, batch_id: str | None = None
    ) -> list[Action]:
        """Commit new actions; when this returns they survive a crash."""
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
            }
            for payload in payloads
        ]
        if not rows:
            return []
        with self.cache.write() as connection:
            connection.execute(schema.actions.insert(), rows)
            keys = [row["idempotency_key"] for row in rows]
            stored = connection.execute(
                select(schema.actions)
                .where(schema.actions.c.idempotency_key.in_(keys))
                .order_by(schema.actions.c.id)
            )
            return [_action(row._mapping) for row in stored]

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
        payloads = [
            {"member_id": m, "badge_id": badge_id, "reason": reason, "notify": notify, "message": message}
            for m in member_ids
        ]
        return self.queue(ActionKind.AWARD, payloads, batch_id=batch_id)

    def queue_revokes(
        self, member_ids: Iterable[int], badge_id: int, *, reason: str = "", batch_id: str | None = None
    ) -> list[Action]:
        payloads = [{"member_id": m, "badge_id": badge_id, "reason": reason} for m in member_ids]
        return self.queue(ActionKind.REVOKE, payloads, batch_id=batch_id)

    def queue_decision(
        self,
        request_id: int,
        version: int,
        decision: Decision,
        *,
        reason: str = "",
        message: str | None = None,
    ) -> Action:
        payload = {
            "request_id": request_id,
            "version": version,
            "decision": decision.value,
            "reason": reason,
            "message": message,
        }
        return self.queue(ActionKind.DECIDE, [payload])[0]

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
        self, states: Iterable[ActionState] | None = None, *, limit: int | None = None
    ) -> list[Action]:
        table = schema.actions
        statement = select(table).order_by(table.c.id)
        if states is not None:
            statement = statement.where(table.c.state.in_([s.value for s in states]))
        if limit is not None:
            statement = statement.limit(limit)
        with self.cache.read() as connection:
            return [_action(row._mapping) for row in connection.execute(statement)]

    # --- sending --------------------------------------------------------------

    def send_pending(
        self,
        connector: Connector,
        *,
        batch_cap: int,
        cancel: CancelToken | None = None,
        progress: Callable[[SendProgress], None] | None = None,
    ) -> SendReport:
        """Send every unsent action, oldest first, in chunks of ``batch_cap``.

        Stops at the first error that says "try later" and raises it: the server
        gone or busy, a server error, or an answer that cannot be read (the
        server may have applied the chunk). That chunk stays ``sending`` and is
        sent again, with the same keys, next time. Only a refusal of the
        request itself (a 4xx other than auth) marks the chunk failed, for the
        user to see. What was confirmed so far stays confirmed.
        """
        cancel = cancel or CancelToken()
        unsent = self.actions([state for state in ActionState if state.unsent])
        total = len(unsent)
        done = conflicts = failed = 0
        changes = ChangeSet()
        report = progress or (lambda _p: None)
        report(SendProgress(0, total))
        for chunk in _chunks(unsent, batch_cap):
            cancel.raise_if_cancelled()
            self._mark_sending(chunk)
            kind = chunk[0].kind
            try:
                if kind is ActionKind.DECIDE:
                    outcome = self._send_decision(connector, chunk[0])
                else:
                    outcome = self._send_awards(connector, kind, chunk)
            except ApiError as error:
                if not _refused(error):
                    raise
                self._mark_failed(chunk, str(error))
                failed += len(chunk)
            else:
                done += outcome[0]
                conflicts += outcome[1]
                changes = changes.merged(outcome[2])
            report(SendProgress(done + conflicts + failed, total))
        return SendReport(queued=total, done=done, conflicts=conflicts, failed=failed, changes=changes)

    def _mark_sending(self, chunk: Sequence[Action]) -> None:
        with self.cache.write() as connection:
            connection.execute(
                schema.actions.update()
                .where(schema.actions.c.id.in_([a.id for a in chunk]))
                .values(
                    state=ActionState.SENDING.value,
                    attempts=schema.actions.c.attempts + 1,
                    updated_at=to_epoch(utc_now()),
                )
            )

    def _mark_failed(self, chunk: Sequence[Action], message: str) -> None:
        with self.cache.write() as connection:
            connection.execute(
                schema.actions.update()
                .where(schema.actions.c.id.in_([a.id for a in chunk]))
                .values(state=ActionState.FAILED.value, last_error=message, updated_at=to_epoch(utc_now()))
            )

    def _send_awards(
        self, connector: Connector, kind: ActionKind, chunk: Sequence[Action]
    ) -> tuple[int, int, ChangeSet]:
        results: list[ItemResult]
        if kind is ActionKind.AWARD:
            results = connector.award_batch(
                [
                    AwardItem(
                        idempotency_key=a.idempotency_key,
                        member_id=a.payload["member_id"],
                        badge_id=a.payload["badge_id"],
                        reason=a.payload.get("reason", ""),
                        notify=a.payload.get("notify", True),
                        message=a.payload.get("message"),
                    )
                    for a in chunk
                ]
            )
        else:
            results = connector.revoke_batch(
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
        done = conflicts = 0
        members: set[int] = set()
        now = to_epoch(utc_now())
        with self.cache.write() as connection:
            for result in results:
                action = by_key[result.idempotency_key]
                conflict = result.outcome in CONFLICT_OUTCOMES
                state = ActionState.CONFLICT if conflict else ActionState.DONE
                conflicts += conflict
                done += not conflict
                self._store_result(connection, action.id, state, {"outcome": result.outcome.value}, now)
                if result.outcome is AwardOutcome.AWARDED and result.award is not None:
                    Cache.upsert_awards(connection, [result.award])
                    members.add(action.payload["member_id"])
                elif result.outcome in (AwardOutcome.REVOKED, AwardOutcome.NOT_HELD):
                    connection.exec_driver_sql(
                        "DELETE FROM awards WHERE member_id = ? AND badge_id = ?",
                        (action.payload["member_id"], action.payload["badge_id"]),
                    )
                    members.add(action.payload["member_id"])
        return done, conflicts, ChangeSet(members=frozenset(members), awards=bool(members), outbox=True)

    def _send_decision(self, connector: Connector, action: Action) -> tuple[int, int, ChangeSet]:
        p = action.payload
        now = to_epoch(utc_now())
        try:
            current = connector.decide(
                p["request_id"],
                version=p["version"],
                decision=Decision(p["decision"]),
                reason=p.get("reason", ""),
                message=p.get("message"),
                idempotency_key=action.idempotency_key,
            )
        except DecisionConflict as conflict:
            with self.cache.write() as connection:
                Cache.upsert_requests(connection, [conflict.current])
                self._store_result(
                    connection,
                    action.id,
                    ActionState.CONFLICT,
                    {"conflict": str(conflict), "decided_by": conflict.current.decided_by},
                    now,
                )
            return 0, 1, ChangeSet(requests=frozenset({p["request_id"]}), outbox=True)
        with self.cache.write() as connection:
            Cache.upsert_requests(connection, [current])
            self._store_result(connection, action.id, ActionState.DONE, {"state": current.state.value}, now)
        return 1, 0, ChangeSet(requests=frozenset({p["request_id"]}), outbox=True)

    @staticmethod
    def _store_result(
        connection: Connection, action_id: int, state: ActionState, result: dict[str, Any], now: int
    ) -> None:
        connection.execute(
            schema.actions.update()
            .where(schema.actions.c.id == action_id)
            .values(state=state.value, result=json.dumps(result), last_error=None, updated_at=now)
        )


def _refused(error: ApiError) -> bool:
    """The server refused the request itself: sending it again cannot help."""
    if isinstance(error, ServerUnreachable | ServerBusy | AuthError | MalformedResponse):
        return False
    # No status: refused before sending (e.g. more items than the server takes).
    return error.status is None or 400 <= error.status < 500


def _chunks(actions: Sequence[Action], cap: int) -> Iterable[list[Action]]:
    """Consecutive actions of one kind, at most ``cap`` each; decisions one by one."""
    chunk: list[Action] = []
    for action in actions:
        limit = 1 if action.kind is ActionKind.DECIDE else cap
        if chunk and (chunk[0].kind is not action.kind or len(chunk) >= limit):
            yield chunk
            chunk = []
        chunk.append(action)
        if action.kind is ActionKind.DECIDE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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
    )
