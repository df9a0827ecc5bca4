"""Batches: actions made together (a list, a selection), followed, reported and undone as one."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, RowMapping, select

from desktop.cache import schema
from desktop.cache.rows import from_epoch, to_epoch
from desktop.domain import ActionKind, ActionState, Award, utc_now
from desktop.drift import HoldReason
from desktop.i18n import _
from desktop.outbox.batch_names import batch_names
from desktop.outbox.kinds import mass_award
from desktop.outbox.kinds.awards import award_payloads, revoke_payloads
from desktop.outbox.store import actions as rows
from desktop.outbox.store import queries
from desktop.outbox.types import WAITING, Batch, BatchRowRecord, BatchSummary, OutboxError, bucket

_ROWS_PER_INSERT = 5000


def new_batch(
    kind: ActionKind,
    badge_id: int,
    *,
    reason: str,
    notify: bool,
    message: str | None,
    source: str,
    actor: str,
    corrects: str | None = None,
) -> Batch:
    if kind not in (ActionKind.AWARD, ActionKind.REVOKE):
        raise ValueError(f"A batch awards or revokes, not {kind.value!r}")
    return Batch(
        id=uuid.uuid4().hex,
        kind=kind,
        badge_id=badge_id,
        reason=reason,
        notify=notify,
        message=message,
        source=source,
        actor=actor,
        created_at=utc_now().replace(microsecond=0),
        corrects=corrects,
    )


def insert(
    connection: Connection,
    batch: Batch,
    member_ids: Sequence[int],
    records: Iterable[BatchRowRecord],
    *,
    mass: bool = False,
    grants: Mapping[int, Award] | None = None,
    reasons: Mapping[int, str] | None = None,
) -> None:
    """The batch, its actions and its input rows (inside the caller's transaction).

    ``mass``: the awards go by the server's mass award first (one action ahead
    of them, which each award names); those it does not apply go one by one.
    ``grants``: the grant each revoke names (see :mod:`desktop.grants`).
    ``reasons``: member id → the reason its award carries instead of the batch's.
    """
    _insert_batch(connection, batch)
    if batch.kind is ActionKind.AWARD:
        payloads = award_payloads(
            member_ids, batch.badge_id, batch.reason, batch.notify, batch.message, reasons
        )
        if mass:
            # Outside the batch's own actions (its counts and report are per member).
            keys = rows.insert(
                connection,
                ActionKind.MASS_AWARD,
                [mass_award.payload(batch.id, batch.badge_id)],
                None,
                batch.actor,
            )
            upload = rows.by_keys(connection, keys)[0].id
            for entry in payloads:
                entry["after_mass"] = upload
    elif mass:
        raise ValueError("Only awards go by a mass award")
    else:
        payloads = revoke_payloads(member_ids, batch.badge_id, batch.reason, grants, notify=batch.notify)
    rows.insert(connection, batch.kind, payloads, batch.id, batch.actor)
    chunk: list[dict[str, Any]] = []
    for record in records:
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
        if len(chunk) >= _ROWS_PER_INSERT:
            connection.execute(schema.batch_rows.insert(), chunk)
            chunk = []
    if chunk:
        connection.execute(schema.batch_rows.insert(), chunk)


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
            corrects=batch.corrects,
        )
    )


def with_name(connection: Connection, batch: Batch) -> Batch:
    """The batch with its name for people (it must be stored already)."""
    return _named(connection, [batch])[0]


def _named(connection: Connection, found: Sequence[Batch]) -> list[Batch]:
    names = batch_names(connection, [b.id for b in found])
    return [dataclasses.replace(b, name=names.get(b.id, "")) for b in found]


def get(connection: Connection, batch_id: str) -> Batch | None:
    row = connection.execute(select(schema.batches).where(schema.batches.c.id == batch_id)).first()
    return None if row is None else with_name(connection, _batch(row._mapping))


def newest(connection: Connection, limit: int) -> list[BatchSummary]:
    table = schema.batches
    found = connection.execute(select(table).order_by(table.c.created_at.desc()).limit(limit))
    return [summary(connection, b) for b in _named(connection, [_batch(row._mapping) for row in found])]


def summary(connection: Connection, batch: Batch) -> BatchSummary:
    counts = dict.fromkeys(
        ("applied", "noop", "conflict", "held", "failed", "pending", "sending", "skipped"), 0
    )
    total = 0
    for state, outcome, n in queries.batch_counts(connection, batch.id):
        total += n
        counts[bucket(state, outcome)] += n
    return BatchSummary(batch=batch, total=total, **counts)


def undo(connection: Connection, batch_id: str, actor: str) -> Batch | None:
    """Drop the batch's unsent actions, queue the reversal of what it applied (``Outbox.undo_batch``)."""
    batch = get(connection, batch_id)
    if batch is None:
        raise OutboxError(_("There is no batch {batch}.").format(batch=batch_id[:6]))
    # Marked first, in one statement: of two windows (or processes) undoing
    # the same batch at once, only one gets past this.
    marked = connection.execute(
        schema.batches.update()
        .where(schema.batches.c.id == batch_id, schema.batches.c.undone_by.is_(None))
        .values(undone_by="-")
    ).rowcount
    if not marked:
        raise OutboxError(_("The batch {batch} was already undone.").format(batch=batch.title))
    queries.discard_batch(connection, batch_id, (ActionState.PENDING, *WAITING), "undone")
    applied = "awarded" if batch.kind is ActionKind.AWARD else "revoked"
    # A badge the member already held, awarded again with "apply anyway", was
    # not given by this batch: undoing it must not take it away.
    reverse = [
        (action_id, member_id, result)
        for action_id, member_id, result in queries.applied_or_in_flight(connection, batch_id, applied)
        if result.get("overridden", {}).get("reason") != HoldReason.ALREADY_HELD
    ]
    reversal: Batch | None = None
    if reverse:
        kind = ActionKind.REVOKE if batch.kind is ActionKind.AWARD else ActionKind.AWARD
        reversal = Batch(
            id=uuid.uuid4().hex,
            kind=kind,
            badge_id=batch.badge_id,
            # Sent to the server and kept with the batch: not translated.
            reason=f"undo of batch {batch.id[:6]}",
            notify=False,
            message=None,
            source=f"undo of batch {batch.id[:6]}",
            actor=actor,
            created_at=utc_now().replace(microsecond=0),
            undo_of=batch.id,
        )
        _insert_batch(connection, reversal)
        revoked = [action_id for action_id, _member_id, _result in reverse]
        named = _named_grants(connection, revoked) if batch.kind is ActionKind.REVOKE else {}
        payloads = [
            {
                "member_id": member_id,
                "badge_id": batch.badge_id,
                "reason": reversal.reason,
                "undo_of_action": action_id,
                **_reversal_grant(kind, result, named.get(action_id)),
            }
            for action_id, member_id, result in reverse
        ]
        rows.insert(connection, kind, payloads, reversal.id, reversal.actor)
    connection.execute(
        schema.batches.update()
        .where(schema.batches.c.id == batch_id)
        .values(undone_by=reversal.id if reversal is not None else "-")
    )
    release_undone(connection, [batch_id])
    return None if reversal is None else with_name(connection, reversal)


def _named_grants(connection: Connection, action_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The payloads of these revokes that named a grant (a badge held several times)."""
    found: dict[int, dict[str, Any]] = {}
    for row in rows.rows_by_ids(connection, action_ids):
        payload = json.loads(row["payload"])
        if "award_id" in payload:
            found[int(row["id"])] = payload
    return found


def _reversal_grant(
    kind: ActionKind, result: dict[str, Any], revoke: dict[str, Any] | None
) -> dict[str, Any]:
    """What a reversal carries besides member and badge, so it undoes exactly what was done.

    A revoke taking back an award names the grant the award made (a member may
    hold the badge several times: an older grant must stay). An award taking
    back the revoke of a named grant gives it back with its old reason, so a
    grant linking a topic links it again.
    """
    if kind is ActionKind.REVOKE:
        return {} if result.get("award_id") is None else {"award_id": result["award_id"]}
    extra: dict[str, Any] = {"notify": False, "message": None}
    if revoke is not None and revoke.get("grant_reason"):
        extra["reason"] = revoke["grant_reason"]
    return extra


def undone_batches(connection: Connection) -> set[str]:
    found = connection.execute(select(schema.batches.c.id).where(schema.batches.c.undone_by.is_not(None)))
    return {row[0] for row in found}


def release_undone(connection: Connection, batch_ids: Iterable[str]) -> None:
    """An undo batch whose every reversal was dropped undid nothing: its batch may be undone again."""
    for batch_id in batch_ids:
        row = connection.execute(
            select(schema.batches.c.undo_of).where(schema.batches.c.id == batch_id)
        ).first()
        if row is None or row[0] is None:
            continue
        if queries.changed_nothing(connection, batch_id):
            connection.execute(
                schema.batches.update().where(schema.batches.c.id == row[0]).values(undone_by=None)
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
        corrects=row["corrects"],
    )


def batch_members(connection: Connection, batch_id: str) -> list[tuple[int, str]]:
    """The members of a batch (one per action), each with how people read them, in the batch's order.

    What a correction starts from: a member the mirror does not know is "member #12".
    """
    found = connection.exec_driver_sql(
        "SELECT a.member_id, m.username, m.display_name FROM actions a"
        " LEFT JOIN members m ON m.id = a.member_id"
        " WHERE a.batch_id = ? AND a.member_id IS NOT NULL ORDER BY a.id",
        (batch_id,),
    )
    members: dict[int, str] = {}
    for member_id, username, display_name in found:
        if member_id in members:
            continue
        if username:
            members[member_id] = f"{display_name} (@{username})" if display_name else f"@{username}"
        else:
            members[member_id] = _("member #{id}").format(id=member_id)
    return list(members.items())
