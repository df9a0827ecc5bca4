"""The actions as a history: the audit log's rows and the review queue's decisions.

Joined with the mirror's names of members, badges and requests, so the log
reads as people and badges, not ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from desktop.cache import schema
from desktop.cache.rows import to_epoch
from desktop.domain import Action, ActionKind, ActionState
from desktop.outbox.store.actions import to_action

_TABLE = schema.actions

_SELECT = (
    "SELECT a.id, a.created_at, a.actor, a.kind, a.member_id, m.username, m.display_name,"
    " a.badge_id, COALESCE(b.title, rb.title), a.request_id, a.payload, a.batch_id, a.state,"
    " a.outcome, a.hold_reason, a.last_error, a.result, a.sent_at, a.confirmed_at"
    " FROM actions a"
    " LEFT JOIN requests r ON r.id = a.request_id"
    " LEFT JOIN members m ON m.id = COALESCE(a.member_id, r.member_id)"
    " LEFT JOIN badges b ON b.id = a.badge_id"
    " LEFT JOIN badges rb ON rb.id = r.badge_id"
)


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    kinds: frozenset[ActionKind] = frozenset()
    states: frozenset[ActionState] = frozenset()
    #: The start of a batch id.
    batch_prefix: str | None = None
    #: Only these batches (None: any; empty: none).
    batch_ids: tuple[str, ...] | None = None
    actor: str | None = None
    #: Part of a member's name, username or email, of a badge title, or of the action's text.
    text: str = ""
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class HistoryRow:
    id: int
    created_at: int
    actor: str | None
    kind: ActionKind
    member_id: int | None
    username: str | None
    display_name: str | None
    badge_id: int | None
    badge_title: str | None
    request_id: int | None
    payload: dict[str, Any]
    batch_id: str | None
    state: ActionState
    outcome: str | None
    hold_reason: str | None
    last_error: str | None
    result: dict[str, Any]
    sent_at: int | None
    confirmed_at: int | None


def _where(query: HistoryFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.kinds:
        clauses.append(f"a.kind IN ({', '.join('?' * len(query.kinds))})")
        params.extend(sorted(k.value for k in query.kinds))
    if query.states:
        clauses.append(f"a.state IN ({', '.join('?' * len(query.states))})")
        params.extend(sorted(s.value for s in query.states))
    if query.batch_prefix:
        clauses.append("a.batch_id LIKE ?")
        params.append(query.batch_prefix + "%")
    if query.batch_ids is not None:
        clauses.append(f"a.batch_id IN ({', '.join('?' * len(query.batch_ids))})" if query.batch_ids else "0")
        params.extend(query.batch_ids)
    if query.actor:
        clauses.append("a.actor = ?")
        params.append(query.actor)
    if query.since is not None:
        clauses.append("a.created_at >= ?")
        params.append(to_epoch(query.since))
    if query.until is not None:
        clauses.append("a.created_at < ?")
        params.append(to_epoch(query.until))
    text = query.text.strip()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(
            "(m.username LIKE ? ESCAPE '\\' OR m.display_name LIKE ? ESCAPE '\\'"
            " OR m.email LIKE ? ESCAPE '\\' OR COALESCE(b.title, rb.title) LIKE ? ESCAPE '\\'"
            " OR a.payload LIKE ? ESCAPE '\\')"
        )
        params.extend([like] * 5)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def history(
    connection: Connection, query: HistoryFilter, *, limit: int, before_id: int | None = None
) -> list[HistoryRow]:
    """The newest matching actions first (ids grow with time); page with ``before_id``."""
    where, params = _where(query)
    if before_id is not None:
        where = f"{where} AND a.id < ?" if where else " WHERE a.id < ?"
        params.append(before_id)
    found = connection.exec_driver_sql(f"{_SELECT}{where} ORDER BY a.id DESC LIMIT ?", (*params, limit))
    return [_row(row) for row in found]


def history_count(connection: Connection, query: HistoryFilter) -> int:
    where, params = _where(query)
    value = connection.exec_driver_sql(f"SELECT COUNT(*) FROM ({_SELECT}{where})", tuple(params)).scalar()
    return int(value or 0)


def actors(connection: Connection) -> list[str]:
    found = connection.exec_driver_sql(
        "SELECT DISTINCT actor FROM actions WHERE actor IS NOT NULL AND actor != '' ORDER BY actor"
    )
    return [row[0] for row in found]


def _row(row: Sequence[Any]) -> HistoryRow:
    (
        action_id,
        created_at,
        actor,
        kind,
        member_id,
        username,
        display_name,
        badge_id,
        badge_title,
        request_id,
        payload,
        batch_id,
        state,
        outcome,
        hold,
        error,
        result,
        sent_at,
        confirmed_at,
    ) = row
    return HistoryRow(
        id=action_id,
        created_at=created_at,
        actor=actor,
        kind=ActionKind(kind),
        member_id=member_id,
        username=username,
        display_name=display_name,
        badge_id=badge_id,
        badge_title=badge_title,
        request_id=request_id,
        payload=json.loads(payload),
        batch_id=batch_id,
        state=ActionState(state),
        outcome=outcome,
        hold_reason=hold,
        last_error=error,
        result=json.loads(result or "{}"),
        sent_at=sent_at,
        confirmed_at=confirmed_at,
    )


# --- the review queue ---------------------------------------------------------------------------


def decisions(connection: Connection, after_action: int, shown: Iterable[ActionState]) -> list[Action]:
    """Decisions queued after ``after_action`` or in one of ``shown`` states, oldest first, none discarded."""
    found = connection.execute(
        select(_TABLE)
        .where(
            _TABLE.c.kind == ActionKind.DECIDE.value,
            (_TABLE.c.id > after_action) | _TABLE.c.state.in_([s.value for s in shown]),
            _TABLE.c.state != ActionState.DISCARDED.value,
        )
        .order_by(_TABLE.c.id)
    )
    return [to_action(row._mapping) for row in found]


def last_action_id(connection: Connection) -> int:
    """The newest action's id (0 when none)."""
    value = connection.execute(select(_TABLE.c.id).order_by(_TABLE.c.id.desc()).limit(1)).scalar()
    return int(value or 0)
