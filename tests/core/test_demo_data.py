"""The demo community's data is relative to a day (the real date, or a fixed one) and consistent:
every feature has something to show, and nothing contradicts anything else."""

from __future__ import annotations

import argparse
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.sandbox import names
from desktop.sandbox.cli import add_sandbox_arguments
from desktop.sandbox.discourse.data import DiscourseData
from desktop.sandbox.discourse.data.users import SYSTEM_CREATED_AT
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.seed import seed_database
from desktop.sandbox.seed_common import TODAY_ENV, day_start, demo_today
from desktop.sandbox.server import DATABASE_NAME
from desktop.sandbox.store.schema import table_digest

#: Mid-quarter, and a leap-year boundary twelve years back (2014 is not, 2016 is).
TODAY = date(2026, 8, 19)
DAY = 86_400
MEMBERS = 3_000


def _epoch(day: date = TODAY) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


@pytest.fixture(scope="module", params=[1, 2, 3])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "sandbox.db"
    seed_database(path, members=MEMBERS, seed=request.param, today=TODAY)
    return path


def _rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _count(path: Path, sql: str, *params: object) -> int:
    value = _rows(path, sql, *params)[0][0]
    assert isinstance(value, int)
    return value


def test_no_award_before_the_member_joined_nor_revoked_before_it_was_granted(demo: Path) -> None:
    assert _count(demo, "SELECT count(*) FROM awards") > MEMBERS
    assert (
        _count(
            demo,
            "SELECT count(*) FROM awards a JOIN members m ON m.id = a.member_id"
            " WHERE a.granted_at < m.joined_at",
        )
        == 0
    )
    assert _count(demo, "SELECT count(*) FROM awards WHERE revoked_at < granted_at") == 0


def test_no_request_for_a_badge_already_held(demo: Path) -> None:
    # Pending: not held now. Decided: not held when asked (an approved one is held from its decision).
    held_when_asked = _rows(
        demo,
        "SELECT r.id, r.state FROM requests r JOIN badges b ON b.id = r.badge_id"
        " JOIN awards a ON a.member_id = r.member_id AND a.badge_id = r.badge_id"
        " WHERE NOT b.multiple_grant AND a.granted_at <= r.created_at"
        " AND (a.revoked_at IS NULL OR a.revoked_at > r.created_at)",
    )
    assert held_when_asked == []
    pending_held = _rows(
        demo,
        "SELECT r.id FROM requests r JOIN badges b ON b.id = r.badge_id"
        " JOIN awards a ON a.member_id = r.member_id AND a.badge_id = r.badge_id"
        " WHERE r.state = 'pending' AND NOT b.multiple_grant AND a.revoked_at IS NULL",
    )
    assert pending_held == []
    # No badge is held twice unless it may be.
    assert (
        _rows(
            demo,
            "SELECT a.member_id, a.badge_id FROM awards a JOIN badges b ON b.id = a.badge_id"
            " WHERE a.revoked_at IS NULL AND NOT b.multiple_grant"
            " GROUP BY a.member_id, a.badge_id HAVING count(*) > 1",
        )
        == []
    )


def test_no_suspended_member_seen_yesterday_or_after_their_suspension(demo: Path, tmp_path: Path) -> None:
    yesterday = _epoch() - DAY
    suspended = _rows(demo, "SELECT id, joined_at, last_seen_at FROM members WHERE status = 'suspended'")
    assert suspended
    for _member_id, joined, last_seen in suspended:
        assert isinstance(joined, int) and joined < yesterday
        assert last_seen is None or (isinstance(last_seen, int) and joined <= last_seen < yesterday)
    # Nor did they ask for a badge after it.
    assert (
        _rows(
            demo,
            "SELECT r.id FROM requests r JOIN members m ON m.id = r.member_id"
            " WHERE m.status = 'suspended' AND r.created_at > coalesce(m.last_seen_at, m.joined_at)",
        )
        == []
    )
    # The Discourse face dates a suspension at the last visit: before yesterday too.
    copy = tmp_path / "discourse.db"
    copy.write_bytes(demo.read_bytes())
    data = DiscourseData(copy)
    try:
        users = data.users_by_id({int(str(row[0])) for row in suspended})
    finally:
        data.close()
    assert len(users) == len(suspended)
    for user in users.values():
        assert user.suspension is not None
        assert user.suspension.suspended_at < yesterday
        assert user.last_seen_at is None or user.last_seen_at <= user.suspension.suspended_at


def test_dates_lie_in_their_windows(demo: Path) -> None:
    today = _epoch()
    twelve_years_back = _epoch(date(2014, 8, 19))
    three_years_back = _epoch(date(2023, 8, 19))
    joined_min, joined_max = _rows(demo, "SELECT min(joined_at), max(joined_at) FROM members")[0]
    assert isinstance(joined_min, int) and isinstance(joined_max, int)
    assert twelve_years_back <= joined_min < twelve_years_back + 30 * DAY
    assert today - 30 * DAY < joined_max < today
    seen_max = _rows(demo, "SELECT max(last_seen_at) FROM members")[0][0]
    assert isinstance(seen_max, int) and today - DAY <= seen_max < today
    assert _count(demo, "SELECT count(*) FROM members WHERE last_seen_at < joined_at") == 0
    granted_min, granted_max = _rows(demo, "SELECT min(granted_at), max(granted_at) FROM awards")[0]
    assert isinstance(granted_min, int) and isinstance(granted_max, int)
    assert three_years_back <= granted_min < three_years_back + 30 * DAY
    assert today - 7 * DAY < granted_max < today
    assert _count(demo, "SELECT count(*) FROM awards WHERE revoked_at >= ?", today) == 0
    assert (
        _count(demo, "SELECT count(*) FROM requests WHERE created_at >= ? OR decided_at >= ?", today, today)
        == 0
    )
    # The system user of the Discourse face was there before anyone joined.
    assert joined_min > SYSTEM_CREATED_AT


def test_every_feature_has_something_to_show(demo: Path) -> None:
    today = _epoch()
    seen_lately = _count(
        demo, "SELECT count(*) FROM members WHERE status = 'active' AND last_seen_at >= ?", today - 90 * DAY
    )
    assert seen_lately > MEMBERS // 20
    # "joined more than 10 years ago and seen in the last 90 days"
    assert (
        _count(
            demo,
            "SELECT count(*) FROM members WHERE joined_at < ? AND last_seen_at >= ?",
            _epoch(date(2016, 8, 19)),
            today - 90 * DAY,
        )
        > 10
    )
    quarter_start = _epoch(date(2026, 7, 1))
    assert _count(demo, "SELECT count(*) FROM awards WHERE granted_at >= ?", quarter_start) > MEMBERS // 10
    assert _count(demo, "SELECT count(*) FROM requests WHERE state = 'pending'") >= 20
    with_members = {
        group
        for (groups,) in _rows(demo, "SELECT DISTINCT groups FROM members WHERE status != 'deleted'")
        for group in str(groups).split(",")
        if group
    }
    assert with_members == set(names.GROUPS)
    assert len(with_members) >= 4


def test_a_small_community_has_members_in_every_group(tmp_path: Path) -> None:
    path = tmp_path / "small.db"
    seed_database(path, members=300, seed=3, today=TODAY)
    counts: dict[object, object] = dict(
        _rows(  # type: ignore[arg-type]
            path,
            "WITH RECURSIVE split(id, rest, grp) AS ("
            " SELECT id, groups || ',', '' FROM members WHERE status != 'deleted'"
            " UNION ALL SELECT id, substr(rest, instr(rest, ',') + 1), substr(rest, 1, instr(rest, ',') - 1)"
            " FROM split WHERE rest != '')"
            " SELECT grp, count(*) FROM split WHERE grp != '' GROUP BY grp",
        )
    )
    assert set(counts) == set(names.GROUPS)


def test_the_same_day_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    seed_database(a, members=1_000, seed=9, today=TODAY)
    seed_database(b, members=1_000, seed=9, today=TODAY)
    assert a.read_bytes() == b.read_bytes()


def test_another_day_shifts_the_dates_and_keeps_the_community(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    seed_database(a, members=1_000, seed=9, today=TODAY)
    seed_database(b, members=1_000, seed=9, today=TODAY + timedelta(days=100))
    for table in ("members", "awards", "requests"):
        assert table_digest(a, table) != table_digest(b, table)
    who = "SELECT id, username, display_name, status, groups FROM members ORDER BY id"
    assert _rows(a, who) == _rows(b, who)
    held = "SELECT member_id, badge_id, granted_by FROM awards ORDER BY id"
    assert _rows(a, held) == _rows(b, held)
    # Each member joined about 100 days later (the twelve-year window is a few days longer or shorter).
    shifts = [
        (int(str(later)) - int(str(earlier))) / DAY
        for (earlier,), (later,) in zip(
            _rows(a, "SELECT joined_at FROM members ORDER BY id"),
            _rows(b, "SELECT joined_at FROM members ORDER BY id"),
            strict=True,
        )
    ]
    assert all(95 < shift <= 101 for shift in shifts)


def test_today_is_the_real_date_unless_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TODAY_ENV, raising=False)
    assert demo_today() == datetime.now(UTC).date()
    monkeypatch.setenv(TODAY_ENV, "2031-02-03")
    assert demo_today() == date(2031, 2, 3)
    assert demo_today(date(2020, 1, 1)) == date(2020, 1, 1)
    monkeypatch.setenv(TODAY_ENV, "3 February 2031")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        demo_today()
    assert day_start(date(2031, 2, 3)) == int(datetime(2031, 2, 3, tzinfo=UTC).timestamp())


def test_the_sandbox_command_takes_a_day(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = argparse.ArgumentParser(exit_on_error=False)
    add_sandbox_arguments(parser)
    assert parser.parse_args(["--today", "2026-08-19"]).today == TODAY
    assert parser.parse_args([]).today is None
    with pytest.raises(argparse.ArgumentError, match="YYYY-MM-DD"):
        parser.parse_args(["--today", "19/08/2026"])


def test_the_seed_records_its_day(demo: Path) -> None:
    assert _rows(demo, "SELECT value FROM meta WHERE key = 'seed_epoch'") == [(day_start(TODAY),)]


def test_a_sandbox_started_on_a_later_day_keeps_its_data_and_says_so(tmp_path: Path) -> None:
    with SandboxProcess(data_dir=tmp_path, members=200, seed=1, today=TODAY) as first:
        assert "note:" not in first.stderr_tail
    seeded = table_digest(tmp_path / DATABASE_NAME, "members")
    with SandboxProcess(data_dir=tmp_path, members=200, seed=1, today=TODAY + timedelta(days=1)) as later:
        deadline = time.monotonic() + 5
        while "relative to 2026-08-19" not in later.stderr_tail and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "the data is relative to 2026-08-19, when it was seeded" in later.stderr_tail
    assert table_digest(tmp_path / DATABASE_NAME, "members") == seeded
