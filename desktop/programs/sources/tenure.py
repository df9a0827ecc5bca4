"""Tenure: members whose N-year anniversary of joining falls in the period and who still come by.

The anniversary is a day of the user's calendar: ``joined_at`` is a UTC moment,
read as the local day it fell on (a member who joined at 23:30 UTC on 2 December
joined on 3 December in Berlin), then moved N years on. A member who joined on
29 February celebrates on **28 February** in a common year. Of the two customs
(28 February or 1 March) this one keeps the anniversary in the month the member
joined, so a monthly February program recognises them in February; and it is what
the rule builder's "joined more than 10 years ago" counts (``rule_dates`` moves a
29 February back to the 28th), so a rule and this source agree on the day.

The period's first and last day (both included) become one range of local join
days, and that one range of ``joined_at`` moments is read through the index on
``joined_at`` (``ix_members_joined``): a month's anniversaries in a cache of a
million members read a few thousand rows, never the table. The same read covers
the days after the period, which give :attr:`SourceResult.upcoming`.

Suspended and deleted members are never candidates; with ``seen_within_days``
set, neither is a member last seen longer ago (as of ``now``, counted like the
rule builder's "seen in the last M days"), or never seen.

Thread safety: :class:`TenureSource` is immutable; :meth:`TenureSource.read`
runs on a worker (it reads the cache), never the GUI thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

from desktop.cache.cancellable import cancellable
from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.domain import MemberStatus
from desktop.i18n import _, ngettext
from desktop.programs.sources.base import Candidate, SourceResult
from desktop.rules import Ago, Unit, resolve

#: Most years an anniversary may count (guards the calendar's first year).
MAX_YEARS: Final = 200
#: Who qualifies soon: anniversaries in this many days after the period.
UPCOMING_DAYS: Final = 30


def anniversary(joined: date, years: int) -> date:
    """The day ``joined``'s ``years``-year anniversary is celebrated: 29 February → 28 February."""
    try:
        return joined.replace(year=joined.year + years)
    except ValueError:  # 29 February, in a common year
        return date(joined.year + years, 2, 28)


def _first_joined_day(day: date, years: int) -> date:
    """The earliest join day whose anniversary is ``day`` or later."""
    try:
        candidate = day.replace(year=day.year - years)
    except ValueError:
        # 29 February of a leap year N years after a common year: nobody joined on it, and
        # the 28th of that year is celebrated on the 28th, so the first is 1 March.
        return date(day.year - years, 3, 1)
    return candidate


def joined_days(first: date, last: date, years: int) -> tuple[date, date] | None:
    """The local join days whose ``years``-year anniversary falls in ``first``…``last`` (both
    included), as (first, last) day; None when no day's anniversary does (a period of 29 February
    alone, ``years`` after a common year).

    :func:`anniversary` never decreases as the join day grows, so the answer is one range.
    """
    low = _first_joined_day(first, years)
    high = _first_joined_day(last + timedelta(days=1), years) - timedelta(days=1)
    return (low, high) if low <= high else None


def _local_midnight(day: date, tz: tzinfo | None) -> int:
    """The first second of ``day`` in ``tz`` (None: the system's zone), as epoch seconds."""
    if tz is not None:
        return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())
    return int(time.mktime((day.year, day.month, day.day, 0, 0, 0, 0, 0, -1)))


def _local_day(epoch: int, tz: tzinfo | None) -> date:
    return datetime.fromtimestamp(epoch, tz).date()


def _seen_phrase(seen: int | None, today: date, tz: tzinfo | None) -> str | None:
    """ "today", "yesterday", "3 days ago" (None: never seen)."""
    if seen is None:
        return None
    days = max((today - _local_day(seen, tz)).days, 0)
    if days == 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def _why_now(years: int, joined: date, seen: str | None) -> str:
    if seen is None:
        return ngettext(
            "joined {n} year ago on {date}, never seen", "joined {n} years ago on {date}, never seen", years
        ).format(n=years, date=joined.isoformat())
    return ngettext(
        "joined {n} year ago on {date}, seen {seen}", "joined {n} years ago on {date}, seen {seen}", years
    ).format(n=years, date=joined.isoformat(), seen=seen)


def _why_soon(years: int, day: date, joined: date, seen: str | None) -> str:
    if seen is None:
        return ngettext(
            "{n}-year anniversary on {day} (joined {date}), never seen",
            "{n}-year anniversary on {day} (joined {date}), never seen",
            years,
        ).format(n=years, day=day.isoformat(), date=joined.isoformat())
    return ngettext(
        "{n}-year anniversary on {day} (joined {date}), seen {seen}",
        "{n}-year anniversary on {day} (joined {date}), seen {seen}",
        years,
    ).format(n=years, day=day.isoformat(), date=joined.isoformat(), seen=seen)


@dataclass(frozen=True, slots=True)
class TenureSource:
    """Members whose ``years``-year anniversary falls in the period, seen in the last
    ``seen_within_days`` days (None: however long ago, or never)."""

    years: int
    seen_within_days: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.years <= MAX_YEARS:
            raise ValueError(f"years must be 1 to {MAX_YEARS}, not {self.years}")
        if self.seen_within_days is not None and self.seen_within_days < 0:
            raise ValueError(f"seen_within_days must not be negative: {self.seen_within_days}")

    def read(
        self,
        cache: Cache,
        first: date,
        last: date,
        *,
        now: datetime,
        tz: tzinfo | None = None,
        cancel: CancelToken | None = None,
    ) -> SourceResult:
        """The candidates of the period ``first``…``last`` (local days, both included), oldest
        member first, and in :attr:`~SourceResult.upcoming` who qualifies in the
        :data:`UPCOMING_DAYS` days after it, by anniversary.

        ``now`` (aware) is the run's time: "seen in the last M days" counts back from it.
        ``tz`` is the user's calendar (None: the system's zone).
        """
        if first > last:
            raise ValueError(f"the period ends ({last}) before it starts ({first})")
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        soon_last = last + timedelta(days=UPCOMING_DAYS)
        days = joined_days(first, soon_last, self.years)
        if days is None:
            return SourceResult(candidates=())
        sql, params = self._sql(days, now, tz)
        with cache.read() as connection, cancellable(connection, cancel):
            rows = connection.exec_driver_sql(sql, params).all()
        today = now.astimezone(tz).date()  # tz None: the system's zone
        candidates: list[Candidate] = []
        upcoming: list[tuple[date, int, Candidate]] = []
        leap_day = False
        for member_id, joined_at, seen_at in rows:
            joined = _local_day(joined_at, tz)
            day = anniversary(joined, self.years)
            seen = _seen_phrase(seen_at, today, tz)
            if day <= last:
                candidates.append(Candidate(member_id, _why_now(self.years, joined, seen)))
            elif day <= soon_last:
                upcoming.append(
                    (day, member_id, Candidate(member_id, _why_soon(self.years, day, joined, seen)))
                )
            else:
                continue
            leap_day = leap_day or (joined.month == 2 and joined.day == 29 and day.day == 28)
        upcoming.sort(key=lambda item: (item[0], item[1]))
        notes: tuple[str, ...] = ()
        if leap_day:
            notes = (_("Members who joined on 29 February celebrate on 28 February in a year without one."),)
        return SourceResult(
            candidates=tuple(candidates), upcoming=tuple(item[2] for item in upcoming), notes=notes
        )

    def _sql(
        self, days: tuple[date, date], now: datetime, tz: tzinfo | None
    ) -> tuple[str, tuple[object, ...]]:
        """The read of the members who joined on the local days ``days`` (both included)."""
        sql = (
            "SELECT id, joined_at, last_seen_at FROM members"
            " WHERE joined_at >= ? AND joined_at < ? AND status = ?"
        )
        params: list[object] = [
            _local_midnight(days[0], tz),
            _local_midnight(days[1] + timedelta(days=1), tz),
            MemberStatus.ACTIVE.value,
        ]
        if self.seen_within_days is not None:
            # "+" keeps SQLite on the joined_at index: the join range is the narrow one.
            sql += " AND +last_seen_at >= ?"
            params.append(int(resolve(Ago(self.seen_within_days, Unit.DAYS), now, tz).timestamp()))
        sql += " ORDER BY joined_at, id"
        return sql, tuple(params)
