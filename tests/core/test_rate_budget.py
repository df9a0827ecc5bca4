"""One rate budget for a whole forum: under the limit with headroom, the user first, a 429 no failure.

Time is virtual: :class:`SteppingClock` moves only when the budget waits (one
thread), :class:`ManualClock` only when the test moves it (several threads;
real waits are a millisecond at a time).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from desktop.cancellation import Cancelled, CancelToken
from desktop.net.budget import Priority, RateBudget, RateLimit, Slot, describe_duration
from desktop.net.errors import ServerBusy
from desktop.net.http import HttpSession
from desktop.net.ratecontrol import RateControl
from desktop.net.throttling import throttle_wait
from tests.fakes.rate_limited_forum import BASE_URL, HOST, RateLimitedForum

FG = Priority.FOREGROUND
BG = Priority.BACKGROUND
DISCOURSE = RateLimit(requests=60, period=60.0)
#: 58 of 60 (3 % headroom), in a window of 60 s + 1.25 s (whole seconds on the server, and travel).
PLANNED = 58
WINDOW = 61.25


class SteppingClock:
    """Virtual time for one thread: a wait moves it on at once; so may the test."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start
        self.on_move: Callable[[float], None] | None = None

    def now(self) -> float:
        return self.t

    def wait(self, condition: threading.Condition, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.t += seconds
        if self.on_move is not None:
            self.on_move(self.t)


class ManualClock:
    """Virtual time for several threads: it moves only when the test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start

    def now(self) -> float:
        return self.t

    def wait(self, condition: threading.Condition, seconds: float) -> None:
        condition.wait(min(seconds, 0.001))


def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.001)


def most_within(times: list[float], seconds: float) -> int:
    """The most of ``times`` in any span shorter than ``seconds``."""
    times = sorted(times)
    most, start = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - seconds:
            start += 1
        most = max(most, end - start + 1)
    return most


# --- the limit and its headroom ---------------------------------------------


def test_the_plan_keeps_headroom_and_at_least_one_request() -> None:
    assert DISCOURSE.planned == PLANNED
    assert DISCOURSE.window == WINDOW
    assert RateLimit(requests=60, period=60.0, headroom=0.1).planned == 54
    assert RateLimit(requests=1, period=60.0).planned == 1
    with pytest.raises(ValueError, match="at least one request"):
        RateLimit(requests=0, period=60.0)
    with pytest.raises(ValueError, match="headroom"):
        RateLimit(requests=60, period=60.0, headroom=1.0)
    with pytest.raises(ValueError, match="period"):
        RateLimit(requests=60, period=0.0)


def test_never_more_than_the_planned_share_in_any_window_and_no_slot_wasted() -> None:
    clock = SteppingClock()
    budget = RateBudget(HOST, DISCOURSE, clock=clock)
    sent = [budget.acquire(FG).at for _ in range(500)]
    assert most_within(sent, 60.0) == PLANNED < 60
    assert most_within(sent, WINDOW) == PLANNED
    # As fast as the plan allows: a full window, then the next as the first expires.
    assert sent[-1] - sent[0] == pytest.approx((-(-500 // PLANNED) - 1) * WINDOW)


def test_background_work_is_spread_over_the_window() -> None:
    budget = RateBudget(HOST, DISCOURSE, clock=SteppingClock())
    sent = [budget.acquire(BG).at for _ in range(120)]
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert min(gaps) == pytest.approx(WINDOW / PLANNED)
    assert most_within(sent, WINDOW) <= PLANNED


def test_the_user_waits_at_most_one_step_behind_background_work() -> None:
    clock = SteppingClock()
    budget = RateBudget(HOST, DISCOURSE, clock=clock)
    for _ in range(120):
        budget.acquire(BG)
    asked = clock.now()
    assert budget.acquire(FG).at - asked <= WINDOW / PLANNED + 1e-9


def _start(target: Callable[[], None], name: str) -> threading.Thread:
    # Daemon: a failing test must not keep the run alive behind a thread still waiting its turn.
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread


def _release(clock: ManualClock, threads: list[threading.Thread]) -> None:
    """Let every waiter through (far later), and wait for the threads to end."""
    clock.t += 1e6
    for thread in threads:
        thread.join(timeout=5)


def test_foreground_overtakes_background_queued_earlier() -> None:
    clock = ManualClock()
    budget = RateBudget(HOST, RateLimit(requests=3, period=60.0, headroom=0.0, margin=0.0), clock=clock)
    for _ in range(3):
        budget.acquire(FG)
    order: list[str] = []
    threads: list[threading.Thread] = []

    def take(name: str, priority: Priority) -> Callable[[], None]:
        def run() -> None:
            budget.acquire(priority)
            order.append(name)

        return run

    try:
        for queued, (name, priority) in enumerate([("sync 1", BG), ("sync 2", BG), ("award", FG)], start=1):
            threads.append(_start(take(name, priority), name))
            until(lambda n=queued: budget.queued() == n)  # type: ignore[misc]
        assert order == []
        clock.t += 60  # the window has room for all three again
        until(lambda: len(order) == 1)
        time.sleep(0.02)
        # Background is spread (one every 20 s here), so it waits its step; the award did not.
        assert order == ["award"]
        clock.t += 20
        until(lambda: len(order) == 2)
        clock.t += 20
        until(lambda: len(order) == 3)
        assert order == ["award", "sync 1", "sync 2"]
    finally:
        _release(clock, threads)


# --- the server says the bucket is emptier than we thought ------------------


def test_a_throttle_pauses_every_request_for_the_servers_wait() -> None:
    clock = SteppingClock()
    budget = RateBudget(HOST, DISCOURSE, clock=clock)
    budget.acquire(FG)
    start = clock.now()
    budget.on_throttled(30.0)
    assert budget.paused_for() == pytest.approx(30.0)
    assert budget.acquire(FG).at == pytest.approx(start + 30)
    budget.on_throttled(12.0)
    assert budget.acquire(BG).at == pytest.approx(start + 42)


def test_a_throttle_without_a_usable_wait_still_pauses() -> None:
    clock = SteppingClock()
    budget = RateBudget(HOST, DISCOURSE, clock=clock, min_pause=1.0, unknown_pause=10.0)
    # Discourse answers "wait 0" when its oldest entry is exactly a period old: it is still full.
    budget.on_throttled(0.0)
    assert budget.paused_for() == pytest.approx(1.0)
    clock.advance(5)
    budget.on_throttled(None)
    assert budget.paused_for() == pytest.approx(10.0)
    # A server asking for a day is not waited on for a day: the limit on refusals decides.
    budget.on_throttled(86_400.0)
    assert budget.paused_for() == pytest.approx(600.0)


def test_after_a_throttle_the_budget_ramps_up_instead_of_bursting() -> None:
    clock = SteppingClock()
    budget = RateBudget(HOST, DISCOURSE, clock=clock)
    for _ in range(10):
        budget.acquire(FG)
    refused = budget.acquire(FG)
    # Others hold the rest of the bucket: the refused request is not ours to count.
    budget.on_throttled(2.0, refused)
    # Ours in the window, and the one the server frees when its wait is over.
    assert budget.capacity() == 11
    sent = [budget.acquire(FG).at for _ in range(8)]
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert sent[0] == pytest.approx(refused.at + 2.0)
    assert min(gaps) >= WINDOW / PLANNED - 1e-9
    clock.advance(WINDOW)
    assert budget.capacity() == PLANNED


def test_refusals_are_counted_until_an_answer_comes() -> None:
    clock = SteppingClock()
    budget = RateBudget(HOST, DISCOURSE, clock=clock)
    assert budget.on_throttled(5.0) == 0.0
    clock.advance(5)
    assert budget.on_throttled(5.0) == pytest.approx(5.0)
    budget.on_answered()
    clock.advance(5)
    assert budget.on_throttled(5.0) == 0.0


# --- cancel -----------------------------------------------------------------


def test_cancel_while_waiting_gives_the_turn_to_the_next() -> None:
    clock = ManualClock()
    budget = RateBudget(HOST, RateLimit(requests=2, period=60.0, headroom=0.0, margin=0.0), clock=clock)
    budget.acquire(FG)
    budget.acquire(FG)
    outcome: dict[str, object] = {}
    token = CancelToken()

    def sync() -> None:
        outcome["sync"] = budget.acquire(BG)

    def award() -> None:
        try:
            budget.acquire(FG, token)
        except Cancelled:
            outcome["award"] = "cancelled"

    threads = [_start(sync, "sync")]
    try:
        until(lambda: budget.queued() == 1)
        threads.append(_start(award, "award"))
        until(lambda: budget.queued() == 2)
        token.cancel()
        threads[1].join(timeout=2)
        assert outcome == {"award": "cancelled"}
        assert budget.queued() == 1
        clock.t += 60
        threads[0].join(timeout=2)
        assert isinstance(outcome["sync"], Slot)
    finally:
        _release(clock, threads)


def test_a_cancelled_token_is_refused_before_any_slot_is_taken() -> None:
    budget = RateBudget(HOST, DISCOURSE, clock=SteppingClock())
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        budget.acquire(FG, token)
    assert budget.free_now() == PLANNED
    assert budget.queued() == 0


# --- ETA --------------------------------------------------------------------


def test_eta_from_the_rate_limit() -> None:
    clock = SteppingClock()
    budget = RateBudget(HOST, DISCOURSE, clock=clock)
    eta = budget.eta(1000)
    # 18 windows' worth: the 18th starts 17 windows after the first.
    assert eta.seconds == pytest.approx(17 * WINDOW)
    assert eta.text == "about 17 min at 60 requests/min"
    assert budget.eta(10).text == "under a minute at 60 requests/min"
    assert budget.eta(0).seconds == 0
    assert budget.eta(10_000).text == "about 2 h 56 min at 60 requests/min"
    # Background work is spread: one step each.
    assert budget.eta(100, BG).seconds == pytest.approx(99 * WINDOW / PLANNED)


def test_eta_counts_what_the_window_already_holds_and_a_pause() -> None:
    clock = SteppingClock()
    budget = RateBudget(HOST, DISCOURSE, clock=clock)
    for _ in range(PLANNED):
        budget.acquire(FG)
    clock.advance(1.25)
    assert budget.eta(1).seconds == pytest.approx(WINDOW - 1.25)
    budget.on_throttled(120.0)
    assert budget.eta(1).seconds == pytest.approx(120.0)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "under a minute"),
        (59.9, "under a minute"),
        (60, "about 1 min"),
        (17.4 * 60, "about 17 min"),
        (89 * 60, "about 89 min"),
        (90 * 60, "about 1 h 30 min"),
        (2 * 3600 + 20, "about 2 h"),
    ],
)
def test_duration_phrases(seconds: float, text: str) -> None:
    assert describe_duration(seconds) == text


def test_rate_phrases() -> None:
    assert RateLimit(requests=60, period=60.0).rate_text == "60 requests/min"
    assert RateLimit(requests=100, period=1.0).rate_text == "6,000 requests/min"
    assert RateLimit(requests=1, period=120.0).rate_text == "0.5 requests/min"


# --- what a 429 says ---------------------------------------------------------


def _response(status: int, *, headers: dict[str, str], body: bytes) -> httpx.Response:
    return httpx.Response(status, headers=headers, content=body)


def test_throttle_wait_reads_both_shapes_of_429() -> None:
    json_type = {"Content-Type": "application/json; charset=utf-8"}
    body = b'{"errors": ["wait"], "error_type": "rate_limit", "extras": {"wait_seconds": 37}}'
    # Retry-After first, then the JSON body's extras.wait_seconds.
    assert throttle_wait(_response(429, headers={**json_type, "Retry-After": "12"}, body=body)) == 12.0
    assert throttle_wait(_response(429, headers=json_type, body=body)) == 37.0
    text = {"Content-Type": "text/plain"}
    message = b"Slow down, too many requests from this IP address.\nPlease retry again in 9 seconds.\n"
    assert throttle_wait(_response(429, headers={**text, "Retry-After": "9"}, body=message)) == 9.0
    assert throttle_wait(_response(429, headers=text, body=message)) == 9.0
    # Nothing usable: None, and the budget pauses for its default.
    assert throttle_wait(_response(429, headers=text, body=b"Too many")) is None
    assert throttle_wait(_response(429, headers=json_type, body=b'{"errors": []}')) is None
    assert throttle_wait(_response(429, headers=json_type, body=b"{not json")) is None
    bogus = b'{"extras": {"wait_seconds": "soon"}}'
    assert throttle_wait(_response(429, headers=json_type, body=bogus)) is None
    negative = b'{"extras": {"wait_seconds": -5}}'
    assert throttle_wait(_response(429, headers=json_type, body=negative)) == 0.0


# --- through HttpSession --------------------------------------------------------


def _session(forum: RateLimitedForum, budget: RateBudget | None, **options: object) -> HttpSession:
    return HttpSession(
        BASE_URL,
        headers={"Api-Key": "k", "Api-Username": "system"},
        transport=forum.transport(),
        budget=budget,
        **options,  # type: ignore[arg-type]
    )


def _forum(clock: SteppingClock, **options: object) -> RateLimitedForum:
    return RateLimitedForum(now=clock.now, advance=clock.advance, **options)  # type: ignore[arg-type]


def test_through_http_session_the_limit_is_never_reached() -> None:
    clock = SteppingClock()
    forum = _forum(clock, latency=0.3)
    session = _session(forum, RateBudget(HOST, DISCOURSE, clock=clock))
    for i in range(400):
        assert session.send("GET", f"/admin/users/list/active.json?page={i}").status_code == 200
    assert forum.refusals == []
    assert forum.most_in_any_window(ours_only=True) <= PLANNED


def test_through_http_session_a_shared_bucket_costs_time_never_a_failure() -> None:
    clock = SteppingClock()
    # Another integration spends 20 requests a minute of the same 60; some refusals are plain text.
    forum = _forum(clock, latency=0.3, other_every=3.0, text_refusal_every=3)
    session = _session(forum, RateBudget(HOST, DISCOURSE, clock=clock), max_attempts=1)
    start = clock.now()
    for i in range(400):
        assert session.send("POST", "/user_badges.json", data={"n": str(i)}).status_code == 200
    assert forum.json_refusals > 0 and forum.text_refusals > 0
    assert forum.most_in_any_window() <= 60
    assert sum(a.ours for a in forum.admitted) == 400
    # The other integration was not crowded out, and we used the 40 a minute it left us.
    assert forum.other_backlog == 0
    assert (clock.now() - start) / 60 <= 400 / 40 * 1.05
    # Refusals cost nothing on the forum (a refused request is not counted), and they stay few.
    assert len(forum.refusals) < 400 / 5


def test_a_429_is_not_a_failed_attempt() -> None:
    clock = SteppingClock()
    refusals = iter(range(5))

    def forum(request: httpx.Request) -> httpx.Response:
        if next(refusals, None) is not None:
            return httpx.Response(429, headers={"Retry-After": "3"}, text="Slow down")
        return httpx.Response(200, json={})

    session = HttpSession(
        BASE_URL,
        headers={},
        transport=httpx.MockTransport(forum),
        budget=RateBudget(HOST, DISCOURSE, clock=clock),
        max_attempts=1,
    )
    start = clock.now()
    assert session.send("POST", "/user_badges.json", resend_after_loss=False).status_code == 200
    assert clock.now() - start == pytest.approx(15.0)


def test_a_forum_that_keeps_refusing_for_ten_minutes_is_busy() -> None:
    clock = SteppingClock()
    forum = _forum(clock, refuse_all=True)
    session = _session(forum, RateBudget(HOST, DISCOURSE, clock=clock))
    start = clock.now()
    with pytest.raises(ServerBusy) as caught:
        session.send("GET", "/admin/badges.json")
    assert 600 <= clock.now() - start <= 700
    message = str(caught.value)
    assert HOST in message and "10 min" in message and "rate limit" in message and "429" in message


def test_cancel_during_a_pause_through_http_session() -> None:
    clock = SteppingClock()
    forum = _forum(clock, refuse_all=True)
    token = CancelToken()
    session = _session(forum, RateBudget(HOST, DISCOURSE, clock=clock), cancel=token)
    start = clock.now()
    clock.on_move = lambda now: token.cancel() if now - start > 30 else None
    with pytest.raises(Cancelled):
        session.send("GET", "/admin/badges.json")
    assert clock.now() - start < 31


class RecordingBudget(RateBudget):
    def __init__(self) -> None:
        super().__init__(HOST, DISCOURSE, clock=SteppingClock())
        self.priorities: list[Priority] = []

    def acquire(self, priority: Priority = Priority.FOREGROUND, cancel: CancelToken | None = None) -> Slot:
        self.priorities.append(priority)
        return super().acquire(priority, cancel)


def test_priority_per_session_per_call_and_raised_for_a_while() -> None:
    budget = RecordingBudget()
    forum = RateLimitedForum(now=lambda: 0.0, advance=lambda s: None)
    session = _session(forum, budget, priority=BG)
    session.send("GET", "/a")
    session.send("GET", "/b", priority=FG)
    with session.prioritised(FG):
        session.send("POST", "/c")
    session.send("GET", "/d")
    assert budget.priorities == [BG, FG, FG, BG]


def test_a_budget_is_for_one_forum() -> None:
    forum = RateLimitedForum(now=lambda: 0.0, advance=lambda s: None)
    with pytest.raises(ValueError, match=r"other\.example\.org"):
        _session(forum, RateBudget("other.example.org", DISCOURSE))


def test_without_a_budget_a_429_still_counts_as_an_attempt() -> None:
    def forum(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "0"}, text="Slow down")

    session = HttpSession(
        BASE_URL,
        headers={},
        transport=httpx.MockTransport(forum),
        max_attempts=2,
        rate_control=RateControl(first_backoff=0.001),
    )
    with pytest.raises(ServerBusy, match="HTTP 429 on 2 attempts"):
        session.send("GET", "/x")
