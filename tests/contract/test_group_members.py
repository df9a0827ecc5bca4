"""The group side of the group check through the ports: members added to a group and removed,
read back from the group listing (:class:`~desktop.dialects.groups.GroupListing`)."""

from __future__ import annotations

import pytest

from desktop.dialects.groups import GroupListing, GroupMembershipWriter
from desktop.domain import Group, MemberStatus
from tests.contract.conftest import Dialect


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
    outside = [m for m in dialect.members(MemberStatus.ACTIVE) if m.id not in before][:3]
    assert len(outside) == 3
    names = [m.username for m in outside]

    session.add_group_members(group.id, names)
    assert _members_of(dialect, group.name) == before | {m.id for m in outside}
    # Adding them again changes nothing and is no error: the group holds them already.
    session.add_group_members(group.id, names)
    assert _members_of(dialect, group.name) == before | {m.id for m in outside}

    session.remove_group_members(group.id, [*names[:2], names[0]])
    assert _members_of(dialect, group.name) == before | {outside[2].id}
    # Removing members not in the group is done already: no error.
    session.remove_group_members(group.id, names)
    assert _members_of(dialect, group.name) == before
