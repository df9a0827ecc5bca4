"""The snapshot pass: how a server without a changes feed is synced after the first full sync.

Such a server cannot say what changed or was deleted, so each sync reads
every kind again, straight into the live mirror, and works out the deletions
itself:

- each pass has a number (kept in the sync state); every row a page brings
  is written and marked with it (the ``seen_pass`` column);
- after the last page of the last kind, the rows of each kind the pass did
  not see are gone from the server: they are deleted in the same
  transaction as that page's rows and the position that says the pass is
  complete. Only a complete pass deletes: one that fails or is cancelled
  anywhere deletes nothing (a member's awards do not go before the member,
  nor the member while the awards are unread);
- the position (phase and cursor) is stored with each page, so an
  interrupted pass resumes where it stopped, with the same number: the rows
  it marked before count as seen.

The mirror is never emptied first: until the pass reaches a row, the views
read the row as it was; a deleted row stays until the pass is complete.

What a sweep keeps:

- the awards of badges the server's listing leaves out
  (:class:`~desktop.dialects.feedless.PartialAwards`: Discourse lists no
  holders of a disabled badge, yet the members still hold it), unless
  their member is gone;
- everything of a kind whose sweep would delete most of it: more than
  :data:`MASS_SWEEP_SHARE` of the kind's rows, and more than
  :data:`MASS_SWEEP_FLOOR` of them. A forum does not lose most of its members
  between two syncs; a server answering from an empty or wrong database
  does. The pass completes and keeps those rows; the result names the
  withheld sweep, and a sync run with ``confirm_sweep`` carries it out.

What the pass reports: the members, badges and requests whose stored row it
changed, added or swept, and whether any award, group or group membership did
(rows are compared before and after each write). A group's memberships go
with it when it is swept, and those of swept members with them (groups are
listed after members). A pass resumed from an earlier, interrupted sync
reports ``reset``, since what that sync changed was never reported.

Known limit: a row written into the mirror by another path (the outbox
recording an award the server confirmed) during a pass, after the listing
went past it, is swept with the unseen and comes back with the next sync
that reads it (on Discourse the next later sync: the badge's grant count
changed); a resync built beside the mirror loses it the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Connection

from desktop.cache import schema
from desktop.cache.database import Cache
from desktop.cache.groups import drop_orphan_memberships, memberships
from desktop.cancellation import CancelToken
from desktop.dialects.base import CommunitySummary, ServerSession
from desktop.dialects.feedless import PartialAwards
from desktop.domain import ChangeSet, utc_now
from desktop.i18n import ngettext
from desktop.sync.kinds import item_ids, listing, phases_of, store_rows
from desktop.sync.prefetch import Prefetch
from desktop.sync.progress import Meter, phase_name
from desktop.sync.state import (
    KEY_SNAPSHOT_AT,
    KEY_SNAPSHOT_CURSOR,
    KEY_SNAPSHOT_DONE,
    KEY_SNAPSHOT_PAGE,
    KEY_SNAPSHOT_PASS,
    KEY_SNAPSHOT_PHASE,
    STAMP,
)
from desktop.sync.targets import LiveMirror, write_in_slices

#: The mirror's table of each kind listed.
_TABLES = {
    "badges": schema.badges,
    "members": schema.members,
    "awards": schema.awards,
    "groups": schema.member_groups,
    "requests": schema.requests,
}
#: Not indexed, on measurement: the sweep scans each table once a pass (300,000 awards:
#: about 120 ms), while an index on it would make marking every row ~1.8× slower.
SEEN = "seen_pass"
#: A sweep deleting more than this share of a kind's rows (and more than MASS_SWEEP_FLOOR of
#: them) is withheld until confirmed.
MASS_SWEEP_SHARE = 0.5
MASS_SWEEP_FLOOR = 20


@dataclass(frozen=True, slots=True)
class WithheldSweep:
    """A kind's sweep that would have deleted most of it: the rows were kept."""

    phase: str
    unseen: int
    rows: int

    def describe(self) -> str:
        return ngettext(
            "{unseen} of the {rows} {phase} in the local copy was not on the server"
            " in this sync; they were kept, since a forum rarely loses most of them at once",
            "{unseen} of the {rows} {phase} in the local copy were not on the server"
            " in this sync; they were kept, since a forum rarely loses most of them at once",
            self.unseen,
        ).format(unseen=f"{self.unseen:,}", rows=f"{self.rows:,}", phase=phase_name(self.phase))


def snapshot_pass(
    session: ServerSession,
    summary: CommunitySummary,
    live: LiveMirror,
    *,
    page_size: int,
    meter: Meter,
    cancel: CancelToken,
    confirm_sweep: bool = False,
) -> tuple[int, ChangeSet, list[WithheldSweep]]:
    """One pass over every kind into the live mirror, resuming one under way.

    Returns the items read in this run, what they changed and the sweeps
    withheld (``confirm_sweep``: none are).
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
    page_number = int(state.get(KEY_SNAPSHOT_PAGE, "0"))
    if phase in phases:
        start = phases.index(phase)
    else:
        # A kind this server no longer has: its cursor means nothing here.
        start, cursor, page_number = 0, None, 0
    meter.start(phases[start], done, max(total, done), cursor, page_number)
    last_phase = phases[start]
    directory = session.directory
    kept = directory.unlisted_award_badges() if isinstance(directory, PartialAwards) else frozenset()
    withheld: list[WithheldSweep] = []
    changed = ChangeSet(reset=resumed)
    read = 0
    first_page = True
    pages = listing(session, summary, phases[start:], cursor, page_size=page_size, cancel=cancel)
    for current, page in Prefetch(pages, cancel):
        done += len(page.items)
        read += len(page.items)
        page_number = page_number + 1 if current == last_phase else 1
        last_phase = current
        position: dict[str, str | None]
        if page.next_cursor is not None:
            position = {
                KEY_SNAPSHOT_PHASE: current,
                KEY_SNAPSHOT_CURSOR: page.next_cursor,
                KEY_SNAPSHOT_PAGE: str(page_number),
            }
        else:
            following = phases.index(current) + 1
            # After the last kind the pass is complete: in the same transaction as its sweep.
            position = {
                KEY_SNAPSHOT_PHASE: phases[following] if following < len(phases) else None,
                KEY_SNAPSHOT_CURSOR: None,
                KEY_SNAPSHOT_PAGE: None,
            }
        complete = position[KEY_SNAPSHOT_PHASE] is None
        position = {
            **position,
            KEY_SNAPSHOT_PASS: str(number),
            KEY_SNAPSHOT_DONE: None if complete else str(done),
        }
        if complete:
            position[KEY_SNAPSHOT_AT] = utc_now().strftime(STAMP)
        kind = KindWriter(current, number, kept_badges=kept, confirm_sweep=confirm_sweep)
        if first_page and not resumed:
            # The pass is under way from its first transaction on (a page may take
            # several): a run that stored anything of it is known to have.
            kind.opening = {KEY_SNAPSHOT_PASS: str(number), KEY_SNAPSHOT_PHASE: current}
        first_page = False
        write_in_slices(
            live,
            page.items,
            kind.store,
            partial(kind.finish, sweep=phases if complete else (), position=position),
            cancel,
        )
        changed = changed.merged(kind.changes())
        withheld.extend(kind.withheld)
        meter.page(current, done, max(total, done), page.next_cursor)
    return read, changed, withheld


class KindWriter:
    """Writes one page of one kind: its rows marked as seen by pass ``number`` (None: by no
    pass), then (after the kind's last page of a pass) the sweep; notes which rows it changed."""

    def __init__(
        self,
        phase: str,
        number: int | None,
        *,
        kept_badges: frozenset[int] = frozenset(),
        confirm_sweep: bool = False,
    ) -> None:
        self.phase = phase
        self.number = number
        self.table = _TABLES[phase]
        #: Badges whose awards the listing leaves out: their awards are not swept.
        self.kept_badges = kept_badges
        self.confirm_sweep = confirm_sweep
        self.withheld: list[WithheldSweep] = []
        # Every column but the mark: what the views read, compared before and after.
        self._shown = ", ".join(c.name for c in self.table.columns if c.name != SEEN)
        self.changed: set[int] = set()
        #: The rows each kind's sweep deleted (after the pass's last page).
        self.swept: dict[str, set[int]] = {}
        #: Sync state written with the first slice.
        self.opening: dict[str, str | None] | None = None
        #: Who is in a group changed (groups only).
        self.memberships_changed = False

    def store(self, connection: Connection, items: Sequence[Any]) -> None:
        if self.opening is not None:
            Cache.set_sync_state(connection, self.opening)
            self.opening = None
        ids = item_ids(self.phase, items)
        before = self._rows(connection, ids)
        joined = memberships(connection, ids) if self.phase == "groups" else {}
        store_rows(self.phase, connection, items)
        if self.phase == "groups" and memberships(connection, ids) != joined:
            self.memberships_changed = True
        if ids and self.number is not None:
            connection.exec_driver_sql(
                f"UPDATE {self.table.name} SET {SEEN} = ? WHERE id = ?", [(self.number, i) for i in ids]
            )
        after = self._rows(connection, ids)
        self.changed.update(i for i in ids if before.get(i) != after.get(i))

    def finish(
        self, connection: Connection, *, sweep: Sequence[str], position: dict[str, str | None]
    ) -> None:
        """After the page's rows: sweep the kinds in ``sweep`` (the pass is complete), store ``position``."""
        if self.number is not None:
            for phase in sweep:
                self._sweep(connection, phase, self.number)
        Cache.set_sync_state(connection, position)

    def _sweep(self, connection: Connection, phase: str, number: int) -> None:
        unseen = f"({SEEN} IS NULL OR {SEEN} <> ?)"
        arguments: tuple[int, ...] = (number,)
        if phase == "awards" and self.kept_badges:
            # Not seen because not shown: the server lists no awards of these badges. Those
            # of a member gone from the server (swept just before: members come first) go.
            marks = ", ".join("?" * len(self.kept_badges))
            unseen += f" AND (badge_id NOT IN ({marks}) OR member_id NOT IN (SELECT id FROM members))"
            arguments += tuple(sorted(self.kept_badges))
        table = _TABLES[phase].name
        if not self.confirm_sweep:
            count = int(
                connection.exec_driver_sql(
                    f"SELECT COUNT(*) FROM {table} WHERE {unseen}", arguments
                ).scalar_one()
            )
            rows = int(connection.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar_one())
            if count > MASS_SWEEP_FLOOR and count > rows * MASS_SWEEP_SHARE:
                self.withheld.append(WithheldSweep(phase, count, rows))
                return
        gone = connection.exec_driver_sql(f"DELETE FROM {table} WHERE {unseen} RETURNING id", arguments)
        self.swept[phase] = {int(row[0]) for row in gone}
        if phase == "groups" and drop_orphan_memberships(connection):
            # Of groups just swept, or of members swept before them (members come first).
            self.memberships_changed = True

    def changes(self) -> ChangeSet:
        result = _changed(self.phase, frozenset(self.changed))
        for phase, ids in self.swept.items():
            result = result.merged(_changed(phase, frozenset(ids)))
        return result.merged(ChangeSet(groups=self.memberships_changed))

    def _rows(self, connection: Connection, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = connection.exec_driver_sql(
            f"SELECT {self._shown} FROM {self.table.name} WHERE id IN ({marks})", tuple(ids)
        )
        return {int(row[0]): tuple(row) for row in rows}


def _changed(phase: str, ids: frozenset[int]) -> ChangeSet:
    if phase == "members":
        return ChangeSet(members=ids)
    if phase == "badges":
        return ChangeSet(badges=ids)
    if phase == "awards":
        return ChangeSet(awards=bool(ids))
    if phase == "groups":
        return ChangeSet(groups=bool(ids))
    return ChangeSet(requests=ids)
