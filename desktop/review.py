"""The request-review queue: pending badge requests grouped, scored, sorted and decided.

Requests of one member for one badge are a *group* (duplicates); one decision
settles the whole group, and the server applies it to all of them or none.
A group's place in the queue comes from its oldest request or from its score,
whose parts are kept so the moderator can see why a request ranks high.

Decisions go through the outbox; the queue shows, beside the pending groups,
the groups decided here (this session, or still unsent or waiting for the
user), with what became of each decision.

Thread safety: functions here read the cache and may run on any worker thread.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from desktop.cache import schema
from desktop.cache.database import Cache
from desktop.cache.rows import badge_from_row, member_from_row, request_from_row
from desktop.domain import (
    UNRECOGNISED_BADGE,
    ActionState,
    Badge,
    BadgeRequest,
    Decision,
    Member,
    MemberStatus,
    RequestState,
    utc_now,
)
from desktop.i18n import _
from desktop.outbox import DecisionSpec
from desktop.outbox.kinds import decisions
from desktop.outbox.store import actions as action_rows
from desktop.outbox.store import history
from desktop.review_score import Score, score
from desktop.review_status import (
    Again,
    Reversal,
    again_of,
    again_text,
    decision_texts,
    reversal_of,
    waiting_reason,
)
from desktop.review_status import status_text as reversal_text
from desktop.sync import KEY_ACTOR, KEY_COMMUNITY

#: The decision that leads to each decided state.
STATE_DECISION = {decision.resulting_state: decision for decision in Decision}


class _PastTense(Mapping[Decision, str]):
    """Each decision in the past tense ("Approved"), in the user's language when read."""

    def __getitem__(self, decision: Decision) -> str:
        if decision is Decision.APPROVE:
            return _("Approved")
        if decision is Decision.DENY:
            return _("Denied")
        if decision is Decision.RETURN:
            return _("Returned")
        raise KeyError(decision)

    def __iter__(self) -> Iterator[Decision]:
        return iter(Decision)

    def __len__(self) -> int:
        return len(Decision)


PAST_TENSE: Mapping[Decision, str] = _PastTense()


class QueueOrder(enum.StrEnum):
    OLDEST = "oldest"
    SCORE = "score"

    @property
    def label(self) -> str:
        return _("Oldest first") if self is QueueOrder.OLDEST else _("Highest score first")


@dataclass(frozen=True, slots=True)
class LocalDecision:
    """A decision made here on a group, and what became of it."""

    action_id: int
    decision: Decision
    state: ActionState
    reason: str
    actor: str
    created_at: datetime
    outcome: str | None = None
    error: str | None = None
    #: When someone decided first: who, when, and what they decided.
    decided_by: str | None = None
    decided_at: datetime | None = None
    their_decision: str | None = None
    #: The approval was taken back after it was sent ("undo").
    undone: bool = False
    #: Where that undo is (the revoke of the award it gave), and why it waits if it does.
    reversal: Reversal | None = None
    reversal_error: str | None = None
    #: After a confirmed undo, the award of approving it again, and why it waits if it does.
    again: Again | None = None
    again_error: str | None = None
    #: In a conflict: the request that was decided (or changed) elsewhere.
    conflicting_request: int | None = None

    @property
    def status_text(self) -> str:
        if self.state is ActionState.CONFLICT:
            if self.their_decision in (None, RequestState.PENDING.value):
                return _(
                    "Request #{id} changed on the server since you saw it; nothing sent. Decide again."
                ).format(id=self.conflicting_request)
            when = self.decided_at.strftime("%Y-%m-%d %H:%M") if self.decided_at else _("an unknown time")
            return _("Decided by {who} at {when} ({decision}); nothing sent.").format(
                who=self.decided_by or _("another moderator"), when=when, decision=self.their_decision
            )
        if self.state is ActionState.FAILED:
            return decision_texts(self.decision)["refused"].format(error=self.error or _("no reason given"))
        if self.state is ActionState.DONE:
            if self.again is not None:
                return again_text(self.again, self.again_error)
            if self.undone and self.reversal is not None:
                return reversal_text(self.reversal, self.reversal_error)
            return decision_texts(self.decision)["undone" if self.undone else "confirmed"]
        if self.state is ActionState.SENDING:
            return decision_texts(self.decision)["sending"]
        return decision_texts(self.decision)["queued"]


@dataclass(frozen=True, slots=True)
class RequestGroup:
    """Requests of one member for one badge; the oldest is the primary."""

    requests: tuple[BadgeRequest, ...]
    member: Member | None
    badge: Badge | None
    held_badges: tuple[str, ...]
    score: Score
    decision: LocalDecision | None = None
    #: Requests of a conflict card that a later decision made here settles (a follow-up).
    decided_later: frozenset[int] = frozenset()

    @property
    def id(self) -> int:
        """The primary request's id; stable while the group is in the queue."""
        return self.requests[0].id

    @property
    def key(self) -> tuple[str, int]:
        """Unique in a snapshot: a decided group by its action, a pending one by its first request."""
        if self.decision is not None:
            return ("decision", self.decision.action_id)
        return ("pending", self.primary.id)

    @property
    def undecided(self) -> tuple[BadgeRequest, ...]:
        """Requests of this group still pending in the cache and not decided here since."""
        return tuple(
            r for r in self.requests if r.state is RequestState.PENDING and r.id not in self.decided_later
        )

    def follow_up(self) -> tuple[Decision | None, str | None]:
        """After a conflict: which decision may settle the undecided requests, or why none.

        Returns ``(None, None)`` for any decision (the server only changed a
        version, nobody decided), ``(decision, None)`` when another moderator
        decided part of the group (only the same decision avoids contradicting
        them), or ``(None, reason)`` when there is nothing to settle.
        """
        if self.decision is None or self.decision.state is not ActionState.CONFLICT:
            return None, _("This request has no conflict to settle.")
        if not self.undecided:
            return None, _("Nothing is left to decide here: every request of this group is decided.")
        decided = [r for r in self.requests if r.state is not RequestState.PENDING]
        if not decided:
            return None, None
        theirs = decided[0]
        follow = STATE_DECISION.get(theirs.state)
        if follow is None:
            return None, _("Request #{id} was {state}; settle the rest on the server.").format(
                id=theirs.id, state=theirs.state.value
            )
        return follow, None

    @property
    def primary(self) -> BadgeRequest:
        return self.requests[0]

    @property
    def duplicates(self) -> tuple[BadgeRequest, ...]:
        return self.requests[1:]

    @property
    def member_id(self) -> int:
        return self.primary.member_id

    @property
    def badge_id(self) -> int:
        return self.primary.badge_id

    @property
    def created_at(self) -> datetime:
        return self.primary.created_at

    @property
    def evidence_url(self) -> str | None:
        return next((r.evidence_url for r in self.requests if r.evidence_url), None)

    @property
    def suspended(self) -> bool:
        return self.member is not None and self.member.status is MemberStatus.SUSPENDED

    @property
    def pending(self) -> bool:
        """Still to decide here (no decision, or one that was undone before it was sent)."""
        return self.decision is None

    @property
    def reverted(self) -> bool:
        """An approval sent, undone, and its award's revoke confirmed: it can be approved again."""
        decision = self.decision
        return decision is not None and decision.reversal is Reversal.REVOKED and decision.again is None

    @property
    def member_text(self) -> str:
        if self.member is None:
            return _("member #{id}").format(id=self.member_id)
        return f"{self.member.display_name} (@{self.member.username})"

    @property
    def badge_recognised(self) -> bool:
        return self.badge_id != UNRECOGNISED_BADGE

    @property
    def badge_text(self) -> str:
        if not self.badge_recognised:
            return _("badge not recognised")
        return self.badge.title if self.badge else _("badge #{id}").format(id=self.badge_id)

    def approval_problem(self) -> str | None:
        """Why approving cannot work (the server would refuse), or None."""
        if self.member is None or self.member.status is MemberStatus.DELETED:
            return _("{member} no longer exists; deny the request instead.").format(member=self.member_text)
        if self.member.status is MemberStatus.SUSPENDED:
            return _("{name} is suspended: the badge cannot be awarded. Deny or return it.").format(
                name=self.member.display_name
            )
        if not self.badge_recognised:
            return _(
                "The request names no badge BadgeDesk recognises (its note says what was asked):"
                " deny or return it, or award the badge from a batch."
            )
        if self.badge is None:
            return _("The badge #{id} is not in the cache; sync first.").format(id=self.badge_id)
        if not self.badge.state.awardable:
            return _("The badge {title!r} is {state} and cannot be awarded.").format(
                title=self.badge.title, state=self.badge.state.value
            )
        return None

    def decision_spec(
        self, decision: Decision, *, reason: str = "", message: str | None = None
    ) -> DecisionSpec:
        """The outbox entry that settles this group, checked against the versions seen here.

        After a conflict it settles only the requests still pending.
        """
        requests = self.undecided if self.decision is not None else self.requests
        if not requests:
            raise ValueError("nothing left to decide in this group")
        first, *rest = requests
        return DecisionSpec(
            request_id=first.id,
            version=first.version,
            decision=decision,
            reason=reason,
            message=message,
            duplicates=tuple((r.id, r.version) for r in rest),
            member_id=self.member_id,
            badge_id=self.badge_id,
        )


@dataclass(frozen=True, slots=True)
class BadgeCount:
    badge_id: int
    title: str
    count: int


@dataclass(frozen=True, slots=True)
class ReviewSnapshot:
    """The queue as the view shows it: every group in order, and the pending count per badge."""

    groups: tuple[RequestGroup, ...]
    #: Pending requests (duplicates counted) per badge, most first, over the whole queue.
    badge_counts: tuple[BadgeCount, ...]
    pending_requests: int
    pending_groups: int
    community: str
    #: Who decides here (the token's owner), for messages' {moderator}.
    actor: str = ""


def group_requests(requests: Iterable[BadgeRequest]) -> list[list[BadgeRequest]]:
    """Group requests by (member, badge), each group oldest first; groups in order of their oldest."""
    groups: dict[tuple[int, int, int], list[BadgeRequest]] = {}
    for request in sorted(requests, key=lambda r: (r.created_at, r.id)):
        # Requests naming no known badge may ask for different things: each stands alone.
        alone = request.id if request.badge_id == UNRECOGNISED_BADGE else 0
        groups.setdefault((request.member_id, request.badge_id, alone), []).append(request)
    return list(groups.values())


def sort_groups(groups: Sequence[RequestGroup], order: QueueOrder) -> list[RequestGroup]:
    if order is QueueOrder.SCORE:
        return sorted(groups, key=lambda g: (-g.score.total, g.created_at, g.id))
    return sorted(groups, key=lambda g: (g.created_at, g.id))


#: Local decisions shown in the queue besides those of this session.
_SHOWN_STATES = (
    ActionState.PENDING,
    ActionState.SENDING,
    ActionState.HELD,
    ActionState.CONFLICT,
    ActionState.FAILED,
)


def load_queue(
    cache: Cache,
    *,
    order: QueueOrder = QueueOrder.OLDEST,
    badge_id: int | None = None,
    session_start_action: int = 0,
    now: datetime | None = None,
) -> ReviewSnapshot:
    """Read the queue from the cache in one snapshot.

    Shown: pending requests not covered by a decision made here, and groups
    decided here since ``session_start_action`` (an outbox action id) or whose
    decision is still unsent or waits for the user. Requests a conflicting
    decision did not settle come back as pending.
    """
    now = now or utc_now()
    with cache.read() as connection:
        local: list[tuple[LocalDecision, list[int]]] = []
        covered: set[int] = set()
        made_here = history.decisions(connection, session_start_action, _SHOWN_STATES)
        # The revokes that undo approvals already sent, and the awards approving them again.
        undone_by = {a.id: (a.result or {}).get("undone_by") for a in made_here}
        again_by = {a.id: (a.result or {}).get("again_by") for a in made_here}
        linked = {v for v in (*undone_by.values(), *again_by.values()) if isinstance(v, int)}
        linked_rows = {row["id"]: row for row in action_rows.rows_by_ids(connection, linked)}
        for action in made_here:
            queued = decisions.read(action)
            by = undone_by[action.id]
            revoke = linked_rows.get(by) if isinstance(by, int) else None
            given = again_by[action.id]
            award = linked_rows.get(given) if isinstance(given, int) else None
            ids = queued.request_ids
            decision = LocalDecision(
                action_id=action.id,
                decision=queued.spec.decision,
                state=action.state,
                reason=queued.spec.reason,
                actor=action.actor,
                created_at=action.created_at,
                outcome=action.outcome,
                error=action.last_error,
                decided_by=queued.decided_by,
                decided_at=queued.decided_at,
                their_decision=queued.their_decision,
                undone=queued.undone,
                conflicting_request=queued.conflicting_request,
                reversal=reversal_of(by, revoke),
                reversal_error=waiting_reason(revoke),
                again=again_of(award),
                again_error=waiting_reason(award),
            )
            local.append((decision, ids))
            # A conflict keeps its whole group on its card: the requests nobody
            # decided are settled from there, never as a fresh group that could
            # contradict what the other moderator decided.
            covered.update(ids)
        table = schema.requests
        pending = [
            request_from_row(r._mapping)
            for r in connection.execute(select(table).where(table.c.state == RequestState.PENDING.value))
        ]
        pending = [r for r in pending if r.id not in covered]
        wanted_ids = sorted({i for _d, ids in local for i in ids})
        by_id: dict[int, BadgeRequest] = {}
        for start in range(0, len(wanted_ids), 500):
            part = wanted_ids[start : start + 500]
            for r in connection.execute(select(table).where(table.c.id.in_(part))):
                request = request_from_row(r._mapping)
                by_id[request.id] = request
        member_ids = sorted({r.member_id for r in pending} | {r.member_id for r in by_id.values()})
        members: dict[int, Member] = {}
        held: dict[int, list[int]] = {}
        for start in range(0, len(member_ids), 500):
            part = member_ids[start : start + 500]
            for r in connection.execute(select(schema.members).where(schema.members.c.id.in_(part))):
                member = member_from_row(r._mapping)
                members[member.id] = member
            awards = schema.awards
            for member_id, held_badge in connection.execute(
                select(awards.c.member_id, awards.c.badge_id)
                .where(awards.c.member_id.in_(part))
                .order_by(awards.c.member_id, awards.c.granted_at)
            ):
                held.setdefault(member_id, []).append(held_badge)
        badges = {
            b.id: b for b in (badge_from_row(r._mapping) for r in connection.execute(select(schema.badges)))
        }
        known = {
            str(k): str(v)
            for table in (schema.sync_state, schema.preferences)
            for k, v in connection.execute(
                select(table.c.key, table.c.value).where(table.c.key.in_([KEY_COMMUNITY, KEY_ACTOR]))
            )
        }

    def make(
        requests: Sequence[BadgeRequest], decision: LocalDecision | None, later: frozenset[int] = frozenset()
    ) -> RequestGroup:
        first = requests[0]
        member = members.get(first.member_id)
        titles = tuple(
            badges[b].title if b in badges else _("badge #{id}").format(id=b)
            for b in held.get(first.member_id, ())
        )
        return RequestGroup(
            requests=tuple(requests),
            member=member,
            badge=badges.get(first.badge_id),
            held_badges=titles,
            score=score(
                any(r.evidence_url for r in requests),
                len(titles),
                member.joined_at if member else None,
                now,
            ),
            decision=decision,
            decided_later=later,
        )

    groups = [make(requests, None) for requests in group_requests(pending)]
    for index, (decision, ids) in enumerate(local):
        requests = [by_id[i] for i in ids if i in by_id]
        later = frozenset(
            i
            for other, other_ids in local[index + 1 :]
            if other.state is not ActionState.CONFLICT
            for i in other_ids
        )
        if requests:
            groups.append(make(requests, decision, later))
    counts = Counter(r.badge_id for r in pending)
    badge_counts = tuple(
        sorted(
            (
                BadgeCount(b, badges[b].title if b in badges else _("badge #{id}").format(id=b), n)
                for b, n in counts.items()
            ),
            key=lambda c: (-c.count, c.title),
        )
    )
    shown = [g for g in groups if badge_id is None or g.badge_id == badge_id]
    return ReviewSnapshot(
        groups=tuple(sort_groups(shown, order)),
        badge_counts=badge_counts,
        pending_requests=len(pending),
        pending_groups=sum(1 for g in groups if g.pending),
        community=known.get(KEY_COMMUNITY, ""),
        actor=known.get(KEY_ACTOR, ""),
    )


def last_action_id(cache: Cache) -> int:
    """The newest outbox action's id (0 when none): where a review session starts."""
    with cache.read() as connection:
        return history.last_action_id(connection)
