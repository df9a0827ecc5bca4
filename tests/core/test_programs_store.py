"""Programs kept in the work file: create, rename, duplicate, delete with clear errors; runs; the due list."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop.cache import storage
from desktop.cache.database import Cache
from desktop.outbox import Outbox
from desktop.programs.dry_run import program_dry_run
from desktop.programs.model import ProgramError, ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, from_key
from desktop.programs.runs import queue_run
from desktop.programs.sources.base import Candidate, SourceResult
from desktop.programs.store import ProgramStore
from desktop.rules import LastSeen, Unit, within_last
from tests.core.feedless_server import badge, member

TOP = SourceSpec("leaderboard", {"measure": "likes_received", "top": 1}, version=2)


def spec(name: str = "Top contributor", cadence: Cadence = Cadence.WEEKLY, **changes: object) -> ProgramSpec:
    values: dict[str, object] = {
        "name": name,
        "source": TOP,
        "badge_id": 1,
        "cadence": cadence,
        "message": "Well done {member}!",
    }
    values.update(changes)
    return ProgramSpec(**values)  # type: ignore[arg-type]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 6)])
        Cache.upsert_badges(connection, [badge(1, "Top Contributor"), badge(2, "Former Top Contributor")])
    yield cache
    cache.close()


def test_a_program_is_saved_in_the_work_file_and_reads_back_as_saved(cache: Cache, tmp_path: Path) -> None:
    store = ProgramStore(cache)
    rule = LastSeen(within_last(30, Unit.DAYS))
    created = store.create(spec("  Top   contributor ", rule=rule, alumni_badge_id=2))
    assert created.name == "Top contributor"
    # Another opening of the profile (another process would do the same) reads it from the file.
    reopened = Cache(tmp_path / "profile")
    try:
        [program] = ProgramStore(reopened).programs()
        assert program.id == created.id and program.spec == created.spec
        assert program.spec.source == TOP and program.spec.rule == rule and program.spec.alumni_badge_id == 2
        assert program.cadence is Cadence.WEEKLY and program.problem == ""
    finally:
        reopened.close()


def test_names_must_be_given_and_free_in_any_case(cache: Cache) -> None:
    store = ProgramStore(cache)
    store.create(spec("Top contributor"))
    with pytest.raises(ProgramError, match="needs a name"):
        store.create(spec("   "))
    with pytest.raises(ProgramError, match="already a program named “TOP contributor”"):
        store.create(spec("TOP contributor "))
    other = store.create(spec("Hero of the Quarter", Cadence.QUARTERLY))
    with pytest.raises(ProgramError, match="already a program named"):
        store.rename(other.id, "top contributor")
    assert store.rename(other.id, "Hero of the Season").name == "Hero of the Season"


def test_badges_must_exist_and_the_alumni_badge_must_be_another(cache: Cache) -> None:
    store = ProgramStore(cache)
    with pytest.raises(ProgramError, match="no badge #9 on this server"):
        store.create(spec(badge_id=9))
    with pytest.raises(ProgramError, match="no badge #8 on this server for the alumni badge"):
        store.create(spec(alumni_badge_id=8))
    with pytest.raises(ProgramError, match="alumni badge must be another badge"):
        store.create(spec(alumni_badge_id=1))
    assert store.programs() == []


def test_a_duplicate_takes_a_free_name_and_none_of_the_runs(cache: Cache) -> None:
    store = ProgramStore(cache)
    original = store.create(spec())
    first = store.duplicate(original.id)
    second = store.duplicate(original.id)
    assert (first.name, second.name) == ("Top contributor (copy)", "Top contributor (copy 2)")
    assert first.spec.source == original.spec.source and first.id != original.id
    assert store.runs(first.id) == []


def test_a_deleted_program_frees_its_name_and_its_runs_stay_readable(cache: Cache) -> None:
    store = ProgramStore(cache)
    program = store.create(spec())
    week = from_key(Cadence.WEEKLY, "2026-W49")
    plan = program_dry_run(cache, program, week, SourceResult((Candidate(3, "9 likes"),)), now=_now())
    queued = queue_run(Outbox(cache, actor="Alice"), plan)
    assert queued.batch is not None
    store.delete(program.id)
    assert store.programs() == [] and store.due(date(2026, 12, 7)) == []
    # Its runs, its batch and its name stay for the audit.
    gone = store.get(program.id)
    assert gone is not None and gone.deleted_at is not None and gone.name == "Top contributor"
    assert [run.period_key for run in store.runs(program.id)] == ["2026-W49"]
    found = store.run_of_batch(queued.batch.id)
    assert found is not None and found[1].id == program.id
    assert Outbox(cache).batch(queued.batch.id).name == "Top contributor · 2026-W49 · 1 member"  # type: ignore[union-attr]
    with pytest.raises(ProgramError, match="no longer exists"):
        store.rename(program.id, "Again")
    # The name is free for a new program, which is another program with no runs.
    again = store.create(spec())
    assert again.id != program.id and store.runs(again.id) == []
    assert [p.name for p in store.programs(deleted=True)] == ["Top contributor", "Top contributor"]


def test_due_programs_are_those_whose_latest_ended_period_has_no_run(cache: Cache) -> None:
    store = ProgramStore(cache)
    weekly = store.create(spec("Weekly"))
    monthly = store.create(spec("Monthly", Cadence.MONTHLY))
    once = store.create(spec("Outage", Cadence.ONE_OFF))
    outbox = Outbox(cache, actor="Alice")
    monday = date(2026, 12, 7)
    assert [(d.program.name, d.period.key) for d in store.due(monday)] == [
        ("Monthly", "2026-11"),
        ("Outage", "once"),
        ("Weekly", "2026-W49"),
    ]
    nobody = SourceResult(())
    for program, key in ((weekly, "2026-W49"), (once, "once")):
        queue_run(outbox, program_dry_run(cache, program, from_key(program.cadence, key), nobody, now=_now()))
    # A run for an older month does not make November run.
    queue_run(
        outbox, program_dry_run(cache, monthly, from_key(Cadence.MONTHLY, "2026-10"), nobody, now=_now())
    )
    assert [(d.program.name, d.period.key) for d in store.due(monday)] == [("Monthly", "2026-11")]
    # A week later the weekly one is due again; a one-off never is once run.
    assert [(d.program.name, d.period.key) for d in store.due(date(2026, 12, 14))] == [
        ("Monthly", "2026-11"),
        ("Weekly", "2026-W50"),
    ]


def _now() -> datetime:
    return datetime(2026, 12, 7, 9, tzinfo=UTC)


def test_a_salvaged_work_file_keeps_the_programs(cache: Cache, tmp_path: Path) -> None:
    # A damaged work file is salvaged table by table (desktop.cache.storage.copy_work): the user's
    # programs are their work and must come along.
    store = ProgramStore(cache)
    store.create(spec("Top contributor"))
    store.create(spec("Ten Year Club", Cadence.YEARLY))
    source = sqlite3.connect(tmp_path / "profile" / storage.WORK_NAME)
    try:
        salvage = storage.copy_work(source, tmp_path / "salvaged.sqlite3")
    finally:
        source.close()
    assert salvage.recovered["programs"] == 2
    with sqlite3.connect(tmp_path / "salvaged.sqlite3") as connection:
        names = sorted(name for (name,) in connection.execute("SELECT name FROM programs"))
    assert names == ["Ten Year Club", "Top contributor"]
