"""The user's work lives apart from the mirror, and survives damage to either file.

The legacy cache under ``tests/data`` was written by BadgeDesk before the
split (see ``tests/data/make_legacy_cache.py``): 315 awards (300 pending in a
batch, 7 held, 5 failed, 3 done), a badge draft with its unsent save, the
default award message, the moderator's name and the outbox paused.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.cache import opening, storage
from desktop.cache.database import Cache
from desktop.domain import ActionState
from desktop.outbox import Outbox
from tests.core.test_cache import badge, member

LEGACY = Path(__file__).parents[1] / "data" / "legacy_cache_0004.sqlite3"
LEGACY_STATES = {"pending": 301, "held": 7, "failed": 5, "done": 3}  # 301: 300 awards + the draft's save


def legacy_profile(tmp_path: Path) -> Path:
    profile = tmp_path / "profile"
    profile.mkdir()
    shutil.copy(LEGACY, profile / storage.LEGACY_NAME)
    return profile


def states(cache: Cache) -> dict[str, int]:
    with cache.read() as connection:
        rows = connection.exec_driver_sql("SELECT state, count(*) FROM actions GROUP BY state")
        return {str(state): int(n) for state, n in rows}


def test_an_old_one_file_cache_is_split_without_losing_an_action(tmp_path: Path) -> None:
    profile = legacy_profile(tmp_path)
    cache = Cache(profile)
    assert states(cache) == LEGACY_STATES
    outbox = Outbox(cache)
    assert outbox.paused() and outbox.actor == "Alice Moderator"
    assert cache.preferences()["award_message_default"] == "Well done {member}!"
    [batch] = outbox.batches()
    assert batch.unsent == 300
    with cache.read() as connection:
        assert connection.exec_driver_sql("SELECT title FROM badge_drafts").scalar() == "Legacy draft"
        # The draft's unsent save names its draft in the column the store finds it by.
        draft_id = connection.exec_driver_sql("SELECT id FROM badge_drafts").scalar()
        saves = connection.exec_driver_sql("SELECT draft_id FROM actions WHERE kind = 'badge-save'").all()
        assert saves == [(draft_id,)]
        mirror_tables = {r[0] for r in connection.exec_driver_sql("SELECT name FROM mirror.sqlite_master")}
    # The mirror kept the community and the sync position, and nothing of the user's work.
    assert cache.counts().members == 400
    assert cache.sync_state()["changes.cursor"] == "42"
    assert not {"actions", "batches", "batch_rows", "badge_drafts"} & mirror_tables
    assert not set(cache.sync_state()) & set(storage.PREFERENCE_KEYS)
    assert not (profile / storage.LEGACY_NAME).exists()
    assert cache.notices == []
    cache.close()


def test_a_split_interrupted_after_the_copy_adds_nothing_twice(tmp_path: Path) -> None:
    profile = legacy_profile(tmp_path)
    # The copy committed, then the process died before the mirror dropped its tables.
    with sqlite3.connect(profile / storage.LEGACY_NAME) as source:
        storage.copy_work(source, profile / storage.WORK_NAME)
    cache = Cache(profile)
    assert states(cache) == LEGACY_STATES
    cache.close()


def test_committed_work_is_in_the_work_file_itself_after_a_kill(tmp_path: Path) -> None:
    """300 queued awards, SIGKILL, every -wal file deleted: all 300 are still there.

    Before the split the actions lived in one WAL-mode file, and a deleted WAL
    took them with it.
    """
    profile = tmp_path / "profile"
    Cache(profile).close()
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from desktop.cache.database import Cache
        from desktop.outbox import Outbox
        cache = Cache(Path({str(profile)!r}))
        Outbox(cache, actor="Alice").queue_awards(range(1, 301), 1)
        print("queued", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == -signal.SIGKILL and "queued" in result.stdout, result.stderr
    for wal in profile.glob("*-wal"):
        wal.unlink()
    cache = Cache(profile)
    assert states(cache) == {"pending": 300}
    cache.close()


def _populated(profile: Path, actions: int = 300) -> None:
    cache = Cache(profile)
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 2001)])
        Cache.upsert_badges(connection, [badge(1)])
        Cache.set_sync_state(connection, {"last_sync_at": "2025-01-01T00:00:00+00:00", "changes.cursor": "7"})
    Outbox(cache, actor="Alice").queue_awards(range(1, actions + 1), 1, reason="x" * 200)
    cache.close()


def _overwrite_page(path: Path, table: str) -> int:
    """Overwrite one page holding rows of ``table`` (a leaf in the middle) with garbage."""
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    data = bytearray(path.read_bytes())
    # The root of a multi-page table is an interior page; its cell pointers name the leaves.
    offset = (root - 1) * page_size + (100 if root == 1 else 0)
    assert data[offset] == 0x05, "expected an interior table page"
    cells = int.from_bytes(data[offset + 3 : offset + 5], "big")
    pointer = int.from_bytes(data[offset + 12 + 2 * (cells // 2) : offset + 14 + 2 * (cells // 2)], "big")
    cell = (root - 1) * page_size + pointer
    leaf = int.from_bytes(data[cell : cell + 4], "big")
    start = (leaf - 1) * page_size
    # A fixed pattern, not random bytes (which might pass for a page now and then).
    data[start : start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))
    return leaf


def test_a_page_overwritten_in_the_work_file_is_salvaged_and_the_rest_kept(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    _populated(profile)
    _overwrite_page(profile / storage.WORK_NAME, "actions")
    cache = Cache(profile)
    kept = sorted(profile.glob("work.damaged-*.sqlite3"))
    assert len(kept) == 1
    [notice] = cache.notices
    recovered = states(cache).get("pending", 0)
    # A leaf holds a few dozen of these actions: the rest are all there, and the loss is counted.
    assert 200 < recovered < 300
    assert f"recovered {recovered:,} actions" in notice
    assert f"about {300 - recovered:,} could not be read" in notice
    assert str(kept[0]) in notice
    # The mirror was not touched; the outbox still works on what was recovered.
    assert cache.counts().members == 2000
    Outbox(cache).queue_awards([1999], 1)
    cache.close()


def test_a_work_file_truncated_to_half_is_salvaged(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    _populated(profile, actions=600)
    work = profile / storage.WORK_NAME
    with work.open("r+b") as handle:
        handle.truncate(work.stat().st_size // 2)
    cache = Cache(profile)
    [notice] = cache.notices
    assert "damaged" in notice and "work.damaged-" in notice
    recovered = sum(states(cache).values())
    assert recovered > 0 and f"recovered {recovered:,} actions" in notice
    # Every recovered action can be read: a row whose state the damage garbled
    # waits as failed, for the user to retry or skip (not a crash of the outbox).
    kept = Outbox(cache).actions()
    assert len(kept) == recovered
    assert set(states(cache)) <= {"pending", "failed"}
    assert all(a.last_error == storage.unreadable_state() for a in kept if a.state is ActionState.FAILED)
    assert cache.counts().members == 2000
    cache.close()


@pytest.mark.parametrize("damage", ["truncate", "page"])
def test_a_damaged_mirror_is_set_aside_and_the_work_kept(tmp_path: Path, damage: str) -> None:
    profile = tmp_path / "profile"
    _populated(profile)
    mirror = profile / storage.MIRROR_NAME
    if damage == "truncate":
        with mirror.open("r+b") as handle:
            handle.truncate(mirror.stat().st_size // 2)
    else:
        _overwrite_page(mirror, "members")
    cache = Cache(profile)
    [notice] = cache.notices
    assert "being rebuilt by the next sync" in notice and "queued work is safe" in notice
    assert len(list(profile.glob("mirror.damaged-*.sqlite3"))) == 1
    # An empty mirror: the next sync is a first full sync.
    assert cache.counts().members == 0 and cache.sync_state() == {}
    assert states(cache) == {"pending": 300}
    cache.close()


def test_a_mirror_opened_unchecked_is_checked_later_and_repaired(tmp_path: Path) -> None:
    """The app opens the mirror without its integrity check (its window waits for the opening):
    the damage is found by the later check, and recover sets the mirror aside, the work kept."""
    profile = tmp_path / "profile"
    _populated(profile)
    _overwrite_page(profile / storage.MIRROR_NAME, "members")
    cache = Cache(profile, check_mirror=False)
    assert cache.notices == []
    assert cache.mirror_damage(budget=30.0) is not None
    [notice] = cache.recover()
    assert "being rebuilt by the next sync" in notice
    assert cache.mirror_damage(budget=30.0) is None
    assert states(cache) == {"pending": 300}
    cache.close()


@pytest.mark.parametrize("damage", ["truncate", "header"])
def test_a_mirror_opened_unchecked_whose_schema_cannot_be_read_is_set_aside_at_once(
    tmp_path: Path, damage: str
) -> None:
    """Left unchecked, a mirror damaged where opening reads it is still set aside, never a failed start."""
    profile = tmp_path / "profile"
    _populated(profile)
    mirror = profile / storage.MIRROR_NAME
    if damage == "truncate":
        with mirror.open("r+b") as handle:
            handle.truncate(mirror.stat().st_size // 2)
    else:
        data = bytearray(mirror.read_bytes())
        data[:100] = b"\xa5" * 100
        mirror.write_bytes(bytes(data))
    cache = Cache(profile, check_mirror=False)
    [notice] = cache.notices
    assert "being rebuilt by the next sync" in notice
    assert cache.counts().members == 0 and states(cache) == {"pending": 300}
    cache.close()


def test_an_old_one_file_cache_is_checked_whole_even_when_the_mirror_check_is_left_for_later(
    tmp_path: Path,
) -> None:
    """It holds the user's work: its damage is dealt with at open, as before."""
    profile = legacy_profile(tmp_path)
    _overwrite_page(profile / storage.LEGACY_NAME, "actions")
    cache = Cache(profile, check_mirror=False)
    assert any("being rebuilt" in n for n in cache.notices)
    assert len(list(profile.glob("mirror.damaged-*.sqlite3"))) == 1
    cache.close()


def test_a_damaged_one_file_cache_gives_up_its_work_before_it_is_set_aside(tmp_path: Path) -> None:
    profile = legacy_profile(tmp_path)
    legacy = profile / storage.LEGACY_NAME
    _overwrite_page(legacy, "members")
    cache = Cache(profile)
    assert states(cache) == LEGACY_STATES
    assert cache.preferences()["me.name"] == "Alice Moderator"
    assert cache.counts().members == 0
    assert any("being rebuilt" in n for n in cache.notices)
    cache.close()


def test_the_integrity_check_of_a_large_mirror_is_bounded(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    _populated(profile)
    mirror = profile / storage.MIRROR_NAME
    assert storage.check_integrity(mirror) is None
    _overwrite_page(mirror, "members")
    assert storage.check_integrity(mirror) is not None
    # A budget too small to reach the damage stops the check: "nothing found", not damage.
    assert storage.check_integrity(mirror, budget=0.0) is None


def test_damage_found_while_running_is_repaired_without_losing_work(tmp_path: Path) -> None:
    """SQLite says "malformed" in the middle of a session: both files are checked again, the
    damaged mirror set aside (the next sync rebuilds it), the queued work kept."""
    profile = tmp_path / "profile"
    _populated(profile)
    cache = Cache(profile)
    cache.engine.dispose()
    _overwrite_page(cache.mirror_path, "members")
    with pytest.raises(Exception) as caught:
        cache.members_by_ids(range(1, 2001))
    assert storage.is_damage(caught.value)
    [notice] = cache.recover()
    assert "being rebuilt" in notice
    assert cache.counts().members == 0 and states(cache) == {"pending": 300}
    assert cache.recover() == []  # sound now: nothing to do
    cache.close()


def test_an_old_cache_with_a_damaged_page_of_actions_is_kept_and_what_can_be_read_moves(
    tmp_path: Path,
) -> None:
    """An old one-file cache holds the user's work: it is checked whole (no time budget), what can
    be read moves into the work file, the loss is counted, and the old file is kept, never emptied."""
    profile = legacy_profile(tmp_path)
    _overwrite_page(profile / storage.LEGACY_NAME, "actions")
    cache = Cache(profile, mirror_check_budget=0.0)
    salvage, rebuilt = cache.notices
    recovered = sum(states(cache).values())
    assert 200 < recovered < 316
    assert f"recovered {recovered:,} actions; about {316 - recovered:,} could not be read" in salvage
    assert "being rebuilt" in rebuilt
    [kept] = profile.glob("mirror.damaged-*.sqlite3")
    with sqlite3.connect(kept) as old:  # the old file still has its tables
        assert old.execute("SELECT count(*) FROM sqlite_master WHERE name = 'actions'").fetchone()[0] == 1
    cache.close()


def test_a_damaged_file_is_not_replaced_while_another_window_has_the_profile_open(tmp_path: Path) -> None:
    """The other window would go on writing to the file set aside (its work lost): the repair waits."""
    profile = tmp_path / "profile"
    _populated(profile)
    first = Cache(profile)
    first.engine.dispose()
    _overwrite_page(first.work_path, "actions")
    second = Cache(profile)
    assert second.notices == [opening.in_use_elsewhere()]
    assert second.recover() == [opening.in_use_elsewhere()]
    assert not list(profile.glob("work.damaged-*")) and second.generation == 0
    second.close()
    first.close()
    alone = Cache(profile)
    [notice] = alone.notices
    assert "recovered" in notice and list(profile.glob("work.damaged-*"))
    alone.close()


def test_the_head_read_from_the_migration_scripts_is_alembics() -> None:
    """Opening a cache at head skips alembic by reading the scripts' revision lines: they must agree."""
    assert storage._listed_head(storage._MIRROR_MIGRATIONS) == storage.mirror_head()
    assert storage._listed_head(storage._WORK_MIGRATIONS) == storage.work_head()


def test_a_cache_at_head_opens_without_alembic(tmp_path: Path) -> None:
    """Alembic (0.2 s to import) is loaded only when a file needs an upgrade."""
    profile = tmp_path / "profile"
    Cache(profile).close()
    script = f"""
import sys
from pathlib import Path
from desktop.cache.database import Cache
Cache(Path({str(profile)!r}), check_mirror=False).close()
print(sorted(m for m in sys.modules if m.split(".")[0] == "alembic"))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
