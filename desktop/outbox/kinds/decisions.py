"""Decisions on badge requests: sent one at a time, all of a group or none.

The server checks the versions the moderator saw: someone else deciding
first makes the decision a conflict, kept with what the other moderator did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.dialects.base import RequestDesk
from desktop.domain import Action, ActionState, ChangeSet, Decision, utc_now
from desktop.drift import HoldReason
from desktop.net.errors import DecisionConflict
from desktop.outbox.kinds.common import mirror
from desktop.outbox.store import actions as rows
from desktop.outbox.types import DecisionSpec, Tally


@dataclass(frozen=True, slots=True)
class QueuedDecision:
    """A decision action as the review queue reads it."""

    spec: DecisionSpec
    #: What the server said when the decision was in conflict, and whether it was undone.
    decided_by: str | None
    decided_at: datetime | None
    their_decision: str | None
    conflicting_request: int | None
    undone: bool

    @property
    def request_ids(self) -> list[int]:
        return [self.spec.request_id, *(i for i, _v in self.spec.duplicates)]


def read(action: Action) -> QueuedDecision:
    p = action.payload
    result = action.result or {}
    spec = DecisionSpec(
        request_id=int(p["request_id"]),
        version=int(p["version"]),
        decision=Decision(p["decision"]),
        reason=p.get("reason", ""),
        message=p.get("message"),
        duplicates=tuple((int(i), int(v)) for i, v in p.get("duplicates", ())),
        member_id=p.get("member_id"),
        badge_id=p.get("badge_id"),
    )
    decided_at = result.get("decided_at")
    return QueuedDecision(
        spec=spec,
        decided_by=result.get("decided_by"),
        decided_at=datetime.fromisoformat(decided_at) if decided_at else None,
        their_decision=result.get("their_decision"),
        conflicting_request=result.get("conflicting_request"),
        undone=bool(result.get("undone_by")),
    )


def send(cache: Cache, desk: RequestDesk, action: Action, tally: Tally) -> None:
    spec = read(action).spec
    now = to_epoch(utc_now())
    try:
        decided = desk.decide(
            spec.request_id,
            version=spec.version,
            decision=spec.decision,
            reason=spec.reason,
            message=spec.message,
            idempotency_key=action.idempotency_key,
            duplicates=list(spec.duplicates),
        )
    except DecisionConflict as conflict:
        theirs = conflict.current
        with cache.write() as connection:
            rows.store_result(
                connection,
                action.id,
                ActionState.CONFLICT,
                "conflict",
                HoldReason.DECIDED_ELSEWHERE,
                {
                    "conflict": str(conflict),
                    "conflicting_request": theirs.id,
                    "decided_by": theirs.decided_by,
                    "decided_at": theirs.decided_at.isoformat() if theirs.decided_at else None,
                    "their_decision": theirs.state.value,
                },
                now,
            )
        mirror(cache, lambda connection: Cache.upsert_requests(connection, [theirs]))
        tally.conflicts += 1
        touched = {spec.request_id, theirs.id}
    else:
        current = decided.request
        with cache.write() as connection:
            # An undo made while this was in flight is recorded there: keep it.
            before = rows.result_of(connection, action.id)
            rows.store_result(
                connection,
                action.id,
                ActionState.DONE,
                current.state.value,
                None,
                {**before, "state": current.state.value, "award_id": decided.award_id},
                now,
            )
        mirror(cache, lambda connection: Cache.upsert_requests(connection, [current, *decided.duplicates]))
        tally.applied += 1
        touched = {current.id, *(d.id for d in decided.duplicates)}
    tally.changed(ChangeSet(requests=frozenset(touched), outbox=True))


def describe(payload: dict[str, Any]) -> str:
    return f"{payload.get('decision')}: {payload.get('reason') or ''}".rstrip(": ")
