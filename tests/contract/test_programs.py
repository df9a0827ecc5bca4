"""Contract: a recognition program run twice for the same week awards once, on every dialect.

The period's claims are the work file's (desktop.programs.runs), so the second run
queues nothing whatever the server does with repeats (Discourse keeps no keys and
grants a ``multiple_grant`` badge again). The award carries the candidate's link
where the server keeps only links as reasons, the sentence and the link elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.dialects.capabilities import Capabilities
from desktop.outbox import Outbox
from desktop.programs.dry_run import program_dry_run
from desktop.programs.model import ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, from_key
from desktop.programs.runs import QueuedRun, queue_run
from desktop.programs.sources.base import Candidate, SourceResult
from desktop.programs.store import ProgramStore
from desktop.sync import SyncService
from tests.contract.conftest import Dialect

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
WEEK = from_key(Cadence.WEEKLY, "2026-W49")
LINK = "/t/welcome/7/2"


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    yield cache
    cache.close()


def test_a_weekly_program_run_twice_for_one_week_awards_once(dialect: Dialect, cache: Cache) -> None:
    [(member_id, badge_id)] = dialect.free_pairs(1)
    SyncService(cache, dialect.session, page_size=100, changes_page_size=100).run()
    program = ProgramStore(cache).create(
        ProgramSpec("Top contributor", SourceSpec("leaderboard", {"top": 1}), badge_id, Cadence.WEEKLY)
    )
    board = SourceResult((Candidate(member_id, "142 likes received this week", 142, LINK),))
    capabilities = Capabilities.of(dialect.session)
    outbox = Outbox(cache)

    def run() -> QueuedRun:
        plan = program_dry_run(cache, program, WEEK, board, now=NOW, link_reasons=capabilities.link_reasons)
        return queue_run(outbox, plan)

    assert run().queued == (member_id,)
    report = outbox.send_pending(dialect.session)
    assert (report.applied, report.failed, report.held) == (1, 0, 0)
    # Again for the same week, before and after a sync brought the grant back.
    assert run().queued == ()
    SyncService(cache, dialect.session, page_size=100, changes_page_size=100).run()
    assert run().queued == ()
    assert outbox.send_pending(dialect.session).queued == 0
    assert len(dialect.holds(member_id, badge_id)) == 1
    # What the award carried: a reason the server took (Discourse refuses any other than a link).
    [action] = outbox.actions()
    if capabilities.link_reasons:
        assert action.payload["reason"] == LINK
    else:
        assert action.payload["reason"] == f"142 likes received this week: {LINK}"
        if dialect.harness.keeps_free_text_reasons:
            [grant] = [a for a in cache.awards_of_member(member_id) if a.badge_id == badge_id]
            assert grant.reason == f"142 likes received this week: {LINK}"
