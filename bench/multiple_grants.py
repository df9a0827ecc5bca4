"""Badges held several times: what counting grants apart costs the Members and Badges panes.

    .venv/bin/python bench/multiple_grants.py [--members 100000]

Builds a cache by hand (no server): every member holds about five badges, and
five badges may be held several times (one to four grants each). Then times,
old query beside new: the member list's counts for one block of rows and its
sort by badges held, the badges pane's holder counts, a member's detail, and the dry run of a batch
revoke naming the newest grant for 10,000 members. Figures are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from machine import describe

from desktop.batches import ListSource, dry_run
from desktop.cache.database import Cache
from desktop.domain import ActionKind, Award, Badge, BadgeState, Member, MemberStatus
from desktop.grants import holder_counts
from desktop.member_search import MemberQuery, MemberSearch, SortKey, held_counts, member_detail

T0 = datetime(2020, 1, 1, tzinfo=UTC)
BADGES = 60
MULTIPLE = range(1, 6)


def build(cache: Cache, members: int, rng: random.Random) -> int:
    badges = [
        dataclasses.replace(
            Badge(i, f"b{i}", f"Badge {i}", "", "", "", "", BadgeState.PUBLISHED, "", 1),
            multiple_grant=i in MULTIPLE,
        )
        for i in range(1, BADGES + 1)
    ]
    award_id = 0
    with cache.write() as connection:
        Cache.upsert_badges(connection, badges)
    for start in range(1, members + 1, 10_000):
        ids = range(start, min(start + 10_000, members + 1))
        rows: list[Award] = []
        for m in ids:
            for badge_id in rng.sample(range(1, BADGES + 1), 5):
                for _ in range(rng.randint(1, 4) if badge_id in MULTIPLE else 1):
                    award_id += 1
                    when = T0 + timedelta(days=rng.randint(0, 1500))
                    rows.append(Award(award_id, m, badge_id, when, "Alice Moderator", ""))
        with cache.write() as connection:
            Cache.upsert_members(
                connection,
                [
                    Member(
                        m,
                        f"user{m}",
                        f"Member {m}",
                        f"user{m}@example.org",
                        T0,
                        None,
                        MemberStatus.ACTIVE,
                        (),
                    )
                    for m in ids
                ],
            )
            Cache.upsert_awards(connection, rows)
    return award_id


def timed(label: str, run: Callable[[], object], times: int) -> None:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    median = statistics.median(samples) * 1000
    print(f"  {label:58s} median {median:8.2f} ms  max {max(samples) * 1000:8.2f} ms  ({times} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(3)
    print(describe())
    with tempfile.TemporaryDirectory() as work:
        cache = Cache(Path(work) / "cache")
        started = time.perf_counter()
        grants = build(cache, args.members, rng)
        print(f"built {args.members:,} members, {grants:,} grants in {time.perf_counter() - started:.1f} s")
        block = rng.sample(range(1, args.members + 1), 256)
        timed("member list, one block of 256: badges only (before)", lambda: cache.badge_counts(block), 50)
        timed("member list, one block of 256: badges and grants", lambda: held_counts(cache, block), 50)
        timed("badges pane holders: grants only (before)", cache.badge_holder_counts, 5)
        timed("badges pane holders: members and grants apart", lambda: holder_counts(cache), 5)
        search = MemberSearch(cache)
        by_badges = MemberQuery(sort=SortKey.BADGE_COUNT, descending=True)
        old_sort = (
            "SELECT m.id FROM members m"
            " ORDER BY (SELECT count(*) FROM awards a WHERE a.member_id = m.id) DESC, m.id"
        )

        def grants_sort() -> object:
            with cache.read() as connection:
                return connection.exec_driver_sql(old_sort).fetchall()

        timed("sort all members by grants held (before)", grants_sort, 3)
        timed("sort all members by badges, then grants", lambda: search.ids(by_badges), 3)
        timed("member detail", lambda: member_detail(cache, rng.randint(1, args.members)), 50)
        selection = ListSource.selection(rng.sample(range(1, args.members + 1), 10_000))
        timed(
            "dry run: revoke a multiple_grant badge from 10,000 members",
            lambda: dry_run(cache, selection, ActionKind.REVOKE, 1),
            3,
        )
        timed(
            "dry run: revoke a single-grant badge from 10,000 members",
            lambda: dry_run(cache, selection, ActionKind.REVOKE, 10),
            3,
        )
        cache.close()


if __name__ == "__main__":
    main()
