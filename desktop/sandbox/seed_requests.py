"""The demo's badge requests: pending and decided, planned before the awards so what members
hold stays consistent with what they asked (no request for a badge already held).

Thread safety: a seed runs on one thread, with its own connection.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.sandbox import names
from desktop.sandbox.seed_common import ACTIVE, DAY, DELETED, SUSPENDED, SeedState


@dataclass(slots=True)
class PlannedRequest:
    member_id: int
    badge_id: int
    note: str
    evidence_url: str | None
    created_at: int
    state: str
    decided_by: str | None
    decided_at: int | None
    reason: str | None


class RequestSeeding(SeedState):
    def plan_requests(self, badges: list[tuple[int, float, bool]]) -> list[PlannedRequest]:
        rng = self.rng
        n = self.n
        # Requests are for the rarer badges, which members usually do not hold yet.
        requestable = [b for b, popularity, awardable in badges if awardable and popularity <= 3.0]
        pending_count = max(20, n // 200)
        decided_count = max(10, n // 400)
        epoch = self.epoch
        planned: list[PlannedRequest] = []
        #: What each member asked for: one request per badge, but for the pending duplicates.
        asked: dict[int, set[int]] = {}
        for index in range(pending_count + decided_count):
            decided = index >= pending_count
            if planned and not decided and rng.random() < 0.08:
                twin = planned[rng.randrange(len(planned))]
                member_id, badge_id = twin.member_id, twin.badge_id
            else:
                if self.suspended and not decided and rng.random() < 0.05:
                    member_id, badge_id = rng.choice(self.suspended), rng.choice(requestable)
                else:
                    member_id = rng.randint(1, n)
                    while self.status[member_id - 1] == DELETED:
                        member_id = rng.randint(1, n)
                    badge_id = rng.choice(requestable)
                badge_id = _unasked(badge_id, requestable, asked.setdefault(member_id, set()))
            asked.setdefault(member_id, set()).add(badge_id)
            age_days = rng.uniform(0.1, 365.0 if decided else 60.0)
            joined = self.joined[member_id - 1]
            created = min(max(epoch - int(age_days * DAY), joined + 60), epoch - 1)
            if self.status[member_id - 1] == SUSPENDED:
                # Asked before the suspension; their last visit is moved up to it below.
                created = max(joined, min(created, self._suspended_by(member_id)))
            evidence = None
            if rng.random() < 0.7:
                evidence = rng.choice(names.EVIDENCE_URLS).format(n=rng.randrange(10_000, 99_999))
            state, decided_by, decided_at, reason = "pending", None, None, None
            if decided:
                state = rng.choice(("approved", "approved", "denied", "returned"))
                decided_by = rng.choice(names.MODERATORS[:5])
                decided_at = min(epoch - 1, created + rng.randrange(600, 14 * DAY))
                reason = rng.choice(names.DECISION_REASONS)
                if self.status[member_id - 1] != ACTIVE:
                    state = "denied"
            planned.append(
                PlannedRequest(
                    member_id,
                    badge_id,
                    rng.choice(names.REQUEST_NOTES),
                    evidence,
                    created,
                    state,
                    decided_by,
                    decided_at,
                    reason,
                )
            )
        planned.sort(key=lambda p: p.created_at)
        self._seen_when_asked(planned)
        self._report("requests", len(planned), len(planned))
        return planned

    def _seen_when_asked(self, planned: list[PlannedRequest]) -> None:
        """A member who asked for a badge was seen then: their last visit is no earlier."""
        asked_last: dict[int, int] = {}
        for req in planned:
            asked_last[req.member_id] = max(asked_last.get(req.member_id, 0), req.created_at)
        later = [(m, at) for m, at in sorted(asked_last.items()) if self.last_seen[m - 1] < at]
        for member_id, at in later:
            self.last_seen[member_id - 1] = at
        self.conn.executemany(
            "UPDATE members SET last_seen_at = ? WHERE id = ?", [(at, m) for m, at in later]
        )

    def requests(self, planned: list[PlannedRequest]) -> None:
        rows = []
        for request_id, req in enumerate(planned, start=1):
            self.seq += 1
            rows.append(
                (
                    request_id,
                    req.member_id,
                    req.badge_id,
                    req.note,
                    req.evidence_url,
                    req.created_at,
                    req.state,
                    1 if req.state == "pending" else 2,
                    req.decided_by,
                    req.decided_at,
                    req.reason,
                    self.seq,
                )
            )
        self.conn.executemany("INSERT INTO requests VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)


def _unasked(badge_id: int, requestable: list[int], asked: set[int]) -> int:
    """``badge_id``, or the next requestable badge the member has not asked for yet (if any)."""
    if badge_id not in asked:
        return badge_id
    start = requestable.index(badge_id)
    for step in range(1, len(requestable)):
        candidate = requestable[(start + step) % len(requestable)]
        if candidate not in asked:
            return candidate
    return badge_id
