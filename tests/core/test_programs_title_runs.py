"""A program whose badge is held by one member at a time: its run hands the title over (the alumni
badge to the previous holder, the badge to the winner, the old grant revoked) as one outbox
action, once per period, never to two winners."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.domain import ActionKind, ActionState
from desktop.outbox import Outbox
from desktop.programs.dry_run import Standing, TitleMove, program_dry_run, send_plans
from desktop.programs.history import program_history
from desktop.programs.model import Program, ProgramError, ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, from_key
from desktop.programs.runs import queue_run
from desktop.programs.sources.base import Candidate, SourceResult
from desktop.programs.sources.winners import recent_winners
from desktop.programs.store import ProgramStore
from desktop.programs.titles import OneHolderBadges
from tests.capability_values import forum
from tests.core.feedless_server import award, badge
from tests.core.test_programs_runs import NOW, person

QUARTER = from_key(Cadence.QUARTERLY, "2026-Q4")
NEXT = from_key(Cadence.QUARTERLY, "2027-Q1")
HERO, FORMER, OTHER_FORMER = 1, 2, 3
BOARD = SourceResult(
    (
        Candidate(2, "412 likes received in 2026-Q4", 412),
        Candidate(3, "380 likes received in 2026-Q4", 380),
    )
)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(connection, [person(i, 1) for i in (1, 2, 3)])
        Cache.upsert_badges(
            connection,
            [badge(HERO, "Hero of the Quarter"), badge(FORMER, "Former Hero"), badge(OTHER_FORMER, "Alumni")],
        )
        Cache.upsert_awards(connection, [award(1, 1, HERO)])  # @m1 holds the title
    OneHolderBadges(cache).mark(HERO, FORMER)
    yield cache
    cache.close()


def hero(cache: Cache, alumni: int | None = None) -> Program:
    return ProgramStore(cache).create(
        ProgramSpec(
            "Hero of the Quarter",
            SourceSpec("leaderboard", {"measure": "likes_received", "top": 1}),
            badge_id=HERO,
            cadence=Cadence.QUARTERLY,
            alumni_badge_id=alumni,
        )
    )


CAPABILITIES = forum()


def test_the_dry_run_says_the_title_moves_and_what_it_costs(cache: Cache) -> None:
    plan = program_dry_run(cache, hero(cache), QUARTER, BOARD, now=NOW, top=1)
    assert plan.title == TitleMove(1, "@m1", FORMER)
    assert plan.to_award == (2,) and plan.having(Standing.BELOW_CUT)[0].member_id == 3
    assert plan.notes[-1] == (
        "The badge is held by one member at a time: the run hands it over from @m1, who keeps the"
        " alumni badge, to one winner (each step is read on the server first)."
    )
    # The alumni badge and the badge granted, the old grant revoked: 3 writes, one by one.
    grants, revokes = send_plans(plan, CAPABILITIES, None)
    assert (grants.kind, grants.members, revokes.kind, revokes.members) == (
        ActionKind.AWARD,
        2,
        ActionKind.REVOKE,
        1,
    )


def test_a_run_queues_one_hand_over_once_per_period(cache: Cache) -> None:
    outbox = Outbox(cache)
    program = hero(cache, alumni=OTHER_FORMER)
    plan = program_dry_run(cache, program, QUARTER, BOARD, now=NOW, top=1)
    queued = queue_run(outbox, plan)
    assert queued.batch is None and queued.queued == (2,) and queued.handover is not None
    action = queued.handover
    assert action.kind is ActionKind.HANDOVER and action.state is ActionState.PENDING
    body = json.loads(json.dumps(action.payload))
    # The program's own alumni badge wins over the marking's; the winner's reason goes with it.
    assert body["badge_id"] == HERO and body["member_id"] == 2 and body["previous_id"] == 1
    assert body["alumni_badge_id"] == OTHER_FORMER
    assert body["reason"] == "412 likes received in 2026-Q4"
    assert [a.kind for a in outbox.actions()] == [ActionKind.HANDOVER]
    assert [r.period_key for r in ProgramStore(cache).runs(program.id)] == ["2026-Q4"]
    assert recent_winners(cache, program.id, NEXT.key, 1) == {2}
    # The pane's run history says a hand-over, not "nothing new".
    [row] = program_history(cache, program.id).runs
    assert (row.handover, row.awarded, row.batch_name) == (True, 1, "")

    # The same quarter again: nothing new, no second hand-over.
    again = program_dry_run(cache, program, QUARTER, BOARD, now=NOW, top=1)
    assert again.to_award == () and again.rows[0].standing is Standing.AWARDED_THIS_PERIOD
    second = queue_run(outbox, again)
    assert second.handover is None and second.queued == ()
    assert len(outbox.actions()) == 1
    # The ranking moved (a rolling period read again): the quarter's one place is taken all the same.
    moved = SourceResult((Candidate(3, "500 likes received in 2026-Q4", 500), *BOARD.candidates))
    third = program_dry_run(cache, program, QUARTER, moved, now=NOW, top=1)
    assert third.places_left == 0 and third.to_award == ()
    assert queue_run(outbox, third).handover is None and len(outbox.actions()) == 1


def test_a_title_fed_by_a_list_has_one_place_a_period_too(cache: Cache) -> None:
    program = ProgramStore(cache).create(
        ProgramSpec("Hero", SourceSpec("list", {"path": "/x.csv"}), badge_id=HERO, cadence=Cadence.QUARTERLY)
    )
    listed = SourceResult((Candidate(2, "in heroes.csv, row 2"), Candidate(3, "in heroes.csv, row 3")))
    plan = program_dry_run(cache, program, QUARTER, listed, now=NOW)
    assert plan.places_left == 1 and plan.to_award == (2,)
    assert [r.standing for r in plan.rows] == [Standing.TO_AWARD, Standing.BELOW_CUT]


def test_a_title_goes_to_one_winner_never_two(cache: Cache) -> None:
    outbox = Outbox(cache)
    tied = SourceResult((Candidate(2, "400 likes", 400), Candidate(3, "400 likes", 400)))
    plan = program_dry_run(cache, hero(cache), QUARTER, tied, now=NOW, top=1)
    assert [r.standing for r in plan.rows] == [Standing.TIE, Standing.TIE]
    with pytest.raises(ProgramError, match="hands it to one winner, not 2"):
        queue_run(outbox, plan, ties_chosen=(2, 3))
    assert outbox.actions() == [] and ProgramStore(cache).runs(plan.program.id) == []
    queued = queue_run(outbox, plan, ties_chosen=(3,))
    assert queued.handover is not None and queued.handover.member_id == 3


def test_a_hand_over_the_cache_refuses_leaves_nothing_behind(cache: Cache) -> None:
    outbox = Outbox(cache)
    program = hero(cache)
    first = queue_run(outbox, program_dry_run(cache, program, QUARTER, BOARD, now=NOW, top=1))
    assert first.handover is not None
    # Next quarter while the first hand-over is still unsent: refused, nothing claimed or recorded.
    plan = program_dry_run(cache, program, NEXT, SourceResult((Candidate(3, "1 like", 1),)), now=NOW, top=1)
    with pytest.raises(ProgramError, match="is being handed over already"):
        queue_run(outbox, plan)
    assert [r.period_key for r in ProgramStore(cache).runs(program.id)] == ["2026-Q4"]
    assert len(outbox.actions()) == 1
