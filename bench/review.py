"""The review queue's core costs on a big community: loading the queue, committing a decision.

    ./dev bench review [--members 20000] [--scale 10]

Seeds a sandbox, replaces its queue with the review scenario times ``scale``
(87 × scale requests over 5 badges, duplicates, missing evidence, suspended
members), syncs a fresh cache over loopback HTTP, then times what runs on
worker threads behind each key: ``load_queue`` (a reload of the whole queue)
and ``Outbox.queue_decisions`` (one decision committed to SQLite). The UI's
own reaction time (key → next card) is measured by the acceptance test in
tests/ui/test_review_queue.py and written to artifacts/review_reaction.txt.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from machine import describe

from desktop.cache.database import Cache
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.domain import Decision
from desktop.outbox import Outbox
from desktop.review import QueueOrder, load_queue
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.scenarios import review_queue
from desktop.sandbox.seed import seed_database
from desktop.sandbox.server import DATABASE_NAME
from desktop.sync import SyncService


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def describe_ms(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    median = statistics.median(ordered)
    return f"median {median:.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms (n={len(ordered)})"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--scale", type=int, default=10, help="multiplies the 87-request scenario")
    parser.add_argument("--decisions", type=int, default=200)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        data = Path(tmp) / "sandbox"
        data.mkdir()
        seed_database(data / DATABASE_NAME, members=args.members, seed=1)
        s = args.scale
        scenario = review_queue(
            data / DATABASE_NAME,
            per_badge=(31 * s, 24 * s, 18 * s, 9 * s, 5 * s),
            duplicate_groups=(3, 3, 2, 2, 2, 2, 2) * s,
            without_evidence=7 * s,
            suspended=3 * s,
        )
        with SandboxProcess(data_dir=data, members=args.members, seed=1) as sandbox:
            cache = Cache(Path(tmp) / "cache")
            with CommunityApiConnector(sandbox.url, sandbox.tokens["moderator"]) as connector:
                SyncService(cache, connector).run()
            snapshot = load_queue(cache)
            print(
                f"queue: {snapshot.pending_requests:,} pending requests in {len(snapshot.groups):,} groups"
                f" ({len(scenario.duplicate_groups)} duplicate groups), {args.members:,} members cached"
            )
            print("load_queue, oldest first: " + describe_ms(timed(lambda: load_queue(cache), 20)))
            print(
                "load_queue, by score, one badge: "
                + describe_ms(
                    timed(
                        lambda: load_queue(cache, order=QueueOrder.SCORE, badge_id=scenario.badge_ids[0]), 20
                    )
                )
            )
            outbox = Outbox(cache)
            groups = [g for g in snapshot.groups if g.approval_problem() is None][: args.decisions]
            commits = []
            for group in groups:
                spec = group.decision_spec(Decision.APPROVE)
                started = time.perf_counter()
                outbox.queue_decisions([spec])
                commits.append((time.perf_counter() - started) * 1000)
            print("one decision committed to SQLite (queue_decisions): " + describe_ms(commits))
            print(
                "load_queue with those decisions queued: " + describe_ms(timed(lambda: load_queue(cache), 10))
            )
            started = time.perf_counter()
            with CommunityApiConnector(sandbox.url, sandbox.tokens["moderator"]) as connector:
                report = outbox.send_pending(connector, batch_cap=50)
            seconds = time.perf_counter() - started
            print(
                f"sending {report.done} decisions (one request each): {seconds:.2f} s,"
                f" {seconds / max(1, report.done) * 1000:.1f} ms per decision"
            )
            cache.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
