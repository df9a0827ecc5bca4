"""The outbox without a server: holds, conflicts, the user's decisions, undo, pause, retries, progress.

Most tests send to the memory dialect (``tests/fakes``), which the contract
suite keeps in step with the real server; those that need a failure at an
exact point (a refusal, a connection lost before the server saw a chunk, a
lease taken over mid-send) use :class:`FakeServer`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.base import AwardItem, ItemResult, RevokeItem
from desktop.domain import ActionKind, ActionState, Award, AwardOutcome, BadgeState, MemberStatus
from desktop.net.errors import ApiError, ServerUnreachable
from desktop.outbox import HoldReason, Outbox, OutboxError, RetryPolicy, SendProgress
from tests.core.test_cache import badge, member
from tests.fakes.memory_community import MemoryCommunity
from tests.fakes.memory_dialect import MemorySession
from tests.fakes.memory_server import MemoryServer
from tests.ports import SelfPorts

T0 = datetime(2025, 1, 1, tzinfo=UTC)


class FakeServer(SelfPorts):
    """Just enough of a connector: awards keyed by (member, badge), keys remembered."""

    def __init__(self, suspended: Sequence[int] = (), disabled: Sequence[int] = ()) -> None:
        self.held: dict[tuple[int, int], int] = {}
        self.results: dict[str, ItemResult] = {}
        self.suspended = set(suspended)
        self.disabled = set(disabled)
        self.calls: list[tuple[str, int]] = []
        self.fail_next: list[ApiError] = []
        self.next_id = 1

    def me(self) -> str:
        return "Alice Moderator"

    def _check(self) -> None:
        if self.fail_next:
            raise self.fail_next.pop(0)

    def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
        self.calls.append(("award", len(items)))
        self._check()
        out = []
        for item in items:
            if item.idempotency_key in self.results:
                first = self.results[item.idempotency_key]
                out.append(ItemResult(first.idempotency_key, first.outcome, first.award, True))
                continue
            key = (item.member_id, item.badge_id)
            award = None
            if item.member_id in self.suspended and not item.force:
                outcome = AwardOutcome.MEMBER_SUSPENDED
            elif item.badge_id in self.disabled and not item.force:
                outcome = AwardOutcome.BADGE_NOT_AWARDABLE
            elif key in self.held:
                # Never rewritten, even with force: the award the member holds is returned.
                outcome = AwardOutcome.ALREADY_HELD
                award = Award(self.held[key], item.member_id, item.badge_id, T0, "Bob Moderator", "")
            else:
                self.held[key] = self.held.get(key) or self.next_id
                self.next_id += 1
                award = Award(
                    self.held[key], item.member_id, item.badge_id, T0, "Alice Moderator", item.reason
                )
                outcome = AwardOutcome.AWARDED
            result = ItemResult(item.idempotency_key, outcome, award, False)
            self.results[item.idempotency_key] = result
            out.append(result)
        return out

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
        self.calls.append(("revoke", len(items)))
        self._check()
        out = []
        for item in items:
            if item.idempotency_key in self.results:
                out.append(self.results[item.idempotency_key])
                continue
            key = (item.member_id, item.badge_id)
            outcome = AwardOutcome.REVOKED if self.held.pop(key, None) else AwardOutcome.NOT_HELD
            result = ItemResult(item.idempotency_key, outcome, None, False)
            self.results[item.idempotency_key] = result
            out.append(result)
        return out


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 21)])
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        Cache.set_sync_state(connection, {"last_sync_at": "1"})
        Cache.set_preferences(connection, {"me.name": "Alice Moderator"})
    yield cache
    cache.close()


@pytest.fixture()
def memory() -> Iterator[Callable[..., MemorySession]]:
    """Opens a session with a memory server that knows the cache fixture's members and badges."""
    sessions: list[MemorySession] = []

    def open_session(suspended: Sequence[int] = ()) -> MemorySession:
        members = [
            member(i, status=MemberStatus.SUSPENDED if i in suspended else MemberStatus.ACTIVE)
            for i in range(1, 21)
        ]
        server = MemoryServer(MemoryCommunity.of(members=members, badges=[badge(1), badge(2)]))
        sessions.append(MemorySession(server))
        return sessions[-1]

    yield open_session
    for session in sessions:
        session.close()


def calls(session: MemorySession) -> list[tuple[str, int]]:
    """The batches that reached the server, as ``FakeServer.calls`` lists them."""
    kinds = {"award_batch": "award", "revoke_batch": "revoke"}
    return [(kinds.get(operation, operation), size) for operation, size in session.server.received]


def holders(session: MemorySession) -> set[tuple[int, int]]:
    """The (member, badge) pairs the server holds an award for."""
    return set(session.server.read().held)


def send(outbox: Outbox, server: FakeServer | MemorySession, **kw: object) -> object:
    return outbox.send_pending(server, batch_cap=5, **kw)  # type: ignore[arg-type]


def test_actions_record_who_queued_them_and_their_targets(cache: Cache) -> None:
    [action] = Outbox(cache).queue_awards([3], 1, reason="speaker")
    assert (action.actor, action.member_id, action.badge_id, action.state) == (
        "Alice Moderator",
        3,
        1,
        ActionState.PENDING,
    )


def test_sends_in_chunks_of_the_cap_and_reports_progress_with_an_estimate(
    cache: Cache, memory: Callable[..., MemorySession]
) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 13), 1)
    server = memory()
    seen: list[SendProgress] = []
    ticks = iter(range(100))
    report = outbox.send_pending(
        server,
        batch_cap=5,
        progress=seen.append,
        clock=lambda: float(next(ticks)),
    )
    assert calls(server) == [("award", 5), ("award", 5), ("award", 2)]
    assert (report.applied, report.noop, report.conflicts, report.held) == (12, 0, 0, 0)
    assert [(p.done, p.total) for p in seen] == [(0, 12), (5, 12), (10, 12), (12, 12)]
    # One tick per chunk: 5 items per second, 7 left after the first chunk.
    assert seen[1].eta == pytest.approx(1 / 5 * 7)
    assert all(a.confirmed_at is not None and a.outcome == "awarded" for a in outbox.actions())


def test_a_server_taking_huge_batches_gets_requests_of_at_most_500(cache: Cache) -> None:
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(21, 1201)])
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 1201), 1)
    server = FakeServer()
    server.batch_cap = 10_000
    seen: list[SendProgress] = []
    report = outbox.send_pending(server, progress=seen.append)
    assert server.calls == [("award", 500), ("award", 500), ("award", 200)]
    assert report.applied == 1200 and outbox.pending_count() == 0
    # Progress and a pause or cancel come between requests.
    assert [p.done for p in seen] == [0, 500, 1000, 1200]
    assert sorted(member for member, _badge in server.held) == list(range(1, 1201))


def test_awards_whose_member_or_badge_changed_are_held_not_sent(
    cache: Cache, memory: Callable[..., MemorySession]
) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1, 2, 3, 4, 5, 6], 1)
    # Meanwhile (a sync on reconnect): 2 suspended, 3 deleted, 4 already got it, badge 1 still fine.
    with cache.write() as connection:
        Cache.upsert_members(
            connection, [member(2, status=MemberStatus.SUSPENDED), member(3, status=MemberStatus.DELETED)]
        )
        Cache.upsert_awards(connection, [Award(900, 4, 1, T0, "Bob Moderator", "")])
    server = memory()
    server.server.grant(4, 1, granted_by="Bob Moderator")
    report = send(outbox, server)
    assert (report.applied, report.noop, report.held) == (3, 1, 2)  # type: ignore[attr-defined]
    held = {a.member_id: HoldReason(a.hold_reason or "") for a in outbox.actions([ActionState.HELD])}
    assert held == {2: HoldReason.MEMBER_SUSPENDED, 3: HoldReason.MEMBER_GONE}
    # Chunks of 5 read, held ones left out; the badge already held goes out for the server to confirm.
    assert calls(server) == [("award", 3), ("award", 1)]
    assert outbox.pending_count() == 0  # held ones wait for the user, not for the sender
    [noop] = [a for a in outbox.actions() if a.member_id == 4]
    assert (noop.state, noop.outcome, noop.hold_reason) == (ActionState.DONE, "already_held", None)
    assert noop.result is not None and noop.result["granted_by"] == "Bob Moderator"


def test_a_disabled_or_discontinued_badge_holds_its_awards(
    cache: Cache, memory: Callable[..., MemorySession]
) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1], 1)
    outbox.queue_awards([1], 2)
    with cache.write() as connection:
        Cache.upsert_badges(connection, [badge(1, BadgeState.DISABLED), badge(2, BadgeState.DISCONTINUED)])
    send(outbox, memory())
    reasons = [HoldReason(a.hold_reason or "") for a in outbox.actions([ActionState.HELD])]
    assert reasons == [HoldReason.BADGE_DISABLED, HoldReason.BADGE_RETIRED]
    assert reasons[0].forceable and not reasons[1].forceable


def test_apply_anyway_sends_with_the_override_and_a_new_key_skip_settles(
    cache: Cache, memory: Callable[..., MemorySession]
) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([2, 3, 4], 1)
    with cache.write() as connection:
        Cache.upsert_members(
            connection, [member(2, status=MemberStatus.SUSPENDED), member(3, status=MemberStatus.DELETED)]
        )
    server = memory(suspended=[2])
    send(outbox, server)
    held = {a.member_id: a for a in outbox.actions([ActionState.HELD])}
    # A deleted member cannot be overridden: apply anyway changes nothing there.
    assert outbox.apply_anyway([held[2].id, held[3].id]) == 1
    assert outbox.skip([held[3].id]) == 1
    report = send(outbox, server)
    assert report.applied == 1  # type: ignore[attr-defined]
    by_member = {a.member_id: a for a in outbox.actions()}
    assert by_member[2].state is ActionState.DONE and by_member[2].payload["force"] is True
    assert by_member[2].idempotency_key != held[2].idempotency_key
    assert by_member[2].result is not None and by_member[2].result["replayed"] is False
    assert (by_member[3].state, by_member[3].outcome) == (ActionState.DISCARDED, "skipped")


def test_a_change_only_the_server_saw_is_held_as_if_the_cache_had_seen_it(
    cache: Cache, memory: Callable[..., MemorySession]
) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([5, 6], 1)
    server = memory(suspended=[5])  # the cache does not know yet
    report = send(outbox, server)
    assert (report.applied, report.held, report.conflicts) == (1, 1, 0)  # type: ignore[attr-defined]
    [held] = outbox.actions([ActionState.HELD])
    assert (held.hold_reason, held.outcome) == (HoldReason.MEMBER_SUSPENDED, None)
    assert held.result is not None and held.result["outcome"] == "member_suspended"  # what the server said
    assert outbox.apply_anyway([held.id]) == 1
    send(outbox, server)
    assert {a.state for a in outbox.actions()} == {ActionState.DONE}


def test_discard_keeps_actions_in_flight(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1, 2, 3, 4, 5, 6, 7], 1)
    server = FakeServer()
    server.fail_next = [ServerUnreachable("gone")]
    with pytest.raises(ServerUnreachable):
        send(outbox, server)
    # The first chunk may have reached the server: it cannot be discarded.
    assert outbox.discard_unsent() == 2
    states = [a.state for a in outbox.actions()]
    assert states == [ActionState.SENDING] * 5 + [ActionState.DISCARDED] * 2
    send(outbox, server)
    assert [a.state for a in outbox.actions()][:5] == [ActionState.DONE] * 5


def test_transient_failures_are_retried_with_back_off_and_the_same_keys(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1, 2], 1)
    server = FakeServer()
    server.fail_next = [ServerUnreachable("down"), ServerUnreachable("still down")]
    keys = [a.idempotency_key for a in outbox.actions()]
    report = send(outbox, server, retry=RetryPolicy(attempts=3, first_delay=0.01))
    assert report.applied == 2  # type: ignore[attr-defined]
    assert server.calls == [("award", 2)] * 3
    assert [a.idempotency_key for a in outbox.actions()] == keys
    assert [a.attempts for a in outbox.actions()] == [1, 1]
    assert RetryPolicy(first_delay=1, max_delay=30).delay(6) == 30


def test_a_refused_chunk_fails_and_can_be_retried(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards([1, 2], 1)
    server = FakeServer()
    server.fail_next = [ApiError("Bad request: reason too long", status=400)]
    report = send(outbox, server)
    assert report.failed == 2  # type: ignore[attr-defined]
    assert {a.last_error for a in outbox.actions()} == {"Bad request: reason too long"}
    assert outbox.retry_failed() == 2
    send(outbox, server)
    assert {a.state for a in outbox.actions()} == {ActionState.DONE}


def test_pause_stops_after_the_current_chunk_and_survives_reopening(
    cache: Cache, tmp_path: Path, memory: Callable[..., MemorySession]
) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 11), 1)
    server = memory()

    def pause_after_first(p: SendProgress) -> None:
        if p.done == 5:
            outbox.set_paused(True)

    report = outbox.send_pending(server, batch_cap=5, progress=pause_after_first)
    assert report.paused and report.applied == 5
    assert Outbox(cache).paused()
    outbox.set_paused(False)
    assert send(outbox, server).applied == 5  # type: ignore[attr-defined]


def test_cancel_between_chunks(cache: Cache, memory: Callable[..., MemorySession]) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 11), 1)
    token = CancelToken()

    def cancel_after_first(p: SendProgress) -> None:
        if p.done == 5:
            token.cancel()

    with pytest.raises(Cancelled):
        outbox.send_pending(memory(), batch_cap=5, cancel=token, progress=cancel_after_first)
    assert outbox.pending_count() == 5


def test_batch_summary_counts_applied_noop_held(cache: Cache, memory: Callable[..., MemorySession]) -> None:
    outbox = Outbox(cache)
    batch = outbox.queue_batch(ActionKind.AWARD, 1, [1, 2, 3, 4, 5], reason="DevCon", source="list.csv")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(2, status=MemberStatus.SUSPENDED)])
    server = memory(suspended=[3])
    server.server.grant(4, 1)  # awarded by someone else; the cache does not know
    send(outbox, server)
    summary = outbox.batch_summary(batch.id)
    assert (summary.total, summary.applied, summary.noop, summary.conflict, summary.held) == (5, 2, 1, 0, 2)
    assert not summary.finished
    assert summary.batch.source == "list.csv" and summary.batch.actor == "Alice Moderator"


def test_undo_drops_unsent_and_revokes_what_was_awarded(
    cache: Cache, memory: Callable[..., MemorySession]
) -> None:
    outbox = Outbox(cache)
    batch = outbox.queue_batch(ActionKind.AWARD, 1, list(range(1, 9)), reason="oops")
    server = memory()
    server.server.grant(2, 1)  # held before the batch: must stay after the undo
    outbox.send_pending(server, batch_cap=5, cancel=None, progress=None)
    # All sent now; queue three more that stay unsent.
    late = outbox.queue_batch(ActionKind.AWARD, 1, [10, 11, 12])
    undo = outbox.undo_batch(batch.id)
    assert undo is not None and undo.kind is ActionKind.REVOKE and undo.reason == f"undo of {batch.label}"
    undo_late = outbox.undo_batch(late.id)
    assert undo_late is None  # nothing was sent: everything dropped
    assert {a.outcome for a in outbox.actions(batch_id=late.id)} == {"undone"}
    with pytest.raises(OutboxError, match="already undone"):
        outbox.undo_batch(batch.id)
    send(outbox, server)
    assert holders(server) == {(2, 1)}
    summary = outbox.batch_summary(undo.id)
    assert (summary.applied, summary.total) == (7, 7)


def test_undo_of_actions_in_flight_skips_those_that_changed_nothing(cache: Cache) -> None:
    outbox = Outbox(cache)
    batch = outbox.queue_batch(ActionKind.AWARD, 1, [1, 2])
    server = FakeServer()
    server.held[(2, 1)] = 55
    server.fail_next = [ServerUnreachable("lost answer")]
    with pytest.raises(ServerUnreachable):
        send(outbox, server)
    undo = outbox.undo_batch(batch.id)
    assert undo is not None
    assert len(outbox.actions(batch_id=undo.id)) == 2
    report = send(outbox, server)
    # Member 2 already held the badge: the award was a no-op, and its reversal is skipped.
    assert set(server.held) == {(2, 1)}
    assert [a.outcome for a in outbox.actions(batch_id=undo.id)] == ["revoked", "nothing to undo"]
    assert report.applied == 2  # type: ignore[attr-defined]


# --- regressions found in review ------------------------------------------------


def test_undo_settles_in_flight_actions_that_end_in_conflict(cache: Cache) -> None:
    outbox = Outbox(cache)
    batch = outbox.queue_batch(ActionKind.AWARD, 1, [1, 2])
    server = FakeServer(suspended=[2])
    server.fail_next = [ServerUnreachable("lost answer")]
    with pytest.raises(ServerUnreachable):
        send(outbox, server)
    undo = outbox.undo_batch(batch.id)
    assert undo is not None
    send(outbox, server)
    by_member = {a.member_id: a for a in outbox.actions(batch_id=batch.id)}
    # The conflict of an undone batch is settled, and cannot be applied afterwards.
    assert (by_member[2].state, by_member[2].outcome) == (ActionState.DISCARDED, "undone")
    assert outbox.apply_anyway([by_member[2].id]) == 0
    assert set(server.held) == set()


def test_undo_never_takes_a_badge_the_member_held_before(
    cache: Cache, memory: Callable[..., MemorySession]
) -> None:
    outbox = Outbox(cache)
    server = memory()
    server.server.grant(3, 1)
    with cache.write() as connection:
        Cache.upsert_awards(connection, [Award(99, 3, 1, T0, "Bob", "")])
    batch = outbox.queue_batch(ActionKind.AWARD, 1, [3, 4])
    # Held as an earlier version did with a badge already held, and applied anyway.
    with cache.write() as connection:
        connection.exec_driver_sql(
            "UPDATE actions SET state = 'held', hold_reason = 'already_held' WHERE member_id = 3"
        )
    send(outbox, server)
    [held] = outbox.actions([ActionState.HELD])
    assert outbox.apply_anyway([held.id]) == 1
    send(outbox, server)
    assert (outbox.actions()[0].state, outbox.actions()[0].outcome) == (ActionState.DONE, "already_held")
    undo = outbox.undo_batch(batch.id)
    assert undo is not None and [a.member_id for a in outbox.actions(batch_id=undo.id)] == [4]
    send(outbox, server)
    assert holders(server) == {(3, 1)}


def test_undoing_an_unsent_undo_lets_the_batch_be_undone_again(
    cache: Cache, memory: Callable[..., MemorySession]
) -> None:
    outbox = Outbox(cache)
    server = memory()
    batch = outbox.queue_batch(ActionKind.AWARD, 1, [1, 2])
    send(outbox, server)
    outbox.set_paused(True)
    undo = outbox.undo_batch(batch.id)
    assert undo is not None
    assert outbox.undo_batch(undo.id) is None  # changed their mind before anything was sent
    assert outbox.batch(batch.id).undone_by is None  # type: ignore[union-attr]
    outbox.set_paused(False)
    send(outbox, server)
    assert holders(server) == {(1, 1), (2, 1)}
    assert outbox.undo_batch(batch.id) is not None


def test_a_refusal_after_a_lost_answer_keeps_the_chunk_in_flight(cache: Cache) -> None:
    class LostThenRefused(FakeServer):
        def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
            if not self.calls:
                super().award_batch(items)  # applied, but the answer is lost
                raise ServerUnreachable("read timeout")
            if len(self.calls) == 1:
                self.calls.append(("award", len(items)))
                raise ApiError("Bad request", status=400)
            return super().award_batch(items)

    outbox = Outbox(cache)
    outbox.queue_awards([1], 1)
    server = LostThenRefused()
    with pytest.raises(ApiError):
        send(outbox, server, retry=RetryPolicy(attempts=3, first_delay=0.01))
    [action] = outbox.actions()
    assert action.state is ActionState.SENDING  # not "failed": the server may have applied it
    assert outbox.discard_unsent() == 0
    send(outbox, server)
    [action] = outbox.actions()
    assert (action.state, action.outcome, action.result["replayed"]) == (  # type: ignore[index]
        ActionState.DONE,
        "awarded",
        True,
    )


def test_a_reset_of_the_mirror_keeps_the_pause_and_the_actor(cache: Cache) -> None:
    outbox = Outbox(cache)
    outbox.set_paused(True)
    queued = outbox.queue_awards([1, 2], 1)
    cache.engine.dispose()
    with cache.mirror_path.open("r+b") as mirror:  # damaged: truncated to half
        mirror.truncate(cache.mirror_path.stat().st_size // 2)
    [notice] = cache.recover()
    assert "being rebuilt" in notice
    assert outbox.paused() and outbox.actor == "Alice Moderator"
    assert "last_sync_at" not in cache.sync_state()
    assert cache.counts().members == 0
    assert [a.id for a in outbox.actions()] == [a.id for a in queued]


def test_no_holds_while_the_cache_is_being_refilled(
    cache: Cache, memory: Callable[..., MemorySession]
) -> None:
    outbox = Outbox(cache)
    outbox.queue_awards(range(1, 4), 1)
    with cache.write() as connection:
        connection.exec_driver_sql("DELETE FROM members")
        connection.exec_driver_sql("DELETE FROM sync_state WHERE key = 'last_sync_at'")
    report = send(outbox, memory())
    assert (report.applied, report.held) == (3, 0)  # type: ignore[attr-defined]


def test_an_answer_reaches_the_work_file_before_the_mirror(
    cache: Cache, monkeypatch: pytest.MonkeyPatch, memory: Callable[..., MemorySession]
) -> None:
    """A crash between the two files leaves the mirror behind (a sync corrects it), never the work."""
    outbox = Outbox(cache)
    outbox.queue_awards([3], 1)

    def crash(_connection: object, _items: object) -> None:
        raise RuntimeError("the process died between the two files")

    monkeypatch.setattr(Cache, "upsert_awards", staticmethod(crash))
    with pytest.raises(RuntimeError):
        send(outbox, memory())
    [action] = outbox.actions()
    assert (action.state, action.outcome) == (ActionState.DONE, "awarded")
    assert cache.awards_of_member(3) == []


def test_a_sender_whose_lease_was_taken_over_does_not_send_again(cache: Cache) -> None:
    """Between two attempts another sender took the chunk over (this one's lease had run out):
    this one stops, so the chunk is never sent by two."""
    outbox = Outbox(cache)
    outbox.queue_awards([3, 4], 1)
    server = FakeServer()

    class TakenOver(FakeServer):
        def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
            server.calls.append(("award", len(items)))
            with cache.write() as connection:
                connection.exec_driver_sql("UPDATE actions SET claimed_by = 'elsewhere:1:x'")
            raise ServerUnreachable("gone for a moment")

    report = outbox.send_pending(
        TakenOver(),
        batch_cap=5,
        retry=RetryPolicy(attempts=3, first_delay=0.0, max_delay=0.0),
    )
    assert server.calls == [("award", 2)]  # one attempt, no second
    assert report.applied == 0
    assert {a.state for a in outbox.actions()} == {ActionState.SENDING}
