"""Sending a large queue of awards through the outbox to a sandbox over loopback HTTP.

    ./dev bench outbox [--members 12000] [--awards 10000] [--batch-cap 50]

Starts the sandbox in its own process (no added latency, no rate limit), syncs
a fresh cache, queues one award of a published badge for each of ``--awards``
active members who do not hold it, then times ``Outbox.send_pending``. Prints
the batch requests made, wall time, the client's CPU time (the server is
another process, so this is BadgeDesk's own cost) and throughput, then checks
on the server that exactly those awards were made. With ``BENCH_PROFILE=1``
the send is profiled into ``/tmp/outbox.prof`` (read it with ``pstats``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
from machine import describe

from desktop.cache.database import Cache
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.domain import Award, BadgeState, MemberStatus
from desktop.outbox import Outbox
from desktop.sandbox.process import SandboxProcess
from desktop.sync import SyncService

BATCH_PATH = "/api/v1/awards/batch"


class CountingTransport(httpx.BaseTransport):
    """Real HTTP, counting requests per method and path."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.requests: Counter[str] = Counter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests[f"{request.method} {request.url.path}"] += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def server_awards(connector: CommunityApiConnector, badge_id: int) -> list[Award]:
    """Every active award of one badge, as the server reports it."""
    found: list[Award] = []
    cursor: str | None = None
    while True:
        page = connector.awards(cursor, 5000, badge_id=badge_id)
        found += page.items
        cursor = page.next_cursor
        if cursor is None:
            return found


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=12_000)
    parser.add_argument("--awards", type=int, default=10_000)
    parser.add_argument("--batch-cap", type=int, default=50)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        started = time.perf_counter()
        with SandboxProcess(
            data_dir=Path(tmp) / "sandbox",
            members=args.members,
            seed=1,
            latency_ms=0,
            rate=None,  # the default is unlimited; said here so it stays so
            fail_rate=0.0,
            batch_cap=args.batch_cap,
        ) as sandbox:
            print(f"sandbox with {args.members:,} members ready in {time.perf_counter() - started:.1f} s")
            token = sandbox.tokens["moderator"]
            cache = Cache(Path(tmp) / "cache")
            try:
                with CommunityApiConnector(sandbox.url, token) as connector:
                    synced = SyncService(cache, connector).run()
                    print(f"cache synced: {synced.items:,} items in {synced.seconds:.1f} s")
                    # The published badge with the fewest holders leaves the most members to award.
                    holder_counts = cache.badge_holder_counts()
                    badge = min(
                        (b for b in cache.badges() if b.state is BadgeState.PUBLISHED),
                        key=lambda b: (holder_counts.get(b.id, 0), b.id),
                    )
                    holders_before = {a.member_id for a in server_awards(connector, badge.id)}
                    awards_before = connector.community().awards
                members = cache.members_by_ids(cache.member_ids())
                candidates = sorted(
                    m.id
                    for m in members.values()
                    if m.status is MemberStatus.ACTIVE and m.id not in holders_before
                )
                if len(candidates) < args.awards:
                    print(f"only {len(candidates):,} members can receive {badge.slug!r}; raise --members")
                    return 1
                chosen = candidates[: args.awards]
                outbox = Outbox(cache)
                outbox.queue_awards(chosen, badge.id, reason="bench", notify=False)
                print(
                    f"queued {len(chosen):,} awards of {badge.title!r} (badge {badge.id}, "
                    f"{len(holders_before):,} holders before)"
                )

                transport = CountingTransport()
                with CommunityApiConnector(sandbox.url, token, transport=transport) as connector:
                    wall_start = time.perf_counter()
                    cpu_start = time.process_time()
                    if os.environ.get("BENCH_PROFILE"):
                        import cProfile

                        profiler = cProfile.Profile()
                        profiler.enable()
                    report = Outbox(cache).send_pending(connector, batch_cap=args.batch_cap)
                    if os.environ.get("BENCH_PROFILE"):
                        profiler.disable()
                        profiler.dump_stats("/tmp/outbox.prof")
                    cpu = time.process_time() - cpu_start
                    wall = time.perf_counter() - wall_start
                sent = report.done + report.conflicts + report.failed
                batches = transport.requests[f"POST {BATCH_PATH}"]
                expected_batches = -(-args.awards // args.batch_cap)
                print(
                    f"send_pending: {report.queued:,} queued, {report.done:,} done, "
                    f"{report.conflicts} conflicts, {report.failed} failed"
                )
                print(
                    f"batch-award requests: {batches} (expected {expected_batches}); all requests: "
                    + ", ".join(f"{path} ×{n}" for path, n in sorted(transport.requests.items()))
                )
                print(
                    f"wall time: {wall:.2f} s, {sent / wall:,.0f} items/s, "
                    f"{wall / batches * 1000:.1f} ms/batch"
                )
                print(f"client CPU time: {cpu:.2f} s, client share {cpu / wall:.0%} of wall time")

                with CommunityApiConnector(sandbox.url, token) as connector:
                    after = server_awards(connector, badge.id)
                    awards_after = connector.community().awards
                new = [a for a in after if a.member_id not in holders_before]
                exact = (
                    sorted(a.member_id for a in new) == chosen
                    and all(a.reason == "bench" for a in new)
                    and {a.member_id for a in after} >= holders_before
                    and awards_after - awards_before == len(chosen)
                )
                print(
                    f"server check: {len(new):,} new awards of badge {badge.id}, "
                    f"community awards {awards_before:,} -> {awards_after:,} "
                    f"(+{awards_after - awards_before:,}): "
                    + ("exactly the queued ones" if exact else "MISMATCH with the queued awards")
                )
                return 0 if exact and batches == expected_batches else 1
            finally:
                cache.close()


if __name__ == "__main__":
    sys.exit(main())
