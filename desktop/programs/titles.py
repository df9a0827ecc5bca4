"""A title that moves: badges held by one member at a time, handed over safely.

The marking (which badge, and the alumni badge its previous holder keeps) is
the user's, kept in the work file's ``one_holder_badges`` (:class:`OneHolderBadges`).
:func:`queue_handover` queues one outbox action for a hand-over, with the
previous holder as the cache knows them; the outbox carries out its three
steps, each settled by reading the server first
(:mod:`desktop.outbox.kinds.handover`). :func:`holders_by_period` tells who held
the badge in each period, for the badge's page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Connection

from desktop.cache.database import Cache
from desktop.cache.rows import from_epoch
from desktop.domain import Action, ActionKind, ActionState, utc_now
from desktop.i18n import _, ngettext
from desktop.outbox import Outbox, OutboxError
from desktop.outbox.kinds import handover
from desktop.outbox.store import actions as rows
from desktop.programs.periods import Cadence, Period, containing


class HandoverError(OutboxError):
    """A hand-over that cannot be queued; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class OneHolder:
    """A badge marked "one holder at a time", and the badge its previous holder keeps (or None)."""

    badge_id: int
    alumni_badge_id: int | None


class OneHolderBadges:
    """The one owner of ``one_holder_badges`` (the user's marking). Any thread; each call is one
    transaction."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def marked(self) -> dict[int, OneHolder]:
        """Every marked badge, by id."""
        with self.cache.read() as connection:
            found = connection.exec_driver_sql("SELECT badge_id, alumni_badge_id FROM one_holder_badges")
            return {int(b): OneHolder(int(b), None if a is None else int(a)) for b, a in found}

    def marking(self, badge_id: int) -> OneHolder | None:
        return self.marked().get(badge_id)

    def mark(self, badge_id: int, alumni_badge_id: int | None) -> OneHolder:
        """Mark the badge "one holder at a time" (again: its alumni badge changes)."""
        if alumni_badge_id == badge_id:
            raise HandoverError(_("A badge cannot be its own alumni badge."))
        with self.cache.write() as connection:
            connection.exec_driver_sql(
                "INSERT INTO one_holder_badges (badge_id, alumni_badge_id, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(badge_id) DO UPDATE SET alumni_badge_id = excluded.alumni_badge_id,"
                " updated_at = excluded.updated_at",
                (badge_id, alumni_badge_id, int(utc_now().timestamp())),
            )
        return OneHolder(badge_id, alumni_badge_id)

    def unmark(self, badge_id: int) -> None:
        with self.cache.write() as connection:
            connection.exec_driver_sql("DELETE FROM one_holder_badges WHERE badge_id = ?", (badge_id,))


def queue_handover(outbox: Outbox, badge_id: int, new_member_id: int, *, reason: str = "") -> Action:
    """Queue the hand-over of a marked badge to ``new_member_id`` (committed when this returns).

    The previous holder is the one the cache knows; the server is read again
    before each step. Raises :class:`HandoverError` for a badge not marked, a
    member or badge the cache does not know, a member who holds it already, a
    badge the cache shows with several holders, or a hand-over of it still unfinished.
    """
    with outbox.cache.write() as connection:
        body = handover_payload(connection, badge_id, new_member_id, reason=reason)
        keys = rows.insert(connection, ActionKind.HANDOVER, [body], None, outbox.actor)
        return rows.by_keys(connection, keys)[0]


def marking_of(connection: Connection, badge_id: int) -> OneHolder | None:
    """The badge's marking, read on the caller's connection (None: not marked)."""
    found = connection.exec_driver_sql(
        "SELECT alumni_badge_id FROM one_holder_badges WHERE badge_id = ?", (badge_id,)
    ).fetchone()
    if found is None:
        return None
    return OneHolder(badge_id, None if found[0] is None else int(found[0]))


def handover_payload(
    connection: Connection,
    badge_id: int,
    new_member_id: int,
    *,
    reason: str = "",
    alumni_badge_id: int | None = None,
) -> dict[str, Any]:
    """The hand-over action's payload, checked on the caller's connection (a program's run queues
    it in its own transaction); ``alumni_badge_id`` (None: the marking's). :class:`HandoverError`
    as :func:`queue_handover` says."""
    marking = marking_of(connection, badge_id)
    badge = connection.exec_driver_sql("SELECT title FROM badges WHERE id = ?", (badge_id,)).fetchone()
    member = connection.exec_driver_sql(
        "SELECT username FROM members WHERE id = ?", (new_member_id,)
    ).fetchone()
    holders = connection.exec_driver_sql(
        "SELECT a.id, a.member_id, COALESCE(m.username, ''), a.granted_at, a.granted_by FROM awards a"
        " LEFT JOIN members m ON m.id = a.member_id WHERE a.badge_id = ? ORDER BY a.granted_at DESC",
        (badge_id,),
    ).fetchall()
    unfinished = connection.exec_driver_sql(
        "SELECT COUNT(*) FROM actions WHERE kind = ? AND badge_id = ? AND state NOT IN (?, ?)",
        (ActionKind.HANDOVER.value, badge_id, ActionState.DONE.value, ActionState.DISCARDED.value),
    ).scalar()
    if badge is None:
        raise HandoverError(_("The cache does not know badge #{id}: sync first.").format(id=badge_id))
    title = str(badge[0])
    if marking is None:
        raise HandoverError(_("“{badge}” is not marked one holder at a time.").format(badge=title))
    if member is None or not str(member[0] or "").strip():
        raise HandoverError(_("The cache does not know member #{id}: sync first.").format(id=new_member_id))
    if unfinished:
        raise HandoverError(
            _("“{badge}” is being handed over already: let that finish, or skip it, first.").format(
                badge=title
            )
        )
    people = {int(row[1]) for row in holders}
    if new_member_id in people:
        raise HandoverError(
            _("@{member} holds “{badge}” already.").format(member=str(member[0]), badge=title)
        )
    if len(people) > 1:
        raise HandoverError(
            ngettext(
                "The cache shows {n} holder of “{badge}”: a badge held by one member at a time "
                "is handed over from one holder; revoke the others first.",
                "The cache shows {n} holders of “{badge}”: a badge held by one member at a time "
                "is handed over from one holder; revoke the others first.",
                len(people),
            ).format(n=len(people), badge=title)
        )
    previous = None if not holders else (int(holders[0][1]), str(holders[0][2]), int(holders[0][0]))
    alumni = alumni_badge_id if alumni_badge_id is not None else marking.alumni_badge_id
    body = handover.payload(badge_id, alumni, previous, (new_member_id, str(member[0])), reason)
    if holders:
        # Kept for the badge's holders by period (the mirror forgets the grant once revoked).
        body["previous_granted_at"] = int(holders[0][3])
        body["previous_granted_by"] = str(holders[0][4] or "")
    return body


@dataclass(frozen=True, slots=True)
class Tenure:
    """One holder's time with the badge: from the hand-over to them to the next (None: holds it now)."""

    member_id: int
    since: datetime
    until: datetime | None
    #: The periods (of the cadence asked for) in which they held it, oldest first.
    periods: tuple[Period, ...]
    #: Who gave it to them: the hand-over's moderator, or the grant's ("": not known).
    by: str = ""


def holders_by_period(
    cache: Cache, badge_id: int, cadence: Cadence, tz: tzinfo, today: date | None = None
) -> list[Tenure]:
    """Who held the badge, oldest first, from its finished hand-overs (the work file) and its
    grants (the mirror: the first holder, and the holder now where the title was handed over
    elsewhere since): each holder with the periods they held it in."""
    with cache.read() as connection:
        done = connection.exec_driver_sql(
            "SELECT payload, confirmed_at, COALESCE(actor, '') FROM actions"
            " WHERE kind = ? AND badge_id = ? AND state = ?"
            " ORDER BY confirmed_at, id",
            (ActionKind.HANDOVER.value, badge_id, ActionState.DONE.value),
        ).fetchall()
        first = connection.exec_driver_sql(
            "SELECT member_id, granted_at, granted_by FROM awards WHERE badge_id = ?"
            " ORDER BY granted_at LIMIT 1",
            (badge_id,),
        ).fetchone()
        # The holder now, as the last sync read the server: someone may have handed it over elsewhere.
        current = connection.exec_driver_sql(
            "SELECT member_id, granted_at, granted_by FROM awards WHERE badge_id = ?"
            " ORDER BY granted_at DESC LIMIT 1",
            (badge_id,),
        ).fetchone()
    spans: list[tuple[int, datetime, str]] = []
    for text, confirmed, actor in done:
        p = json.loads(text)
        when = from_epoch(int(confirmed))
        if not spans and p.get("previous_id") is not None:
            # The first holder on record: since their grant, as the cache knew it when queued.
            since = from_epoch(int(p.get("previous_granted_at") or confirmed))
            spans.append((int(p["previous_id"]), since, str(p.get("previous_granted_by") or "")))
        spans.append((int(p["member_id"]), when, str(actor)))
    if not spans and first is not None:
        spans.append((int(first[0]), from_epoch(int(first[1])), str(first[2] or "")))
    if current is not None and spans and int(current[0]) != spans[-1][0]:
        # Given elsewhere (the web, another computer) after this computer's last hand-over.
        since = max(from_epoch(int(current[1])), spans[-1][1])
        spans.append((int(current[0]), since, str(current[2] or "")))
    end_day = today or utc_now().astimezone(tz).date()
    tenures: list[Tenure] = []
    for index, (member_id, since, by) in enumerate(spans):
        until = spans[index + 1][1] if index + 1 < len(spans) else None
        tenures.append(Tenure(member_id, since, until, _periods(cadence, since, until, tz, end_day), by))
    return tenures


def _periods(
    cadence: Cadence, since: datetime, until: datetime | None, tz: tzinfo, today: date
) -> tuple[Period, ...]:
    """The periods from ``since``'s day to ``until``'s (or ``today``), both included."""
    day = since.astimezone(tz).date()
    end = until.astimezone(tz).date() if until is not None else today
    if cadence is Cadence.ONE_OFF:
        return (containing(cadence, day),)
    found: list[Period] = []
    while day <= end:
        period = containing(cadence, day)
        found.append(period)
        assert period.last is not None  # a calendar cadence
        day = period.last + timedelta(days=1)
    return tuple(found)
