"""The tenure source's read at scale: a 50,000-member and a 1,000,000-member cache.

    ./dev bench tenure [--sizes 50000 1000000] [--times 5]

Builds each cache directly (no server): members who joined over the last twenty
years, evenly, each seen some time in the last two years (one in ten never),
one in fifty suspended or deleted. Then times what a program's dry run asks:
the Ten Year Club (seen within 90 days) for December 2026 (a month: the
candidates and the next 30 days), for 2026 Q4, and for the whole year 2026.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from machine import describe
from timing import figures, timed

from desktop.cache.database import Cache
from desktop.programs.sources.tenure import TenureSource

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
YEAR = 365 * 24 * 3600
CHUNK = 100_000


def build(path: Path, members: int) -> None:
    rng = random.Random(7)
    cache = Cache(path)
    started = time.perf_counter()
    now = int(NOW.timestamp())
    with cache.write() as connection:
        for start in range(1, members + 1, CHUNK):
            rows = []
            for m in range(start, min(start + CHUNK, members + 1)):
                joined = now - rng.randrange(20 * YEAR)
                seen = None if m % 10 == 0 else max(joined, now - rng.randrange(2 * YEAR))
                status = ("suspended" if m % 100 == 0 else "deleted") if m % 50 == 0 else "active"
                rows.append((m, f"user{m}", f"User {m}", f"user{m}@example.org", joined, seen, status))
            connection.exec_driver_sql(
                "INSERT INTO members (id, username, display_name, email, joined_at, last_seen_at, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    print(f"built {members:,} members in {time.perf_counter() - started:.1f} s")
    cache.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 1_000_000])
    parser.add_argument("--times", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    source = TenureSource(10, seen_within_days=90)
    periods = [
        ("December 2026", date(2026, 12, 1), date(2026, 12, 31)),
        ("2026 Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("the year 2026", date(2026, 1, 1), date(2026, 12, 31)),
    ]
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
            build(Path(tmp) / "cache", size)
            cache = Cache(Path(tmp) / "cache")
            print(f"{size:,} members, 10 years, seen within 90 days, {args.times} runs each")
            for label, first, last in periods:
                read = partial(source.read, cache, first, last, now=NOW, tz=ZONE)
                result = read()
                samples = timed(read, args.times)
                print(
                    f"  {label:15s} {figures(samples)}  ({len(result.candidates):,} candidates,"
                    f" {len(result.upcoming):,} in the next 30 days)"
                )
            cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
