"""Contract: where a dialect says a member's profile is, the server shows that member's page to a browser."""

from __future__ import annotations

import httpx
import pytest

from desktop.dialects.capabilities import Capabilities
from desktop.domain import MemberStatus
from tests.contract.conftest import Dialect

#: What a browser sends: no key, and a wish for HTML.
BROWSER = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


@pytest.mark.requires("profiles")
def test_a_members_profile_address_opens_their_page(dialect: Dialect) -> None:
    capabilities = Capabilities.of(dialect.session)
    [member, *_others] = dialect.members(MemberStatus.ACTIVE)
    url = capabilities.member_profile(member)
    assert url is not None
    with httpx.Client(timeout=15) as browser:
        page = browser.get(url, headers=BROWSER)
    assert page.status_code == 200, url
    assert page.headers["content-type"].startswith("text/html")
    assert f"@{member.username}" in page.text
    # No profile to show for a deleted member, whatever the server would answer.
    deleted = dialect.members(MemberStatus.DELETED)
    if deleted:
        assert capabilities.member_profile(deleted[0]) is None
