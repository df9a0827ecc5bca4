"""Badges held several times (Discourse's ``multiple_grant``): which grant a revoke removes.

Each grant of such a badge is its own award row with its own id, date, granter
and reason, so "revoke Helpful from Ann" is ambiguous when Ann holds it three
times. A revoke therefore names its grant when it is queued, and the name is
committed with the action (``award_id``, with the grant's date and reason for
the audit log and for an undo that grants it back):

- from the member detail, the grant the moderator chose (:func:`revoke_grant`);
- in a batch, the member's **newest** grant, by date (then id): the dry run says
  so for every member holding the badge several times (:func:`newest_grants`).

Thread safety: module functions may be called from any worker thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from desktop.cache.database import Cache
from desktop.cache.rows import from_epoch
from desktop.domain import ActionKind, Award
from desktop.i18n import _
from desktop.outbox import Batch, Outbox, OutboxError


def batch_rule() -> str:
    """What a batch revoke of a badge held several times removes; the dry run shows it."""
    return _("the newest grant (by date) of each is revoked")


_CHUNK = 500


@dataclass(frozen=True, slots=True)
class HeldSeveralTimes:
    """A member who holds a badge more than once, and the grant a batch revoke removes."""

    member_id: int
    username: str
    count: int
    award: Award


def grant_date(award: Award) -> str:
    """The grant's day, as the detail and the audit log show it."""
    return award.granted_at.strftime("%Y-%m-%d")


def grant_label(award: Award) -> str:
    """One grant in words: "the grant of 2025-03-21 by Bob Moderator"."""
    if award.granted_by:
        return _("the grant of {date} by {who}").format(date=grant_date(award), who=award.granted_by)
    return _("the grant of {date}").format(date=grant_date(award))


def _award(row: Sequence[Any]) -> Award:
    award_id, member_id, badge_id, granted_at, granted_by, reason = row
    return Award(int(award_id), int(member_id), int(badge_id), from_epoch(granted_at), granted_by, reason)


_COLUMNS = "a.id, a.member_id, a.badge_id, a.granted_at, a.granted_by, a.reason"


def grants_of(cache: Cache, member_id: int, badge_id: int) -> list[Award]:
    """Every grant of ``badge_id`` the member holds, newest first (the batch rule's order)."""
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            f"SELECT {_COLUMNS} FROM awards a WHERE a.member_id = ? AND a.badge_id = ?"
            " ORDER BY a.granted_at DESC, a.id DESC",
            (member_id, badge_id),
        )
        return [_award(row) for row in rows]


def grant(cache: Cache, award_id: int) -> Award | None:
    with cache.read() as connection:
        row = connection.exec_driver_sql(
            f"SELECT {_COLUMNS} FROM awards a WHERE a.id = ?", (award_id,)
        ).first()
    return None if row is None else _award(row)


def is_multiple_grant(connection: Connection, badge_id: int) -> bool:
    found = connection.exec_driver_sql("SELECT multiple_grant FROM badges WHERE id = ?", (badge_id,)).scalar()
    return bool(found)


def newest_grants(
    connection: Connection, badge_id: int, member_ids: Iterable[int]
) -> dict[int, tuple[Award, int]]:
    """For each member holding ``badge_id``: their newest grant and how many they hold.

    One query per 500 members over the (member, badge) index; members who do
    not hold the badge are absent.
    """
    wanted = list(member_ids)
    found: dict[int, tuple[Award, int]] = {}
    for start in range(0, len(wanted), _CHUNK):
        part = wanted[start : start + _CHUNK]
        marks = ", ".join("?" * len(part))
        rows = connection.exec_driver_sql(
            f"SELECT {_COLUMNS} FROM awards a WHERE a.badge_id = ? AND a.member_id IN ({marks})"
            " ORDER BY a.member_id, a.granted_at DESC, a.id DESC",
            (badge_id, *part),
        )
        for row in rows:
            award = _award(row)
            newest, count = found.get(award.member_id, (award, 0))
            found[award.member_id] = (newest, count + 1)
    return found


def holder_counts(cache: Cache) -> dict[int, tuple[int, int]]:
    """Badge id → (members holding it, grants of it); they differ only for multiple_grant badges.

    The grants come from one pass over the badge index (as before); members are
    counted apart only for badges that may be held several times, so a cache of
    millions of grants pays for the distinct count on those badges alone.
    """
    with cache.read() as connection:
        grants = {
            int(badge_id): int(n)
            for badge_id, n in connection.exec_driver_sql(
                "SELECT badge_id, count(*) FROM awards GROUP BY badge_id"
            )
        }
        several = connection.exec_driver_sql(
            "SELECT b.id, (SELECT count(DISTINCT a.member_id) FROM awards a WHERE a.badge_id = b.id)"
            " FROM badges b WHERE b.multiple_grant"
        )
        members = {int(badge_id): int(n) for badge_id, n in several}
    return {badge_id: (members.get(badge_id, n), n) for badge_id, n in grants.items()}


def revoke_grant(outbox: Outbox, award_id: int, *, reason: str = "", source: str | None = None) -> Batch:
    """Queue the revoke of one grant, committed when this returns (a batch of one, so it can be undone).

    Raises :class:`OutboxError` when the cache no longer has the grant (a
    sync removed it, or it was revoked already): nothing is queued then.
    """
    award = grant(outbox.cache, award_id)
    if award is None:
        raise OutboxError(
            _("This grant is no longer in the cache (revoked already, or gone from the server).")
        )
    return outbox.queue_batch(
        ActionKind.REVOKE,
        award.badge_id,
        [award.member_id],
        reason=reason,
        # A grant revoked from the member detail tells no one (there is no switch there).
        notify=False,
        # Shown where the batch came from, like "selection" or a file's name.
        source=_("member detail") if source is None else source,
        grants={award.member_id: award},
    )
