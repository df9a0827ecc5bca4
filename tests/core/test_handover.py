"""A title that moves: a one-holder badge handed over in three steps (alumni badge, new grant,
revoke), each settled by reading the server first; a holder the cache did not know stops it.

The server here is a fake (a dict of grants) that can "die" (raise a BaseException, as a SIGKILL
leaves things: the action in flight, its progress as last committed) before or after any call.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.dialects.base import AwardItem, Delivery, ItemResult, Page, RevokeItem
from desktop.domain import ActionKind, ActionState, Award, AwardOutcome
from desktop.drift import HoldReason
from desktop.outbox import Outbox
from desktop.outbox.kinds import describe
from desktop.outbox.kinds.handover import step_of
from desktop.programs.periods import Cadence
from desktop.programs.titles import HandoverError, OneHolderBadges, holders_by_period, queue_handover
from tests.core.feedless_server import badge, member
from tests.ports import SelfPorts

T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
HERO, FORMER, OTHER = 1, 2, 3


class Killed(BaseException):
    """The sender's process died here (not an Exception: nothing catches it, nothing is released)."""


class Forum(SelfPorts):
    """Grants by id; every call counted, and a death at call ``die_at`` (before or after it runs)."""

    delivery = Delivery.RECONCILE
    batch_cap = 1

    def __init__(self, grants: dict[int, tuple[int, int]]) -> None:
        #: grant id → (member, badge), active grants only.
        self.grants = dict(grants)
        #: Every grant ever made: (member, badge).
        self.made: list[tuple[int, int]] = []
        self.calls: list[str] = []
        self.ids = itertools.count(100)
        self.die_at: tuple[int, str] | None = None

    def _call(self, name: str) -> Iterator[None]:
        index = len(self.calls)
        self.calls.append(name)
        if self.die_at == (index, "before"):
            raise Killed(name)
        yield
        if self.die_at == (index, "after"):
            raise Killed(name)

    def _award(self, grant_id: int) -> Award:
        member_id, badge_id = self.grants[grant_id]
        return Award(grant_id, member_id, badge_id, T0, "someone", "")

    def awards(
        self, cursor: str | None, limit: int, *, badge_id: int | None = None, member_id: int | None = None
    ) -> Page[Award]:
        steps = self._call("read")
        next(steps)
        found = [
            self._award(g)
            for g, (m, b) in sorted(self.grants.items())
            if (badge_id is None or b == badge_id) and (member_id is None or m == member_id)
        ]
        next(steps, None)
        return Page(found, None)

    def confirm(self, item: AwardItem | RevokeItem) -> ItemResult | None:
        steps = self._call("confirm")
        next(steps)
        held = [g for g, (m, b) in self.grants.items() if (m, b) == (item.member_id, item.badge_id)]
        next(steps, None)
        if isinstance(item, AwardItem) and held:
            return ItemResult(item.idempotency_key, AwardOutcome.AWARDED, self._award(held[0]), True)
        return None

    def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
        [item] = items
        steps = self._call(f"award {item.badge_id} to {item.member_id}")
        next(steps)
        # Every badge here can be held several times (the strictest case: a repeat grants again).
        grant = next(self.ids)
        self.grants[grant] = (item.member_id, item.badge_id)
        self.made.append((item.member_id, item.badge_id))
        result = ItemResult(item.idempotency_key, AwardOutcome.AWARDED, self._award(grant), False)
        next(steps, None)
        return [result]

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
        [item] = items
        steps = self._call(f"revoke {item.award_id}")
        next(steps)
        gone = self.grants.pop(item.award_id or -1, None)
        next(steps, None)
        outcome = AwardOutcome.REVOKED if gone else AwardOutcome.NOT_HELD
        return [ItemResult(item.idempotency_key, outcome, None, False)]

    def holders(self, badge_id: int) -> list[int]:
        return sorted(m for m, b in self.grants.values() if b == badge_id)


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 6)])
        Cache.upsert_badges(
            connection,
            [badge(HERO, "Hero of the Quarter"), badge(FORMER, "Former Hero"), badge(OTHER, "Speaker")],
        )
        Cache.upsert_awards(connection, [Award(7, 1, HERO, T0, "someone", "")])
    OneHolderBadges(cache).mark(HERO, FORMER)
    yield cache
    cache.close()


def _forum() -> Forum:
    return Forum({7: (1, HERO)})


def _unclaim(cache: Cache) -> None:
    """What a dead sender leaves: its claim, which a new sender may take over."""
    with cache.write() as connection:
        connection.exec_driver_sql("UPDATE actions SET claimed_by = NULL, lease_until = NULL")


def test_the_title_moves_in_three_steps_and_the_former_holder_keeps_the_alumni_badge(cache: Cache) -> None:
    outbox = Outbox(cache, actor="Alice")
    action = queue_handover(outbox, HERO, 2)
    assert action.kind is ActionKind.HANDOVER
    assert (action.payload["previous_id"], action.payload["previous_award_id"]) == (1, 7)
    assert describe(action.kind, action.payload) == "handed over from @m1 to @m2"
    forum = _forum()
    report = outbox.send_pending(forum)
    assert report.applied == 1
    # Read before each step; the order never leaves the title with nobody.
    assert forum.calls == ["read", "confirm", "award 2 to 1", "read", "award 1 to 2", "read", "revoke 7"]
    assert forum.holders(HERO) == [2]
    assert forum.holders(FORMER) == [1]
    [done] = outbox.actions()
    assert done.state is ActionState.DONE and step_of(done) == 3
    # The mirror follows: the new holder alone.
    with cache.read() as connection:
        held = connection.exec_driver_sql(
            "SELECT member_id FROM awards WHERE badge_id = ?", (HERO,)
        ).fetchall()
    assert held == [(2,)]
    # Handed over again, from the new holder this time.
    queue_handover(outbox, HERO, 3)
    outbox.send_pending(forum)
    assert forum.holders(HERO) == [3] and forum.holders(FORMER) == [1, 2]


def test_a_badge_with_no_holder_is_simply_granted(cache: Cache) -> None:
    with cache.write() as connection:
        connection.exec_driver_sql("DELETE FROM awards")
    outbox = Outbox(cache)
    action = queue_handover(outbox, HERO, 2)
    assert describe(action.kind, action.payload) == "handed to @m2, who had no predecessor"
    forum = Forum({})
    outbox.send_pending(forum)
    assert forum.calls == ["read", "read", "award 1 to 2", "read"]
    assert forum.holders(HERO) == [2] and forum.holders(FORMER) == []


def test_a_holder_the_cache_did_not_know_stops_it_before_any_request(cache: Cache) -> None:
    outbox = Outbox(cache)
    queue_handover(outbox, HERO, 2)
    forum = Forum({8: (4, HERO)})  # someone handed it to member 4 elsewhere
    report = outbox.send_pending(forum)
    assert report.conflicts == 1
    assert forum.calls == ["read"]
    [action] = outbox.actions()
    assert action.state is ActionState.CONFLICT
    assert action.hold_reason == HoldReason.TITLE_HELD_ELSEWHERE.value
    assert action.last_error == "Held by @m4 on the server, not @m1: nothing revoked."


def test_a_stranger_appearing_between_steps_stops_it_before_the_revoke(cache: Cache) -> None:
    outbox = Outbox(cache)
    queue_handover(outbox, HERO, 2)
    forum = _forum()
    forum.die_at = (4, "before")  # before the new grant
    with pytest.raises(Killed):
        outbox.send_pending(forum)
    forum.grants[50] = (5, HERO)
    _unclaim(cache)
    forum.die_at = None
    Outbox(cache).send_pending(forum)
    assert forum.holders(HERO) == [1, 5]  # nothing revoked, nothing granted to member 2
    [action] = outbox.actions()
    assert action.state is ActionState.CONFLICT and step_of(action) == 1
    assert action.last_error == "Held by @m5 on the server, not @m1: nothing revoked."


def test_a_new_holder_who_lost_the_title_before_the_revoke_is_never_left_without_it(cache: Cache) -> None:
    outbox = Outbox(cache)
    queue_handover(outbox, HERO, 2)
    forum = _forum()
    forum.die_at = (6, "before")  # before the revoke's read
    with pytest.raises(Killed):
        outbox.send_pending(forum)
    del forum.grants[next(g for g, (m, b) in forum.grants.items() if (m, b) == (2, HERO))]
    _unclaim(cache)
    forum.die_at = None
    Outbox(cache).send_pending(forum)
    assert forum.holders(HERO) == [1]
    [action] = outbox.actions()
    assert action.state is ActionState.CONFLICT
    assert action.last_error == "@m2 no longer holds it on the server: nothing revoked."


#: Every call of a hand-over (7), killed before it and after it (its answer lost).
POINTS = [(i, when) for i in range(7) for when in ("before", "after")]


@pytest.mark.parametrize("point", POINTS, ids=[f"{i}-{w}" for i, w in POINTS])
def test_killed_at_any_call_then_sent_again_hands_over_exactly_once(
    cache: Cache, point: tuple[int, str]
) -> None:
    outbox = Outbox(cache)
    queue_handover(outbox, HERO, 2)
    forum = _forum()
    forum.die_at = point
    with pytest.raises(Killed):
        outbox.send_pending(forum)
    _unclaim(cache)
    forum.die_at = None
    report = Outbox(cache).send_pending(forum)
    assert report.applied == 1
    assert forum.holders(HERO) == [2]
    assert forum.made.count((1, FORMER)) == 1 and forum.made.count((2, HERO)) == 1
    # Never with nobody: no revoke before the new grant.
    assert forum.calls.index("award 1 to 2") < forum.calls.index("revoke 7")
    # The mirror knows the new holder, also when the grant's answer was lost (so the next
    # hand-over starts from them).
    with cache.read() as connection:
        held = connection.exec_driver_sql(
            "SELECT member_id FROM awards WHERE badge_id = ?", (HERO,)
        ).fetchall()
    assert held == [(2,)]


def test_what_cannot_be_handed_over_is_refused_with_the_reason(cache: Cache) -> None:
    outbox = Outbox(cache)
    with pytest.raises(HandoverError, match="“Speaker” is not marked one holder at a time"):
        queue_handover(outbox, OTHER, 2)
    with pytest.raises(HandoverError, match="@m1 holds “Hero of the Quarter” already"):
        queue_handover(outbox, HERO, 1)
    with pytest.raises(HandoverError, match="does not know member #99"):
        queue_handover(outbox, HERO, 99)
    with pytest.raises(HandoverError, match="does not know badge #42"):
        queue_handover(outbox, 42, 2)
    with pytest.raises(HandoverError, match="its own alumni badge"):
        OneHolderBadges(cache).mark(HERO, HERO)
    with cache.write() as connection:
        Cache.upsert_awards(connection, [Award(8, 3, HERO, T0, "someone", "")])
    with pytest.raises(HandoverError, match="The cache shows 2 holders of “Hero of the Quarter”"):
        queue_handover(outbox, HERO, 2)
    with cache.write() as connection:
        connection.exec_driver_sql("DELETE FROM awards WHERE id = 8")
    queue_handover(outbox, HERO, 2)
    with pytest.raises(HandoverError, match="being handed over already"):
        queue_handover(outbox, HERO, 3)
    assert outbox.pending_count() == 1


def test_the_marking_is_kept_changed_and_dropped(cache: Cache) -> None:
    store = OneHolderBadges(cache)
    assert store.marking(HERO) is not None and store.marking(HERO).alumni_badge_id == FORMER  # type: ignore[union-attr]
    store.mark(HERO, None)
    assert store.marked()[HERO].alumni_badge_id is None
    store.unmark(HERO)
    assert store.marking(HERO) is None


def test_holders_by_period(cache: Cache) -> None:
    outbox = Outbox(cache, actor="Alice")
    forum = _forum()
    for new, when in ((2, datetime(2026, 4, 2, tzinfo=UTC)), (3, datetime(2026, 9, 30, tzinfo=UTC))):
        queue_handover(outbox, HERO, new)
        outbox.send_pending(forum)
        with cache.write() as connection:
            connection.exec_driver_sql(
                "UPDATE actions SET confirmed_at = ? WHERE member_id = ?", (int(when.timestamp()), new)
            )
    tenures = holders_by_period(cache, HERO, Cadence.QUARTERLY, UTC, today=date(2026, 12, 6))
    assert [(t.member_id, [p.key for p in t.periods]) for t in tenures] == [
        (1, ["2026-Q1", "2026-Q2"]),
        (2, ["2026-Q2", "2026-Q3"]),
        (3, ["2026-Q3", "2026-Q4"]),
    ]
    assert tenures[1].until == datetime(2026, 9, 30, tzinfo=UTC) and tenures[2].until is None
    assert tenures[0].since == T0 and tenures[0].until == tenures[1].since
    # Who gave it: the first holder's grant (kept with the hand-over), then the hand-overs' moderator.
    assert [t.by for t in tenures] == ["someone", "Alice", "Alice"]


def test_holders_by_period_before_any_hand_over_name_who_granted_it(cache: Cache) -> None:
    [tenure] = holders_by_period(cache, HERO, Cadence.QUARTERLY, UTC, today=date(2026, 12, 6))
    assert (tenure.member_id, tenure.since, tenure.until, tenure.by) == (1, T0, None, "someone")
