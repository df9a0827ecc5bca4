"""What headless runs share: one run of a profile at a time, and one line for any failure."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop import paths
from desktop.cli_headless import REFUSED, SOME_FAILED, Stop, one_run_at_a_time, run_command
from desktop.outbox.sending_turn import SendingElsewhere, sending_turn

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
    assert "The app or another run is sending https://community.example.org; waiting for it to finish" in (
        capsys.readouterr().err
    )


def test_a_run_that_waited_too_long_says_so_and_does_nothing() -> None:
    with one_run_at_a_time(PROFILE):
        ran = False
        with pytest.raises(Stop) as stopped, one_run_at_a_time(PROFILE, wait=0.2, poll=0.05):
            ran = True
        assert not ran
        assert stopped.value.status == REFUSED
        assert "still sending" in str(stopped.value)


_HOLDER = (
    "import sys; from pathlib import Path; from desktop.outbox.sending_turn import sending_turn\n"
    "with sending_turn(Path(sys.argv[1])):\n"
    "    print('held', flush=True); sys.stdin.read()\n"
)


@contextmanager
def held_elsewhere(folder: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process (as the app's sender) holds the profile's sending turn until the block ends
    or the process is closed."""
    root = Path(__file__).resolve().parents[2]
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        release(holder)


def release(holder: subprocess.Popen[str]) -> None:
    if holder.poll() is None:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)


def test_a_run_waits_while_another_process_sends_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    folder = paths.profile_dir(PROFILE)
    with held_elsewhere(folder) as holder:
        with pytest.raises(SendingElsewhere), sending_turn(folder):
            pass
        timer = threading.Timer(0.6, release, (holder,))
        timer.start()
        started = time.monotonic()
        with one_run_at_a_time(PROFILE, poll=0.05):
            waited = time.monotonic() - started
        timer.join()
    assert waited >= 0.5
    assert "The app or another run is sending" in capsys.readouterr().err


def test_a_run_gives_up_on_a_profile_sent_too_long_elsewhere() -> None:
    with held_elsewhere(paths.profile_dir(PROFILE)):
        ran = False
        with pytest.raises(Stop) as stopped, one_run_at_a_time(PROFILE, wait=0.3, poll=0.05):
            ran = True
    assert not ran and stopped.value.status == REFUSED
    assert "The app or another run is still sending" in str(stopped.value)


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
