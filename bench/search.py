"""Member search at scale: a million members, about five million awards.

    ./dev bench search [--members 1000000] [--data DIR] [--work DIR]

How the cache is built: the sandbox seeds its own database (or reuses
``--data DIR``), then BadgeDesk syncs it over loopback HTTP into a fresh cache
exactly as the app does. The same rows are then inserted into another empty
cache with plain ``executemany`` for the ratio. Everything else runs on the
synced cache. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from functools import partial
from pathlib import Path
from typing import Any

from machine import describe
from timing import timed

from desktop.cache.database import Cache
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.member_search import MemberQuery, MemberSearch, SortKey, match_expression
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.seed import seed_database
from desktop.sync import SyncService


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {p50 * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  max {ordered[-1] * 1000:6.1f} ms"


def build(args: argparse.Namespace, work: Path) -> Path:
    data = Path(args.data) if args.data else work / "sandbox"
    if not (data / "sandbox.sqlite3").exists():
        data.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        seed_database(data / "sandbox.sqlite3", members=args.members, seed=1)
        print(f"seeded the sandbox with {args.members:,} members in {time.perf_counter() - started:.1f} s")
    cache_path = work / "cache.sqlite3"
    with SandboxProcess(data_dir=data, members=args.members, seed=1) as sandbox:
        cache = Cache(cache_path)
        with CommunityApiConnector(sandbox.url, sandbox.tokens["moderator"], timeout=120) as connector:
            result = SyncService(cache, connector, page_size=5000, changes_page_size=5000).run()
        counts = cache.counts()
        rows = counts.members + counts.awards + counts.badges + counts.requests
        print(
            f"full sync over HTTP: {counts.members:,} members, {counts.awards:,} awards, "
            f"{counts.requests:,} requests in {result.seconds:.1f} s = {rows / result.seconds:,.0f} rows/s"
        )
        raw = raw_insert_seconds(cache, work / "raw.sqlite3")
        print(
            f"raw executemany of the same rows into an empty cache: {raw:.1f} s = {rows / raw:,.0f} rows/s; "
            f"sync takes {result.seconds / raw:.1f}x the raw insert"
        )
        cache.close()
    return cache_path


def raw_insert_seconds(source: Cache, target_path: Path) -> float:
    """Plain executemany of the cached rows into a fresh cache (same schema and index triggers)."""
    target = Cache(target_path)
    tables = {
        "members": "id, username, display_name, email, joined_at, last_seen_at, status, groups",
        "badges": "id, slug, title, description, criteria, tier, category, state, award_message, version,"
        " image, image_media_type, updated_at",
        "awards": "id, member_id, badge_id, granted_at, granted_by, reason",
        "requests": "id, member_id, badge_id, note, evidence_url, created_at, state, version, decided_by,"
        " decided_at, reason",
    }
    loaded = {}
    with source.read() as connection:
        for table, columns in tables.items():
            loaded[table] = connection.exec_driver_sql(f"SELECT {columns} FROM {table}").fetchall()
    started = time.perf_counter()
    raw = target.engine.raw_connection()
    cursor = raw.cursor()
    for table, columns in tables.items():
        marks = ", ".join("?" * len(columns.split(",")))
        rows = loaded[table]
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows[start : start + 5000]
            )
            raw.commit()
    seconds = time.perf_counter() - started
    raw.close()
    target.close()
    return seconds


def query_latencies(cache_path: Path) -> None:
    cache = Cache(cache_path)
    search = MemberSearch(cache)
    rng = random.Random(5)
    with cache.read() as connection:
        names = [
            r[0]
            for r in connection.exec_driver_sql(
                "SELECT display_name FROM members ORDER BY random() LIMIT 400"
            )
        ]
        popular = connection.exec_driver_sql(
            "SELECT badge_id FROM awards GROUP BY badge_id ORDER BY count(*) DESC LIMIT 1"
        ).scalar()
    words = [w for name in names for w in name.split() if w.isalpha()]
    one = [rng.choice(words) for _ in range(60)]
    two = [" ".join(name.split()[:2]) for name in names[:60]]
    three = [f"{name} {w[:3]}" for name, w in zip(two, one, strict=False)]
    prefixes = ["a", "an", "ann", "m", "ma", "mar", "j", "jo", "jos", "z"]

    def run(kind: str, texts: list[str], **filters: Any) -> list[float]:
        first: list[float] = []
        full: list[float] = []
        for text in texts:
            query = MemberQuery(text=text, **filters)
            first += timed(partial(search.first_window, query))
            full += timed(partial(search.ids, query))
        print(f"  {kind:34s} first results {percentiles(first)} | complete list {percentiles(full)}")
        return first

    print(
        f"query latency ({len(one)} queries per row): 'first results' is what the pane shows at once"
        " (100 rows); 'complete list' is every matching id, ranked, which follows in the background"
    )
    run("1 word", one)
    run("2 words", two)
    run("3 words (last a prefix)", three)
    all_short = run("short prefixes a / an / ann …", prefixes * 3)
    run(f"1 word + holds badge {popular}", one, holds=frozenset({popular}))
    for key in (SortKey.NAME, SortKey.JOINED, SortKey.LAST_SEEN, SortKey.BADGE_COUNT):
        run(f"no text, sorted by {key.value}", [""] * 3, sort=key, descending=True)
    bare_first: list[float] = []
    bare_all: list[float] = []
    complete: list[float] = []
    match = "SELECT rowid FROM members_fts WHERE members_fts MATCH ?"
    with cache.read() as connection:
        # Bound with partial, not a lambda in the loop: each timing gets this turn's text.
        def matches(sql: str, expression: str | None) -> object:
            return connection.exec_driver_sql(sql, (expression,)).fetchall()

        def ids_for(text: str) -> object:
            return search.ids(MemberQuery(text=text))

        for text in prefixes * 3:
            expression = match_expression(text)
            bare_first += timed(partial(matches, f"{match} LIMIT 100", expression))
            bare_all += timed(partial(matches, match, expression))
            complete += timed(partial(ids_for, text))
    print(f"  {'bare FTS5 MATCH … LIMIT 100':34s} {percentiles(bare_first)}")
    print(f"  {'bare FTS5 MATCH, every match':34s} {percentiles(bare_all)}")
    print(
        "  ratio to bare FTS5 on the same short prefixes (p50): first results "
        f"{statistics.median(all_short) / statistics.median(bare_first):.1f}x, complete list "
        f"{statistics.median(complete) / statistics.median(bare_all):.1f}x"
    )
    cache.close()


GUI_PROBE = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from desktop.cache.database import Cache
    from desktop.community import Community
    from desktop.settings import Settings
    from ui.shell.main_window import MainWindow
    from ui.operations import TaskManager
    from ui.session.app_session import AppSession

    app = QApplication([])
    community = Community("bench", None, Cache(Path(sys.argv[1])))
    tasks = TaskManager()
    session = AppSession(community, tasks)
    window = MainWindow(session, Settings())
    window.show()
    session.start()
    view = window.members
    # Cold start is bench/startup.py's (the real entry point); this only waits for the full list.
    state = {"gaps": [], "last": None, "typing": False}

    def ready() -> bool:
        return view.idle and tasks.active == 0 and view.model.rowCount() > 0

    def wait_ready() -> None:
        if ready():
            QTimer.singleShot(200, start_typing)
        else:
            QTimer.singleShot(5, wait_ready)

    def beat() -> None:
        now = time.perf_counter()
        if state["typing"] and state["last"] is not None:
            state["gaps"].append(now - state["last"])
        state["last"] = now

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)
    text = "maria garc"

    def start_typing() -> None:
        state["typing"] = True
        heartbeat.start()
        for i in range(1, len(text) + 1):
            QTimer.singleShot(90 * i, lambda t=text[:i]: view.search_box.setText(t))
        QTimer.singleShot(90 * len(text) + 50, finish)

    def finish() -> None:
        if not ready():
            QTimer.singleShot(10, finish)
            return
        state["typing"] = False
        heartbeat.stop()
        rss = next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]
        print(f"longest event-loop stall while typing '{text}' (10 keys, 90 ms apart, 5 ms heartbeat): "
              f"{max(state['gaps']) * 1000:.0f} ms; {view.model.rowCount():,} matches", flush=True)
        print(f"resident memory after the search: {int(rss) / 1024:.0f} MB", flush=True)
        tasks.shutdown()
        app.quit()

    QTimer.singleShot(0, wait_ready)
    app.exec()
    """
)


def gui_figures(cache_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, "-c", GUI_PROBE, str(cache_path)], check=True, env=env, timeout=600)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--data", help="sandbox data dir to reuse (seeded if empty)")
    parser.add_argument("--work", help="where to keep the caches (default: a temporary dir)")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="badgedesk-bench-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        cache_path = work / "cache.sqlite3"
        if not cache_path.exists():
            cache_path = build(args, work)
        query_latencies(cache_path)
        gui_figures(cache_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
