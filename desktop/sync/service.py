"""Bring the cache in step with the server: one sync at a time, on the path that fits.

- The first sync of a profile is *full* (:mod:`desktop.sync.full`).
- Later syncs of a server with a changes feed are *incremental*
  (:mod:`desktop.sync.incremental`); when the server refuses our position,
  a *resync* builds a new mirror beside the live one and swaps it in.
- A server without a changes feed is synced by a *snapshot* pass: everything
  is read again and what was not seen is swept (:mod:`desktop.sync.snapshot`).
  Where it lists newest first (Discourse), a later sync reads only what is
  new (:mod:`desktop.sync.recent`, a handful of requests) and the snapshot
  pass follows only when it is due (until then, groups are read only where
  their member count changed: :mod:`desktop.sync.groups`): :data:`SNAPSHOT_EVERY` after the last
  complete read of everything, when a pass was left unfinished, or when the
  caller asks for it (``run(snapshot=True)``). The whole sync runs at the
  session's priority; the community opens it in the background, so the
  user's sends and lookups go first under a shared rate limit.

Progress reports pages, the requests left (where the dialect can tell) and
their time at the server's rate limit (``budget``).

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
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from desktop.cache import locks
from desktop.cache.database import Cache
from desktop.cache.groups import user_counts
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.base import CommunitySummary, ServerSession
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ChangeSet, utc_now
from desktop.failures import log_reason
from desktop.i18n import _
from desktop.net.budget import Priority, RateBudget
from desktop.net.errors import ApiError
from desktop.sync.costs import cached_counts, listing_estimator
from desktop.sync.full import NEXT_MIRROR_NAME, full_sync, resync
from desktop.sync.groups import changed_groups_sync
from desktop.sync.incremental import incremental_sync
from desktop.sync.kinds import phases_of
from desktop.sync.progress import EtaText, Meter, ProgressCallback, SyncProgress
from desktop.sync.recent import holder_counts_state, offers_newest_first, recent_sync
from desktop.sync.snapshot import WithheldSweep, snapshot_pass
from desktop.sync.state import (
    KEY_CAPABILITIES,
    KEY_CHANGES_CURSOR,
    KEY_COMMUNITY,
    KEY_FULL_PHASE,
    KEY_LAST_SYNC,
    KEY_SNAPSHOT_AT,
    KEY_SNAPSHOT_PHASE,
    STAMP,
    stored_capabilities,
)
from desktop.sync.targets import LiveMirror, MirrorReplaced

log = logging.getLogger(__name__)

LOCK_NAME = "sync.lock"
#: How old the last complete read of a feedless server may get before a sync reads everything
#: again and sweeps (where later syncs read only what is new in between).
SNAPSHOT_EVERY = timedelta(hours=24)


class SyncBusy(Exception):
    """Another sync of this profile is running (another window or process)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Another BadgeDesk window or process is syncing this community right now;"
                " this sync was skipped (its data arrives with that one)."
            )
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
    #: A later sync of a feedless server that read only what is new (before any snapshot pass).
    recent: bool = False
    #: Sweeps not carried out because they would have deleted most of a kind (rows kept).
    withheld: list[WithheldSweep] = field(default_factory=list)


class SyncService:
    """Syncs one cache with one server.

    Thread safety: call :meth:`run` from one worker thread (it writes the
    cache); it starts and stops its own fetch thread.
    """

    def __init__(
        self,
        cache: Cache,
        session: ServerSession,
        *,
        page_size: int = 2000,
        changes_page_size: int = 2000,
        budget: RateBudget | None = None,
        snapshot_every: timedelta = SNAPSHOT_EVERY,
    ) -> None:
        self.cache = cache
        self.session = session
        self.page_size = page_size
        self.changes_page_size = changes_page_size
        #: The server's rate budget, for the progress's time left (None: no limit known).
        self.budget = budget
        self.snapshot_every = snapshot_every
        self._live = LiveMirror(cache, cache.generation)

    def run(
        self,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        snapshot: bool = False,
        confirm_sweep: bool = False,
    ) -> SyncResult:
        """Sync once. ``snapshot``: read everything again and sweep now, even if not due;
        ``confirm_sweep``: carry out a sweep even if it deletes most of a kind."""
        cancel = cancel or CancelToken()
        report = progress or (lambda _p: None)
        try:
            with locks.held(self.cache.directory / LOCK_NAME):
                return self._run(report, cancel, snapshot, confirm_sweep)
        except locks.LockBusy:
            raise SyncBusy() from None

    def _eta(self) -> EtaText | None:
        budget = self.budget
        if budget is None:
            return None
        return lambda requests: budget.eta(requests, Priority.BACKGROUND).text

    def _meter(self, report: ProgressCallback, summary: CommunitySummary) -> Meter:
        """Progress for a listing of every kind, with the requests it has left where the dialect can tell."""
        cached = cached_counts(self.cache)
        phases = phases_of(self.session)
        estimate = listing_estimator(self.session, phases, cached)
        # A count neither the server tells nor the cache knows: the requests left are a floor.
        # The community summary has no count of groups at all: before a first sync completes,
        # the cache's none means "not read yet" rather than "none".
        first = KEY_CHANGES_CURSOR not in self.cache.sync_state()
        uncounted = [
            p for p in phases if (p in summary.unknown or (p == "groups" and first)) and not cached.get(p)
        ]
        return Meter(report, estimate=estimate, eta=self._eta(), uncounted=uncounted)

    def _capabilities(self, state: dict[str, str]) -> Capabilities:
        """What the server can do, read before the sync's write. What its leaderboards rank by
        may take a request (Discourse's Solved column): asked at the first sync (and where the
        stored value does not say), then kept, so a later sync or a snapshot costs nothing more.
        A new endpoint asks again (:meth:`AppSession.refresh_capabilities`)."""
        known = stored_capabilities(state)
        if known is None or not known.activity_measures:
            return Capabilities.of(self.session)
        return Capabilities.of(self.session, measures=known.activity_measures)

    def _snapshot_due(self, state: dict[str, str], asked: bool) -> bool:
        if asked or KEY_SNAPSHOT_PHASE in state or not offers_newest_first(self.session):
            return True
        stamp = state.get(KEY_SNAPSHOT_AT)
        if stamp is None:
            return True
        try:
            last = datetime.strptime(stamp, STAMP).replace(tzinfo=utc_now().tzinfo)
        except ValueError:
            return True
        return utc_now() - last >= self.snapshot_every

    def _run(
        self, report: ProgressCallback, cancel: CancelToken, asked: bool, confirm_sweep: bool
    ) -> SyncResult:
        started = time.perf_counter()
        # Writes to the live mirror stop if it is replaced meanwhile (recovery from damage).
        self._live = LiveMirror(self.cache, self.cache.generation)
        live = self._live
        summary = self.session.directory.community()
        state = self.cache.sync_state()
        feed = self.session.feed
        full = snapshot = recent = False
        changes = ChangeSet(reset=True)
        withheld: list[WithheldSweep] = []
        completed: dict[str, str | None] = {}
        if (self.cache.directory / NEXT_MIRROR_NAME).exists():
            # A resync that was interrupted goes on where it stopped.
            full = True
            items = resync(
                self.session,
                summary,
                live,
                page_size=self.page_size,
                meter=self._meter(report, summary),
                cancel=cancel,
            )
        elif KEY_CHANGES_CURSOR not in state:
            full = True
            items = full_sync(
                self.session,
                summary,
                live,
                page_size=self.page_size,
                meter=self._meter(report, summary),
                cancel=cancel,
            )
            if feed is None:
                # A complete read of everything: the next snapshot pass is due from now.
                completed = {KEY_SNAPSHOT_AT: utc_now().strftime(STAMP)}
                if KEY_FULL_PHASE not in state:
                    # Read in this run alone: the grant counts it began with describe what it
                    # read. (Resumed, a badge read in an earlier run may have changed since:
                    # without counts, the next sync reads every badge's newest holders once.)
                    completed.update(holder_counts_state(self.session))
        elif feed is None:
            items = 0
            if offers_newest_first(self.session):
                # What is new first (a handful of requests), so it shows before any long pass.
                recent = True
                items, changes = recent_sync(
                    self.session, live, report=report, eta=self._eta(), cancel=cancel
                )
                if not self._snapshot_due(live.sync_state(), asked):
                    # The pass would read every group's members anyway.
                    grouped, regrouped = changed_groups_sync(self.session, live, cancel=cancel)
                    items += grouped
                    changes = changes.merged(regrouped)
            if self._snapshot_due(live.sync_state(), asked):
                # Without a feed, deletions cannot be seen: read everything again and sweep the unseen.
                full = snapshot = True
                read, swept, withheld = snapshot_pass(
                    self.session,
                    summary,
                    live,
                    page_size=self.page_size,
                    meter=self._meter(report, summary),
                    cancel=cancel,
                    confirm_sweep=confirm_sweep,
                )
                items += read
                changes = swept if not recent else changes.merged(swept)
                completed = holder_counts_state(self.session)
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
                if not user_counts(self.cache):
                    # A mirror synced before the server listed groups (v1 before its group API):
                    # the feed reports memberships, not the groups; read them once.
                    grouped, regrouped = changed_groups_sync(self.session, live, cancel=cancel)
                    items += grouped
                    changes = changes.merged(regrouped)
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
                    self.session,
                    summary,
                    live,
                    page_size=self.page_size,
                    meter=self._meter(report, summary),
                    cancel=cancel,
                )
        capabilities = self._capabilities(state).to_json()
        with live.write() as connection:
            Cache.set_sync_state(
                connection,
                {
                    KEY_LAST_SYNC: utc_now().strftime(STAMP),
                    KEY_COMMUNITY: summary.name,
                    KEY_CAPABILITIES: capabilities,
                    **completed,
                },
            )
        return SyncResult(
            full=full,
            changes=changes,
            items=items,
            seconds=time.perf_counter() - started,
            community=summary.name,
            snapshot=snapshot,
            recent=recent,
            withheld=withheld,
        )


__all__ = ["Cancelled", "MirrorReplaced", "SyncBusy", "SyncProgress", "SyncResult", "SyncService"]
