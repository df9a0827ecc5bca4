"""Batches are named for people: badge, local date, sequence number per badge, member count."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from desktop.audit import AuditFilter, audit_entries
from desktop.cache.database import Cache
from desktop.domain import ActionKind
from desktop.outbox import Outbox, OutboxError
from desktop.outbox import batches as batch_store
from desktop.outbox.batch_names import batch_name, batch_names, batches_named
from tests.core.test_cache import badge, member

#: 23:30 UTC: already the next day east of Greenwich.
T0 = datetime(2025, 6, 12, 23, 30, tzinfo=UTC)


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 50)])
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        Cache.set_preferences(connection, {"me.name": "Alice Moderator"})
    yield cache
    cache.close()


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[datetime]]:
    """The time batches are queued at (the last value of the list), on a machine set to UTC."""
    now = [T0]
    monkeypatch.setattr(batch_store, "utc_now", lambda: now[-1])
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield now
    monkeypatch.undo()
    time.tzset()


def names(cache: Cache, ids: list[str], tz: timezone = UTC) -> list[str]:
    with cache.read() as connection:
        found = batch_names(connection, ids, tz=tz)
    return [found[i] for i in ids]


def test_each_badge_numbers_its_own_batches_by_creation(cache: Cache, clock: list[datetime]) -> None:
    outbox = Outbox(cache)
    first = outbox.queue_batch(ActionKind.AWARD, 1, list(range(1, 41)))
    clock.append(T0 + timedelta(days=1))
    other = outbox.queue_batch(ActionKind.AWARD, 2, [1])
    second = outbox.queue_batch(ActionKind.REVOKE, 1, [1, 2])
    # Queued within the same second: the order they were written decides.
    third = outbox.queue_batch(ActionKind.AWARD, 1, [3])

    assert names(cache, [first.id, other.id, second.id, third.id]) == [
        "Badge 1 · 2025-06-12 · #1 · 40 members",
        "Badge 2 · 2025-06-13 · #1 · 1 member",
        "Badge 1 · 2025-06-13 · #2 · 2 members",
        "Badge 1 · 2025-06-13 · #3 · 1 member",
    ]
    # The outbox gives every batch its name: when queued, read, listed.
    assert third.name == third.title == "Badge 1 · 2025-06-13 · #3 · 1 member"
    assert outbox.batch(first.id) is not None
    assert outbox.batch(first.id).title == "Badge 1 · 2025-06-12 · #1 · 40 members"  # type: ignore[union-attr]
    assert [s.batch.name for s in outbox.batches()][-1] == "Badge 1 · 2025-06-12 · #1 · 40 members"
    # The id's label stays what it was: an undo's reason sent to the server names it.
    assert first.label == f"batch {first.id[:6]}"


def test_the_date_is_the_local_one(cache: Cache, clock: list[datetime]) -> None:
    batch = Outbox(cache).queue_batch(ActionKind.AWARD, 1, [1, 2])
    assert names(cache, [batch.id], tz=timezone(timedelta(hours=2))) == [
        "Badge 1 · 2025-06-13 · #1 · 2 members"
    ]


def test_an_undo_batch_is_named_for_what_it_undoes_and_takes_no_number(
    cache: Cache, clock: list[datetime]
) -> None:
    outbox = Outbox(cache)
    done = outbox.queue_batch(ActionKind.AWARD, 1, [1, 2, 3])
    with cache.write() as connection:  # as if sent: the undo reverses it
        connection.exec_driver_sql(
            "UPDATE actions SET state = 'done', outcome = 'awarded' WHERE batch_id = ?", (done.id,)
        )
    clock.append(T0 + timedelta(days=2))
    undo = outbox.undo_batch(done.id)
    assert undo is not None
    later = outbox.queue_batch(ActionKind.AWARD, 1, [4])
    assert undo.title == "Undo of Badge 1 · 2025-06-12 · #1 · 3 members"
    # The server keeps the reason the undo sent (by id); the audit log reads it by name.
    assert {a.payload["reason"] for a in outbox.actions(batch_id=undo.id)} == {f"undo of batch {done.id[:6]}"}
    reversals = [e for e in audit_entries(cache) if e.batch_id == undo.id]
    assert {(e.reason, e.batch) for e in reversals} == {(undo.title, undo.title)}
    assert names(cache, [later.id]) == ["Badge 1 · 2025-06-14 · #2 · 1 member"]
    # An undo of the undo names the whole chain.
    with cache.write() as connection:
        connection.exec_driver_sql(
            "UPDATE actions SET state = 'done', outcome = 'revoked' WHERE batch_id = ?", (undo.id,)
        )
    again = outbox.undo_batch(undo.id)
    assert again is not None
    assert again.title == "Undo of Undo of Badge 1 · 2025-06-12 · #1 · 3 members"


def test_an_unknown_or_deleted_badge_falls_back_to_its_number(cache: Cache, clock: list[datetime]) -> None:
    outbox = Outbox(cache)
    batch = outbox.queue_batch(ActionKind.AWARD, 12, [1])
    gone = outbox.queue_batch(ActionKind.AWARD, 2, [1])
    with cache.write() as connection:
        connection.exec_driver_sql("DELETE FROM badges WHERE id = 2")
    assert names(cache, [batch.id, gone.id]) == [
        "badge #12 · 2025-06-12 · #1 · 1 member",
        "badge #2 · 2025-06-12 · #1 · 1 member",
    ]


def test_unknown_ids_are_left_out_and_thousands_are_grouped(cache: Cache, clock: list[datetime]) -> None:
    batch = Outbox(cache).queue_batch(ActionKind.AWARD, 1, list(range(1, 1201)))
    with cache.read() as connection:
        assert batch_name(connection, "no such batch") is None
        assert batch_names(connection, ["nope", batch.id], tz=UTC) == {
            batch.id: "Badge 1 · 2025-06-12 · #1 · 1,200 members"
        }


def test_batches_are_found_by_name_or_id(cache: Cache, clock: list[datetime]) -> None:
    outbox = Outbox(cache)
    first = outbox.queue_batch(ActionKind.AWARD, 1, [1])
    clock.append(T0 + timedelta(days=1))
    second = outbox.queue_batch(ActionKind.AWARD, 2, [1])
    with cache.read() as connection:
        assert batches_named(connection, "badge 2", tz=UTC) == [second.id]
        assert batches_named(connection, "#1", tz=UTC) == [second.id, first.id]
        assert batches_named(connection, first.id[:6], tz=UTC) == [first.id]
        assert batches_named(connection, "  ", tz=UTC) == []


def test_the_audit_log_names_batches_and_the_mass_award_they_upload(
    cache: Cache, clock: list[datetime]
) -> None:
    outbox = Outbox(cache)
    batch = outbox.queue_batch(ActionKind.AWARD, 1, [1, 2], mass_award=True)
    name = "Badge 1 · 2025-06-12 · #1 · 2 members"
    entries = audit_entries(cache)
    assert [(e.kind, e.batch, e.batch_id) for e in entries] == [
        (ActionKind.AWARD, name, batch.id),
        (ActionKind.AWARD, name, batch.id),
        (ActionKind.MASS_AWARD, "", None),  # not one of the batch's actions…
    ]
    assert entries[-1].reason == f"mass award of {name}"  # …but it says whose upload it is
    assert [e.id for e in audit_entries(cache, AuditFilter(batch="badge 1 · 2025"))] == [3, 2]
    assert audit_entries(cache, AuditFilter(batch="no such batch")) == []


def test_undoing_twice_names_the_batch(cache: Cache, clock: list[datetime]) -> None:
    outbox = Outbox(cache)
    batch = outbox.queue_batch(ActionKind.AWARD, 1, [1])
    assert outbox.undo_batch(batch.id) is None  # nothing sent: dropped
    with pytest.raises(
        OutboxError, match="The batch Badge 1 · 2025-06-12 · #1 · 1 member was already undone"
    ):
        outbox.undo_batch(batch.id)
