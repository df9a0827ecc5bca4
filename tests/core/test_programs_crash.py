"""Once per period across SIGKILLs: a run killed at any step, then run again, awards each member once.

The claims, the batch and the run are one transaction: a kill before its commit
leaves none of them (the next run awards everyone, once); after it, all of them
(the next run awards no one). And the guarantee is the claims' key, not the run
record: with the run's row lost, a run again for the period still queues nothing.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.outbox import Outbox
from desktop.programs.dry_run import program_dry_run
from desktop.programs.model import ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, from_key
from desktop.programs.runs import queue_run
from desktop.programs.sources.base import Candidate, SourceResult
from desktop.programs.store import ProgramStore
from tests.core.feedless_server import badge, member

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
WEEK = from_key(Cadence.WEEKLY, "2026-W49")
BOARD = SourceResult(tuple(Candidate(m, f"{100 - m} likes received this week", 100 - m) for m in (1, 2, 3)))

#: Runs the program for 2026-W49 in another process and kills it with SIGKILL at ``argv[2]``.
SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import UTC, datetime
    from pathlib import Path
    from desktop.cache.database import Cache
    from desktop.outbox import Outbox
    from desktop.programs import dry_run, runs
    from desktop.programs.periods import Cadence, from_key
    from desktop.programs.sources.base import Candidate, SourceResult
    from desktop.programs.store import ProgramStore

    def die(*args, **kwargs):
        print("killed", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    where = sys.argv[2]
    cache = Cache(Path(sys.argv[1]))
    program = ProgramStore(cache).named("Top contributor")
    board = SourceResult(tuple(Candidate(m, f"{100 - m} likes", 100 - m) for m in (1, 2, 3)))
    plan = dry_run.program_dry_run(
        cache, program, from_key(Cadence.WEEKLY, "2026-W49"), board, now=datetime(2026, 12, 7, 9, tzinfo=UTC)
    )
    if where == "batch-written":
        # Inside the transaction: the claims, the batch and its actions written, the run not yet.
        runs._record_run = die
    elif where == "run-written":
        # Inside the transaction still: the run written too, nothing committed.
        runs.outbox_batches.with_name = die
    queued = runs.queue_run(Outbox(cache, actor="Alice"), plan)
    print("queued", len(queued.queued), flush=True)
    if where != "finish":
        die()
    """
)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    profile = tmp_path / "profile"
    cache = Cache(profile)
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 6)])
        Cache.upsert_badges(connection, [badge(1, "Top Contributor")])
    ProgramStore(cache).create(
        ProgramSpec("Top contributor", SourceSpec("leaderboard", {"top": 3}), 1, Cadence.WEEKLY)
    )
    cache.close()
    return profile


def run_killed(profile: Path, where: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(profile), where], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    return result.stdout


def awards(cache: Cache) -> list[int]:
    return sorted(a.payload["member_id"] for a in Outbox(cache).actions())


def run_again(cache: Cache) -> tuple[int, ...]:
    program = ProgramStore(cache).named("Top contributor")
    assert program is not None
    return queue_run(
        Outbox(cache, actor="Alice"), program_dry_run(cache, program, WEEK, BOARD, now=NOW)
    ).queued


@pytest.mark.parametrize("where", ["batch-written", "run-written"])
def test_killed_inside_the_run_s_transaction_leaves_nothing(profile: Path, where: str) -> None:
    out = run_killed(profile, where)
    assert "killed" in out and "queued" not in out
    cache = Cache(profile)
    try:
        program = ProgramStore(cache).named("Top contributor")
        assert program is not None
        # Nothing of the run stayed: no claim, no batch, no action; the week is still due.
        assert awards(cache) == [] and Outbox(cache).batches() == []
        assert [d.period.key for d in ProgramStore(cache).due(date(2026, 12, 7))] == ["2026-W49"]
        assert run_again(cache) == (1, 2, 3)
        assert run_again(cache) == ()
        assert awards(cache) == [1, 2, 3]
    finally:
        cache.close()


def test_killed_after_the_run_is_committed(profile: Path) -> None:
    out = run_killed(profile, "after-commit")
    assert "queued 3" in out
    cache = Cache(profile)
    try:
        assert ProgramStore(cache).due(date(2026, 12, 7)) == []
        assert run_again(cache) == ()
        assert awards(cache) == [1, 2, 3]
    finally:
        cache.close()


def test_with_the_run_record_lost_a_second_run_still_awards_no_one(profile: Path) -> None:
    out = run_killed(profile, "after-commit")
    assert "queued 3" in out
    cache = Cache(profile)
    try:
        # The batch is there, the run is not (as if it had been recorded apart and lost).
        with cache.write() as connection:
            connection.exec_driver_sql("DELETE FROM program_runs")
        assert [d.period.key for d in ProgramStore(cache).due(date(2026, 12, 7))] == ["2026-W49"]
        assert run_again(cache) == ()
        assert awards(cache) == [1, 2, 3]
        assert ProgramStore(cache).due(date(2026, 12, 7)) == []
    finally:
        cache.close()


def test_two_processes_running_the_week_at_once_award_each_member_once(profile: Path) -> None:
    command = [sys.executable, "-c", SCRIPT, str(profile), "finish"]
    both = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _n in (1, 2)
    ]
    outs = [process.communicate(timeout=120) for process in both]
    assert [process.returncode for process in both] == [0, 0], [err for _out, err in outs]
    assert sorted(out.strip() for out, _err in outs) == ["queued 0", "queued 3"]
    cache = Cache(profile)
    try:
        assert awards(cache) == [1, 2, 3]
        assert sorted(r.counts["queued"] for r in ProgramStore(cache).runs(1)) == [0, 3]
    finally:
        cache.close()
