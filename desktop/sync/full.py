"""The full sync: every badge, member, award and request, page by page.

The first sync of a profile is full, straight into the live mirror: it notes
the changes-feed position (the anchor), then pages through every kind.
Anything that changes meanwhile has a feed position after the anchor, so the
next incremental sync catches it.

A *resync* (the server refused our feed position) is a full sync built
beside the live mirror in a file of its own and swapped in only when
complete: a resync that fails or is cancelled leaves the mirror exactly as it
was, and it resumes from where it stopped the next time.

Every page is written together with the position it leads to, so an
interrupted full sync resumes where it stopped, and a page that fails
validation leaves the cache as it was.
"""

from __future__ import annotations

import errno
import logging
from functools import partial
from pathlib import Path

from sqlalchemy import Connection

from desktop.cache.database import Cache
from desktop.cache.mirror_builder import MirrorBuilder
from desktop.cache.storage import check_integrity, remove_database
from desktop.cancellation import CancelToken
from desktop.dialects.base import CommunitySummary, ServerSession
from desktop.sync.kinds import listing, phases_of, store_rows
from desktop.sync.prefetch import Prefetch
from desktop.sync.progress import Meter
from desktop.sync.state import (
    KEY_CHANGES_CURSOR,
    KEY_FULL_ANCHOR,
    KEY_FULL_CURSOR,
    KEY_FULL_DONE,
    KEY_FULL_PAGE,
    KEY_FULL_PHASE,
)
from desktop.sync.targets import LiveMirror, NextMirror, Target, write_in_slices

log = logging.getLogger(__name__)

#: The file a resync builds beside the live mirror, swapped in when complete.
NEXT_MIRROR_NAME = "mirror.next.sqlite3"


def full_sync(
    session: ServerSession,
    summary: CommunitySummary,
    target: Target,
    *,
    page_size: int,
    meter: Meter,
    cancel: CancelToken,
) -> int:
    """Every kind into ``target``, resuming a full sync it holds; returns the items stored."""
    state = target.sync_state()
    phases = phases_of(session)
    total = summary.badges + summary.members + summary.awards
    if session.desk is not None:
        total += summary.requests
    # Stored with the first page (not before), so a sync that fails before
    # storing anything leaves the cache exactly as it was.
    anchor = state.get(KEY_FULL_ANCHOR) or summary.changes_cursor
    phase = state.get(KEY_FULL_PHASE, phases[0])
    cursor = state.get(KEY_FULL_CURSOR)
    done = int(state.get(KEY_FULL_DONE, "0"))
    page_number = int(state.get(KEY_FULL_PAGE, "0"))
    # "done": the last page was stored but the switch to incremental was not.
    if phase == "done":
        start = len(phases)
    elif phase in phases:
        start = phases.index(phase)
    else:
        # A phase this server no longer has: its cursor means nothing here.
        start, cursor, page_number = 0, None, 0
    meter.start(phases[min(start, len(phases) - 1)], done, max(total, done), cursor, page_number)
    last_phase = phases[min(start, len(phases) - 1)]
    pages = listing(session, summary, phases[start:], cursor, page_size=page_size, cancel=cancel)
    for current, page in Prefetch(pages, cancel):
        done += len(page.items)
        page_number = page_number + 1 if current == last_phase else 1
        last_phase = current
        position: dict[str, str | None]
        if page.next_cursor is not None:
            position = {
                KEY_FULL_PHASE: current,
                KEY_FULL_CURSOR: page.next_cursor,
                KEY_FULL_PAGE: str(page_number),
            }
        else:
            following = phases.index(current) + 1
            position = {
                KEY_FULL_PHASE: phases[following] if following < len(phases) else "done",
                KEY_FULL_CURSOR: None,
                KEY_FULL_PAGE: None,
            }
        position = {**position, KEY_FULL_DONE: str(done), KEY_FULL_ANCHOR: anchor}
        write_in_slices(
            target,
            page.items,
            partial(store_rows, current, bulk=True),
            partial(_store_position, position=position, defer_counts=current == "awards"),
            cancel,
        )
        meter.page(current, done, max(total, done), page.next_cursor)
    # Also where a resumed sync found them deferred.
    recounting = True
    while recounting:
        target.between_writes(cancel)
        with target.write() as connection:
            recounting = Cache.recount_badges(connection)
    with target.write() as connection:
        Cache.set_sync_state(
            connection,
            {
                KEY_CHANGES_CURSOR: anchor,
                KEY_FULL_ANCHOR: None,
                KEY_FULL_PHASE: None,
                KEY_FULL_CURSOR: None,
                KEY_FULL_DONE: None,
                KEY_FULL_PAGE: None,
            },
        )
    return done


def _store_position(connection: Connection, *, position: dict[str, str | None], defer_counts: bool) -> None:
    Cache.set_sync_state(connection, position)
    if defer_counts:
        # Counting the awards one by one costs more than counting them all after the last.
        Cache.defer_badge_counts(connection)


def resync(
    session: ServerSession,
    summary: CommunitySummary,
    live: LiveMirror,
    *,
    page_size: int,
    meter: Meter,
    cancel: CancelToken,
) -> int:
    """A full sync into a new mirror beside the live one, swapped in when complete."""
    cache = live.cache
    next_path = cache.directory / NEXT_MIRROR_NAME
    if next_path.exists() and check_integrity(next_path, budget=5.0) is not None:
        # An unfinished resync whose file was damaged: start it again.
        log.warning("The unfinished resync's file is damaged; starting the resync again")
        remove_database(next_path)
    builder = MirrorBuilder(cache, next_path)
    try:
        # Complete already (its swap had to wait for another window to close)?
        done = KEY_CHANGES_CURSOR in builder.sync_state()
        items = (
            0
            if done
            else full_sync(
                session, summary, NextMirror(builder), page_size=page_size, meter=meter, cancel=cancel
            )
        )
    finally:
        builder.close()
    if Path(f"{next_path}-wal").exists():
        # Its last checkpoint did not complete (a full disk): never swap in a
        # file whose newest pages are still in a log beside it.
        raise OSError(errno.ENOSPC, "The new copy of the community could not be completed")
    cache.replace_mirror(next_path)
    live.generation = cache.generation  # the replacement is ours
    return items
