"""Several batches in flight at once (a writer that deduplicates by key): order, outcomes, cancel."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ALL_COMPLETED, Future, wait
from pathlib import Path
from typing import Any

import pytest

from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.base import AwardItem, Delivery, ItemResult, RevokeItem
from desktop.domain import ActionState, AwardOutcome
from desktop.net.errors import ApiError, ServerUnreachable
from desktop.outbox import Outbox, SendProgress
from desktop.outbox.kinds import awards
from desktop.outbox.sender import parallel_batches
from tests.core.test_cache import badge, member
from tests.core.test_outbox import FakeServer


class ParallelServer(FakeServer):
    """The fake server, taking three batches at once; each call can wait, fail or cancel."""

    concurrent_batches = 3

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        #: Each batch's kind and members, in the order the server finished them.
        self.finished: list[tuple[str, list[int]]] = []
        #: Seconds a batch of awards takes (long enough for another request to overtake it).
        self.award_time = 0.0
        #: A batch naming this member is refused, or lost, as set.
        self.failing_member: int | None = None
        self.failure: ApiError = ApiError("refused", status=422)
        self.barrier: threading.Barrier | None = None
        self.on_call: list[CancelToken] = []

    def _around(self, kind: str, items: Sequence[AwardItem | RevokeItem], delay: float) -> None:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.barrier is not None:
                self.barrier.wait()
            for token in self.on_call:
                token.cancel()
            time.sleep(delay)
            if self.failing_member in {i.member_id for i in items}:
                raise self.failure
        finally:
            with self.lock:
                self.in_flight -= 1

    def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
        self._around("award", items, self.award_time)
        with self.lock:
            results = super().award_batch(items)
            self.finished.append(("award", [i.member_id for i in items]))
        return results

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
        self._around("revoke", items, 0.0)
        with self.lock:
            results = super().revoke_batch(items)
            self.finished.append(("revoke", [i.member_id for i in items]))
        return results


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 41)])
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        Cache.set_sync_state(connection, {"last_sync_at": "1"})
        Cache.set_preferences(connection, {"me.name": "Alice Moderator"})
    yield cache
    cache.close()


def states(outbox: Outbox) -> dict[int, ActionState]:
    return {a.member_id or 0: a.state for a in outbox.actions()}


def test_batches_go_in_flight_together_and_every_answer_is_stored(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 31), 1)
    server = ParallelServer()
    # The first three batches each wait for the others: only batches in flight together pass.
    server.barrier = threading.Barrier(3, timeout=10)
    report = outbox.send_pending(server, batch_cap=5)
    assert server.most_in_flight == 3
    assert (report.applied, report.queued) == (30, 30)
    assert sorted(m for _kind, members in server.finished for m in members) == list(range(1, 31))
    assert set(server.held) == {(m, 1) for m in range(1, 31)}
    assert all(a.state is ActionState.DONE and a.outcome == "awarded" for a in outbox.actions())
    assert outbox.pending_count() == 0


def test_a_revoke_waits_for_the_award_of_the_same_grant_in_flight(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 6), 1)
    outbox.queue_revokes([3], 1)
    outbox.queue_awards(range(6, 11), 1)
    server = ParallelServer()
    # Slow enough that a revoke sent beside the awards would reach the server first.
    server.award_time = 0.2
    report = outbox.send_pending(server, batch_cap=5)
    assert server.finished.index(("award", [1, 2, 3, 4, 5])) < server.finished.index(("revoke", [3]))
    [revoke] = [a for a in outbox.actions() if a.kind.value == "revoke"]
    assert revoke.outcome == AwardOutcome.REVOKED.value
    assert (3, 1) not in server.held
    assert report.applied == 11


def test_a_batch_refused_among_others_in_flight_fails_alone(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 21), 1)
    server = ParallelServer()
    server.failing_member = 7  # the second batch, members 6 to 10
    report = outbox.send_pending(server, batch_cap=5)
    assert (report.applied, report.failed) == (15, 5)
    found = states(outbox)
    assert {m for m, s in found.items() if s is ActionState.FAILED} == set(range(6, 11))
    assert {m for m, s in found.items() if s is ActionState.DONE} == set(range(1, 6)) | set(range(11, 21))
    assert {a.last_error for a in outbox.actions([ActionState.FAILED])} == {"refused"}


def test_a_batch_lost_among_others_stays_in_flight_and_goes_again_with_its_keys(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 21), 1)
    keys = {a.member_id: a.idempotency_key for a in outbox.actions()}
    server = ParallelServer()
    server.failing_member = 7
    server.failure = ServerUnreachable("the connection broke")
    with pytest.raises(ServerUnreachable):
        outbox.send_pending(server, batch_cap=5)
    found = states(outbox)
    # The batches answered before the run stopped are stored; the lost one is in flight, unclaimed.
    assert {m for m, s in found.items() if s is ActionState.SENDING} == set(range(6, 11))
    assert {m for m, s in found.items() if s is ActionState.DONE} == {
        m for kind, members in server.finished for m in members
    }
    assert not [a for a in outbox.actions([ActionState.SENDING]) if a.result is not None]
    server.failing_member = None
    report = outbox.send_pending(server, batch_cap=5)
    assert set(states(outbox).values()) == {ActionState.DONE}
    assert {a.member_id: a.idempotency_key for a in outbox.actions()} == keys
    assert report.failed == 0
    assert set(server.held) == {(m, 1) for m in range(1, 21)}
    # Each key was awarded once: the second run's batches replayed nothing but the lost one.
    assert len(server.results) == 20


def test_cancel_stops_further_batches_and_stores_those_in_flight(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 41), 1)
    server = ParallelServer()
    server.award_time = 0.05
    token = CancelToken()
    server.on_call = [token]  # cancelled as the first batch reaches the server
    with pytest.raises(Cancelled):
        outbox.send_pending(server, batch_cap=2, cancel=token)
    reached = {m for _kind, members in server.finished for m in members}
    # Those in flight (three at a time) when the run saw the cancel, of twenty batches.
    assert 2 <= len(reached) < 40
    found = states(outbox)
    assert {m for m, s in found.items() if s is ActionState.DONE} == reached
    assert {m for m, s in found.items() if s is ActionState.PENDING} == set(range(1, 41)) - reached


def test_only_a_writer_that_deduplicates_gets_more_than_one_batch_at_a_time() -> None:
    server = ParallelServer()
    assert parallel_batches(server) == 3
    server.delivery = Delivery.RECONCILE
    assert parallel_batches(server) == 1
    assert parallel_batches(FakeServer()) == 1


def test_pause_sends_no_more_and_leaves_the_runs_not_sent_pending(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 41), 1)
    server = ParallelServer()
    server.award_time = 0.05

    def pause_after_the_first_answers(p: SendProgress) -> None:
        if p.done:
            outbox.set_paused(True)

    report = outbox.send_pending(server, batch_cap=2, progress=pause_after_the_first_answers)
    assert report.paused
    reached = {m for _kind, members in server.finished for m in members}
    assert 2 <= len(reached) < 40  # twenty batches, three at a time
    found = states(outbox)
    assert {m for m, s in found.items() if s is ActionState.DONE} == reached
    assert {m for m, s in found.items() if s is ActionState.PENDING} == set(range(1, 41)) - reached
    assert report.applied == len(reached)
    # Claimed but never sent: as never attempted, so a later run checks them for drift first.
    assert {(a.attempts, a.sent_at) for a in outbox.actions([ActionState.PENDING])} == {(0, None)}


class TwoFailures(ParallelServer):
    """A batch naming one of ``failures``' members ends with that member's error."""

    def __init__(self, failures: dict[int, ApiError]) -> None:
        super().__init__()
        self.failures = failures

    def _around(self, kind: str, items: Sequence[AwardItem | RevokeItem], delay: float) -> None:
        for i in items:
            if i.member_id in self.failures:
                raise self.failures[i.member_id]


def test_a_batch_refused_beside_a_lost_one_is_failed_not_left_in_flight(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    def every_answer(fs: Iterable[Future[list[ItemResult]]], return_when: str = ALL_COMPLETED) -> object:
        return wait(fs, return_when=ALL_COMPLETED)

    # Both answers are in when the sender looks: they land together, the lost one first.
    monkeypatch.setattr("desktop.outbox.sender.wait_for", every_answer)
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 11), 1)
    server = TwoFailures({1: ServerUnreachable("the connection broke"), 6: ApiError("refused", status=422)})
    with pytest.raises(ServerUnreachable):
        outbox.send_pending(server, batch_cap=5)
    assert {m for m, s in states(outbox).items() if s is ActionState.FAILED} == set(range(6, 11))
    # The refused batch does not come back: the lost one goes again and nothing is stuck.
    server.failures = {}
    outbox.send_pending(server, batch_cap=5)
    found = states(outbox)
    assert {m for m, s in found.items() if s is ActionState.DONE} == set(range(1, 6))
    assert {m for m, s in found.items() if s is ActionState.FAILED} == set(range(6, 11))
    assert [members for _kind, members in server.finished] == [[1, 2, 3, 4, 5]]


def test_a_batch_refused_while_the_run_is_cancelled_ends_failed(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 41), 1)
    server = ParallelServer()
    server.award_time = 0.3
    server.failing_member = 1
    token = CancelToken()
    server.on_call = [token]
    with pytest.raises(Cancelled):
        outbox.send_pending(server, batch_cap=2, cancel=token)
    assert {states(outbox)[1], states(outbox)[2]} == {ActionState.FAILED}
    server.on_call = []
    server.award_time = 0.0
    outbox.send_pending(server, batch_cap=2)
    found = states(outbox)
    assert {found[1], found[2]} == {ActionState.FAILED}
    assert {m for m, s in found.items() if s is ActionState.DONE} == set(range(3, 41))


class LeaseWitness(ParallelServer):
    """Notes, for each batch as its request arrives, the seconds left on its actions' claims."""

    def __init__(self, cache: Cache) -> None:
        super().__init__()
        self.cache = cache
        self.lease_left: list[int] = []

    def _around(self, kind: str, items: Sequence[AwardItem | RevokeItem], delay: float) -> None:
        keys = [i.idempotency_key for i in items]
        with self.cache.read() as connection:
            leases = connection.exec_driver_sql(
                f"SELECT lease_until FROM actions WHERE idempotency_key IN ({', '.join('?' * len(keys))})",
                tuple(keys),
            ).fetchall()
        with self.lock:
            self.lease_left += [lease - int(time.time()) for (lease,) in leases]
        super()._around(kind, items, delay)


def test_runs_waiting_in_the_queue_keep_their_claims_until_sent(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desktop.outbox.store.claims.CLAIM_LEASE", 3)
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 41), 1)
    server = LeaseWitness(cache)
    server.award_time = 0.5
    # 40 runs, up to 24 claimed at once, 3 at a time taking 0.5 s: the last claimed wait about 4 s.
    report = outbox.send_pending(server, batch_cap=1)
    assert report.done == 40
    assert len(server.lease_left) == 40
    assert min(server.lease_left) >= 0, server.lease_left


def claimed(cache: Cache) -> int:
    """Actions unsettled that a sender still holds (no other sender may resume them)."""
    with cache.read() as connection:
        found = connection.exec_driver_sql(
            "SELECT count(*) FROM actions WHERE claimed_by IS NOT NULL AND state = 'sending'"
        ).scalar_one()
    return int(found)


def test_a_failure_preparing_runs_claims_none_of_them(cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    real_items = awards.items
    calls: list[int] = []

    def items_failing_once_many_are_ready(*args: Any, **kwargs: Any) -> list[AwardItem | RevokeItem]:
        calls.append(1)
        if len(calls) == 10:
            raise OSError("the cache could not be read")
        return real_items(*args, **kwargs)

    monkeypatch.setattr(awards, "items", items_failing_once_many_are_ready)
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 41), 1)
    server = ParallelServer()
    server.award_time = 0.05
    with pytest.raises(OSError):
        outbox.send_pending(server, batch_cap=1)
    # Those sent are stored; the others were never claimed (pending, sent first next time).
    sent = {m for _kind, members in server.finished for m in members}
    found = states(outbox)
    assert {m for m, s in found.items() if s is ActionState.DONE} == sent
    assert {m for m, s in found.items() if s is ActionState.PENDING} == set(range(1, 41)) - sent
    assert claimed(cache) == 0


def test_a_failed_store_gives_back_every_claim(cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    real_store = awards.store_many
    calls: list[int] = []

    def store_failing_after_the_first(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) > 1:
            raise OSError("disk full")
        real_store(*args, **kwargs)

    monkeypatch.setattr(awards, "store_many", store_failing_after_the_first)
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 41), 1)
    # 40 runs, at most 24 claimed at once: answers are stored in two landings at least.
    with pytest.raises(OSError):
        outbox.send_pending(ParallelServer(), batch_cap=1)
    assert claimed(cache) == 0
    # The next run sends what was not stored, with the same keys.
    monkeypatch.setattr(awards, "store_many", real_store)
    outbox.send_pending(ParallelServer(), batch_cap=1)
    assert set(states(outbox).values()) == {ActionState.DONE}
