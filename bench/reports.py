"""The report's figures at scale: a quarterly report by badge over a million awards.

    ./dev bench reports [--members 200000] [--awards 1000000] [--times 5]

Builds a cache directly (no server): ``--members`` members (one in ten naming
a group or two on their own row, as v1 members do), 60 badges, ``--awards``
awards spread over the last three years by 20 moderators, and 8 groups the
server lists (``member_groups``) holding a third of the members. Then times
what the Reports pane asks for: the quarterly report by badge over the three
years (the figure that matters), and beside it by moderator, by group, and
weekly and monthly by badge. Figures are printed, never asserted.

Each report is also cancelled half-way through, as the pane's Cancel does
from the GUI thread: "cancel → stop" is the time from the token's cancel to
the worker raising ``Cancelled`` (the reader free again), and "with token" the
count's time when a token is given but never cancelled (what checking it
costs the count).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from machine import describe
from timing import figures, timed

from desktop.cache.database import Cache
from desktop.cache.groups import upsert_groups
from desktop.cancellation import Cancelled, CancelToken
from desktop.domain import Group
from desktop.reports import Period, Report, ReportQuery, Split, build_report, local_midnight

ZONE = ZoneInfo("Europe/Berlin")
LAST_DAY = date(2026, 12, 31)
FIRST_DAY = date(2024, 1, 1)


def build(path: Path, members: int, awards: int) -> None:
    rng = random.Random(7)
    cache = Cache(path)
    started = time.perf_counter()
    start = local_midnight(FIRST_DAY, ZONE)
    span = local_midnight(LAST_DAY + timedelta(days=1), ZONE) - start
    own_groups = ["speakers", "mentors", "translators", "staff"]
    with cache.write() as connection:
        connection.exec_driver_sql(
            "INSERT INTO badges (id, slug, title, description, state, version)"
            " VALUES (?, ?, ?, '', 'published', 1)",
            [(b, f"badge-{b}", f"Badge {b}") for b in range(1, 61)],
        )
        rows = []
        for m in range(1, members + 1):
            groups = rng.sample(own_groups, rng.randint(1, 2)) if m % 10 == 0 else []
            rows.append(
                (m, f"user{m}", f"User {m}", f"user{m}@example.org", start, "active", json.dumps(groups))
            )
        connection.exec_driver_sql(
            "INSERT INTO members (id, username, display_name, email, joined_at, status, groups)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        # Each (member, badge) once: a member's k-th award takes badge (m + 27k) mod 60.
        for chunk in range(0, awards, 100_000):
            connection.exec_driver_sql(
                "INSERT INTO awards (id, member_id, badge_id, granted_at, granted_by, reason)"
                " VALUES (?, ?, ?, ?, ?, '')",
                [
                    (
                        n + 1,
                        n % members + 1,
                        1 + (n % members + 27 * (n // members)) % 60,
                        start + rng.randrange(span),
                        f"Moderator {rng.randrange(20)}",
                    )
                    for n in range(chunk, min(chunk + 100_000, awards))
                ],
            )
        upsert_groups(
            connection,
            [
                Group(
                    g,
                    f"listed-{g}",
                    f"Listed {g}",
                    0,
                    frozenset(rng.sample(range(1, members + 1), members // 24)),
                )
                for g in range(1, 9)
            ],
        )
    print(f"built {members:,} members, {awards:,} awards in {time.perf_counter() - started:.1f} s")
    cache.close()


def with_a_token(cache: Cache, query: ReportQuery) -> Report:
    return build_report(cache, query, zone=ZONE, cancel=CancelToken())


def cancel_to_stop(cache: Cache, query: ReportQuery, after: float) -> float | None:
    """Count ``query`` on a worker, cancel it ``after`` seconds in; seconds from cancel to its end
    (None: it ended before the cancel)."""
    cancel = CancelToken()
    ended = threading.Event()

    def count() -> None:
        try:
            build_report(cache, query, zone=ZONE, cancel=cancel)
        except Cancelled:
            pass
        finally:
            ended.set()

    worker = threading.Thread(target=count)
    worker.start()
    if ended.wait(after):
        worker.join()
        return None
    cancelled = time.perf_counter()
    cancel.cancel()
    ended.wait()
    stopped = time.perf_counter() - cancelled
    worker.join()
    return stopped


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--awards", type=int, default=1_000_000)
    parser.add_argument("--times", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        build(Path(tmp) / "cache", args.members, args.awards)
        cache = Cache(Path(tmp) / "cache")
        cases = [
            ("quarters by badge", Period.QUARTER, Split.BADGE),
            ("quarters by moderator", Period.QUARTER, Split.MODERATOR),
            ("quarters by group", Period.QUARTER, Split.GROUP),
            ("months by badge", Period.MONTH, Split.BADGE),
            ("weeks by badge", Period.WEEK, Split.BADGE),
        ]
        print(f"{FIRST_DAY} to {LAST_DAY}, {args.times} runs each")
        for label, period, split in cases:
            query = ReportQuery(FIRST_DAY, LAST_DAY, period, split)
            report = build_report(cache, query, zone=ZONE)
            samples = timed(partial(build_report, cache, query, zone=ZONE), args.times)
            print(
                f"  {label:22s} {figures(samples)}  ({len(report.periods)} periods,"
                f" {len(report.series)} series, {report.total:,} awards)"
            )
            with_token = timed(partial(with_a_token, cache, query), args.times)
            half = min(samples) / 2
            runs = [cancel_to_stop(cache, query, half) for _ in range(args.times)]
            stops = [t for t in runs if t is not None]
            print(f"  {'':22s} with token {figures(with_token)}")
            early = f", {len(runs) - len(stops)} ended before it" if len(stops) < len(runs) else ""
            stopped = figures(stops) if stops else "never cancelled in time"
            print(f"  {'':22s} cancel → stop {stopped}  (cancelled {half * 1000:.0f} ms in{early})")
        cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
