"""A batch that corrects another: the work migration, ``corrects`` stored and read, the audit names it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.audit import AuditFilter, audit_entries
from desktop.batches import ListSource, dry_run, queue_batch
from desktop.cache import storage
from desktop.cache.database import Cache
from desktop.domain import ActionKind
from desktop.outbox import Outbox
from tests.core.test_cache import badge, member

W0001 = Path(__file__).parents[1] / "data" / "work_w0001.sqlite3"


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 11)])
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        Cache.set_preferences(connection, {"me.name": "Alice Moderator"})
    yield cache
    cache.close()


def test_the_w0005_migration_adds_corrects_and_keeps_every_batch(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / storage.WORK_NAME).write_bytes(W0001.read_bytes())
    with sqlite3.connect(profile / storage.WORK_NAME) as connection:
        before = connection.execute("SELECT * FROM batches").fetchall()
    Cache(profile).close()
    with sqlite3.connect(profile / storage.WORK_NAME) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(batches)")]
        after = connection.execute("SELECT * FROM batches").fetchall()
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert "corrects" in columns
    assert version == storage.work_head()
    # Every batch as it was, correcting nothing.
    assert len(after) == len(before) == 1
    assert after[0][: len(before[0])] == before[0]
    assert after[0][columns.index("corrects")] is None


def test_corrects_is_stored_read_and_named_in_the_audit(cache: Cache) -> None:
    outbox = Outbox(cache)
    first = outbox.queue_batch(ActionKind.AWARD, 1, list(range(1, 11)), reason="contest")
    assert first.corrects is None
    members = outbox.batch_members(first.id)
    assert [m for m, _name in members] == list(range(1, 11))
    assert members[0][1] == "Ann Example (@user1)"

    chosen = [m for m, _name in members][:7]
    plan = dry_run(cache, ListSource.selection(chosen), ActionKind.REVOKE, 1)
    # Nothing was sent yet: the dry run counts none held, but the batch is built from the selection.
    revoke = outbox.queue_batch(
        ActionKind.REVOKE, 1, plan.member_ids or chosen, reason="wrong winners", corrects=first.id
    )
    award = queue_batch(
        outbox,
        dry_run(cache, ListSource.selection(chosen), ActionKind.AWARD, 2),
        reason="the right badge",
        message="Sorry, this one!",
        corrects=first.id,
    )
    stored = outbox.batch(revoke.id)
    assert stored is not None and stored.corrects == first.id
    stored = outbox.batch(award.id)
    assert stored is not None and stored.corrects == first.id and stored.message == "Sorry, this one!"
    assert outbox.batch(first.id) is not None

    entries = audit_entries(cache, AuditFilter())
    correcting = [e for e in entries if e.corrects_id == first.id]
    assert len(correcting) == 14
    assert {e.corrects for e in correcting} == {first.title}
    assert all(f"corrects {first.title}" in e.detail for e in correcting)
    assert {e.reason for e in correcting} == {"wrong winners", "the right badge"}
    assert not [e for e in entries if e.batch_id == first.id and e.corrects_id]
