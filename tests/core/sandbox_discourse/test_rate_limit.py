"""The site-wide admin API bucket: 60 requests a minute by default, GETs included, every key and
user sharing it, refused with Discourse's 429 (``Retry-After``, the error code, ``extras.wait_seconds``)."""

from __future__ import annotations

import pytest

from desktop.sandbox.discourse.errors import RateLimited, time_left
from desktop.sandbox.discourse.ratelimit import SlidingWindowLimiter
from tests.core.sandbox_discourse.conftest import Forum, MakeForum


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock() -> FakeClock:
    return FakeClock()


def limited(make_forum: MakeForum, clock: FakeClock, per_minute: float | None = 60) -> Forum:
    return make_forum(rate_per_minute=per_minute, limiter_clock=clock)


def test_sixty_requests_a_minute_then_discourses_429(make_forum: MakeForum, clock: FakeClock) -> None:
    forum = limited(make_forum, clock)
    for _ in range(60):
        assert forum.admin.get("/session/current.json").status_code == 200
    refused = forum.admin.get("/admin/badges.json")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/json; charset=utf-8"
    assert refused.headers["retry-after"] == "60"
    assert refused.headers["discourse-rate-limit-error-code"] == "admin_api_key_rate_limit"
    assert refused.json() == {
        "errors": ["You’ve performed this action too many times. Please wait 1 minute before trying again."],
        "error_type": "rate_limit",
        "extras": {"wait_seconds": 60, "time_left": "1 minute"},
    }


def test_the_wait_is_what_is_left_of_the_sliding_window(make_forum: MakeForum, clock: FakeClock) -> None:
    forum = limited(make_forum, clock)
    forum.admin.get("/session/current.json")
    clock.now += 30
    for _ in range(59):
        forum.admin.get("/session/current.json")
    clock.now += 10
    refused = forum.admin.get("/session/current.json")
    assert refused.status_code == 429
    assert refused.json()["extras"] == {"wait_seconds": 20, "time_left": "20 seconds"}
    assert refused.headers["retry-after"] == "20"
    clock.now += 20
    # The oldest request left the window: exactly one more fits.
    assert forum.admin.get("/session/current.json").status_code == 200
    assert forum.admin.get("/session/current.json").status_code == 429


def test_refused_requests_do_not_spend(make_forum: MakeForum, clock: FakeClock) -> None:
    forum = limited(make_forum, clock, per_minute=3)
    for _ in range(3):
        forum.admin.get("/session/current.json")
    for _ in range(5):
        assert forum.admin.get("/session/current.json").status_code == 429
    clock.now += 60
    for _ in range(3):
        assert forum.admin.get("/session/current.json").status_code == 200


def test_one_bucket_for_every_key_and_user(make_forum: MakeForum, clock: FakeClock) -> None:
    forum = limited(make_forum, clock, per_minute=4)
    forum.admin.get("/admin/badges.json")
    forum.moderator.get("/admin/users/list/active.json")
    forum.client(forum.demo.tokens["admin"], forum.demo.usernames["moderator"]).get("/session/current.json")
    forum.moderator.get("/session/scopes.json")
    assert forum.admin.get("/session/current.json").status_code == 429
    assert forum.moderator.get("/session/current.json").status_code == 429


def test_bad_keys_and_anonymous_requests_do_not_spend(make_forum: MakeForum, clock: FakeClock) -> None:
    forum = limited(make_forum, clock, per_minute=2)
    bad = forum.client("f" * 64, "system")
    for _ in range(5):
        assert bad.get("/session/current.json").status_code == 403
        assert forum.anonymous.get("/session/current.json").status_code == 404
    assert forum.admin.get("/session/current.json").status_code == 200
    assert forum.admin.get("/session/current.json").status_code == 200
    assert forum.admin.get("/session/current.json").status_code == 429


def test_a_moderators_404_on_an_admin_route_still_spends(make_forum: MakeForum, clock: FakeClock) -> None:
    # The admin route's constraint asks who the caller is, which spends from the bucket.
    forum = limited(make_forum, clock, per_minute=2)
    assert forum.moderator.get("/admin/badges.json").status_code == 404
    assert forum.moderator.get("/admin/badges.json").status_code == 404
    assert forum.moderator.get("/admin/badges.json").status_code == 429


def test_the_rate_is_configurable_and_can_be_off(make_forum: MakeForum, clock: FakeClock) -> None:
    forum = limited(make_forum, clock, per_minute=5)
    assert [forum.admin.get("/session/current.json").status_code for _ in range(6)] == [200] * 5 + [429]
    unlimited = limited(make_forum, clock, per_minute=None)
    assert {unlimited.admin.get("/session/current.json").status_code for _ in range(200)} == {200}


def test_the_limiter_reports_whole_seconds_and_at_least_one() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(2, clock=clock)
    limiter.perform()
    clock.now += 59.5
    limiter.perform()
    with pytest.raises(RateLimited) as refused:
        limiter.perform()
    assert refused.value.extras == {"wait_seconds": 1, "time_left": "a few seconds"}
    assert limiter.remaining() == 0


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "a few seconds"),
        (3, "a few seconds"),
        (4, "4 seconds"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (150, "2 minutes"),
    ],
)
def test_time_left_reads_as_discourse_writes_it(seconds: int, words: str) -> None:
    assert time_left(seconds) == words
