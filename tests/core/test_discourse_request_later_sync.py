"""Badge requests on a later sync of a Discourse forum: new and changed topics, cheaply.

A later sync lists the request category by latest activity (Discourse's
default order: a new topic or a reply bumps a topic to the top; closing does
not) and reads only the topics whose version (highest post number) or closed
state differs from the cache's. Against the fake forum, counting requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.dialects.feedless import ChangedRequests
from desktop.domain import RequestState
from desktop.net.errors import ApiError
from desktop.sync import SyncProgress, SyncResult, SyncService
from tests.core.test_discourse_directory import open_session
from tests.core.test_discourse_later_sync import _Calling
from tests.fakes.discourse_forum import T0, FakeForum, ForumBadge

TOPICS = 40  # two pages of the category: 30, then 10
CLOSED = 10  # the oldest ten were decided long ago
BOB = 22  # the moderator (20 members, alice, bob)


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "profile")
    yield cache
    cache.close()


@pytest.fixture()
def forum() -> FakeForum:
    forum = FakeForum.seeded(20, [ForumBadge(100, "Conference Speaker", badge_type_id=1)])
    for n in range(TOPICS):
        forum.add_topic(
            1 + n % 20, f"Badge request {n}: Conference Speaker", "I spoke at the meetup.", at=_at(n)
        )
    for topic_id in _topic_ids(forum)[:CLOSED]:
        forum.close(topic_id, BOB)  # closing does not bump: they stay last
    return forum


def _at(minutes: int) -> datetime:
    return T0 + timedelta(days=3, minutes=minutes)


def _topic_ids(forum: FakeForum) -> list[int]:
    """The request topics, oldest first."""
    return sorted(forum.forum_topics)


def sync(
    cache: Cache,
    forum: FakeForum,
    *,
    progress: list[SyncProgress] | None = None,
    cancel: CancelToken | None = None,
) -> SyncResult:
    forum.log.clear()
    forum.requests.clear()
    with open_session(forum, request_category="badge-requests") as session:
        return SyncService(cache, session).run(
            progress=None if progress is None else progress.append, cancel=cancel
        )


def category_pages(forum: FakeForum) -> list[str | None]:
    return [r.url.params.get("page") for r in forum.sent("GET", "/c/")]


def topic_reads(forum: FakeForum) -> list[int]:
    return [int(r.url.path.removeprefix("/t/").removesuffix(".json")) for r in forum.sent("GET", "/t/")]


def request(cache: Cache, topic_id: int) -> tuple[str, int, str | None] | None:
    with cache.read() as connection:
        row = connection.exec_driver_sql(
            "SELECT state, version, decided_by FROM requests WHERE id = ?", (topic_id,)
        ).first()
    return None if row is None else (str(row[0]), int(row[1]), row[2])


def test_a_later_sync_with_nothing_new_reads_one_page_of_the_category(cache: Cache, forum: FakeForum) -> None:
    assert sync(cache, forum).full
    later = sync(cache, forum)

    assert later.recent and not later.changes.requests
    # One request: the first page by latest activity (Discourse's default order), no topic read.
    assert category_pages(forum) == ["0"] and topic_reads(forum) == []
    listed = forum.sent("GET", "/c/")[0].url.params
    assert "order" not in listed and "ascending" not in listed
    # In all: the session's opening three, the newest members and the suspended, the category
    # looked up (once a session) and its first page, the group list.
    assert [p for _m, p in forum.log] == [
        "/session/scopes.json",
        "/site/basic-info.json",
        "/admin/badges.json",
        "/admin/users/list/active.json",
        "/admin/users/list/suspended.json",
        "/categories.json",
        "/c/badge-requests/5.json",
        "/groups.json",
    ]


def test_a_new_request_topic_reaches_the_queue_on_a_later_sync(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    new = forum.add_topic(7, "Please: Conference Speaker", "I gave the keynote.", at=_at(100))
    progress: list[SyncProgress] = []

    later = sync(cache, forum, progress=progress)

    assert request(cache, new.id) == ("pending", 1, None)
    assert new.id in later.changes.requests
    # The first page had something new: the second, all known, ends the listing.
    assert category_pages(forum) == ["0", "1"] and topic_reads(forum) == [new.id]
    # The progress counts the requests phase: one request left before it, none after it.
    before = [p for p in progress if p.phase != "requests"][-1]
    assert before.requests_left == 1 and not before.at_least
    assert [p.requests_left for p in progress if p.phase == "requests" and p.page] == [1, 0]


def test_a_request_closed_by_another_moderator_on_the_forum_shows_decided(
    cache: Cache, forum: FakeForum
) -> None:
    sync(cache, forum)
    # The oldest open request, on the second page: closing it does not bump it to the first.
    oldest_open = _topic_ids(forum)[CLOSED]
    assert request(cache, oldest_open) == ("pending", 1, None)
    forum.close(oldest_open, BOB)

    later = sync(cache, forum)

    assert request(cache, oldest_open) == ("denied", 2, "Bob Moderator")
    assert oldest_open in later.changes.requests
    # The second page was read because an open request of the cache was not on the first.
    assert category_pages(forum) == ["0", "1"] and topic_reads(forum) == [oldest_open]


def test_a_reply_by_another_moderator_returns_the_request(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    topic_id = _topic_ids(forum)[CLOSED + 1]
    forum.reply(topic_id, BOB, "Which meetup was that? A link to the recording, please.", at=_at(200))

    sync(cache, forum)

    assert request(cache, topic_id) == ("returned", 2, "Bob Moderator")
    assert category_pages(forum) == ["0", "1"] and topic_reads(forum) == [topic_id]


def test_an_old_returned_request_does_not_make_the_listing_go_on(cache: Cache, forum: FakeForum) -> None:
    # The oldest open request was returned to its member long ago (before the others were
    # asked, say): it is last on the second page, every pending request on the first.
    returned = forum.add_topic(4, "Old: Conference Speaker", "I spoke once.", at=_at(-100)).id
    forum.reply(returned, BOB, "Which meetup was that? A link to the recording, please.", at=_at(-99))
    sync(cache, forum)
    assert request(cache, returned) == ("returned", 2, "Bob Moderator")

    sync(cache, forum)

    assert category_pages(forum) == ["0"] and topic_reads(forum) == []


def test_a_cancelled_requests_phase_resumes_where_it_stopped(cache: Cache, forum: FakeForum) -> None:
    sync(cache, forum)
    new = [
        forum.add_topic(3, f"Again {n}: Conference Speaker", "Me too.", at=_at(300 + n)) for n in range(35)
    ]
    cancel = CancelToken()

    def stop_after_the_first_page(progress: SyncProgress) -> None:
        if progress.phase == "requests" and progress.page == 1:
            cancel.cancel()

    with pytest.raises(Cancelled):
        sync(cache, forum, progress=_Calling(stop_after_the_first_page), cancel=cancel)
    first_reads = set(topic_reads(forum))
    assert len(first_reads) == 30

    sync(cache, forum)

    # Not the first page again, nor any topic the cancelled run read; every new one arrives.
    assert "0" not in category_pages(forum)
    assert not first_reads & set(topic_reads(forum))
    assert all(request(cache, t.id) == ("pending", 1, None) for t in new)
    # The members were read by the cancelled run: the resumed one goes straight to the requests.
    assert forum.count("GET", "/admin/users/list/") == 0


def test_a_badge_granted_while_a_requests_phase_was_interrupted_is_read_by_a_later_sync(
    cache: Cache, forum: FakeForum
) -> None:
    sync(cache, forum)
    for n in range(35):
        forum.add_topic(3, f"Again {n}: Conference Speaker", "Me too, please.", at=_at(300 + n))
    cancel = CancelToken()

    def stop_after_the_first_page(progress: SyncProgress) -> None:
        if progress.phase == "requests" and progress.page == 1:
            cancel.cancel()

    with pytest.raises(Cancelled):
        sync(cache, forum, progress=_Calling(stop_after_the_first_page), cancel=cancel)
    forum.grant(9, 100, at=_at(400))
    sync(cache, forum)  # resumes the requests: the holders were read before the grant
    sync(cache, forum)

    assert forum.sent("GET", "/user_badges") and 9 in _holders(cache, 100)


def _holders(cache: Cache, badge_id: int) -> set[int]:
    with cache.read() as connection:
        rows = connection.exec_driver_sql("SELECT member_id FROM awards WHERE badge_id = ?", (badge_id,))
        return {int(row[0]) for row in rows}


def test_without_a_request_category_a_later_sync_reads_no_topic(cache: Cache, forum: FakeForum) -> None:
    with open_session(forum) as session:
        SyncService(cache, session).run()
    forum.log.clear()
    with open_session(forum) as session:
        assert SyncService(cache, session).run().recent
    assert forum.count("GET", "/c/") == 0 and forum.count("GET", "/t/") == 0


def test_the_desk_lists_what_the_cache_lacks_and_refuses_a_foreign_position(forum: FakeForum) -> None:
    with open_session(forum, request_category="badge-requests") as session:
        desk = session.desk
        assert isinstance(desk, ChangedRequests)
        # Nothing known: every topic of the page is new, and the listing goes on.
        first = desk.changed_requests({}, None)
        assert len(first.items) == 30 and first.next_cursor is not None
        # Known as they are, except one the cache has as closed that is open on the forum.
        known = {r.id: (r.version, r.state) for r in first.items}
        reopened = first.items[0].id
        known[reopened] = (first.items[0].version, RequestState.DENIED)
        again = desk.changed_requests(known, None)
        assert [r.id for r in again.items] == [reopened] and again.items[0].state is RequestState.PENDING
        with pytest.raises(ApiError, match="not one this Discourse connection gave out"):
            desk.changed_requests(known, "q1:0:0")
