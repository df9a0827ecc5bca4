"""The local SQLite cache of one community profile.

Opening a cache checks its two files (a damaged work file is salvaged, a
damaged mirror set aside) and upgrades their schemas with the bundled Alembic
migrations, so a cache written by an older BadgeDesk is brought up to date on
start (:mod:`desktop.cache.opening`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, func, select
from sqlalchemy.pool import ConnectionPoolEntry

from desktop.cache import bulk, kept_messages, locks, schema
from desktop.cache.bulk import insert_rows
from desktop.cache.gate import FileGate
from desktop.cache.opening import prepare_profile
from desktop.cache.rows import (
    award_from_row,
    award_row,
    badge_from_row,
    member_from_row,
    member_row,
    name_sort_key,
    opt_epoch,
    request_from_row,
    to_epoch,
)
from desktop.cache.storage import MIRROR_NAME, MIRROR_PRAGMAS, WORK_NAME, WORK_PRAGMAS, check_integrity
from desktop.domain import Award, AwardRow, Badge, BadgeRequest, Member, MemberRow, RequestState
from desktop.i18n import _

__all__ = [
    "PROFILE_LOCK_NAME",
    "Cache",
    "CacheCounts",
    "ProfileInUse",
]


@dataclass(frozen=True, slots=True)
class CacheCounts:
    members: int
    badges: int
    awards: int
    requests: int
    pending_requests: int


PROFILE_LOCK_NAME = "profile.lock"
#: While ``sync_state`` holds this key (a member id), the triggers on awards leave the badge
#: counts of the members from that id on alone (a full sync's bulk load, migration 0011):
#: :meth:`Cache.recount_badges` counts them again, a range at a time.
KEY_COUNTS_DEFERRED = "counts.deferred"
#: Members recounted per transaction: about a quarter of a second, so a send waits no longer.
RECOUNT_MEMBERS = 50_000


class ProfileInUse(Exception):
    """A file of the profile cannot be replaced while another window has the profile open."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Another BadgeDesk window or process has this community open: the new copy of the"
                " community is put in place by a sync once it is closed."
            )
        )


class Cache:
    """One community's cache: the work file, with the mirror attached (see :mod:`desktop.cache.schema`).

    Thread safety: reads may be called from any thread; each thread uses its own
    pooled connection and WAL keeps the mirror's readers from blocking on the
    writer. Writes are serialised by an internal lock; the application funnels
    them through one writer worker. Code that records a server's answer in
    both files commits the work file first and the mirror in a transaction of
    its own after it (one transaction over both would not do: SQLite commits
    the mirror's log before it deletes the work file's journal), so a crash
    in between leaves the mirror behind, which the next sync corrects.
    """

    def __init__(
        self, directory: Path, *, mirror_check_budget: float = 2.0, check_mirror: bool = True
    ) -> None:
        """``check_mirror``: False opens the mirror without its integrity check (:meth:`mirror_damage`
        runs it later); a check within even a zero budget reads for most of a second at a million
        members."""
        self.directory = directory
        self.work_path = directory / WORK_NAME
        self.mirror_path = directory / MIRROR_NAME
        # Shared by every open cache of this profile; repairs and swaps need it alone.
        self._profile = locks.ProfileLock(directory / PROFILE_LOCK_NAME)
        with self._profile.alone() as alone:
            #: What opening found and did that the user must be told (a salvaged
            #: work file, a damaged mirror set aside), one sentence each.
            self.notices: list[str] = prepare_profile(
                directory, mirror_check_budget=mirror_check_budget, alone=alone, check_mirror=check_mirror
            )
        self.engine: Engine = create_engine(
            f"sqlite:///{self.work_path}", pool_size=4, max_overflow=8, hide_parameters=True
        )
        event.listen(self.engine, "connect", self._on_connect)
        self._gate = FileGate()
        self._write_lock = threading.Lock()
        self._priority = threading.Condition()
        self._foreground = 0
        #: Counts the times the mirror file was replaced (a resync swapped in,
        #: a damaged one set aside): a sync that began before stops writing.
        self.generation = 0
        # One connection now, kept in the pool: the files SQLite keeps beside
        # the mirror exist from here on, so a disk that fills later fails
        # writes (which wait for room), never the first read.
        with self.read() as connection:
            connection.exec_driver_sql("SELECT 1 FROM mirror.sqlite_master LIMIT 1")

    def _on_connect(self, dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        # First: the pragmas after it may have to wait for another connection.
        cursor.execute("PRAGMA busy_timeout=10000")
        for pragma in WORK_PRAGMAS:
            cursor.execute(pragma.replace("PRAGMA ", "PRAGMA main.", 1))
        cursor.execute("ATTACH DATABASE ? AS mirror", (str(self.mirror_path),))
        for pragma in MIRROR_PRAGMAS:
            cursor.execute(pragma.replace("PRAGMA ", "PRAGMA mirror.", 1))
        cursor.close()

    def close(self) -> None:
        self.engine.dispose()
        self._profile.close()

    # --- transactions -------------------------------------------------------

    @contextmanager
    def write(self, *, background: bool = False) -> Iterator[Connection]:
        """One write transaction: everything inside commits together or not at all.

        ``background`` writes (sync pages) let waiting foreground writes (what
        the user waits for: queueing, sending) go first.
        """
        with self._gate.shared():
            if background:
                with self._priority:
                    self._priority.wait_for(lambda: self._foreground == 0, timeout=1.0)
            with self._foreground_turn(not background), self.engine.begin() as connection:
                yield connection

    @contextmanager
    def _foreground_turn(self, foreground: bool) -> Iterator[None]:
        if not foreground:
            with self._write_lock:
                yield
            return
        with self._priority:
            self._foreground += 1
        try:
            self._write_lock.acquire()
        finally:
            with self._priority:
                self._foreground -= 1
                self._priority.notify_all()
        try:
            yield
        finally:
            self._write_lock.release()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._gate.shared(), self.engine.connect() as connection:
            yield connection

    @contextmanager
    def user_waiting(self) -> Iterator[None]:
        """While this is open, background work (a sync) holds back its writes."""
        with self._priority:
            self._foreground += 1
        try:
            yield
        finally:
            with self._priority:
                self._foreground -= 1
                self._priority.notify_all()

    def user_work_waiting(self) -> bool:
        """Whether a write the user waits for is waiting: background work ends its transaction."""
        # One read of an int (atomic): a change just after is seen at the next slice.
        return self._foreground > 0

    def wait_for_user_work(self, cancel_check: Callable[[], None], limit: float = 60.0) -> None:
        """Background work calls this between steps: it returns once nothing the user waits for runs."""
        deadline = time.monotonic() + limit
        with self._priority:
            while self._foreground and time.monotonic() < deadline:
                self._priority.wait(0.1)
                cancel_check()

    # --- the mirror file -------------------------------------------------------

    def replace_mirror(self, new: Path) -> None:
        """Swap in a complete mirror built beside the live one (a full resync).

        Waits until no read or write is running; the old mirror is gone after.
        """
        with self._gate.exclusive(), self._profile.alone() as alone:
            if not alone:
                # Another window would go on with the old file (and could remove
                # the new one's log): the complete copy waits for the next sync.
                raise ProfileInUse()
            self.engine.dispose()
            # Closing the last connection checkpointed the old log; a stale
            # one must never be replayed into the new file.
            for suffix in ("-wal", "-shm"):
                Path(f"{self.mirror_path}{suffix}").unlink(missing_ok=True)
            os.replace(new, self.mirror_path)
            self.generation += 1

    def mirror_damage(self, budget: float) -> str | None:
        """SQLite's reason when a check of the mirror within ``budget`` seconds finds it damaged, else None.

        For a mirror opened without that check (``check_mirror=False``): the app checks it once
        start-up is over, and :meth:`recover` repairs what it finds.
        """
        return check_integrity(self.mirror_path, budget=budget)

    def recover(self) -> list[str]:
        """After SQLite called a file damaged while in use: check both files now and
        repair what is damaged as at open (the work salvaged, the mirror set aside
        for a sync to rebuild). Returns what the user must be told (nothing when
        both files are sound)."""
        with self._gate.exclusive(), self._profile.alone() as alone:
            self.engine.dispose()
            notices = prepare_profile(self.directory, mirror_check_budget=30.0, alone=alone)
            if notices and alone:
                self.generation += 1
        self.notices.extend(notices)
        return notices

    def checkpoint_mirror(self, *, above: int) -> int:
        """Keep the mirror's write-ahead log bounded: when it is over ``above`` bytes,
        checkpoint it and truncate it (waiting for readers of old snapshots to finish).

        Returns the log's size in bytes before (0 when below ``above``).
        """
        wal = Path(f"{self.mirror_path}-wal")
        try:
            size = wal.stat().st_size
        except FileNotFoundError:
            return 0
        if size <= above:
            return 0
        with self.read() as connection:
            # It waits for readers of older snapshots while holding off the
            # mirror's writers: briefly. Not done now, it is tried again later.
            connection.exec_driver_sql("PRAGMA busy_timeout=1000")
            try:
                connection.exec_driver_sql("PRAGMA mirror.wal_checkpoint(TRUNCATE)")
            finally:
                connection.exec_driver_sql("PRAGMA busy_timeout=10000")
        return size

    # --- preferences (work file) -------------------------------------------------

    def preferences(self) -> dict[str, str]:
        return self._pairs(schema.preferences)

    def _pairs(self, table: Table) -> dict[str, str]:
        with self.read() as connection:
            return {key: value for key, value in connection.execute(select(table.c.key, table.c.value))}

    @staticmethod
    def set_preferences(connection: Connection, values: Mapping[str, str | None]) -> None:
        """Within a write transaction: set (or with ``None`` remove) preferences."""
        _set_pairs(connection, "preferences", values)

    # --- sync state ---------------------------------------------------------

    def sync_state(self) -> dict[str, str]:
        return self._pairs(schema.sync_state)

    @staticmethod
    def set_sync_state(connection: Connection, values: Mapping[str, str | None]) -> None:
        """Within a write transaction: set (or with ``None`` remove) sync-state keys."""
        _set_pairs(connection, "sync_state", values)

    # --- bulk upserts (inside a write transaction) ----------------------------

    @staticmethod
    def upsert_members(connection: Connection, items: Iterable[Member]) -> None:
        Cache.upsert_member_rows(connection, [member_row(m) for m in items])

    @staticmethod
    def upsert_member_rows(connection: Connection, rows: Sequence[MemberRow]) -> None:
        insert_rows(
            connection,
            "INSERT INTO members (id, username, display_name, email, joined_at, last_seen_at,"
            " status, groups, trust_level, post_count, sort_name)",
            " ON CONFLICT(id) DO UPDATE SET"
            " username = excluded.username, display_name = excluded.display_name,"
            " email = excluded.email, joined_at = excluded.joined_at,"
            " last_seen_at = excluded.last_seen_at, status = excluded.status,"
            " groups = excluded.groups, sort_name = excluded.sort_name,"
            " trust_level = excluded.trust_level, post_count = excluded.post_count",
            [(*row, name_sort_key(row[2])) for row in rows],
        )

    @staticmethod
    def upsert_badges(connection: Connection, items: Iterable[Badge]) -> None:
        rows = [
            (
                b.id,
                b.slug,
                b.title,
                b.description,
                b.criteria,
                b.tier,
                b.category,
                b.state.value,
                b.award_message,
                b.version,
                b.image,
                b.image_media_type,
                opt_epoch(b.updated_at),
                int(b.multiple_grant),
            )
            for b in items
        ]
        if rows:
            connection.exec_driver_sql(
                "INSERT INTO badges (id, slug, title, description, criteria, tier, category, state,"
                " award_message, version, image, image_media_type, updated_at, multiple_grant)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
                " multiple_grant = excluded.multiple_grant,"
                " slug = excluded.slug, title = excluded.title, description = excluded.description,"
                " criteria = excluded.criteria, tier = excluded.tier, category = excluded.category,"
                " state = excluded.state, award_message = excluded.award_message,"
                " version = excluded.version, image = excluded.image,"
                " image_media_type = excluded.image_media_type, updated_at = excluded.updated_at",
                rows,
            )

    @staticmethod
    def upsert_awards(connection: Connection, items: Iterable[Award]) -> None:
        Cache.upsert_award_rows(connection, [award_row(a) for a in items])

    @staticmethod
    def upsert_award_rows(
        connection: Connection, rows: Sequence[AwardRow], *, replace_older: bool = True
    ) -> None:
        """``replace_older`` False: a full sync's bulk load, whose counts are deferred;
        :meth:`recount_badges` replaces the older grants then, a range of members at a time."""
        if rows:
            # An upsert, not INSERT OR REPLACE: a replaced row fires no delete trigger,
            # and the members' badge counts (triggers on awards) would count it twice.
            insert_rows(
                connection,
                "INSERT INTO awards (id, member_id, badge_id, granted_at, granted_by, reason)",
                " ON CONFLICT(id) DO UPDATE SET member_id = excluded.member_id,"
                " badge_id = excluded.badge_id, granted_at = excluded.granted_at,"
                " granted_by = excluded.granted_by, reason = excluded.reason",
                rows,
            )
            if not replace_older:
                return
            # A badge held once: a re-award after a revoke arrives as a new award
            # id, and replaces the older one. A badge that may be held several
            # times keeps every grant. Where one call holds several grants of such a
            # badge (one that stopped allowing several), the newest stays, not none.
            newest: dict[tuple[int, int], int] = {}
            for award_id, member_id, badge_id, *_rest in rows:
                newest[member_id, badge_id] = max(award_id, newest.get((member_id, badge_id), award_id))
            keep = [(member_id, badge_id, award_id) for (member_id, badge_id), award_id in newest.items()]
            for start, count in bulk.parts(len(keep), 3):
                connection.exec_driver_sql(
                    "DELETE FROM awards WHERE id IN (SELECT a.id FROM awards a"
                    f" JOIN (VALUES {bulk.marks(3, count)}) AS v"
                    " ON a.member_id = v.column1 AND a.badge_id = v.column2 AND a.id != v.column3)"
                    " AND NOT EXISTS (SELECT 1 FROM badges b"
                    " WHERE b.id = awards.badge_id AND b.multiple_grant)",
                    tuple(chain.from_iterable(keep[start : start + count])),
                )

    @staticmethod
    def defer_badge_counts(connection: Connection) -> None:
        """Within a write transaction: the triggers on awards leave every member's count alone
        until :meth:`recount_badges` has counted them again (a full sync's bulk load)."""
        Cache.set_sync_state(connection, {KEY_COUNTS_DEFERRED: str(-(2**63))})

    @staticmethod
    def recount_badges(connection: Connection) -> bool:
        """Within a write transaction: for the next :data:`RECOUNT_MEMBERS` members whose counts
        were deferred, replace older grants of badges held once, count their badges from their
        awards, and keep theirs by the triggers again. Returns whether members are left to count."""
        state = connection.exec_driver_sql(
            "SELECT value FROM sync_state WHERE key = ?", (KEY_COUNTS_DEFERRED,)
        ).scalar()
        if state is None:
            return False
        start = int(state)
        end = connection.exec_driver_sql(
            "SELECT id FROM members WHERE id >= ? ORDER BY id LIMIT 1 OFFSET ?", (start, RECOUNT_MEMBERS)
        ).scalar()
        top = 2**63 - 1 if end is None else end - 1
        # Older grants of a badge held once, which a bulk load kept (see upsert_award_rows):
        # a look-up per award cost more than this one pass over the range's (member, badge) index.
        connection.exec_driver_sql(
            "DELETE FROM awards WHERE id IN (SELECT a.id FROM (SELECT member_id, badge_id, max(id) AS newest"
            " FROM awards WHERE member_id BETWEEN ?1 AND ?2 GROUP BY member_id, badge_id HAVING count(*) > 1)"
            " AS held JOIN awards a ON a.member_id = held.member_id AND a.badge_id = held.badge_id"
            " AND a.id < held.newest"
            " WHERE NOT EXISTS (SELECT 1 FROM badges b WHERE b.id = a.badge_id AND b.multiple_grant))",
            (start, top),
        )
        connection.exec_driver_sql(
            "UPDATE members SET badge_count = 0, grant_count = 0 WHERE id BETWEEN ?1 AND ?2"
            " AND grant_count != 0"
            " AND id NOT IN (SELECT member_id FROM awards WHERE member_id BETWEEN ?1 AND ?2)",
            (start, top),
        )
        # One range of the (member, badge) index.
        connection.exec_driver_sql(
            "UPDATE members SET badge_count = c.badges, grant_count = c.grants FROM"
            " (SELECT member_id, count(DISTINCT badge_id) AS badges, count(*) AS grants FROM awards"
            " WHERE member_id BETWEEN ?1 AND ?2 GROUP BY member_id) AS c WHERE c.member_id = members.id"
            " AND (members.badge_count != c.badges OR members.grant_count != c.grants)",
            (start, top),
        )
        Cache.set_sync_state(connection, {KEY_COUNTS_DEFERRED: None if end is None else str(end)})
        return end is not None

    @staticmethod
    def delete_awards(connection: Connection, award_ids: Iterable[int]) -> None:
        rows = [(award_id,) for award_id in award_ids]
        if rows:
            connection.exec_driver_sql("DELETE FROM awards WHERE id = ?", rows)

    @staticmethod
    def upsert_requests(connection: Connection, items: Iterable[BadgeRequest]) -> None:
        rows = [
            (
                r.id,
                r.member_id,
                r.badge_id,
                r.note,
                r.evidence_url,
                to_epoch(r.created_at),
                r.state.value,
                r.version,
                r.decided_by,
                opt_epoch(r.decided_at),
                r.reason,
            )
            for r in items
        ]
        if rows:
            connection.exec_driver_sql(
                "INSERT INTO requests (id, member_id, badge_id, note, evidence_url, created_at, state,"
                " version, decided_by, decided_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET member_id = excluded.member_id,"
                " badge_id = excluded.badge_id, note = excluded.note,"
                " evidence_url = excluded.evidence_url, created_at = excluded.created_at,"
                " state = excluded.state, version = excluded.version,"
                " decided_by = excluded.decided_by, decided_at = excluded.decided_at,"
                " reason = excluded.reason",
                rows,
            )

    # --- reads --------------------------------------------------------------

    def counts(self) -> CacheCounts:
        with self.read() as connection:

            def count(table: Any, *where: Any) -> int:
                value = connection.execute(select(func.count()).select_from(table).where(*where)).scalar()
                return int(value or 0)

            return CacheCounts(
                members=count(schema.members),
                badges=count(schema.badges),
                awards=count(schema.awards),
                requests=count(schema.requests),
                pending_requests=count(schema.requests, schema.requests.c.state == RequestState.PENDING),
            )

    def member_ids(self, limit: int | None = None) -> list[int]:
        """Member ids ordered by display name; the views load rows lazily by id."""
        statement = select(schema.members.c.id).order_by(schema.members.c.sort_name, schema.members.c.id)
        if limit is not None:
            statement = statement.limit(limit)
        with self.read() as connection:
            return [row[0] for row in connection.execute(statement)]

    def members_by_ids(self, ids: Sequence[int]) -> dict[int, Member]:
        if not ids:
            return {}
        members = schema.members
        with self.read() as connection:
            rows = connection.execute(select(members).where(members.c.id.in_(list(ids))))
            return {row.id: member_from_row(row._mapping) for row in rows}

    def groups(self) -> list[str]:
        """Every group name: those members carry, and the server's groups (``member_groups``), sorted."""
        with self.read() as connection:
            rows = connection.exec_driver_sql(
                # Most members are in no group: skipping their '[]' halves the scan of a million rows.
                "SELECT g.value FROM members, json_each(members.groups) g WHERE members.groups <> '[]'"
                " UNION SELECT name FROM member_groups ORDER BY 1"
            )
            return [str(row[0]) for row in rows]

    def badge_counts(self, member_ids: Sequence[int]) -> dict[int, int]:
        """How many badges each of these members holds (members with none are absent)."""
        if not member_ids:
            return {}
        marks = ", ".join("?" * len(member_ids))
        with self.read() as connection:
            rows = connection.exec_driver_sql(
                f"SELECT member_id, count(*) FROM awards WHERE member_id IN ({marks}) GROUP BY member_id",
                tuple(member_ids),
            )
            return {member_id: int(n) for member_id, n in rows}

    def member(self, member_id: int) -> Member | None:
        return self.members_by_ids([member_id]).get(member_id)

    def badges(self) -> list[Badge]:
        """The mirror's badges; an award message kept here (a server that keeps none) stands over its."""
        with self.read() as connection:
            rows = connection.execute(select(schema.badges).order_by(schema.badges.c.title))
            badges = [badge_from_row(row._mapping) for row in rows]
            kept = kept_messages.kept(connection)
        return [replace(b, award_message=kept[b.id]) if b.id in kept else b for b in badges]

    def badge_holder_counts(self) -> dict[int, int]:
        awards = schema.awards
        with self.read() as connection:
            rows = connection.execute(select(awards.c.badge_id, func.count()).group_by(awards.c.badge_id))
            return {badge_id: int(n) for badge_id, n in rows}

    def awards_of_member(self, member_id: int) -> list[Award]:
        awards = schema.awards
        with self.read() as connection:
            rows = connection.execute(
                select(awards).where(awards.c.member_id == member_id).order_by(awards.c.granted_at)
            )
            return [award_from_row(row._mapping) for row in rows]

    def requests_of_member(self, member_id: int) -> list[BadgeRequest]:
        table = schema.requests
        statement = select(table).where(table.c.member_id == member_id).order_by(table.c.created_at)
        with self.read() as connection:
            return [request_from_row(row._mapping) for row in connection.execute(statement)]

    def requests(self, state: RequestState | None = RequestState.PENDING) -> list[BadgeRequest]:
        """Requests oldest first; all states when ``state`` is ``None``."""
        table = schema.requests
        statement = select(table).order_by(table.c.created_at, table.c.id)
        if state is not None:
            statement = statement.where(table.c.state == state.value)
        with self.read() as connection:
            return [request_from_row(row._mapping) for row in connection.execute(statement)]


def _set_pairs(connection: Connection, table: str, values: Mapping[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            connection.exec_driver_sql(f"DELETE FROM {table} WHERE key = ?", (key,))
        else:
            connection.exec_driver_sql(
                f"INSERT INTO {table} (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
