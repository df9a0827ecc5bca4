"""Bring the cache in step with the server: one sync at a time, on the path that fits.

- The first sync of a profile is *full* (:mod:`desktop.sync.full`).
- Later syncs of a server with a changes feed are *incremental*
  (:mod:`desktop.sync.incremental`); when the server refuses our position,
  a *resync* builds a new mirror beside the live one and swaps it in.
- A server without a changes feed is synced by a *snapshot* pass: everything
  is read again and what was not seen is swept (:mod:`desktop.sync.snapshot`).

Every path writes each page with the position it leads to, so an
interrupted sync (network gone, app closed, cancelled) resumes where it
stopped, and a page that fails validation leaves the cache as it was.

What the user waits for goes first: the sync's writes yield to the outbox's,
and it waits between writes while a send runs. Between writes the mirror's
write-ahead log is checkpointed when it grows past a bound, so searches that
run during a long sync do not let it grow without limit.

One sync at a time runs per profile (a lock file), across windows and
processes; a second one stops at once with :class:`SyncBusy`.

Fetching and writing overlap: a fetch thread reads the next page while the
calling thread writes the last one (:mod:`desktop.sync.prefetch`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from desktop.cache import locks
from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.base import Capabilities, ServerSession
from desktop.domain import ChangeSet, utc_now
from desktop.failures import log_reason
from desktop.net.errors import ApiError
from desktop.sync.full import NEXT_MIRROR_NAME, full_sync, resync
from desktop.sync.incremental import incremental_sync
from desktop.sync.progress import ProgressCallback, SyncProgress
from desktop.sync.snapshot import snapshot_pass
from desktop.sync.state import KEY_CAPABILITIES, KEY_CHANGES_CURSOR, KEY_COMMUNITY, KEY_LAST_SYNC, STAMP
from desktop.sync.targets import LiveMirror, MirrorReplaced

log = logging.getLogger(__name__)

LOCK_NAME = "sync.lock"


class SyncBusy(Exception):
    """Another sync of this profile is running (another window or process)."""

    def __init__(self) -> None:
        super().__init__(
            "Another BadgeDesk window or process is syncing this community right now; "
            "this sync was skipped (its data arrives with that one)."
        )


@dataclass(frozen=True, slots=True)
class SyncResult:
    """``full``: everything was read (a first sync, a resync or a snapshot pass)."""

    full: bool
    changes: ChangeSet
    items: int
    seconds: float
    community: str
    #: A snapshot pass (a server without a changes feed): everything read again, the unseen swept.
    snapshot: bool = False


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
        self._live = LiveMirror(cache, cache.generation)

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
        self._live = LiveMirror(self.cache, self.cache.generation)
        live = self._live
        summary = self.session.directory.community()
        state = self.cache.sync_state()
        feed = self.session.feed
        full = snapshot = False
        changes = ChangeSet(reset=True)
        if (self.cache.directory / NEXT_MIRROR_NAME).exists():
            # A resync that was interrupted goes on where it stopped.
            full = True
            items = resync(
                self.session, summary, live, page_size=self.page_size, report=report, cancel=cancel
            )
        elif KEY_CHANGES_CURSOR not in state:
            full = True
            items = full_sync(
                self.session, summary, live, page_size=self.page_size, report=report, cancel=cancel
            )
        elif feed is None:
            # Without a feed, deletions cannot be seen: read everything again and sweep the unseen.
            full = snapshot = True
            items, changes = snapshot_pass(
                self.session, summary, live, page_size=self.page_size, report=report, cancel=cancel
            )
        else:
            try:
                items, changes = incremental_sync(
                    feed,
                    state[KEY_CHANGES_CURSOR],
                    summary,
                    live,
                    page_size=self.changes_page_size,
                    report=report,
                    cancel=cancel,
                )
            except ApiError as error:
                if error.code != "bad_cursor":
                    raise
                # The server does not know our position (it was reset or
                # restored): what the cache holds may be stale in any way.
                log.warning(
                    "The server refused the sync position (%s); syncing everything again", log_reason(error)
                )
                full = True
                items = resync(
                    self.session, summary, live, page_size=self.page_size, report=report, cancel=cancel
                )
        with live.write() as connection:
            Cache.set_sync_state(
                connection,
                {
                    KEY_LAST_SYNC: utc_now().strftime(STAMP),
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
            snapshot=snapshot,
        )


__all__ = ["Cancelled", "MirrorReplaced", "SyncBusy", "SyncProgress", "SyncResult", "SyncService"]
