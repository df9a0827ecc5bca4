"""Contract: a title that moves, on every dialect. A one-holder badge handed over through the
outbox ends with the new holder alone and the previous one holding the alumni badge once; sent
again from the start, it reads that everything is done and sends nothing; a holder the cache did
not know (another moderator handed it over meanwhile) stops it with nothing revoked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.dialects.base import AwardItem
from desktop.domain import ActionState, BadgeState, MemberStatus
from desktop.drift import HoldReason
from desktop.outbox import Outbox
from desktop.outbox.store import actions as rows
from desktop.programs.titles import OneHolderBadges, queue_handover
from desktop.sync import SyncService
from tests.contract.conftest import Dialect, key, read_all


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    yield cache
    cache.close()


def _title(dialect: Dialect, cache: Cache, index: int) -> tuple[int, int, list[int]]:
    """A badge held by one member (the chain's first) and marked with an alumni badge, and two
    more active members who hold neither; the cache synced. ``index``: which badge (per test)."""
    badges = sorted(dialect.badges(BadgeState.PUBLISHED), key=lambda b: b.id)
    directory = dialect.session.directory
    held = {
        b.id: {a.member_id for a in read_all(lambda c, n, b=b.id: directory.awards(c, n, badge_id=b))}
        for b in badges
    }
    active = {m.id for m in dialect.members(MemberStatus.ACTIVE)}
    # A badge whose holders can all be revoked here (a deleted member's grants cannot).
    once = [b for b in badges if not b.multiple_grant and held[b.id] <= active]
    title = once[index]
    alumni = next((b for b in badges if b.multiple_grant and b.id != title.id), badges[-1 - index])
    members = [
        m
        for m in sorted(active)
        if m not in held[title.id] | held[alumni.id] and (dialect.kind, m, title.id) not in dialect.claimed
    ][:3]
    for member_id in held[title.id]:
        for grant in dialect.holds(member_id, title.id):
            dialect.send([dialect.revoke(member_id, title.id, award_id=grant)])
    dialect.send([dialect.award(members[0], title.id)])
    assert dialect.harness.active_holders(title.id) == {members[0]}
    SyncService(cache, dialect.session).run()
    OneHolderBadges(cache).mark(title.id, alumni.id)
    return title.id, alumni.id, members


def test_a_title_is_handed_over_and_sent_again_changes_nothing(dialect: Dialect, cache: Cache) -> None:
    title, alumni, (previous, new, _spare) = _title(dialect, cache, 0)
    outbox = Outbox(cache)
    action = queue_handover(outbox, title, new)
    report = outbox.send_pending(dialect.session)
    assert report.applied == 1
    assert dialect.harness.active_holders(title) == {new}
    assert len(dialect.holds(previous, alumni)) == 1
    # Sent again from its first step (as if nothing had been recorded): every step reads as done.
    with cache.write() as connection:
        connection.exec_driver_sql(
            "UPDATE actions SET state = ?, result = NULL WHERE id = ?", (ActionState.PENDING.value, action.id)
        )
    outbox.send_pending(dialect.session)
    assert dialect.harness.active_holders(title) == {new}
    assert len(dialect.holds(previous, alumni)) == 1
    assert dialect.harness.award_rows(alumni).get(previous) == 1
    with cache.read() as connection:
        assert rows.result_of(connection, action.id)["step"] == 3


def test_a_holder_the_cache_did_not_know_stops_the_hand_over(dialect: Dialect, cache: Cache) -> None:
    title, alumni, (previous, new, stranger) = _title(dialect, cache, 1)
    outbox = Outbox(cache)
    action = queue_handover(outbox, title, new)
    # Another moderator hands the title to someone else first.
    other = dialect.other_moderator()
    other.writer.award_batch([AwardItem(key(), stranger, title, username=dialect.username(stranger))])
    report = outbox.send_pending(dialect.session)
    assert report.conflicts == 1
    assert dialect.harness.active_holders(title) == {previous, stranger}
    assert dialect.holds(previous, alumni) == []
    [stopped] = [a for a in outbox.actions() if a.id == action.id]
    assert stopped.state is ActionState.CONFLICT
    assert stopped.hold_reason == HoldReason.TITLE_HELD_ELSEWHERE.value
    assert stopped.last_error is not None
    assert stopped.last_error.startswith(f"Held by @{dialect.username(stranger)} on the server, not @")
