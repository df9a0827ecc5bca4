"""The history of award events: the server's grants joined with what this machine sent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop.award_history import (
    MATCH_WINDOW,
    AwardEvent,
    EventKind,
    EventSource,
    HistoryQuery,
    award_history,
    award_history_count,
    moderators,
)
from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.domain import ActionKind, Award
from desktop.outbox import Batch, Outbox
from tests.core.test_cache import badge, member
from tests.core.test_outbox import T0, FakeServer

DAY = timedelta(days=1)


def at(when: datetime) -> int:
    return to_epoch(when)


def set_times(cache: Cache, action_ids: list[int], sent: datetime, confirmed: datetime) -> None:
    with cache.write() as connection:
        connection.exec_driver_sql(
            "UPDATE actions SET sent_at = ?, confirmed_at = ?"
            f" WHERE id IN ({', '.join('?' * len(action_ids))})",
            (at(sent), at(confirmed), *action_ids),
        )


class Community:
    """Server grants by others, and a batch, a single award and a revoke sent from here.

    Action ids: 1-2 the "speakers" batch (members 1 and 2, badge 1), sent at T0
    and confirmed by the server's grants 1 and 2; 3 the revoke of member 2's
    badge 1 (two days later; the grant is gone from the mirror).
    """

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        with cache.write() as connection:
            Cache.upsert_members(
                connection,
                [member(1, "Ann Lee"), member(2, "Bo Chen"), member(3, "Cy Diaz"), member(4, "Dee Evans")],
            )
            Cache.upsert_badges(
                connection, [replace(badge(1), title="Speaker"), replace(badge(2), title="Mentor")]
            )
            Cache.set_sync_state(connection, {"last_sync_at": "1"})
            Cache.upsert_awards(
                connection,
                [
                    Award(1001, 3, 2, T0 + DAY, "Bob Moderator", "Great mentor"),
                    Award(1002, 4, 1, T0 + 3 * DAY, "Carol Admin", ""),
                ],
            )
        self.outbox = Outbox(cache, actor="Alice Moderator")
        server = FakeServer()
        self.speakers: Batch = self.outbox.queue_batch(
            ActionKind.AWARD, 1, [1, 2], reason="Conference speakers"
        )
        self.outbox.send_pending(server, batch_cap=5)
        set_times(cache, [1, 2], T0, T0 + timedelta(seconds=10))
        self.outbox.queue_revokes([2], 1, reason="Left the talk")
        self.outbox.send_pending(server, batch_cap=5)
        set_times(cache, [3], T0 + 2 * DAY, T0 + 2 * DAY)


@pytest.fixture()
def community(tmp_path: Path) -> Iterator[Community]:
    cache = Cache(tmp_path / "cache")
    yield Community(cache)
    cache.close()


def brief(events: list[AwardEvent]) -> list[tuple[str, str, str, str, str]]:
    return [(e.kind.value, e.source.value, e.member, e.badge, e.who) for e in events]


def test_every_event_once_newest_first(community: Community) -> None:
    events = award_history(community.cache)
    assert brief(events) == [
        ("award", "server", "Dee Evans (@user4)", "Speaker", "Carol Admin"),
        ("revoke", "local", "Bo Chen (@user2)", "Speaker", "Alice Moderator"),
        ("award", "server", "Cy Diaz (@user3)", "Mentor", "Bob Moderator"),
        # Sent from here; its grant was revoked since, so only this machine remembers it.
        ("award", "local", "Bo Chen (@user2)", "Speaker", "Alice Moderator"),
        # Sent from here and confirmed by the server's grant: once, with the server's time.
        ("award", "both", "Ann Lee (@user1)", "Speaker", "Alice Moderator"),
    ]
    revoke, mentor, local, both = events[1], events[2], events[3], events[4]
    assert revoke.when == T0 + 2 * DAY and revoke.reason == "Left the talk"
    assert (
        revoke.batch == "" and revoke.batch_id is None and revoke.action_id == 3 and revoke.award_id is None
    )
    assert mentor.reason == "Great mentor" and mentor.batch == "" and mentor.action_id is None
    assert mentor.award_id == 1001
    name = community.speakers.name
    assert name.startswith("Speaker · ") and name.endswith(" · #1 · 2 members")
    assert (local.batch, local.batch_id, local.when) == (
        name,
        community.speakers.id,
        T0 + timedelta(seconds=10),
    )
    assert (both.batch, both.action_id, both.when, both.reason) == (name, 1, T0, "Conference speakers")
    assert both.award_id is not None
    assert award_history_count(community.cache) == 5
    assert moderators(community.cache) == ["Alice Moderator", "Bob Moderator", "Carol Admin"]


def test_a_local_award_without_the_grant_id_is_matched_within_the_window(community: Community) -> None:
    cache = community.cache
    actions = community.outbox.queue_awards([3, 4, 1], 2, reason="Mentoring")
    sent = T0 + 5 * DAY
    with cache.write() as connection:
        connection.exec_driver_sql(
            "UPDATE actions SET state = 'done', outcome = 'awarded', result = '{}' WHERE id IN (?, ?)",
            (actions[0].id, actions[1].id),
        )
        # The grant the server answered with matches, whatever its time says.
        connection.exec_driver_sql(
            "UPDATE actions SET state = 'done', outcome = 'awarded', result = '{\"award_id\": 2003}'"
            " WHERE id = ?",
            (actions[2].id,),
        )
        # The server's clock is a minute ahead: still the same grant. The other grant is a day later.
        Cache.upsert_awards(
            connection,
            [
                Award(2001, 3, 2, sent + timedelta(seconds=62), "alice", ""),
                Award(2002, 4, 2, sent + DAY, "Bob Moderator", "Helpful"),
                Award(2003, 1, 2, sent - 30 * DAY, "alice", "Mentoring"),
            ],
        )
    set_times(cache, [a.id for a in actions], sent, sent + timedelta(seconds=2))
    newest = award_history(cache, HistoryQuery(badge_id=2), limit=3)
    assert [(e.source, e.member_id, e.who, e.reason) for e in newest] == [
        (EventSource.SERVER, 4, "Bob Moderator", "Helpful"),
        # The server's grant says who and when; the reason it lacks comes from here.
        (EventSource.BOTH, 3, "alice", "Mentoring"),
        (EventSource.LOCAL, 4, "Alice Moderator", "Mentoring"),
    ]
    assert newest[1].when == sent + timedelta(seconds=62) and newest[1].action_id == actions[0].id
    oldest = award_history(cache, HistoryQuery(badge_id=2))[-1]
    assert (oldest.source, oldest.award_id, oldest.action_id) == (EventSource.BOTH, 2003, actions[2].id)
    # 2001 replaced 1001 (a badge held once): 2001-2003 and the local award.
    assert award_history_count(cache, HistoryQuery(badge_id=2)) == 4
    # Outside the window: two events, not one.
    assert DAY.total_seconds() > MATCH_WINDOW


def test_filters_by_text_badge_moderator_period_and_kind(community: Community) -> None:
    def members(**query: object) -> list[tuple[str, int]]:
        found = award_history(community.cache, HistoryQuery(**query))  # type: ignore[arg-type]
        return [(e.source.value[0] + e.kind.value[0], e.member_id) for e in found]

    assert members(text="bo chen") == [("lr", 2), ("la", 2)]  # a member's name, any case
    assert members(text="user3@") == [("sa", 3)]  # an email
    assert members(text="mentor") == [("sa", 3)]  # a badge's title (and the reason "Great mentor")
    assert members(text="carol") == [("sa", 4)]  # who granted it
    assert members(text="talk") == [("lr", 2)]  # the reason
    assert members(text="50%") == []  # a wildcard is a character
    assert members(badge_id=2) == [("sa", 3)]
    assert members(moderator="Alice Moderator") == [("lr", 2), ("la", 2), ("ba", 1)]
    assert members(moderator="Bob Moderator") == [("sa", 3)]
    assert members(since=T0 + DAY, until=T0 + 3 * DAY) == [("lr", 2), ("sa", 3)]
    assert members(kinds=frozenset({EventKind.REVOKE})) == [("lr", 2)]
    assert award_history_count(community.cache, HistoryQuery(kinds=frozenset({EventKind.AWARD}))) == 4


def test_pages_follow_each_other_without_gaps_or_repeats(community: Community) -> None:
    cache = community.cache
    # Three grants in the same second, and the local revoke in that second too.
    same = T0 + 10 * DAY
    with cache.write() as connection:
        Cache.upsert_awards(
            connection, [Award(i, m, 2, same, "Bob Moderator", "") for i, m in ((7, 1), (8, 2), (9, 4))]
        )
    set_times(cache, [3], same, same)
    everything = award_history(cache)
    assert len(everything) == 8
    pages: list[AwardEvent] = []
    before = None
    while True:
        page = award_history(cache, limit=3, before=before)
        pages += page
        if len(page) < 3:
            break
        before = page[-1].position
    assert pages == everything
    # In one second: the server's grants first (newest id first), then what was sent from here.
    assert [(e.award_id, e.action_id) for e in everything[:4]] == [(9, None), (8, None), (7, None), (None, 3)]


def test_unknown_members_and_badges_are_named_by_number(community: Community) -> None:
    with community.cache.write() as connection:
        Cache.upsert_awards(connection, [Award(3001, 77, 9, T0 + 20 * DAY, "Bob Moderator", "")])
    [event] = award_history(community.cache, limit=1)
    assert (event.member, event.badge) == ("member #77", "badge #9")
