"""The tenure source against hand-computed fixtures: the local calendar day of a UTC join, 29
February (celebrated on the 28th in a common year), a year boundary, who qualifies in the next
30 days, suspended/deleted and long-unseen members left out, and the read on the join index."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.domain import Member, MemberStatus
from desktop.programs.sources.tenure import TenureSource, anniversary, joined_days

BERLIN = ZoneInfo("Europe/Berlin")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
ACTIVE, SUSPENDED, DELETED = MemberStatus.ACTIVE, MemberStatus.SUSPENDED, MemberStatus.DELETED


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def member(i: int, joined: datetime, seen: datetime | None, status: MemberStatus = ACTIVE) -> Member:
    return Member(i, f"u{i}", f"User {i}", f"u{i}@example.org", joined, seen, status)


SEEN_2_DAYS_AGO = utc(2026, 12, 4, 10, 0)
MEMBERS = [
    member(1, utc(2016, 12, 3, 10, 0), SEEN_2_DAYS_AGO),
    # 23:30 UTC on 30 November is 00:30 on 1 December in Berlin, 15:30 on 30 November in LA.
    member(2, utc(2016, 11, 30, 23, 30), utc(2026, 12, 5, 20, 0)),
    # Berlin: 1 January 2017 (next year: upcoming); Los Angeles: 31 December 2016.
    member(3, utc(2016, 12, 31, 23, 30), SEEN_2_DAYS_AGO),
    member(4, utc(2016, 12, 10, 12, 0), SEEN_2_DAYS_AGO, SUSPENDED),
    member(5, utc(2016, 12, 11, 12, 0), SEEN_2_DAYS_AGO, DELETED),
    member(6, utc(2016, 12, 15, 12, 0), utc(2026, 8, 1, 12, 0)),  # seen 127 days ago
    member(7, utc(2016, 12, 20, 12, 0), None),  # never seen
    member(8, utc(2017, 1, 30, 12, 0), utc(2026, 12, 5, 12, 0)),  # anniversary 30 January: upcoming
    member(9, utc(2017, 1, 31, 12, 0), SEEN_2_DAYS_AGO),  # 31 days after the period
    member(10, utc(2015, 12, 3, 12, 0), SEEN_2_DAYS_AGO),  # eleven years
    member(11, utc(2016, 12, 5, 9, 0), utc(2026, 12, 6, 9, 0)),  # seen today
    member(12, utc(2016, 12, 4, 12, 0), utc(2026, 9, 7, 12, 0)),  # seen 90 days ago, to the hour
]


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    built = Cache(tmp_path / "c")
    with built.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
    yield built
    built.close()


def december(source: TenureSource, cache: Cache, tz: ZoneInfo = BERLIN) -> tuple[dict[int, str], list[int]]:
    result = source.read(cache, date(2026, 12, 1), date(2026, 12, 31), now=NOW, tz=tz)
    return {c.member_id: c.why for c in result.candidates}, [c.member_id for c in result.upcoming]


def test_ten_years_in_december_in_berlin(cache: Cache) -> None:
    found, upcoming = december(TenureSource(10, seen_within_days=90), cache)
    assert found == {
        2: "joined 10 years ago on 2016-12-01, seen yesterday",
        1: "joined 10 years ago on 2016-12-03, seen 2 days ago",
        12: "joined 10 years ago on 2016-12-04, seen 90 days ago",
        11: "joined 10 years ago on 2016-12-05, seen today",
    }
    assert list(found) == [2, 1, 12, 11]  # by join date
    # Across the year boundary: 1 January and 30 January are within the 30 days after 31 December.
    assert upcoming == [3, 8]


def test_the_upcoming_say_when(cache: Cache) -> None:
    result = TenureSource(10, seen_within_days=90).read(
        cache, date(2026, 12, 1), date(2026, 12, 31), now=NOW, tz=BERLIN
    )
    assert [c.why for c in result.upcoming] == [
        "10-year anniversary on 2027-01-01 (joined 2017-01-01), seen 2 days ago",
        "10-year anniversary on 2027-01-30 (joined 2017-01-30), seen yesterday",
    ]


def test_without_a_seen_condition_the_unseen_count_but_never_the_suspended(cache: Cache) -> None:
    found, _upcoming = december(TenureSource(10), cache)
    assert set(found) == {1, 2, 6, 7, 11, 12}
    assert found[7] == "joined 10 years ago on 2016-12-20, never seen"
    assert found[6] == "joined 10 years ago on 2016-12-15, seen 127 days ago"


def test_the_seen_window_is_exact_to_the_second(cache: Cache) -> None:
    found, _upcoming = december(TenureSource(10, seen_within_days=89), cache)
    assert set(found) == {1, 2, 11}


def test_the_local_day_decides_in_los_angeles(cache: Cache) -> None:
    found, upcoming = december(TenureSource(10, seen_within_days=90), cache, LOS_ANGELES)
    # Member 2 joined on 30 November there; member 3 on 31 December.
    assert set(found) == {1, 3, 11, 12}
    assert found[3] == "joined 10 years ago on 2016-12-31, seen 2 days ago"
    assert upcoming == [8]


def test_without_a_zone_the_system_zone_decides(cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    # Berlin, not UTC (which the machine may well use): members 2 and 3 tell them apart.
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        result = TenureSource(10, seen_within_days=90).read(
            cache, date(2026, 12, 1), date(2026, 12, 31), now=NOW, tz=None
        )
    finally:
        monkeypatch.undo()
        time.tzset()
    assert {c.member_id for c in result.candidates} == {1, 2, 11, 12}
    assert [c.member_id for c in result.upcoming] == [3, 8]


def test_one_year(cache: Cache) -> None:
    result = TenureSource(1).read(cache, date(2017, 12, 1), date(2017, 12, 3), now=NOW, tz=BERLIN)
    assert [c.why for c in result.candidates] == [
        "joined 1 year ago on 2016-12-01, seen yesterday",
        "joined 1 year ago on 2016-12-03, seen 2 days ago",
    ]


LEAP_MEMBERS = [
    member(1, utc(2016, 2, 28, 12, 0), None),
    member(2, utc(2016, 2, 29, 12, 0), None),
    member(3, utc(2016, 3, 1, 12, 0), None),
    member(4, utc(2015, 2, 28, 12, 0), None),
    member(5, utc(2015, 3, 1, 12, 0), None),
]


@pytest.fixture()
def leap_cache(tmp_path: Path) -> Iterator[Cache]:
    built = Cache(tmp_path / "leap")
    with built.write() as connection:
        Cache.upsert_members(connection, LEAP_MEMBERS)
    yield built
    built.close()


@pytest.mark.parametrize(
    ("years", "first", "last", "expected"),
    [
        # 2026 has no 29 February: the 28th celebrates both the 28th and the 29th of 2016.
        (10, date(2026, 2, 28), date(2026, 2, 28), [1, 2]),
        (10, date(2026, 2, 1), date(2026, 2, 27), []),
        (10, date(2026, 3, 1), date(2026, 3, 31), [3]),
        (10, date(2026, 2, 1), date(2026, 3, 1), [1, 2, 3]),
        # 2024 has one: each day its own.
        (8, date(2024, 2, 28), date(2024, 2, 28), [1]),
        (8, date(2024, 2, 29), date(2024, 2, 29), [2]),
        (8, date(2024, 3, 1), date(2024, 3, 1), [3]),
        # 29 February 2024, nine years after 2015 (no 29th): nobody's anniversary.
        (9, date(2024, 2, 29), date(2024, 2, 29), []),
        (9, date(2024, 2, 28), date(2024, 2, 28), [4]),
        (9, date(2024, 3, 1), date(2024, 3, 1), [5]),
    ],
)
def test_29_february(leap_cache: Cache, years: int, first: date, last: date, expected: list[int]) -> None:
    result = TenureSource(years).read(leap_cache, first, last, now=NOW, tz=BERLIN)
    assert [c.member_id for c in result.candidates] == expected


def test_29_february_in_a_common_year_is_said(leap_cache: Cache) -> None:
    common = TenureSource(10).read(leap_cache, date(2026, 2, 1), date(2026, 2, 28), now=NOW, tz=BERLIN)
    assert common.candidates[1].why == "joined 10 years ago on 2016-02-29, never seen"
    assert common.notes == (
        "Members who joined on 29 February celebrate on 28 February in a year without one.",
    )
    leap = TenureSource(8).read(leap_cache, date(2024, 2, 1), date(2024, 2, 29), now=NOW, tz=BERLIN)
    assert leap.notes == ()


def test_a_week_across_the_new_year(tmp_path: Path) -> None:
    built = Cache(tmp_path / "week")
    with built.write() as connection:
        Cache.upsert_members(
            connection,
            [
                member(1, utc(2021, 12, 27, 12, 0), None),
                member(2, utc(2021, 12, 28, 12, 0), None),
                member(3, utc(2021, 12, 31, 23, 30), None),  # 1 January 2022 in Berlin
                member(4, utc(2022, 1, 3, 12, 0), None),
                member(5, utc(2022, 1, 4, 12, 0), None),
            ],
        )
    # ISO week 53 of 2026: Monday 28 December to Sunday 3 January.
    result = TenureSource(5).read(built, date(2026, 12, 28), date(2027, 1, 3), now=NOW, tz=BERLIN)
    built.close()
    assert [c.why for c in result.candidates] == [
        "joined 5 years ago on 2021-12-28, never seen",
        "joined 5 years ago on 2022-01-01, never seen",
        "joined 5 years ago on 2022-01-03, never seen",
    ]
    assert [c.member_id for c in result.upcoming] == [5]


@pytest.mark.parametrize("years", [1, 3, 4, 10, 100])
def test_the_join_days_are_exactly_those_whose_anniversary_falls_in_the_period(years: int) -> None:
    start = date(2103, 1, 1)
    for offset in range(0, 366 * 5, 1):
        day = start + timedelta(days=offset)
        for length in (0, 1, 6):
            last = day + timedelta(days=length)
            span = joined_days(day, last, years)
            near = [day.replace(year=day.year - years, day=1) + timedelta(days=d) for d in range(-3, 45)]
            expected = [j for j in near if day <= anniversary(j, years) <= last]
            if span is None:
                assert expected == [], (day, last)
            else:
                assert expected == [j for j in near if span[0] <= j <= span[1]], (day, last)
                assert expected[0] == span[0] and expected[-1] == span[1], (day, last)


def test_the_read_uses_the_join_index(cache: Cache) -> None:
    source = TenureSource(10, seen_within_days=90)
    days = joined_days(date(2026, 12, 1), date(2027, 1, 30), 10)
    assert days is not None
    sql, params = source._sql(days, NOW, BERLIN)
    with cache.read() as connection:
        plan = " ".join(
            str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        )
    assert "SEARCH members USING INDEX ix_members_joined (joined_at>? AND joined_at<?)" in plan


def test_bad_settings() -> None:
    with pytest.raises(ValueError, match="years"):
        TenureSource(0)
    with pytest.raises(ValueError, match="seen_within_days"):
        TenureSource(10, seen_within_days=-1)


def test_a_cancelled_read_stops(cache: Cache) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        TenureSource(10).read(cache, date(2026, 12, 1), date(2026, 12, 31), now=NOW, tz=BERLIN, cancel=cancel)
