"""The per-IP limiter of Discourse's request middleware, when switched on: its plain-text 429 for requests
without an API key (a keyed request's step is rolled back), before any route runs (FACTS.md § rate limits;
lib/middleware/request_tracker.rb)."""

from __future__ import annotations

import pytest

from desktop.sandbox.discourse.ratelimit import PerIpLimits, SlidingWindowLimiter
from tests.core.sandbox_discourse.conftest import Forum, MakeForum


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock() -> FakeClock:
    return FakeClock()


def _limited(make_forum: MakeForum, clock: FakeClock, per_10_seconds: int = 3, per_minute: int = 5) -> Forum:
    return make_forum(ip_limits=PerIpLimits(per_10_seconds, per_minute, clock=clock))


def _a_member(forum: Forum) -> str:
    found = (
        forum.data._conn()
        .execute("SELECT username FROM members WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET 5")
        .fetchone()
    )
    return str(found[0])


def test_anonymous_requests_beyond_the_ten_second_limit_get_the_plain_text_429(
    make_forum: MakeForum, clock: FakeClock
) -> None:
    forum = _limited(make_forum, clock)
    member = _a_member(forum)
    for _ in range(3):
        assert forum.anonymous.get(f"/u/{member}.json").status_code == 200
    clock.now += 4
    refused = forum.anonymous.get(f"/u/{member}.json")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "text/plain"
    assert refused.headers["retry-after"] == "6"
    assert refused.headers["discourse-rate-limit-error-code"] == "ip_10_secs_limit"
    assert refused.text == (
        "Slow down, too many requests from this IP address.\n"
        "Please retry again in 6 seconds.\n"
        "Error code: ip_10_secs_limit.\n"
    )


def test_the_minute_limit_answers_with_its_own_code(make_forum: MakeForum, clock: FakeClock) -> None:
    forum = _limited(make_forum, clock)
    member = _a_member(forum)
    for _ in range(5):
        assert forum.anonymous.get(f"/u/{member}.json").status_code == 200
        clock.now += 11
    refused = forum.anonymous.get(f"/u/{member}.json")
    assert refused.status_code == 429
    assert refused.headers["discourse-rate-limit-error-code"] == "ip_60_secs_limit"
    assert refused.headers["retry-after"] == "5"  # the oldest of the five was 55 s ago


def test_every_path_counts_even_an_unknown_one(make_forum: MakeForum, clock: FakeClock) -> None:
    forum = _limited(make_forum, clock)
    for _ in range(3):
        assert forum.anonymous.get("/no/such/route.json").status_code == 404
    assert forum.anonymous.get("/session/current.json").status_code == 429
    clock.now += 10
    assert forum.anonymous.get("/session/current.json").status_code == 404


def test_requests_with_a_good_api_key_are_not_counted(make_forum: MakeForum, clock: FakeClock) -> None:
    forum = _limited(make_forum, clock)
    for _ in range(10):
        assert forum.admin.get("/session/current.json").status_code == 200
    member = _a_member(forum)
    for _ in range(3):
        assert forum.anonymous.get(f"/u/{member}.json").status_code == 200
    # The IP's bucket is full: now even a keyed request is refused before Discourse reads its key.
    refused = forum.admin.get("/session/current.json")
    assert (refused.status_code, refused.headers["content-type"]) == (429, "text/plain")


def test_a_bad_key_counts_as_an_anonymous_request(make_forum: MakeForum, clock: FakeClock) -> None:
    forum = _limited(make_forum, clock)
    bad = forum.client("0" * 64, "system")
    for _ in range(3):
        assert bad.get("/session/current.json").status_code == 403
    assert bad.get("/session/current.json").status_code == 429


def test_off_by_default_as_discourse_leaves_private_addresses_alone(forum: Forum) -> None:
    member = _a_member(forum)
    for _ in range(60):
        assert forum.anonymous.get(f"/u/{member}.json").status_code == 200


def test_the_aggressive_limiter_records_refused_attempts(clock: FakeClock) -> None:
    limiter = SlidingWindowLimiter(2, window=10, clock=clock, aggressive=True)
    limiter.perform()
    clock.now += 1
    limiter.perform()
    clock.now += 1
    with pytest.raises(Exception, match="too many times"):
        limiter.perform()
    clock.now += 8.5  # the first attempt has left the window, but the refused one has not
    with pytest.raises(Exception, match="too many times"):
        limiter.perform()
