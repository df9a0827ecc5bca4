"""Badges a member may hold several times (Discourse's multiple_grant): one award row per grant."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from desktop.cache.database import Cache
from desktop.cache.rows import award_row
from desktop.dialects.base import ItemResult, RevokeItem
from desktop.domain import ActionKind, Award, AwardOutcome
from desktop.outbox import Outbox
from tests.core.test_cache import badge, member
from tests.core.test_outbox import FakeServer

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def _award(award_id: int, member_id: int, badge_id: int) -> Award:
    return Award(award_id, member_id, badge_id, T0, "Alice Moderator", "")


def _grants(cache: Cache, member_id: int, badge_id: int) -> list[int]:
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id FROM awards WHERE member_id = ? AND badge_id = ? ORDER BY id", (member_id, badge_id)
        )
        return [int(row[0]) for row in rows]


def test_every_grant_of_a_multiple_grant_badge_is_kept_and_a_single_one_is_replaced(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1)])
        Cache.upsert_badges(connection, [badge(1), dataclasses.replace(badge(2), multiple_grant=True)])
        Cache.upsert_awards(connection, [_award(10, 1, 1), _award(20, 1, 2)])
    with cache.write() as connection:
        # A re-award of the single badge (a new id) replaces the old row; a second
        # grant of the multiple one stands beside the first.
        Cache.upsert_awards(connection, [_award(11, 1, 1), _award(21, 1, 2)])
    assert _grants(cache, 1, 1) == [11]
    assert _grants(cache, 1, 2) == [20, 21]
    assert cache.counts().awards == 3
    with cache.read() as connection:
        flag = connection.exec_driver_sql("SELECT multiple_grant FROM badges WHERE id = 2").scalar()
    assert flag == 1
    cache.close()


def test_a_bulk_load_replaces_older_single_grants_when_the_counts_are_recounted(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1), member(2)])
        Cache.upsert_badges(connection, [badge(1), dataclasses.replace(badge(2), multiple_grant=True)])
        Cache.defer_badge_counts(connection)
        rows = [award_row(a) for a in (_award(10, 1, 1), _award(20, 1, 2), _award(30, 2, 1))]
        rows += [award_row(a) for a in (_award(11, 1, 1), _award(21, 1, 2), _award(12, 1, 1))]
        Cache.upsert_award_rows(connection, rows, replace_older=False)
    # Kept until the recount: no look-up per award during the load.
    assert _grants(cache, 1, 1) == [10, 11, 12]
    with cache.write() as connection:
        while Cache.recount_badges(connection):
            pass
    assert _grants(cache, 1, 1) == [12]
    assert _grants(cache, 1, 2) == [20, 21]
    assert _grants(cache, 2, 1) == [30]
    with cache.read() as connection:
        counts = connection.exec_driver_sql("SELECT id, badge_count, grant_count FROM members ORDER BY id")
        assert [tuple(row) for row in counts] == [(1, 2, 3), (2, 1, 1)]
    cache.close()


def test_a_revoke_of_one_grant_removes_that_grant_only(tmp_path: Path) -> None:
    class Revokes(FakeServer):
        def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
            self.calls.append(("revoke", len(items)))
            return [ItemResult(i.idempotency_key, AwardOutcome.REVOKED, None, False) for i in items]

    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1)])
        Cache.upsert_badges(connection, [dataclasses.replace(badge(2), multiple_grant=True)])
        Cache.upsert_awards(connection, [_award(20, 1, 2), _award(21, 1, 2), _award(22, 1, 2)])
    outbox = Outbox(cache)
    # The moderator names the grant (the middle one); without a name the newest goes.
    outbox.queue(ActionKind.REVOKE, [{"member_id": 1, "badge_id": 2, "reason": "", "award_id": 21}])
    outbox.queue_revokes([1], 2)
    outbox.send_pending(Revokes())
    assert _grants(cache, 1, 2) == [20]
    cache.close()
