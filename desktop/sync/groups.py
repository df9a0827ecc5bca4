"""A later sync's groups: the group list again, and the members of groups whose count changed.

Reading every group's members costs a request per group (more for groups of
over 1000 on Discourse) each time. Between snapshot passes, a later sync of a
server that lists groups (:class:`~desktop.dialects.groups.GroupListing`)
reads the group list and hands it the member counts the mirror holds: only a
new group, or one whose count changed, has its members read (Discourse: one
request for up to 36 groups when nothing changed). Like the holders of a
badge, a group that lost as many members as it gained meanwhile waits for
the snapshot pass, which reads every group's members and sweeps deleted
groups. Nothing is deleted here.

Each page is written on its own; an interrupted run is simply run again (a
page costs a request, and a group already stored reads as unchanged).
"""

from __future__ import annotations

from desktop.cache.groups import user_counts
from desktop.cancellation import CancelToken
from desktop.dialects.base import ServerSession
from desktop.dialects.groups import GroupListing
from desktop.domain import ChangeSet
from desktop.sync.snapshot import KindWriter
from desktop.sync.state import KEY_SNAPSHOT_PASS, KEY_SNAPSHOT_PHASE
from desktop.sync.targets import LiveMirror

#: A runaway listing's bound: far beyond any forum's number of group pages.
MOST_PAGES = 10_000


def changed_groups_sync(
    session: ServerSession, live: LiveMirror, *, cancel: CancelToken
) -> tuple[int, ChangeSet]:
    """The groups into the live mirror, with the members of those whose count changed;
    returns the groups read and what they changed. Nothing without a group listing."""
    directory = session.directory
    if not isinstance(directory, GroupListing):
        return 0, ChangeSet()
    listing: GroupListing = directory
    state = live.sync_state()
    # Rows seen now are seen by a snapshot pass under way, too.
    number = int(state[KEY_SNAPSHOT_PASS]) if KEY_SNAPSHOT_PHASE in state else None
    known = user_counts(live.cache)
    changed = ChangeSet()
    read = 0
    cursor: str | None = None
    for _ in range(MOST_PAGES):
        cancel.raise_if_cancelled()
        page = listing.groups(cursor, known)
        writer = KindWriter("groups", number)
        live.between_writes(cancel)
        with live.write() as connection:
            writer.store(connection, page.items)
        changed = changed.merged(writer.changes())
        read += len(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    return read, changed
