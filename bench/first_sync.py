"""The first (full) sync against its floor: a raw ``executemany`` of the same rows into the same schema.

    ./dev bench first_sync [--members 200000] [--data DIR] [--runs 2] [--profile FILE]

The sandbox is seeded (or ``--data DIR`` reused: copy a shared one first),
then each run syncs it over loopback HTTP into a fresh cache exactly as the
app does, and inserts the rows that sync stored into another fresh cache with
plain ``executemany`` (5,000 rows a transaction), and into a third with
statements of many rows each, as the sync itself writes them
(:mod:`desktop.cache.bulk`): the issue's baseline and the tighter one. All
caches have the same schema, so all build the full-text member index through
the same triggers, and all count the members' badges once after the awards
(as a full sync does: the triggers on awards wait meanwhile). The sandbox
runs in its own process and competes with the sync for the cores; the raw
inserts have the machine to themselves. The sync's client CPU is split between its writer (the calling
thread) and its fetch thread (HTTP and parsing). ``--profile FILE`` writes a
cProfile of the sync's client side (the writer's thread; the fetch thread is
not profiled) and prints its top lines.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

from machine import describe

from desktop.cache import bulk
from desktop.cache.database import Cache
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.seed import seed_database
from desktop.sync import SyncService

#: Every column a sync writes, per table, in the order the raw insert loads them.
TABLES = {
    "badges": "id, slug, title, description, criteria, tier, category, state, award_message, version,"
    " image, image_media_type, updated_at, multiple_grant",
    "members": "id, username, display_name, email, joined_at, last_seen_at, status, groups, sort_name,"
    " trust_level, post_count",
    "awards": "id, member_id, badge_id, granted_at, granted_by, reason",
    "member_groups": "id, name, title, user_count",
    "group_memberships": "group_id, member_id",
    "requests": "id, member_id, badge_id, note, evidence_url, created_at, state, version, decided_by,"
    " decided_at, reason",
}
RAW_SLICE = 5000


def rows_of(cache: Cache) -> dict[str, list[tuple[object, ...]]]:
    with cache.read() as connection:
        return {
            table: [tuple(row) for row in connection.exec_driver_sql(f"SELECT {columns} FROM {table}")]
            for table, columns in TABLES.items()
        }


def raw_insert(
    rows: dict[str, list[tuple[object, ...]]], path: Path, *, many_rows: bool = False
) -> tuple[float, float]:
    """(wall, CPU) seconds to insert ``rows`` into a fresh cache with plain executemany, or
    (``many_rows``) with statements of many rows each, as the sync writes (desktop.cache.bulk)."""
    target = Cache(path)
    raw = target.engine.raw_connection()
    cursor = raw.cursor()
    started, cpu = time.perf_counter(), time.process_time()
    # The badge counts as a full sync keeps them: counted once after the awards.
    with target.write() as connection:
        Cache.defer_badge_counts(connection)
    for table, columns in TABLES.items():
        width = len(columns.split(","))
        marks = "(" + ", ".join("?" * width) + ")"
        table_rows = rows[table]
        for start in range(0, len(table_rows), RAW_SLICE):
            part = table_rows[start : start + RAW_SLICE]
            if many_rows:
                for first in range(0, len(part), bulk.MOST_ROWS):
                    some = part[first : first + bulk.MOST_ROWS]
                    cursor.execute(
                        f"INSERT INTO {table} ({columns}) VALUES {', '.join([marks] * len(some))}",
                        [value for row in some for value in row],
                    )
            else:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {marks}", part)
            raw.commit()
    raw.close()
    recounting = True
    while recounting:
        with target.write() as connection:
            recounting = Cache.recount_badges(connection)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    target.close()
    return seconds, cpu


def synced(
    url: str, token: str, path: Path, page_size: int, profile: cProfile.Profile | None
) -> tuple[Cache, float, float, float]:
    """A fresh cache fully synced, and the sync's (wall, CPU, writer's CPU) seconds."""
    cache = Cache(path)
    with CommunityApiConnector(url, token, timeout=120) as connector:
        service = SyncService(cache, connector, page_size=page_size, changes_page_size=page_size)
        started, cpu, writer = time.perf_counter(), time.process_time(), time.thread_time()
        if profile is not None:
            profile.enable()
        result = service.run()
        if profile is not None:
            profile.disable()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        # The sync writes in this thread; its fetch thread reads and parses the pages.
        writer = time.thread_time() - writer
    assert result.full
    return cache, seconds, cpu, writer


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--data", help="a seeded sandbox directory to reuse (it is only read)")
    parser.add_argument("--page-size", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--profile", help="write a cProfile of the last sync's client side here")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        work = Path(tmp)
        data = Path(args.data) if args.data else work / "sandbox"
        if not (data / "sandbox.sqlite3").exists():
            data.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            seed_database(data / "sandbox.sqlite3", members=args.members, seed=1)
            print(
                f"seeded the sandbox with {args.members:,} members in {time.perf_counter() - started:.1f} s"
            )
        with SandboxProcess(data_dir=data, members=args.members, seed=1, ready_timeout=600) as sandbox:
            for run in range(args.runs):
                profile = cProfile.Profile() if args.profile and run == args.runs - 1 else None
                cache, seconds, cpu, writer = synced(
                    sandbox.url, sandbox.tokens["moderator"], work / f"sync{run}", args.page_size, profile
                )
                rows = rows_of(cache)
                cache.close()
                count = sum(len(r) for r in rows.values())
                raw_seconds, raw_cpu = raw_insert(rows, work / f"raw{run}")
                many_seconds, many_cpu = raw_insert(rows, work / f"many{run}", many_rows=True)
                print(
                    f"run {run + 1}: {len(rows['members']):,} members, {len(rows['awards']):,} awards,"
                    f" {count:,} rows (full-text index and badge counts built in both)"
                )
                print(
                    f"  full sync over HTTP: {seconds:.1f} s = {count / seconds:,.0f} rows/s"
                    f" (client CPU {cpu:.1f} s: writer {writer:.1f} s, fetch thread {cpu - writer:.1f} s)"
                )
                print(
                    f"  raw executemany:     {raw_seconds:.1f} s = {count / raw_seconds:,.0f} rows/s"
                    f" (CPU {raw_cpu:.1f} s)"
                )
                print(
                    f"  sync speed / raw speed: {raw_seconds / seconds:.2f}x (CPU: {raw_cpu / cpu:.2f}x;"
                    f" writer's CPU alone: {raw_cpu / writer:.2f}x)"
                )
                print(
                    f"  raw, {bulk.MOST_ROWS} rows a statement as the sync writes them: {many_seconds:.1f} s"
                    f" = {count / many_seconds:,.0f} rows/s (CPU {many_cpu:.1f} s); sync / this:"
                    f" {many_seconds / seconds:.2f}x"
                )
                for kept in (work / f"sync{run}", work / f"raw{run}", work / f"many{run}"):
                    for file in kept.glob("*"):
                        file.unlink()
                if profile is not None:
                    profile.dump_stats(args.profile)
                    pstats.Stats(args.profile).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
