"""The two SQLite files of a profile's cache: names, pragmas, integrity checks, upgrades, copying work.

A profile directory holds ``work.sqlite3`` (the user's own work) and
``mirror.sqlite3`` (the server's community as last synced); see
:mod:`desktop.cache.schema`. The steps that open a profile safely with these
are :mod:`desktop.cache.opening`'s. :func:`copy_work` moves the user's work
out of an old one-file cache or a damaged work file, stepping over damaged
pages.

Nothing here imports Qt; everything runs on the caller's thread.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry, NullPool

from desktop.domain import ActionKind, ActionState
from desktop.i18n import _

if TYPE_CHECKING:
    from alembic.config import Config

WORK_NAME = "work.sqlite3"
MIRROR_NAME = "mirror.sqlite3"
#: The one-file cache of BadgeDesk before the split (schema revisions 0001–0004).
LEGACY_NAME = "cache.sqlite3"
#: A salvaged work file being written; renamed to WORK_NAME when complete.
SALVAGE_NAME = "work.salvage.sqlite3"
#: Files SQLite keeps beside a database.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")

_MIRROR_MIGRATIONS = Path(__file__).with_name("migrations")
_WORK_MIGRATIONS = Path(__file__).with_name("work_migrations")

#: Tables of the work file, in the order their rows are copied.
WORK_TABLES = (
    "actions",
    "batches",
    "batch_rows",
    "badge_drafts",
    "kept_award_messages",
    "badge_groups",
    "programs",
    "program_runs",
    "program_actions",
    "one_holder_badges",
    "preferences",
)
#: Preferences an old one-file cache kept among its sync state.
PREFERENCE_KEYS = ("outbox.paused", "me.name", "award_message_default")
#: Words in SQLite's messages that mean the file itself is damaged.
_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "file is encrypted")

WORK_PRAGMAS = (
    # A rollback journal: a committed transaction is in the file itself, not
    # only in a write-ahead log beside it that a crash or a cleanup can lose.
    "PRAGMA journal_mode=DELETE",
    "PRAGMA synchronous=FULL",
)
MIRROR_PRAGMAS = (
    # WAL lets the GUI's readers run while a sync writes.
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    # After a checkpoint resets the log, its file shrinks back to this size.
    f"PRAGMA journal_size_limit={64 * 1024 * 1024}",
)


def is_damage(error: BaseException) -> bool:
    """Whether SQLite said that a file is damaged (not busy, full or missing).

    Only SQLite's own errors count (SQLAlchemy's wrap them as ``orig``): a
    server's "malformed response" says nothing about the files.
    """
    cause = getattr(error, "orig", None) or error
    if not isinstance(cause, sqlite3.DatabaseError):
        return False
    text = str(cause).lower()
    return any(word in text for word in _DAMAGE_WORDS)


class WorkNotMoved(Exception):
    """Moving an old cache's work out found rows it could not read; nothing was dropped."""


@dataclass(frozen=True, slots=True)
class Salvage:
    """What could be read from a damaged file, per table."""

    recovered: dict[str, int] = field(default_factory=dict)
    #: Rows seen to be there but unreadable (an estimate where ids are sparse).
    lost: dict[str, int] = field(default_factory=dict)
    #: Tables whose structure could not be read at all.
    unreadable: tuple[str, ...] = ()


# --- checks -------------------------------------------------------------------------


def check_integrity(path: Path, *, budget: float | None = None) -> str | None:
    """``None`` when the file looks healthy, else SQLite's short reason.

    ``budget`` bounds the check in seconds (a large mirror); a check that
    runs out of time has found nothing wrong so far and counts as healthy.
    """
    if not path.exists():
        return None
    try:
        connection = sqlite3.connect(path, timeout=10)
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            return str(error)
        raise  # cannot be opened (permissions, a missing folder): not damage
    try:
        if budget is not None:
            deadline = time.monotonic() + budget
            # Often enough that even a zero budget stops before the first damaged page of a table.
            connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 1_000)
        rows = connection.execute("PRAGMA quick_check(3)").fetchall()
    except sqlite3.OperationalError as error:
        if "interrupt" in str(error).lower():
            return None
        if is_damage(error):
            return str(error)
        raise
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            return str(error)
        raise
    finally:
        connection.close()
    if rows == [("ok",)]:
        return None
    return "; ".join(str(row[0]) for row in rows)


def set_aside(path: Path, label: str = "damaged") -> Path:
    """Rename a database (and the files SQLite keeps beside it) out of the way."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.{label}-{stamp}-{n}{path.suffix}")
    # The side files first: a crash in between leaves them with no database,
    # which SQLite ignores, never a database paired with the wrong log.
    for suffix in SIDE_SUFFIXES:
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.replace(side, f"{target}{suffix}")
    os.replace(path, target)
    return target


def remove_database(path: Path) -> None:
    for suffix in SIDE_SUFFIXES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.unlink(missing_ok=True)


# --- migrations -----------------------------------------------------------------------


def _alembic_config(location: Path, connection: Any, **attributes: Any) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    config.attributes.update(attributes)
    return config


def _head(location: Path) -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(location))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def mirror_head() -> str:
    """The newest mirror migration this BadgeDesk ships."""
    return _head(_MIRROR_MIGRATIONS)


def work_head() -> str:
    """The newest work-file migration this BadgeDesk ships."""
    return _head(_WORK_MIGRATIONS)


def _file_engine(path: Path, pragmas: tuple[str, ...]) -> Any:
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool, hide_parameters=True)

    def on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in ("PRAGMA busy_timeout=10000", *pragmas):
            cursor.execute(pragma)
        cursor.close()

    event.listen(engine, "connect", on_connect)
    return engine


#: A migration script's ``revision = "0010"`` and ``down_revision = "0009"`` (or ``None``).
_REVISION_LINE = re.compile(r'^(revision|down_revision) = (?:"([^"]+)"|None)$', re.MULTILINE)


def _listed_head(location: Path) -> str | None:
    """The newest revision among ``location``'s scripts, read from their revision lines (None when
    they do not name exactly one): telling that a file is at head needs no alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (location / "versions").glob("*.py"):
        lines = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        if lines.get("revision"):
            revisions.add(lines["revision"])
            parents.add(lines.get("down_revision", ""))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(path: Path, location: Path, pragmas: tuple[str, ...]) -> bool:
    """Whether the file at ``path`` already has the newest schema (its pragmas set, as alembic's
    connection would); reading it with sqlite3 keeps alembic (0.2 s) off the app's start."""
    head = _listed_head(location)
    if head is None or not path.exists():
        return False
    connection = sqlite3.connect(path, timeout=10)
    try:
        for pragma in ("PRAGMA busy_timeout=10000", *pragmas):
            connection.execute(pragma)
        try:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.OperationalError:
            return False  # no alembic_version table: never migrated
    finally:
        connection.close()
    return rows == [(head,)]


def _upgrade(path: Path, location: Path, pragmas: tuple[str, ...], **attributes: Any) -> None:
    if _at_head(path, location, pragmas):
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    engine = _file_engine(path, pragmas)
    try:
        with engine.begin() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if current != _head(location):
                command.upgrade(_alembic_config(location, connection, **attributes), "head")
    finally:
        engine.dispose()


def upgrade_work(path: Path) -> None:
    _upgrade(path, _WORK_MIGRATIONS, WORK_PRAGMAS)


def upgrade_mirror(path: Path, work_path: Path) -> None:
    """Bring a mirror to the newest schema (moving an old cache's work to ``work_path``)."""
    _upgrade(path, _MIRROR_MIGRATIONS, MIRROR_PRAGMAS, work_path=str(work_path))


# --- copying the user's work --------------------------------------------------------------


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    return [str(row[1]) for row in connection.execute(f"PRAGMA table_info({table})")]


def _indexed_extent(connection: sqlite3.Connection, table: str) -> tuple[int, int] | None:
    """(rows, largest rowid) of ``table`` read from one of its indexes, which are
    b-trees of their own and often intact when a page of the table is not."""
    try:
        indexes = [str(row[1]) for row in connection.execute(f'PRAGMA index_list("{table}")')]
    except sqlite3.DatabaseError:
        return None
    for index in indexes:
        try:
            count, top = connection.execute(
                f'SELECT count(*), max(rowid) FROM "{table}" INDEXED BY "{index}"'
            ).fetchone()
        except sqlite3.DatabaseError:
            continue
        return int(count), int(top or 0)
    return None


def _readable_rows(
    connection: sqlite3.Connection, table: str, columns: list[str], failures: list[int]
) -> Iterator[tuple[Any, ...]]:
    """Every row of ``table`` that can be read, in rowid order, stepping over damaged pages.

    A scan that hits a damaged page continues by looking up the following
    rowids one at a time (up to the largest rowid an index or the table
    knows): a lookup that finds a row resumes the scan from there.
    """
    names = ", ".join(f'"{c}"' for c in columns)
    scan = f'SELECT rowid, {names} FROM "{table}" WHERE rowid > ? ORDER BY rowid'
    lookup = f'SELECT rowid, {names} FROM "{table}" WHERE rowid = ?'
    try:
        top: int | None = connection.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0]
    except sqlite3.DatabaseError:
        extent = _indexed_extent(connection, table)
        top = None if extent is None else extent[1]
    last = -(2**63)
    while True:
        try:
            for row in connection.execute(scan, (last,)):
                last = row[0]
                yield row[1:]
            return
        except sqlite3.DatabaseError:
            pass
        probe, misses = max(last + 1, 0), 0
        while True:
            # Without a known end, a long run of unreadable ids ends the search.
            if (top is not None and probe > top) or (top is None and misses > 20_000):
                return
            try:
                found = connection.execute(lookup, (probe,)).fetchone()
            except sqlite3.DatabaseError:
                failures[0] += 1
                found = None
            if found is None:
                probe += 1
                misses += 1
                continue
            last = found[0]
            yield found[1:]
            break


def copy_work(source: sqlite3.Connection, work_path: Path) -> Salvage:
    """Copy the user's work from ``source`` (an old one-file cache or a damaged
    work file) into the work file at ``work_path``, committed durably.

    Rows already there are kept (``INSERT OR IGNORE``), so repeating a copy
    that was interrupted adds nothing twice. Damaged pages of the source are
    stepped over and counted.
    """
    upgrade_work(work_path)
    recovered: dict[str, int] = {}
    lost_rows: dict[str, int] = {}
    unreadable: list[str] = []
    target = sqlite3.connect(work_path, timeout=10, isolation_level=None)
    try:
        for pragma in WORK_PRAGMAS:
            target.execute(pragma)
        target.execute("BEGIN IMMEDIATE")
        source_tables = _source_tables(source)
        for table in WORK_TABLES:
            if table not in source_tables:
                continue
            try:
                columns = [c for c in _columns(source, table) if c in set(_columns(target, table))]
            except sqlite3.DatabaseError:
                unreadable.append(table)
                continue
            if not columns:
                continue  # not a table of this file (its schema could not be listed)
            failures = [0]
            marks = ", ".join("?" * len(columns))
            names = ", ".join(f'"{c}"' for c in columns)
            insert = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})'
            changes_before = target.total_changes
            batch: list[tuple[Any, ...]] = []
            for row in _readable_rows(source, table, columns, failures):
                if table == "actions":
                    sound = _sound_action(columns, row)
                    if sound is None:
                        failures[0] += 1
                        continue
                    row = sound
                batch.append(row)
                if len(batch) >= 1000:
                    target.executemany(insert, batch)
                    batch.clear()
            target.executemany(insert, batch)
            recovered[table] = count = target.total_changes - changes_before
            if failures[0]:
                # How many rows the table had, from an index when one can be read;
                # without one the number is unknown (-1), not guessed.
                extent = _indexed_extent(source, table)
                lost_rows[table] = -1 if extent is None else max(extent[0] - count, 0)
        if "actions" in recovered:
            # A file from before saves named their draft in a column of their own.
            target.execute(
                "UPDATE actions SET draft_id = json_extract(payload, '$.draft_id')"
                " WHERE kind = 'badge-save' AND draft_id IS NULL AND json_valid(payload)"
            )
        if "sync_state" in source_tables:
            # An old one-file cache kept the community's preferences there.
            try:
                marks = ", ".join("?" * len(PREFERENCE_KEYS))
                rows = source.execute(
                    f"SELECT key, value FROM sync_state WHERE key IN ({marks})", PREFERENCE_KEYS
                ).fetchall()
            except sqlite3.DatabaseError:
                rows = []
                unreadable.append("sync_state")
            target.executemany("INSERT OR IGNORE INTO preferences (key, value) VALUES (?, ?)", rows)
            recovered["preferences"] = recovered.get("preferences", 0) + len(rows)
        target.execute("COMMIT")
    except BaseException:
        if target.in_transaction:
            target.execute("ROLLBACK")
        raise
    finally:
        target.close()
    return Salvage(recovered, lost_rows, tuple(unreadable))


_ACTION_KINDS = frozenset(kind.value for kind in ActionKind)
_ACTION_STATES = frozenset(state.value for state in ActionState)


def unreadable_state() -> str:
    """Why a salvaged action whose state could not be read waits for the user (its last error)."""
    return _(
        "Recovered from a damaged file, but whether it was sent could not be read;"
        " retry it (the server will not apply it twice) or skip it"
    )


def _sound_action(columns: list[str], row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """A salvaged action as it can be kept, or None when what it is cannot be read.

    A damaged page can yield a row of garbage that SQLite reads without
    complaint: an action whose kind or payload is unreadable is not the
    user's work any more (it is counted as lost); one whose state is
    unreadable is kept as failed, for the user to retry or skip.
    """
    values = dict(zip(columns, row, strict=True))
    try:
        payload_ok = isinstance(json.loads(values.get("payload") or ""), dict)
    except (TypeError, ValueError, RecursionError):
        payload_ok = False
    key = values.get("idempotency_key")
    if values.get("kind") not in _ACTION_KINDS or not payload_ok or not isinstance(key, str) or not key:
        return None
    if values.get("state") not in _ACTION_STATES and "state" in values:
        values.update(state=ActionState.FAILED.value, claimed_by=None, lease_until=None)
        if "last_error" in values:
            values["last_error"] = unreadable_state()
    return tuple(values[c] for c in columns)


def _source_tables(source: sqlite3.Connection) -> set[str]:
    try:
        return {str(row[0]) for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        # The schema page itself is damaged: try every table by name.
        return {*WORK_TABLES, "sync_state"}
