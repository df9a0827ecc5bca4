"""Requests of each kind of sync of a Discourse forum: first, later (nothing new, a little new), full pass.

    ./dev bench discourse_later_sync [--members 20000]

Starts the sandbox's Discourse face (seeding the demo community first) at a
raised rate limit, so the run takes seconds, and counts the requests each
sync sends. Every one of them spends the forum's one admin bucket: the time
each would take at Discourse's default 60 requests a minute is printed
beside it (the rate-limit floor: requests ÷ rate).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import httpx
from machine import describe

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.net.budget import describe_duration
from desktop.sandbox.process import SandboxProcess
from desktop.sync import SyncResult

#: Raised so the bench runs in seconds; the floor printed is at Discourse's default.
RATE = 100_000
DEFAULT_RATE = 60


class CountingTransport(httpx.HTTPTransport):
    """Loopback HTTP that counts the requests it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        return super().handle_request(request)


def _line(what: str, requests: int, seconds: float, result: SyncResult) -> str:
    floor = describe_duration(requests * 60 / DEFAULT_RATE)
    return (
        f"{what:<38} {requests:>6,} requests  {floor:>16} at {DEFAULT_RATE}/min"
        f"  ({result.items:,} items, {seconds:.1f} s here)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=20_000)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        started = time.perf_counter()
        with SandboxProcess(
            data_dir=Path(tmp) / "forum", members=args.members, seed=1, dialect="discourse", rate=RATE
        ) as forum:
            print(
                f"Discourse sandbox with {args.members:,} members"
                f" ready in {time.perf_counter() - started:.1f} s"
            )
            transport = CountingTransport()
            endpoint = Endpoint(
                forum.url,
                forum.tokens["admin"],
                kind="discourse",
                username=forum.usernames["admin"],
                requests_per_minute=RATE,
            )
            community = Community(forum.url, endpoint, Cache(Path(tmp) / "profile"), transport=transport)
            headers = {"Api-Key": forum.tokens["admin"], "Api-Username": forum.usernames["admin"]}
            try:

                def measure(what: str, *, snapshot: bool = False) -> None:
                    transport.sent = 0
                    began = time.perf_counter()
                    result = community.sync(snapshot=snapshot)
                    print(_line(what, transport.sent, time.perf_counter() - began, result))

                measure("first sync")
                measure("later sync, nothing new")
                with community.cache.read() as connection:
                    member, badge = connection.exec_driver_sql(
                        "SELECT m.username, b.id FROM members m, badges b WHERE b.state = 'published'"
                        " AND m.status = 'active' AND NOT EXISTS (SELECT 1 FROM awards a"
                        " WHERE a.member_id = m.id AND a.badge_id = b.id) ORDER BY m.id DESC LIMIT 1"
                    ).one()
                with httpx.Client(base_url=forum.url, headers=headers) as admin:
                    admin.post(
                        "/user_badges.json", data={"username": member, "badge_id": badge}
                    ).raise_for_status()
                measure("later sync, one grant made elsewhere")
                measure("full pass (snapshot, mark and sweep)", snapshot=True)
            finally:
                community.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
