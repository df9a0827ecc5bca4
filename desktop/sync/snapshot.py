"""The snapshot pass: how a server without a changes feed is synced after the first full sync.

Such a server cannot say what changed or was deleted, so each sync reads
every kind again, straight into the live mirror, and works out the deletions
itself:

- each pass has a number (kept in the sync state); every row a page brings
  is written and marked with it (the ``seen_pass`` column);
- after the last page of a kind, the rows of that kind the pass did not see
  are gone from the server: they are deleted in the same transaction as that
  page's last rows and the position that says the kind is done;
- the position (phase and cursor) is stored with each page, so an
  interrupted pass resumes where it stopped, with the same number: the rows
  it marked before count as seen.

The mirror is never emptied first: until the pass reaches a row, the views
read the row as it was; a deleted row stays until its kind's last page.

What the pass reports: the members, badges and requests whose stored row it
changed, added or swept, and whether any award did (rows are compared before
and after each write). A pass resumed from an earlier, interrupted sync
reports ``reset``, since what that sync changed was never reported.

Known limit: a row written into the mirror by another path (the outbox
recording an award the server confirmed) while its kind is being listed,
after the listing went past it, is swept with the unseen and comes back with
the next pass; a resync built beside the mirror loses it the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from sqlalchemy import Connection

from desktop.cache import schema
from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.dialects.base import CommunitySummary, ServerSession
from desktop.domain import ChangeSet
from desktop.sync.kinds import listing, phases_of, store_rows
from desktop.sync.prefetch import Prefetch
from desktop.sync.progress import ProgressCallback, SyncProgress
from desktop.sync.state import (
    KEY_SNAPSHOT_CURSOR,
    KEY_SNAPSHOT_DONE,
    KEY_SNAPSHOT_PASS,
    KEY_SNAPSHOT_PHASE,
)
from desktop.sync.targets import LiveMirror, write_in_slices

#: The mirror's table of each kind listed.
_TABLES = {
    "badges": schema.badges,
    "members": schema.members,
    "awards": schema.awards,
    "requests": schema.requests,
}
SEEN = "seen_pass"


def snapshot_pass(
    session: ServerSession,
    summary: CommunitySummary,
    live: LiveMirror,
    *,
    page_size: int,
    report: ProgressCallback,
    cancel: CancelToken,
) -> tuple[int, ChangeSet]:
    """One pass over every kind into the live mirror, resuming one under way.

    Returns the items read in this run and what they changed.
    """
    state = live.sync_state()
    phases = phases_of(session)
    total = summary.badges + summary.members + summary.awards
    if session.desk is not None:
        total += summary.requests
    resumed = KEY_SNAPSHOT_PHASE in state
    # Stored with the first rows (not before): a pass that fails before it
    # stored anything starts again under the same number.
    number = int(state.get(KEY_SNAPSHOT_PASS, "0")) + (0 if resumed else 1)
    phase = state.get(KEY_SNAPSHOT_PHASE, phases[0])
    cursor = state.get(KEY_SNAPSHOT_CURSOR)
    done = int(state.get(KEY_SNAPSHOT_DONE, "0"))
    if phase in phases:
        start = phases.index(phase)
    else:
        # A kind this server no longer has: its cursor means nothing here.
        start, cursor = 0, None
    report(SyncProgress(phases[start], done, max(total, done)))
    changed = ChangeSet(reset=resumed)
    read = 0
    first_page = True
    pages = listing(session, summary, phases[start:], cursor, page_size=page_size, cancel=cancel)
    for current, page in Prefetch(pages, cancel):
        done += len(page.items)
        read += len(page.items)
        position: dict[str, str | None]
        if page.next_cursor is not None:
            position = {KEY_SNAPSHOT_PHASE: current, KEY_SNAPSHOT_CURSOR: page.next_cursor}
        else:
            following = phases.index(current) + 1
            # After the last kind the pass is complete: in the same transaction as its sweep.
            position = {
                KEY_SNAPSHOT_PHASE: phases[following] if following < len(phases) else None,
                KEY_SNAPSHOT_CURSOR: None,
            }
        complete = position[KEY_SNAPSHOT_PHASE] is None
        position = {
            **position,
            KEY_SNAPSHOT_PASS: str(number),
            KEY_SNAPSHOT_DONE: None if complete else str(done),
        }
        kind = _KindWriter(current, number)
        if first_page and not resumed:
            # The pass is under way from its first transaction on (a page may take
            # several): a run that stored anything of it is known to have.
            kind.opening = {KEY_SNAPSHOT_PASS: str(number), KEY_SNAPSHOT_PHASE: current}
        first_page = False
        write_in_slices(
            live,
            page.items,
            kind.store,
            partial(kind.finish, sweep=page.next_cursor is None, position=position),
            cancel,
        )
        changed = changed.merged(kind.changes())
        report(SyncProgress(current, done, max(total, done)))
    return read, changed


class _KindWriter:
    """Writes one page of one kind within a pass: its rows marked as seen, then (after the
    kind's last page) the sweep; notes which rows it changed."""

    def __init__(self, phase: str, number: int) -> None:
        self.phase = phase
        self.number = number
        self.table = _TABLES[phase]
        # Every column but the mark: what the views read, compared before and after.
        self._shown = ", ".join(c.name for c in self.table.columns if c.name != SEEN)
        self.changed: set[int] = set()
        #: Sync state written with the first slice.
        self.opening: dict[str, str | None] | None = None

    def store(self, connection: Connection, items: Sequence[Any]) -> None:
        if self.opening is not None:
            Cache.set_sync_state(connection, self.opening)
            self.opening = None
        ids = [item.id for item in items]
        before = self._rows(connection, ids)
        store_rows(self.phase, connection, items)
        if ids:
            connection.exec_driver_sql(
                f"UPDATE {self.table.name} SET {SEEN} = ? WHERE id = ?", [(self.number, i) for i in ids]
            )
        after = self._rows(connection, ids)
        self.changed.update(i for i in ids if before.get(i) != after.get(i))

    def finish(self, connection: Connection, *, sweep: bool, position: dict[str, str | None]) -> None:
        if sweep:
            unseen = f"{SEEN} IS NULL OR {SEEN} <> ?"
            gone = connection.exec_driver_sql(
                f"DELETE FROM {self.table.name} WHERE {unseen} RETURNING id", (self.number,)
            )
            self.changed.update(int(row[0]) for row in gone)
        Cache.set_sync_state(connection, position)

    def changes(self) -> ChangeSet:
        ids = frozenset(self.changed)
        if self.phase == "members":
            return ChangeSet(members=ids)
        if self.phase == "badges":
            return ChangeSet(badges=ids)
        if self.phase == "awards":
            return ChangeSet(awards=bool(ids))
        return ChangeSet(requests=ids)

    def _rows(self, connection: Connection, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = connection.exec_driver_sql(
            f"SELECT {self._shown} FROM {self.table.name} WHERE id IN ({marks})", tuple(ids)
        )
        return {int(row[0]): tuple(row) for row in rows}
