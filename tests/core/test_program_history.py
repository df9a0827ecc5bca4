"""What the programs pane reads: each program's last run and due period, its runs and winners by period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.domain import ActionState, Member, MemberStatus
from desktop.outbox import Outbox
from desktop.programs.dry_run import program_dry_run
from desktop.programs.history import program_history, program_rows
from desktop.programs.model import ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, from_key
from desktop.programs.runs import queue_run
from desktop.programs.sources.base import Candidate, SourceResult
from desktop.programs.store import ProgramStore
from tests.core.feedless_server import award, badge

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
W48 = from_key(Cadence.WEEKLY, "2026-W48")
W49 = from_key(Cadence.WEEKLY, "2026-W49")


def person(i: int, display: str) -> Member:
    joined = NOW - timedelta(days=900)
    return Member(i, f"m{i}", display, f"m{i}@example.org", joined, NOW, MemberStatus.ACTIVE)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(connection, [person(1, "Zoe"), person(2, "Adam"), person(3, "")])
        Cache.upsert_badges(connection, [badge(1, "Top Contributor"), badge(2, "Former Top Contributor")])
    yield cache
    cache.close()


def spec(name: str, cadence: Cadence = Cadence.WEEKLY) -> ProgramSpec:
    return ProgramSpec(
        name,
        SourceSpec("leaderboard", {"measure": "likes_received", "top": 2}),
        1,
        cadence,
        alumni_badge_id=2,
    )


def board(*members: int) -> SourceResult:
    return SourceResult(tuple(Candidate(m, f"{100 - m} likes received this week", 100 - m) for m in members))


def test_the_list_names_the_badges_and_the_last_run_and_says_what_is_due(cache: Cache) -> None:
    store = ProgramStore(cache)
    weekly = store.create(spec("Top contributor"))
    once = store.create(spec("Outage", Cadence.ONE_OFF))
    gone = store.create(spec("Deleted"))
    store.delete(gone.id)
    outbox = Outbox(cache, actor="Alice")
    queue_run(outbox, program_dry_run(cache, weekly, W48, board(1), now=NOW))
    rows = {row.program.name: row for row in program_rows(store, date(2026, 12, 7))}
    assert sorted(rows) == ["Outage", "Top contributor"]
    top = rows["Top contributor"]
    assert (top.badge_title, top.alumni_title) == ("Top Contributor", "Former Top Contributor")
    assert top.last_run is not None and top.last_run.period_key == "2026-W48"
    # W49 (30 Nov - 6 Dec) has ended on 7 December and has not been run.
    assert top.due is not None and top.due.key == "2026-W49"
    assert rows["Outage"].last_run is None and rows["Outage"].due is not None
    queue_run(outbox, program_dry_run(cache, store.get(weekly.id), W49, board(2), now=NOW))  # type: ignore[arg-type]
    assert {r.program.name: r.due for r in program_rows(store, date(2026, 12, 7))}["Top contributor"] is None
    assert program_rows(store, date(2026, 12, 7))[0].program.id == once.id


def test_the_history_lists_runs_and_winners_by_period_without_discarded_awards(cache: Cache) -> None:
    store = ProgramStore(cache)
    program = store.create(spec("Top contributor"))
    outbox = Outbox(cache, actor="Alice")
    first = queue_run(outbox, program_dry_run(cache, program, W48, board(1, 2), now=NOW))
    second = queue_run(outbox, program_dry_run(cache, program, W49, board(2, 3), now=NOW))
    assert first.batch is not None and second.batch is not None
    # The award of member 3 in W49 is discarded before it was sent: not a winner.
    discarded = [a.id for a in outbox.actions(batch_id=second.batch.id) if a.payload["member_id"] == 3]
    outbox.discard_unsent(discarded)
    # A run that finds nothing new is listed, with no batch.
    empty = queue_run(outbox, program_dry_run(cache, program, W49, board(2), now=NOW))
    assert empty.batch is None

    history = program_history(cache, program.id)
    assert [(r.run.period_key, r.awarded, r.batch_name) for r in history.runs] == [
        ("2026-W49", 0, ""),
        ("2026-W49", 2, "Top contributor · 2026-W49 · 2 members"),
        ("2026-W48", 2, "Top contributor · 2026-W48 · 2 members"),
    ]
    assert [(w.period_key, w.member, w.reason, w.state) for w in history.winners] == [
        ("2026-W49", "Adam (@m2)", "98 likes received this week", ActionState.PENDING),
        ("2026-W48", "Adam (@m2)", "98 likes received this week", ActionState.PENDING),
        ("2026-W48", "Zoe (@m1)", "99 likes received this week", ActionState.PENDING),
    ]
    # Another program's winners are not this one's.
    other = store.create(spec("Other"))
    assert program_history(cache, other.id).winners == ()


def test_a_runs_revokes_of_members_gone_from_its_list_are_listed_with_it(cache: Cache) -> None:
    with cache.write() as connection:
        Cache.upsert_awards(connection, [award(1, 3, 1)])
    store = ProgramStore(cache)
    program = store.create(
        ProgramSpec("Certified", SourceSpec("list", {"path": "certified.csv"}), 1, Cadence.WEEKLY)
    )
    listed = SourceResult((Candidate(1, "on the list"),), gone=(Candidate(3, "no longer on the list"),))
    plan = program_dry_run(cache, program, W49, listed, now=NOW)
    queue_run(Outbox(cache, actor="Alice"), plan, revoke_gone="certification expired")
    (run,) = program_history(cache, program.id).runs
    assert (run.awarded, run.batch_name) == (1, "Certified · 2026-W49 · 1 member")
    assert (run.revoked, run.revoke_batch_name) == (1, "Certified · 2026-W49 · revokes · 1 member")
    # The revoked member is no winner.
    assert [w.member_id for w in program_history(cache, program.id).winners] == [1]
