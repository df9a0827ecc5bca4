"""Actions that wait for the user, and what the user decides about them.

Before a never-sent award or revoke goes out, it is compared with the cache
(synced on reconnect); the server's answer names what it found. Both are read
with one table (:data:`desktop.drift.DRIFT`), so a member suspended or
deleted, a badge disabled or retired, a badge already held or no longer held
end the same way whether or not a sync ran first: applied, a no-op, or
*held* for the user to apply anyway or skip, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection

from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.domain import Action, ActionKind, ActionState, ChangeSet, utc_now
from desktop.drift import HELD_KINDS, HoldReason, hold_before_sending
from desktop.outbox import batches
from desktop.outbox.store import actions as rows
from desktop.outbox.store import queries
from desktop.outbox.types import WAITING, Tally


def hold_changed(
    cache: Cache, chunk: list[Action], tally: Tally, facts: Mapping[int, queries.SendFacts] | None = None
) -> list[Action]:
    """Hold never-sent actions whose member or badge changed since they were queued; the rest go.

    ``facts``: the chunk's, already read (:func:`queries.send_facts`); read here when not given.
    """
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
    if facts is None:
        with cache.read() as connection:
            facts = queries.send_facts(connection, [a.id for a in candidates])
    holds: dict[int, HoldReason] = {}
    # Judged once per combination: a chunk's actions mostly share one.
    judged: dict[tuple[ActionKind, str | None, str | None, bool], HoldReason | None] = {}
    for action in candidates:
        fact = facts.get(action.id)
        if fact is None:
            continue
        case = (action.kind, fact.member_status, fact.badge_state, fact.grant is not None)
        if case not in judged:
            judged[case] = hold_before_sending(*case)
        reason = judged[case]
        if reason is not None:
            holds[action.id] = reason
    if not holds:
        return chunk
    now = to_epoch(utc_now())
    with cache.write() as connection:
        for action_id, reason in holds.items():
            # Not counted when the user discarded it meanwhile.
            tally.held += rows.hold(connection, action_id, reason, now)
    tally.changed(ChangeSet(outbox=True))
    return [a for a in chunk if a.id not in holds]


def apply_anyway(cache: Cache, action_ids: Iterable[int]) -> int:
    """Send held or conflicting awards again with the moderator's override; returns how many.

    The override is a new request, so it gets a new idempotency key (the
    server remembers the refusal under the old one). Only actions whose
    reason a moderator can override are changed.
    """
    changed = 0
    with cache.write() as connection:
        undone = batches.undone_batches(connection)
        for row in list(rows.rows_by_ids(connection, action_ids)):
            action = rows.to_action(row)
            reason = action.hold_reason
            if (
                action.state not in (ActionState.HELD, ActionState.CONFLICT)
                or action.kind is not ActionKind.AWARD
            ):
                continue
            if action.batch_id in undone:
                continue
            if reason is None or not HoldReason(reason).forceable:
                continue
            history = {
                **(action.result or {}),
                "overridden": {"key": action.idempotency_key, "reason": reason},
            }
            rows.requeue(connection, action.id, {**action.payload, "force": True}, history)
            changed += 1
    return changed


def settle(cache: Cache, action_ids: Iterable[int], states: Iterable[ActionState], outcome: str) -> int:
    with cache.write() as connection:
        return settle_in(connection, action_ids, states, outcome)


def settle_in(
    connection: Connection, action_ids: Iterable[int], states: Iterable[ActionState], outcome: str
) -> int:
    """Mark actions discarded (only those still in ``states``); returns how many changed."""
    changed, touched = rows.settle(connection, action_ids, states, outcome)
    batches.release_undone(connection, touched)
    return changed


def skip(cache: Cache, action_ids: Iterable[int]) -> int:
    """Settle held, conflicting or failed actions without sending them."""
    return settle(cache, action_ids, WAITING, "skipped")


def discard_unsent(
    cache: Cache, action_ids: Iterable[int] | None = None, *, batch_id: str | None = None
) -> int:
    """Drop actions the server has not seen (pending, held, failed); returns how many.

    Actions in flight (``sending``) are kept: the server may have applied
    them, and only their answer can tell.
    """
    states = (ActionState.PENDING, *WAITING)
    if action_ids is None:
        with cache.read() as connection:
            action_ids = rows.ids_in(connection, states, batch_id=batch_id)
    return settle(cache, action_ids, states, "discarded")


def retry_failed(cache: Cache, action_ids: Iterable[int] | None = None) -> int:
    """Queue refused actions again, with their own keys (the server applied none of them).

    Actions of a batch that was undone stay as they are.
    """
    with cache.write() as connection:
        return rows.retry_failed(connection, action_ids, batches.undone_batches(connection))
