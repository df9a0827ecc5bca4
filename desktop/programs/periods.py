"""Cadences and their periods: "2026-W49" (ISO week), "2026-12", "2026-Q4", "2026", or a one-off's own key.

A period is a run of calendar days, the first and the last both included, in
the user's time zone: a program run for "2026-W49" looks at the days Monday
30 November to Sunday 6 December 2026 as the user's clock names them, so a
week across a change to or from summer time has 167 or 169 hours
(:meth:`Period.bounds` gives them as aware datetimes).

Weeks are ISO 8601 weeks: they start on Monday and belong to the year of
their Thursday, so 29 December 2025 is in "2026-W01" and a year may have a
week 53 ("2026-W53" runs from 28 December 2026 to 3 January 2027).

A one-off program has a single period, its own key (``"once"`` unless the
program names another), with no calendar days of its own: it never repeats.

Thread safety: immutable values and pure functions; any thread.
"""

from __future__ import annotations

import enum
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: The key of a one-off program's only period, unless the program names its own.
ONE_OFF_KEY = "once"


class Cadence(enum.StrEnum):
    """How often a program runs: the values are stored in the work file."""

    ONE_OFF = "one-off"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


@dataclass(frozen=True, slots=True)
class Period:
    cadence: Cadence
    #: "2026-W49", "2026-12", "2026-Q4", "2026", or a one-off's own key: what runs are recorded under.
    key: str
    #: The first and the last day, both included (None for a one-off: no calendar days).
    first: date | None
    last: date | None

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """The period's start and end (excluded) as aware datetimes in ``tz``: midnight to midnight."""
        if self.first is None or self.last is None:
            raise ValueError(f"A one-off period ({self.key!r}) has no calendar days")
        return _midnight(self.first, tz), _midnight(self.last + timedelta(days=1), tz)

    def ended(self, today: date) -> bool:
        """Whether the period's last day is over on ``today`` (a one-off period has always ended)."""
        return self.last is None or self.last < today

    @property
    def days(self) -> int:
        return 0 if self.first is None or self.last is None else (self.last - self.first).days + 1


def _midnight(day: date, tz: tzinfo) -> datetime:
    # A day always starts at 00:00 where the zones BadgeDesk meets change at 01:00-03:00; fold=0
    # picks the first 00:00 should a zone repeat it.
    return datetime.combine(day, time(0), tzinfo=tz)


def one_off(key: str = ONE_OFF_KEY) -> Period:
    key = key.strip()
    if not key:
        raise ValueError("A one-off period needs a key")
    return Period(Cadence.ONE_OFF, key, None, None)


def containing(cadence: Cadence, day: date) -> Period:
    """The period of ``cadence`` that contains ``day`` (for a one-off: its only period)."""
    if cadence is Cadence.ONE_OFF:
        return one_off()
    if cadence is Cadence.WEEKLY:
        year, week, weekday = day.isocalendar()
        first = day - timedelta(days=weekday - 1)
        return Period(cadence, f"{year}-W{week:02d}", first, first + timedelta(days=6))
    if cadence is Cadence.MONTHLY:
        first = day.replace(day=1)
        return Period(cadence, f"{day.year}-{day.month:02d}", first, _month_end(day.year, day.month))
    if cadence is Cadence.QUARTERLY:
        quarter = (day.month - 1) // 3 + 1
        first = date(day.year, 3 * quarter - 2, 1)
        return Period(cadence, f"{day.year}-Q{quarter}", first, _month_end(day.year, 3 * quarter))
    return Period(cadence, f"{day.year}", date(day.year, 1, 1), date(day.year, 12, 31))


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def previous(period: Period) -> Period:
    """The period just before ``period`` (a one-off has none: ValueError)."""
    if period.first is None:
        raise ValueError(f"A one-off period ({period.key!r}) has no previous one")
    return containing(period.cadence, period.first - timedelta(days=1))


def latest_ended(cadence: Cadence, today: date) -> Period:
    """The newest period of ``cadence`` whose last day is before ``today`` (a one-off: its period)."""
    current = containing(cadence, today)
    return current if current.ended(today) else previous(current)


def today_in(tz: tzinfo, now: datetime) -> date:
    """The user's calendar day at ``now`` (aware)."""
    return now.astimezone(tz).date()


_KEYS = {
    Cadence.WEEKLY: re.compile(r"(\d{4})-W(\d{2})"),
    Cadence.MONTHLY: re.compile(r"(\d{4})-(\d{2})"),
    Cadence.QUARTERLY: re.compile(r"(\d{4})-Q([1-4])"),
    Cadence.YEARLY: re.compile(r"(\d{4})"),
}


def from_key(cadence: Cadence, key: str) -> Period:
    """The period a stored key names; ValueError for a key that names none of ``cadence``."""
    if cadence is Cadence.ONE_OFF:
        return one_off(key)
    match = _KEYS[cadence].fullmatch(key)
    if match is None:
        raise ValueError(f"{key!r} is not a {cadence.value} period")
    year = int(match.group(1))
    try:
        if cadence is Cadence.WEEKLY:
            day = date.fromisocalendar(year, int(match.group(2)), 1)
        elif cadence is Cadence.MONTHLY:
            day = date(year, int(match.group(2)), 1)
        elif cadence is Cadence.QUARTERLY:
            day = date(year, 3 * int(match.group(2)) - 2, 1)
        else:
            day = date(year, 1, 1)
    except ValueError as error:
        raise ValueError(f"{key!r} is not a {cadence.value} period") from error
    return containing(cadence, day)


def local_zone() -> tzinfo:
    """The user's calendar: the machine's time zone with its rules (summer time included), not
    today's fixed offset, so a period in another season starts at its own local midnight.

    ``TZ`` when set, else the zone ``/etc/localtime`` names; where neither names one (Windows),
    the current offset.
    """
    names = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        names.append(target.split("zoneinfo/", 1)[1])
    for name in names:
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone
