"""Rules that select members: every condition and operator on a hand-built cache, dates that
stay relative (year boundaries, short months, leap days, DST in Europe/Berlin), saved rules and
damaged ones."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from desktop import settings as settings_module
from desktop.cache.database import Cache
from desktop.cache.groups import upsert_groups
from desktop.domain import Award, Badge, BadgeState, Group, Member, MemberStatus
from desktop.member_search import (
    MemberQuery,
    MemberSearch,
    compile_rule,
    members_matching,
    query_from_dict,
    query_to_dict,
)
from desktop.rules import (
    EARLIEST,
    Ago,
    AllOf,
    AnyOf,
    BadgeRef,
    DateSpan,
    Day,
    GroupRef,
    HasStatus,
    HoldsBadge,
    InGroup,
    Joined,
    LastSeen,
    NeverSeen,
    Not,
    Rule,
    RuleNameError,
    TextMatches,
    Unit,
    between_days,
    delete_rule,
    duplicate_rule,
    lacks_badge,
    load_rule,
    more_than_ago,
    not_in_group,
    rename_rule,
    resolve,
    rule_from_dict,
    rule_to_dict,
    save_rule,
    saved_rule_names,
    with_names,
    within_last,
)
from desktop.settings import Settings

ACTIVE, SUSPENDED, DELETED = MemberStatus.ACTIVE, MemberStatus.SUSPENDED, MemberStatus.DELETED
DAYS, WEEKS, MONTHS, YEARS = Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def member(
    i: int,
    user: str,
    name: str,
    joined: datetime,
    seen: datetime | None,
    status: MemberStatus = ACTIVE,
    groups: Sequence[str] = (),
) -> Member:
    return Member(i, user, name, f"{user}@example.org", joined, seen, status, tuple(groups))


MEMBERS = [
    member(1, "alice", "Alice Archer", utc(2014, 3, 1), utc(2026, 1, 14), groups=["speakers"]),
    # Names the listed group "mvp" in her own row: the listing wins, as in the simple filter.
    member(2, "bob", "Bob Baker", utc(2016, 1, 20), utc(2025, 12, 20), groups=["mvp"]),
    member(3, "carol", "Carol Clark", utc(2020, 6, 1), None),
    member(4, "dave", "Dave Dunn", utc(2025, 12, 31), utc(2025, 6, 1), SUSPENDED),
    member(5, "erin", "Erin Ek", utc(2026, 1, 2), utc(2026, 1, 15, 11), groups=["speakers", "staff"]),
    member(6, "frank", "Frank Fox", utc(2010, 5, 5), utc(2024, 1, 1), DELETED),
]
EVERYONE = {1, 2, 3, 4, 5, 6}
# (member, badge, granted): badge 10 "Contest Winner"; badge 20 may be held several times.
AWARDS = [
    (1, 10, utc(2025, 6, 1)),
    (2, 10, utc(2023, 1, 1)),
    (5, 10, utc(2026, 1, 10)),
    (1, 20, utc(2020, 1, 1)),
    (1, 20, utc(2025, 12, 1)),
    (4, 20, utc(2024, 5, 1)),
]
MVP = GroupRef(7, "mvp")
SPEAKERS = GroupRef(None, "speakers")
WINNER = BadgeRef(10, "Contest Winner")
MULTI = BadgeRef(20, "Helper")


def build_cache(
    path: Path,
    members: Sequence[Member],
    awards: Sequence[tuple[int, int, datetime]] = (),
    groups: Sequence[Group] = (),
) -> Cache:
    cache = Cache(path)
    with cache.write() as connection:
        Cache.upsert_members(connection, members)
        Cache.upsert_badges(
            connection,
            [
                Badge(
                    b,
                    f"b{b}",
                    f"Badge {b}",
                    "",
                    "",
                    "",
                    "",
                    BadgeState.PUBLISHED,
                    "",
                    1,
                    multiple_grant=b == 20,
                )
                for b in sorted({bid for _m, bid, _at in awards})
            ],
        )
        Cache.upsert_awards(
            connection, [Award(i, mid, bid, at, "Mod", "") for i, (mid, bid, at) in enumerate(awards, 1)]
        )
        upsert_groups(connection, groups)
    return cache


@pytest.fixture(autouse=True)
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Sets the process's local time zone (TZ + tzset) for a test; UTC unless the test asks."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    use("UTC")
    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    built = build_cache(tmp_path / "c", MEMBERS, AWARDS, [Group(7, "mvp", "MVP", 2, frozenset({1, 6}))])
    yield built
    built.close()


def selected(cache: Cache, rule: Rule, now: datetime = NOW) -> set[int]:
    found = members_matching(cache, rule, now=now)
    assert found.count == len(found.ids) == len(set(found.ids))
    return set(found.ids)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # joined: relative (since 2025-12-15 12:00; before 2016-01-15 12:00) and absolute
        (Joined(within_last(1, MONTHS)), {4, 5}),
        (Joined(more_than_ago(10, YEARS)), {1, 6}),
        (Joined(between_days(date(2016, 1, 1), date(2020, 6, 1))), {2, 3}),
        (Joined(DateSpan(before=Day(date(2020, 6, 1)))), {1, 2, 6}),
        (Joined(DateSpan(since=Day(date(2026, 1, 1)))), {5}),
        (Joined(DateSpan()), EVERYONE),
        # last seen (since 2025-12-16 12:00; before 2025-01-15 12:00), at all, never
        (LastSeen(within_last(30, DAYS)), {1, 2, 5}),
        (LastSeen(within_last(1, DAYS)), {5}),
        (LastSeen(within_last(2, DAYS)), {1, 5}),
        (LastSeen(more_than_ago(1, YEARS)), {6}),
        (LastSeen(DateSpan()), {1, 2, 4, 5, 6}),
        (NeverSeen(), {3}),
        # status
        (HasStatus(frozenset({ACTIVE})), {1, 2, 3, 5}),
        (HasStatus(frozenset({SUSPENDED, DELETED})), {4, 6}),
        (HasStatus(frozenset()), set()),
        # groups: listed (by id, by name, renamed since), from the member rows, unknown
        (InGroup(MVP), {1, 6}),
        (InGroup(GroupRef(7, "Most Valuable")), {1, 6}),
        (InGroup(GroupRef(None, "mvp")), {1, 6}),
        (InGroup(SPEAKERS), {1, 5}),
        (InGroup(GroupRef(99, "staff")), {5}),
        (InGroup(GroupRef(None, "nobody")), set()),
        (not_in_group(SPEAKERS), {2, 3, 4, 6}),
        (not_in_group(MVP), {2, 3, 4, 5}),
        # badges, by id whatever their name now; awarded within a span (any of several grants)
        (HoldsBadge(WINNER), {1, 2, 5}),
        (HoldsBadge(BadgeRef(10, "Old title")), {1, 2, 5}),
        (HoldsBadge(BadgeRef(99, "Gone")), set()),
        (lacks_badge(WINNER), {3, 4, 6}),
        (HoldsBadge(WINNER, within_last(1, YEARS)), {1, 5}),
        (HoldsBadge(WINNER, more_than_ago(1, YEARS)), {2}),
        (HoldsBadge(MULTI, more_than_ago(5, YEARS)), {1}),
        (HoldsBadge(MULTI, between_days(date(2025, 11, 1), date(2025, 12, 31))), {1}),
        (HoldsBadge(MULTI, DateSpan(since=Day(date(2024, 1, 1)), before=Day(date(2025, 1, 1)))), {4}),
        (Not(HoldsBadge(MULTI, between_days(date(2024, 1, 1), date(2024, 12, 31)))), {1, 2, 3, 5, 6}),
        # text, as the search box
        (TextMatches("ali"), {1}),
        (TextMatches("BAKER"), {2}),
        (TextMatches("erin@example"), {5}),
        (TextMatches(" , "), EVERYONE),
    ],
)
def test_each_condition(cache: Cache, rule: Rule, expected: set[int]) -> None:
    assert selected(cache, rule) == expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (AllOf((HoldsBadge(WINNER), Joined(more_than_ago(5, YEARS)))), {1, 2}),
        (AnyOf((NeverSeen(), HasStatus(frozenset({DELETED})))), {3, 6}),
        (Not(AnyOf((NeverSeen(), HasStatus(frozenset({DELETED}))))), {1, 2, 4, 5}),
        (Not(Not(InGroup(SPEAKERS))), {1, 5}),
        # The example: joined 10+ years ago and active in the last 90 days.
        (AllOf((Joined(more_than_ago(10, YEARS)), LastSeen(within_last(90, DAYS)))), {1}),
        # NOT stays exact for members never seen: not seen lately includes them.
        (Not(LastSeen(within_last(30, DAYS))), {3, 4, 6}),
        (Not(LastSeen(more_than_ago(1, YEARS))), {1, 2, 3, 4, 5}),
        (
            AnyOf(
                (
                    AllOf((InGroup(SPEAKERS), Not(HoldsBadge(MULTI)))),
                    AllOf((HasStatus(frozenset({SUSPENDED})), lacks_badge(WINNER))),
                )
            ),
            {5, 4},
        ),
        (AllOf((TextMatches("example"), Not(TextMatches("alice")))), {2, 3, 4, 5, 6}),
        (AllOf((TextMatches("a"), Not(TextMatches("alice")))), set()),
        # Empty groups: AND of nothing is everyone, OR of nothing no one; NOT turns them over.
        (AllOf(()), EVERYONE),
        (AnyOf(()), set()),
        (Not(AllOf(())), set()),
        (Not(AnyOf(())), EVERYONE),
        (AllOf((AnyOf(()), NeverSeen())), set()),
        (AnyOf((Not(AllOf(())), NeverSeen())), {3}),
    ],
)
def test_operators(cache: Cache, rule: Rule, expected: set[int]) -> None:
    assert selected(cache, rule) == expected


def test_values_travel_as_parameters_only(cache: Cache) -> None:
    hostile = "x'); DROP TABLE members; --"
    rule = AnyOf((InGroup(GroupRef(None, hostile)), TextMatches(hostile), HoldsBadge(BadgeRef(1, hostile))))
    sql, params = compile_rule(rule, NOW)
    assert "DROP" not in sql and "'" not in sql
    assert sql.count("?") == len(params)
    assert selected(cache, rule) == set()
    assert selected(cache, Not(rule)) == EVERYONE


def test_a_query_carries_a_rule_beside_the_text_and_simple_filters(cache: Cache) -> None:
    search = MemberSearch(cache)
    rule = AnyOf((InGroup(SPEAKERS), InGroup(MVP)))
    assert search.ids(MemberQuery(rule=rule), now=NOW) == [1, 5, 6]  # name order
    query = MemberQuery(text="e", rule=rule, status=ACTIVE)
    assert set(search.ids(query, now=NOW)) == {1, 5}
    assert search.count(query, now=NOW) == 2
    assert set(search.first_window(query, now=NOW)) == {1, 5}
    assert search.ids(MemberQuery(rule=rule, holds=frozenset({20})), now=NOW) == [1]


def test_members_matching_lists_by_name_with_a_count(cache: Cache) -> None:
    found = members_matching(cache, Not(NeverSeen()), now=NOW)
    assert found.ids == [1, 2, 4, 5, 6]
    assert found.count == 5


# --- the calendar ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "point", "expected"),
    [
        # A month back from the 31st is the month's last day; a year back from 29 February is the 28th.
        (utc(2026, 3, 31, 9), Ago(1, MONTHS), utc(2026, 2, 28, 9)),
        (utc(2024, 3, 31, 9), Ago(1, MONTHS), utc(2024, 2, 29, 9)),
        (utc(2028, 2, 29, 9), Ago(1, YEARS), utc(2027, 2, 28, 9)),
        (utc(2028, 2, 29, 9), Ago(4, YEARS), utc(2024, 2, 29, 9)),
        # Across the year boundary.
        (utc(2026, 1, 5, 10), Ago(10, DAYS), utc(2025, 12, 26, 10)),
        (utc(2026, 1, 5, 10), Ago(1, WEEKS), utc(2025, 12, 29, 10)),
        (utc(2026, 1, 31, 10), Ago(2, MONTHS), utc(2025, 11, 30, 10)),
        (utc(2026, 1, 5, 10), Ago(13, MONTHS), utc(2024, 12, 5, 10)),
        (utc(2026, 1, 5, 10), Ago(1, YEARS), utc(2025, 1, 5, 10)),
        (utc(2026, 1, 5, 10), Ago(0, DAYS), utc(2026, 1, 5, 10)),
        (utc(2026, 1, 5, 10), Day(date(2025, 12, 31)), utc(2025, 12, 31)),
    ],
)
def test_calendar_arithmetic(now: datetime, point: Ago | Day, expected: datetime) -> None:
    assert resolve(point, now) == expected


def test_relative_dates_across_the_year_boundary(cache: Cache) -> None:
    new_year = datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert selected(cache, Joined(within_last(1, WEEKS)), new_year) == {4, 5}
    assert selected(cache, Joined(within_last(1, YEARS)), new_year) == {4, 5}
    assert selected(cache, LastSeen(within_last(1, MONTHS)), new_year) == {1, 2, 5}
    assert selected(cache, Joined(more_than_ago(10, YEARS)), new_year) == {1, 6}
    # On 2026-01-21, Bob (joined 2016-01-20) has passed ten years.
    assert selected(cache, Joined(more_than_ago(10, YEARS)), utc(2026, 1, 21)) == {1, 2, 6}


def test_further_back_than_the_calendar_goes_is_before_everything(cache: Cache) -> None:
    assert resolve(Ago(100_000, YEARS), NOW) == resolve(Ago(10**9, DAYS), NOW) == EARLIEST
    assert resolve(Ago(10**30, MONTHS), NOW) == EARLIEST
    assert selected(cache, Joined(within_last(100_000, YEARS))) == EVERYONE
    assert selected(cache, Joined(more_than_ago(10**12, WEEKS))) == set()


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        resolve(Ago(1, DAYS), datetime(2026, 1, 1))


def test_days_are_calendar_days_across_dst_in_the_local_time_zone(
    tmp_path: Path, zone: Callable[[str], None]
) -> None:
    zone("Europe/Berlin")
    # Summer time starts on 2026-03-29 (02:00 CET → 03:00 CEST): two calendar days back
    # from Monday noon CEST is Saturday noon CET, 47 hours.
    spring = datetime(2026, 3, 30, 10, tzinfo=UTC)  # 12:00 CEST
    assert resolve(Ago(2, DAYS), spring) == datetime(2026, 3, 28, 11, tzinfo=UTC)  # 12:00 CET
    # It ends on 2026-10-25 (03:00 CEST → 02:00 CET): two days back is 49 hours.
    autumn = datetime(2026, 10, 26, 11, tzinfo=UTC)  # 12:00 CET
    assert resolve(Ago(2, DAYS), autumn) == datetime(2026, 10, 24, 10, tzinfo=UTC)  # 12:00 CEST
    # A day starts at local midnight.
    assert resolve(Day(date(2026, 3, 29)), spring) == datetime(2026, 3, 28, 23, tzinfo=UTC)
    assert resolve(Day(date(2026, 7, 1)), spring) == datetime(2026, 6, 30, 22, tzinfo=UTC)
    # A month back from the summer into the winter keeps the wall clock.
    assert resolve(Ago(1, MONTHS), datetime(2026, 4, 15, 10, tzinfo=UTC)) == datetime(
        2026, 3, 15, 11, tzinfo=UTC
    )

    members = [
        member(1, "early", "Early", utc(2020, 1, 1), datetime(2026, 3, 28, 10, 30, tzinfo=UTC)),  # 11:30 CET
        member(2, "late", "Late", utc(2020, 1, 1), datetime(2026, 3, 28, 11, 30, tzinfo=UTC)),  # 12:30 CET
        member(3, "autumn", "Autumn", utc(2020, 1, 1), datetime(2026, 10, 24, 9, 30, tzinfo=UTC)),
        member(4, "autumn2", "Autumn Two", utc(2020, 1, 1), datetime(2026, 10, 24, 10, 30, tzinfo=UTC)),
    ]
    cache = build_cache(tmp_path / "dst", members)
    try:
        rule = LastSeen(within_last(2, DAYS))
        # 48 hours back would take in "early" (seen 47.5 hours before) in spring.
        assert selected(cache, rule, spring) == {2, 3, 4}
        assert selected(cache, rule, autumn) == {4}
        # The same rule in UTC reads the clock differently: it is the local zone that counts.
        zone("UTC")
        assert selected(cache, rule, spring) == {1, 2, 3, 4}
        assert selected(cache, rule, autumn) == set()
    finally:
        cache.close()


def test_an_explicit_time_zone_gives_the_same_calendar() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    spring = datetime(2026, 3, 30, 10, tzinfo=UTC)
    assert resolve(Ago(2, DAYS), spring, berlin) == datetime(2026, 3, 28, 11, tzinfo=UTC)
    assert resolve(Day(date(2026, 3, 29)), spring, berlin) == datetime(2026, 3, 28, 23, tzinfo=UTC)
    _sql, params = compile_rule(LastSeen(within_last(2, DAYS)), spring, berlin)
    assert params == [int(datetime(2026, 3, 28, 11, tzinfo=UTC).timestamp())]


# --- saving -------------------------------------------------------------------------

EVERY_KIND: Rule = AllOf(
    (
        Joined(DateSpan(since=Day(date(2015, 1, 1)), before=Ago(10, YEARS))),
        LastSeen(within_last(90, DAYS)),
        AnyOf(
            (NeverSeen(), HasStatus(frozenset({SUSPENDED, DELETED}))),
        ),
        Not(InGroup(MVP)),
        InGroup(SPEAKERS),
        HoldsBadge(WINNER, DateSpan(since=Ago(6, MONTHS))),
        lacks_badge(MULTI),
        TextMatches('ann "x"'),
        AllOf(()),
        AnyOf(()),
        Joined(within_last(2, WEEKS)),
    )
)


def test_rules_round_trip_through_json() -> None:
    saved = json.loads(json.dumps(rule_to_dict(EVERY_KIND)))
    assert saved["version"] == 1
    assert rule_from_dict(saved) == EVERY_KIND
    # Badges and groups keep their id and the name they had.
    text = json.dumps(saved)
    assert '"id": 10, "name": "Contest Winner"' in text
    assert '"id": null, "name": "speakers"' in text


def test_a_saved_rule_keeps_its_meaning_a_year_later(cache: Cache, tmp_path: Path) -> None:
    rule = AllOf((Joined(more_than_ago(10, YEARS)), LastSeen(within_last(90, DAYS))))
    settings = Settings()
    save_rule(settings, "Veterans, active", rule)
    path = tmp_path / "settings.json"
    settings_module.save(settings, path)
    stored = path.read_text(encoding="utf-8")
    # Relative dates are stored as such, never as the day they stood for when saved.
    assert '"ago": 90' in stored and "2025" not in stored and "2026" not in stored

    loaded = load_rule(settings_module.load(path), "Veterans, active")
    assert loaded == rule
    assert selected(cache, loaded) == {1}
    a_year_later = NOW + timedelta(days=365)
    # Nobody has been seen in the 90 days before 2027-01-15 …
    assert selected(cache, loaded, a_year_later) == set()
    # … until Bob (ten years in by then) and Dave (not) come back.
    with cache.write() as connection:
        Cache.upsert_members(
            connection,
            [
                member(2, "bob", "Bob Baker", utc(2016, 1, 20), utc(2027, 1, 1)),
                member(4, "dave", "Dave Dunn", utc(2025, 12, 31), utc(2027, 1, 2), SUSPENDED),
            ],
        )
    assert selected(cache, loaded, a_year_later) == {2}


def test_saved_rules_name_rename_delete_duplicate() -> None:
    settings = Settings()
    first = Joined(within_last(30, DAYS))
    assert save_rule(settings, "  New joiners ", first) == "New joiners"
    save_rule(settings, "active", LastSeen(within_last(90, DAYS)))
    assert saved_rule_names(settings) == ["active", "New joiners"]
    with pytest.raises(RuleNameError, match="already a saved rule"):
        save_rule(settings, "New joiners", NeverSeen())
    with pytest.raises(RuleNameError, match="needs a name"):
        save_rule(settings, "   ", NeverSeen())
    save_rule(settings, "New joiners", Joined(within_last(60, DAYS)), replace=True)
    assert load_rule(settings, "New joiners") == Joined(within_last(60, DAYS))

    assert rename_rule(settings, "New joiners", "Recent joiners") == "Recent joiners"
    assert list(settings.saved_rules) == ["Recent joiners", "active"]  # keeps its place
    assert load_rule(settings, "Recent joiners") == Joined(within_last(60, DAYS))
    with pytest.raises(RuleNameError):
        rename_rule(settings, "Recent joiners", "active")
    with pytest.raises(RuleNameError):
        rename_rule(settings, "Recent joiners", "")
    assert rename_rule(settings, "active", "active") == "active"
    with pytest.raises(KeyError):
        rename_rule(settings, "missing", "x")

    assert duplicate_rule(settings, "active") == "active (copy)"
    assert duplicate_rule(settings, "active") == "active (copy 2)"
    assert load_rule(settings, "active (copy 2)") == load_rule(settings, "active")
    # A copy is a copy: changing one leaves the other as it was.
    settings.saved_rules["active (copy)"]["rule"]["last_seen"]["since"]["ago"] = 7
    assert load_rule(settings, "active") == LastSeen(within_last(90, DAYS))

    delete_rule(settings, "active (copy)")
    delete_rule(settings, "never there")
    assert saved_rule_names(settings) == ["active", "active (copy 2)", "Recent joiners"]
    with pytest.raises(KeyError):
        load_rule(settings, "active (copy)")


def test_a_damaged_saved_rule_can_still_be_deleted_or_duplicated() -> None:
    settings = Settings(saved_rules={"broken": {"version": 1, "rule": {"bogus": True}}})
    with pytest.raises(ValueError, match="damaged saved rule"):
        load_rule(settings, "broken")
    assert duplicate_rule(settings, "broken") == "broken (copy)"
    delete_rule(settings, "broken")
    assert list(settings.saved_rules) == ["broken (copy)"]


def test_names_follow_renamed_badges_and_groups() -> None:
    rule = AllOf((HoldsBadge(WINNER), Not(InGroup(MVP)), InGroup(SPEAKERS), HoldsBadge(BadgeRef(3, "Gone"))))
    renamed = with_names(rule, {10: "Contest Champion"}, {7: "Most Valuable"})
    assert renamed == AllOf(
        (
            HoldsBadge(BadgeRef(10, "Contest Champion")),
            Not(InGroup(GroupRef(7, "Most Valuable"))),
            InGroup(SPEAKERS),
            HoldsBadge(BadgeRef(3, "Gone")),
        )
    )


def _saved(rule: Any) -> dict[str, Any]:
    return {"version": 1, "rule": rule}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("not a rule", "at top: expected an object, found str"),
        ({}, "at top: no version"),
        ({"version": 3, "rule": {"never_seen": True}}, "written by a newer BadgeDesk (format 3"),
        ({"version": "1", "rule": {"never_seen": True}}, "at version: expected a whole number"),
        ({"version": 0, "rule": {"never_seen": True}}, "unknown format 0"),
        ({"version": 1}, "at top: no rule"),
        (_saved(None), "at rule: expected an object, found NoneType"),
        (_saved({"bogus": 1}), "at rule: expected one of"),
        (_saved({"all": [], "any": []}), "at rule: expected one of"),
        (_saved({"all": {}}), "at rule.all: expected a list, found dict"),
        (_saved({"any": [{"never_seen": True}, 3]}), "at rule.any[1]: expected an object, found int"),
        (
            _saved({"all": [{"joined": {"since": {"ago": 5, "unit": "fortnights"}}}]}),
            "at rule.all[0].joined.since.unit: unknown unit 'fortnights'",
        ),
        (_saved({"joined": {"since": {"ago": -3, "unit": "days"}}}), "at rule.joined.since.ago: a negative"),
        (_saved({"joined": {"since": {"ago": 1.5, "unit": "days"}}}), "expected a whole number, found 1.5"),
        (_saved({"joined": {"before": {"day": "2024-02-30"}}}), "at rule.joined.before.day: not a date"),
        (_saved({"joined": {"before": {"day": 20240101}}}), "at rule.joined.before.day: expected text"),
        (_saved({"joined": {"before": {"when": "now"}}}), "expected a day or a distance back in time"),
        (_saved({"joined": {"after": None}}), "at rule.joined: unknown keys ['after']"),
        (_saved({"last_seen": []}), "at rule.last_seen: expected an object, found list"),
        (_saved({"never_seen": False}), "at rule.never_seen: expected true"),
        (_saved({"status": ["active", "sleeping"]}), "at rule.status: unknown status"),
        (_saved({"status": "active"}), "at rule.status: expected a list"),
        (_saved({"in_group": {"id": True, "name": "x"}}), "at rule.in_group.id: expected a whole number"),
        (_saved({"in_group": {"id": 3}}), "at rule.in_group.name: expected text"),
        (
            _saved({"holds_badge": {"id": "12", "name": "x"}}),
            "at rule.holds_badge.id: expected a whole number",
        ),
        (
            _saved({"holds_badge": {"id": 12, "name": "x"}, "awarded": {"since": {"ago": 1}}}),
            "at rule.awarded.since: expected a day or a distance",
        ),
        (_saved({"text": None}), "at rule.text: expected text"),
        (_saved({"never_seen": True, "awarded": {}}), "at rule: unknown keys ['awarded']"),
        (_saved({"text": "x", "negate": True}), "at rule: unknown keys ['negate']"),
        (_saved({"not": {"not": {"not": None}}}), "at rule.not.not.not: expected an object"),
    ],
)
def test_damaged_rules_are_refused_saying_where(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=r"^damaged saved rule") as refused:
        rule_from_dict(data)
    assert message in str(refused.value)


def test_a_rule_nested_without_end_is_refused() -> None:
    node: dict[str, Any] = {"never_seen": True}
    for _level in range(200):
        node = {"not": node}
    with pytest.raises(ValueError, match="nested too deeply"):
        rule_from_dict(_saved(node))


def test_saved_searches_carry_a_rule_and_older_ones_still_read() -> None:
    query = MemberQuery(text="ann", status=ACTIVE, rule=EVERY_KIND)
    assert query_from_dict(json.loads(json.dumps(query_to_dict(query)))) == query
    plain = query_to_dict(MemberQuery(text="ann"))
    assert "rule" not in plain
    assert query_from_dict(plain) == MemberQuery(text="ann")
    with pytest.raises(ValueError, match="damaged saved rule"):
        query_from_dict({**plain, "rule": {"version": 1, "rule": {"status": "x"}}})


def test_saved_rules_survive_settings_files(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"saved_rules": ["not", "a", "mapping"]}), encoding="utf-8")
    assert settings_module.load(path).saved_rules == {}
    settings = Settings()
    save_rule(settings, "Ünïcode “rule”", EVERY_KIND)
    settings_module.save(settings, path)
    assert load_rule(settings_module.load(path), "Ünïcode “rule”") == EVERY_KIND
