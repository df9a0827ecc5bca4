"""A recognition program run end to end from a leaderboard on BadgeDesk's own server (v1) over loopback:
the last ended month's likes ranking read through the activity reader, the dry run (holders and ties
decided by the dry run's cut), the run queued, the awards sent with their reasons, and a second run
for the same month finding nothing new. The month's figures are computed by hand from the sandbox's
activity tables."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.dialects.activity import ActivityReader, Measure
from desktop.domain import BadgeState
from desktop.outbox import RetryPolicy
from desktop.programs.dry_run import Standing, program_dry_run
from desktop.programs.model import ProgramSpec
from desktop.programs.periods import Cadence, latest_ended
from desktop.programs.runs import queue_run
from desktop.programs.sources.activity_specs import activity_source, spec_of
from desktop.programs.sources.leaderboard import LeaderboardSource
from desktop.programs.sources.winners import recent_winners
from desktop.programs.store import ProgramStore
from desktop.sandbox.process import SandboxProcess
from tests.e2e import server_witness


@pytest.fixture()
def community(sandbox: SandboxProcess, tmp_path: Path) -> Iterator[Community]:
    made = Community(
        sandbox.url, Endpoint(sandbox.url, sandbox.tokens["moderator"]), Cache(tmp_path / "profile")
    )
    try:
        yield made
    finally:
        made.close()


def _today(sandbox: SandboxProcess) -> datetime:
    with server_witness.server_db(sandbox) as db:
        epoch = db.execute("SELECT value FROM meta WHERE key = 'seed_epoch'").fetchone()[0]
    return datetime.fromtimestamp(int(epoch), UTC)


def test_a_monthly_leaderboard_program_runs_from_the_server_to_the_awards(
    sandbox: SandboxProcess, community: Community
) -> None:
    community.sync()
    cache = community.cache
    capabilities = community.capabilities()
    assert capabilities is not None and "leaderboard" in capabilities.activity_sources
    now = _today(sandbox)
    month = latest_ended(Cadence.MONTHLY, now.date())
    starts, ends = month.bounds(UTC)
    expected = server_witness.likes_received(sandbox, starts, ends)
    assert len(expected) > 10

    badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    program = ProgramStore(cache).create(
        ProgramSpec(
            "Top contributor",
            spec_of(LeaderboardSource(Measure.LIKES_RECEIVED, 20)),
            badge.id,
            Cadence.MONTHLY,
        )
    )
    source = activity_source(program.spec.source)
    assert isinstance(source, LeaderboardSource)
    session = community.connector()
    try:
        assert isinstance(session, ActivityReader)
        winners = recent_winners(cache, program.id, month.key, 3)
        result = source.read(session, starts, ends, period=month.key, past_winners=winners)
    finally:
        session.close()
    assert winners == frozenset()
    assert [(c.member_id, c.score) for c in result.candidates[:10]] == [
        (m, float(n)) for m, n in expected[:10]
    ]
    first_id, first_likes = expected[0]
    assert result.candidates[0].why == f"{first_likes} likes received in {month.key}"

    plan = program_dry_run(cache, program, month, result, now=now, top=3)
    standing = {row.member_id: row.standing for row in plan.rows}
    picked = set(plan.to_award) | {row.member_id for row in plan.ties}
    assert picked and first_id in picked | {m for m, s in standing.items() if s is Standing.ALREADY_HOLDS}

    queued = queue_run(community.outbox, plan, ties_chosen=[row.member_id for row in plan.ties])
    assert set(queued.queued) == picked
    report = community.send_outbox(retry=RetryPolicy(attempts=3, first_delay=0.0))
    assert report.done >= 1
    held = server_witness.active_holders(sandbox, badge.id)
    assert picked <= held

    # Run again for the same month: those awarded are holders now, nothing new is queued.
    again = program_dry_run(
        cache, ProgramStore(cache).get(program.id) or program, month, result, now=now, top=3
    )
    assert not set(again.to_award) & picked
    assert recent_winners(cache, program.id, "9999-12", 1) == picked
