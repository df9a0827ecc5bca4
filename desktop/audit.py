"""The audit log: every action of the outbox, with who, when, why, batch and outcome.

The log is the outbox itself (actions are never deleted), read with filters
and joined with the cached names of members, badges and requests.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection

from desktop.cache.database import Cache
from desktop.cache.rows import from_epoch
from desktop.cancellation import CancelToken
from desktop.domain import ActionKind, ActionState
from desktop.drift import HoldReason, noop_text
from desktop.export import safe_cell
from desktop.i18n import _
from desktop.outbox import kinds
from desktop.outbox.batch_names import batch_names, batches_named
from desktop.outbox.kinds import mass_award
from desktop.outbox.store import history


@dataclass(frozen=True, slots=True)
class AuditFilter:
    kinds: frozenset[ActionKind] = frozenset()
    states: frozenset[ActionState] = frozenset()
    #: One batch (its id, or the start of it).
    batch_id: str | None = None
    actor: str | None = None
    #: Part of a member's name, username or email, or of a badge title.
    text: str = ""
    since: datetime | None = None
    until: datetime | None = None
    #: Part of a batch's name ("Contest Winner · 2025-06-12 · #3", any case), or the start of its id.
    batch: str = ""


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
    #: Its batch's id (for machines: copy, filter, the CSV's batch_id).
    batch_id: str | None
    state: ActionState
    outcome: str
    detail: str
    sent_at: datetime | None
    confirmed_at: datetime | None
    #: Why a held or conflicting action waits for the user (outbox.HoldReason value).
    hold_reason: str | None = None
    #: Its batch's name for people (:mod:`desktop.outbox.batch_names`); "" outside a batch.
    batch: str = ""
    #: The batch its batch corrects (started from that batch's history): id and name, or None and "".
    corrects_id: str | None = None
    corrects: str = ""


def _history_filter(connection: Connection, query: AuditFilter) -> history.HistoryFilter:
    named = tuple(batches_named(connection, query.batch)) if query.batch.strip() else None
    return history.HistoryFilter(
        kinds=query.kinds,
        states=query.states,
        batch_prefix=query.batch_id,
        batch_ids=named,
        actor=query.actor,
        text=query.text,
        since=query.since,
        until=query.until,
    )


def _mass_award_batch(row: history.HistoryRow) -> str | None:
    """The batch a mass award uploads (kept in its payload: the action is not one of the batch's)."""
    batch_id = row.payload.get("batch_id") if row.kind is ActionKind.MASS_AWARD else None
    return str(batch_id) if batch_id else None


def _reason(row: history.HistoryRow, names: dict[str, str]) -> str:
    uploaded = _mass_award_batch(row)
    if uploaded is not None and uploaded in names:
        return _("mass award of {batch}").format(batch=names[uploaded])
    reason = kinds.describe(row.kind, row.payload)
    if "undo_of_action" in row.payload and row.batch_id in names and reason.startswith("undo of batch "):
        # The reason an undo sends names the batch by id (the server keeps it so); here, by its name.
        return names[row.batch_id]
    return reason


def _entry(row: history.HistoryRow, names: dict[str, str], corrected: dict[str, str]) -> AuditEntry:
    if row.username:
        member = f"{row.display_name} (@{row.username})"
    elif row.member_id is not None:
        member = _("member #{id}").format(id=row.member_id)
    else:
        member = ""
    details: list[str] = []
    if row.hold_reason and not (row.last_error and row.hold_reason == HoldReason.TITLE_HELD_ELSEWHERE):
        # (A hand-over stopped by a holder the cache did not know: its own words name them.)
        details.append(HoldReason(row.hold_reason).text)
    if row.last_error:
        details.append(row.last_error)
    granted_at = row.payload.get("granted_at") if row.kind is ActionKind.REVOKE else None
    if granted_at:
        # A badge held several times: which of the member's grants the revoke removes.
        details.append(
            _("the grant of {date} (#{id})").format(date=str(granted_at)[:10], id=row.payload.get("award_id"))
        )
    corrects_id = corrected.get(row.batch_id) if row.batch_id else None
    corrects = names.get(corrects_id, "") if corrects_id else ""
    if corrects_id:
        details.append(_("corrects {batch}").format(batch=corrects or corrects_id[:6]))
    decided_by = row.result.get("decided_by")
    if decided_by:
        details.append(_("decided by {who}").format(who=decided_by))
    if row.kind is ActionKind.MASS_AWARD and row.state is ActionState.DONE:
        details.append(mass_award.summary(row.outcome, row.result))
    elif row.state is ActionState.DONE:
        nothing_done = noop_text(row.outcome, row.result)
        if nothing_done:
            details.append(nothing_done)
    return AuditEntry(
        id=row.id,
        created_at=from_epoch(row.created_at),
        actor=row.actor or "",
        kind=row.kind,
        member=member,
        badge=row.badge_title or ("" if row.badge_id is None else _("badge #{id}").format(id=row.badge_id)),
        request_id=row.request_id,
        reason=_reason(row, names),
        batch_id=row.batch_id,
        state=row.state,
        outcome=row.outcome or "",
        detail="; ".join(details),
        sent_at=None if row.sent_at is None else from_epoch(row.sent_at),
        confirmed_at=None if row.confirmed_at is None else from_epoch(row.confirmed_at),
        hold_reason=row.hold_reason,
        batch="" if row.batch_id is None else names.get(row.batch_id, ""),
        corrects_id=corrects_id,
        corrects=corrects,
    )


def audit_entries(
    cache: Cache, query: AuditFilter = AuditFilter(), *, limit: int = 500, before_id: int | None = None
) -> list[AuditEntry]:
    """The newest matching entries first (action ids grow with time); page with ``before_id``."""
    with cache.read() as connection:
        found = history.history(
            connection, _history_filter(connection, query), limit=limit, before_id=before_id
        )
        wanted = {row.batch_id or _mass_award_batch(row) for row in found}
        corrected = _corrected(connection, {row.batch_id for row in found if row.batch_id})
        wanted.update(corrected.values())
        names = batch_names(connection, {batch_id for batch_id in wanted if batch_id})
    return [_entry(row, names, corrected) for row in found]


def _corrected(connection: Connection, batch_ids: set[str]) -> dict[str, str]:
    """The batch each of these batches corrects, for those that correct one."""
    found: dict[str, str] = {}
    ids = sorted(batch_ids)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ", ".join("?" * len(part))
        rows = connection.exec_driver_sql(
            f"SELECT id, corrects FROM batches WHERE corrects IS NOT NULL AND id IN ({marks})", tuple(part)
        )
        found.update({batch_id: corrects for batch_id, corrects in rows})
    return found


def audit_count(cache: Cache, query: AuditFilter = AuditFilter()) -> int:
    with cache.read() as connection:
        return history.history_count(connection, _history_filter(connection, query))


def actors(cache: Cache) -> list[str]:
    with cache.read() as connection:
        return history.actors(connection)


AUDIT_COLUMNS = (
    "when",
    "who",
    "action",
    "member",
    "badge",
    "request",
    "why",
    "batch",
    "batch_id",
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
                            safe_cell(e.batch),
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
