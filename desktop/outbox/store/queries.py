"""Questions about actions that join other tables: drift, batches, drafts.

Still the store: the only code besides :mod:`desktop.outbox.store.actions`
that reads or writes the actions table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, RowMapping, select

from desktop.cache import schema
from desktop.cache.rows import to_epoch
from desktop.domain import ActionKind, ActionState, utc_now
from desktop.drift import NOOP_OUTCOMES
from desktop.outbox.store.actions import fetch
from desktop.sync import KEY_LAST_SYNC, KEY_OUTBOX_PAUSED

_TABLE = schema.actions


# --- drift ----------------------------------------------------------------------------------


def sending_state(connection: Connection) -> tuple[bool, bool]:
    """Whether sending is paused, and whether the mirror was synced: one read for each run sent."""
    [(paused, synced)] = fetch(
        connection,
        "SELECT EXISTS(SELECT 1 FROM preferences WHERE key = ?),"
        " EXISTS(SELECT 1 FROM sync_state WHERE key = ?)",
        (KEY_OUTBOX_PAUSED, KEY_LAST_SYNC),
    )
    return bool(paused), bool(synced)


class SendFacts(NamedTuple):
    """What the mirror knows of an action's member and badge when it is about to be sent."""

    kind: str
    member_status: str | None
    badge_state: str | None
    username: str
    #: The member's latest grant of the badge; None: the member does not hold it.
    grant: int | None


def send_facts(connection: Connection, action_ids: Sequence[int]) -> dict[int, SendFacts]:
    """For each action: what the drift check and the request need, in one read of the mirror."""
    marks = ", ".join("?" * len(action_ids))
    rows = fetch(
        connection,
        "SELECT a.id, a.kind, m.status, b.state, COALESCE(m.username, ''),"
        " (SELECT MAX(w.id) FROM awards w WHERE w.member_id = a.member_id AND w.badge_id = a.badge_id)"
        " FROM actions a LEFT JOIN members m ON m.id = a.member_id"
        " LEFT JOIN badges b ON b.id = a.badge_id"
        f" WHERE a.id IN ({marks})",
        tuple(action_ids),
    )
    return {row[0]: SendFacts(*row[1:]) for row in rows}


def unsent_grant_revokes(connection: Connection, member_id: int) -> set[int]:
    """Ids of the member's grants that a revoke not yet confirmed by the server names."""
    rows = connection.exec_driver_sql(
        "SELECT json_extract(payload, '$.award_id') FROM actions"
        " WHERE member_id = ? AND kind = ? AND state IN (?, ?)",
        (member_id, ActionKind.REVOKE.value, ActionState.PENDING.value, ActionState.SENDING.value),
    )
    return {int(award_id) for (award_id,) in rows if award_id is not None}


def waiting_for_badge(connection: Connection, badge_id: int, kind: ActionKind) -> set[int]:
    """Members with an award or revoke (``kind``) of the badge still in the outbox: not yet
    confirmed (pending, in flight) or waiting for the user (held, conflict)."""
    waiting = (ActionState.PENDING, ActionState.SENDING, ActionState.HELD, ActionState.CONFLICT)
    rows = connection.exec_driver_sql(
        "SELECT DISTINCT member_id FROM actions"
        " WHERE badge_id = ? AND kind = ? AND state IN (?, ?, ?, ?) AND member_id IS NOT NULL",
        (badge_id, kind.value, *(state.value for state in waiting)),
    )
    return {int(member_id) for (member_id,) in rows}


def award_message_facts(
    connection: Connection, action_ids: Sequence[int]
) -> dict[int, tuple[str, str, str, str]]:
    """For each award action: its member's username and name, its badge's title and award message.

    A message kept here (a server whose badges carry none) stands over the mirror's.
    """
    marks = ", ".join("?" * len(action_ids))
    rows = connection.exec_driver_sql(
        "SELECT a.id, m.username, m.display_name, b.title, COALESCE(k.template, b.award_message)"
        " FROM actions a JOIN members m ON m.id = a.member_id JOIN badges b ON b.id = a.badge_id"
        " LEFT JOIN kept_award_messages k ON k.badge_id = a.badge_id"
        f" WHERE a.id IN ({marks})",
        tuple(action_ids),
    )
    return {int(i): (str(u), str(n), str(t), str(m)) for i, u, n, t, m in rows}


# --- batches --------------------------------------------------------------------------------


def batch_counts(connection: Connection, batch_id: str) -> list[tuple[ActionState, str | None, int]]:
    rows = connection.exec_driver_sql(
        "SELECT state, outcome, COUNT(*) FROM actions WHERE batch_id = ? GROUP BY state, outcome", (batch_id,)
    )
    return [(ActionState(state), outcome, int(n)) for state, outcome, n in rows]


def discard_batch(connection: Connection, batch_id: str, states: Sequence[ActionState], outcome: str) -> None:
    connection.execute(
        _TABLE.update()
        .where(_TABLE.c.batch_id == batch_id, _TABLE.c.state.in_([s.value for s in states]))
        .values(state=ActionState.DISCARDED.value, outcome=outcome, updated_at=to_epoch(utc_now()))
    )


def applied_or_in_flight(
    connection: Connection, batch_id: str, applied: str
) -> list[tuple[int, int, dict[str, Any]]]:
    """(action id, member id, result) of the batch's actions that applied ``applied`` or may have."""
    rows = connection.execute(
        select(_TABLE.c.id, _TABLE.c.member_id, _TABLE.c.result).where(
            _TABLE.c.batch_id == batch_id,
            (_TABLE.c.state == ActionState.SENDING.value)
            | ((_TABLE.c.state == ActionState.DONE.value) & (_TABLE.c.outcome == applied)),
        )
    ).all()
    return [(int(i), int(m), json.loads(r or "{}")) for i, m, r in rows]


def changed_nothing(connection: Connection, batch_id: str) -> bool:
    """Whether every action of the batch was dropped or confirmed as a no-op."""
    noop = sorted(NOOP_OUTCOMES)
    live = connection.exec_driver_sql(
        "SELECT 1 FROM actions WHERE batch_id = ? AND NOT (state = 'discarded'"
        f" OR (state = 'done' AND outcome IN ({', '.join('?' * len(noop))}))) LIMIT 1",
        (batch_id, *noop),
    ).first()
    return live is None


def batch_report_rows(connection: Connection, batch_id: str) -> Iterator[tuple[Any, ...]]:
    """Each input row of a batch with what became of its action (for the results CSV).

    (row, input, username, dry-run status, detail, state, outcome, hold reason, error); a batch
    without input rows (a selection) lists its actions.
    """
    has_rows = connection.exec_driver_sql(
        "SELECT 1 FROM batch_rows WHERE batch_id = ? LIMIT 1", (batch_id,)
    ).first()
    if has_rows:
        query = (
            "SELECT r.row, r.input, m.username, r.status, r.detail,"
            " a.state, a.outcome, a.hold_reason, a.last_error"
            " FROM batch_rows r"
            " LEFT JOIN actions a ON a.batch_id = r.batch_id AND a.member_id = r.member_id"
            "  AND r.status = 'to_send'"
            " LEFT JOIN members m ON m.id = r.member_id"
            " WHERE r.batch_id = ? ORDER BY r.row"
        )
    else:
        query = (
            "SELECT ROW_NUMBER() OVER (ORDER BY a.id), COALESCE(m.username, '#' || a.member_id),"
            " m.username, 'to_send', NULL, a.state, a.outcome, a.hold_reason, a.last_error"
            " FROM actions a LEFT JOIN members m ON m.id = a.member_id"
            " WHERE a.batch_id = ? ORDER BY a.id"
        )
    for row in connection.exec_driver_sql(query, (batch_id,)):
        yield tuple(row)


# --- drafts ---------------------------------------------------------------------------------

_SAVE = ActionKind.BADGE_SAVE.value


def last_draft_save(
    connection: Connection, draft_id: int, states: Sequence[ActionState]
) -> RowMapping | None:
    """The newest save of a draft in one of ``states``."""
    row = connection.execute(
        select(_TABLE)
        .where(
            _TABLE.c.kind == _SAVE,
            _TABLE.c.draft_id == draft_id,
            _TABLE.c.state.in_([s.value for s in states]),
        )
        .order_by(_TABLE.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else row._mapping


def unsent_draft_save(connection: Connection, draft_id: int) -> RowMapping | None:
    """The draft's save that was not sent yet (pending, never attempted), if any."""
    row = connection.execute(
        select(_TABLE)
        .where(
            _TABLE.c.kind == _SAVE,
            _TABLE.c.draft_id == draft_id,
            _TABLE.c.state == ActionState.PENDING.value,
            _TABLE.c.attempts == 0,
        )
        .order_by(_TABLE.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else row._mapping


def draft_save_ids(connection: Connection, draft_id: int, states: Sequence[ActionState]) -> list[int]:
    rows = connection.execute(
        select(_TABLE.c.id).where(
            _TABLE.c.kind == _SAVE,
            _TABLE.c.draft_id == draft_id,
            _TABLE.c.state.in_([s.value for s in states]),
        )
    )
    return [int(row[0]) for row in rows]


def badge_changes_waiting(
    connection: Connection, states: Sequence[ActionState]
) -> list[tuple[ActionKind, ActionState, int | None, int | None, str | None]]:
    """Badge saves and state changes in ``states``, oldest first: (kind, state, badge, draft, new state)."""
    rows = connection.execute(
        select(_TABLE.c.kind, _TABLE.c.state, _TABLE.c.badge_id, _TABLE.c.draft_id, _TABLE.c.payload)
        .where(
            _TABLE.c.kind.in_([_SAVE, ActionKind.BADGE_STATE.value]),
            _TABLE.c.state.in_([s.value for s in states]),
        )
        .order_by(_TABLE.c.id)
    ).all()
    return [
        (ActionKind(kind), ActionState(state), badge_id, draft_id, json.loads(payload).get("state"))
        for kind, state, badge_id, draft_id, payload in rows
    ]
