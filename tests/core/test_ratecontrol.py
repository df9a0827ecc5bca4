from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.net.http import parse_retry_after
from desktop.net.ratecontrol import RateControl


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_no_delay_while_the_server_is_happy() -> None:
    control = RateControl(clock=Clock())
    assert [control.reserve("h") for _ in range(5)] == [0, 0, 0, 0, 0]


def test_backoff_doubles_and_is_capped() -> None:
    clock = Clock()
    control = RateControl(clock=clock, first_backoff=0.5, max_delay=3)
    delays = []
    for _ in range(5):
        control.on_throttled("h")
        delays.append(control.current_delay("h"))
    assert delays == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_retry_after_holds_every_request_to_that_host_only() -> None:
    clock = Clock()
    control = RateControl(clock=clock, first_backoff=0.25)
    assert control.on_throttled("h", retry_after=7) == pytest.approx(7)
    assert control.reserve("h") == pytest.approx(7)
    assert control.reserve("other") == 0
    clock.now += 7
    # Then paced by the back-off delay, not all at once.
    assert control.reserve("h") == pytest.approx(0.25)


def test_recovery_is_gradual_then_back_to_full_speed() -> None:
    control = RateControl(clock=Clock(), first_backoff=1.0, recovery=0.5)
    control.on_throttled("h")
    control.on_throttled("h")
    assert control.current_delay("h") == 2.0
    control.on_success("h")
    assert control.current_delay("h") == 1.0
    for _ in range(20):
        control.on_success("h")
    assert control.current_delay("h") == 0.0


def test_parse_retry_after() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:10 GMT", now=now) == 10.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
