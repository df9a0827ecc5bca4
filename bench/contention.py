"""Sync, search and send at once on a large cache: the WAL stays bounded, sends are not starved.

    ./dev bench contention [--members 200000] [--awards 2000] [--searchers 2]

Starts a sandbox (seeded with ``--members``) and times, on one profile:

1. the first full sync, while ``--searchers`` threads run member searches
   back to back and, once the members phase has begun, the outbox sends
   ``--awards`` awards queued before the sync; a monitor samples the
   mirror's write-ahead log every 20 ms and reports its peak against the
   goal (the larger of 64 MB and half the mirror);
2. the same number of awards (another badge) sent with nothing else running:
   the idle baseline the send during the sync is compared with (goal ≤ 2×).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import string
import sys
import tempfile
import threading
import time
from pathlib import Path

from machine import describe
from outbox import server_awards

from desktop.cache.database import Cache
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.domain import BadgeState
from desktop.member_search import MemberQuery, MemberSearch
from desktop.outbox import Outbox
from desktop.sandbox.process import SandboxProcess
from desktop.sync import SyncProgress, SyncService

MB = 1024 * 1024


def awardable(connector: CommunityApiConnector, count: int, skip: int = 0) -> tuple[int, list[int]]:
    """A published badge and ``count`` active members who lack it, read from the server."""
    badges = [b for b in connector.badges(None, 100).items if b.state is BadgeState.PUBLISHED]
    badge = badges[skip]
    holders = {a.member_id for a in server_awards(connector, badge.id)}
    members: list[int] = []
    cursor: str | None = None
    while len(members) < count:
        members_page = connector.members(cursor, 2000)
        members += [m.id for m in members_page.items if m.status == "active" and m.id not in holders]
        cursor = members_page.next_cursor
        assert cursor is not None, "not enough members"
    return badge.id, members[:count]


class WalMonitor(threading.Thread):
    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = Path(f"{path}-wal")
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.02):
            with contextlib.suppress(FileNotFoundError):
                self.peak = max(self.peak, self.path.stat().st_size)


def searcher(cache: Cache, stop: threading.Event, counts: list[int], seed: int) -> None:
    search = MemberSearch(cache)
    rng = random.Random(seed)
    while not stop.is_set():
        prefix = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.choice((1, 2, 3))))
        search.ids(MemberQuery(text=prefix))
        counts[0] += 1


def send(outbox: Outbox, url: str, token: str) -> float:
    started = time.perf_counter()
    with CommunityApiConnector(url, token) as connector:
        report = outbox.send_pending(connector, batch_cap=connector.batch_cap)
    assert report.applied + report.noop == report.queued, report
    return time.perf_counter() - started


def run_sync(
    profile: Path,
    url: str,
    token: str,
    args: argparse.Namespace,
    badge: int,
    members: list[int],
    searchers: int | None = None,
) -> float:
    """A first full sync, with a send (and searches) starting once the members phase is under way.

    Prints the sync and the WAL figures; returns the send's wall time.
    """
    searchers = args.searchers if searchers is None else searchers
    cache = Cache(profile)
    outbox = Outbox(cache, actor="Bench")
    outbox.queue_awards(members, badge, notify=False)
    stop = threading.Event()
    searches = [0]
    threads = [
        threading.Thread(target=searcher, args=(cache, stop, searches, i), daemon=True)
        for i in range(searchers)
    ]
    monitor = WalMonitor(cache.mirror_path)
    monitor.start()
    send_time: list[float] = []
    sender = threading.Thread(target=lambda: send_time.append(send(outbox, url, token)))

    def begin_in_members(progress: SyncProgress) -> None:
        if progress.phase == "members" and progress.done > 20_000 and not sender.is_alive() and not send_time:
            sender.start()
            for thread in threads:
                thread.start()

    with CommunityApiConnector(url, token) as connector:
        result = SyncService(cache, connector).run(progress=begin_in_members)
    sender.join()
    stop.set()
    for thread in threads:
        thread.join()
    monitor.stop.set()
    monitor.join()
    mirror_size = cache.mirror_path.stat().st_size
    goal = max(64 * MB, mirror_size // 2)
    print(
        f"full sync with {searchers} searchers and a send: {result.items:,} items in "
        f"{result.seconds:.1f} s; {searches[0]:,} searches ran"
    )
    print(
        f"  mirror WAL peak: {monitor.peak / MB:.1f} MB; mirror {mirror_size / MB:.0f} MB; "
        f"goal ≤ {goal / MB:.0f} MB → {monitor.peak / goal:.2f} of the goal"
    )
    cache.close()
    return send_time[0]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--awards", type=int, default=2000)
    parser.add_argument("--searchers", type=int, default=2)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        started = time.perf_counter()
        with SandboxProcess(data_dir=Path(tmp) / "sandbox", members=args.members, seed=1) as sandbox:
            print(f"sandbox with {args.members:,} members ready in {time.perf_counter() - started:.1f} s")
            token = sandbox.tokens["moderator"]
            with CommunityApiConnector(sandbox.url, token) as connector:
                during_badge, during_members = awardable(connector, args.awards, 0)
                idle_badge, idle_members = awardable(connector, args.awards, 1)
            during_search = run_sync(Path(tmp) / "a", sandbox.url, token, args, during_badge, during_members)
            during_sync = run_sync(
                Path(tmp) / "b", sandbox.url, token, args, during_badge, during_members, searchers=0
            )
            cache = Cache(Path(tmp) / "b")
            outbox = Outbox(cache, actor="Bench")
            outbox.queue_awards(idle_members, idle_badge, notify=False)
            idle = send(outbox, sandbox.url, token)
            cache.close()
            print(
                f"send of {args.awards:,} awards: {idle:.2f} s idle; {during_sync:.2f} s during a full sync "
                f"→ {during_sync / idle:.2f}× (goal ≤ 2×); {during_search:.2f} s during a full sync with "
                f"{args.searchers} searchers → {during_search / idle:.2f}×"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
