"""Seed a sandbox database and print how long it took.

./dev bench seed [--members 1000000] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from machine import describe

from desktop.sandbox.seed import seed_database


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        path = Path(tmp) / "sandbox.sqlite3"
        started = time.perf_counter()
        summary = seed_database(path, members=args.members, seed=args.seed)
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
    print(
        f"seeded {summary.members:,} members, {summary.badges} badges, {summary.awards:,} awards, "
        f"{summary.pending_requests:,} pending + {summary.decided_requests:,} decided requests"
    )
    print(f"seed time: {seconds:.1f} s ({summary.members / seconds:,.0f} members/s), database {size:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
