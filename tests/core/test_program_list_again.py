"""A list program owes the badge to every member it lists until it has awarded them: an award undone
before it was sent, or a member the moderator passed over, is a candidate again on the next run; a
member it awarded is not (even after a moderator revoked the badge by hand)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.domain import ActionState
from desktop.outbox import Outbox
from desktop.outbox.store import actions as rows
from desktop.programs.dry_run import program_dry_run
from desktop.programs.model import Program, ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, from_key
from desktop.programs.reading import read_source
from desktop.programs.runs import QueuedRun, queue_run
from desktop.programs.store import ProgramStore
from tests.core.feedless_server import badge
from tests.core.test_programs_runs import NOW, person

NOVEMBER = from_key(Cadence.MONTHLY, "2026-11")
DECEMBER = from_key(Cadence.MONTHLY, "2026-12")


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[ProgramStore, Program, Outbox]]:
    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(connection, [person(i, 1) for i in (1, 2, 3)])
        Cache.upsert_badges(connection, [badge(1, "Certified Admin")])
    listing = tmp_path / "passed.csv"
    listing.write_text("username\nm1\nm2\nm3\n", encoding="utf-8")
    store = ProgramStore(cache)
    program = store.create(
        ProgramSpec("Certified", SourceSpec("list", {"path": str(listing)}), 1, Cadence.MONTHLY)
    )
    yield store, program, Outbox(cache)
    cache.close()


def run(
    store: ProgramStore, program: Program, outbox: Outbox, period: object, picked: list[int] | None = None
) -> tuple[tuple[int, ...], QueuedRun]:
    read = read_source(store, program, period, server=None, now=NOW)  # type: ignore[arg-type]
    plan = program_dry_run(store.cache, program, period, read.result, now=NOW)  # type: ignore[arg-type]
    return plan.to_award, queue_run(outbox, plan, kept=read.keep, picked=picked)


def test_an_undone_award_and_a_member_passed_over_are_candidates_again(
    setup: tuple[ProgramStore, Program, Outbox],
) -> None:
    store, program, outbox = setup
    # November: the moderator awards m1 and m2 only.
    offered, first = run(store, program, outbox, NOVEMBER, picked=[1, 2])
    assert offered == (1, 2, 3) and first.queued == (1, 2)
    # m2's award is undone before it was sent.
    action = next(a for a in outbox.actions() if a.member_id == 2)
    with store.cache.write() as connection:
        rows.store_result(connection, action.id, ActionState.DISCARDED, "undone", None, {}, 0)
    # December: m2 and m3 are owed the badge still; m1 was awarded (not again, even unsent).
    offered, second = run(store, program, outbox, DECEMBER)
    assert offered == (2, 3) and second.queued == (2, 3)
    offered, third = run(store, program, outbox, DECEMBER)
    assert offered == () and third.queued == ()


def test_a_member_awarded_then_revoked_by_hand_is_not_awarded_again(
    setup: tuple[ProgramStore, Program, Outbox],
) -> None:
    store, program, outbox = setup
    _offered, first = run(store, program, outbox, NOVEMBER)
    assert first.queued == (1, 2, 3)
    for action in outbox.actions():
        with store.cache.write() as connection:
            rows.store_result(connection, action.id, ActionState.DONE, "awarded", None, {}, 0)
    # Nobody holds the badge in the cache (a moderator revoked them all on the server): still settled.
    offered, _second = run(store, program, outbox, DECEMBER)
    assert offered == ()
