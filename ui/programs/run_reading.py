"""A program's dry run read off the GUI thread, for the run dialog: the source, the plan, what goes beside it.

:func:`load_dry_run` runs on a worker (files, the cache, the server's activity
through a session of the community's connector, which shares the one rate
budget with the sync and the sends); the rest are pure helpers: the program's
cut-off, the user's time zone and the periods the dialog offers.

Thread safety: :func:`load_dry_run` a worker's, never the GUI thread; the rest any thread.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication

from desktop import failures
from desktop.cancellation import CancelToken
from desktop.community import Community
from desktop.dialects.capabilities import Capabilities
from desktop.net.budget import Priority, RateBudget
from desktop.programs.cost import describe_cost
from desktop.programs.dry_run import ProgramDryRun, places, program_dry_run, send_plans
from desktop.programs.model import Program, ProgramError
from desktop.programs.periods import Cadence, Period, latest_ended, local_zone, previous
from desktop.programs.reading import SourceRead, read_source, reads_server
from desktop.programs.runs import QueuedRun
from desktop.programs.store import ProgramStore
from ui.i18n import format_date
from ui.session.app_session import AppSession

#: Earlier periods the period combo offers, besides the latest ended one.
EARLIER_PERIODS = 11


#: The kinds whose cut-off is the source's ``top``: members tied at it are the moderator's to decide.
def user_zone() -> tzinfo:
    """The user's time zone, with its summer time: the periods are the user's calendar."""
    return local_zone()


def periods_offered(program: Program, today: datetime, wanted: Period | None) -> list[Period]:
    """The latest ended period first, then earlier ones; ``wanted`` among them (added if not)."""
    latest = latest_ended(program.cadence, today.date())
    found = [latest]
    if program.cadence is not Cadence.ONE_OFF:
        for _number in range(EARLIER_PERIODS):
            found.append(previous(found[-1]))
    if wanted is not None and all(p.key != wanted.key for p in found):
        found.insert(0, wanted)
    return found


@dataclass(frozen=True, slots=True)
class LoadedRun:
    """A dry run as the worker made it, with what the dialog shows beside it."""

    read: SourceRead
    plan: ProgramDryRun
    capabilities: Capabilities | None
    budget: RateBudget | None
    #: The members who qualify soon, as people read them ("@ana").
    soon: dict[int, str]
    #: The period has a run already (recorded, with or without a batch).
    ran_before: bool
    #: What the run gives: the badge's title, and the alumni badge's where a title moves ("": none).
    badge: str = ""
    alumni: str = ""


def program_gone_text() -> str:
    return QCoreApplication.translate("ProgramRunDialog", "This program no longer exists.")


def load_dry_run(
    community: Community,
    program_id: int,
    period: Period,
    *,
    now: datetime,
    tz: tzinfo,
    cancel: CancelToken,
) -> LoadedRun:
    """The program's source read and its dry run (a worker's: files, the cache, the server)."""
    store = ProgramStore(community.cache)
    program = store.get(program_id)
    if program is None or program.deleted_at is not None:
        raise ProgramError(program_gone_text())
    if not reads_server(program.spec.source):
        read = read_source(store, program, period, server=None, now=now, tz=tz, cancel=cancel)
    else:
        # The server's activity or external ids, through the session the sync and the sends share
        # the budget with, behind what the user waits for elsewhere (a decision, a send).
        with contextlib.closing(community.connector(cancel, priority=Priority.BACKGROUND)) as session:
            read = read_source(store, program, period, server=session, now=now, tz=tz, cancel=cancel)
    cancel.raise_if_cancelled()
    capabilities = community.capabilities()
    plan = program_dry_run(
        community.cache,
        program,
        period,
        read.result,
        now=now,
        tz=tz,
        top=places(program),
        link_reasons=bool(capabilities and capabilities.link_reasons),
    )
    soon = community.cache.members_by_ids([c.member_id for c in plan.upcoming]) if plan.upcoming else {}
    ran = any(run.period_key == period.key for run in store.runs(program_id))
    titles = {b.id: b.title for b in community.cache.badges()}
    alumni = plan.title.alumni_badge_id if plan.title is not None else None
    return LoadedRun(
        read,
        plan,
        capabilities,
        community.rate_budget(),
        {member_id: f"@{m.username}" for member_id, m in soon.items()},
        ran,
        titles.get(program.spec.badge_id, ""),
        titles.get(alumni, "") if alumni is not None else "",
    )


def summary_text(plan: ProgramDryRun, awards: int, chosen: int) -> str:
    """What the run would do, in words: the ties to decide, then the awards (or nothing new)."""
    lines: list[str] = []
    ties = len(plan.ties)
    if ties:
        lines.append(
            QCoreApplication.translate(
                "ProgramRunDialog",
                "%n member(s) tie at the cut-off: tick those who get the badge ({chosen} ticked).",
                "",
                ties,
            ).format(chosen=chosen)
        )
    if awards:
        lines.append(
            QCoreApplication.translate(
                "ProgramRunDialog", "%Ln member(s) to award for {period}.", "", awards
            ).format(period=plan.period.key)
        )
    else:
        lines.append(
            QCoreApplication.translate("ProgramRunDialog", "Nothing new to award for {period}.").format(
                period=plan.period.key
            )
        )
    return "\n".join(lines)


def cost_text(loaded: LoadedRun, awards: int, revoking: bool) -> str:
    """What the run takes of the server: each send's requests and time at the rate limit
    (desktop.batch_plan), then the source's reads and the sends in one sentence
    (:func:`desktop.programs.cost.describe_cost`)."""
    if loaded.capabilities is None:
        return QCoreApplication.translate(
            "ProgramRunDialog", "Known once the community has been synced (what the server can do)."
        )
    limit = loaded.budget.limit if loaded.budget is not None else None
    if not awards and not revoking:
        lines = [QCoreApplication.translate("ProgramRunDialog", "Nothing to send.")]
        if loaded.read.requests:
            lines += describe_cost(loaded.read.requests, (), limit)
        return "\n".join(lines)
    plans = send_plans(loaded.plan, loaded.capabilities, loaded.budget, awards=awards, revoke_gone=revoking)
    lines = [line for plan in plans for line in plan.lines()]
    return "\n".join([*lines, *describe_cost(loaded.read.requests, plans, limit)])


def queued_text(run: QueuedRun, plan: ProgramDryRun | None) -> str:
    """What the dialog says once the run is committed."""
    batches = [b for b in (run.batch, run.revoke_batch) if b is not None]
    if run.handover is not None:
        winner = run.handover.member_id
        people = {row.member_id: row.member for row in plan.rows} if plan is not None else {}
        member = people.get(winner) if winner is not None else None
        if member is None:
            member = QCoreApplication.translate("ProgramRunDialog", "member #{id}").format(id=winner)
        return QCoreApplication.translate(
            "ProgramRunDialog", "Queued: the hand-over to {member}. The outbox sends it in the background."
        ).format(member=member)
    if batches:
        return QCoreApplication.translate(
            "ProgramRunDialog", "Queued: {batches}. The outbox sends it in the background."
        ).format(batches=", ".join(b.title for b in batches))
    return QCoreApplication.translate(
        "ProgramRunDialog", "Recorded: nothing new to award for {period}."
    ).format(period=run.run.period_key)


def days_text(period: Period) -> str:
    """The period's first and last day as the locale writes them ("" for a one-off)."""
    if period.first is None or period.last is None:
        return ""
    return QCoreApplication.translate("ProgramRunDialog", "{first} to {last}").format(
        first=format_date(period.first), last=format_date(period.last)
    )


def badge_text(loaded: LoadedRun) -> str:
    """What the run gives: the badge, and where a title moves, what the previous holder keeps."""
    if loaded.alumni:
        return QCoreApplication.translate(
            "ProgramRunDialog", "Gives “{badge}”; the previous holder keeps “{alumni}”."
        ).format(badge=loaded.badge, alumni=loaded.alumni)
    return QCoreApplication.translate("ProgramRunDialog", "Gives “{badge}”.").format(badge=loaded.badge)


def describe_failure(session: AppSession, error: Exception, *, reading: bool) -> str:
    """A failure to read the source (``reading``) or to queue the run, for the user."""
    if isinstance(error, ProgramError):
        return str(error)
    if reading:
        again = QCoreApplication.translate("ProgramRunDialog", "read again (F5)")
        task = failures.Task(
            QCoreApplication.translate("ProgramRunDialog", "Reading the program's source"),
            after_space=again,
            again=again,
        )
    else:
        task = failures.changing(QCoreApplication.translate("ProgramRunDialog", "queueing the run"))
    return session.describe(error, task).message
