"""The group check at scale: a badge against a group over a big cache, both lists and their counts.

    ./dev bench group_check [--members 200000] [--groups 60]

Builds the cache of ``bench/group_search.py`` (listed groups: one of 20% of
the members, one of 5%, the rest small; three badges each held by a ninth of
the members), then names a group in a tenth of the members' own rows (v1's
``groups`` column, which has no index). Times :func:`desktop.group_check.check_group`
(both lists sorted as the member list, the counts, what waits in the outbox)
for each kind of group. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from functools import partial
from pathlib import Path

from group_search import build
from machine import describe
from timing import figures, timed

from desktop.cache.database import Cache
from desktop.group_check import check_group

BADGE = 100


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--groups", type=int, default=60)
    parser.add_argument("--times", type=int, default=7)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        sizes = build(Path(tmp) / "cache", args.members, args.groups)
        cache = Cache(Path(tmp) / "cache")
        with cache.write() as connection:
            connection.exec_driver_sql("UPDATE members SET groups = '[\"speakers\"]' WHERE id % 10 = 0")
        big, mid = "group_000", "group_001"
        small = min(sizes, key=lambda n: sizes[n])
        cases = [
            (f"listed group (20%: {sizes[big]:,})", big),
            (f"listed group (5%: {sizes[mid]:,})", mid),
            (f"listed group (small: {sizes[small]:,})", small),
            (f"member-row group (10%: {args.members // 10:,})", "speakers"),
        ]
        print(f"{args.times} runs each, badge {BADGE}: holders not in the group | members without the badge")
        for label, group in cases:
            samples = timed(partial(check_group, cache, BADGE, group), args.times)
            check = check_group(cache, BADGE, group)
            print(
                f"  {label:36s} {figures(samples)}"
                f"  ({len(check.holders_outside):,} | {len(check.members_without):,})"
            )
        cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
