"""Contract: members carry a trust level and a post count exactly where the capabilities say
(Discourse), a sync puts them in the cache, and a rule on them selects from there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Member, utc_now
from desktop.member_search import members_matching
from desktop.rules import HasTrustLevel, Not, Posts, TrustLevel
from desktop.sync import SyncService
from tests.contract.conftest import Dialect, read_all


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    yield cache
    cache.close()


def test_the_sync_keeps_trust_level_and_posts_where_the_server_lists_them(
    dialect: Dialect, cache: Cache
) -> None:
    activity = Capabilities.of(dialect.session).member_activity
    listed: list[Member] = read_all(dialect.session.directory.members)
    SyncService(cache, dialect.session, page_size=100, changes_page_size=100).run()
    cached = [m for m in map(cache.member, cache.member_ids()) if m is not None]
    assert {m.id: (m.trust_level, m.post_count) for m in cached} == {
        m.id: (m.trust_level, m.post_count) for m in listed
    }
    now = utc_now()
    if not activity:
        # Not known anywhere: a comparison selects no one, its NOT everyone.
        assert {(m.trust_level, m.post_count) for m in cached} == {(None, None)}
        assert members_matching(cache, Posts(at_least=0), now=now).ids == []
        assert members_matching(cache, Not(Posts(at_least=0)), now=now).count == len(cached)
        return
    assert all(m.trust_level in range(5) and m.post_count is not None for m in cached)
    # The seeded community has more than one trust level and members who posted.
    assert len({m.trust_level for m in cached}) > 1
    posters = {m.id for m in cached if m.post_count is not None and m.post_count >= 10}
    assert posters and len(posters) < len(cached)
    assert set(members_matching(cache, Posts(at_least=10), now=now).ids) == posters
    regulars = HasTrustLevel(frozenset({TrustLevel.REGULAR, TrustLevel.LEADER}))
    assert set(members_matching(cache, regulars, now=now).ids) == {
        m.id for m in cached if m.trust_level in (3, 4)
    }
