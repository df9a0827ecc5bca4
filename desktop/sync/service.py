"""Bring the cache in step with the server.

The first sync of a profile is *full*: it notes the changes-feed position
(the anchor), then pages through badges, members, awards and requests. Later
syncs are *incremental*: they read the changes feed from the stored cursor.
Anything that changed during a full sync has a feed position after the anchor,
so the next incremental sync catches it.

Every page is written together with the position it leads to (in short
transactions, the position with the last), so an interrupted sync (network
gone, app closed, cancelled) resumes where it stopped, and a page that fails
validation leaves the cache as it was.

A *resync* (the server refused our position, or has no changes feed) is a full
sync built beside the live mirror in a file of its own and swapped in only
when complete: a resync that fails or is cancelled leaves the mirror exactly
as it was, and it resumes from where it stopped the next time.

What the user waits for goes first: the sync's writes yield to the outbox's,
and it waits between writes while a send runs. Between writes the mirror's
write-ahead log is checkpointed when it grows past a bound, so searches that
run during a long sync do not let it grow without limit.

One sync at a time runs per profile (a lock file), across windows and
processes; a second one stops at once with :class:`SyncBusy`.

Fetching and writing overlap: a fetch thread reads the next page while the
calling thread writes the last one (the network and the SQLite writer do not
wait on each other).
"""

from __future__ import annotations

import errno
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Connection

from desktop.cache import locks
from desktop.cache.database import Cache
from desktop.cache.mirror_builder import MirrorBuilder
from desktop.cache.storage import check_integrity, remove_database
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.badgedesk_v1.wire import iso
from desktop.dialects.base import Capabilities, Changes, CommunitySummary, Page, ServerSession
from desktop.domain import Award, Badge, BadgeRequest, ChangeSet, Member, utc_now
from desktop.failures import log_reason
from desktop.net.errors import ApiError
from desktop.sync.paging import PageGuard

T = TypeVar("T")

log = logging.getLogger(__name__)

KEY_COMMUNITY = "community_name"
KEY_CHANGES_CURSOR = "changes.cursor"
KEY_LAST_SYNC = "last_sync_at"
#: Preferences of the work file (desktop.outbox): a resync never touches them.
KEY_OUTBOX_PAUSED = "outbox.paused"
KEY_ACTOR = "me.name"
KEY_FULL_ANCHOR = "full.anchor"
KEY_FULL_PHASE = "full.phase"
KEY_FULL_CURSOR = "full.cursor"
KEY_FULL_DONE = "full.done"
#: What the server could do at the last sync (``Capabilities.to_json``), for the views offline.
KEY_CAPABILITIES = "server.capabilities"

PHASES = ("badges", "members", "awards", "requests")
#: Rows written per transaction: a send waiting for the writer waits for one of these, not a page.
WRITE_SLICE = 500
#: The mirror's write-ahead log is checkpointed between writes once it is larger than this.
WAL_CHECKPOINT_ABOVE = 16 * 1024 * 1024
#: The file a resync builds beside the live mirror, swapped in when complete.
NEXT_MIRROR_NAME = "mirror.next.sqlite3"
LOCK_NAME = "sync.lock"


def stored_capabilities(state: Mapping[str, str]) -> Capabilities | None:
    """What the server could do at the last sync, from the sync state (None before one)."""
    text = state.get(KEY_CAPABILITIES)
    return None if text is None else Capabilities.from_json(text)


class SyncBusy(Exception):
    """Another sync of this profile is running (another window or process)."""

    def __init__(self) -> None:
        super().__init__(
            "Another BadgeDesk window or process is syncing this community right now; "
            "this sync was skipped (its data arrives with that one)."
        )


class _Target(Protocol):
    """Where a full sync writes: the live mirror, or a new one built beside it."""

    def write(self) -> AbstractContextManager[Connection]: ...

    def sync_state(self) -> dict[str, str]: ...

    def between_writes(self, cancel: CancelToken) -> None: ...


class MirrorReplaced(Exception):
    """The mirror file was replaced while this sync wrote to it (a damaged one was set aside)."""

    def __init__(self) -> None:
        super().__init__(
            "The local copy of the community was replaced during the sync; the next sync fills it again."
        )


class _LiveMirror:
    def __init__(self, cache: Cache, generation: int) -> None:
        self.cache = cache
        self.generation = generation

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.cache.write(background=True) as connection:
            # Inside the write: a replacement (which waits for every write) is seen here.
            if self.cache.generation != self.generation:
                raise MirrorReplaced()
            yield connection

    def sync_state(self) -> dict[str, str]:
        return self.cache.sync_state()

    def between_writes(self, cancel: CancelToken) -> None:
        self.cache.checkpoint_mirror(above=WAL_CHECKPOINT_ABOVE)
        self.cache.wait_for_user_work(cancel.raise_if_cancelled)


class _NextMirror:
    def __init__(self, builder: MirrorBuilder) -> None:
        self.builder = builder

    def write(self) -> AbstractContextManager[Connection]:
        return self.builder.write()

    def sync_state(self) -> dict[str, str]:
        return self.builder.sync_state()

    def between_writes(self, cancel: CancelToken) -> None:
        self.builder.cache.wait_for_user_work(cancel.raise_if_cancelled)


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """``total`` is 0 when unknown (an incremental sync)."""

    phase: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class SyncResult:
    full: bool
    changes: ChangeSet
    items: int
    seconds: float
    community: str


ProgressCallback = Callable[[SyncProgress], None]


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


class _Prefetch(Generic[T]):
    """Runs an iterator in a thread, ``depth`` items ahead of the consumer."""

    def __init__(self, source: Iterator[T], cancel: CancelToken, depth: int = 2) -> None:
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._cancel = cancel
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(source,), name="sync-fetch", daemon=True)
        self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, source: Iterator[T]) -> None:
        try:
            for item in source:
                if not self._put(item):
                    return
        except BaseException as error:  # handed to the consumer, which re-raises it
            self._put(_Failure(error))
            return
        self._put(_END)

    def __iter__(self) -> Iterator[T]:
        try:
            while True:
                item = self._queue.get()
                if item is _END:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                self._cancel.raise_if_cancelled()
                yield item  # type: ignore[misc]
        finally:
            self._stop.set()
            self._cancel_source_wait()
            # No timeout: closing the connector under a running fetch would
            # break it; every wait of the fetch thread is bounded or cancellable.
            self._thread.join()

    def _cancel_source_wait(self) -> None:
        # Unblock a producer waiting for room, so join() returns promptly.
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return


class SyncService:
    """Syncs one cache with one server.

    Thread safety: call :meth:`run` from one worker thread (it writes the
    cache); it starts and stops its own fetch thread.
    """

    def __init__(
        self, cache: Cache, session: ServerSession, *, page_size: int = 2000, changes_page_size: int = 2000
    ) -> None:
        self.cache = cache
        self.session = session
        self.page_size = page_size
        self.changes_page_size = changes_page_size
        self._live = _LiveMirror(cache, cache.generation)

    def run(
        self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> SyncResult:
        cancel = cancel or CancelToken()
        report = progress or (lambda _p: None)
        try:
            with locks.held(self.cache.directory / LOCK_NAME):
                return self._run(report, cancel)
        except locks.LockBusy:
            raise SyncBusy() from None

    def _run(self, report: ProgressCallback, cancel: CancelToken) -> SyncResult:
        started = time.perf_counter()
        # Writes to the live mirror stop if it is replaced meanwhile (recovery from damage).
        self._live = _LiveMirror(self.cache, self.cache.generation)
        summary = self.session.directory.community()
        state = self.cache.sync_state()
        # A resync that was interrupted goes on where it stopped.
        resync = self._next_path.exists()
        if KEY_CHANGES_CURSOR in state and self.session.feed is None:
            # Without a feed, deletions cannot be seen: sync everything again.
            resync = True
        full = resync or KEY_CHANGES_CURSOR not in state
        items = 0
        changes = ChangeSet()
        if not full:
            try:
                items, changes = self._incremental(state[KEY_CHANGES_CURSOR], summary, report, cancel)
            except ApiError as error:
                if error.code != "bad_cursor":
                    raise
                # The server does not know our position (it was reset or
                # restored): what the cache holds may be stale in any way.
                log.warning(
                    "The server refused the sync position (%s); syncing everything again", log_reason(error)
                )
                full = resync = True
        if resync:
            items = self._resync(summary, report, cancel)
            changes = ChangeSet(reset=True)
        elif full:
            items = self._full(summary, self._live, report, cancel)
            changes = ChangeSet(reset=True)
        with self._live.write() as connection:
            Cache.set_sync_state(
                connection,
                {
                    KEY_LAST_SYNC: iso(utc_now()),
                    KEY_COMMUNITY: summary.name,
                    KEY_CAPABILITIES: Capabilities.of(self.session).to_json(),
                },
            )
        return SyncResult(
            full=full,
            changes=changes,
            items=items,
            seconds=time.perf_counter() - started,
            community=summary.name,
        )

    @property
    def _next_path(self) -> Path:
        return self.cache.directory / NEXT_MIRROR_NAME

    def _resync(self, summary: CommunitySummary, report: ProgressCallback, cancel: CancelToken) -> int:
        """A full sync into a new mirror beside the live one, swapped in when complete."""
        if self._next_path.exists() and check_integrity(self._next_path, budget=5.0) is not None:
            # An unfinished resync whose file was damaged: start it again.
            log.warning("The unfinished resync's file is damaged; starting the resync again")
            remove_database(self._next_path)
        builder = MirrorBuilder(self.cache, self._next_path)
        try:
            # Complete already (its swap had to wait for another window to close)?
            done = KEY_CHANGES_CURSOR in builder.sync_state()
            items = 0 if done else self._full(summary, _NextMirror(builder), report, cancel)
        finally:
            builder.close()
        if Path(f"{self._next_path}-wal").exists():
            # Its last checkpoint did not complete (a full disk): never swap in a
            # file whose newest pages are still in a log beside it.
            raise OSError(errno.ENOSPC, "The new copy of the community could not be completed")
        self.cache.replace_mirror(self._next_path)
        self._live.generation = self.cache.generation  # the replacement is ours
        return items

    # --- full -----------------------------------------------------------------

    def _full(
        self, summary: CommunitySummary, target: _Target, report: ProgressCallback, cancel: CancelToken
    ) -> int:
        state = target.sync_state()
        desk = self.session.desk
        phases = [p for p in PHASES if p != "requests" or desk is not None]
        total = summary.badges + summary.members + summary.awards
        if desk is not None:
            total += summary.requests
        # Stored with the first page (not before), so a sync that fails before
        # storing anything leaves the cache exactly as it was.
        anchor = state.get(KEY_FULL_ANCHOR) or summary.changes_cursor
        phase = state.get(KEY_FULL_PHASE, phases[0])
        cursor = state.get(KEY_FULL_CURSOR)
        done = int(state.get(KEY_FULL_DONE, "0"))
        # "done": the last page was stored but the switch to incremental was not.
        if phase == "done":
            start = len(phases)
        elif phase in phases:
            start = phases.index(phase)
        else:
            # A phase this server no longer has: its cursor means nothing here.
            start, cursor = 0, None
        report(SyncProgress(phase, done, max(total, done)))

        def pages() -> Iterator[tuple[str, Page[object]]]:
            next_cursor = cursor
            for current in phases[start:]:
                guard = PageGuard.for_phase(summary, current, self.page_size, next_cursor)
                while True:
                    cancel.raise_if_cancelled()
                    page = self._fetch(current, next_cursor)
                    guard.check(len(page.items), page.next_cursor)
                    yield current, page
                    next_cursor = page.next_cursor
                    if next_cursor is None:
                        break

        for current, page in _Prefetch(pages(), cancel):
            done += len(page.items)
            position: dict[str, str | None]
            if page.next_cursor is not None:
                position = {KEY_FULL_PHASE: current, KEY_FULL_CURSOR: page.next_cursor}
            else:
                following = phases.index(current) + 1
                position = {
                    KEY_FULL_PHASE: phases[following] if following < len(phases) else "done",
                    KEY_FULL_CURSOR: None,
                }
            position = {**position, KEY_FULL_DONE: str(done), KEY_FULL_ANCHOR: anchor}
            self._write_page(target, current, page.items, position, cancel)
            report(SyncProgress(current, done, max(total, done)))
        with target.write() as connection:
            Cache.set_sync_state(
                connection,
                {
                    KEY_CHANGES_CURSOR: anchor,
                    KEY_FULL_ANCHOR: None,
                    KEY_FULL_PHASE: None,
                    KEY_FULL_CURSOR: None,
                    KEY_FULL_DONE: None,
                },
            )
        return done

    def _fetch(self, phase: str, cursor: str | None) -> Page[Any]:
        directory = self.session.directory
        result: Page[Any]
        if phase == "badges":
            # Badges carry their images: smaller pages keep each answer small.
            result = directory.badges(cursor, min(self.page_size, 100))
        elif phase == "members":
            result = directory.members(cursor, self.page_size)
        elif phase == "awards":
            result = directory.awards(cursor, self.page_size)
        else:
            desk = self.session.desk
            assert desk is not None  # the phase is there only with a desk
            result = desk.requests("all", cursor, self.page_size)
        return result

    def _write_page(
        self,
        target: _Target,
        phase: str,
        items: list[object],
        position: dict[str, str | None],
        cancel: CancelToken,
    ) -> None:
        """Store a page in short transactions, the position with the last one.

        A crash between them stores the page again on resume (the rows are
        upserted), so nothing is lost or doubled.
        """
        starts = range(0, max(len(items), 1), WRITE_SLICE)
        for start in starts:
            target.between_writes(cancel)
            with target.write() as connection:
                self._store(connection, phase, items[start : start + WRITE_SLICE])
                if start == starts[-1]:
                    Cache.set_sync_state(connection, position)

    @staticmethod
    def _store(connection: Connection, phase: str, items: list[object]) -> None:
        if phase == "badges":
            Cache.upsert_badges(connection, [i for i in items if isinstance(i, Badge)])
        elif phase == "members":
            Cache.upsert_members(connection, [i for i in items if isinstance(i, Member)])
        elif phase == "awards":
            Cache.upsert_awards(connection, [i for i in items if isinstance(i, Award)])
        else:
            Cache.upsert_requests(connection, [i for i in items if isinstance(i, BadgeRequest)])

    # --- incremental ----------------------------------------------------------

    def _incremental(
        self, since: str, summary: CommunitySummary, report: ProgressCallback, cancel: CancelToken
    ) -> tuple[int, ChangeSet]:
        feed = self.session.feed
        assert feed is not None  # incremental only with a feed

        def pages() -> Iterator[Changes]:
            cursor = since
            guard = PageGuard.for_changes(summary, self.changes_page_size, since)
            while True:
                cancel.raise_if_cancelled()
                page = feed.changes(cursor, self.changes_page_size)
                guard.check(page.size, page.next_cursor, page.has_more)
                yield page
                if not page.has_more:
                    return
                cursor = page.next_cursor

        done = 0
        changed = ChangeSet()
        report(SyncProgress("changes", 0, 0))
        for page in _Prefetch(pages(), cancel):
            self._live.between_writes(cancel)
            with self._live.write() as connection:
                Cache.upsert_badges(connection, page.badges)
                Cache.upsert_members(connection, page.members)
                Cache.delete_awards(connection, page.revoked_award_ids)
                Cache.upsert_awards(connection, page.awards)
                Cache.upsert_requests(connection, page.requests)
                Cache.set_sync_state(connection, {KEY_CHANGES_CURSOR: page.next_cursor})
            done += page.size
            changed = changed.merged(
                ChangeSet(
                    members=frozenset(m.id for m in page.members),
                    badges=frozenset(b.id for b in page.badges),
                    awards=bool(page.awards or page.revoked_award_ids),
                    requests=frozenset(r.id for r in page.requests),
                )
            )
            report(SyncProgress("changes", done, 0))
        return done, changed


__all__ = ["Cancelled", "MirrorReplaced", "SyncBusy", "SyncProgress", "SyncResult", "SyncService"]
