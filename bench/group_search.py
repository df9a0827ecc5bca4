"""Searching by group at scale: the "in group" filter over a big cache, beside the badge filters.

    ./dev bench group_search [--members 200000] [--groups 60]

Builds a cache directly (no server): ``--members`` members, a few badges
held by a third of them, and ``--groups`` groups as a sync of a forum's
groups stores them (``member_groups``, ``group_memberships``): one of 20% of
the members, one of 5%, the rest small (30 to 3,000). Then times what the
Members pane runs for "in group X" (the first window of 100 rows, the
complete list, the count), alone and with text, next to "holds badge" and
the group filter of member rows (v1's ``groups`` column). Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from machine import describe
from timing import figures, timed

from desktop.cache.database import Cache
from desktop.cache.groups import upsert_groups
from desktop.domain import Award, Group, Member, MemberStatus
from desktop.member_search import MemberQuery, MemberSearch, SortKey

T0 = datetime(2015, 1, 1, tzinfo=UTC)
WORDS = ["anna", "maria", "jose", "li", "kim", "olsen", "garcia", "svensson", "ng", "khan", "ito", "novak"]


def build(path: Path, members: int, groups: int) -> dict[str, int]:
    """A cache at ``path``; returns the groups' sizes by name."""
    rng = random.Random(3)
    cache = Cache(path)
    started = time.perf_counter()
    with cache.write() as connection:
        batch: list[Member] = []
        for i in range(1, members + 1):
            name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}"
            joined = T0 + timedelta(minutes=i)
            batch.append(
                Member(i, f"user{i}", name, f"user{i}@example.org", joined, joined, MemberStatus.ACTIVE)
            )
            if len(batch) == 10_000:
                Cache.upsert_members(connection, batch)
                batch = []
        Cache.upsert_members(connection, batch)
        awards = [
            Award(n, m, 100 + (m % 3), T0, "bench", "")
            for n, m in enumerate(rng.sample(range(1, members + 1), members // 3), 1)
        ]
        Cache.upsert_awards(connection, awards)
        sizes = [members // 5, members // 20] + [rng.randint(30, 3_000) for _ in range(max(0, groups - 2))]
        listed = [
            Group(
                1000 + g,
                f"group_{g:03d}",
                f"Group {g}",
                size,
                frozenset(rng.sample(range(1, members + 1), size)),
            )
            for g, size in enumerate(sizes)
        ]
        upsert_groups(connection, listed)
    print(
        f"built {members:,} members, {len(awards):,} awards, {len(listed)} groups"
        f" ({sum(sizes):,} memberships) in {time.perf_counter() - started:.1f} s"
    )
    cache.close()
    return {g.name: g.user_count for g in listed}


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
        search = MemberSearch(cache)
        big, mid = "group_000", "group_001"
        small = min(sizes, key=lambda n: sizes[n])
        cases = [
            (f"in group (20%: {sizes[big]:,})", MemberQuery(group=big)),
            (f"in group (5%: {sizes[mid]:,})", MemberQuery(group=mid)),
            (f"in group (small: {sizes[small]:,})", MemberQuery(group=small)),
            ("in group (20%) + text 'anna'", MemberQuery(group=big, text="anna")),
            ("in group (20%) + holds badge", MemberQuery(group=big, holds=frozenset({100}))),
            ("in group (20%), by join date", MemberQuery(group=big, sort=SortKey.JOINED, descending=True)),
            ("holds badge (for comparison)", MemberQuery(holds=frozenset({100}))),
            ("member-row group (v1's column)", MemberQuery(group="speakers")),
        ]
        print(f"{args.times} runs each: first window (100 rows) | complete list | count")
        for label, query in cases:
            first = timed(partial(search.first_window, query, 100), args.times)
            full = timed(partial(search.ids, query), args.times)
            count = timed(partial(search.count, query), args.times)
            print(f"  {label:34s} {figures(first)} | {figures(full)} | {figures(count)}")
        cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
