"""The group side of the group check through the ports: members added to a group and removed,
read back from the group listing (:class:`~desktop.dialects.groups.GroupListing`)."""

from __future__ import annotations

import pytest

from desktop.dialects.base import Delivery
from desktop.dialects.groups import GroupListing, GroupMember, GroupMembershipWriter
from desktop.domain import Group, MemberStatus
from tests.contract.conftest import Dialect, key


def _groups(dialect: Dialect) -> list[Group]:
    directory = dialect.session.directory
    assert isinstance(directory, GroupListing)
    found: list[Group] = []
    cursor: str | None = None
    while True:
        page = directory.groups(cursor)
        found += page.items
        cursor = page.next_cursor
        if cursor is None:
            return found


def _members_of(dialect: Dialect, name: str) -> frozenset[int]:
    group = next(g for g in _groups(dialect) if g.name == name)
    assert group.member_ids is not None
    return group.member_ids


@pytest.mark.requires("groups")
def test_members_are_added_to_a_group_and_removed_again(dialect: Dialect) -> None:
    session = dialect.session
    assert isinstance(session, GroupMembershipWriter)
    group = _groups(dialect)[0]
    before = _members_of(dialect, group.name)
    outside = _outside(dialect, before, 3)

    session.add_group_members(group.id, outside, key())
    assert _members_of(dialect, group.name) == before | {m.id for m in outside}
    # Adding them again changes nothing and is no error: the group holds them already.
    session.add_group_members(group.id, outside, key())
    assert _members_of(dialect, group.name) == before | {m.id for m in outside}

    session.remove_group_members(group.id, [*outside[:2], outside[0]], key())
    assert _members_of(dialect, group.name) == before | {outside[2].id}
    # Removing members not in the group is done already: no error.
    session.remove_group_members(group.id, outside, key())
    assert _members_of(dialect, group.name) == before


@pytest.mark.requires("groups")
def test_a_change_whose_answer_was_lost_is_settled_as_the_delivery_says(dialect: Dialect) -> None:
    session = dialect.session
    assert isinstance(session, GroupMembershipWriter)
    group = _groups(dialect)[-1]
    before = _members_of(dialect, group.name)
    [member] = _outside(dialect, before, 1)
    sent = key()
    session.add_group_members(group.id, [member], sent)
    session.remove_group_members(group.id, [member], key())
    if session.group_delivery() is Delivery.IDEMPOTENT:
        # Sent again with its key, the change is answered with its first result: nothing changes.
        session.add_group_members(group.id, [member], sent)
        assert _members_of(dialect, group.name) == before
    else:
        # No keys: the outbox reads the group's members before sending again.
        read = getattr(session, "group_member_ids", None)
        assert read is not None and read(group.name) == before


def _outside(dialect: Dialect, members: frozenset[int], count: int) -> list[GroupMember]:
    """Active members in none of the groups, ``count`` of them not handed to another test."""
    taken = set().union(*(g.member_ids or () for g in _groups(dialect)))
    found = [
        GroupMember(m.id, m.username)
        for m in dialect.members(MemberStatus.ACTIVE)
        if m.id not in members and m.id not in taken and (dialect.kind, m.id, 0) not in dialect.claimed
    ][-count:]
    assert len(found) == count
    dialect.claimed.update((dialect.kind, m.id, 0) for m in found)
    return found
