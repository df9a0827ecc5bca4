"""A program's run for one period: the dry run from its source's answer, then one batch, once per period.

The dry run classifies each candidate the source gave, in its order:

- *not found* (the cache knows no such member), *inactive* (suspended or deleted),
  *not meeting the conditions* (the program's rule, compiled by
  :func:`desktop.rule_sql.compile_rule` and run over the candidates), then
- a top-N cut-off over those left, when asked: members of equal score across the
  cut-off are a **tie** the moderator decides (none of them is picked by itself);
  the rest beyond it are *below the cut-off*;
- of those picked, *awarded this period* (the program queued them for this period
  already), *already holds the badge*, or **to award**.

Queueing commits, in one transaction of the work file, the program's claim on
each (program, period, member, kind), the batch with its actions and input rows,
and the run. The claim is the table's primary key: a second run for the same
period (another window, another process, a run after a crash whose record was
lost) cannot queue the same member again, whatever its dry run said; the members
whose claim the database refused are counted, not sent. An action discarded
before it reached the server (undone, skipped) gives its claim back, so a run
after an undo awards again. A SIGKILL leaves all of it or none.

Each award carries its own reason: where the server takes a link as a grant's
reason (``link_reasons``; Discourse), the post or topic that earned it; elsewhere
the sentence saying why, with the link.

Thread safety: pure values; :func:`program_dry_run` reads and :func:`queue_run`
writes through the cache; any thread, never the GUI's.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import Connection

from desktop.cache import schema
from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.domain import ActionKind, ActionState, MemberStatus, utc_now
from desktop.i18n import _
from desktop.outbox import Batch, BatchRowRecord, Outbox
from desktop.outbox import batches as outbox_batches
from desktop.outbox.batches import new_batch
from desktop.programs.model import Program, ProgramError, ProgramRun
from desktop.programs.periods import Period
from desktop.programs.sources.base import Candidate, SourceResult, Unmatched
from desktop.rule_sql import compile_rule

_CHUNK = 500


class Standing(enum.StrEnum):
    """What the dry run made of a candidate."""

    TO_AWARD = "to_award"
    #: Equal score across the top-N cut-off: the moderator decides.
    TIE = "tie"
    BELOW_CUT = "below_cut"
    AWARDED_THIS_PERIOD = "awarded_this_period"
    ALREADY_HOLDS = "already_holds"
    RULE_EXCLUDED = "rule_excluded"
    INACTIVE = "inactive"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class PlannedCandidate:
    candidate: Candidate
    standing: Standing
    #: How people read the member ("@alice", "member #12").
    member: str
    #: The reason the award would carry.
    reason: str

    @property
    def member_id(self) -> int:
        return self.candidate.member_id


@dataclass(frozen=True, slots=True)
class ProgramDryRun:
    """Exactly what a run would queue, before anything is queued."""

    program: Program
    period: Period
    #: Every candidate once (a member the source named twice: its first time), in the source's order.
    rows: tuple[PlannedCandidate, ...]
    top: int | None = None
    unmatched: tuple[Unmatched, ...] = ()
    gone: tuple[Candidate, ...] = ()
    notes: tuple[str, ...] = ()
    upcoming: tuple[Candidate, ...] = ()

    def having(self, standing: Standing) -> tuple[PlannedCandidate, ...]:
        return tuple(row for row in self.rows if row.standing is standing)

    @property
    def to_award(self) -> tuple[int, ...]:
        return tuple(row.member_id for row in self.having(Standing.TO_AWARD))

    @property
    def ties(self) -> tuple[PlannedCandidate, ...]:
        return self.having(Standing.TIE)

    def counts(self) -> dict[str, int]:
        found = {standing.value: 0 for standing in Standing}
        for row in self.rows:
            found[row.standing.value] += 1
        found["candidates"] = len(self.rows)
        found["unmatched"] = len(self.unmatched)
        found["gone"] = len(self.gone)
        return found


def award_reason(candidate: Candidate, *, link_reasons: bool) -> str:
    """What the award of ``candidate`` carries as its reason."""
    if candidate.link and link_reasons:
        return candidate.link
    if candidate.link:
        return _("{why}: {link}").format(why=candidate.why, link=candidate.link)
    return candidate.why


def program_dry_run(
    cache: Cache,
    program: Program,
    period: Period,
    result: SourceResult,
    *,
    now: datetime,
    tz: tzinfo | None = None,
    top: int | None = None,
    link_reasons: bool = False,
) -> ProgramDryRun:
    """What running ``program`` for ``period`` would do with its source's answer ``result``.

    ``now`` and ``tz`` resolve the rule's relative dates ("seen in the last 90 days");
    ``top``: keep the best ``top`` candidates meeting the conditions (None: all).
    """
    if program.problem:
        raise ProgramError(program.problem)
    if top is not None and top < 1:
        raise ValueError("top must be at least 1")
    firsts: dict[int, Candidate] = {}
    for c in result.candidates:
        firsts.setdefault(c.member_id, c)
    candidates = list(firsts.values())
    ids = [c.member_id for c in candidates]
    members = cache.members_by_ids(ids)
    with cache.read() as connection:
        passing = _meeting(connection, program, ids, now, tz)
        holders = _holders(connection, program.spec.badge_id, ids)
        claimed = _claimed(connection, program.id, period.key, ids)
    standing: dict[int, Standing] = {}
    eligible: list[Candidate] = []
    for c in candidates:
        member = members.get(c.member_id)
        if member is None:
            standing[c.member_id] = Standing.NOT_FOUND
        elif member.status is not MemberStatus.ACTIVE:
            standing[c.member_id] = Standing.INACTIVE
        elif passing is not None and c.member_id not in passing:
            standing[c.member_id] = Standing.RULE_EXCLUDED
        else:
            eligible.append(c)
    standing.update(_cut(eligible, top))
    for c in eligible:
        if standing[c.member_id] in (Standing.TO_AWARD, Standing.TIE):
            if c.member_id in claimed:
                standing[c.member_id] = Standing.AWARDED_THIS_PERIOD
            elif c.member_id in holders:
                standing[c.member_id] = Standing.ALREADY_HOLDS
    rows = tuple(
        PlannedCandidate(
            c,
            standing[c.member_id],
            _who(members[c.member_id].username if c.member_id in members else None, c.member_id),
            award_reason(c, link_reasons=link_reasons),
        )
        for c in candidates
    )
    return ProgramDryRun(
        program, period, rows, top, result.unmatched, result.gone, result.notes, result.upcoming
    )


def _who(username: str | None, member_id: int) -> str:
    return f"@{username}" if username else _("member #{id}").format(id=member_id)


def _cut(eligible: Sequence[Candidate], top: int | None) -> dict[int, Standing]:
    """The top ``top`` of ``eligible`` (best first): picked, tied across the cut, or below it."""
    if top is None or len(eligible) <= top:
        return {c.member_id: Standing.TO_AWARD for c in eligible}
    last_in, first_out = eligible[top - 1].score, eligible[top].score
    tied = last_in is not None and last_in == first_out
    found: dict[int, Standing] = {}
    for rank, c in enumerate(eligible):
        if tied and c.score == last_in:
            found[c.member_id] = Standing.TIE
        elif rank < top:
            found[c.member_id] = Standing.TO_AWARD
        else:
            found[c.member_id] = Standing.BELOW_CUT
    return found


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _meeting(
    connection: Connection, program: Program, ids: Sequence[int], now: datetime, tz: tzinfo | None
) -> set[int] | None:
    """The members of ``ids`` meeting the program's rule (None: it has none)."""
    rule = program.spec.rule
    if rule is None:
        return None
    condition, params = compile_rule(rule, now, tz)
    found: set[int] = set()
    for part in _chunks(ids):
        marks = ", ".join("?" * len(part))
        rows = connection.exec_driver_sql(
            f"SELECT m.id FROM members m WHERE m.id IN ({marks}) AND ({condition})", (*part, *params)
        )
        found.update(row[0] for row in rows)
    return found


def _holders(connection: Connection, badge_id: int, ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for part in _chunks(ids):
        marks = ", ".join("?" * len(part))
        rows = connection.exec_driver_sql(
            f"SELECT member_id FROM awards WHERE badge_id = ? AND member_id IN ({marks})", (badge_id, *part)
        )
        found.update(row[0] for row in rows)
    return found


#: A claim whose action was discarded before reaching the server is free again.
_CLAIM_HELD = (
    "SELECT pa.member_id FROM program_actions pa LEFT JOIN actions a ON a.id = pa.action_id"
    " WHERE pa.program_id = ? AND pa.period_key = ? AND pa.kind = ?"
    " AND (a.id IS NULL OR a.state != ?)"
)


def _claimed(
    connection: Connection,
    program_id: int,
    period_key: str,
    ids: Sequence[int],
    kind: ActionKind = ActionKind.AWARD,
) -> set[int]:
    wanted = set(ids)
    rows = connection.exec_driver_sql(
        _CLAIM_HELD, (program_id, period_key, kind.value, ActionState.DISCARDED.value)
    )
    return {row[0] for row in rows if row[0] in wanted}


# --- queueing ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueuedRun:
    run: ProgramRun
    #: The batch queued; None when nothing was new (everyone awarded this period already).
    batch: Batch | None
    #: Members sent for the first time this period.
    queued: tuple[int, ...]
    #: Members the dry run would have awarded whose claim the database refused (queued
    #: for this period meanwhile, by another run).
    refused: tuple[int, ...]


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
) -> QueuedRun:
    """Queue the awards ``plan`` found (and the tied members the moderator chose), and record the run.

    ``kept``: what the source asks to keep for its next run (JSON-safe). A run
    that finds nothing new is recorded too (no batch): its period has been run.
    """
    chosen = set(ties_chosen)
    tied = {row.member_id for row in plan.ties}
    if chosen - tied:
        raise ProgramError(_("Only tied members can be chosen; run the dry run again."))
    program, period = plan.program, plan.period
    rows = [r for r in plan.rows if r.standing is Standing.TO_AWARD or r.member_id in chosen]
    reasons = {r.member_id: r.reason for r in rows}
    actor = outbox.actor
    with outbox.cache.write() as connection:
        # A write first: this transaction then holds the work file's write lock from its first
        # statement on, so two processes queueing at once take turns.
        _still_as_planned(connection, program)
        queued: list[int] = []
        refused: list[int] = []
        for r in rows:
            result = connection.exec_driver_sql(
                _CLAIM,
                (program.id, period.key, r.member_id, ActionKind.AWARD.value, ActionState.DISCARDED.value),
            )
            (queued if result.rowcount else refused).append(r.member_id)
        batch: Batch | None = None
        if queued:
            batch = new_batch(
                ActionKind.AWARD,
                program.spec.badge_id,
                reason=_("{program} · {period}").format(program=program.name, period=period.key),
                notify=True,
                message=program.spec.message or None,
                source=program.name,
                actor=actor,
            )
            outbox_batches.insert(
                connection, batch, queued, _records(plan, rows, set(refused)), reasons=reasons
            )
            _point_claims(connection, program.id, period.key, batch.id)
        counts = plan.counts()
        counts["queued"] = len(queued)
        counts["refused"] = len(refused)
        run = _record_run(connection, program.id, period.key, batch, counts, kept, actor)
        if batch is not None:
            batch = outbox_batches.with_name(connection, batch)
    return QueuedRun(run, batch, tuple(queued), tuple(refused))


def _still_as_planned(connection: Connection, program: Program) -> None:
    """Refuse a plan made for a program deleted or changed since (its badge, rule, message)."""
    touched = connection.exec_driver_sql(
        "UPDATE programs SET updated_at = updated_at WHERE id = ? AND deleted_at IS NULL AND updated_at = ?",
        (program.id, to_epoch(program.updated_at)),
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


def _point_claims(connection: Connection, program_id: int, period_key: str, batch_id: str) -> None:
    """Each claim taken in this transaction names the award action queued for it."""
    connection.exec_driver_sql(
        "UPDATE program_actions SET action_id = (SELECT a.id FROM actions a WHERE a.batch_id = ?"
        " AND a.kind = ? AND a.member_id = program_actions.member_id)"
        " WHERE program_id = ? AND period_key = ? AND kind = ? AND action_id IS NULL",
        (batch_id, ActionKind.AWARD.value, program_id, period_key, ActionKind.AWARD.value),
    )


def _record_run(
    connection: Connection,
    program_id: int,
    period_key: str,
    batch: Batch | None,
    counts: dict[str, int],
    kept: Any,
    actor: str,
) -> ProgramRun:
    ran_at = utc_now().replace(microsecond=0)
    inserted = connection.execute(
        schema.program_runs.insert().values(
            program_id=program_id,
            period_key=period_key,
            ran_at=to_epoch(ran_at),
            batch_id=None if batch is None else batch.id,
            counts=json.dumps(counts, sort_keys=True),
            kept=None if kept is None else json.dumps(kept, sort_keys=True),
            actor=actor,
        )
    ).inserted_primary_key
    assert inserted is not None
    return ProgramRun(
        int(inserted[0]),
        program_id,
        period_key,
        ran_at,
        None if batch is None else batch.id,
        counts,
        kept,
        actor,
    )
