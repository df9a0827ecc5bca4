"""Bring the cache in step with the server.

The first sync of a profile is *full*: it notes the changes-feed position
(the anchor), then pages through badges, members, awards and requests. Later
syncs are *incremental*: they read the changes feed from the stored cursor.
Anything that changed during a full sync has a feed position after the anchor,
so the next incremental sync catches it.

Every page is written in one transaction together with the position it leads
to, so an interrupted sync (network gone, app closed, cancelled) resumes where
it stopped, and a page that fails validation leaves the cache as it was.

Fetching and writing overlap: a fetch thread reads the next page while the
calling thread writes the last one (the network and the SQLite writer do not
wait on each other).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Connection

from desktop.api.connector import Changes, CommunitySummary, Connector, Page
from desktop.api.errors import ApiError
from desktop.api.wire import iso
from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.domain import Award, Badge, BadgeRequest, ChangeSet, Member, utc_now
from desktop.failures import log_reason

T = TypeVar("T")

log = logging.getLogger(__name__)

KEY_COMMUNITY = "community_name"
KEY_CHANGES_CURSOR = "changes.cursor"
KEY_LAST_SYNC = "last_sync_at"
#: Kept in sync_state for the outbox (desktop.outbox); they survive a reset of the mirror.
KEY_OUTBOX_PAUSED = "outbox.paused"
KEY_ACTOR = "me.name"
KEEP_ON_RESET = (KEY_OUTBOX_PAUSED, KEY_ACTOR)
KEY_FULL_ANCHOR = "full.anchor"
KEY_FULL_PHASE = "full.phase"
KEY_FULL_CURSOR = "full.cursor"
KEY_FULL_DONE = "full.done"

PHASES = ("badges", "members", "awards", "requests")


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
        self, cache: Cache, connector: Connector, *, page_size: int = 2000, changes_page_size: int = 2000
    ) -> None:
        self.cache = cache
        self.connector = connector
        self.page_size = page_size
        self.changes_page_size = changes_page_size

    def run(
        self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> SyncResult:
        cancel = cancel or CancelToken()
        report = progress or (lambda _p: None)
        started = time.perf_counter()
        summary = self.connector.community()
        state = self.cache.sync_state()
        if KEY_CHANGES_CURSOR in state and not summary.capabilities.changes_feed:
            # Without a feed, deletions cannot be seen: start again from scratch.
            state = self._forget_everything()
        full = KEY_CHANGES_CURSOR not in state
        items = 0
        changes = ChangeSet()
        if not full:
            try:
                items, changes = self._incremental(state[KEY_CHANGES_CURSOR], report, cancel)
            except ApiError as error:
                if error.code != "bad_cursor":
                    raise
                # The server does not know our position (it was reset or
                # restored): what the cache holds may be stale in any way.
                log.warning(
                    "The server refused the sync position (%s); syncing everything again", log_reason(error)
                )
                state = self._forget_everything()
                full = True
        if full:
            items = self._full(summary, state, report, cancel)
            changes = ChangeSet(reset=True)
        with self.cache.write() as connection:
            Cache.set_sync_state(connection, {KEY_LAST_SYNC: iso(utc_now()), KEY_COMMUNITY: summary.name})
        return SyncResult(
            full=full,
            changes=changes,
            items=items,
            seconds=time.perf_counter() - started,
            community=summary.name,
        )

    def _forget_everything(self) -> dict[str, str]:
        """Drop the mirrored community and the sync position; the outbox and its settings stay."""
        with self.cache.write() as connection:
            for table in ("members", "badges", "awards", "requests"):
                connection.exec_driver_sql(f"DELETE FROM {table}")
            connection.exec_driver_sql(
                f"DELETE FROM sync_state WHERE key NOT IN ({', '.join('?' * len(KEEP_ON_RESET))})",
                KEEP_ON_RESET,
            )
        return {}

    # --- full -----------------------------------------------------------------

    def _full(
        self, summary: CommunitySummary, state: dict[str, str], report: ProgressCallback, cancel: CancelToken
    ) -> int:
        phases = [p for p in PHASES if p != "requests" or summary.capabilities.requests]
        total = summary.badges + summary.members + summary.awards
        if summary.capabilities.requests:
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
                while True:
                    cancel.raise_if_cancelled()
                    page = self._fetch(current, next_cursor)
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
            with self.cache.write() as connection:
                self._store(connection, current, page.items)
                Cache.set_sync_state(
                    connection, {**position, KEY_FULL_DONE: str(done), KEY_FULL_ANCHOR: anchor}
                )
            report(SyncProgress(current, done, max(total, done)))
        with self.cache.write() as connection:
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

    def _fetch(self, phase: str, cursor: str | None) -> Page[object]:
        connector = self.connector
        result: Page[object]
        if phase == "badges":
            # Badges carry their images: smaller pages keep each answer small.
            result = connector.badges(cursor, min(self.page_size, 100))  # type: ignore[assignment]
        elif phase == "members":
            result = connector.members(cursor, self.page_size)  # type: ignore[assignment]
        elif phase == "awards":
            result = connector.awards(cursor, self.page_size)  # type: ignore[assignment]
        else:
            result = connector.requests("all", cursor, self.page_size)  # type: ignore[assignment]
        return result

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
        self, since: str, report: ProgressCallback, cancel: CancelToken
    ) -> tuple[int, ChangeSet]:
        def pages() -> Iterator[Changes]:
            cursor = since
            while True:
                cancel.raise_if_cancelled()
                page = self.connector.changes(cursor, self.changes_page_size)
                yield page
                if not page.has_more or page.next_cursor == cursor:
                    return
                cursor = page.next_cursor

        done = 0
        changed = ChangeSet()
        report(SyncProgress("changes", 0, 0))
        for page in _Prefetch(pages(), cancel):
            with self.cache.write() as connection:
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


__all__ = ["Cancelled", "SyncProgress", "SyncResult", "SyncService"]
