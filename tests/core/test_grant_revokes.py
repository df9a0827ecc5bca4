"""Revoking one grant of a badge held several times (Discourse's multiple_grant).

A revoke names the grant it removes: the one the moderator chose in the member
detail, or, in a batch, the member's newest grant (the dry run says so). The
name is committed with the action and is what the writer is given.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from desktop.audit import audit_entries
from desktop.batches import ListSource, dry_run, queue_batch
from desktop.cache.database import Cache
from desktop.dialects.base import AwardItem, ItemResult, RevokeItem
from desktop.dialects.discourse import mapping, wire
from desktop.domain import ActionKind, Award, AwardOutcome, Decision
from desktop.export import export_members_csv
from desktop.grants import grants_of, holder_counts, revoke_grant
from desktop.member_search import MemberQuery, MemberSearch, SortKey, held_counts
from desktop.outbox import Outbox, OutboxError
from desktop.outbox.store import actions
from tests.core.test_cache import T0, badge, member
from tests.core.test_outbox import FakeServer

HELPFUL = 2


class Recording(FakeServer):
    """Grants as Discourse keeps them: one row per grant, revoked by the grant's id."""

    def __init__(self, grants: Sequence[Award]) -> None:
        super().__init__()
        self.grants = {g.id: g for g in grants}
        self.revoked: list[int | None] = []
        self.granted: list[AwardItem] = []
        self.next_id = 100

    def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
        out = []
        for item in items:
            self.granted.append(item)
            award = Award(self.next_id, item.member_id, item.badge_id, T0, "Alice Moderator", item.reason)
            self.grants[award.id] = award
            self.next_id += 1
            out.append(ItemResult(item.idempotency_key, AwardOutcome.AWARDED, award, False))
        return out

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
        out = []
        for item in items:
            self.revoked.append(item.award_id)
            gone = item.award_id is None or self.grants.pop(item.award_id, None) is None
            outcome = AwardOutcome.NOT_HELD if gone else AwardOutcome.REVOKED
            out.append(ItemResult(item.idempotency_key, outcome, None, False))
        return out


def _grant(award_id: int, member_id: int, days: int, reason: str = "") -> Award:
    return Award(award_id, member_id, HELPFUL, T0 + timedelta(days=days), "Bob Moderator", reason)


#: Member 1 holds Helpful three times; the newest grant has the smallest id (a
#: grant's id says nothing of its date). Member 2 holds it once.
GRANTS = (
    _grant(31, 1, 10, "/t/first/11"),
    _grant(22, 1, 20, "/t/second/12"),
    _grant(13, 1, 30),
    _grant(40, 2, 5),
)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1), member(2), member(3)])
        Cache.upsert_badges(connection, [dataclasses.replace(badge(HELPFUL), multiple_grant=True)])
        Cache.upsert_awards(connection, GRANTS)
    yield cache
    cache.close()


def _held(cache: Cache, member_id: int) -> list[int]:
    return [a.id for a in grants_of(cache, member_id, HELPFUL)]


def test_grants_of_a_member_are_listed_newest_first(cache: Cache) -> None:
    assert _held(cache, 1) == [13, 22, 31]


def test_a_revoke_of_one_named_grant_is_committed_with_its_id_and_sent_by_it(cache: Cache) -> None:
    outbox = Outbox(cache, actor="Alice Moderator")
    batch = revoke_grant(outbox, 22)
    # Committed before anything is sent: the action names the grant and its date.
    (action,) = outbox.actions(batch_id=batch.id)
    assert action.payload["award_id"] == 22
    assert action.payload["granted_at"] == (T0 + timedelta(days=20)).isoformat()
    server = Recording(GRANTS)
    outbox.send_pending(server)
    assert server.revoked == [22]
    assert _held(cache, 1) == [13, 31]
    # The audit log says which grant went.
    (entry,) = audit_entries(cache)
    assert f"grant of {(T0 + timedelta(days=20)):%Y-%m-%d}" in entry.detail


def test_a_grant_gone_from_the_cache_cannot_be_named(cache: Cache) -> None:
    with pytest.raises(OutboxError, match="no longer"):
        revoke_grant(Outbox(cache), 999)


def test_a_batch_revoke_names_the_newest_grant_and_its_dry_run_says_so(cache: Cache) -> None:
    plan = dry_run(cache, ListSource.selection([1, 2, 3]), ActionKind.REVOKE, HELPFUL)
    assert plan.member_ids == (1, 2)
    assert plan.already == 1  # member 3 does not hold it
    # Member 1 holds it three times: the newest grant (by date, not id) goes.
    assert plan.held_several == 1
    (several,) = plan.several_rows
    assert (several.member_id, several.count, several.award.id) == (1, 3, 13)
    assert "newest" in plan.grant_rule
    outbox = Outbox(cache, actor="Alice Moderator")
    batch = queue_batch(outbox, plan)
    named = {a.payload["member_id"]: a.payload["award_id"] for a in outbox.actions(batch_id=batch.id)}
    assert named == {1: 13, 2: 40}
    server = Recording(GRANTS)
    outbox.send_pending(server)
    assert sorted(i for i in server.revoked if i is not None) == [13, 40]
    assert _held(cache, 1) == [22, 31]
    assert _held(cache, 2) == []


def test_a_batch_revoke_of_a_badge_held_once_names_no_grant(cache: Cache) -> None:
    with cache.write() as connection:
        Cache.upsert_badges(connection, [badge(5)])
        Cache.upsert_awards(connection, [Award(50, 1, 5, T0, "Bob Moderator", "")])
    plan = dry_run(cache, ListSource.selection([1]), ActionKind.REVOKE, 5)
    assert plan.held_several == 0 and plan.grant_rule == ""
    outbox = Outbox(cache)
    batch = queue_batch(outbox, plan)
    (action,) = outbox.actions(batch_id=batch.id)
    assert "award_id" not in action.payload


def test_undoing_a_grant_revoke_grants_it_again_with_its_link(cache: Cache) -> None:
    outbox = Outbox(cache, actor="Alice Moderator")
    batch = revoke_grant(outbox, 22)
    server = Recording(GRANTS)
    outbox.send_pending(server)
    reversal = outbox.undo_batch(batch.id)
    assert reversal is not None
    outbox.send_pending(server)
    (regrant,) = server.granted
    # The grant came back linking the same topic, as the member had it.
    assert (regrant.member_id, regrant.badge_id, regrant.reason) == (1, HELPFUL, "/t/second/12")
    assert len(_held(cache, 1)) == 3


def test_undoing_an_award_batch_revokes_the_grant_it_gave_not_an_older_one(cache: Cache) -> None:
    outbox = Outbox(cache, actor="Alice Moderator")
    batch = outbox.queue_batch(ActionKind.AWARD, HELPFUL, [1])
    server = Recording(GRANTS)
    server.next_id = 5
    outbox.send_pending(server)
    assert len(_held(cache, 1)) == 4
    reversal = outbox.undo_batch(batch.id)
    assert reversal is not None
    outbox.send_pending(server)
    # The award got id 5, neither the highest id nor the newest date: the undo
    # must still remove that grant and no other.
    assert server.revoked == [5]
    assert _held(cache, 1) == [13, 22, 31]


def test_a_discourse_badge_that_may_be_held_several_times_is_cached_as_such() -> None:
    row = wire.BadgeRow.model_validate(
        {"id": 110, "name": "Helpful", "enabled": True, "multiple_grant": True, "badge_type_id": 3}
    )
    assert mapping.badge(row, [], []).multiple_grant
    assert not mapping.badge(row.model_copy(update={"multiple_grant": False}), [], []).multiple_grant


def test_an_export_lists_a_badge_held_several_times_once_with_its_count(cache: Cache, tmp_path: Path) -> None:
    target = tmp_path / "members.csv"
    export_members_csv(cache, [1, 2], ["username", "badge_count", "badges"], target)
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert rows[1:] == [["user1", "1", "Badge 2 ×3"], ["user2", "1", "Badge 2"]]


def test_the_member_list_counts_badges_and_grants_apart(cache: Cache) -> None:
    assert held_counts(cache, [1, 2, 3]) == {1: (1, 3), 2: (1, 1)}


def test_holders_and_grants_of_a_badge_are_counted_apart(cache: Cache) -> None:
    with cache.write() as connection:
        Cache.upsert_badges(connection, [badge(5)])
        Cache.upsert_awards(connection, [Award(50, 1, 5, T0, "Bob Moderator", "")])
    assert holder_counts(cache) == {HELPFUL: (2, 4), 5: (1, 1)}


def test_sorting_by_badges_counts_a_badge_held_three_times_once(cache: Cache) -> None:
    with cache.write() as connection:
        Cache.upsert_badges(connection, [badge(5)])
        Cache.upsert_awards(connection, [Award(50, 2, 5, T0, "Bob Moderator", "")])
    # Member 2 holds two badges; member 1 one badge, granted three times: as the list shows them.
    query = MemberQuery(sort=SortKey.BADGE_COUNT, descending=True)
    assert MemberSearch(cache).ids(query) == [2, 1, 3]
    assert MemberSearch(cache).first_window(query) == [2, 1, 3]


def test_undoing_an_approval_revokes_the_grant_it_gave(cache: Cache) -> None:
    outbox = Outbox(cache, actor="Alice Moderator")
    approval = outbox.queue_decision(7, 1, Decision.APPROVE, member_id=1, badge_id=HELPFUL)
    with cache.write() as connection:
        # Applied: the approval granted the badge a fourth time, as grant 22.
        stored = ("done", "approved", None, json.dumps({"award_id": 22}), 0, 0, approval.id)
        actions.store_results(connection, [stored])
    undo = outbox.undo_decision(approval.id)
    assert undo.reversal is not None and undo.reversal.payload["award_id"] == 22
