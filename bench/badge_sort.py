"""First results sorted by each column, badge count included, on an existing cache.

    ./dev bench badge_sort --cache DIR [--runs 40]

``DIR`` is a profile's cache directory (``work.sqlite3`` and ``mirror.sqlite3``,
e.g. the one ``./dev bench search`` synced): it is copied first, then opened,
which migrates the copy (an older cache gets its badge counts filled: timed).
Each order is then read in both directions, the first hundred members, and
printed with its ratio to the name order measured in the same run. Figures
are printed, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from machine import describe
from timing import timed

from desktop.cache.database import Cache
from desktop.member_search import MemberQuery, MemberSearch, SortKey

ORDERS = (SortKey.NAME, SortKey.JOINED, SortKey.LAST_SEEN, SortKey.BADGE_COUNT)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", required=True, help="a cache directory to copy (it is only read)")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        copy = Path(tmp) / "cache"
        copy.mkdir()
        for name in ("work.sqlite3", "mirror.sqlite3"):
            # Sparse: a copy of a large mirror takes no room it does not use.
            subprocess.run(["cp", "--sparse=always", str(Path(args.cache) / name), str(copy)], check=True)
        started = time.perf_counter()
        cache = Cache(copy, mirror_check_budget=0.0)
        print(f"opened (and migrated) the copy in {time.perf_counter() - started:.1f} s")
        members = cache.counts().members
        search = MemberSearch(cache)
        figures: dict[tuple[SortKey, bool], list[float]] = {}
        for _round in range(2):  # the first round warms the page cache
            for key in ORDERS:
                for descending in (False, True):
                    query = MemberQuery(sort=key, descending=descending)
                    figures[key, descending] = timed(partial(search.first_window, query), args.runs)
        baseline = statistics.median(figures[SortKey.NAME, False])
        print(f"first 100 of {members:,} members, {args.runs} reads each (ratio: p50 / name ascending p50)")
        for (key, descending), samples in figures.items():
            p50 = statistics.median(samples)
            print(
                f"  {key.value:12s} {'descending' if descending else 'ascending ':10s}"
                f"  p50 {p50 * 1000:7.2f} ms  p95 {p95(samples) * 1000:7.2f} ms  ratio {p50 / baseline:5.1f}x"
            )
        cache.close()
        shutil.rmtree(copy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
