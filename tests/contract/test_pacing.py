"""Contract: a server's 429 and its Retry-After are honoured, through the shared rate control."""

from __future__ import annotations

import time

import pytest

from desktop.domain import AwardOutcome
from desktop.net.errors import ServerBusy
from desktop.net.ratecontrol import RateControl
from tests.contract.conftest import Dialect

#: A sleep may wake a hair early on a busy machine's clock; nothing more.
EARLY = 0.02


def test_a_429_with_retry_after_is_honoured_then_the_read_succeeds(dialect: Dialect) -> None:
    directory = dialect.session.directory
    expected = directory.community()
    dialect.hooks.throttle_next("1")
    started = time.monotonic()
    summary = directory.community()
    waited = time.monotonic() - started
    assert dialect.hooks.throttled == 1 and dialect.hooks.requests["community"] == 3
    assert waited >= 1.0 - EARLY, f"sent again after {waited:.3f} s, before the server's Retry-After of 1 s"
    assert waited < 5.0
    assert (summary.members, summary.badges) == (expected.members, expected.badges)


def test_a_write_refused_with_429_waits_and_is_applied_once(dialect: Dialect) -> None:
    writer = dialect.session.writer
    [(member_id, badge_id)] = dialect.free_pairs(1)
    dialect.hooks.throttle_next("1")
    started = time.monotonic()
    [result] = writer.award_batch([dialect.award(member_id, badge_id, notify=False)])
    waited = time.monotonic() - started
    assert waited >= 1.0 - EARLY
    # A 429 means nothing was done: the second request applies it, for the first time.
    assert (result.outcome, result.replayed) == (AwardOutcome.AWARDED, False)
    assert dialect.harness.award_rows(badge_id)[member_id] == 1


def test_a_server_that_keeps_refusing_ends_in_server_busy_with_nothing_applied(dialect: Dialect) -> None:
    """Three 429s in a row spend a session's three attempts, where each 429 counts as one; a
    session that waits out every 429 for minutes (Discourse: a rate limit is never a failure)
    goes on through them instead, and applies the item once."""
    # Backing off from 10 ms: "0" is what the server asks, the growing back-off is the client's own.
    session = dialect.open(max_attempts=3, rate_control=RateControl(first_backoff=0.01))
    [(member_id, badge_id)] = dialect.free_pairs(1)
    item = dialect.award(member_id, badge_id, notify=False)
    if dialect.harness.waits_out_429s:
        dialect.hooks.throttle_next("0", times=5)
        [result] = session.writer.award_batch([item])
        assert dialect.hooks.throttled == 5
        assert (result.outcome, result.replayed) == (AwardOutcome.AWARDED, False)
        assert dialect.harness.award_rows(badge_id)[member_id] == 1
        return
    dialect.hooks.throttle_next("0", times=3)
    with pytest.raises(ServerBusy):
        session.writer.award_batch([item])
    assert dialect.hooks.throttled == 3
    assert dialect.holds(member_id, badge_id) == []
    [result] = session.writer.award_batch([item])
    assert (result.outcome, result.replayed) == (AwardOutcome.AWARDED, False)
