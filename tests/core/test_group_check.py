"""The group check on a hand-built cache: both lists, the pairing and its suggestion, the fixing batch."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.cache import schema, storage
from desktop.cache.database import Cache
from desktop.cache.groups import upsert_groups
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.dialects.discourse.session import DiscourseSession
from desktop.dialects.groups import GroupMember, GroupMembershipWriter
from desktop.domain import ActionKind, ActionState, Award, Badge, Group, Member, MemberStatus
from desktop.group_check import (
    FixSide,
    GroupCheckError,
    GroupPairing,
    GroupPairings,
    check_group,
    group_side_note,
    holders_outside_sql,
    members_without_sql,
    plan_fix,
    queue_fix,
)
from desktop.outbox import Outbox, OutboxError
from tests.core.test_cache import badge
from tests.ports import SelfPorts

T0 = datetime(2025, 3, 1, tzinfo=UTC)

MVP, HELPFUL, GHOSTS, SPEAKER, HELPERS = 1, 2, 3, 4, 5
#: Listed groups (a server with a group listing): id, name, title, members.
LISTED = (
    (10, "mvp", "Most valuable people", (1, 2, 3)),
    (11, "ghosts", "Ghosts", ()),  # an empty group
    (12, "speakers", "Conference speaker", (4,)),
)


def _member(i: int, groups: tuple[str, ...] = (), status: MemberStatus = MemberStatus.ACTIVE) -> Member:
    # Display names sort against the ids, so the lists' order is seen to be the member list's.
    return Member(i, f"user{i}", f"Member {9 - i}", f"user{i}@example.org", T0, None, status, groups)


def _badge(i: int, title: str, *, multiple: bool = False) -> Badge:
    return dataclasses.replace(badge(i), title=title, multiple_grant=multiple)


def _award(award_id: int, member_id: int, badge_id: int) -> Award:
    return Award(award_id, member_id, badge_id, T0, "Alice Moderator", "")


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    with cache.write() as connection:
        Cache.upsert_members(
            connection,
            [
                _member(1),
                _member(2),
                # In the listed group by its membership and by its own row: counted once.
                _member(3, ("mvp",)),
                _member(4),
                _member(5, ("Helpers",)),
                # Its own row names the group twice: counted once.
                _member(6, ("Helpers", "Helpers")),
                # Names a listed group in its own row only: the listing is what counts for it
                # (as in the member search's group filter).
                _member(7, ("mvp",)),
                _member(8),
            ],
        )
        Cache.upsert_badges(
            connection,
            [
                _badge(MVP, "MVP"),
                _badge(HELPFUL, "Helpful", multiple=True),
                _badge(GHOSTS, "Ghosts"),
                _badge(SPEAKER, "Conference Speaker"),
                _badge(HELPERS, "HELPERS"),
            ],
        )
        upsert_groups(
            connection,
            [Group(i, name, title, len(ids), frozenset(ids)) for i, name, title, ids in LISTED],
        )
        Cache.upsert_awards(
            connection,
            [
                *(_award(100 + m, m, MVP) for m in (2, 3, 4, 5)),
                # A member the cache does not have (not synced yet): neither counted nor listed.
                _award(199, 99, MVP),
                # Helpful held several times: member 5 three times, member 8 twice.
                _award(201, 5, HELPFUL),
                _award(202, 5, HELPFUL),
                _award(203, 5, HELPFUL),
                _award(204, 8, HELPFUL),
                _award(205, 8, HELPFUL),
                _award(301, 1, GHOSTS),
                _award(302, 2, GHOSTS),
            ],
        )
    yield cache
    cache.close()


def test_a_listed_group_both_lists_in_the_member_lists_order(cache: Cache) -> None:
    check = check_group(cache, MVP, "mvp")
    assert (check.group_id, check.group_known) == (10, True)
    assert (check.members, check.holders) == (3, 4)
    # Holders 2, 3, 4, 5; the group 1, 2, 3 (member 3 twice, member 7 by its own row only).
    assert check.holders_outside == (5, 4)
    assert check.members_without == (1,)
    assert not check.consistent


def test_a_group_named_by_the_members_rows_and_a_badge_held_several_times(cache: Cache) -> None:
    check = check_group(cache, HELPFUL, "Helpers")
    assert (check.group_id, check.group_known) == (None, True)
    # Five grants, two holders; two members, one of them naming the group twice.
    assert (check.members, check.holders) == (2, 2)
    assert check.holders_outside == (8,)
    assert check.members_without == (6,)


def test_an_empty_group_and_an_unknown_one(cache: Cache) -> None:
    empty = check_group(cache, GHOSTS, "ghosts")
    assert (empty.group_id, empty.group_known, empty.members) == (11, True, 0)
    assert (empty.holders_outside, empty.members_without) == ((2, 1), ())

    unknown = check_group(cache, GHOSTS, "Ghostz")
    assert (unknown.group_id, unknown.group_known, unknown.members) == (None, False, 0)
    assert unknown.holders_outside == (2, 1)
    # Revoking for a group the cache does not know would take the badge from everyone.
    with pytest.raises(GroupCheckError, match="not in the local copy"):
        plan_fix(cache, unknown, FixSide.REVOKE_OUTSIDERS)
    # The empty group is known: revoking from all its badge's holders is what was asked.
    assert plan_fix(cache, empty, FixSide.REVOKE_OUTSIDERS).plan.member_ids == (2, 1)


def test_a_consistent_pair(cache: Cache) -> None:
    check = check_group(cache, SPEAKER, "speakers")
    assert check.holders == 0 and check.members_without == (4,)
    with cache.write() as connection:
        Cache.upsert_awards(connection, [_award(401, 4, SPEAKER)])
    assert check_group(cache, SPEAKER, "speakers").consistent


def test_the_pairing_is_suggested_by_title_kept_in_the_work_file_and_can_say_no_group(
    cache: Cache,
) -> None:
    pairings = GroupPairings(cache)
    # Ignoring case: a group's name first, else its title; a name only members' rows carry too.
    assert pairings.suggestions() == {MVP: "mvp", GHOSTS: "ghosts", SPEAKER: "speakers", HELPERS: "Helpers"}
    assert pairings.pairing(MVP) == GroupPairing(MVP, "mvp", suggested=True)
    assert pairings.pairing(HELPFUL) is None

    pairings.set(HELPFUL, "Helpers")
    pairings.set(MVP, None)  # "no group": nothing suggested any more
    assert pairings.stored() == {HELPFUL: "Helpers", MVP: None}
    assert pairings.pairing(HELPFUL) == GroupPairing(HELPFUL, "Helpers")
    assert pairings.pairing(MVP) == GroupPairing(MVP, None)
    assert MVP not in pairings.suggestions()
    with cache.read() as connection:
        tables = {r[0] for r in connection.exec_driver_sql("SELECT name FROM main.sqlite_master")}
    assert "badge_groups" in tables  # the work file's, not the mirror's

    pairings.forget(MVP)
    assert pairings.pairing(MVP) == GroupPairing(MVP, "mvp", suggested=True)
    with pytest.raises(ValueError):
        pairings.set(MVP, "  ")


def test_the_pairing_survives_a_new_mirror(tmp_path: Path) -> None:
    directory = tmp_path / "own"
    cache = Cache(directory)
    GroupPairings(cache).set(HELPFUL, "Helpers")
    cache.close()
    for path in directory.glob("mirror.sqlite3*"):
        path.unlink()
    again = Cache(directory)
    try:
        assert GroupPairings(again).stored() == {HELPFUL: "Helpers"}
    finally:
        again.close()


def test_a_salvaged_work_file_keeps_the_pairings(tmp_path: Path) -> None:
    # Every table of the work file is copied when a damaged one is salvaged.
    assert set(storage.WORK_TABLES) == set(schema.work_metadata.tables)
    cache = Cache(tmp_path / "old")
    GroupPairings(cache).set(HELPFUL, "Helpers")
    GroupPairings(cache).set(MVP, None)
    cache.close()
    source = sqlite3.connect(tmp_path / "old" / storage.WORK_NAME)
    try:
        salvage = storage.copy_work(source, tmp_path / "new.sqlite3")
    finally:
        source.close()
    assert salvage.recovered["badge_groups"] == 2
    with sqlite3.connect(tmp_path / "new.sqlite3") as connection:
        rows = sorted(connection.execute("SELECT badge_id, group_name FROM badge_groups"))
    assert rows == [(MVP, None), (HELPFUL, "Helpers")]


def _plan(cache: Cache, sql: str, params: Sequence[object]) -> str:
    with cache.read() as connection:
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, tuple(params))
        return "\n".join(str(row[-1]) for row in rows)


def test_a_listed_groups_lists_are_index_lookups_only(cache: Cache) -> None:
    for sql, params in (
        holders_outside_sql(MVP, 10, "mvp"),
        members_without_sql(MVP, 10, "mvp"),
    ):
        plan = _plan(cache, sql, params)
        # No table is read whole: each step searches an index (the sort is of the few found).
        assert not [line for line in plan.splitlines() if line.startswith("SCAN")], plan
        assert "ix_awards" in plan and "group_memberships" in plan, plan
    # A group named only in the members' rows has no index: one scan of the members, and
    # the awards are still probed by index.
    plan = _plan(cache, *members_without_sql(HELPFUL, None, "Helpers"))
    assert "ix_awards_member_badge" in plan, plan
    # Read in the table's order and the few found sorted, not every row fetched by the sort index.
    assert "ix_members_sort" not in plan, plan


def test_awarding_the_members_without_the_badge_is_one_batch_queued_once(cache: Cache) -> None:
    outbox = Outbox(cache, actor="Alice Moderator")
    check = check_group(cache, MVP, "mvp")
    fix = plan_fix(cache, check, FixSide.AWARD_MEMBERS)
    assert fix.plan.kind is ActionKind.AWARD and fix.plan.member_ids == (1,)
    assert fix.plan.source.name == "group check “mvp”"
    assert fix.reason == "Group check: a member of the group “mvp”"

    batch = queue_fix(outbox, fix)
    assert (batch.kind, batch.badge_id, batch.source) == (ActionKind.AWARD, MVP, "group check “mvp”")
    assert batch.reason == fix.reason
    actions = outbox.actions(batch_id=batch.id)
    assert [(a.kind, a.state) for a in actions] == [(ActionKind.AWARD, ActionState.PENDING)]
    assert [a.payload["member_id"] for a in actions] == [1]
    assert actions[0].payload["reason"] == fix.reason

    # Exactly once: the same fix again is refused, and a new check leaves the member out.
    with pytest.raises(OutboxError, match="since the group check"):
        queue_fix(outbox, fix)
    again = check_group(cache, MVP, "mvp")
    assert again.members_without == (1,) and again.awards_waiting == {1}
    assert plan_fix(cache, again, FixSide.AWARD_MEMBERS).plan.member_ids == ()
    assert len(outbox.actions()) == 1


def test_revoking_from_the_holders_outside_names_each_members_newest_grant(cache: Cache) -> None:
    outbox = Outbox(cache, actor="Alice Moderator")
    check = check_group(cache, HELPFUL, "Helpers")
    fix = plan_fix(cache, check, FixSide.REVOKE_OUTSIDERS)
    assert fix.plan.kind is ActionKind.REVOKE and fix.plan.member_ids == (8,)
    # The usual dry run: member 8 holds it twice, the newest grant goes.
    assert fix.plan.held_several == 1 and fix.plan.several_rows[0].award.id == 205
    batch = queue_fix(outbox, fix, reason="Helpers only", notify=False)
    assert batch.reason == "Helpers only" and not batch.notify
    [action] = outbox.actions(batch_id=batch.id)
    assert (action.kind, action.payload["member_id"], action.payload["award_id"]) == (
        ActionKind.REVOKE,
        8,
        205,
    )
    assert check_group(cache, HELPFUL, "Helpers").revokes_waiting == {8}


def test_a_suspended_member_of_the_group_is_skipped_by_the_dry_run(cache: Cache) -> None:
    with cache.write() as connection:
        Cache.upsert_members(connection, [_member(1, status=MemberStatus.SUSPENDED)])
    fix = plan_fix(cache, check_group(cache, MVP, "mvp"), FixSide.AWARD_MEMBERS)
    assert (fix.plan.inactive, fix.plan.member_ids) == (1, ())


class _GroupWriting(SelfPorts):
    def group_delivery(self) -> Delivery:
        return Delivery.RECONCILE

    def add_group_members(self, group_id: int, members: Sequence[GroupMember], key: str) -> None:
        raise AssertionError("not sent in this test")

    def remove_group_members(self, group_id: int, members: Sequence[GroupMember], key: str) -> None:
        raise AssertionError("not sent in this test")


def test_both_dialects_edit_groups_and_the_capability_says_so() -> None:
    # The group side of the check needs this port: Discourse and v1 offer it.
    assert issubclass(DiscourseSession, GroupMembershipWriter)
    assert issubclass(CommunityApiConnector, GroupMembershipWriter)
    without = Capabilities.of(SelfPorts())
    assert not without.group_editing
    assert "cannot be added or removed" in (group_side_note(without) or "")
    caps = Capabilities.of(_GroupWriting())
    assert caps.group_editing and group_side_note(caps) is None
    assert Capabilities.from_json(caps.to_json()) == caps
    # A value stored before the field existed reads as no group editing.
    older = caps.to_json().replace(', "group_editing": true', "")
    assert "group_editing" not in older
    stored = Capabilities.from_json(older)
    assert stored is not None and not stored.group_editing
