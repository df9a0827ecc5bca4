"""Periods of a program's cadence: ISO weeks (53 of them some years), months, quarters, years, DST weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desktop.programs.periods import (
    Cadence,
    Period,
    containing,
    from_key,
    latest_ended,
    one_off,
    previous,
    today_in,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_an_iso_week_runs_monday_to_sunday() -> None:
    # Sunday 6 December 2026 (1 January 2026 is a Thursday).
    week = containing(Cadence.WEEKLY, date(2026, 12, 6))
    assert week == Period(Cadence.WEEKLY, "2026-W49", date(2026, 11, 30), date(2026, 12, 6))
    assert week.days == 7


def test_weeks_across_a_year_boundary_belong_to_the_year_of_their_thursday() -> None:
    # 2026 starts on a Thursday: it has a week 53, which ends in 2027.
    assert containing(Cadence.WEEKLY, date(2027, 1, 1)).key == "2026-W53"
    assert containing(Cadence.WEEKLY, date(2026, 12, 28)) == Period(
        Cadence.WEEKLY, "2026-W53", date(2026, 12, 28), date(2027, 1, 3)
    )
    # And its week 1 starts in 2025.
    assert containing(Cadence.WEEKLY, date(2025, 12, 29)).key == "2026-W01"
    assert containing(Cadence.WEEKLY, date(2027, 1, 4)).key == "2027-W01"
    assert previous(from_key(Cadence.WEEKLY, "2027-W01")).key == "2026-W53"
    assert previous(from_key(Cadence.WEEKLY, "2026-W01")).key == "2025-W52"


def test_a_year_without_week_53_refuses_its_key() -> None:
    # 2025 starts on a Wednesday and is not a leap year: 52 weeks.
    with pytest.raises(ValueError):
        from_key(Cadence.WEEKLY, "2025-W53")
    assert from_key(Cadence.WEEKLY, "2026-W53").first == date(2026, 12, 28)
    for bad in ("2026-W54", "2026-13", "2026-Q5", "26"):
        with pytest.raises(ValueError):
            from_key(Cadence.WEEKLY if "W" in bad else Cadence.MONTHLY, bad)


def test_29_february_ends_the_month_and_the_quarter_begins_before_it() -> None:
    february = containing(Cadence.MONTHLY, date(2024, 2, 29))
    assert february == Period(Cadence.MONTHLY, "2024-02", date(2024, 2, 1), date(2024, 2, 29))
    assert containing(Cadence.MONTHLY, date(2023, 2, 10)).last == date(2023, 2, 28)
    assert previous(containing(Cadence.MONTHLY, date(2024, 3, 1))) == february
    quarter = containing(Cadence.QUARTERLY, date(2024, 2, 29))
    assert quarter == Period(Cadence.QUARTERLY, "2024-Q1", date(2024, 1, 1), date(2024, 3, 31))
    assert quarter.days == 31 + 29 + 31
    assert containing(Cadence.YEARLY, date(2024, 2, 29)).days == 366


def test_quarters_and_years_and_their_previous_ones() -> None:
    q4 = containing(Cadence.QUARTERLY, date(2026, 12, 6))
    assert q4 == Period(Cadence.QUARTERLY, "2026-Q4", date(2026, 10, 1), date(2026, 12, 31))
    assert previous(from_key(Cadence.QUARTERLY, "2027-Q1")) == q4
    assert previous(from_key(Cadence.MONTHLY, "2027-01")).key == "2026-12"
    assert previous(from_key(Cadence.YEARLY, "2027")) == Period(
        Cadence.YEARLY, "2026", date(2026, 1, 1), date(2026, 12, 31)
    )


def test_the_latest_ended_period_is_the_one_before_today_s() -> None:
    sunday = date(2026, 12, 6)
    # The week of Sunday 6 December ends that day: it has not ended yet.
    assert latest_ended(Cadence.WEEKLY, sunday).key == "2026-W48"
    assert latest_ended(Cadence.WEEKLY, sunday + timedelta(days=1)).key == "2026-W49"
    assert latest_ended(Cadence.MONTHLY, date(2027, 1, 1)).key == "2026-12"
    assert latest_ended(Cadence.QUARTERLY, date(2026, 12, 31)).key == "2026-Q3"
    assert latest_ended(Cadence.YEARLY, date(2027, 1, 1)).key == "2026"
    assert latest_ended(Cadence.ONE_OFF, sunday) == one_off()


def test_keys_read_back_as_their_periods() -> None:
    for cadence, day in (
        (Cadence.WEEKLY, date(2027, 1, 2)),
        (Cadence.MONTHLY, date(2024, 2, 29)),
        (Cadence.QUARTERLY, date(2026, 8, 1)),
        (Cadence.YEARLY, date(2026, 8, 1)),
    ):
        period = containing(cadence, day)
        assert from_key(cadence, period.key) == period
    assert from_key(Cadence.ONE_OFF, "outage 12 March") == one_off("outage 12 March")
    with pytest.raises(ValueError):
        one_off(" ")


def test_a_week_when_summer_time_begins_has_167_hours_in_the_user_s_zone() -> None:
    # Berlin moves to summer time on Sunday 29 March 2026.
    week = containing(Cadence.WEEKLY, date(2026, 3, 29))
    assert week.key == "2026-W13"
    start, end = week.bounds(BERLIN)
    assert start.astimezone(UTC) == datetime(2026, 3, 22, 23, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=167)


def test_a_week_when_summer_time_ends_has_169_hours() -> None:
    week = containing(Cadence.WEEKLY, date(2026, 10, 25))
    start, end = week.bounds(BERLIN)
    assert start.astimezone(UTC) == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=169)


def test_the_user_s_day_decides_the_period() -> None:
    # 23:30 UTC on Sunday 6 December is already Monday in Berlin: week 49 has ended there.
    now = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    assert today_in(BERLIN, now) == date(2026, 12, 7)
    assert latest_ended(Cadence.WEEKLY, today_in(BERLIN, now)).key == "2026-W49"
    assert latest_ended(Cadence.WEEKLY, today_in(UTC, now)).key == "2026-W48"


def test_a_one_off_period_has_no_days_and_no_previous() -> None:
    period = one_off()
    assert period.ended(date(2026, 1, 1)) and period.days == 0
    with pytest.raises(ValueError):
        previous(period)
    with pytest.raises(ValueError):
        period.bounds(BERLIN)
