"""What the programs pane shows: each program with its last run and whether it is due, and one
program's runs and winners by period.

Read from the work file (programs, ``program_runs``, ``program_actions`` and the
actions they point to) with the mirror's members and badges for the names. A winner
is a member a run queued an award for in a period, unless that award was discarded
before it reached the server (its claim was given back): the state of the award
says whether the server has confirmed it yet.

Thread safety: a worker's (it reads the cache), never the GUI thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from desktop.cache.database import Cache
from desktop.domain import ActionKind, ActionState
from desktop.outbox.batch_names import batch_names
from desktop.programs.model import Program, ProgramRun
from desktop.programs.periods import Period
from desktop.programs.store import ProgramStore


@dataclass(frozen=True, slots=True)
class ProgramRow:
    """One line of the programs list."""

    program: Program
    #: The badge's title in the mirror ("" when the mirror does not know it).
    badge_title: str
    alumni_title: str
    #: Its newest run (None before any).
    last_run: ProgramRun | None
    #: The latest ended period with no run yet (None: not due).
    due: Period | None


@dataclass(frozen=True, slots=True)
class RunRow:
    run: ProgramRun
    #: How many awards the run queued (members sent for the first time this period).
    awarded: int
    #: The name of the batch it queued ("" when it queued none).
    batch_name: str
    #: How many members gone from its list it revoked, and the name of that batch ("": none).
    revoked: int = 0
    revoke_batch_name: str = ""
    #: The run handed a title over (one action, no batch) rather than awarding.
    handover: bool = False


@dataclass(frozen=True, slots=True)
class Winner:
    period_key: str
    member_id: int
    #: "Display name (@username)", or "@username", or "" when the mirror does not know the member.
    member: str
    #: The reason the award carries (why the source picked the member).
    reason: str
    #: The award's state in the outbox (None: its action is not known any more).
    state: ActionState | None
    action_id: int | None


@dataclass(frozen=True, slots=True)
class ProgramHistory:
    program_id: int
    #: Newest first.
    runs: tuple[RunRow, ...]
    #: Newest period first, then by member.
    winners: tuple[Winner, ...]


def program_rows(store: ProgramStore, today: date) -> list[ProgramRow]:
    """The live programs by name, each with its badge's title, its newest run and its due period."""
    programs = store.programs()
    due = {d.program.id: d.period for d in store.due(today)}
    titles = {badge.id: badge.title for badge in store.cache.badges()}
    rows: list[ProgramRow] = []
    for program in programs:
        runs = store.runs(program.id, limit=1)
        alumni = program.spec.alumni_badge_id
        rows.append(
            ProgramRow(
                program,
                titles.get(program.spec.badge_id, ""),
                "" if alumni is None else titles.get(alumni, ""),
                runs[0] if runs else None,
                due.get(program.id),
            )
        )
    return rows


_WINNERS = (
    "SELECT pa.period_key, pa.member_id, m.username, m.display_name, a.payload, a.state, a.id"
    " FROM program_actions pa LEFT JOIN actions a ON a.id = pa.action_id"
    " LEFT JOIN members m ON m.id = pa.member_id"
    " WHERE pa.program_id = ? AND pa.kind = ? AND (a.id IS NULL OR a.state != ?)"
    " ORDER BY pa.period_key DESC, lower(coalesce(m.display_name, m.username, '')), pa.member_id"
)


def program_history(cache: Cache, program_id: int) -> ProgramHistory:
    """``program_id``'s runs (newest first) and the members it awarded in each period."""
    runs = ProgramStore(cache).runs(program_id)
    with cache.read() as connection:
        batch_ids = [b for r in runs for b in (r.batch_id, r.revoke_batch_id) if b is not None]
        names = batch_names(connection, batch_ids)
        found = connection.exec_driver_sql(
            _WINNERS, (program_id, ActionKind.AWARD.value, ActionState.DISCARDED.value)
        ).all()
    winners = tuple(
        Winner(
            period_key=period_key,
            member_id=member_id,
            member=_member(username, display_name),
            reason=_reason(payload),
            state=None if state is None else ActionState(state),
            action_id=action_id,
        )
        for period_key, member_id, username, display_name, payload, state, action_id in found
    )
    rows = tuple(
        RunRow(
            run,
            int(run.counts.get("queued", 0)),
            "" if run.batch_id is None else names.get(run.batch_id, ""),
            int(run.counts.get("revoked", 0)),
            "" if run.revoke_batch_id is None else names.get(run.revoke_batch_id, ""),
            bool(run.counts.get("handover", 0)),
        )
        for run in runs
    )
    return ProgramHistory(program_id, rows, winners)


def _member(username: str | None, display_name: str | None) -> str:
    if username is None:
        return ""
    return f"{display_name} (@{username})" if display_name else f"@{username}"


def _reason(payload: str | None) -> str:
    if payload is None:
        return ""
    try:
        reason = json.loads(payload).get("reason")
    except (ValueError, AttributeError):
        return ""
    return reason if isinstance(reason, str) else ""
