"""The incremental sync: what the server's changes feed reports since the stored position.

For servers with a feed, after a first full sync. Each page of changes is
written in one transaction with the position it leads to, so an interrupted
sync resumes from the last page stored and a page that fails validation
leaves the cache as it was.

Where the feed's member rows name all their groups (v1: a membership change is
a change of the member), the mirror's memberships of the listed groups follow
them page by page; the groups themselves are read by the full sync.
"""

from __future__ import annotations

from collections.abc import Iterator

from desktop.cache.database import Cache
from desktop.cache.groups import follow_member_rows
from desktop.cancellation import CancelToken
from desktop.dialects.base import ChangeFeed, Changes, CommunitySummary
from desktop.domain import ChangeSet
from desktop.sync.paging import PageGuard
from desktop.sync.prefetch import Prefetch
from desktop.sync.progress import ProgressCallback, SyncProgress
from desktop.sync.state import KEY_CHANGES_CURSOR
from desktop.sync.targets import LiveMirror


def incremental_sync(
    feed: ChangeFeed,
    since: str,
    summary: CommunitySummary,
    live: LiveMirror,
    *,
    page_size: int,
    report: ProgressCallback,
    cancel: CancelToken,
) -> tuple[int, ChangeSet]:
    """The changes since ``since`` into the live mirror; returns the items and what they changed."""

    def pages() -> Iterator[Changes]:
        cursor = since
        guard = PageGuard.for_changes(summary, page_size, since)
        while True:
            cancel.raise_if_cancelled()
            page = feed.changes(cursor, page_size)
            guard.check(page.size, page.next_cursor, page.has_more)
            yield page
            if not page.has_more:
                return
            cursor = page.next_cursor

    done = 0
    changed = ChangeSet()
    report(SyncProgress("changes", 0, 0))
    for page in Prefetch(pages(), cancel):
        live.between_writes(cancel)
        with live.write() as connection:
            Cache.upsert_badges(connection, page.badges)
            Cache.upsert_members(connection, page.members)
            regrouped = page.groups_in_member_rows and follow_member_rows(connection, page.members)
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
                groups=regrouped,
            )
        )
        report(SyncProgress("changes", done, 0))
    return done, changed
