"""Syncing a Discourse forum's badge requests: their count is unknown, and the progress says so.

Discourse tells no count of a category's open requests (its ``topic_count``
counts closed topics too and is refreshed only now and then): counting them
would cost the listing itself, a page of 30 topics and a read of each, from
the forum's 60 requests a minute. So the summary calls the count unknown,
the first sync's progress is a floor ("N+ requests left") until the requests
are read, and a later full pass estimates them from the local copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.net.budget import DISCOURSE_ADMIN_API, RateBudget
from desktop.sync import SyncProgress, SyncService
from tests.core.test_discourse_directory import open_session
from tests.fakes.discourse_forum import FakeForum, ForumBadge

TOPICS = 40  # two pages of the category: 30, then 10


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    yield cache
    cache.close()


@pytest.fixture()
def forum() -> FakeForum:
    forum = FakeForum.seeded(20, [ForumBadge(100, "Conference Speaker", badge_type_id=1)])
    for n in range(TOPICS):
        forum.add_topic(1 + n % 20, f"Badge request {n}: Conference Speaker", "I spoke at the meetup.")
    return forum


def sync(cache: Cache, forum: FakeForum, *, snapshot: bool = False) -> list[SyncProgress]:
    progress: list[SyncProgress] = []
    forum.log.clear()
    with open_session(forum, request_category="badge-requests") as session:
        budget = RateBudget("forum.example", DISCOURSE_ADMIN_API)
        SyncService(cache, session, budget=budget).run(progress=progress.append, snapshot=snapshot)
    return progress


def request_reads(forum: FakeForum) -> int:
    """The requests the requests phase made: the category's pages and its topics."""
    return forum.count("GET", "/c/") + forum.count("GET", "/t/")


def test_the_summary_calls_the_request_count_unknown(forum: FakeForum) -> None:
    with open_session(forum, request_category="badge-requests") as session:
        summary = session.directory.community()
        desk = session.desk
        assert desk is not None and desk.requests("pending", None, 100).items
    assert "requests" in summary.unknown and summary.requests == 0


def test_the_first_sync_is_a_floor_until_the_requests_are_read(cache: Cache, forum: FakeForum) -> None:
    progress = sync(cache, forum)
    requests = [p for p in progress if p.phase == "requests" and p.page]
    assert [p.page for p in requests] == [1, 2]
    assert requests[0].at_least and requests[0].describe().startswith("requests page 1 · ")
    assert "· 1+ request left · " in requests[0].describe()  # at least the page after
    assert not requests[-1].at_least and requests[-1].requests_left == 0
    with cache.read() as connection:
        assert connection.exec_driver_sql("SELECT COUNT(*) FROM requests").scalar_one() == TOPICS


def test_a_later_full_pass_estimates_the_requests_from_the_local_copy(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    progress = sync(cache, forum, snapshot=True)
    # The last word before the requests phase (the awards finished): what it still costs.
    last_before = [p for p in progress if p.phase != "requests"][-1]
    assert not last_before.at_least
    # Known from the copy: the two pages and a read of each of the 40 topics (a new session).
    assert last_before.requests_left == 2 + TOPICS
    # Before the pass, the later sync's look at what changed: both pages by latest activity (its
    # 40 open requests span them), no topic read.
    assert request_reads(forum) == 2 + 2 + TOPICS
