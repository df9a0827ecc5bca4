"""The work file's migrations keep every action: a file made by the previous schema, upgraded."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from desktop.cache import schema, storage
from desktop.cache.database import Cache
from desktop.designer.drafts import BadgeDrafts
from desktop.domain import ActionState
from desktop.outbox import Outbox

DATA = Path(__file__).parents[1] / "data"
#: Made by tests/data/make_work_w0001.py with the code of work revision w0001.
W0001 = DATA / "work_w0001.sqlite3"


def _rows(path: Path) -> dict[int, tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return {
            row[0]: row
            for row in connection.execute(
                "SELECT id, kind, payload, idempotency_key, state, attempts, last_error, result, batch_id,"
                " member_id, badge_id, request_id, actor, outcome, hold_reason, claimed_by, lease_until"
                " FROM actions"
            )
        }


def test_every_action_of_a_w0001_work_file_survives_the_upgrade(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    shutil.copy(W0001, profile / storage.WORK_NAME)
    before = _rows(profile / storage.WORK_NAME)
    assert {row[4] for row in before.values()} == {"pending", "held", "failed", "sending", "done", "conflict"}

    cache = Cache(profile)
    cache.close()

    after = _rows(profile / storage.WORK_NAME)
    # Every action, with its key, state, history and claim, exactly as it was.
    assert after == before
    with sqlite3.connect(profile / storage.WORK_NAME) as connection:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        saves = connection.execute(
            "SELECT payload, draft_id FROM actions WHERE kind = 'badge-save'"
        ).fetchall()
        drafts = {row[0] for row in connection.execute("SELECT id FROM badge_drafts")}
    assert version == storage.work_head()
    # Each save names its draft in the typed column now, as its payload did.
    assert len(saves) == 2
    assert all(json.loads(payload)["draft_id"] == draft_id for payload, draft_id in saves)
    assert {draft_id for _p, draft_id in saves} == drafts


def test_the_upgraded_work_is_usable_by_the_outbox_and_the_designer(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    shutil.copy(W0001, profile / storage.WORK_NAME)
    cache = Cache(profile)
    outbox = Outbox(cache)
    assert outbox.actor == "Alice Moderator"
    counts = outbox.counts()
    assert counts[ActionState.PENDING] == 40 + 2 + 1 + 2 + 1  # the batch, revokes, a decision, saves, a state
    assert counts[ActionState.HELD] == 6 and counts[ActionState.FAILED] == 4
    assert counts[ActionState.SENDING] == 3 and counts[ActionState.CONFLICT] == 1
    [batch] = outbox.batches()
    assert batch.pending == 40
    drafts = BadgeDrafts(cache, outbox)
    assert drafts.default_message() == "Well done {member}!"
    # The designer finds each draft's unsent save by the new column.
    _by_badge, by_draft = drafts.unsent_changes()
    assert len(by_draft) == 2
    assert outbox.retry_failed() == 4
    cache.close()


def test_a_salvaged_action_whose_kind_is_garbage_is_counted_lost_not_kept(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copy(W0001, damaged)
    with sqlite3.connect(damaged) as connection:
        first, second = [row[0] for row in connection.execute("SELECT id FROM actions ORDER BY id LIMIT 2")]
        connection.execute("UPDATE actions SET kind = x'00ff00' WHERE id = ?", (first,))
        connection.execute("UPDATE actions SET state = 'bogus' WHERE id = ?", (second,))
    source = sqlite3.connect(damaged)
    try:
        salvage = storage.copy_work(source, profile / storage.WORK_NAME)
    finally:
        source.close()
    total = len(_rows(damaged))
    assert salvage.recovered["actions"] == total - 1
    kept = _rows(profile / storage.WORK_NAME)
    assert first not in kept
    assert kept[second][4] == "failed" and kept[second][6] == storage.unreadable_state()


def test_every_table_the_migrations_make_is_salvaged(tmp_path: Path) -> None:
    # A damaged work file is salvaged table by table (storage.WORK_TABLES): a table a migration
    # creates but the list forgets would lose the user's work in it.
    cache = Cache(tmp_path / "profile")
    cache.close()
    with sqlite3.connect(tmp_path / "profile" / storage.WORK_NAME) as connection:
        made = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name != "alembic_version" and not name.startswith("sqlite_")
        }
    assert made == set(storage.WORK_TABLES)
    assert made == set(schema.work_metadata.tables)
