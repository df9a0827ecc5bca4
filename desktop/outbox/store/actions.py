"""Rows of the actions table: adding them, reading them, settling them.

Every function works inside a transaction the caller opened (``cache.read()``
or ``cache.write()``), so a caller composes several into one commit. The
columns others query are typed (member, badge, request, draft, batch); the
payload is JSON only the action kinds read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select

from desktop.cache import bulk, schema
from desktop.cache.rows import from_epoch, to_epoch
from desktop.domain import Action, ActionKind, ActionState, new_idempotency_key, utc_now
from desktop.drift import HoldReason

_TABLE = schema.actions
#: Ids per ``IN (...)``: well under SQLite's limit on bound values.
_SLICE = 500
_UNSENT = [state.value for state in ActionState if state.unsent]


def insert(
    connection: Connection,
    kind: ActionKind,
    payloads: Iterable[dict[str, Any]],
    batch_id: str | None,
    actor: str,
) -> list[str]:
    """Add pending actions; returns their idempotency keys in order."""
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
            "draft_id": payload.get("draft_id"),
            "actor": actor,
        }
        for payload in payloads
    ]
    if rows:
        connection.execute(_TABLE.insert(), rows)
    return [str(row["idempotency_key"]) for row in rows]


def by_keys(connection: Connection, keys: Sequence[str]) -> list[Action]:
    actions: list[Action] = []
    for start in range(0, len(keys), _SLICE):
        part = keys[start : start + _SLICE]
        rows = connection.execute(select(_TABLE).where(_TABLE.c.idempotency_key.in_(part)))
        actions.extend(to_action(row._mapping) for row in rows)
    actions.sort(key=lambda a: a.id)
    return actions


def rows_by_ids(connection: Connection, ids: Iterable[int]) -> Iterator[RowMapping]:
    wanted = list(ids)
    for start in range(0, len(wanted), _SLICE):
        rows = connection.execute(select(_TABLE).where(_TABLE.c.id.in_(wanted[start : start + _SLICE])))
        for row in rows:
            yield row._mapping


def by_ids(connection: Connection, ids: Iterable[int]) -> list[Action]:
    return sorted((to_action(row) for row in rows_by_ids(connection, ids)), key=lambda a: a.id)


def unsent_count(connection: Connection) -> int:
    value = connection.execute(select(func.count()).where(_TABLE.c.state.in_(_UNSENT))).scalar()
    return int(value or 0)


def counts(connection: Connection) -> dict[ActionState, int]:
    rows = connection.execute(select(_TABLE.c.state, func.count()).group_by(_TABLE.c.state))
    return {ActionState(state): int(n) for state, n in rows}


def listing(
    connection: Connection,
    states: Iterable[ActionState] | None = None,
    *,
    batch_id: str | None = None,
    limit: int | None = None,
) -> list[Action]:
    statement = select(_TABLE).order_by(_TABLE.c.id)
    if states is not None:
        statement = statement.where(_TABLE.c.state.in_([s.value for s in states]))
    if batch_id is not None:
        statement = statement.where(_TABLE.c.batch_id == batch_id)
    if limit is not None:
        statement = statement.limit(limit)
    return [to_action(row._mapping) for row in connection.execute(statement)]


def ids_in(
    connection: Connection, states: Iterable[ActionState], *, batch_id: str | None = None
) -> list[int]:
    statement = select(_TABLE.c.id).where(_TABLE.c.state.in_([s.value for s in states]))
    if batch_id is not None:
        statement = statement.where(_TABLE.c.batch_id == batch_id)
    return [row[0] for row in connection.execute(statement)]


#: An action's columns in the order :func:`_action` takes them.
_COLUMNS = (
    "id",
    "kind",
    "payload",
    "idempotency_key",
    "state",
    "created_at",
    "attempts",
    "last_error",
    "result",
    "batch_id",
    "actor",
    "outcome",
    "hold_reason",
    "sent_at",
    "confirmed_at",
)
# Plain SQL read by position: the sender asks it for every run, and looking up
# every column of every row by name cost as much as sending it.
_NEXT_UNSENT = (
    f"SELECT {', '.join(_COLUMNS)}, claimed_by, lease_until FROM actions"
    f" WHERE id > ? AND state IN ({', '.join('?' * len(_UNSENT))}) ORDER BY id LIMIT ?"
)


def next_unsent(
    connection: Connection, after_id: int, limit: int
) -> list[tuple[Action, str | None, int | None]]:
    """Unsent actions after ``after_id``, oldest first, each with who claimed it and until when."""
    found = fetch(connection, _NEXT_UNSENT, (after_id, *_UNSENT, limit))
    return [(_action(*row[:-2]), row[-2], row[-1]) for row in found]


def fetch(connection: Connection, sql: str, parameters: Sequence[Any]) -> list[Any]:
    """The rows of a read the sender makes for every run, straight from the driver: SQLAlchemy's
    result (its description of the columns) cost more than the read."""
    cursor = connection.connection.cursor()
    try:
        rows: list[Any] = cursor.execute(sql, parameters).fetchall()
        return rows
    finally:
        cursor.close()


def settle(
    connection: Connection, action_ids: Iterable[int], states: Iterable[ActionState], outcome: str
) -> tuple[int, set[str]]:
    """Mark actions discarded with ``outcome`` (only those still in ``states``).

    Returns how many changed and the batches they belong to.
    """
    ids = list(action_ids)
    allowed = [s.value for s in states]
    changed = 0
    batches: set[str] = set()
    now = to_epoch(utc_now())
    for start in range(0, len(ids), _SLICE):
        part = ids[start : start + _SLICE]
        result = connection.execute(
            _TABLE.update()
            .where(_TABLE.c.id.in_(part), _TABLE.c.state.in_(allowed))
            .values(state=ActionState.DISCARDED.value, outcome=outcome, updated_at=now)
        )
        changed += int(result.rowcount or 0)
        rows = connection.execute(
            select(_TABLE.c.batch_id).where(_TABLE.c.id.in_(part), _TABLE.c.batch_id.is_not(None)).distinct()
        )
        batches.update(row[0] for row in rows)
    return changed, batches


def store_result(
    connection: Connection,
    action_id: int,
    state: ActionState,
    outcome: str,
    hold: HoldReason | None,
    result: dict[str, Any],
    now: int,
) -> None:
    connection.execute(
        _TABLE.update()
        .where(_TABLE.c.id == action_id)
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


def store_results(
    connection: Connection, rows: Sequence[tuple[str, str | None, str | None, str, int, int, int]]
) -> None:
    """Many answers in one statement: (state, outcome, hold, result JSON, confirmed, updated, id)."""
    bulk.update_rows(
        connection,
        "actions",
        ("state", "outcome", "hold_reason", "result", "confirmed_at", "updated_at"),
        rows,
        also="last_error = NULL",
    )


def result_of(connection: Connection, action_id: int) -> dict[str, Any]:
    text = connection.execute(select(_TABLE.c.result).where(_TABLE.c.id == action_id)).scalar()
    value: dict[str, Any] = json.loads(text or "{}")
    return value


def set_result(connection: Connection, action_id: int, result: dict[str, Any]) -> None:
    connection.execute(
        _TABLE.update().where(_TABLE.c.id == action_id).values(result=json.dumps(result, sort_keys=True))
    )


def set_badge(connection: Connection, action_id: int, badge_id: int) -> None:
    """The badge a save created: later reads of the action name it."""
    connection.execute(_TABLE.update().where(_TABLE.c.id == action_id).values(badge_id=badge_id))


def hold(connection: Connection, action_id: int, reason: HoldReason, now: int) -> int:
    """Hold a pending action for the user; 0 when it is no longer pending (discarded meanwhile)."""
    result = connection.execute(
        _TABLE.update()
        .where(_TABLE.c.id == action_id, _TABLE.c.state == ActionState.PENDING.value)
        .values(state=ActionState.HELD.value, hold_reason=reason.value, updated_at=now)
    )
    return int(result.rowcount or 0)


def requeue(connection: Connection, action_id: int, payload: dict[str, Any], result: dict[str, Any]) -> None:
    """Pending again with a new key and payload: a new request (the server remembers the old key)."""
    connection.execute(
        _TABLE.update()
        .where(_TABLE.c.id == action_id)
        .values(
            state=ActionState.PENDING.value,
            payload=json.dumps(payload, sort_keys=True),
            idempotency_key=new_idempotency_key(),
            result=json.dumps(result),
            hold_reason=None,
            outcome=None,
            confirmed_at=None,
            updated_at=to_epoch(utc_now()),
        )
    )


def retry_failed(
    connection: Connection, action_ids: Iterable[int] | None, keep_batches: Iterable[str]
) -> int:
    """Failed actions pending again with their own keys, except those of ``keep_batches``."""
    statement = _TABLE.update().where(_TABLE.c.state == ActionState.FAILED.value)
    if action_ids is not None:
        statement = statement.where(_TABLE.c.id.in_(list(action_ids)))
    kept = sorted(keep_batches)
    if kept:
        statement = statement.where(_TABLE.c.batch_id.is_(None) | _TABLE.c.batch_id.not_in(kept))
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


def mark_failed(connection: Connection, action_ids: Sequence[int], message: str) -> None:
    connection.execute(
        _TABLE.update()
        .where(_TABLE.c.id.in_(list(action_ids)))
        .values(
            state=ActionState.FAILED.value,
            outcome="refused",
            last_error=message,
            updated_at=to_epoch(utc_now()),
        )
    )


def replace_payload(connection: Connection, action_id: int, payload: dict[str, Any]) -> None:
    """A newer edit of an unsent action (a draft saved again before it was sent)."""
    connection.execute(
        _TABLE.update()
        .where(_TABLE.c.id == action_id)
        .values(
            payload=json.dumps(payload, sort_keys=True),
            badge_id=payload.get("badge_id"),
            updated_at=to_epoch(utc_now()),
        )
    )


# Looked up rather than called: the sender reads every action it sends.
_KINDS = {kind.value: kind for kind in ActionKind}
_STATES = {state.value: state for state in ActionState}
#: Payloads are written by :func:`insert` and its neighbours (json.dumps, nothing
#: around it): raw_decode reads them at a third of json.loads' cost.
_PAYLOAD = json.JSONDecoder()


def to_action(row: RowMapping) -> Action:
    return _action(*[row[column] for column in _COLUMNS])


def _action(
    action_id: int,
    kind: str,
    payload: str,
    idempotency_key: str,
    state: str,
    created_at: int,
    attempts: int,
    last_error: str | None,
    result: str | None,
    batch_id: str | None,
    actor: str | None,
    outcome: str | None,
    hold_reason: str | None,
    sent_at: int | None,
    confirmed_at: int | None,
) -> Action:
    return Action(
        action_id,
        _KINDS[kind],
        _PAYLOAD.raw_decode(payload)[0],
        idempotency_key,
        _STATES[state],
        from_epoch(created_at),
        attempts,
        last_error,
        None if result is None else json.loads(result),
        batch_id,
        actor or "",
        outcome,
        hold_reason,
        None if sent_at is None else from_epoch(sent_at),
        None if confirmed_at is None else from_epoch(confirmed_at),
    )


def note_progress(connection: Connection, action_id: int, result: dict[str, Any], now: int) -> None:
    """Keep what an action in flight has done so far (a mass award's upload), its state unchanged."""
    connection.execute(
        _TABLE.update().where(_TABLE.c.id == action_id).values(result=json.dumps(result), updated_at=now)
    )


def pending_of_batch(connection: Connection, batch_id: str, kind: ActionKind) -> list[Action]:
    """The batch's actions of ``kind`` that are pending (never sent), oldest first."""
    rows = connection.execute(
        select(_TABLE)
        .where(
            _TABLE.c.batch_id == batch_id,
            _TABLE.c.kind == kind.value,
            _TABLE.c.state == ActionState.PENDING.value,
        )
        .order_by(_TABLE.c.id)
    )
    return [to_action(row._mapping) for row in rows]
