"""Contract: a malformed page is refused whole, through the sync, and the cache stays as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.net.errors import MalformedResponse
from desktop.sync import SyncService
from tests.contract.conftest import Dialect, read_all
from tests.core.fake_community_server import dump_cache


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    yield cache
    cache.close()


def sync(cache: Cache, dialect: Dialect) -> None:
    SyncService(cache, dialect.session, page_size=100, changes_page_size=100).run()


def test_a_malformed_page_in_the_first_sync_leaves_the_cache_untouched(
    dialect: Dialect, cache: Cache
) -> None:
    before = dump_cache(cache)
    dialect.hooks.malform_next_page()
    with pytest.raises(MalformedResponse):
        sync(cache, dialect)
    assert dialect.hooks.malformed == 1
    assert dump_cache(cache) == before
    sync(cache, dialect)
    summary = dialect.session.directory.community()
    counts = cache.counts()
    assert (counts.badges, counts.awards) == (summary.badges, summary.awards)
    # A server without a member count (Discourse): as many as the directory lists.
    members = (
        len(read_all(dialect.session.directory.members)) if "members" in summary.unknown else summary.members
    )
    assert counts.members == members


def test_a_malformed_page_in_a_later_sync_leaves_the_cache_untouched(dialect: Dialect, cache: Cache) -> None:
    sync(cache, dialect)
    [(member_id, badge_id)] = dialect.free_pairs(1)
    [granted] = dialect.session.writer.award_batch([dialect.award(member_id, badge_id, notify=False)])
    before = dump_cache(cache)
    dialect.hooks.malform_next_page()
    with pytest.raises(MalformedResponse):
        sync(cache, dialect)
    assert dialect.hooks.malformed == 1
    assert dump_cache(cache) == before
    # The next sync brings what the refused page held.
    sync(cache, dialect)
    assert granted.award is not None
    assert granted.award.id in {a.id for a in cache.awards_of_member(member_id)}
