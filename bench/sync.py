"""First (full) sync of a sandbox community into a fresh cache, over loopback HTTP.

    ./dev bench sync [--members 20000] [--page-size 2000]

Starts the sandbox in its own process (seeding it first), then times the full
sync, then a second (incremental, nothing changed) sync, and reports the
largest the mirror's write-ahead log grew during the full syncs
(``./dev bench contention`` does the same with searches and a send running).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from contention import MB, WalMonitor
from machine import describe

from desktop.cache.database import Cache
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.sandbox.process import SandboxProcess
from desktop.sync import SyncService


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--page-size", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3, help="full syncs into fresh caches")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        started = time.perf_counter()
        with SandboxProcess(data_dir=Path(tmp) / "sandbox", members=args.members, seed=1) as sandbox:
            print(f"sandbox with {args.members:,} members ready in {time.perf_counter() - started:.1f} s")
            token = sandbox.tokens["moderator"]
            full_times = []
            wal_peak = 0
            for run in range(args.runs):
                cache = Cache(Path(tmp) / f"cache{run}")
                monitor = WalMonitor(cache.mirror_path)
                monitor.start()
                with CommunityApiConnector(sandbox.url, token) as connector:
                    result = SyncService(cache, connector, page_size=args.page_size).run()
                    monitor.stop.set()
                    monitor.join()
                    wal_peak = max(wal_peak, monitor.peak)
                    mirror_size = cache.mirror_path.stat().st_size
                    full_times.append(result.seconds)
                    counts = cache.counts()
                    if run == args.runs - 1:
                        again = SyncService(cache, connector).run()
                cache.close()
            best = min(full_times)
            print(
                f"full sync: {result.items:,} items ({counts.members:,} members, {counts.badges} badges, "
                f"{counts.awards:,} awards, {counts.requests:,} requests)"
            )
            print(
                "full sync time: "
                + ", ".join(f"{t:.2f} s" for t in full_times)
                + f" (best {best:.2f} s, {result.items / best:,.0f} items/s)"
            )
            print(
                f"second sync (incremental, no changes): {again.seconds * 1000:.0f} ms, {again.items} items"
            )
            peak = f"{wal_peak / MB:.1f} MB (mirror {mirror_size / MB:.0f} MB)"
            print(f"mirror WAL peak during the full syncs: {peak}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
