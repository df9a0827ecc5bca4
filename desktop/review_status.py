"""What became of a decision made here, in the queue's words; and of undoing an approval already sent.

An approval the server has is taken back by revoking the award it gave
(:func:`desktop.outbox.undo.undo_decision`); the revoke names the approval it
reverses. The request itself stays decided on the server: BadgeDesk's API
decides only pending requests and has no way back to pending (a second
decision is refused with 409); on Discourse the approval's reply and the
closed topic stay (a closed topic reads as approved while the member holds
the badge, as denied when read again after the revoke; reopened, the staff
reply would make it read as returned, never pending). So the card does not claim
"pending": it tells the revoke's progress, and once the server confirmed
it, that the approval is reverted and the award revoked. Nothing is shown
as revoked before the server said so.

A reverted approval can be approved again: the award alone is sent
(:func:`desktop.outbox.undo.approve_again`), and the card follows it
(:class:`Again`).

Thread safety: pure functions; any thread.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from desktop.domain import ActionState, Decision
from desktop.drift import HoldReason
from desktop.i18n import _

#: What an undo records on an approval that had given nothing (the member held the badge).
NOTHING_GIVEN = "nothing"
#: The outcome of a revoke skipped because the approval it reverses changed nothing.
NOTHING_TO_UNDO = "nothing to undo"


def decision_texts(decision: Decision) -> dict[str, str]:
    """What became of a decision made here, in whole sentences (word order differs between languages)."""
    if decision is Decision.APPROVE:
        return {
            "refused": _("Approved, but the server refused: {error}"),
            "undone": _("Approved by you, then undone."),
            "confirmed": _("Approved by you; confirmed by the server."),
            "sending": _("Approved by you; sending…"),
            "queued": _("Approved by you; queued, not sent yet."),
        }
    if decision is Decision.DENY:
        return {
            "refused": _("Denied, but the server refused: {error}"),
            "undone": _("Denied by you, then undone."),
            "confirmed": _("Denied by you; confirmed by the server."),
            "sending": _("Denied by you; sending…"),
            "queued": _("Denied by you; queued, not sent yet."),
        }
    return {
        "refused": _("Returned, but the server refused: {error}"),
        "undone": _("Returned by you, then undone."),
        "confirmed": _("Returned by you; confirmed by the server."),
        "sending": _("Returned by you; sending…"),
        "queued": _("Returned by you; queued, not sent yet."),
    }


class Reversal(enum.StrEnum):
    """Where the undo of an approval already sent is."""

    #: The revoke is queued, not sent yet.
    QUEUED = "queued"
    SENDING = "sending"
    #: The server confirmed it: the member no longer holds the badge the approval gave.
    REVOKED = "revoked"
    #: The approval had given nothing (the badge was held already): nothing to revoke.
    NOTHING = "nothing"
    #: The revoke waits for the user (refused, held): the award stands for now.
    REFUSED = "refused"
    #: The revoke was discarded from the outbox before it was sent: the award stands.
    DISCARDED = "discarded"


def reversal_of(undone_by: Any, revoke: Mapping[Any, Any] | None) -> Reversal | None:
    """Where an approval's undo is, from the approval's ``undone_by`` and its revoke's row."""
    if not undone_by:
        return None
    if undone_by == NOTHING_GIVEN:
        return Reversal.NOTHING
    if revoke is None:
        # The revoke's row is gone (never, short of a damaged cache): nothing confirmed it.
        return Reversal.QUEUED
    state = ActionState(revoke["state"])
    if state is ActionState.DONE:
        return Reversal.REVOKED
    if state is ActionState.DISCARDED:
        return Reversal.NOTHING if revoke["outcome"] == NOTHING_TO_UNDO else Reversal.DISCARDED
    if state is ActionState.SENDING:
        return Reversal.SENDING
    if state.needs_user:
        return Reversal.REFUSED
    return Reversal.QUEUED


class Again(enum.StrEnum):
    """Where the award of an approval given again (after its undo) is."""

    QUEUED = "queued"
    SENDING = "sending"
    #: The server confirmed the award.
    AWARDED = "awarded"
    #: The member held the badge already (given meanwhile elsewhere): nothing was granted.
    HELD = "held"
    #: The award waits for the user (refused, held back).
    REFUSED = "refused"


def waiting_reason(row: Mapping[Any, Any] | None) -> str | None:
    """Why a revoke or an award waits for the user: the server's refusal, or why it is held."""
    if row is None:
        return None
    if row["last_error"]:
        return str(row["last_error"])
    hold = row["hold_reason"]
    if hold:
        try:
            return HoldReason(hold).text
        except ValueError:
            return str(hold)
    return None


def again_of(award: Mapping[Any, Any] | None) -> Again | None:
    """Where an approval's award given again is, from the award's row (None: there is none)."""
    if award is None:
        return None
    state = ActionState(award["state"])
    if state is ActionState.DONE:
        return Again.AWARDED if award["outcome"] == "awarded" else Again.HELD
    if state is ActionState.SENDING:
        return Again.SENDING
    if state.needs_user:
        return Again.REFUSED
    if state is ActionState.DISCARDED:
        return None
    return Again.QUEUED


def again_text(again: Again, error: str | None) -> str:
    """The card's sentence for an approval given again after its undo."""
    if again is Again.QUEUED:
        return _("Approved again by you: the award is queued, not sent yet.")
    if again is Again.SENDING:
        return _("Approved again by you: awarding…")
    if again is Again.AWARDED:
        return _("Approved again by you: the badge is awarded (confirmed by the server).")
    if again is Again.HELD:
        return _("Approved again by you; the member held the badge already, nothing was granted.")
    return _("Approved again, but the award waits: {error}").format(error=error or _("no reason given"))


def status_text(reversal: Reversal, error: str | None) -> str:
    """The card's sentence for an approval sent and then undone, in whole sentences."""
    if reversal is Reversal.QUEUED:
        return _("Approved by you, then undone: the award's revoke is queued, not sent yet.")
    if reversal is Reversal.SENDING:
        return _("Approved by you, then undone: revoking the award…")
    if reversal is Reversal.REVOKED:
        return _(
            "Approval reverted: the award is revoked (confirmed by the server). The request stays"
            " decided on the server: it cannot be reopened from here."
        )
    if reversal is Reversal.NOTHING:
        return _("Approved by you, then undone; it had changed nothing (the badge was held already).")
    if reversal is Reversal.REFUSED:
        return _("Approved by you; undoing it failed, the award stands: {error}").format(
            error=error or _("no reason given")
        )
    return _("Approved by you; its undo was discarded before it was sent, the award stands.")


__all__ = [
    "NOTHING_GIVEN",
    "NOTHING_TO_UNDO",
    "Again",
    "Reversal",
    "again_of",
    "again_text",
    "decision_texts",
    "reversal_of",
    "status_text",
    "waiting_reason",
]
