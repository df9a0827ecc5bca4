"""Discourse's 429s, both shapes, end in waiting, never in a failure (FACTS.md § Rate limits).

The application's 429 (the site-wide admin bucket) is JSON with
``extras.wait_seconds`` and a ``Retry-After``; the request middleware's (per
IP) is plain text with a ``Retry-After``. :class:`HttpSession` waits what the
server says and tries again without spending an attempt, for reads and for
writes alike (a 429 means nothing was done), until the server has refused for
longer than its patience.
"""

from __future__ import annotations

from contextlib import closing

import httpx
import pytest

from desktop.cancellation import CancelToken
from desktop.net.errors import ServerBusy
from desktop.net.http import HttpSession
from desktop.net.ratecontrol import RateControl
from desktop.net.throttling import throttle_wait as rate_limit_wait
from tests.fakes.discourse_forum import ADMIN_KEY, URL, FakeForum, ForumBadge


class VirtualTime(CancelToken):
    """Waits without sleeping: the clock moves on by each wait, and the waits are kept."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.waits.append(seconds)
            self.now += seconds


class Recording(RateControl):
    """The rate control on a virtual clock, remembering what each 429 said to wait."""

    def __init__(self, clock: VirtualTime) -> None:
        super().__init__(clock=lambda: clock.now)
        self.told: list[float | None] = []

    def on_throttled(self, host: str, retry_after: float | None = None) -> float:
        self.told.append(retry_after)
        return super().on_throttled(host, retry_after)


def session(forum: FakeForum, cancel: CancelToken, rate: RateControl, **options: float | None) -> HttpSession:
    return HttpSession(
        URL,
        headers={"Api-Key": ADMIN_KEY, "Api-Username": "alice"},
        transport=forum.transport(),
        cancel=cancel,
        rate_control=rate,
        max_attempts=2,
        max_throttled_wait=options.get("max_throttled_wait", 600.0),
    )


def test_429s_of_both_shapes_are_waited_out_without_spending_attempts() -> None:
    forum = FakeForum.seeded(3)
    for i in range(8):  # far more than the two attempts the session has
        forum.throttle_next("json" if i % 2 else "text", retry_after="1")
    clock = VirtualTime()
    rate = Recording(clock)
    with closing(session(forum, clock, rate)) as http:
        response = http.send("GET", "/admin/users/list/active.json")
    assert response.status_code == 200
    assert rate.told == [1.0] * 8  # each waited what its Retry-After said
    # At least that long each (the rate control backs off further while refused).
    assert len(clock.waits) >= 8 and min(clock.waits) >= 1.0
    assert forum.count("GET") == 9


def test_a_write_refused_with_429_is_sent_again_and_applied_once() -> None:
    forum = FakeForum.seeded(3, [ForumBadge(100, "Helper", multiple_grant=True)])
    forum.throttle_next("json", retry_after="2")
    forum.throttle_next("text", retry_after="1")
    clock = VirtualTime()
    with closing(session(forum, clock, Recording(clock))) as http:
        response = http.send(
            "POST", "/user_badges.json", body={"username": "user1", "badge_id": 100}, resend_after_loss=False
        )
    assert response.status_code == 200
    assert len(forum.held(1, 100)) == 1  # a multiple_grant badge: a second send would grant again


def test_without_retry_after_the_json_429_says_how_long_in_extras() -> None:
    forum = FakeForum.seeded(3)
    forum.throttle_next("json", retry_after=None)
    clock = VirtualTime()
    rate = Recording(clock)
    with closing(session(forum, clock, rate)) as http:
        assert http.send("GET", "/site/basic-info.json").status_code == 200
    assert rate.told == [0.0]  # extras.wait_seconds of the fake's answer


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        ({"Retry-After": "7"}, b'{"extras": {"wait_seconds": 40}}', 7.0),  # the header first
        ({}, b'{"errors": ["..."], "error_type": "rate_limit", "extras": {"wait_seconds": 40}}', 40.0),
        ({}, b'{"extras": {"wait_seconds": 12.5}}', 12.5),
        ({}, b"Slow down. Error code: ip_10_secs_limit.", None),  # plain text, no header: back off
        ({}, b'{"extras": {"wait_seconds": -3}}', 0.0),  # nothing left to wait
        ({}, b'{"extras": {"wait_seconds": "soon"}}', None),
        ({}, b'{"extras": "x"}', None),
        ({}, b"[1, 2]", None),
    ],
)
def test_the_wait_a_429_asks_for(headers: dict[str, str], body: bytes, expected: float | None) -> None:
    assert rate_limit_wait(httpx.Response(429, headers=headers, content=body)) == expected


def test_without_patience_a_429_spends_an_attempt_as_before() -> None:
    # The v1 dialect's behaviour, kept: its contract expects ServerBusy after its attempts.
    forum = FakeForum.seeded(3)
    for _ in range(3):
        forum.throttle_next("json", retry_after="0")
    clock = VirtualTime()
    with (
        closing(session(forum, clock, Recording(clock), max_throttled_wait=None)) as http,
        pytest.raises(ServerBusy, match="HTTP 429 on 2 attempts"),
    ):
        http.send("GET", "/site/basic-info.json")
    assert forum.count("GET") == 2


def test_a_server_that_never_stops_refusing_is_busy_after_its_patience_with_why() -> None:
    forum = FakeForum.seeded(3)
    for _ in range(200):
        forum.throttle_next("json", retry_after="60")
    clock = VirtualTime()
    with (
        closing(session(forum, clock, Recording(clock), max_throttled_wait=600.0)) as http,
        pytest.raises(ServerBusy, match=r"rate limit.*10 min"),
    ):
        http.send("GET", "/admin/badges.json")
    assert 9 <= forum.count("GET") <= 12 and sum(clock.waits) <= 600.0
