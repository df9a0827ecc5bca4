"""BadgeDesk against the sandbox's Discourse face: wall time as a ratio to the rate-limit floor.

    ./dev bench discourse [--members 10000] [--awards 2000] [--rate 6000]

Discourse allows one bucket of admin requests a minute for the whole forum
(60 by default); every request BadgeDesk makes spends it. The floor of a piece
of work is therefore its requests ÷ the rate: no client can finish sooner.
This starts ``badgedesk sandbox --dialect discourse`` with ``--members`` and
its limit raised to ``--rate`` a minute (so the run takes seconds, not hours),
tells the client the same rate, and measures over real loopback HTTP:

- a first sync of the whole community (members, badges, holders);
- a batch of ``--awards`` grants of a badge one member per request, through the
  outbox as the app sends it;
- the client's CPU time (this process: the sandbox runs in its own) per 1,000
  grants.

Each figure is printed with its requests, the floor and the ratio (goal:
≤ 1.05× the floor for the batch). The requests are counted by a transport
wrapped around real HTTP, so the count is what reached the forum, retries
and 429s included.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

import httpx
from machine import describe

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.sandbox.process import SandboxProcess


class CountingTransport(httpx.BaseTransport):
    """Real HTTP, counting requests and 429 answers (thread-safe: sync and sends share it)."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self._lock = threading.Lock()
        self.requests = 0
        self.throttled = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        with self._lock:
            self.requests += 1
            if response.status_code == 429:
                self.throttled += 1
        return response

    def close(self) -> None:
        self._inner.close()

    def take(self) -> tuple[int, int]:
        with self._lock:
            counted = (self.requests, self.throttled)
            self.requests = self.throttled = 0
        return counted


def _line(what: str, seconds: float, requests: int, throttled: int, rate: int, cpu: float) -> None:
    floor = requests / (rate / 60.0)
    ratio = seconds / floor if floor else float("nan")
    print(
        f"{what:<34} {seconds:7.2f} s wall  {requests:6,} requests  floor {floor:6.2f} s  "
        f"{ratio:5.3f}× floor  {throttled} × 429  client CPU {cpu:6.2f} s"
    )


def _single_grant_badge(community: Community) -> int:
    """The demo's least held custom badge a member can hold once (Discourse's custom badges start at 100)."""
    with community.cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id FROM badges WHERE multiple_grant = 0 AND state = 'published' AND id >= 100"
            " ORDER BY (SELECT count(*) FROM awards a WHERE a.badge_id = badges.id) LIMIT 1"
        ).fetchall()
    if not rows:
        raise SystemExit("the demo community has no published single-grant badge")
    return int(rows[0][0])


def _lacking(community: Community, badge_id: int, count: int) -> list[int]:
    with community.cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id FROM members m WHERE status = 'active' AND NOT EXISTS"
            " (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?) ORDER BY id LIMIT ?",
            (badge_id, count),
        ).fetchall()
    return [int(r[0]) for r in rows]


def admin_endpoint(forum: SandboxProcess, rate: int) -> Endpoint:
    """The forum's admin key at ``rate`` requests a minute (the site's raised limit)."""
    return Endpoint(
        forum.url,
        forum.tokens["admin"],
        kind="discourse",
        username=forum.usernames["admin"],
        requests_per_minute=rate,
    )


def run(members: int, awards: int, rate: int) -> None:
    print(describe())
    print(f"sandbox --dialect discourse, {members:,} members, admin limit {rate:,} requests/min")
    with tempfile.TemporaryDirectory(prefix="bench-discourse-") as folder:
        root = Path(folder)
        started = time.perf_counter()
        with SandboxProcess(
            data_dir=root / "forum", members=members, seed=7, dialect="discourse", rate=rate
        ) as forum:
            print(f"sandbox seeded and started in {time.perf_counter() - started:.1f} s")
            endpoint = admin_endpoint(forum, rate)
            transport = CountingTransport()
            community = Community(forum.url, endpoint, Cache(root / "profile"), transport=transport)
            try:
                cpu, wall = time.process_time(), time.perf_counter()
                result = community.sync()
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                requests, throttled = transport.take()
                counts = community.cache.counts()
                print(
                    f"first sync: {counts.members:,} members, {counts.badges} badges,"
                    f" {counts.awards:,} awards ({result.items:,} items)"
                )
                _line("first sync", wall, requests, throttled, rate, cpu)

                badge_id = _single_grant_badge(community)
                chosen = _lacking(community, badge_id, awards)
                community.outbox.queue_awards(chosen, badge_id, reason="bench", notify=False)
                cpu, wall = time.process_time(), time.perf_counter()
                report = community.send_outbox()
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                requests, throttled = transport.take()
                print(
                    f"batch: {len(chosen):,} grants of badge {badge_id}: {report.applied:,} applied,"
                    f" {report.failed} failed, {report.conflicts} conflicts"
                )
                _line(f"batch of {len(chosen):,} grants", wall, requests, throttled, rate, cpu)
                if chosen:
                    print(f"client CPU per 1,000 grants: {1000 * cpu / len(chosen):.2f} s")
            finally:
                community.close()
                transport.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--awards", type=int, default=2_000)
    parser.add_argument("--rate", type=int, default=6_000, help="the forum's admin requests a minute")
    args = parser.parse_args()
    run(args.members, args.awards, args.rate)


if __name__ == "__main__":
    main()
