"""The audit log: every action of the outbox, with who, when, why, batch and outcome.

The log is the outbox itself (actions are never deleted), read with filters
and joined with the cached names of members, badges and requests.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.cache.database import Cache
from desktop.cache.rows import from_epoch, to_epoch
from desktop.cancellation import CancelToken
from desktop.domain import ActionKind, ActionState
from desktop.drift import HoldReason, noop_text
from desktop.export import safe_cell


@dataclass(frozen=True, slots=True)
class AuditFilter:
    kinds: frozenset[ActionKind] = frozenset()
    states: frozenset[ActionState] = frozenset()
    batch_id: str | None = None
    actor: str | None = None
    #: Part of a member's name, username or email, or of a badge title.
    text: str = ""
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    created_at: datetime
    actor: str
    kind: ActionKind
    member: str
    badge: str
    request_id: int | None
    reason: str
    batch_id: str | None
    state: ActionState
    outcome: str
    detail: str
    sent_at: datetime | None
    confirmed_at: datetime | None
    #: Why a held or conflicting action waits for the user (outbox.HoldReason value).
    hold_reason: str | None = None


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


def _where(query: AuditFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.kinds:
        clauses.append(f"a.kind IN ({', '.join('?' * len(query.kinds))})")
        params.extend(sorted(k.value for k in query.kinds))
    if query.states:
        clauses.append(f"a.state IN ({', '.join('?' * len(query.states))})")
        params.extend(sorted(s.value for s in query.states))
    if query.batch_id:
        clauses.append("a.batch_id LIKE ?")
        params.append(query.batch_id + "%")
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


def _entry(row: Sequence[Any]) -> AuditEntry:
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
    data = json.loads(payload)
    if username:
        member = f"{display_name} (@{username})"
    elif member_id is not None:
        member = f"member #{member_id}"
    else:
        member = ""
    details: list[str] = []
    if hold:
        details.append(HoldReason(hold).text)
    if error:
        details.append(error)
    if result:
        decided_by = json.loads(result).get("decided_by")
        if decided_by:
            details.append(f"decided by {decided_by}")
    if state == ActionState.DONE.value:
        nothing_done = noop_text(outcome, json.loads(result or "{}"))
        if nothing_done:
            details.append(nothing_done)
    action_kind = ActionKind(kind)
    reason = str(data.get("reason") or "")
    if action_kind is ActionKind.DECIDE:
        reason = f"{data.get('decision')}: {reason}".rstrip(": ")
    elif action_kind is ActionKind.BADGE_SAVE:
        reason = f"saved “{data.get('fields', {}).get('title', '')}”"
    elif action_kind is ActionKind.BADGE_STATE:
        reason = f"{data.get('from', '?')} → {data.get('state')}"
    return AuditEntry(
        id=action_id,
        created_at=from_epoch(created_at),
        actor=actor or "",
        kind=action_kind,
        member=member,
        badge=badge_title or ("" if badge_id is None else f"badge #{badge_id}"),
        request_id=request_id,
        reason=reason,
        batch_id=batch_id,
        state=ActionState(state),
        outcome=outcome or "",
        detail="; ".join(details),
        sent_at=None if sent_at is None else from_epoch(sent_at),
        confirmed_at=None if confirmed_at is None else from_epoch(confirmed_at),
        hold_reason=hold,
    )


def audit_entries(
    cache: Cache, query: AuditFilter = AuditFilter(), *, limit: int = 500, before_id: int | None = None
) -> list[AuditEntry]:
    """The newest matching entries first (action ids grow with time); page with ``before_id``."""
    where, params = _where(query)
    if before_id is not None:
        where = f"{where} AND a.id < ?" if where else " WHERE a.id < ?"
        params.append(before_id)
    with cache.read() as connection:
        rows = connection.exec_driver_sql(f"{_SELECT}{where} ORDER BY a.id DESC LIMIT ?", (*params, limit))
        return [_entry(row) for row in rows]


def audit_count(cache: Cache, query: AuditFilter = AuditFilter()) -> int:
    where, params = _where(query)
    with cache.read() as connection:
        value = connection.exec_driver_sql(f"SELECT COUNT(*) FROM ({_SELECT}{where})", tuple(params)).scalar()
        return int(value or 0)


def actors(cache: Cache) -> list[str]:
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT DISTINCT actor FROM actions WHERE actor IS NOT NULL AND actor != '' ORDER BY actor"
        )
        return [row[0] for row in rows]


AUDIT_COLUMNS = (
    "when",
    "who",
    "action",
    "member",
    "badge",
    "request",
    "why",
    "batch",
    "state",
    "outcome",
    "detail",
    "sent",
    "confirmed",
)


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


def export_audit_csv(
    cache: Cache, query: AuditFilter, path: Path, *, cancel: CancelToken | None = None, chunk: int = 5000
) -> int:
    """Write every matching entry (newest first); the file appears only when complete."""
    tmp = path.with_name(path.name + ".part")
    written = 0
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(AUDIT_COLUMNS)
            before: int | None = None
            while True:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                entries = audit_entries(cache, query, limit=chunk, before_id=before)
                for e in entries:
                    writer.writerow(
                        [
                            _iso(e.created_at),
                            safe_cell(e.actor),
                            e.kind.value,
                            safe_cell(e.member),
                            safe_cell(e.badge),
                            "" if e.request_id is None else e.request_id,
                            safe_cell(e.reason),
                            e.batch_id or "",
                            e.state.value,
                            e.outcome,
                            safe_cell(e.detail),
                            _iso(e.sent_at),
                            _iso(e.confirmed_at),
                        ]
                    )
                written += len(entries)
                if len(entries) < chunk:
                    break
                before = entries[-1].id
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return written
