"""``badgedesk program run`` for a badge held by one member at a time: the hand-over asked, then said.

A title program's run queues one hand-over (no batch): the question names both
holders, and after the send the run says how the hand-over ended, from the
action as the outbox keeps it: done (exit 0), stopped by the server or a holder
the cache did not know (conflict, held, failed: exit 1, with the outbox's
words), or still queued (exit 3).

Thread safety: the main thread of a command-line process.
"""

from __future__ import annotations

from typing import Any, TextIO

from desktop.cli_headless import APPLIED, SOME_FAILED, STAYS_QUEUED, queued_words, say
from desktop.community import Community
from desktop.domain import Action, ActionState
from desktop.i18n import _
from desktop.outbox.kinds.handover import step_of
from desktop.outbox.store import actions as outbox_rows
from desktop.programs.dry_run import ProgramDryRun, Standing


def handover_question(community: Community, plan: ProgramDryRun) -> str:
    """The confirmation of a title run's one hand-over."""
    assert plan.title is not None
    [winner] = plan.having(Standing.TO_AWARD)
    badge = _badge_name(community, plan.program.spec.badge_id)
    if plan.title.holder_id is None:
        return _("Hand over “{badge}” to {member} (nobody holds it yet)?").format(
            badge=badge, member=winner.member
        )
    return _("Hand over “{badge}” from {holder} to {member}?").format(
        badge=badge, holder=plan.title.holder, member=winner.member
    )


def handover_outcome(community: Community, queued: Action, report: dict[str, Any], out: TextIO) -> int:
    """Say how the hand-over ended after the send, fill ``report["handover"]``; the exit status."""
    with community.cache.read() as connection:
        [action] = outbox_rows.by_ids(connection, [queued.id])
    p = action.payload
    member = _who(p.get("username"), p.get("member_id"))
    previous = (
        None if p.get("previous_id") is None else _who(p.get("previous_username"), p.get("previous_id"))
    )
    detail = action.last_error or ""
    report["handover"] = {
        "action_id": action.id,
        "badge_id": p.get("badge_id"),
        "member_id": p.get("member_id"),
        "member": member,
        "previous_id": p.get("previous_id"),
        "previous": previous,
        "alumni_badge_id": p.get("alumni_badge_id"),
        "state": action.state.value,
        "step": step_of(action),
        "detail": detail,
    }
    if action.state is ActionState.DONE:
        if previous is None:
            print(_("Handed to {member}.").format(member=member), file=out, flush=True)
        else:
            print(
                _("Handed over from {previous} to {member}.").format(previous=previous, member=member),
                file=out,
                flush=True,
            )
        return APPLIED
    if action.state in (ActionState.PENDING, ActionState.SENDING):
        say(queued_words(community, 1))
        return STAYS_QUEUED
    if action.state is ActionState.CONFLICT:
        say(_("The hand-over to {member} stopped: {why}").format(member=member, why=detail))
    elif action.state is ActionState.HELD:
        say(_("The hand-over to {member} was held back: {why}").format(member=member, why=detail))
    else:
        say(_("The hand-over to {member} failed: {why}").format(member=member, why=detail))
        say(_("The outbox keeps it: retry it there (it resumes at the step that failed), or skip it."))
        return SOME_FAILED
    say(_("The outbox keeps it: skip it there, or queue the hand-over again."))
    return SOME_FAILED


def _who(username: object, member_id: object) -> str:
    return f"@{username}" if username else _("member #{id}").format(id=member_id)


def _badge_name(community: Community, badge_id: int) -> str:
    found = next((b for b in community.cache.badges() if b.id == badge_id), None)
    return found.title if found is not None else _("badge #{id}").format(id=badge_id)


__all__ = ["handover_outcome", "handover_question"]
