"""A program's run: the dry run from its source's answer (conditions, holders, ties), then one batch."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.batch_results import export_results_csv
from desktop.cache.database import Cache
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionKind, ActionState, Member, MemberStatus
from desktop.net.budget import RateBudget, RateLimit
from desktop.outbox import Outbox
from desktop.programs.dry_run import Standing, award_reason, program_dry_run, send_plans
from desktop.programs.model import Program, ProgramError, ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, from_key
from desktop.programs.runs import queue_run
from desktop.programs.sources.base import Candidate, SourceResult, Unmatched
from desktop.programs.store import ProgramStore
from desktop.rules import LastSeen, Unit, within_last
from tests.core.feedless_server import award, badge

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
WEEK = from_key(Cadence.WEEKLY, "2026-W49")
LINK = "https://forum.example.org/t/hello/12/3"


def person(i: int, seen_days: int | None, status: MemberStatus = MemberStatus.ACTIVE) -> Member:
    seen = None if seen_days is None else NOW - timedelta(days=seen_days)
    return Member(i, f"m{i}", f"Member {i}", f"m{i}@example.org", NOW - timedelta(days=900), seen, status)


#: The week's leaderboard, best first (hand-made): 7 members the cache knows, one it does not.
BOARD = SourceResult(
    (
        Candidate(1, "142 likes received this week", 142, LINK),
        Candidate(4, "120 likes received this week", 120),  # never seen: fails the condition
        Candidate(5, "110 likes received this week", 110),  # holds the badge already
        Candidate(2, "90 likes received this week", 90),  # tied with 3 at the cut-off
        Candidate(3, "90 likes received this week", 90),
        Candidate(6, "85 likes received this week", 85),  # suspended
        Candidate(7, "80 likes received this week", 80),  # below the cut-off
        Candidate(99, "70 likes received this week", 70),  # not in the cache
        Candidate(1, "named twice: the first one counts", 1),
    ),
    unmatched=(Unmatched("line 9: ghost@example.org", "no member has this email"),),
    notes=("ranking as of 6 Dec 14:00",),
)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(
            connection,
            [
                *(person(i, i) for i in (1, 2, 3)),
                person(4, None),
                person(5, 1),
                person(6, 1, MemberStatus.SUSPENDED),
                person(7, 4),
            ],
        )
        Cache.upsert_badges(connection, [badge(1, "Top Contributor"), badge(2, "Former Top Contributor")])
        Cache.upsert_awards(connection, [award(1, 5, 1)])
    yield cache
    cache.close()


def top_contributor(cache: Cache, *, rule: bool = True) -> Program:
    return ProgramStore(cache).create(
        ProgramSpec(
            "Top contributor",
            SourceSpec("leaderboard", {"measure": "likes_received", "top": 3}),
            badge_id=1,
            cadence=Cadence.WEEKLY,
            message="Well done {member}!",
            rule=LastSeen(within_last(30, Unit.DAYS)) if rule else None,
        )
    )


def standings(plan: object) -> dict[int, Standing]:
    return {row.member_id: row.standing for row in plan.rows}  # type: ignore[attr-defined]


def test_the_dry_run_says_what_becomes_of_each_candidate(cache: Cache) -> None:
    plan = program_dry_run(cache, top_contributor(cache), WEEK, BOARD, now=NOW, top=3)
    assert standings(plan) == {
        1: Standing.TO_AWARD,
        4: Standing.RULE_EXCLUDED,
        5: Standing.ALREADY_HOLDS,
        2: Standing.TIE,
        3: Standing.TIE,
        6: Standing.INACTIVE,
        7: Standing.BELOW_CUT,
        99: Standing.NOT_FOUND,
    }
    assert plan.to_award == (1,)
    assert [row.member for row in plan.ties] == ["@m2", "@m3"]
    assert plan.rows[0].candidate.why == "142 likes received this week"
    assert plan.unmatched == BOARD.unmatched and plan.notes == ("ranking as of 6 Dec 14:00",)
    counts = plan.counts()
    assert counts["candidates"] == 8 and counts["tie"] == 2 and counts["to_award"] == 1
    assert counts["unmatched"] == 1 and counts["not_found"] == 1 and counts["rule_excluded"] == 1


def test_without_a_cut_off_or_conditions_everyone_active_is_awarded(cache: Cache) -> None:
    plan = program_dry_run(cache, top_contributor(cache, rule=False), WEEK, BOARD, now=NOW)
    assert plan.to_award == (1, 4, 2, 3, 7)
    assert standings(plan)[5] is Standing.ALREADY_HOLDS


def test_a_cut_off_between_different_scores_is_no_tie(cache: Cache) -> None:
    plan = program_dry_run(cache, top_contributor(cache), WEEK, BOARD, now=NOW, top=2)
    # 1 (142) and 5 (110, already holding) fill the two places; 2 and 3 are below.
    assert plan.to_award == (1,) and plan.ties == ()
    assert standings(plan)[2] is Standing.BELOW_CUT and standings(plan)[3] is Standing.BELOW_CUT


def test_the_reason_is_the_link_where_the_server_takes_one_and_says_why_elsewhere() -> None:
    earned = Candidate(1, "142 likes received this week", 142, LINK)
    assert award_reason(earned, link_reasons=True) == LINK
    assert award_reason(earned, link_reasons=False) == f"142 likes received this week: {LINK}"
    plain = Candidate(2, "10 years a member")
    assert award_reason(plain, link_reasons=True) == "10 years a member"


def test_queueing_sends_the_picked_and_the_chosen_ties_each_with_its_reason(cache: Cache) -> None:
    program = top_contributor(cache)
    plan = program_dry_run(cache, program, WEEK, BOARD, now=NOW, top=3, link_reasons=True)
    outbox = Outbox(cache, actor="Alice")
    with pytest.raises(ProgramError, match="Only tied members"):
        queue_run(outbox, plan, ties_chosen=[7])
    queued = queue_run(outbox, plan, ties_chosen=[3], kept={"keys": ["a"]})
    assert queued.queued == (1, 3) and queued.refused == ()
    assert queued.batch is not None and queued.batch.name == "Top contributor · 2026-W49 · 2 members"
    actions = outbox.actions(batch_id=queued.batch.id)
    assert [(a.kind, a.payload["member_id"], a.payload["reason"]) for a in actions] == [
        (ActionKind.AWARD, 1, LINK),
        (ActionKind.AWARD, 3, "90 likes received this week"),
    ]
    assert {a.payload["message"] for a in actions} == {"Well done {member}!"}
    run = ProgramStore(cache).runs(program.id)[0]
    assert (run.period_key, run.batch_id, run.actor) == ("2026-W49", queued.batch.id, "Alice")
    assert run.counts["queued"] == 2 and run.counts["tie"] == 2 and run.kept == {"keys": ["a"]}
    assert ProgramStore(cache).last_kept(program.id) == {"keys": ["a"]}
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT row, input, status, detail FROM batch_rows WHERE batch_id = ? ORDER BY row",
            (queued.batch.id,),
        ).fetchall()
    assert rows == [
        (1, "@m1", "to_send", None),
        (2, "@m5", "already", "already holds the badge"),
        (3, "@m3", "to_send", None),
        (4, "@m6", "inactive", None),
        (5, "member #99", "not_found", None),
    ]
    # The results CSV reads them as any batch's.
    written = export_results_csv(cache, queued.batch.id, cache.directory / "results.csv")
    lines = (cache.directory / "results.csv").read_text(encoding="utf-8-sig").splitlines()
    assert written == 5 and lines[0] == "row,input,member,outcome"
    # ("@" starts a formula in a spreadsheet: the cell is escaped.)
    assert lines[1:3] == ["1,'@m1,m1,pending", "2,'@m5,m5,skipped: already holds the badge"]


def test_a_weekly_program_run_twice_for_the_same_week_awards_nothing_the_second_time(cache: Cache) -> None:
    program = top_contributor(cache)
    outbox = Outbox(cache, actor="Alice")
    first = queue_run(
        outbox, program_dry_run(cache, program, WEEK, BOARD, now=NOW, top=3), ties_chosen=[2, 3]
    )
    assert first.queued == (1, 2, 3)
    again = program_dry_run(cache, program, WEEK, BOARD, now=NOW, top=3)
    assert again.to_award == () and again.ties == ()
    assert [r.member_id for r in again.having(Standing.AWARDED_THIS_PERIOD)] == [1, 2, 3]
    second = queue_run(outbox, again)
    assert second.queued == () and second.batch is None
    assert len(outbox.actions()) == 3
    # Recorded all the same: the week has been run twice.
    assert [r.batch_id for r in ProgramStore(cache).runs(program.id)] == [None, first.batch.id]  # type: ignore[union-attr]
    # The next week is another period: the same members may win it.
    following = program_dry_run(cache, program, from_key(Cadence.WEEKLY, "2026-W50"), BOARD, now=NOW, top=3)
    assert following.to_award == (1,)


def test_two_runs_planned_at_once_award_once_the_database_refuses_the_second(cache: Cache) -> None:
    """Two windows (or processes) each made the dry run before either queued: no check before insert helps."""
    program = top_contributor(cache, rule=False)
    outbox = Outbox(cache, actor="Alice")
    first_plan = program_dry_run(cache, program, WEEK, BOARD, now=NOW)
    second_plan = program_dry_run(cache, program, WEEK, BOARD, now=NOW)
    assert first_plan.to_award == second_plan.to_award == (1, 4, 2, 3, 7)
    assert queue_run(outbox, first_plan).queued == (1, 4, 2, 3, 7)
    late = queue_run(outbox, second_plan)
    assert late.queued == () and late.refused == (1, 4, 2, 3, 7) and late.batch is None
    assert late.run.counts["refused"] == 5
    assert sorted(a.payload["member_id"] for a in outbox.actions()) == [1, 2, 3, 4, 7]


def test_an_undone_batch_gives_its_places_back_an_applied_award_keeps_them(cache: Cache) -> None:
    program = top_contributor(cache)
    outbox = Outbox(cache, actor="Alice")
    first = queue_run(outbox, program_dry_run(cache, program, WEEK, BOARD, now=NOW, top=3))
    assert first.batch is not None
    outbox.undo_batch(first.batch.id)  # before sending: its award is discarded
    assert [a.state for a in outbox.actions(batch_id=first.batch.id)] == [ActionState.DISCARDED]
    plan = program_dry_run(cache, program, WEEK, BOARD, now=NOW, top=3)
    assert plan.to_award == (1,)
    second = queue_run(outbox, plan)
    assert second.queued == (1,) and second.batch is not None
    # The new award holds the place now.
    assert queue_run(outbox, program_dry_run(cache, program, WEEK, BOARD, now=NOW, top=3)).queued == ()


def test_a_program_whose_rule_cannot_be_read_does_not_run(cache: Cache) -> None:
    program = top_contributor(cache)
    with cache.write() as connection:
        connection.exec_driver_sql('UPDATE programs SET rule = \'{"version": 99, "rule": {}}\'')
    damaged = ProgramStore(cache).get(program.id)
    assert damaged is not None and "cannot be read" in damaged.problem
    with pytest.raises(ProgramError, match="cannot be read"):
        program_dry_run(cache, damaged, WEEK, BOARD, now=NOW)


def test_a_dry_run_of_a_program_changed_or_deleted_since_is_not_queued(cache: Cache) -> None:
    store = ProgramStore(cache)
    program = top_contributor(cache)
    outbox = Outbox(cache, actor="Alice")
    plan = program_dry_run(cache, program, WEEK, BOARD, now=NOW, top=3)
    # In the same second as the dry run: the version tells the edit, not the time.
    changed = store.update(program.id, dataclasses.replace(program.spec, badge_id=2))
    assert (program.version, changed.version) == (1, 2)
    with pytest.raises(ProgramError, match="changed since the dry run"):
        queue_run(outbox, plan)
    fresh = store.get(changed.id)
    assert fresh is not None
    later = program_dry_run(cache, fresh, WEEK, BOARD, now=NOW, top=3)
    store.delete(program.id)
    with pytest.raises(ProgramError, match="no longer exists"):
        queue_run(outbox, later)
    assert outbox.actions() == [] and store.runs(program.id) == []


def test_members_gone_from_the_list_are_revoked_once_only_when_asked(cache: Cache) -> None:
    store = ProgramStore(cache)
    program = store.create(
        ProgramSpec("Certified Admin", SourceSpec("list", {"path": "passed.csv"}), 1, Cadence.MONTHLY)
    )
    month = from_key(Cadence.MONTHLY, "2026-11")
    # Member 5 holds the badge and left the list; member 2 left it too but never held it.
    listed = SourceResult(
        (Candidate(1, "passed the exam on 2026-11-30"),),
        gone=(Candidate(5, "no longer in passed.csv"), Candidate(2, "no longer in passed.csv")),
    )
    outbox = Outbox(cache, actor="Alice")
    plan = program_dry_run(cache, program, month, listed, now=NOW)
    assert [(r.member_id, r.standing) for r in plan.gone] == [
        (5, Standing.TO_REVOKE),
        (2, Standing.NOT_HOLDING),
    ]
    assert plan.to_revoke == (5,)
    # Not asked: the gone keep the badge.
    kept = queue_run(outbox, plan)
    assert kept.revoke_batch is None and kept.queued == (1,)
    with pytest.raises(ProgramError, match="Say why"):
        queue_run(outbox, program_dry_run(cache, program, month, listed, now=NOW), revoke_gone=" ")
    again = queue_run(
        outbox, program_dry_run(cache, program, month, listed, now=NOW), revoke_gone="certification expired"
    )
    assert again.queued == () and again.revoked == (5,) and again.revoke_batch is not None
    assert again.revoke_batch.name == "Certified Admin · 2026-11 · revokes · 1 member"
    [revoke] = outbox.actions(batch_id=again.revoke_batch.id)
    assert (revoke.kind, revoke.payload["member_id"], revoke.payload["reason"]) == (
        ActionKind.REVOKE,
        5,
        "certification expired",
    )
    assert store.runs(program.id)[0].revoke_batch_id == again.revoke_batch.id
    found = store.run_of_batch(again.revoke_batch.id)
    assert found is not None and found[1].name == "Certified Admin"
    # Once per period, for revokes too.
    last = program_dry_run(cache, program, month, listed, now=NOW)
    assert [r.standing for r in last.gone] == [Standing.REVOKED_THIS_PERIOD, Standing.NOT_HOLDING]
    assert queue_run(outbox, last, revoke_gone="certification expired").revoked == ()


def test_the_dry_run_says_what_sending_takes_at_the_rate_limit(cache: Cache) -> None:
    forum = Capabilities(
        kind="some-forum",
        changes_feed=False,
        requests=False,
        badge_editing=False,
        edit_conflicts=False,
        messages=True,
        award_messages=True,
        delivery=Delivery.RECONCILE,
        batch_cap=1,
        messages_apart=True,
        mass_award_cap=50_000,
        holders_per_request=50,
    )
    plan = program_dry_run(cache, top_contributor(cache), WEEK, BOARD, now=NOW, top=3)
    budget = RateBudget("forum.example", RateLimit(requests=60, period=60.0))
    [awards] = send_plans(plan, forum, budget, ties_chosen=1)
    # The winner and one of the tied: 2 grants and 2 award messages, no mass award.
    assert (awards.members, awards.chosen.grants, awards.chosen.messages) == (2, 2, 2)
    assert awards.lines()[0].startswith("2 grants one by one: 2 + 2 award messages")
    assert awards.lines()[-1] == "Path: one by one"
    assert len(send_plans(plan, forum, None, revoke_gone=True)) == 1  # nobody gone from this source


@pytest.mark.slow
def test_a_source_of_50000_members_runs_in_chunks(tmp_path: Path) -> None:
    """Beyond the bound values some SQLite builds take in one statement (32,766): read 500 at a time.

    About 1 s for each dry run and 3 s to queue here (the cache's 50,000 members take 4 s).
    """
    cache = Cache(tmp_path / "big")
    try:
        with cache.write() as connection:
            Cache.upsert_members(connection, [person(i, 1) for i in range(1, 50_001)])
            Cache.upsert_badges(connection, [badge(1, "Ten Year Club")])
        program = top_contributor(cache)
        many = SourceResult(tuple(Candidate(i, "10 years a member") for i in range(1, 50_001)))
        plan = program_dry_run(cache, program, WEEK, many, now=NOW)
        assert len(plan.to_award) == 50_000
        queued = queue_run(Outbox(cache, actor="Alice"), plan)
        assert len(queued.queued) == 50_000
        assert program_dry_run(cache, program, WEEK, many, now=NOW).to_award == ()
    finally:
        cache.close()


def test_the_moderator_may_pick_a_runner_up_instead_of_the_first(cache: Cache) -> None:
    outbox = Outbox(cache)
    program = top_contributor(cache, rule=False)
    plan = program_dry_run(cache, program, WEEK, BOARD, now=NOW, top=1)
    assert standings(plan)[1] is Standing.TO_AWARD and standings(plan)[7] is Standing.BELOW_CUT
    # Below the cut-off, a holder is said to hold it (picking them would award nothing).
    assert standings(plan)[5] is Standing.ALREADY_HOLDS
    with pytest.raises(ProgramError, match="Only members the dry run ranked can be picked"):
        queue_run(outbox, plan, picked=[5])
    with pytest.raises(ProgramError, match="Only members the dry run ranked can be picked"):
        queue_run(outbox, plan, picked=[99])
    queued = queue_run(outbox, plan, picked=[7])
    assert queued.queued == (7,) and queued.batch is not None
    assert [(a.member_id, a.kind) for a in outbox.actions()] == [(7, ActionKind.AWARD)]
    # The week's one place is taken: the first is not awarded besides, here or headless.
    again = program_dry_run(cache, program, WEEK, BOARD, now=NOW, top=1)
    assert standings(again)[7] is Standing.AWARDED_THIS_PERIOD and standings(again)[1] is Standing.BELOW_CUT
    assert again.places_left == 0 and again.to_award == ()
    assert again.notes[-1] == "This period's places awarded already: 1 of 1."
    with pytest.raises(ProgramError, match="This period has 0 of 1 places left"):
        queue_run(outbox, again, picked=[1])
    assert queue_run(outbox, again).queued == ()


def test_a_ranking_that_moved_gives_the_period_no_second_winner(cache: Cache) -> None:
    """Discourse's rolling week is refreshed daily: the same week read again may rank another first."""
    outbox = Outbox(cache)
    program = top_contributor(cache, rule=False)
    first = queue_run(outbox, program_dry_run(cache, program, WEEK, BOARD, now=NOW, top=1))
    assert first.queued == (1,)
    moved = SourceResult((Candidate(2, "150 likes received this week", 150), *BOARD.candidates))
    again = program_dry_run(cache, program, WEEK, moved, now=NOW, top=1)
    assert standings(again)[2] is Standing.BELOW_CUT and standings(again)[1] is Standing.AWARDED_THIS_PERIOD
    assert queue_run(outbox, again).queued == ()
    assert [a.member_id for a in outbox.actions()] == [1]
    # Undone before it was sent, the place is free again: the new first is placed.
    outbox.undo_batch(first.batch.id)  # type: ignore[union-attr]
    freed = program_dry_run(cache, program, WEEK, moved, now=NOW, top=1)
    assert freed.places_left == 1 and freed.to_award == (2,)
