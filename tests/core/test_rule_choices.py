"""The groups a rule can name: the server's by id, and those only member rows name, by name."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from desktop.cache.database import Cache
from desktop.cache.groups import upsert_groups
from desktop.domain import Group, Member, MemberStatus
from desktop.rule_choices import rule_groups
from desktop.rules import GroupRef

JOINED = datetime(2020, 1, 1, tzinfo=UTC)


def test_listed_groups_carry_their_ids_and_the_others_their_names(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(
            connection,
            [
                Member(
                    1, "ann", "Ann", "ann@example.org", JOINED, None, MemberStatus.ACTIVE, ("mvp", "beta")
                ),
                Member(2, "bo", "Bo", "bo@example.org", JOINED, None, MemberStatus.ACTIVE, ("Speakers",)),
            ],
        )
        upsert_groups(connection, [Group(7, "mvp", "MVP", 1, frozenset({1}))])
    try:
        assert rule_groups(cache) == [GroupRef(None, "beta"), GroupRef(7, "mvp"), GroupRef(None, "Speakers")]
    finally:
        cache.close()
