"""Sending a large queue of awards through the outbox to a sandbox over loopback HTTP.

    ./dev bench outbox [--members 12000] [--awards 10000] [--batch-cap 50] [--latency-ms 0]
                       [--parallel N]

Starts the sandbox in its own process (``--latency-ms`` added to every API
call, no rate limit, ``--batch-cap`` items a batch at most), syncs a fresh
cache, queues one award of a published badge for each of ``--awards`` active
members who do not hold it, then times ``Outbox.send_pending`` as the app calls
it (requests of the sandbox's cap, at most ``MOST_PER_REQUEST``). Prints the
batch requests made, wall time, the client's CPU time per 1,000 awards (the
server is another process, so this is BadgeDesk's own cost), the network floor
(requests × latency ÷ the batches the sender keeps in flight; ``--parallel``
sets another number than the connector's) and the wall time's ratio to it, and
the sandbox's own CPU time (one Python process: a bound of its own), then
checks on the server that exactly those awards were made.

The baseline, measured in the same run after the send: the same request
bodies POSTed one after another by a bare ``httpx.Client`` over one
connection, each answer read and parsed with ``json.loads`` (the server
answers them from its idempotency keys, so nothing is awarded twice). Its CPU
time is what any client pays; the rest is BadgeDesk's own. Then the SQLite
work each award needs, timed alone (:func:`writes_alone`: the sender's own
statements and commits on the same rows, nothing around them); with the bare
POSTs it is a floor for any client that keeps every action's state on disk
before and after its request, as the outbox must. With
``BENCH_PROFILE=1`` the send's CPU time is profiled into ``/tmp/outbox.prof``
(read it with ``pstats``): the sending thread's, not the pool's requests.
"""

from __future__ import annotations

import argparse
import json
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
from desktop.domain import Action, Award, BadgeState, MemberStatus
from desktop.outbox import Outbox
from desktop.outbox.outbox import MOST_PER_REQUEST
from desktop.outbox.sender import _CLAIMED_AHEAD, parallel_batches
from desktop.outbox.store import actions as store_rows
from desktop.outbox.store import claims
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


def process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) another process has used so far (Linux; 0 elsewhere)."""
    stat = Path(f"/proc/{pid}/stat")
    if pid is None or not stat.exists():
        return 0.0
    fields = stat.read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def writes_alone(cache: Cache, actions: list[Action], cap: int, parallel: int) -> float:
    """CPU seconds of the SQLite work each sent award needs, without the sender around it.

    After the send: the sent actions are made unsent again and their awards taken out of the
    mirror (not timed); then, timed, the same statements the sender runs, called directly
    with the rows ready and grouped as the sender groups them: read the unsent actions, claim
    the runs of several flights in one commit, then for each ``parallel`` requests store the
    answers (one commit) and write the awards to the mirror (one commit). The cache ends as
    the send left it.
    """
    ids = tuple(a.id for a in actions)
    marks = ", ".join("?" * len(ids))
    with cache.write() as connection:
        kept = {
            row[0]: tuple(row)
            for row in connection.exec_driver_sql(
                f"SELECT a.id, a.member_id, a.badge_id, a.granted_at, a.granted_by, a.reason FROM awards a"
                f" WHERE a.id IN (SELECT json_extract(result, '$.award_id') FROM actions"
                f" WHERE id IN ({marks}))",
                ids,
            )
        }
        answers = {
            row[0]: row[1:]
            for row in connection.exec_driver_sql(
                "SELECT id, state, outcome, hold_reason, result, json_extract(result, '$.award_id')"
                f" FROM actions WHERE id IN ({marks})",
                ids,
            )
        }
        connection.exec_driver_sql(
            f"UPDATE actions SET state = 'pending', claimed_by = NULL WHERE id IN ({marks})",
            ids,
        )
        connection.exec_driver_sql(
            f"DELETE FROM awards WHERE id IN ({', '.join('?' * len(kept))})", tuple(kept)
        )
    now = int(time.time())
    cpu = time.process_time()
    with cache.read() as connection:
        store_rows.fetch(connection, store_rows._NEXT_UNSENT, (0, *store_rows._UNSENT, len(ids)))
    # As the sender groups them: claims for several flights at once, answers a flight's worth.
    claimed = cap * parallel * _CLAIMED_AHEAD
    for start in range(0, len(ids), claimed):
        with cache.write() as connection:
            for first in range(start, min(start + claimed, len(ids)), cap):
                claims.claim(connection, ids[first : first + cap], "bench", [], now)
    for start in range(0, len(ids), cap * parallel):
        part = ids[start : start + cap * parallel]
        with cache.write() as connection:
            store_rows.store_results(connection, [(*answers[i][:4], now, now, i) for i in part])
        with cache.write() as connection:
            Cache.upsert_award_rows(connection, [kept[answers[i][4]] for i in part])
    return time.process_time() - cpu


def bare_posts(url: str, token: str, actions: list[Action], cap: int) -> tuple[float, float]:
    """The baseline: the same bodies POSTed by a bare httpx client; (wall, CPU) seconds."""
    bodies = [
        {
            "items": [
                {
                    "idempotency_key": a.idempotency_key,
                    "member_id": a.payload["member_id"],
                    "badge_id": a.payload["badge_id"],
                    "reason": a.payload["reason"],
                    "notify": a.payload["notify"],
                    "message": a.payload["message"],
                }
                for a in actions[start : start + cap]
            ]
        }
        for start in range(0, len(actions), cap)
    ]
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    with httpx.Client(base_url=url + "/api/v1", headers=headers, timeout=60) as client:
        wall_start = time.perf_counter()
        cpu_start = time.process_time()
        for body in bodies:
            response = client.post("/awards/batch", json=body)
            if response.status_code != 200 or len(json.loads(response.content)["results"]) != len(
                body["items"]
            ):
                raise SystemExit(f"baseline POST failed: HTTP {response.status_code}")
        return time.perf_counter() - wall_start, time.process_time() - cpu_start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=12_000)
    parser.add_argument("--awards", type=int, default=10_000)
    parser.add_argument("--batch-cap", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=0, help="added by the sandbox to every API call")
    parser.add_argument(
        "--parallel", type=int, default=None, help="batches in flight at once (default: the connector's)"
    )
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        started = time.perf_counter()
        with SandboxProcess(
            data_dir=Path(tmp) / "sandbox",
            members=args.members,
            seed=1,
            latency_ms=args.latency_ms,
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
                queued = outbox.queue_awards(chosen, badge.id, reason="bench", notify=False)
                print(
                    f"queued {len(chosen):,} awards of {badge.title!r} (badge {badge.id}, "
                    f"{len(holders_before):,} holders before)"
                )

                transport = CountingTransport()
                with CommunityApiConnector(sandbox.url, token, transport=transport) as connector:
                    if args.parallel is not None:
                        connector.concurrent_batches = args.parallel
                    wall_start = time.perf_counter()
                    cpu_start = time.process_time()
                    server_start = process_cpu(sandbox.pid)
                    if os.environ.get("BENCH_PROFILE"):
                        import cProfile

                        # This thread's CPU time (the figure below counts every thread's):
                        # a wait for the GIL or for a pool thread is not charged to a call.
                        profiler = cProfile.Profile(time.thread_time)
                        profiler.enable()
                    # The server's cap, as the app sends (at most MOST_PER_REQUEST a request).
                    report = Outbox(cache).send_pending(connector)
                    parallel = parallel_batches(connector)
                    if os.environ.get("BENCH_PROFILE"):
                        profiler.disable()
                        profiler.dump_stats("/tmp/outbox.prof")
                    cpu = time.process_time() - cpu_start
                    wall = time.perf_counter() - wall_start
                    server_cpu = process_cpu(sandbox.pid) - server_start
                sent = report.done + report.conflicts + report.failed
                batches = transport.requests[f"POST {BATCH_PATH}"]
                per_request = min(args.batch_cap, MOST_PER_REQUEST)
                expected_batches = -(-args.awards // per_request)
                print(
                    f"send_pending: {report.queued:,} queued, {report.done:,} done, "
                    f"{report.conflicts} conflicts, {report.failed} failed"
                )
                print(
                    f"batch-award requests: {batches} (expected {expected_batches}); all requests: "
                    + ", ".join(f"{path} ×{n}" for path, n in sorted(transport.requests.items()))
                )
                print(
                    f"sandbox CPU during the send: {server_cpu:.2f} s, "
                    f"{server_cpu / batches * 1000:.1f} ms per request (one Python process: "
                    f"a floor of its own, {server_cpu / wall:.0%} of wall)"
                )
                base_wall, base_cpu = bare_posts(sandbox.url, token, queued, per_request)
                writes_cpu = writes_alone(cache, queued, per_request, parallel)
                per_k = 1000 / len(chosen) * 1000  # seconds per run -> ms per 1,000 awards
                floor = batches * args.latency_ms / 1000 / parallel
                print(
                    f"wall time: {wall:.2f} s, {sent / wall:,.0f} items/s, "
                    f"{wall / batches * 1000:.1f} ms/batch, {parallel} batch(es) in flight at most"
                )
                if floor:
                    print(
                        f"network floor ({batches} requests × {args.latency_ms} ms ÷ {parallel}): "
                        f"{floor:.2f} s; wall/floor {wall / floor:.2f}×"
                    )
                print(
                    f"client CPU: {cpu * per_k:.1f} ms per 1,000 awards "
                    f"({cpu:.2f} s, {cpu / wall:.0%} of wall); "
                    f"baseline (bare httpx POSTs of the same bodies, one at a time): "
                    f"{base_cpu * per_k:.1f} ms per 1,000 (wall {base_wall:.2f} s); "
                    f"ratio {cpu / base_cpu:.2f}×"
                )
                print(
                    f"the SQLite writes alone (read, claim, store the answers, mirror; same statements "
                    f"and commits, no sender around them): {writes_cpu * per_k:.1f} ms per 1,000; with "
                    f"the bare POSTs {(writes_cpu + base_cpu) * per_k:.1f} ms: a floor for the client "
                    f"({cpu / (writes_cpu + base_cpu):.2f}× it)"
                )

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
