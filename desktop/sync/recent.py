"""A later sync of a server without a changes feed that lists newest first: only what is new.

Reading the whole community again costs a Discourse forum of 10,000 members
and 30,000 grants over 700 requests, about 13 minutes of its 60-a-minute
budget, every sync. Where the directory lists newest first
(:class:`~desktop.dialects.feedless.NewestFirst`), a later sync reads

- the badge list (Discourse: in the one answer the session reads anyway);
- members newest first, page after page, until a page reaches the newest
  member the cache knew when this sync began (or one who joined before);
- the members suspended now (a short list): whoever the cache has as
  suspended and is not on it any more is active again;
- the holders of each badge whose grant count (the server's, from the badge
  list) changed since the last sync, newest first, until a page reaches the
  newest grant of that badge the cache knew;
- where the session has a request desk that can tell what changed
  (:class:`~desktop.dialects.feedless.ChangedRequests`), the badge requests
  new or changed since what the cache holds (Discourse: the request
  category by latest activity), so the review queue shows a member's new
  request, or one decided on the forum, at the next sync, not the next pass.

"Newest" is the listing's own order: (time, id) descending. Grants made in
the same second (a mass award) are told apart by id, so a page of them does
not read as new. Discourse orders members by creation time alone: should two
members join in the same second across a page boundary, one may wait for
the next snapshot pass, as may a member imported with an old creation date.

With nothing new that is two requests: the newest members, the suspended (with a
request desk, its first page of requests too; Discourse's desk looks its category up
once a session). It adds and
refreshes; it deletes nothing: revocations, deleted members and changes to
older members (a new trust level or post count on Discourse among them) wait
for the snapshot pass
(:mod:`desktop.sync.snapshot`), which :class:`~desktop.sync.service.SyncService`
runs when it is due. So does a new grant of a badge that lost as many
grants meanwhile (its count unchanged): the price of not reading every
badge's holders each time.

"Knew" is measured once, when the sync begins, and kept in the sync state
with its position (each page is written with the position it leads to), so a
sync cancelled halfway resumes where it stopped and does not take the rows it
has just stored for ones it knew. While a snapshot pass is under way, the
rows written here are marked as seen by it: they are on the server now.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.cancellation import CancelToken
from desktop.dialects.base import ServerSession
from desktop.dialects.feedless import ChangedRequests, NewestFirst
from desktop.domain import Award, ChangeSet, Member, MemberStatus, RequestState
from desktop.sync.kinds import BADGE_PAGE_MOST, as_rows, fetch_page
from desktop.sync.progress import EtaText, Meter, ProgressCallback
from desktop.sync.snapshot import KindWriter
from desktop.sync.state import (
    KEY_HOLDER_COUNTS,
    KEY_RECENT_BADGE,
    KEY_RECENT_CURSOR,
    KEY_RECENT_MARKS,
    KEY_RECENT_PHASE,
    KEY_SNAPSHOT_PASS,
    KEY_SNAPSHOT_PHASE,
)
from desktop.sync.targets import LiveMirror

PHASES = ("badges", "members", "suspended", "awards", "requests")
#: Where a finished later sync leaves the state: nothing under way.
_DONE: dict[str, str | None] = {
    KEY_RECENT_PHASE: None,
    KEY_RECENT_CURSOR: None,
    KEY_RECENT_BADGE: None,
    KEY_RECENT_MARKS: None,
}


def offers_newest_first(session: ServerSession) -> bool:
    """Whether this server's later syncs can read only what is new."""
    return isinstance(session.directory, NewestFirst)


def recent_sync(
    session: ServerSession,
    live: LiveMirror,
    *,
    report: ProgressCallback,
    eta: EtaText | None,
    cancel: CancelToken,
) -> tuple[int, ChangeSet]:
    """What is new on the server into the live mirror, resuming a later sync under way.

    Returns the items read and what they changed.
    """
    directory = session.directory
    if not isinstance(directory, NewestFirst):
        raise TypeError(f"A {session.kind} server does not list newest first")
    newest: NewestFirst = directory
    desk = session.desk if isinstance(session.desk, ChangedRequests) else None
    state = live.sync_state()
    resumed = KEY_RECENT_MARKS in state
    # Rows seen now are seen by a snapshot pass under way, too.
    number = int(state[KEY_SNAPSHOT_PASS]) if KEY_SNAPSHOT_PHASE in state else None
    counts = newest.holder_counts()
    read_before = _counts(state.get(KEY_HOLDER_COUNTS))
    # Stored when this sync is done: until then, a resumed one sees the same badges as changed.
    counted = {KEY_HOLDER_COUNTS: json.dumps({str(b): c for b, c in sorted(counts.items())})}
    done_state = {**_DONE, **counted}
    badges = sorted(b for b, count in counts.items() if count > 0 and read_before.get(b) != count)
    phase = state.get(KEY_RECENT_PHASE, PHASES[0])
    cursor = state.get(KEY_RECENT_CURSOR)
    if phase not in PHASES:
        phase, cursor = PHASES[0], None
    if phase == "requests":
        # The counts were stored by the run that read the holders, when it went on to the requests:
        # storing today's now would take a badge that changed since for read.
        done_state = dict(_DONE)
    # After the holders: the requests phase (the holders' counts stored with it), or done.
    after_awards = (
        {**counted, KEY_RECENT_PHASE: "requests", KEY_RECENT_CURSOR: None, KEY_RECENT_BADGE: None}
        if desk is not None
        else done_state
    )
    first_badge = int(state.get(KEY_RECENT_BADGE, "0"))
    # The badges still to read, for the progress (one request each when nothing is new).
    if phase == "requests":
        queue: list[int] = []
    else:
        queue = [b for b in badges if b >= first_badge] if phase == "awards" else list(badges)
    marks = json.loads(state[KEY_RECENT_MARKS]) if resumed else {}
    if not resumed:
        marks = _marks(live.cache, queue)
    elif any(str(b) not in marks.get("awards", {}) for b in queue):
        # A badge whose count changed since the interrupted run began: nothing of it was
        # stored by that run, so the cache's newest grant of it is still the mark.
        fresh = _marks(live.cache, [b for b in queue if str(b) not in marks.get("awards", {})])
        marks = {**marks, "awards": {**marks.get("awards", {}), **fresh["awards"]}}
    # Phases still to read before the badges' holders, one request each when nothing is new.
    ahead = list(PHASES[PHASES.index(phase) : PHASES.index("awards")])
    # The requests: at least their first page.
    requests_left = desk is not None

    def left(_phase: str, _cursor: str | None, _finished: bool) -> int:
        return len([p for p in ahead if p != "badges"]) + len(queue) + int(requests_left)

    meter = Meter(report, estimate=left, eta=eta)
    meter.start(phase, 0, 0)
    opening: dict[str, str | None] = {} if resumed else {KEY_RECENT_MARKS: json.dumps(marks)}
    changed = ChangeSet(reset=resumed)
    read = 0

    def store(
        kind: str, items: Sequence[Any], position: dict[str, str | None], suspended: set[int] | None = None
    ) -> None:
        """A page and its position in one transaction; ``suspended``: the whole list of the
        suspended, so whoever the cache has as suspended and is not on it is not any more."""
        nonlocal opening, changed, read
        writer = KindWriter(kind, number)
        live.between_writes(cancel)
        with live.write() as connection:
            writer.store(connection, as_rows(kind, items))
            if suspended is not None:
                changed = changed.merged(ChangeSet(members=_lift_suspensions(connection, suspended)))
            Cache.set_sync_state(connection, {**opening, **position})
        opening = {}
        changed = changed.merged(writer.changes())
        read += len(items)

    def read_requests(desk: ChangedRequests, cursor: str | None) -> None:
        """The requests new or changed since what the cache holds, page by page from ``cursor``."""
        nonlocal requests_left
        # What the cache holds, read once: a resumed phase reads it after the pages stored before.
        known = _known_requests(live.cache)
        while True:
            cancel.raise_if_cancelled()
            requests = desk.changed_requests(known, cursor)
            cursor = requests.next_cursor
            requests_left = cursor is not None
            following: dict[str, str | None] = {KEY_RECENT_PHASE: "requests", KEY_RECENT_CURSOR: cursor}
            # Done: no holder counts here (stored when the holders were read, see done_state).
            store("requests", requests.items, dict(_DONE) if cursor is None else following)
            meter.page("requests", read, 0, cursor)
            if cursor is None:
                return

    if phase == "badges":
        while True:
            cancel.raise_if_cancelled()
            page = fetch_page(session, "badges", cursor, BADGE_PAGE_MOST)
            cursor = page.next_cursor
            following = {KEY_RECENT_PHASE: "members", KEY_RECENT_CURSOR: None}
            store(
                "badges",
                page.items,
                {KEY_RECENT_PHASE: "badges", KEY_RECENT_CURSOR: cursor} if cursor else following,
            )
            meter.page("badges", read, 0, cursor)
            if cursor is None:
                break
        ahead.remove("badges")
        phase = "members"
    if phase == "members":
        since = _mark(marks.get("members"))
        while True:
            cancel.raise_if_cancelled()
            members = newest.newest_members(cursor)
            cursor = None if _reached(members.items, since) else members.next_cursor
            if cursor is None:
                ahead.remove("members")
                position = {KEY_RECENT_PHASE: "suspended", KEY_RECENT_CURSOR: None}
            else:
                position = {KEY_RECENT_PHASE: "members", KEY_RECENT_CURSOR: cursor}
            store("members", members.items, position)
            meter.page("members", read, 0, cursor)
            if cursor is None:
                break
        phase = "suspended"
    if phase == "suspended":
        # A resumed phase did not see its first pages: it cannot tell who is no longer suspended.
        suspended: set[int] | None = set() if cursor is None else None
        while True:
            cancel.raise_if_cancelled()
            listed = newest.suspended_members(cursor)
            cursor = listed.next_cursor
            if suspended is not None:
                suspended.update(m.id for m in listed.items)
            if cursor is not None:
                position = {KEY_RECENT_PHASE: "suspended", KEY_RECENT_CURSOR: cursor}
            else:
                ahead.remove("suspended")
                position = {KEY_RECENT_PHASE: "awards", KEY_RECENT_CURSOR: None} if queue else after_awards
            store("members", listed.items, position, suspended if cursor is None else None)
            meter.page("suspended", read, 0, cursor)
            if cursor is None:
                break
    while queue:
        badge_id = queue[0]
        since = _mark(marks.get("awards", {}).get(str(badge_id)))
        cancel.raise_if_cancelled()
        holders = newest.newest_holders(badge_id, cursor)
        cursor = None if _reached(holders.items, since) else holders.next_cursor
        if cursor is None:
            queue.pop(0)
        if cursor is not None:
            position = {
                KEY_RECENT_PHASE: "awards",
                KEY_RECENT_BADGE: str(badge_id),
                KEY_RECENT_CURSOR: cursor,
            }
        elif queue:
            position = {KEY_RECENT_PHASE: "awards", KEY_RECENT_BADGE: str(queue[0]), KEY_RECENT_CURSOR: None}
        else:
            position = after_awards
        store("awards", holders.items, position)
        meter.page("awards", read, 0, cursor if queue else None)
    if live.sync_state().get(KEY_RECENT_PHASE) not in (None, "requests"):
        # Nothing left to read after a resumed phase (no badge with holders): on to the requests.
        with live.write() as connection:
            Cache.set_sync_state(connection, after_awards)
    if live.sync_state().get(KEY_RECENT_PHASE) == "requests":
        if desk is None:
            # Resumed without a request desk (its category was cleared meanwhile): done.
            with live.write() as connection:
                Cache.set_sync_state(connection, done_state)
        else:
            read_requests(desk, cursor)
    return read, changed


def _known_requests(cache: Cache) -> dict[int, tuple[int, RequestState]]:
    """Every request the mirror holds: id → (version, state)."""
    with cache.read() as connection:
        rows = connection.exec_driver_sql("SELECT id, version, state FROM requests")
        return {int(row[0]): (int(row[1]), RequestState(str(row[2]))) for row in rows}


def _lift_suspensions(connection: Connection, suspended: set[int]) -> frozenset[int]:
    """Within a write: members the cache has as suspended who are not on the server's whole
    list of the suspended are active again; returns them."""
    rows = connection.exec_driver_sql(
        "SELECT id FROM members WHERE status = ?", (MemberStatus.SUSPENDED.value,)
    )
    lifted = [int(row[0]) for row in rows if int(row[0]) not in suspended]
    if lifted:
        connection.exec_driver_sql(
            "UPDATE members SET status = ? WHERE id = ?", [(MemberStatus.ACTIVE.value, i) for i in lifted]
        )
    return frozenset(lifted)


def holder_counts_state(session: ServerSession) -> dict[str, str | None]:
    """After a complete read of every badge's holders: the counts a later sync compares with."""
    directory = session.directory
    if not isinstance(directory, NewestFirst):
        return {}
    counts = directory.holder_counts()
    return {KEY_HOLDER_COUNTS: json.dumps({str(b): c for b, c in sorted(counts.items())})}


def _counts(stored: str | None) -> dict[int, int]:
    """The counts as kept in the sync state; none (read every badge) when missing or damaged."""
    try:
        loaded = json.loads(stored or "{}")
        return {int(b): int(c) for b, c in loaded.items()}
    except (ValueError, TypeError, AttributeError):
        return {}


def _mark(stored: object) -> tuple[int, int] | None:
    """A mark as kept in the sync state (JSON: ``[epoch seconds, id]``), None when there is none."""
    if isinstance(stored, list) and len(stored) == 2 and all(isinstance(v, int) for v in stored):
        return stored[0], stored[1]
    return None


def _reached(items: Sequence[Member] | Sequence[Award], since: tuple[int, int] | None) -> bool:
    """Whether a newest-first page reached ``since`` (the newest row the cache knew) or went past it."""
    if since is None:
        return False
    for item in items:
        when = item.joined_at if isinstance(item, Member) else item.granted_at
        if (to_epoch(when), item.id) <= since:
            return True
    return False


def _marks(cache: Cache, badges: Sequence[int]) -> dict[str, Any]:
    """The newest member and the newest grant of each of ``badges`` the mirror holds:
    [epoch seconds, id], or None where it holds none."""
    with cache.read() as connection:
        newest_member = connection.exec_driver_sql(
            "SELECT joined_at, id FROM members ORDER BY joined_at DESC, id DESC LIMIT 1"
        ).first()
        # A badge the mirror holds no grant of is there too (as None): a resumed sync must not
        # take the grants the interrupted one stored for its mark.
        grants: dict[str, list[int] | None] = {}
        for badge in badges:
            # One badge at a time, through its index: a badge whose count changed is rare.
            newest = connection.exec_driver_sql(
                "SELECT granted_at, id FROM awards WHERE badge_id = ?"
                " ORDER BY granted_at DESC, id DESC LIMIT 1",
                (badge,),
            ).first()
            grants[str(badge)] = None if newest is None else [int(newest[0]), int(newest[1])]
        return {
            "members": None if newest_member is None else [int(newest_member[0]), int(newest_member[1])],
            "awards": grants,
        }
