"""The Discourse dialect's activity reader (:mod:`desktop.dialects.discourse.activity`) against the
sandbox's Discourse face in process: every poster of a topic of 2,500 posts over its print pages, the
caller's own row Discourse puts first on a directory's page 0 dropped, and the rolling periods."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import httpx

from desktop.dialects.activity import Measure
from desktop.dialects.discourse.activity import period_window, rolling_period
from desktop.dialects.discourse.session import DiscourseSession
from tests.core.sandbox_discourse.conftest import FORUM, Forum
from tests.core.sandbox_discourse.test_activity_topics import _big_topic


class Counting(httpx.BaseTransport):
    """The test client's transport, counting the paths asked."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.paths: Counter[str] = Counter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths[request.url.path] += 1
        return self.inner.handle_request(request)


def _session(forum: Forum) -> tuple[DiscourseSession, Counting]:
    transport = Counting(forum.test_client._transport)
    session = DiscourseSession(
        f"http://{FORUM}",
        forum.demo.tokens["moderator"],
        username=forum.demo.usernames["moderator"],
        transport=transport,
        allow_insecure_http=True,
    )
    return session, transport


def test_every_poster_of_a_topic_of_2500_posts_over_three_print_pages(forum: Forum) -> None:
    topic_id = _big_topic(forum, 2_500)
    session, transport = _session(forum)
    with session:
        posters = session.topic_posters(topic_id)
        [topic] = session.find_topics(str(topic_id))
    # Members 20…79 in turn: 2,500 posts over 60 posters, 42 for the first 40 of them, 41 for the rest.
    assert len(posters) == 60 and sum(p.post_count for p in posters) == 2_500
    assert sorted({p.post_count for p in posters}) == [41, 42]
    assert transport.paths[f"/t/{topic_id}.json"] == 4  # 3 print pages, then the lookup's first
    assert topic.title == "A very long thread" and topic.posts_count == 2_500
    assert topic.link.endswith(f"/{topic_id}")


def test_the_callers_own_row_put_first_on_page_0_is_dropped(forum: Forum) -> None:
    moderator = forum.demo.usernames["moderator"]
    raw = forum.moderator.get(
        "/directory_items.json", params={"period": "all", "order": "likes_received", "limit": 50}
    ).json()["directory_items"]
    # The precondition: Discourse did put the caller first, out of the ranking's order.
    assert raw[0]["user"]["username"] == moderator
    assert raw[0]["likes_received"] < raw[1]["likes_received"] or len(raw) > 50
    session, _transport = _session(forum)
    with session:
        ranking = session.leaderboard(
            Measure.LIKES_RECEIVED, datetime(2000, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC), top=5
        )
    assert [r.username for r in ranking.rows] == [item["user"]["username"] for item in raw[1:6]]
    assert ranking.as_of is not None and ranking.ends == ranking.as_of


def test_a_window_is_read_as_the_shortest_rolling_period_that_covers_it() -> None:
    day = datetime(2026, 3, 31, 14, tzinfo=UTC)
    assert [rolling_period(day.replace(day=d), day) for d in (30, 24, 1)] == ["daily", "weekly", "monthly"]
    assert rolling_period(datetime(2025, 1, 1, tzinfo=UTC), day) == "all"
    assert rolling_period(datetime(2025, 4, 1, tzinfo=UTC), day) == "yearly"
    assert period_window("monthly", day) == (datetime(2026, 2, 28, 14, tzinfo=UTC), day)
    assert period_window("quarterly", day) == (datetime(2025, 12, 31, 14, tzinfo=UTC), day)
    assert period_window("weekly", day)[0] == datetime(2026, 3, 24, 14, tzinfo=UTC)


def test_the_most_liked_posts_look_up_only_the_authors_kept(forum: Forum) -> None:
    session, transport = _session(forum)
    with session:
        posts = session.liked_posts(datetime(2000, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC), top=3)
    assert len(posts) == 3 and posts[0].like_count >= posts[1].like_count >= posts[2].like_count
    lookups = sum(n for path, n in transport.paths.items() if path.startswith("/u/"))
    # One GET /u/{username} an author kept (search names no user id), none for the page's others.
    assert lookups == len({p.username for p in posts}) and transport.paths["/search.json"] == 1
