"""A revoke that tells the member: the batch's switch travels with each revoke, once, unchanged."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.cache.database import Cache
from desktop.dialects.base import ItemResult, RevokeItem
from desktop.domain import ActionKind
from desktop.net.errors import ServerUnreachable
from desktop.outbox import Outbox, RetryPolicy
from desktop.outbox.kinds.awards import item
from tests.core.test_outbox import FakeServer
from tests.core.test_outbox import cache as cache  # the fixture: a synced cache of 20 members


class Recording(FakeServer):
    """Remembers every revoke item it applied, as given (not those of a failed call)."""

    sends_revoke_messages = True

    def __init__(self) -> None:
        super().__init__()
        self.revokes: list[RevokeItem] = []

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
        results = super().revoke_batch(items)
        self.revokes.extend(items)
        return results


def held(server: FakeServer, members: Sequence[int], badge_id: int = 1) -> None:
    for m in members:
        server.held[(m, badge_id)] = 100 + m


def test_a_revoke_batch_sends_its_notify_with_each_revoke_once(cache: Cache) -> None:
    outbox = Outbox(cache)
    told = outbox.queue_batch(ActionKind.REVOKE, 1, [1, 2, 3], reason="wrong list", notify=True)
    quiet = outbox.queue_batch(ActionKind.REVOKE, 1, [4, 5], reason="wrong list", notify=False)
    server = Recording()
    held(server, [1, 2, 3, 4, 5])
    # The first attempt is lost before it reaches the server; the retry carries the same flags.
    server.fail_next = [ServerUnreachable("down")]
    outbox.send_pending(server, batch_cap=50, retry=RetryPolicy(attempts=3, first_delay=0.0))
    outbox.send_pending(server, batch_cap=50)
    sent = {i.member_id: i.notify for i in server.revokes}
    assert sent == {1: True, 2: True, 3: True, 4: False, 5: False}
    assert len(server.revokes) == 5  # each revoke was applied once
    assert server.calls == [("revoke", 5)] * 2  # the lost call, then its retry: nothing more
    assert [b.notify for b in (told, quiet)] == [True, False]
    with cache.read() as connection:
        stored: dict[str, int] = dict(connection.exec_driver_sql("SELECT id, notify FROM batches").fetchall())
    assert stored == {told.id: 1, quiet.id: 0}


def test_revokes_queued_without_the_switch_tell_no_one(cache: Cache) -> None:
    outbox = Outbox(cache)
    plain = outbox.queue_revokes([1], 1, reason="r")
    told = outbox.queue_revokes([2], 1, reason="r", notify=True)
    assert "notify" not in plain[0].payload  # as queued before the switch existed
    assert [item(a).notify for a in (*plain, *told)] == [False, True]


def test_undoing_a_batch_tells_no_one(cache: Cache) -> None:
    outbox = Outbox(cache)
    awarded = outbox.queue_batch(ActionKind.AWARD, 1, [1, 2], reason="contest", notify=True)
    server = Recording()
    outbox.send_pending(server, batch_cap=50)
    reversal = outbox.undo_batch(awarded.id)
    assert reversal is not None and not reversal.notify
    outbox.send_pending(server, batch_cap=50)
    assert [(i.member_id, i.notify) for i in server.revokes] == [(1, False), (2, False)]
