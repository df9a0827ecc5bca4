"""The report's figures: awards (or revokes) per week, month or quarter, split by badge, group or moderator.

**Awards are the server's.** They are counted from the mirror's ``awards``
table, which holds every grant the server has, whoever made it and from
whatever machine: a report is the server's figures, not this machine's
work. The server keeps only grants that stand: a grant revoked since is gone
from it, and a badge held once that was granted again counts at its latest
grant. So "awards in March" reads "grants made in March that still stand".

**Revokes are this machine's.** A revoke deletes the award from the
server's listing, and the mirror keeps no trace of it: the port's change feed
gives only the ids of revoked awards (``Changes.revoked_award_ids``; the v1
wire carries a ``revoked_at`` the connector drops, and no moderator), and the
sync deletes those rows. Revokes are counted from the local audit log
instead: the revoke actions sent from this profile that the server confirmed
it applied (state ``done``, outcome ``revoked``), at the time the answer came
(``confirmed_at``), by the moderator who queued them. :attr:`Report.source`
says which of the two a report counts, and :attr:`ReportSource.text` says it
to the user.

**Periods** are calendar periods in the user's time zone: ISO weeks starting
on Monday, months, quarters starting in January, April, July and October.
Each is bounded by local midnights, so a week of a daylight-saving change is
an hour short or long and a grant at local midnight on the 1st belongs to
the period it opens. The range is whole days from ``first_day`` to
``last_day``; a period the range cuts keeps its calendar label and counts
only the days inside (:attr:`Span.complete` is false). Every period of the
range is in the report, with 0 where nothing happened: a chart needs them.

**Splits.** By badge and by moderator every award is in exactly one series,
so each period's split sums to its total. By group, a member's award counts
once in each group the member is in *now* (the cache keeps no history of
memberships) and once in "in no group" when they are in none: every award is
in at least one series, but a member in two groups is counted twice, so the
split then sums to more than the total. :attr:`Report.overlapping` says so
(a chart should not stack such a split; the total line stays right). A
member's groups are those the server lists (``member_groups``) and, for
groups the server does not list, those named on the member's row, as the
member search reads them.

The counting is SQL over the cache: the period boundaries are computed here
(as epoch seconds, from the time zone's rules) and a balanced ``CASE`` over
them gives each row its period, so one pass over the awards counts every
period and series at once (``bench/reports.py``). That pass takes seconds
on a large cache; a count whose token is cancelled stops inside the
statement (:mod:`desktop.cache.cancellable`).

Thread safety: reads only; any worker thread.
"""

from __future__ import annotations

import csv
import enum
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from desktop.cache.cancellable import cancellable
from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.export import safe_cell
from desktop.i18n import _


class Period(enum.StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


class Split(enum.StrEnum):
    BADGE = "badge"
    GROUP = "group"
    #: Who granted the award (``awards.granted_by``), or who queued the revoke.
    MODERATOR = "moderator"


class Measure(enum.StrEnum):
    AWARDS = "awards"
    REVOKES = "revokes"


class ReportSource(enum.StrEnum):
    """Where a report's figures come from."""

    #: Every grant the server holds (the synced mirror).
    SERVER = "server"
    #: The revokes sent from this profile that the server confirmed (the local audit log).
    THIS_MACHINE = "this_machine"

    @property
    def text(self) -> str:
        """What the user is told about the figures, in their language."""
        if self is ReportSource.SERVER:
            return _("Every award the server holds, whoever granted it; revoked awards are not counted.")
        return _(
            "Revokes sent from this machine only: the server does not keep a history of revokes"
            " that BadgeDesk can read."
        )


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """What to count: from ``first_day`` to ``last_day`` (both included, local calendar days)."""

    first_day: date
    last_day: date
    period: Period = Period.QUARTER
    split: Split = Split.BADGE
    measure: Measure = Measure.AWARDS


@dataclass(frozen=True, slots=True)
class Span:
    """One period of a report: the days counted, ``start`` to ``end`` (``end`` excluded)."""

    kind: Period
    #: The first day of the calendar period (the week's Monday, the month's or quarter's 1st).
    period_start: date
    #: The first day counted: ``period_start``, or the range's first day when the range cuts the period.
    start: date
    #: The day after the last day counted.
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def complete(self) -> bool:
        """The whole calendar period is counted (the range does not cut it)."""
        return self.start == self.period_start and self.end == _next_start(self.period_start, self.kind)

    @property
    def label(self) -> str:
        """The calendar period in ISO notation: "2026-W09" (ISO week year), "2026-03", "2026-Q1".

        Stable and sortable, for files; a view shows the period in the user's locale.
        """
        if self.kind is Period.WEEK:
            iso = self.period_start.isocalendar()
            return f"{iso.year}-W{iso.week:02d}"
        if self.kind is Period.MONTH:
            return f"{self.period_start.year}-{self.period_start.month:02d}"
        return f"{self.period_start.year}-Q{(self.period_start.month - 1) // 3 + 1}"


@dataclass(frozen=True, slots=True)
class Series:
    """One row of the split: a badge, a group or a moderator, with its count in each period."""

    #: The badge id, the group's name, the moderator's name; None: the members in no group.
    key: int | str | None
    #: What the table and the chart's legend show.
    name: str
    #: One count per period of the report, in order.
    values: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass(frozen=True, slots=True)
class Report:
    """The figures a table and a chart both show: periods × series, and each period's total.

    ``series`` come largest first (then by name); "in no group" comes last.
    ``totals[i]`` is the number of awards (revokes) in ``periods[i]``, counted
    once each whatever the split.
    """

    query: ReportQuery
    periods: tuple[Span, ...]
    series: tuple[Series, ...]
    totals: tuple[int, ...]
    source: ReportSource

    @property
    def total(self) -> int:
        """Every award (revoke) of the range, once each."""
        return sum(self.totals)

    @property
    def overlapping(self) -> bool:
        """Some award is in more than one series (by group: a member in several groups), so the
        split of some period sums to more than its total."""
        return any(sum(s.values[i] for s in self.series) != total for i, total in enumerate(self.totals))


# --- periods ----------------------------------------------------------------


def _period_start(day: date, period: Period) -> date:
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    if period is Period.MONTH:
        return day.replace(day=1)
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _next_start(start: date, period: Period) -> date:
    if period is Period.WEEK:
        return start + timedelta(days=7)
    months = 1 if period is Period.MONTH else 3
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def periods(query: ReportQuery) -> tuple[Span, ...]:
    """The calendar periods from ``query.first_day`` to ``query.last_day``, cut to the range."""
    if query.last_day < query.first_day:
        raise ValueError(f"report range ends before it starts: {query.first_day} to {query.last_day}")
    end = query.last_day + timedelta(days=1)
    spans: list[Span] = []
    start = _period_start(query.first_day, query.period)
    while start < end:
        following = _next_start(start, query.period)
        spans.append(Span(query.period, start, max(start, query.first_day), min(following, end)))
        start = following
    return tuple(spans)


def local_midnight(day: date, zone: tzinfo | None = None) -> int:
    """The first second of ``day`` in ``zone`` (None: the system's zone), as epoch seconds.

    Where a zone skips midnight (a daylight-saving change at 00:00), the day
    begins when its clock does.
    """
    if zone is not None:
        return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())
    # The C library knows the system zone's rules for every date; isdst=-1 lets it choose.
    return int(time.mktime((day.year, day.month, day.day, 0, 0, 0, 0, 0, -1)))


def _bucket(column: str, bounds: Sequence[int], low: int, high: int) -> str:
    """SQL giving the index of the period ``column`` falls in among periods ``low``…``high - 1``,
    which start at ``bounds[i]``: a balanced CASE, a few comparisons per row even for many periods."""
    if high - low == 1:
        return str(low)
    middle = (low + high) // 2
    below = _bucket(column, bounds, low, middle)
    above = _bucket(column, bounds, middle, high)
    # The bounds are integers made here, never user text.
    return f"CASE WHEN {column} < {int(bounds[middle])} THEN {below} ELSE {above} END"


# --- counting -----------------------------------------------------------------

#: Each measure's rows as (at, badge_id, who, member_id).
_ROWS = {
    Measure.AWARDS: "SELECT granted_at AS at, badge_id, granted_by AS who, member_id FROM awards",
    Measure.REVOKES: (
        "SELECT confirmed_at AS at, badge_id, coalesce(actor, '') AS who, member_id FROM actions"
        " WHERE kind = 'revoke' AND state = 'done' AND outcome = 'revoked' AND confirmed_at IS NOT NULL"
    ),
}

#: Who is in which group by name: the server's listed groups, and for a group it does not list,
#: the members whose own row names it (as desktop.member_search reads a group).
_MEMBERSHIPS = (
    "SELECT gm.member_id AS member_id, g.name AS name FROM group_memberships gm"
    " JOIN member_groups g ON g.id = gm.group_id"
    " UNION SELECT m.id, j.value FROM members m, json_each(m.groups) j"
    " WHERE NOT EXISTS (SELECT 1 FROM member_groups l WHERE l.name = j.value)"
)


def build_report(
    cache: Cache, query: ReportQuery, *, zone: tzinfo | None = None, cancel: CancelToken | None = None
) -> Report:
    """Count ``query`` in ``cache``; ``zone`` is the user's time zone (None: the system's).

    A count of a large cache takes seconds in one statement: cancelling ``cancel`` stops it
    where it is (:class:`~desktop.cancellation.Cancelled`), the reader connection unharmed.
    """
    spans = periods(query)
    bounds = [local_midnight(s.start, zone) for s in spans] + [local_midnight(spans[-1].end, zone)]
    bucket = _bucket("r.at", bounds, 0, len(spans))
    rows = f"({_ROWS[query.measure]}) r"
    where = " WHERE r.at >= ? AND r.at < ?"
    limits = (bounds[0], bounds[-1])
    if query.split is Split.GROUP:
        # The totals in the same statement (one snapshot, should a sync commit meanwhile): the
        # split counts a member in several groups more than once.
        sql = (
            f"WITH ms AS ({_MEMBERSHIPS}) SELECT {bucket}, ms.name, count(*), 0 FROM {rows}"
            f" LEFT JOIN ms ON ms.member_id = r.member_id{where} GROUP BY 1, 2"
            f" UNION ALL SELECT {bucket}, NULL, count(*), 1 FROM {rows}{where} GROUP BY 1"
        )
        params: tuple[int, ...] = limits * 2
    else:
        key = "r.badge_id" if query.split is Split.BADGE else "r.who"
        sql = f"SELECT {bucket}, {key}, count(*), 0 FROM {rows}{where} GROUP BY 1, 2"
        params = limits
    counts: dict[int | str | None, list[int]] = {}
    totals = [0] * len(spans)
    with cache.read() as connection, cancellable(connection, cancel):
        for index, key_value, n, is_total in connection.exec_driver_sql(sql, params):
            if not is_total:
                counts.setdefault(key_value, [0] * len(spans))[index] += int(n)
            if is_total or query.split is not Split.GROUP:
                totals[index] += int(n)
        titles: dict[int, str] = (
            dict(connection.exec_driver_sql("SELECT id, title FROM badges").all())
            if query.split is Split.BADGE
            else {}
        )
    series = [
        Series(key, _series_name(query.split, key, titles), tuple(values)) for key, values in counts.items()
    ]
    series.sort(key=lambda s: (s.key is None, -s.total, s.name.casefold(), str(s.key)))
    source = ReportSource.SERVER if query.measure is Measure.AWARDS else ReportSource.THIS_MACHINE
    return Report(query, spans, tuple(series), tuple(totals), source)


def _series_name(split: Split, key: int | str | None, titles: dict[int, str]) -> str:
    if key is None:
        return _("In no group")
    if split is Split.BADGE:
        assert isinstance(key, int)
        return titles[key] if key in titles else _("badge #{id}").format(id=key)
    if key == "":
        return _("(not recorded)")
    return str(key)


# --- export ---------------------------------------------------------------------


def export_report_csv(report: Report, path: Path) -> int:
    """Write the report as its table shows it: a row per period (label, first and last day, each
    series, the total), then a row of totals. Returns the period rows written.

    UTF-8 with a byte-order mark (what spreadsheets need for non-ASCII names);
    the file appears only when complete.
    """
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    _("Period"),
                    _("First day"),
                    _("Last day"),
                    *(safe_cell(s.name) for s in report.series),
                    _("Total"),
                ]
            )
            for index, span in enumerate(report.periods):
                writer.writerow(
                    [
                        span.label,
                        span.start.isoformat(),
                        span.last_day.isoformat(),
                        *(s.values[index] for s in report.series),
                        report.totals[index],
                    ]
                )
            writer.writerow(
                [
                    _("Total"),
                    report.query.first_day.isoformat(),
                    report.query.last_day.isoformat(),
                    *(s.total for s in report.series),
                    report.total,
                ]
            )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(report.periods)
