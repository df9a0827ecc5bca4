"""Sending to a writer that does not deduplicate (``Delivery.RECONCILE``): confirm, then send.

A server without idempotency keys applies a repeat as a new request (a
``multiple_grant`` badge granted twice). After a lost answer the sender
asks the writer whether each award or revoke is already in effect and sends
only the others; with an idempotent writer it never asks.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.cache.database import Cache
from desktop.dialects.base import AwardItem, Delivery, ItemResult, RevokeItem
from desktop.domain import ActionState, Award, AwardOutcome
from desktop.net.errors import ServerUnreachable
from desktop.outbox import Outbox, RetryPolicy
from tests.core.test_outbox import T0, FakeServer
from tests.core.test_outbox import cache as cache  # the fixture: a synced cache of 20 members


class NoKeysServer(FakeServer):
    """Grants whatever it is sent, again and again (no keys); can lose the answer after applying."""

    delivery = Delivery.RECONCILE

    def __init__(self) -> None:
        super().__init__()
        self.grants: list[tuple[int, int]] = []
        self.revokes: list[tuple[int, int]] = []
        self.lose_next_answer = False
        self.confirmed: list[str] = []

    def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
        self.calls.append(("award", len(items)))
        out = []
        for item in items:
            self.grants.append((item.member_id, item.badge_id))
            self.held[(item.member_id, item.badge_id)] = len(self.grants)
            award = self._award(item.member_id, item.badge_id)
            out.append(ItemResult(item.idempotency_key, AwardOutcome.AWARDED, award, False))
        return self._answer(out)

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
        self.calls.append(("revoke", len(items)))
        out = []
        for item in items:
            self.revokes.append((item.member_id, item.badge_id))
            gone = self.held.pop((item.member_id, item.badge_id), None) is not None
            outcome = AwardOutcome.REVOKED if gone else AwardOutcome.NOT_HELD
            out.append(ItemResult(item.idempotency_key, outcome, None, False))
        return self._answer(out)

    def confirm(self, item: AwardItem | RevokeItem) -> ItemResult | None:
        self.confirmed.append(item.idempotency_key)
        held = (item.member_id, item.badge_id) in self.held
        if isinstance(item, AwardItem):
            award = self._award(item.member_id, item.badge_id) if held else None
            return ItemResult(item.idempotency_key, AwardOutcome.AWARDED, award, True) if held else None
        return None if held else ItemResult(item.idempotency_key, AwardOutcome.REVOKED, None, True)

    def _award(self, member_id: int, badge_id: int) -> Award:
        return Award(self.held[(member_id, badge_id)], member_id, badge_id, T0, "Alice Moderator", "")

    def _answer(self, out: list[ItemResult]) -> list[ItemResult]:
        if self.lose_next_answer:
            self.lose_next_answer = False
            raise ServerUnreachable("Server unreachable: the connection broke (ReadError)")
        return out


RETRY = RetryPolicy(attempts=3, first_delay=0.0)


def test_a_lost_answer_is_confirmed_not_sent_again(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1, 2, 3], 1)
    server = NoKeysServer()
    server.lose_next_answer = True
    report = outbox.send_pending(server, retry=RETRY)
    # Applied once on the server, although the first answer never arrived.
    assert sorted(server.grants) == [(1, 1), (2, 1), (3, 1)]
    assert len(server.confirmed) == 3
    assert report.applied == 3 and report.failed == 0
    assert {a.state for a in outbox.actions()} == {ActionState.DONE}
    assert all(a.result and a.result["replayed"] for a in outbox.actions())


def test_after_a_crash_only_what_did_not_take_effect_is_sent(cache: Cache) -> None:
    outbox = Outbox(cache)
    actions = outbox.queue_awards([1, 2, 3, 4], 1)
    server = NoKeysServer()
    # A sender claimed them, the server applied two, and the sender died before the answer.
    outbox.sender.claim(actions)
    with cache.write() as connection:
        connection.exec_driver_sql("UPDATE actions SET claimed_by = 'gone:1:dead', lease_until = 1")
    server.held[(1, 1)] = 1
    server.held[(2, 1)] = 2
    Outbox(cache).send_pending(server, retry=RETRY)
    assert sorted(server.grants) == [(3, 1), (4, 1)]
    assert sorted(server.held) == [(1, 1), (2, 1), (3, 1), (4, 1)]
    assert {a.state for a in outbox.actions()} == {ActionState.DONE}


def test_a_lost_revoke_is_confirmed_by_the_award_being_gone(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_revokes([5], 2)
    server = NoKeysServer()
    server.held[(5, 2)] = 9
    server.lose_next_answer = True
    outbox.send_pending(server, retry=RETRY)
    assert server.revokes == [(5, 2)]
    [action] = outbox.actions()
    assert action.state is ActionState.DONE and action.outcome == "revoked"


def test_fresh_actions_and_idempotent_writers_are_never_confirmed(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1, 2], 1)
    server = NoKeysServer()
    outbox.send_pending(server, retry=RETRY)
    assert server.confirmed == []  # nothing could have been applied before

    keyed = NoKeysServer()
    keyed.delivery = Delivery.IDEMPOTENT
    outbox.queue_awards([3], 1)
    keyed.lose_next_answer = True
    outbox.send_pending(keyed, retry=RETRY)
    # The keyed server is trusted to replay: sent again, never asked.
    assert keyed.confirmed == [] and keyed.grants == [(3, 1), (3, 1)]
