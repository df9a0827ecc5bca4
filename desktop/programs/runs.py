"""Queueing a program's run: its batch (and its revokes), once per period, and the run's record.

One transaction of the work file commits the program's claim on each (program,
period, member, kind), the batch with its actions and input rows, and the run.
The claim is the ``program_actions`` table's primary key: a second run for the
same period (another window, another process, a run after a crash whose record
was lost) cannot queue the same member again, whatever its dry run said; the
members whose claim the database refused are counted, not sent. An action
discarded before it reached the server (undone, skipped) gives its claim back,
so a run after an undo awards again. A SIGKILL leaves all of it or none.

Members gone from a list source are revoked only when the moderator gives a
reason ("certification expired"): a second batch, of revokes, claimed the same
way under the kind "revoke".

Thread safety: :func:`queue_run` writes through the cache; any thread, never the GUI's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from desktop.cache import schema
from desktop.cache.rows import to_epoch
from desktop.domain import Action, ActionKind, ActionState, Award, utc_now
from desktop.grants import is_multiple_grant, newest_grants
from desktop.i18n import _
from desktop.outbox import Batch, BatchRowRecord, Outbox
from desktop.outbox import batches as outbox_batches
from desktop.outbox.batches import new_batch
from desktop.outbox.store import actions
from desktop.programs.dry_run import PICKABLE, PlannedCandidate, ProgramDryRun, Standing
from desktop.programs.model import Program, ProgramError, ProgramRun
from desktop.programs.titles import HandoverError, handover_payload


@dataclass(frozen=True, slots=True)
class QueuedRun:
    run: ProgramRun
    #: The batch of awards; None when nothing was new (everyone awarded this period already).
    batch: Batch | None
    #: Members sent for the first time this period.
    queued: tuple[int, ...]
    #: Members the dry run would have awarded whose claim the database refused (queued
    #: for this period meanwhile, by another run).
    refused: tuple[int, ...]
    #: The batch of revokes of members gone from the list (None: none asked or none to revoke).
    revoke_batch: Batch | None = None
    revoked: tuple[int, ...] = ()
    #: The hand-over queued instead of a batch, where the badge is held by one member at a time.
    handover: Action | None = None


#: Take a member's place for the period; a place whose action was discarded unsent is taken again.
_CLAIM = (
    "INSERT INTO program_actions (program_id, period_key, member_id, kind, action_id)"
    " VALUES (?, ?, ?, ?, NULL)"
    " ON CONFLICT (program_id, period_key, member_id, kind) DO UPDATE SET action_id = NULL"
    " WHERE program_actions.action_id IS NOT NULL AND EXISTS"
    " (SELECT 1 FROM actions a WHERE a.id = program_actions.action_id AND a.state = ?)"
)


def queue_run(
    outbox: Outbox,
    plan: ProgramDryRun,
    *,
    ties_chosen: Iterable[int] = (),
    kept: Any = None,
    revoke_gone: str | None = None,
    picked: Iterable[int] | None = None,
) -> QueuedRun:
    """Queue the awards ``plan`` found (and the tied members the moderator chose), and record the run.

    ``kept``: what the source asks to keep for its next run (JSON-safe).
    ``revoke_gone``: revoke the badge of the members gone from the list, with this
    reason (None: they keep it). A run that finds nothing new is recorded too (no
    batch): its period has been run. :class:`ProgramError` when the program was
    changed or deleted since the dry run, or a member chosen is not a tie.
    """
    chosen = set(ties_chosen)
    tied = {row.member_id for row in plan.ties}
    if chosen - tied:
        raise ProgramError(_("Only tied members can be chosen; run the dry run again."))
    if picked is not None:
        # The moderator's own pick: among those the dry run placed, tied or ranked below the cut-off.
        chosen = set(picked)
        pickable = {r.member_id for r in plan.rows if r.standing in PICKABLE}
        if chosen - pickable:
            raise ProgramError(_("Only members the dry run ranked can be picked; run the dry run again."))
    if revoke_gone is not None and not revoke_gone.strip():
        raise ProgramError(_("Say why the members gone from the list lose the badge."))
    program, period = plan.program, plan.period
    if picked is None:
        rows = [r for r in plan.rows if r.standing is Standing.TO_AWARD or r.member_id in chosen]
    else:
        rows = [r for r in plan.rows if r.member_id in chosen]
    placed = [r for r in rows if r.standing is not Standing.TIE]
    if plan.places_left is not None and len(placed) > plan.places_left:
        # A ranking's places are once per period: a runner-up is picked instead of, not besides.
        raise ProgramError(
            _("This period has {left} of {places} places left: pick at most that many.").format(
                left=plan.places_left, places=plan.top
            )
        )
    actor = outbox.actor
    with outbox.cache.write() as connection:
        # A write first: this transaction then holds the work file's write lock from its first
        # statement on, so two processes queueing at once take turns.
        _still_as_planned(connection, program)
        if plan.title is not None:
            return _hand_over(connection, plan, rows, kept, actor)
        queued, refused = _claim(connection, plan, [r.member_id for r in rows], ActionKind.AWARD)
        batch: Batch | None = None
        if queued:
            batch = _new(program, plan, ActionKind.AWARD, actor, program.spec.message or None)
            outbox_batches.insert(
                connection,
                batch,
                queued,
                _records(plan, rows, set(refused)),
                reasons={r.member_id: r.reason for r in rows},
            )
            _point_claims(connection, program.id, period.key, batch.id, ActionKind.AWARD)
        revoke_batch: Batch | None = None
        revoked: list[int] = []
        if revoke_gone is not None and plan.to_revoke:
            revoked, _refused = _claim(connection, plan, list(plan.to_revoke), ActionKind.REVOKE)
            if revoked:
                revoke_batch = _new(program, plan, ActionKind.REVOKE, actor, None, revoke_gone.strip())
                outbox_batches.insert(
                    connection,
                    revoke_batch,
                    revoked,
                    _gone_records(plan, set(revoked)),
                    grants=_grants(connection, program.spec.badge_id, revoked),
                )
                _point_claims(connection, program.id, period.key, revoke_batch.id, ActionKind.REVOKE)
        counts = plan.counts()
        counts.update(queued=len(queued), refused=len(refused), revoked=len(revoked))
        run = _record_run(connection, program.id, period.key, batch, revoke_batch, counts, kept, actor)
        if batch is not None:
            batch = outbox_batches.with_name(connection, batch)
        if revoke_batch is not None:
            revoke_batch = outbox_batches.with_name(connection, revoke_batch)
    return QueuedRun(run, batch, tuple(queued), tuple(refused), revoke_batch, tuple(revoked))


def _hand_over(
    connection: Connection,
    plan: ProgramDryRun,
    rows: Sequence[PlannedCandidate],
    kept: Any,
    actor: str,
) -> QueuedRun:
    """The run of a badge held by one member at a time: one hand-over to the one winner, claimed for
    the period as an award is (inside the caller's transaction)."""
    program, period = plan.program, plan.period
    if len(rows) > 1:
        raise ProgramError(
            _("The badge is held by one member at a time: a run hands it to one winner, not {n}.").format(
                n=len(rows)
            )
        )
    queued, refused = _claim(connection, plan, [r.member_id for r in rows], ActionKind.AWARD)
    handover: Action | None = None
    if queued:
        winner = rows[0]
        try:
            body = handover_payload(
                connection,
                program.spec.badge_id,
                winner.member_id,
                reason=winner.reason,
                alumni_badge_id=program.spec.alumni_badge_id,
            )
        except HandoverError as error:
            raise ProgramError(str(error)) from None
        keys = actions.insert(connection, ActionKind.HANDOVER, [body], None, actor)
        handover = actions.by_keys(connection, keys)[0]
        connection.exec_driver_sql(
            "UPDATE program_actions SET action_id = ?"
            " WHERE program_id = ? AND period_key = ? AND member_id = ? AND kind = ?",
            (handover.id, program.id, period.key, winner.member_id, ActionKind.AWARD.value),
        )
    counts = plan.counts()
    counts.update(queued=len(queued), refused=len(refused), revoked=0, handover=len(queued))
    run = _record_run(connection, program.id, period.key, None, None, counts, kept, actor)
    return QueuedRun(run, None, tuple(queued), tuple(refused), handover=handover)


def _claim(
    connection: Connection, plan: ProgramDryRun, member_ids: Sequence[int], kind: ActionKind
) -> tuple[list[int], list[int]]:
    """Take each member's place for the period: (taken now, refused: taken before)."""
    taken: list[int] = []
    refused: list[int] = []
    for member_id in member_ids:
        result = connection.exec_driver_sql(
            _CLAIM, (plan.program.id, plan.period.key, member_id, kind.value, ActionState.DISCARDED.value)
        )
        (taken if result.rowcount else refused).append(member_id)
    return taken, refused


def _new(
    program: Program,
    plan: ProgramDryRun,
    kind: ActionKind,
    actor: str,
    message: str | None,
    reason: str | None = None,
) -> Batch:
    return new_batch(
        kind,
        program.spec.badge_id,
        reason=reason or _("{program} · {period}").format(program=program.name, period=plan.period.key),
        notify=kind is ActionKind.AWARD,
        message=message,
        source=program.name,
        actor=actor,
    )


def _still_as_planned(connection: Connection, program: Program) -> None:
    """Refuse a plan made for a program deleted or changed since (its badge, rule, message)."""
    touched = connection.exec_driver_sql(
        "UPDATE programs SET version = version WHERE id = ? AND deleted_at IS NULL AND version = ?",
        (program.id, program.version),
    ).rowcount
    if touched:
        return
    deleted = connection.exec_driver_sql(
        "SELECT deleted_at IS NOT NULL FROM programs WHERE id = ?", (program.id,)
    ).scalar()
    if deleted is None or deleted:
        raise ProgramError(_("This program no longer exists."))
    raise ProgramError(_("The program was changed since the dry run. Run the dry run again."))


def _records(
    plan: ProgramDryRun, sent: Sequence[PlannedCandidate], refused: set[int]
) -> Iterable[BatchRowRecord]:
    """One input row per candidate the batch is about: sent, already holding, claimed before."""
    sending = {r.member_id for r in sent}
    number = 0
    for r in plan.rows:
        if r.member_id in sending and r.member_id not in refused:
            status, detail = "to_send", None
        elif r.member_id in refused or r.standing is Standing.AWARDED_THIS_PERIOD:
            status = "already"
            detail = _("already awarded for {period}").format(period=plan.period.key)
        elif r.standing is Standing.ALREADY_HOLDS:
            status, detail = "already", _("already holds the badge")
        elif r.standing is Standing.INACTIVE:
            status, detail = "inactive", None
        elif r.standing is Standing.NOT_FOUND:
            status, detail = "not_found", None
        else:
            continue  # not meeting the conditions, below the cut-off, a tie not chosen
        number += 1
        member_id = None if r.standing is Standing.NOT_FOUND else r.member_id
        yield BatchRowRecord(number, r.member, status, detail, member_id)


def _gone_records(plan: ProgramDryRun, revoked: set[int]) -> Iterable[BatchRowRecord]:
    for number, r in enumerate((r for r in plan.gone if r.standing is Standing.TO_REVOKE), start=1):
        if r.member_id in revoked:
            yield BatchRowRecord(number, r.member, "to_send", None, r.member_id)
        else:
            detail = _("already revoked for {period}").format(period=plan.period.key)
            yield BatchRowRecord(number, r.member, "already", detail, r.member_id)


def _grants(connection: Connection, badge_id: int, member_ids: Sequence[int]) -> dict[int, Award] | None:
    """A badge held several times: each revoke names the member's newest grant (desktop.grants)."""
    if not is_multiple_grant(connection, badge_id):
        return None
    return {
        member_id: award
        for member_id, (award, _count) in newest_grants(connection, badge_id, member_ids).items()
    }


def _point_claims(
    connection: Connection, program_id: int, period_key: str, batch_id: str, kind: ActionKind
) -> None:
    """Each claim taken in this transaction names the action queued for it."""
    connection.exec_driver_sql(
        "UPDATE program_actions SET action_id = (SELECT a.id FROM actions a WHERE a.batch_id = ?"
        " AND a.kind = ? AND a.member_id = program_actions.member_id)"
        " WHERE program_id = ? AND period_key = ? AND kind = ? AND action_id IS NULL",
        (batch_id, kind.value, program_id, period_key, kind.value),
    )


def _record_run(
    connection: Connection,
    program_id: int,
    period_key: str,
    batch: Batch | None,
    revoke_batch: Batch | None,
    counts: dict[str, int],
    kept: Any,
    actor: str,
) -> ProgramRun:
    ran_at = utc_now().replace(microsecond=0)
    batch_id = None if batch is None else batch.id
    revoke_batch_id = None if revoke_batch is None else revoke_batch.id
    inserted = connection.execute(
        schema.program_runs.insert().values(
            program_id=program_id,
            period_key=period_key,
            ran_at=to_epoch(ran_at),
            batch_id=batch_id,
            revoke_batch_id=revoke_batch_id,
            counts=json.dumps(counts, sort_keys=True),
            kept=None if kept is None else json.dumps(kept, sort_keys=True),
            actor=actor,
        )
    ).inserted_primary_key
    assert inserted is not None
    return ProgramRun(
        int(inserted[0]), program_id, period_key, ran_at, batch_id, counts, kept, actor, revoke_batch_id
    )
