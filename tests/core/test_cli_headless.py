"""What headless runs share: one run of a profile at a time, and one line for any failure."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from desktop.cli_headless import REFUSED, SOME_FAILED, Stop, one_run_at_a_time, run_command

PROFILE = "https://community.example.org"


def test_a_second_run_waits_for_the_first(capsys: pytest.CaptureFixture[str]) -> None:
    order: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with one_run_at_a_time(PROFILE):
            order.append("first in")
            inside.set()
            time.sleep(0.5)
            order.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(5)
    with one_run_at_a_time(PROFILE, poll=0.05):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]
    assert "is sending; waiting for it to finish" in capsys.readouterr().err


def test_a_run_that_waited_too_long_says_so_and_does_nothing() -> None:
    with one_run_at_a_time(PROFILE):
        ran = False
        with pytest.raises(Stop) as stopped, one_run_at_a_time(PROFILE, wait=0.2, poll=0.05):
            ran = True
        assert not ran
        assert stopped.value.status == REFUSED
        assert "still sending" in str(stopped.value)


def test_any_other_failure_is_one_line_and_status_1(capsys: pytest.CaptureFixture[str]) -> None:
    def broken() -> int:
        raise sqlite3.OperationalError("database or disk is full")

    assert run_command(broken, "award") == SOME_FAILED
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1

    def refused() -> int:
        raise Stop("no such badge", REFUSED)

    assert run_command(refused, "award") == REFUSED
    assert capsys.readouterr().err == "no such badge\n"
