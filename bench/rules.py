"""Rules at scale: what a saved rule costs when it runs on demand over a big cache.

    ./dev bench rules [--members 200000] [--times 5]

Builds a cache directly (no server): ``--members`` members who joined over
the last twelve years and were last seen at some point since (one in ten
never), a few badges held by a third of them (one several times, over three
years of grants), two listed groups (20% and 5% of the members) and a
member-row group. Then times the rules a community manager writes: the
issue's "joined 10+ years ago and seen in the last 90 days", NOT and OR over
groups and badges, a badge awarded in the last year, and a rule beside the
search box's text. For each: compiling it, the first window of 100 rows, the
complete list (what :func:`desktop.member_search.members_matching` returns)
and the count. Figures are printed, never asserted.
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
from desktop.domain import Award, Badge, BadgeState, Group, Member, MemberStatus
from desktop.member_search import MemberQuery, MemberSearch, compile_rule
from desktop.rules import (
    AllOf,
    AnyOf,
    BadgeRef,
    GroupRef,
    HasStatus,
    HoldsBadge,
    InGroup,
    Joined,
    LastSeen,
    Not,
    Rule,
    Unit,
    lacks_badge,
    more_than_ago,
    within_last,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
WORDS = ["anna", "maria", "jose", "li", "kim", "olsen", "garcia", "svensson", "ng", "khan", "ito", "novak"]
SPAN = timedelta(days=12 * 365)


def build(path: Path, members: int) -> None:
    rng = random.Random(5)
    cache = Cache(path)
    started = time.perf_counter()
    with cache.write() as connection:
        batch: list[Member] = []
        for i in range(1, members + 1):
            joined = NOW - SPAN * rng.random()
            seen = None if rng.random() < 0.1 else joined + (NOW - joined) * rng.random() ** 0.3
            status = MemberStatus.SUSPENDED if rng.random() < 0.02 else MemberStatus.ACTIVE
            name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}"
            groups = ("speakers",) if rng.random() < 0.1 else ()
            batch.append(Member(i, f"user{i}", name, f"user{i}@example.org", joined, seen, status, groups))
            if len(batch) == 10_000:
                Cache.upsert_members(connection, batch)
                batch = []
        Cache.upsert_members(connection, batch)
        Cache.upsert_badges(
            connection,
            [
                Badge(
                    b,
                    f"b{b}",
                    f"Badge {b}",
                    "",
                    "",
                    "",
                    "",
                    BadgeState.PUBLISHED,
                    "",
                    1,
                    multiple_grant=b == 102,
                )
                for b in (100, 101, 102)
            ],
        )
        three_years = timedelta(days=3 * 365)
        awards = [
            Award(n, m, 100 + (m % 3), NOW - three_years * rng.random(), "bench", "")
            for n, m in enumerate(rng.sample(range(1, members + 1), members // 3), 1)
        ]
        Cache.upsert_awards(connection, awards)
        listed = [
            Group(
                1000 + g, f"group_{g}", f"Group {g}", size, frozenset(rng.sample(range(1, members + 1), size))
            )
            for g, size in enumerate((members // 5, members // 20))
        ]
        upsert_groups(connection, listed)
    print(f"built {members:,} members, {len(awards):,} awards in {time.perf_counter() - started:.1f} s")
    cache.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--times", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    big, mid = GroupRef(1000, "group_0"), GroupRef(1001, "group_1")
    badge, multi = BadgeRef(100, "Badge 100"), BadgeRef(102, "Badge 102")
    cases: list[tuple[str, Rule, str]] = [
        (
            "joined 10+ y ago AND seen in 90 d",
            AllOf((Joined(more_than_ago(10, Unit.YEARS)), LastSeen(within_last(90, Unit.DAYS)))),
            "",
        ),
        ("NOT seen in the last year", Not(LastSeen(within_last(1, Unit.YEARS))), ""),
        ("in group 20% OR group 5%", AnyOf((InGroup(big), InGroup(mid))), ""),
        ("in group 20% AND lacks badge", AllOf((InGroup(big), lacks_badge(badge))), ""),
        ("badge awarded in the last year", HoldsBadge(multi, within_last(1, Unit.YEARS)), ""),
        (
            "member-row group, not suspended",
            AllOf((InGroup(GroupRef(None, "speakers")), Not(HasStatus(frozenset({MemberStatus.SUSPENDED}))))),
            "",
        ),
        ("seen in 90 d + text 'anna'", LastSeen(within_last(90, Unit.DAYS)), "anna"),
    ]
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        build(Path(tmp) / "cache", args.members)
        cache = Cache(Path(tmp) / "cache")
        search = MemberSearch(cache)
        print(f"{args.times} runs each: compile | first window (100 rows) | complete list | count")
        for label, rule, text in cases:
            query = MemberQuery(text=text, rule=rule)
            compiled = timed(partial(compile_rule, rule, NOW), args.times)
            first = timed(partial(search.first_window, query, 100, now=NOW), args.times)
            full = timed(partial(search.ids, query, now=NOW), args.times)
            count = timed(partial(search.count, query, now=NOW), args.times)
            matched = search.count(query, now=NOW)
            print(
                f"  {label:34s} {matched:8,} members  {figures(compiled)} | {figures(first)}"
                f" | {figures(full)} | {figures(count)}"
            )
        cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
