"""Batches named for people: "Contest Winner · 2025-06-12 · #3 · 40 members", never a hex id.

A name is made each time it is read, from:

- the badge's title in the mirror ("badge #12" when the mirror does not know the
  badge: deleted on the server, or not synced yet), so a badge renamed on the
  server renames its batches;
- the local date the batch was queued, as YYYY-MM-DD: one form in every
  language, and it sorts as it reads;
- its sequence number: its rank among this badge's batches by creation (queued
  time, then the order they were written), counting the batches the user made,
  not the undo batches, which are named for what they undo. Batches are never
  deleted, so a number never changes;
- its member count: its actions, one per member (a mass award's upload is not
  one of them).

A batch a recognition program's run queued is named for the program and the
period instead: "Top contributor · 2026-W49 · 3 members" (the program's name as
it is now, even deleted: its runs are kept).

An undo batch is "Undo of " and the name of the batch it undoes.

The work file's ``batches`` table is small (one row per batch the user made),
so the sequence is counted over it; the member count reads the actions' batch
index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sqlalchemy import Connection

from desktop.i18n import _, ngettext

_CHUNK = 500
#: An undo of an undo of …: deeper than this, the batch is named by its own facts.
_MAX_UNDO_DEPTH = 8

_SELECT = (
    "SELECT b.id, b.badge_id, b.created_at, b.undo_of, t.title,"
    " CASE WHEN b.undo_of IS NULL THEN ("
    "  SELECT COUNT(*) FROM batches o WHERE o.badge_id = b.badge_id AND o.undo_of IS NULL"
    "   AND (o.created_at < b.created_at OR (o.created_at = b.created_at AND o.rowid <= b.rowid))"
    " ) END,"
    " (SELECT COUNT(*) FROM actions a WHERE a.batch_id = b.id),"
    " r.period_key, (SELECT p.name FROM programs p WHERE p.id = r.program_id),"
    " r.revoke_batch_id IS NOT NULL AND r.revoke_batch_id = b.id"
    " FROM batches b LEFT JOIN program_runs r ON r.batch_id = b.id OR r.revoke_batch_id = b.id"
    " LEFT JOIN badges t ON t.id = b.badge_id"
)


@dataclass(frozen=True, slots=True)
class _Facts:
    badge_id: int
    badge_title: str | None
    created_at: int
    undo_of: str | None
    #: Rank among the badge's batches (None for an undo batch).
    number: int | None
    members: int
    #: The program whose run queued it, and the run's period (None: not a program's).
    program: str | None = None
    period: str | None = None
    #: The run's revokes of members gone from its list.
    revokes: bool = False


def own_name(badge: str, queued: datetime, number: int, members: int) -> str:
    """The name of a batch the user made, from its facts (``queued``: aware; shown as its local date)."""
    count = ngettext("{n} member", "{n} members", members).format(n=f"{members:,}")
    return _("{badge} · {date} · #{number} · {members}").format(
        badge=badge, date=queued.date().isoformat(), number=number, members=count
    )


def program_batch_name(program: str, period: str, members: int, *, revokes: bool = False) -> str:
    """The name of a batch a program's run queued: "Top contributor · 2026-W49 · 3 members".

    ``revokes``: the run's revokes of members gone from its list ("… · revokes · 2 members").
    """
    count = ngettext("{n} member", "{n} members", members).format(n=f"{members:,}")
    if revokes:
        return _("{program} · {period} · revokes · {members}").format(
            program=program, period=period, members=count
        )
    return _("{program} · {period} · {members}").format(program=program, period=period, members=count)


def _facts(connection: Connection, batch_ids: Sequence[str]) -> dict[str, _Facts]:
    found: dict[str, _Facts] = {}
    for start in range(0, len(batch_ids), _CHUNK):
        part = batch_ids[start : start + _CHUNK]
        marks = ", ".join("?" * len(part))
        rows = connection.exec_driver_sql(f"{_SELECT} WHERE b.id IN ({marks})", tuple(part))
        for batch_id, badge_id, created_at, undo_of, title, number, members, period, program, revokes in rows:
            found[batch_id] = _Facts(
                badge_id, title, created_at, undo_of, number, int(members), program, period, bool(revokes)
            )
    return found


def batch_names(
    connection: Connection, batch_ids: Iterable[str], *, tz: tzinfo | None = None
) -> dict[str, str]:
    """Each known batch's name, by id (an unknown id is left out).

    ``tz``: the zone whose date is shown (the machine's local zone by default).
    """
    wanted = list(dict.fromkeys(batch_ids))
    facts = _facts(connection, wanted)
    # The batches the undo batches undo, read too (an undo of an undo: once more).
    for _depth in range(_MAX_UNDO_DEPTH):
        missing = sorted({f.undo_of for f in facts.values() if f.undo_of and f.undo_of not in facts})
        if not missing:
            break
        facts.update(_facts(connection, missing))

    def name(batch_id: str, depth: int) -> str:
        f = facts[batch_id]
        if f.undo_of is not None and f.undo_of in facts and depth < _MAX_UNDO_DEPTH:
            return _("Undo of {batch}").format(batch=name(f.undo_of, depth + 1))
        badge = f.badge_title or _("badge #{id}").format(id=f.badge_id)
        queued = datetime.fromtimestamp(f.created_at, UTC).astimezone(tz)
        if f.program is not None and f.period is not None and f.undo_of is None:
            return program_batch_name(f.program, f.period, f.members, revokes=f.revokes)
        if f.undo_of is not None:
            # What it undoes is gone (never happens: batches are not deleted).
            return _("Undo of {badge} · {date}").format(badge=badge, date=queued.date().isoformat())
        return own_name(badge, queued, f.number or 0, f.members)

    return {batch_id: name(batch_id, 0) for batch_id in wanted if batch_id in facts}


def batch_name(connection: Connection, batch_id: str, *, tz: tzinfo | None = None) -> str | None:
    """The batch's name, or None when there is no such batch."""
    return batch_names(connection, [batch_id], tz=tz).get(batch_id)


def batches_named(connection: Connection, text: str, *, tz: tzinfo | None = None) -> list[str]:
    """The ids of the batches whose name contains ``text`` (any case), or whose id starts with it.

    Newest first. Reads every batch's name: fine for the user's own batches
    (hundreds), which is all the table holds.
    """
    needle = text.strip().casefold()
    if not needle:
        return []
    ids = [
        row[0]
        for row in connection.exec_driver_sql("SELECT id FROM batches ORDER BY created_at DESC, rowid DESC")
    ]
    names = batch_names(connection, ids, tz=tz)
    return [i for i in ids if needle in names.get(i, "").casefold() or i.startswith(needle)]
