"""The report's figures (desktop.reports) against hand-counted caches, and reconciled with the demo server.

The fixture community is counted by hand in Berlin time (CET, CEST from Sunday
29 March 2026 02:00):

=====  ======  =======  =========================  =====
award  member  badge    granted (Berlin)           by
=====  ======  =======  =========================  =====
a1     Ann     Speaker  2026-01-05 10:00           alice
a2     Bob     Speaker  2026-02-10 12:00           alice
a3     Cy      Helper   2026-03-31 23:59:59        bob
a4     Dee     Helper   2026-04-01 00:00:00        alice
a5     Ann     Helper   2026-05-20 09:00           bob
a6     Bob     Helper   2025-12-31 23:30 (before)  bob
a7     Cy      Speaker  2026-07-01 00:00 (after)   alice
=====  ======  =======  =========================  =====

Groups: "mvp" is listed by the server (Ann, Dee); the others are the members'
own: Ann "mentors", Bob "mentors" and "staff", Cy none.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlalchemy.exc

from desktop import i18n
from desktop.cache.cancellable import cancellable
from desktop.cache.database import Cache
from desktop.cache.groups import upsert_groups
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.domain import Award, Badge, BadgeState, Group, Member, MemberStatus, utc_now
from desktop.outbox import Outbox
from desktop.reports import (
    Measure,
    Period,
    Report,
    ReportQuery,
    ReportSource,
    Split,
    build_report,
    export_report_csv,
)
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.server import DATABASE_NAME
from desktop.sync import SyncService
from tests.core.test_outbox import FakeServer
from tests.fakes.memory_community import MemoryCommunity
from tests.fakes.memory_dialect import MemorySession
from tests.fakes.memory_server import MemoryServer

BERLIN = ZoneInfo("Europe/Berlin")
SPEAKER, HELPER, VETERAN = 1, 2, 3
ANN, BOB, CY, DEE = 10, 11, 12, 13
H1 = ReportQuery(date(2026, 1, 1), date(2026, 6, 30))


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=BERLIN)


def badge(badge_id: int, title: str) -> Badge:
    return Badge(badge_id, title.lower(), title, "", "", "", "", BadgeState.PUBLISHED, "", 1)


def member(member_id: int, name: str, *groups: str) -> Member:
    joined = datetime(2020, 1, 1, tzinfo=UTC)
    return Member(
        member_id,
        name.lower(),
        name,
        f"{name.lower()}@example.org",
        joined,
        None,
        MemberStatus.ACTIVE,
        groups,
    )


AWARDS = [
    Award(1, ANN, SPEAKER, berlin(2026, 1, 5, 10), "alice", ""),
    Award(2, BOB, SPEAKER, berlin(2026, 2, 10, 12), "alice", ""),
    Award(3, CY, HELPER, berlin(2026, 3, 31, 23, 59, 59), "bob", ""),
    Award(4, DEE, HELPER, berlin(2026, 4, 1), "alice", ""),
    Award(5, ANN, HELPER, berlin(2026, 5, 20, 9), "bob", ""),
    Award(6, BOB, HELPER, berlin(2025, 12, 31, 23, 30), "bob", ""),
    Award(7, CY, SPEAKER, berlin(2026, 7, 1), "alice", ""),
]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_badges(
            connection, [badge(SPEAKER, "Speaker"), badge(HELPER, "Helper"), badge(VETERAN, "Veteran")]
        )
        Cache.upsert_members(
            connection,
            [
                member(ANN, "Ann", "mentors"),
                member(BOB, "Bob", "mentors", "staff"),
                member(CY, "Cy"),
                member(DEE, "Dee"),
            ],
        )
        Cache.upsert_awards(connection, AWARDS)
        upsert_groups(connection, [Group(1, "mvp", "Most Valuable", 2, frozenset({ANN, DEE}))])
    yield cache
    cache.close()


def table(report: Report) -> dict[object, list[int]]:
    return {s.key: list(s.values) for s in report.series}


def test_quarters_by_badge(cache: Cache) -> None:
    report = build_report(cache, H1, zone=BERLIN)
    assert [p.label for p in report.periods] == ["2026-Q1", "2026-Q2"]
    assert [(p.start, p.end) for p in report.periods] == [
        (date(2026, 1, 1), date(2026, 4, 1)),
        (date(2026, 4, 1), date(2026, 7, 1)),
    ]
    # a3 in the last second of Q1 and a4 at midnight on the first of Q2 (both 31 March in UTC).
    assert table(report) == {SPEAKER: [2, 0], HELPER: [1, 2]}
    assert [s.name for s in report.series] == ["Helper", "Speaker"]
    assert report.totals == (3, 2)
    assert report.total == 5
    assert not report.overlapping
    assert report.source is ReportSource.SERVER


def test_quarters_by_moderator(cache: Cache) -> None:
    report = build_report(cache, ReportQuery(H1.first_day, H1.last_day, split=Split.MODERATOR), zone=BERLIN)
    assert table(report) == {"alice": [2, 1], "bob": [1, 1]}
    assert [s.name for s in report.series] == ["alice", "bob"]
    assert report.totals == (3, 2)
    assert not report.overlapping


def test_by_group_counts_a_member_once_in_each_of_their_groups(cache: Cache) -> None:
    report = build_report(cache, ReportQuery(H1.first_day, H1.last_day, split=Split.GROUP), zone=BERLIN)
    # Q1: a1 Ann (mentors, mvp), a2 Bob (mentors, staff), a3 Cy (none);
    # Q2: a4 Dee (mvp), a5 Ann (mentors, mvp).
    assert table(report) == {"mentors": [2, 1], "mvp": [1, 2], "staff": [1, 0], None: [1, 0]}
    assert [s.name for s in report.series] == ["mentors", "mvp", "staff", "In no group"]
    assert report.totals == (3, 2)
    # The split counts Ann and Bob twice: it does not sum to the total, and says so.
    assert report.overlapping
    assert [sum(s.values[i] for s in report.series) for i in range(2)] == [5, 3]


def test_by_group_without_overlap_sums_to_the_total(cache: Cache) -> None:
    report = build_report(
        cache, ReportQuery(date(2026, 3, 1), date(2026, 3, 31), Period.MONTH, Split.GROUP), zone=BERLIN
    )
    assert table(report) == {None: [1]}
    assert report.totals == (1,)
    assert not report.overlapping


def test_months_with_no_award_are_there_with_zero(cache: Cache) -> None:
    report = build_report(cache, ReportQuery(H1.first_day, H1.last_day, Period.MONTH), zone=BERLIN)
    assert [p.label for p in report.periods] == [f"2026-{m:02d}" for m in range(1, 7)]
    assert table(report) == {SPEAKER: [1, 1, 0, 0, 0, 0], HELPER: [0, 0, 1, 1, 1, 0]}
    assert report.totals == (1, 1, 1, 1, 1, 0)


def test_a_period_without_any_award_has_no_series_and_zero_totals(cache: Cache) -> None:
    report = build_report(cache, ReportQuery(date(2024, 1, 1), date(2024, 12, 31)), zone=BERLIN)
    assert len(report.periods) == 4
    assert report.series == ()
    assert report.totals == (0, 0, 0, 0)
    assert report.total == 0


def test_the_range_is_in_local_time_not_utc(cache: Cache) -> None:
    # a6 (31 December 23:30 in Berlin) is before the range, a7 (1 July 00:00) after it.
    report = build_report(cache, H1, zone=BERLIN)
    assert report.total == 5
    in_utc = build_report(cache, H1, zone=UTC)
    # In UTC, a7 (1 July 00:00 Berlin) falls on 30 June and a4 (1 April 00:00 Berlin) on 31 March.
    assert table(in_utc) == {SPEAKER: [2, 1], HELPER: [2, 1]}


def test_weeks_start_on_monday_across_the_dst_change(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "dst")
    sunday_night = datetime(2026, 3, 29, 21, 30, tzinfo=UTC)  # Sunday 23:30 CEST: week 13
    monday_early = datetime(2026, 3, 29, 22, 30, tzinfo=UTC)  # Monday 00:30 CEST: week 14 (23:30 in CET)
    with cache.write() as connection:
        Cache.upsert_awards(
            connection,
            [
                Award(1, ANN, SPEAKER, berlin(2026, 3, 23), "alice", ""),  # Monday 00:00 CET: week 13
                Award(2, BOB, SPEAKER, sunday_night, "alice", ""),
                Award(3, CY, SPEAKER, monday_early, "alice", ""),
                Award(4, DEE, SPEAKER, berlin(2026, 3, 22, 23, 59, 59), "alice", ""),  # week 12
            ],
        )
    try:
        report = build_report(
            cache, ReportQuery(date(2026, 3, 23), date(2026, 4, 5), Period.WEEK), zone=BERLIN
        )
    finally:
        cache.close()
    assert [p.label for p in report.periods] == ["2026-W13", "2026-W14"]
    assert [p.start for p in report.periods] == [date(2026, 3, 23), date(2026, 3, 30)]
    assert report.totals == (2, 1)
    # The week of the change is an hour short, and still a whole calendar week.
    assert all(p.complete for p in report.periods)


def test_weeks_cut_by_the_range_are_partial_and_keep_their_calendar_label(cache: Cache) -> None:
    report = build_report(cache, ReportQuery(date(2026, 1, 1), date(2026, 1, 14), Period.WEEK), zone=BERLIN)
    # 1 January 2026 is a Thursday of ISO week 1; 14 January a Wednesday of week 3.
    assert [(p.label, p.start, p.end, p.complete) for p in report.periods] == [
        ("2026-W01", date(2026, 1, 1), date(2026, 1, 5), False),
        ("2026-W02", date(2026, 1, 5), date(2026, 1, 12), True),
        ("2026-W03", date(2026, 1, 12), date(2026, 1, 15), False),
    ]
    assert report.totals == (0, 1, 0)


def test_iso_weeks_at_a_year_boundary_take_the_iso_year(cache: Cache) -> None:
    report = build_report(cache, ReportQuery(date(2026, 12, 28), date(2027, 1, 4), Period.WEEK), zone=BERLIN)
    assert [p.label for p in report.periods] == ["2026-W53", "2027-W01"]


def test_the_system_zone_is_used_when_none_is_given(cache: Cache) -> None:
    before = os.environ.get("TZ")
    try:
        os.environ["TZ"] = "Europe/Berlin"
        time.tzset()
        assert table(build_report(cache, H1)) == {SPEAKER: [2, 0], HELPER: [1, 2]}
        os.environ["TZ"] = "UTC"
        time.tzset()
        assert table(build_report(cache, H1)) == {SPEAKER: [2, 1], HELPER: [2, 1]}
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_a_range_that_ends_before_it_starts_is_refused(cache: Cache) -> None:
    with pytest.raises(ValueError):
        build_report(cache, ReportQuery(date(2026, 2, 1), date(2026, 1, 31)), zone=BERLIN)


def _add_action(
    cache: Cache,
    kind: str,
    state: str,
    outcome: str | None,
    member_id: int,
    badge_id: int,
    actor: str,
    at: datetime,
) -> None:
    seconds = int(at.timestamp())
    with cache.write() as connection:
        count = connection.exec_driver_sql("SELECT count(*) FROM actions").scalar() or 0
        connection.exec_driver_sql(
            "INSERT INTO actions (kind, payload, idempotency_key, state, created_at, updated_at, member_id,"
            " badge_id, actor, outcome, sent_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                json.dumps({"member_id": member_id, "badge_id": badge_id, "reason": "test"}),
                f"key-{count}",
                state,
                seconds - 60,
                seconds,
                member_id,
                badge_id,
                actor,
                outcome,
                seconds - 1,
                None if state != "done" else seconds,
            ),
        )


def test_revokes_are_those_this_machine_sent_and_the_server_confirmed(cache: Cache) -> None:
    _add_action(cache, "revoke", "done", "revoked", ANN, SPEAKER, "Alice M", berlin(2026, 2, 1, 12))
    _add_action(cache, "revoke", "done", "revoked", BOB, HELPER, "Bob M", berlin(2026, 4, 1, 0, 0, 1))
    _add_action(cache, "revoke", "done", "revoked", DEE, HELPER, "Alice M", berlin(2026, 3, 31, 23, 59))
    # Not revokes the server applied: nothing held, refused, not sent yet; and an award.
    _add_action(cache, "revoke", "done", "member_lost_badge", CY, SPEAKER, "Alice M", berlin(2026, 2, 2))
    _add_action(cache, "revoke", "failed", None, CY, HELPER, "Alice M", berlin(2026, 2, 3))
    _add_action(cache, "revoke", "pending", None, CY, HELPER, "Alice M", berlin(2026, 2, 4))
    _add_action(cache, "award", "done", "awarded", CY, HELPER, "Alice M", berlin(2026, 2, 5))
    query = ReportQuery(H1.first_day, H1.last_day, measure=Measure.REVOKES)
    by_badge = build_report(cache, query, zone=BERLIN)
    assert by_badge.source is ReportSource.THIS_MACHINE
    assert table(by_badge) == {SPEAKER: [1, 0], HELPER: [1, 1]}
    assert by_badge.totals == (2, 1)
    by_moderator = build_report(
        cache,
        ReportQuery(H1.first_day, H1.last_day, split=Split.MODERATOR, measure=Measure.REVOKES),
        zone=BERLIN,
    )
    assert table(by_moderator) == {"Alice M": [2, 0], "Bob M": [0, 1]}
    by_group = build_report(
        cache, ReportQuery(H1.first_day, H1.last_day, split=Split.GROUP, measure=Measure.REVOKES), zone=BERLIN
    )
    assert table(by_group) == {"mentors": [1, 1], "mvp": [2, 0], "staff": [0, 1]}
    assert "this machine" in by_badge.source.text


def test_a_revoke_sent_through_the_outbox_counts_once_the_server_confirmed_it(cache: Cache) -> None:
    server = FakeServer()
    server.held[(ANN, SPEAKER)] = 1
    outbox = Outbox(cache, actor="Alice Moderator")
    # Ann's Speaker is revoked; Cy holds no Helper on the server, so nothing is revoked for him.
    outbox.queue_revokes([ANN], SPEAKER, reason="duplicate")
    outbox.queue_revokes([CY], HELPER, reason="mistake")
    today = utc_now().date()
    query = ReportQuery(
        today - timedelta(days=1), today + timedelta(days=1), Period.WEEK, measure=Measure.REVOKES
    )
    assert build_report(cache, query, zone=UTC).total == 0  # queued, not sent
    outbox.send_pending(server)
    revokes = build_report(cache, dataclasses.replace(query, split=Split.MODERATOR), zone=UTC)
    assert [(s.key, s.total) for s in revokes.series] == [("Alice Moderator", 1)]
    assert revokes.total == 1
    # The award figures are the server's: the revoked grant (a1) is gone from them, and so is
    # Cy's Helper (a3), which the server said he no longer held.
    assert build_report(cache, H1, zone=BERLIN).totals == (1, 2)


def test_csv_export_reads_back_as_the_table(cache: Cache, tmp_path: Path) -> None:
    report = build_report(cache, ReportQuery(H1.first_day, H1.last_day, split=Split.GROUP), zone=BERLIN)
    path = tmp_path / "report.csv"
    assert export_report_csv(report, path) == 2
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["Period", "First day", "Last day", "mentors", "mvp", "staff", "In no group", "Total"],
        ["2026-Q1", "2026-01-01", "2026-03-31", "2", "1", "1", "1", "3"],
        ["2026-Q2", "2026-04-01", "2026-06-30", "1", "2", "0", "0", "2"],
        ["Total", "2026-01-01", "2026-06-30", "3", "3", "1", "1", "5"],
    ]
    assert not path.with_name("report.csv.part").exists()


def test_the_texts_follow_the_language_chosen_after_import(cache: Cache, tmp_path: Path) -> None:
    previous = i18n.use_translation(i18n.PseudoTranslations())
    try:
        report = build_report(cache, ReportQuery(H1.first_day, H1.last_day, split=Split.GROUP), zone=BERLIN)
        path = tmp_path / "pseudo.csv"
        export_report_csv(report, path)
        source = report.source.text
    finally:
        i18n.use_translation(previous)
    assert report.series[-1].name == i18n.pseudo("In no group")
    assert source == i18n.pseudo(ReportSource.SERVER.text)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[0] == i18n.pseudo("Period")
    assert header[-1] == i18n.pseudo("Total")


def test_csv_export_keeps_a_formula_as_text(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    with cache.write() as connection:
        Cache.upsert_awards(connection, [Award(1, ANN, SPEAKER, berlin(2026, 1, 5), "=HYPERLINK(1)", "")])
    try:
        report = build_report(
            cache, ReportQuery(H1.first_day, H1.last_day, split=Split.MODERATOR), zone=BERLIN
        )
    finally:
        cache.close()
    path = tmp_path / "r.csv"
    export_report_csv(report, path)
    assert "'=HYPERLINK(1)" in path.read_text(encoding="utf-8-sig")


# --- cancelling a count ------------------------------------------------------------

BIG_YEARS = ReportQuery(date(2024, 1, 1), date(2026, 12, 31), Period.WEEK, Split.GROUP)


@pytest.fixture(scope="module")
def big_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cache]:
    """200,000 awards over three years, 20,000 members, a tenth in a group or two: a count of
    a second or so by week and group, long enough to be cancelled in the middle."""
    cache = Cache(tmp_path_factory.mktemp("big") / "cache")
    start = int(berlin(2024, 1, 1).timestamp())
    with cache.write() as connection:
        connection.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
            " INSERT INTO members (id, username, display_name, email, joined_at, status, groups)"
            " SELECT i, 'u' || i, 'User ' || i, 'u' || i || '@example.org', ?, 'active',"
            " CASE i % 20 WHEN 0 THEN '[\"mentors\"]' WHEN 10 THEN '[\"mentors\", \"staff\"]' ELSE '[]' END"
            " FROM n",
            (start,),
        )
        connection.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)"
            " INSERT INTO awards (id, member_id, badge_id, granted_at, granted_by, reason)"
            " SELECT i, 1 + i % 20000, 1 + i / 20000, ? + (i * 7919) % (3 * 365 * 86400),"
            " 'Moderator ' || (i % 20), '' FROM n",
            (start,),
        )
    yield cache
    cache.close()


def test_a_cancelled_count_stops_well_before_it_would_end(big_cache: Cache) -> None:
    started = time.perf_counter()
    whole = build_report(big_cache, BIG_YEARS, zone=BERLIN)
    uncancelled = time.perf_counter() - started
    assert whole.total == 200_000

    cancel = CancelToken()
    cancelled_at: list[float] = []

    def cancel_now() -> None:
        cancelled_at.append(time.perf_counter())
        cancel.cancel()

    # Cancelled a tenth of the way in: the statement is running by then.
    timer = threading.Timer(uncancelled / 10, cancel_now)
    timer.start()
    try:
        with pytest.raises(Cancelled):
            build_report(big_cache, BIG_YEARS, zone=BERLIN, cancel=cancel)
    finally:
        timer.cancel()
    stopped_after = time.perf_counter() - cancelled_at[0]
    # From the cancel to the stop: a small part of the whole count, whatever the machine's pace.
    assert stopped_after < uncancelled / 3, (stopped_after, uncancelled)

    # The reader connections still answer, with no handler left to stop them (the token stays
    # cancelled): the same report, counted again.
    assert build_report(big_cache, BIG_YEARS, zone=BERLIN) == whole
    assert build_report(big_cache, BIG_YEARS, zone=BERLIN, cancel=CancelToken()) == whole


def test_a_token_cancelled_before_the_count_counts_nothing(big_cache: Cache) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        build_report(big_cache, BIG_YEARS, zone=BERLIN, cancel=cancel)


SLOW_COUNT = (
    "SELECT count(*) FROM awards a, (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
    " WHERE i < 1000) SELECT i FROM n) k WHERE a.granted_at + k.i > 0"
)


def test_the_interrupted_statement_leaves_its_connection_usable(big_cache: Cache) -> None:
    cancel = CancelToken()
    with big_cache.read() as connection:
        raw = connection.connection.driver_connection
        with pytest.raises(Cancelled), cancellable(connection, cancel):
            threading.Timer(0.05, cancel.cancel).start()
            connection.exec_driver_sql(SLOW_COUNT).scalar_one()
        # The same connection, the token still cancelled: the handler is gone.
        assert connection.connection.driver_connection is raw
        assert connection.exec_driver_sql("SELECT count(*) FROM awards").scalar_one() == 200_000


def test_the_handler_is_removed_after_an_error_too(big_cache: Cache) -> None:
    cancel = CancelToken()
    with big_cache.read() as connection:
        with pytest.raises(sqlalchemy.exc.OperationalError), cancellable(connection, cancel):
            connection.exec_driver_sql("SELECT * FROM no_such_table")
        cancel.cancel()
        assert connection.exec_driver_sql("SELECT count(*) FROM awards").scalar_one() == 200_000


# --- the demo community, synced as the app does --------------------------------


def assert_reconciles(cache: Cache, held: list[Award], groups_of: dict[int, tuple[str, ...]]) -> None:
    """Every report of ``cache`` over all of ``held`` (the server's standing grants, counted here
    by hand) agrees with them: per period, per badge, moderator and group, and in total."""
    zone = ZoneInfo("America/New_York")
    assert held
    first = min(a.granted_at for a in held).astimezone(zone).date() - timedelta(days=40)
    last = max(a.granted_at for a in held).astimezone(zone).date() + timedelta(days=40)
    for period in Period:
        reports = {
            split: build_report(cache, ReportQuery(first, last, period, split), zone=zone) for split in Split
        }
        by_badge = reports[Split.BADGE]
        # The grand total is every grant the server holds; each period's, those granted within it.
        assert by_badge.total == len(held) == cache.counts().awards
        for index, span in enumerate(by_badge.periods):
            start = datetime.combine(span.start, datetime.min.time(), zone)
            end = datetime.combine(span.end, datetime.min.time(), zone)
            inside = [a for a in held if start <= a.granted_at < end]
            assert by_badge.totals[index] == len(inside)
            assert {s.key: s.values[index] for s in by_badge.series if s.values[index]} == Counter(
                a.badge_id for a in inside
            )
            assert {
                s.key: s.values[index] for s in reports[Split.MODERATOR].series if s.values[index]
            } == Counter(a.granted_by for a in inside)
            groups = Counter(g for a in inside for g in groups_of.get(a.member_id) or (None,))
            assert {s.key: s.values[index] for s in reports[Split.GROUP].series if s.values[index]} == groups
        for split in (Split.BADGE, Split.MODERATOR):
            report = reports[split]
            assert report.totals == by_badge.totals
            assert not report.overlapping
            assert (
                tuple(sum(s.values[i] for s in report.series) for i in range(len(report.periods)))
                == report.totals
            )
        # Some demo members are in two groups ("admins" and "staff").
        assert reports[Split.GROUP].overlapping


def test_the_demo_reconciles_with_the_servers_awards(tmp_path: Path) -> None:
    community = MemoryCommunity.seeded(300, 3)
    cache = Cache(tmp_path / "cache")
    try:
        with MemorySession(MemoryServer(MemoryCommunity.seeded(300, 3))) as session:
            SyncService(cache, session).run()
        held = [community.awards[award_id].award for award_id in community.held.values()]
        assert_reconciles(cache, held, {m.id: m.groups for m in community.members.values()})
    finally:
        cache.close()


def test_the_sandbox_reconciles_over_http_with_another_moderators_grant(tmp_path: Path) -> None:
    """The sandbox server as the app meets it: synced over loopback HTTP, after a grant made by
    another moderator elsewhere; the server's own database is the count to match."""
    data = tmp_path / "sandbox"
    cache = Cache(tmp_path / "cache")
    try:
        with SandboxProcess(data_dir=data, members=300, seed=1) as sandbox:
            headers = {"Authorization": f"Bearer {sandbox.tokens['moderator2']}"}
            with httpx.Client(base_url=sandbox.url, headers=headers, timeout=15) as other:
                badges = other.get("/api/v1/badges", params={"limit": 500}).json()["items"]
                badge_id = next(b["id"] for b in badges if b["state"] == "published")
                holders = {
                    a["member_id"]
                    for a in other.get("/api/v1/awards", params={"badge_id": badge_id, "limit": 5000}).json()[
                        "items"
                    ]
                }
                members = other.get("/api/v1/members", params={"limit": 5000}).json()["items"]
                member_id = next(
                    m["id"] for m in members if m["status"] == "active" and m["id"] not in holders
                )
                item = {"idempotency_key": uuid.uuid4().hex, "member_id": member_id, "badge_id": badge_id}
                answer = other.post("/api/v1/awards/batch", json={"items": [item]}).json()["results"][0]
                assert answer["outcome"] == "awarded"
            with CommunityApiConnector(sandbox.url, sandbox.tokens["moderator"], timeout=30) as connector:
                SyncService(cache, connector).run()
        server = sqlite3.connect(data / DATABASE_NAME)
        try:
            held = [
                Award(i, m, b, datetime.fromtimestamp(at, UTC), by, "")
                for i, m, b, at, by in server.execute(
                    "SELECT id, member_id, badge_id, granted_at, granted_by FROM awards"
                    " WHERE revoked_at IS NULL AND badge_id > 0"
                )
            ]
            groups = {
                i: tuple(g for g in text.split(",") if g)
                for i, text in server.execute("SELECT id, groups FROM members")
            }
        finally:
            server.close()
        assert any(a.member_id == member_id and a.badge_id == badge_id for a in held)
        assert_reconciles(cache, held, groups)
    finally:
        cache.close()
