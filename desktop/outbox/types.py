"""The outbox's values: what callers pass in and get back."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desktop.domain import Action, ActionKind, ActionState, ChangeSet, Decision
from desktop.drift import NOOP_OUTCOMES
from desktop.i18n import _


class PauseReason(enum.StrEnum):
    """Why sending is paused: the value kept under the pause key."""

    #: The user paused ("1": what earlier versions kept).
    USER = "1"
    #: The server refused the token (401); lifted when a new token is given.
    TOKEN_REFUSED = "token_refused"


#: Outcomes that changed something on the server.
APPLIED_OUTCOMES = frozenset({"awarded", "revoked", "approved", "denied", "returned"})
#: States in which an action waits for the user.
WAITING = (ActionState.FAILED, ActionState.CONFLICT, ActionState.HELD)


class OutboxError(Exception):
    """A request the outbox cannot carry out; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class DecisionSpec:
    """A moderator's decision on a request (and its duplicates), ready to queue."""

    request_id: int
    version: int
    decision: Decision
    reason: str = ""
    message: str | None = None
    duplicates: tuple[tuple[int, int], ...] = ()
    member_id: int | None = None
    badge_id: int | None = None

    def payload(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "version": self.version,
            "decision": self.decision.value,
            "reason": self.reason,
            "message": self.message,
            "duplicates": [[i, v] for i, v in self.duplicates],
            "member_id": self.member_id,
            "badge_id": self.badge_id,
        }


@dataclass(frozen=True, slots=True)
class DecisionUndo:
    """What undoing a decision did: dropped it unsent, queued a revoke, or nothing was needed."""

    action_id: int
    dropped: bool
    reversal: Action | None


@dataclass(frozen=True, slots=True)
class SendProgress:
    done: int
    total: int
    #: Seconds since the send began.
    elapsed: float = 0.0
    #: Estimated seconds left, from the pace so far (None before the first answer).
    eta: float | None = None


@dataclass(frozen=True, slots=True)
class SendReport:
    #: Unsent actions when the send began (plus any queued while it ran).
    queued: int
    #: Confirmed by the server: applied or no-op.
    done: int
    conflicts: int
    failed: int
    changes: ChangeSet
    held: int = 0
    applied: int = 0
    noop: int = 0
    #: Stopped early because the outbox was paused.
    paused: bool = False


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often a chunk is re-sent after a transient failure, and how long to wait.

    The HTTP session already retries each request a few times; this covers
    longer outages (a restarting server) without giving up the run.
    """

    attempts: int = 4
    first_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, attempt: int) -> float:
        return float(min(self.max_delay, self.first_delay * 2 ** (attempt - 1)))


NO_RETRY = RetryPolicy(attempts=1)


@dataclass(frozen=True, slots=True)
class Batch:
    id: str
    kind: ActionKind
    badge_id: int
    reason: str
    notify: bool
    message: str | None
    source: str
    actor: str
    created_at: datetime
    undo_of: str | None = None
    undone_by: str | None = None
    #: The batch this one corrects (started from that batch's history), or None.
    corrects: str | None = None
    #: Its name for people ("Contest Winner · 2025-06-12 · #3 · 40 members"), given when read
    #: from the work file (:mod:`desktop.outbox.batch_names`); "" before it is stored.
    name: str = ""

    @property
    def label(self) -> str:
        """Short, stable reference by id ("batch 3f2a9c"): what an undo's reason names on the server."""
        return _("batch {batch}").format(batch=self.id[:6])

    @property
    def title(self) -> str:
        """What the user sees for this batch: its name, or its id's label before it has one."""
        return self.name or self.label


@dataclass(frozen=True, slots=True)
class BatchSummary:
    batch: Batch
    total: int = 0
    applied: int = 0
    noop: int = 0
    conflict: int = 0
    held: int = 0
    failed: int = 0
    pending: int = 0
    sending: int = 0
    skipped: int = 0

    @property
    def unsent(self) -> int:
        return self.pending + self.sending

    @property
    def finished(self) -> bool:
        return not (self.unsent or self.conflict or self.held or self.failed)


@dataclass(frozen=True, slots=True)
class BatchRowRecord:
    """One input row of a batch and what the dry run made of it."""

    row: int
    input: str
    status: str
    detail: str | None = None
    member_id: int | None = None


@dataclass(slots=True)
class Tally:
    """What one send run has done so far."""

    applied: int = 0
    noop: int = 0
    conflicts: int = 0
    failed: int = 0
    held: int = 0
    skipped: int = 0
    changes: ChangeSet = field(default_factory=ChangeSet)

    @property
    def finished(self) -> int:
        return self.applied + self.noop + self.conflicts + self.failed + self.held + self.skipped

    def changed(self, changes: ChangeSet) -> None:
        self.changes = self.changes.merged(changes)


def bucket(state: ActionState, outcome: str | None) -> str:
    """Which count of a batch summary an action adds to."""
    if state is ActionState.DONE:
        return "noop" if outcome in NOOP_OUTCOMES else "applied"
    if state is ActionState.DISCARDED:
        return "skipped"
    return state.value
