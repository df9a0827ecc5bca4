"""A big batch on the Discourse sandbox by mass award: requests, wall time, and the floor.

    ./dev bench mass_award [--members 3000] [--batch 2000] [--rate 6000]

Starts the sandbox speaking Discourse with its admin bucket raised to
``--rate`` requests a minute (the client is told the same), syncs a profile
(not timed), then queues ``--batch`` awards of one badge to members who lack
it, by mass award, and sends them: one upload, the holders read back while
the forum's background jobs grant (one job per member, run one at a time),
and one by one whatever the verification did not find.

Prints the machine, the requests by kind, the wall time, the floor of those
requests (requests ÷ rate) and the floor one by one would have had (a
request per member), and the client's CPU time. The mass path's wall time is
mostly the forum's own jobs, which no rate limit bounds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
from machine import describe

from desktop.batches import ListSource, dry_run, queue_batch
from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.domain import ActionKind
from desktop.sandbox.process import SandboxProcess


class CountingTransport(httpx.BaseTransport):
    """Real HTTP, counting requests by method and the first part of the path."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.counts: Counter[str] = Counter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        kind = (
            "upload" if path.startswith("/admin/badges/award/") else path.split("/")[1].removesuffix(".json")
        )
        self.counts[f"{request.method} /{kind}"] += 1
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def lacking(cache: Cache, badge_id: int, limit: int) -> list[int]:
    """Active members who do not hold the badge, at most ``limit``."""
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id FROM members m WHERE status = 'active' AND NOT EXISTS (SELECT 1 FROM awards a"
            " WHERE a.member_id = m.id AND a.badge_id = ?) ORDER BY id LIMIT ?",
            (badge_id, limit),
        )
        return [int(r[0]) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--rate", type=int, default=6000, help="requests a minute (the forum's admin bucket)")
    args = parser.parse_args()
    print(describe())
    with (
        tempfile.TemporaryDirectory() as tmp,
        SandboxProcess(
            data_dir=Path(tmp) / "forum", members=args.members, seed=1, dialect="discourse", rate=args.rate
        ) as forum,
    ):
        transport = CountingTransport()
        endpoint = Endpoint(
            forum.url,
            forum.tokens["admin"],
            kind="discourse",
            username=forum.usernames["admin"],
            requests_per_minute=args.rate,
        )
        community = Community(forum.url, endpoint, Cache(Path(tmp) / "profile"), transport=transport)
        try:
            community.sync()
            cache = community.cache
            badge_id, members = max(
                (
                    (badge.id, lacking(cache, badge.id, args.batch))
                    for badge in cache.badges()
                    if badge.state.value == "published"
                ),
                key=lambda found: len(found[1]),
            )
            plan = dry_run(cache, ListSource.selection(members), ActionKind.AWARD, badge_id)
            queue_batch(community.outbox, plan, reason="bench", notify=False, mass_award=True)
            transport.counts.clear()
            cpu, wall = time.process_time(), time.perf_counter()
            report = community.send_outbox()
            wall = time.perf_counter() - wall
            cpu = time.process_time() - cpu
        finally:
            community.close()
    requests = sum(transport.counts.values())
    per_second = args.rate / 60
    print(f"{len(members):,} awards by mass award at {args.rate:,} requests/min: {report.applied:,} applied")
    print(
        "requests: "
        + ", ".join(f"{k} {n:,}" for k, n in sorted(transport.counts.items()))
        + f"; {requests:,} in all"
    )
    floor = requests / per_second
    print(
        f"wall {wall:.2f} s; floor of these requests {floor:.2f} s ({wall / floor:.1f}x);"
        f" one by one's floor {len(members) / per_second:.2f} s ({wall / (len(members) / per_second):.2f}x)"
    )
    print(f"client CPU {cpu:.2f} s ({cpu / max(1, len(members)) * 1000:.2f} s per 1,000 awards)")


if __name__ == "__main__":
    main()
