"""``badgedesk program run NAME``: a saved program's run from a schedule, without the window.

The program from the profile's work file, its period (the latest ended one, or
``--period KEY``), its source read whatever its kind (:func:`desktop.programs.reading.read_source`:
a server's activity at background priority, in the budget sync and sends share), the dry run
printed with what the run costs (:func:`desktop.programs.cost.describe_cost`; or ``--json``),
then its batch queued through the work file (once per period:
:func:`desktop.programs.runs.queue_run`) and sent through the outbox, unless ``--dry-run``.
Tied members are never picked without a moderator: a tie across a ranking's last place is
left out, and the run says so.

Thread safety: the main thread of a command-line process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop import paths
from desktop.cli_headless import (
    APPLIED,
    REFUSED,
    SOME_FAILED,
    STAYS_QUEUED,
    UNREACHABLE,
    Stop,
    batch_results,
    confirm,
    failed,
    nothing_new,
    one_run_at_a_time,
    open_community,
    queued_words,
    run_command,
    say,
    send_queued,
    still_queued,
    sync_first,
    write_results,
)
from desktop.cli_title import handover_outcome, handover_question
from desktop.community import Community
from desktop.domain import utc_now
from desktop.i18n import _, ngettext
from desktop.net.budget import Priority
from desktop.net.errors import ServerBusy, ServerUnreachable, TlsError
from desktop.programs.cost import describe_cost
from desktop.programs.dry_run import ProgramDryRun, Standing, places, program_dry_run, send_plans
from desktop.programs.model import Program, ProgramError
from desktop.programs.periods import Cadence, Period, from_key, latest_ended
from desktop.programs.reading import SourceRead, read_source, reads_server
from desktop.programs.runs import queue_run
from desktop.programs.store import ProgramStore


def _period(program: Program, key: str | None, now: datetime) -> Period:
    if key is None:
        # The user's calendar: the machine's time zone, as the app's.
        return latest_ended(program.cadence, now.astimezone().date())
    try:
        return from_key(program.cadence, key)
    except ValueError:
        raise Stop(
            _("{key} is not a period of {program} ({cadence}).").format(
                key=key, program=program.name, cadence=program.cadence.value
            ),
            REFUSED,
        ) from None


def _read_source(
    community: Community, store: ProgramStore, program: Program, period: Period, now: datetime
) -> SourceRead:
    """The source's answer, what it keeps for its next run, and the file it read (if any)."""
    try:
        if not reads_server(program.spec.source):
            return read_source(store, program, period, server=None, now=now)
        # The server's activity or external ids: read in the one budget the sync and the sends
        # share, behind what the user waits for (the app's sends, where it shares this process's budget).
        try:
            with contextlib.closing(community.connector(priority=Priority.BACKGROUND)) as session:
                return read_source(store, program, period, server=session, now=now)
        except (ServerUnreachable, ServerBusy, TlsError) as error:
            raise Stop(
                _("Cannot reach {server} to read the program's source: {why}").format(
                    server=community.profile, why=error
                ),
                UNREACHABLE,
            ) from None
    except ProgramError as error:
        raise Stop(str(error), REFUSED) from None


def _standing(standing: Standing) -> str:
    """What the dry run made of a candidate, for people."""
    return {
        Standing.TO_AWARD: _("to award"),
        Standing.TIE: _("tied (a moderator decides)"),
        Standing.BELOW_CUT: _("below the cut-off"),
        Standing.AWARDED_THIS_PERIOD: _("awarded this period already"),
        Standing.ALREADY_HOLDS: _("already holds the badge"),
        Standing.RULE_EXCLUDED: _("does not meet the conditions"),
        Standing.INACTIVE: _("suspended or deleted"),
        Standing.NOT_FOUND: _("not found"),
        Standing.TO_REVOKE: _("to revoke"),
        Standing.REVOKED_THIS_PERIOD: _("revoked this period already"),
        Standing.NOT_HOLDING: _("does not hold the badge"),
    }[standing]


def _describe(plan: ProgramDryRun, soon_names: dict[int, str]) -> str:
    """The dry run for people: each candidate, why, and what becomes of it."""
    lines = [
        _("{program} for {period}:").format(program=plan.program.name, period=plan.period.key),
    ]
    for row in plan.rows:
        lines.append(
            _("  {member}: {standing} — {why}").format(
                member=row.member, standing=_standing(row.standing), why=row.candidate.why
            )
        )
    for unmatched in plan.unmatched:
        lines.append(_("  not matched: {row} — {why}").format(row=unmatched.row, why=unmatched.why))
    for row in plan.gone:
        lines.append(
            _("  gone from the list: {member} ({standing}) — {why}").format(
                member=row.member, standing=_standing(row.standing), why=row.reason
            )
        )
    for note in plan.notes:
        lines.append(f"  {note}")
    for soon in plan.upcoming:
        who = soon_names.get(soon.member_id) or _("member #{id}").format(id=soon.member_id)
        lines.append(_("  soon: {member} — {why}").format(member=who, why=soon.why))
    n = len(plan.to_award)
    lines.append(ngettext("{n} member to award.", "{n} members to award.", n).format(n=n))
    if plan.ties:
        lines.append(
            ngettext(
                "{n} tied member is left for a moderator to decide in the app.",
                "{n} tied members are left for a moderator to decide in the app.",
                len(plan.ties),
            ).format(n=len(plan.ties))
        )
    return "\n".join(lines)


def _as_json(plan: ProgramDryRun) -> dict[str, Any]:
    return {
        "program": plan.program.name,
        "period": plan.period.key,
        "counts": plan.counts(),
        "rows": [
            {
                "member_id": row.member_id,
                "member": row.member,
                "standing": row.standing.value,
                "why": row.candidate.why,
                "reason": row.reason,
            }
            for row in plan.rows
        ],
        "unmatched": [{"row": u.row, "why": u.why} for u in plan.unmatched],
        "gone": [
            {"member_id": r.member_id, "member": r.member, "standing": r.standing.value} for r in plan.gone
        ],
        "notes": list(plan.notes),
        "upcoming": [{"member_id": c.member_id, "why": c.why} for c in plan.upcoming],
    }


def _results_path(
    community: Community, program: Program, period: Period, read: Path | None, suffix: str = ""
) -> Path:
    """Beside the input: next to the list file (or its folder, never inside: it would be read as a
    list); for a source without a file, in the profile's folder."""
    name = f"{paths.profile_slug(program.name)}-{period.key}-results{suffix}.csv"
    if read is None:
        return paths.profile_dir(community.profile) / name
    return read.parent / name


def program_run_main(args: argparse.Namespace) -> int:
    report: dict[str, Any] = {}
    status = run_command(lambda: _run(args, report), "program run")
    if args.json:
        report["exit"] = status
        print(json.dumps(report, indent=2, ensure_ascii=False))
    return status


def _run(args: argparse.Namespace, report: dict[str, Any]) -> int:
    community = open_community(
        args.server,
        args.server_kind,
        args.username.strip(),
        args.insecure_http,
        args.token_file,
        args.requests_per_minute,
    )
    try:
        with one_run_at_a_time(community.profile):
            return _run_locked(args, community, report)
    finally:
        community.close()


def _run_locked(args: argparse.Namespace, community: Community, report: dict[str, Any]) -> int:
    sync_first(community)
    store = ProgramStore(community.cache)
    program = store.named(args.name)
    if program is None:
        raise Stop(_("There is no program named {name} in this profile.").format(name=args.name), REFUSED)
    now = utc_now()
    period = _period(program, args.period, now)
    if program.cadence is not Cadence.ONE_OFF and period.last is not None and args.period is None:
        say(_("Period {period} (the latest ended).").format(period=period.key))
    read_ = _read_source(community, store, program, period, now)
    result, keep, read = read_.result, read_.keep, read_.file
    capabilities = community.capabilities()
    link_reasons = bool(capabilities and capabilities.link_reasons)
    try:
        plan = program_dry_run(
            community.cache, program, period, result, now=now, top=places(program), link_reasons=link_reasons
        )
    except ProgramError as error:
        raise Stop(str(error), REFUSED) from None
    report.update(_as_json(plan))
    soon = community.cache.members_by_ids([c.member_id for c in plan.upcoming]) if plan.upcoming else {}
    text = _describe(plan, {member_id: f"@{m.username}" for member_id, m in soon.items()})
    revoking = args.revoke_gone is not None and bool(plan.to_revoke)
    if capabilities is not None:
        # What the run takes: the source's reads and the sends, requests and time at the rate limit.
        budget = community.rate_budget()
        costs = (
            send_plans(plan, capabilities, budget, revoke_gone=revoking) if plan.to_award or revoking else ()
        )
        lines = [line for cost in costs for line in cost.lines()]
        lines += describe_cost(read_.requests, costs, budget.limit if budget is not None else None)
        report["cost"] = lines
        report["read_requests"] = read_.requests
        text = "\n".join([text, *lines])
    if args.json:
        say(text)
    else:
        print(text, flush=True)
    if plan.to_revoke and args.revoke_gone is None:
        say(
            ngettext(
                "{n} member gone from the list keeps the badge: add --revoke-gone REASON to revoke it.",
                "{n} members gone from the list keep the badge: add --revoke-gone REASON to revoke it.",
                len(plan.to_revoke),
            ).format(n=len(plan.to_revoke))
        )
    if args.dry_run:
        return APPLIED
    if plan.title is not None and len(plan.to_award) == 1:
        confirm(handover_question(community, plan), args.yes)
    elif revoking:
        confirm(_("Queue and send the awards and the revokes above?"), args.yes)
    elif plan.to_award:
        n = len(plan.to_award)
        confirm(ngettext("Queue and send {n} award?", "Queue and send {n} awards?", n).format(n=n), args.yes)
    try:
        queued = queue_run(
            community.outbox, plan, kept=keep, revoke_gone=args.revoke_gone if revoking else None
        )
    except ProgramError as error:
        raise Stop(str(error), REFUSED) from None
    report["queued"] = list(queued.queued)
    report["refused"] = list(queued.refused)
    report["revoked"] = list(queued.revoked)
    report["batch"] = queued.batch.id if queued.batch is not None else None
    report["revoke_batch"] = queued.revoke_batch.id if queued.revoke_batch is not None else None
    sent = send_queued(community)
    report["sent"] = {
        "done": sent.done,
        "failed": sent.failed,
        "conflicts": sent.conflicts,
        "held": sent.held,
    }
    if queued.handover is not None:
        return handover_outcome(community, queued.handover, report, sys.stderr if args.json else sys.stdout)
    if queued.batch is None and queued.revoke_batch is None:
        if plan.title is not None:
            say(_("Nothing new to hand over for {period}.").format(period=period.key))
        else:
            say(_("Nothing new to award for {period}.").format(period=period.key))
        return nothing_new(community, sent)
    names = {
        row.member_id: row.member
        for row in (*plan.rows, *plan.gone)
        if row.standing is not Standing.NOT_FOUND
    }
    status = APPLIED
    report["results"] = []
    for batch, suffix in ((queued.batch, ""), (queued.revoke_batch, "-revokes")):
        if batch is None:
            continue
        results = batch_results(community, batch.id, names)
        report["results"] += [
            {"member_id": r.member_id, "member": r.member, "state": r.state, "batch": batch.id}
            for r in results
        ]
        bad = failed(results)
        waiting = still_queued(results)
        if waiting:
            say(queued_words(community, len(waiting)))
            if status == APPLIED:
                status = STAYS_QUEUED
        if bad:
            path = write_results(community, batch.id, _results_path(community, program, period, read, suffix))
            report.setdefault("results_csv", []).append(str(path))
            say(
                ngettext(
                    "{n} of {total} action of {batch} failed; each member's result: {path}",
                    "{n} of {total} actions of {batch} failed; each member's result: {path}",
                    len(results),
                ).format(n=len(bad), total=len(results), batch=batch.name or batch.id, path=path)
            )
            status = SOME_FAILED
        elif not waiting:
            print(
                ngettext(
                    "{n} action applied ({batch}).", "{n} actions applied ({batch}).", len(results)
                ).format(n=len(results), batch=batch.name or batch.id),
                file=sys.stderr if args.json else sys.stdout,
            )
    return status
