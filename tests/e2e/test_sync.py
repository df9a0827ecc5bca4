"""Sync between the cache and a real sandbox server over loopback HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.base import AwardItem, RevokeItem
from desktop.domain import AwardOutcome, BadgeState, MemberStatus, new_idempotency_key
from desktop.net.errors import MalformedResponse, ServerUnreachable
from desktop.net.ratecontrol import RateControl
from desktop.sandbox.process import SandboxProcess
from desktop.sync import KEY_CHANGES_CURSOR, KEY_FULL_PHASE, SyncProgress, SyncService
from tests.e2e.conftest import SMALL, CountingTransport, connector_for


def snapshot(cache: Cache) -> dict[str, Any]:
    """Everything in the cache that sync may touch."""
    with cache.read() as connection:
        tables = {
            name: connection.exec_driver_sql(f"SELECT * FROM {name} ORDER BY 1").fetchall()
            for name in ("members", "badges", "awards", "requests", "sync_state")
        }
    return tables


def server_counts(process: SandboxProcess) -> Any:
    with connector_for(process) as connector:
        return connector.community()


def published_badge(cache: Cache) -> int:
    return next(b.id for b in cache.badges() if b.state is BadgeState.PUBLISHED)


def test_full_sync_mirrors_the_server(sandbox: SandboxProcess, cache: Cache) -> None:
    seen: list[SyncProgress] = []
    with connector_for(sandbox) as connector:
        result = SyncService(cache, connector, page_size=500).run(progress=seen.append)
    summary = server_counts(sandbox)
    counts = cache.counts()
    assert result.full
    assert counts.members == summary.members == SMALL
    assert counts.badges == summary.badges >= 50
    assert counts.awards == summary.awards > SMALL
    assert counts.pending_requests == summary.requests > 0
    assert counts.requests > counts.pending_requests  # decided ones too
    # Progress only goes forward and ends complete.
    done = [p.done for p in seen]
    assert done == sorted(done)
    assert seen[-1].done == seen[-1].total == result.items
    assert KEY_CHANGES_CURSOR in cache.sync_state()
    # Non-ASCII names survive the trip.
    assert any(not m.display_name.isascii() for m in cache.members_by_ids(cache.member_ids()).values())


def test_incremental_sync_brings_only_what_changed(sandbox: SandboxProcess, cache: Cache) -> None:
    with connector_for(sandbox) as connector:
        SyncService(cache, connector).run()
        badge_id = published_badge(cache)
        holders = {a.member_id for a in cache_awards(cache, badge_id)}
        member_id = next(
            i for i in cache.member_ids() if i not in holders and member_status(cache, i) == "active"
        )
        key = new_idempotency_key()
        [result] = connector.award_batch([AwardItem(key, member_id, badge_id, reason="test")])
        assert result.outcome is AwardOutcome.AWARDED
        second = SyncService(cache, connector).run()
    assert not second.full
    assert second.changes.awards
    assert member_id in {a.member_id for a in cache_awards(cache, badge_id)}
    assert second.items < 10

    with connector_for(sandbox) as connector:
        [revoked] = connector.revoke_batch([RevokeItem(new_idempotency_key(), member_id, badge_id, "oops")])
        assert revoked.outcome is AwardOutcome.REVOKED
        third = SyncService(cache, connector).run()
        nothing = SyncService(cache, connector).run()
    assert third.changes.awards
    assert member_id not in {a.member_id for a in cache_awards(cache, badge_id)}
    assert nothing.items == 0 and not nothing.changes


def cache_awards(cache: Cache, badge_id: int) -> list[Any]:
    with cache.read() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM awards WHERE badge_id = ?", (badge_id,)).fetchall()
    return list(rows)


def member_status(cache: Cache, member_id: int) -> MemberStatus:
    member = cache.member(member_id)
    assert member is not None, member_id
    return member.status


def test_interrupted_full_sync_resumes_where_it_stopped(sandbox: SandboxProcess, cache: Cache) -> None:
    cancel = CancelToken()

    def stop_after_members_started(progress: SyncProgress) -> None:
        if progress.phase == "members" and progress.done > 600:
            cancel.cancel()

    first = CountingTransport()
    with connector_for(sandbox, transport=first) as connector, pytest.raises(Cancelled):
        SyncService(cache, connector, page_size=200).run(progress=stop_after_members_started, cancel=cancel)
    state = cache.sync_state()
    assert KEY_CHANGES_CURSOR not in state
    assert state[KEY_FULL_PHASE] == "members"
    partial = cache.counts().members
    assert 0 < partial < SMALL

    second = CountingTransport()
    with connector_for(sandbox, transport=second) as connector:
        result = SyncService(cache, connector, page_size=200).run()
    assert result.full
    assert cache.counts().members == SMALL
    # The badges and the members already stored were not fetched again.
    assert second.paths["/api/v1/badges"] == 0
    assert second.paths["/api/v1/members"] == (SMALL - partial + 199) // 200


def test_changes_made_during_a_full_sync_arrive_with_the_next_sync(
    sandbox: SandboxProcess, cache: Cache
) -> None:
    changed: dict[str, int] = {}

    def award_while_syncing(progress: SyncProgress) -> None:
        if progress.phase == "members" and not changed:
            with connector_for(sandbox) as other:
                badge = next(b for b in other.badges(None, 100).items if b.state is BadgeState.PUBLISHED)
                holders = {a.member_id for a in other.awards(None, 5000, badge_id=badge.id).items}
                member = next(
                    m for m in other.members(None, 100).items if m.status == "active" and m.id not in holders
                )
                [r] = other.award_batch([AwardItem(new_idempotency_key(), member.id, badge.id, "late")])
                changed.update(member=member.id, badge=badge.id, outcome=r.outcome == AwardOutcome.AWARDED)

    with connector_for(sandbox) as connector:
        SyncService(cache, connector, page_size=500).run(progress=award_while_syncing)
        SyncService(cache, connector).run()
    assert changed["outcome"]
    # Member pages before the award were already stored: the feed brought it.
    assert changed["badge"] in {a.badge_id for a in cache.awards_of_member(changed["member"])}
    assert cache.counts().awards == server_counts(sandbox).awards


@pytest.mark.parametrize(
    ("endpoint", "tamper", "message"),
    [
        ("/api/v1/members", lambda body: b"<html>502 Bad Gateway</html>", "not valid JSON"),
        ("/api/v1/members", lambda body: body.replace(b'"id":', b'"id":"', 1).replace(b",", b'",', 1), "id"),
        (
            "/api/v1/badges",
            lambda body: json.dumps({"items": [{"id": 1}], "next_cursor": None}).encode(),
            "slug",
        ),
        ("/api/v1/changes", lambda body: b'{"members": 5}', "members"),
    ],
)
def test_malformed_responses_leave_the_cache_untouched(
    sandbox: SandboxProcess, cache: Cache, endpoint: str, tamper: Any, message: str
) -> None:
    if endpoint == "/api/v1/changes":
        with connector_for(sandbox) as connector:
            SyncService(cache, connector).run()
    before = snapshot(cache)
    transport = CountingTransport(
        lambda request, body: tamper(body) if request.url.path == endpoint else None
    )
    with connector_for(sandbox, transport=transport) as connector, pytest.raises(MalformedResponse) as caught:
        SyncService(cache, connector, page_size=200).run()
    assert "Malformed response" in str(caught.value)
    assert message in str(caught.value)
    after = snapshot(cache)
    if endpoint == "/api/v1/members":
        # Badges came before members and were valid: the only pages stored.
        assert after["members"] == before["members"] == []
    else:
        assert after == before


def test_unreachable_server_is_reported_as_offline(cache: Cache) -> None:
    from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector

    with (
        CommunityApiConnector("http://127.0.0.1:9", "t", max_attempts=2) as connector,
        pytest.raises(ServerUnreachable, match=r"127\.0\.0\.1:9"),
    ):
        SyncService(cache, connector).run()
    assert cache.counts().members == 0


def test_batch_award_is_idempotent(sandbox: SandboxProcess, cache: Cache) -> None:
    with connector_for(sandbox) as connector:
        SyncService(cache, connector).run()
        badge_id = published_badge(cache)
        member_id = next(
            m
            for m in cache.member_ids()
            if member_status(cache, m) == "active"
            and m not in {a.member_id for a in cache_awards(cache, badge_id)}
        )
        before = connector.community().awards
        item = AwardItem(new_idempotency_key(), member_id, badge_id, reason="once")
        [first] = connector.award_batch([item])
        [again] = connector.award_batch([item])
        after = connector.community().awards
    assert first.outcome is AwardOutcome.AWARDED and not first.replayed
    assert again.outcome is AwardOutcome.AWARDED and again.replayed
    assert again.award == first.award
    assert after == before + 1


def test_429_with_retry_after_is_waited_out(start_sandbox: Any) -> None:
    process = start_sandbox("--rate", "4")
    waits: list[float] = []

    class RecordingToken(CancelToken):
        def sleep(self, seconds: float) -> None:
            waits.append(seconds)
            super().sleep(seconds)

    retry_afters: list[float] = []

    class RetryAfterTransport(CountingTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = super().handle_request(request)
            if response.status_code == 429:
                retry_afters.append(float(response.headers["Retry-After"]))
            return response

    transport = RetryAfterTransport()
    # A tiny own back-off: any long wait must come from the server's Retry-After.
    rate = RateControl(first_backoff=0.01)
    with connector_for(process, transport=transport, rate_control=rate, cancel=RecordingToken()) as connector:
        for _ in range(12):
            connector.community()
    assert transport.statuses[200] == 12
    assert retry_afters and min(retry_afters) >= 1
    # Each 429 was followed by a wait of at least its Retry-After.
    long_waits = [w for w in waits if w >= 0.9]
    assert len(long_waits) >= len(retry_afters)


def test_retries_after_faults_are_safe(start_sandbox: Any, tmp_path: Any) -> None:
    """With injected 503s and dropped answers, every award lands exactly once."""
    process = start_sandbox("--fail-rate", "0.3", "--fault-seed", "5", members=400)
    transport = CountingTransport()
    with connector_for(process, transport=transport, max_attempts=12) as connector:
        badge = next(b for b in connector.badges(None, 100).items if b.state is BadgeState.PUBLISHED)
        before = connector.community().awards
        items = [AwardItem(new_idempotency_key(), m, badge.id, "faults") for m in range(1, 101)]
        results = []
        for start in range(0, 100, 25):
            results += connector.award_batch(items[start : start + 25])
        after = connector.community().awards
    awarded = sum(r.outcome is AwardOutcome.AWARDED for r in results)
    assert transport.statuses[503] >= 1
    # A retry after a lost answer replays the first result ("awarded"), so the
    # server's count grows by exactly the awards reported; a non-idempotent
    # retry would report "already_held" and break this equality.
    assert after - before == awarded
    assert {r.idempotency_key for r in results} == {i.idempotency_key for i in items}
