"""Members by external (single sign-on) id (:class:`~desktop.dialects.external_ids.ExternalIdReader`)
on each dialect that has them: Discourse's ``/u/by-external/{id}``, compared exactly. BadgeDesk's own
server (v1) and the memory server have none, and say so in their capabilities.

The ids are the sandbox forum's single sign-on records
(:mod:`desktop.sandbox.discourse.data.external_ids`): the witness, as the award rows are for grants."""

from __future__ import annotations

import pytest

from desktop.dialects.capabilities import Capabilities
from desktop.dialects.discourse import KIND as DISCOURSE
from desktop.dialects.external_ids import ExternalIdReader, ExternalMember
from desktop.domain import MemberStatus
from desktop.sandbox.discourse.data.external_ids import external_id_of
from tests.contract.conftest import Dialect


def test_the_capability_says_whether_the_session_finds_members_by_external_id(dialect: Dialect) -> None:
    offered = isinstance(dialect.session, ExternalIdReader)
    assert Capabilities.of(dialect.session).external_ids is offered
    # Only Discourse signs members in through another system (v1 has no such ids).
    assert offered is (dialect.kind == DISCOURSE)


@pytest.mark.requires("external_ids")
def test_a_member_is_found_by_exactly_their_external_id(dialect: Dialect) -> None:
    session = dialect.session
    assert isinstance(session, ExternalIdReader)
    members = dialect.members(MemberStatus.ACTIVE)
    for member in (members[0], members[len(members) // 2]):
        external_id = external_id_of(member.id)
        assert session.member_by_external_id(external_id) == ExternalMember(member.id, member.username)
        assert session.member_by_external_id(external_id.upper()) is None
    assert session.member_by_external_id("nobody/at all?") is None
    assert session.member_by_external_id(" lms-0007919") is None
    assert session.member_by_external_id("") is None
