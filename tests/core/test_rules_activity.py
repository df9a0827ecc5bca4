"""Posts and trust level in rules: every operator over known and unknown (NULL) values, NOT
included, their saved form (format 2 only where used; format 1 still read) and the mirror's
columns (an existing cache upgrades, a new one is built with them)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from desktop.cache.database import Cache
from desktop.domain import Member, MemberStatus
from desktop.member_search import members_matching
from desktop.rules import (
    RULE_FORMAT,
    AllOf,
    AnyOf,
    HasTrustLevel,
    Joined,
    Not,
    Posts,
    Rule,
    TrustLevel,
    rule_from_dict,
    rule_to_dict,
    uses_member_activity,
    within_last,
)
from desktop.rules import Unit as U

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
T0 = datetime(2020, 1, 1, tzinfo=UTC)


def member(i: int, trust: int | None, posts: int | None) -> Member:
    return Member(i, f"u{i}", f"User {i}", f"u{i}@example.org", T0, T0, MemberStatus.ACTIVE, (), trust, posts)


# 1: a new user without posts; 2: basic, 5 posts; 3: regular, 120; 4: leader, 4000;
# 5: unknown to the server (both NULL); 6: a trust level but no count (each column on its own).
MEMBERS = [
    member(1, 0, 0),
    member(2, 1, 5),
    member(3, 3, 120),
    member(4, 4, 4000),
    member(5, None, None),
    member(6, 2, None),
]
EVERYONE = {1, 2, 3, 4, 5, 6}


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    built = Cache(tmp_path / "c")
    with built.write() as connection:
        Cache.upsert_members(connection, MEMBERS)
    yield built
    built.close()


def selected(cache: Cache, rule: Rule) -> set[int]:
    return set(members_matching(cache, rule, now=NOW).ids)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (Posts(at_least=5), {2, 3, 4}),
        (Posts(at_most=5), {1, 2}),
        (Posts(at_least=5, at_most=120), {2, 3}),
        (Posts(at_least=0), {1, 2, 3, 4}),  # known counts only: "at least 0" is not everyone
        (Posts(), {1, 2, 3, 4}),  # no bound: the count is known
        (Posts(at_least=10, at_most=5), set()),
        (HasTrustLevel(frozenset({TrustLevel.BASIC, TrustLevel.REGULAR})), {2, 3}),
        (HasTrustLevel(frozenset({TrustLevel.MEMBER})), {6}),
        (HasTrustLevel(frozenset(TrustLevel)), {1, 2, 3, 4, 6}),
        (HasTrustLevel(frozenset()), set()),
    ],
)
def test_each_comparison_leaves_unknown_values_out(cache: Cache, rule: Rule, expected: set[int]) -> None:
    assert selected(cache, rule) == expected


@pytest.mark.parametrize(
    "rule",
    [
        Posts(at_least=5),
        Posts(at_most=5),
        Posts(),
        HasTrustLevel(frozenset({TrustLevel.BASIC, TrustLevel.REGULAR})),
        HasTrustLevel(frozenset()),
    ],
)
def test_not_is_the_exact_complement_unknown_values_included(cache: Cache, rule: Rule) -> None:
    """The comparison is false for an unknown value, never NULL: NOT turns it true, as "not seen
    in the last 90 days" takes in members never seen, instead of dropping them from both sides."""
    assert selected(cache, Not(rule)) == EVERYONE - selected(cache, rule)
    assert 5 in selected(cache, Not(rule))


def test_combined_with_the_other_operators(cache: Cache) -> None:
    regulars = HasTrustLevel(frozenset({TrustLevel.REGULAR, TrustLevel.LEADER}))
    assert selected(cache, AllOf((regulars, Posts(at_most=1000)))) == {3}
    assert selected(cache, AnyOf((Posts(at_most=0), Not(regulars)))) == {1, 2, 5, 6}
    assert selected(cache, AllOf((Joined(within_last(10, U.YEARS)), Not(Posts(at_least=1))))) == {1, 5, 6}


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Posts(at_least=-1)


def test_which_rules_use_posts_or_trust_level() -> None:
    assert uses_member_activity(Not(AnyOf((Joined(within_last(1, U.DAYS)), AllOf((Posts(at_least=1),))))))
    assert uses_member_activity(HasTrustLevel(frozenset()))
    assert not uses_member_activity(AllOf((Joined(within_last(1, U.DAYS)), Not(AnyOf(())))))


ACTIVITY: Rule = AllOf(
    (
        Posts(at_least=10),
        Posts(at_most=3),
        Posts(at_least=1, at_most=2),
        Not(HasTrustLevel(frozenset({TrustLevel.NEW_USER, TrustLevel.LEADER}))),
        HasTrustLevel(frozenset()),
    )
)


def test_round_trip_through_json_as_format_2() -> None:
    saved = json.loads(json.dumps(rule_to_dict(ACTIVITY)))
    assert saved["version"] == RULE_FORMAT == 2
    assert saved["rule"]["all"][0] == {"posts": {"at_least": 10, "at_most": None}}
    assert saved["rule"]["all"][3] == {"not": {"trust_level": [0, 4]}}
    assert rule_from_dict(saved) == ACTIVITY


def test_a_rule_without_them_is_still_written_as_format_1_and_read() -> None:
    """An older BadgeDesk reads format 1 only: a rule it can read keeps that format."""
    plain = AllOf((Joined(within_last(90, U.DAYS)),))
    assert rule_to_dict(plain)["version"] == 1
    assert rule_from_dict({"version": 1, "rule": {"all": [{"joined": {"since": None, "before": None}}]}})


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"posts": {"at_least": -1}}, "at rule.posts.at_least: expected a count"),
        ({"posts": {"at_least": "3"}}, "at rule.posts.at_least: expected a whole number"),
        ({"posts": {"more_than": 3}}, "at rule.posts: unknown keys ['more_than']"),
        ({"posts": 3}, "at rule.posts: expected an object"),
        ({"trust_level": [5]}, "at rule.trust_level: unknown trust level"),
        ({"trust_level": [True]}, "at rule.trust_level: unknown trust level"),
        ({"trust_level": 2}, "at rule.trust_level: expected a list"),
    ],
)
def test_damaged_conditions_are_refused_saying_where(node: Any, message: str) -> None:
    with pytest.raises(ValueError, match=r"^damaged saved rule") as refused:
        rule_from_dict({"version": 2, "rule": node})
    assert message in str(refused.value)


# --- the mirror -----------------------------------------------------------------------------


def test_an_existing_cache_upgrades_and_its_members_are_unknown_until_synced(tmp_path: Path) -> None:
    from alembic import command

    from desktop.cache.storage import _MIRROR_MIGRATIONS, _alembic_config

    # A cache of the release before: its mirror at 0008 (this revision's downgrade takes it there).
    Cache(tmp_path / "c").close()
    engine = create_engine(f"sqlite:///{tmp_path / 'c' / 'mirror.sqlite3'}")
    with engine.begin() as connection:
        command.downgrade(_alembic_config(_MIRROR_MIGRATIONS, connection), "0008")
        connection.exec_driver_sql(
            "INSERT INTO members (id, username, display_name, email, joined_at, status, groups)"
            " VALUES (1, 'ann', 'Ann', 'ann@example.org', 0, 'active', '[]')"
        )
        columns = {row[1] for row in connection.exec_driver_sql("PRAGMA table_info(members)")}
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    assert revision == "0008" and not {"trust_level", "post_count"} & columns
    cache = Cache(tmp_path / "c")  # upgrades the mirror to head
    try:
        old = cache.member(1)
        assert old is not None and (old.trust_level, old.post_count) == (None, None)
        assert selected(cache, Posts()) == set()
        assert selected(cache, Not(Posts())) == {1}
        with cache.write() as connection:  # the next sync that reads the member fills them in
            Cache.upsert_members(connection, [member(1, 2, 7)])
        synced = cache.member(1)
        assert synced is not None and (synced.trust_level, synced.post_count) == (2, 7)
        assert selected(cache, Posts(at_least=7)) == {1}
    finally:
        cache.close()


def test_a_mirror_rebuilt_beside_the_live_one_carries_them(tmp_path: Path) -> None:
    """The rebuild path (a full resync into a new mirror, swapped in when complete)."""
    from desktop.cache.mirror_builder import MirrorBuilder

    cache = Cache(tmp_path / "c")
    try:
        with cache.write() as connection:
            Cache.upsert_members(connection, [member(1, None, None)])
        builder = MirrorBuilder(cache, tmp_path / "c" / "next.sqlite3")
        with builder.write() as connection:
            Cache.upsert_members(connection, [member(1, 4, 900), member(2, 0, 0)])
        builder.close()
        cache.replace_mirror(tmp_path / "c" / "next.sqlite3")
        assert [cache.member(1), cache.member(2)] == [member(1, 4, 900), member(2, 0, 0)]
        assert selected(cache, HasTrustLevel(frozenset({TrustLevel.LEADER}))) == {1}
    finally:
        cache.close()


def test_a_sync_overwrites_them(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    try:
        with cache.write() as connection:
            Cache.upsert_members(connection, [member(1, 1, 3)])
            Cache.upsert_members(connection, [member(1, 3, 40)])
        assert cache.member(1) == member(1, 3, 40)
        with cache.write() as connection:  # a server that stops saying: unknown again
            Cache.upsert_members(connection, [member(1, None, None)])
        assert cache.member(1) == member(1, None, None)
    finally:
        cache.close()
