"""One instance per profile: a second start on it focuses the first; another profile opens normally."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop import paths
from desktop.cache.locks import held
from desktop.cache.storage import WORK_NAME
from ui.single_instance import LOCK_NAME, Claim, SingleInstance, server_name

FORUM = "https://forum.example"
OTHER = "http://forum.example"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def first(qtbot: QtBot) -> Iterator[SingleInstance]:
    instance = SingleInstance()
    yield instance
    instance.release()


def _tell_from_another_thread(name: str) -> list[bool]:
    """A second start's half, in another process (as a second start is; PySide's blocking socket
    calls keep Python's lock, so a thread would stall the first's answer): the first answers from
    the event loop the test spins."""
    answers: list[bool] = []
    code = f"import sys, ui.single_instance as s; sys.exit(0 if s.tell_running({name!r}) else 1)"
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)

    def wait() -> None:
        answers.append(process.wait(timeout=60) == 0)

    thread = threading.Thread(target=wait)
    thread.start()
    return answers


def test_a_second_start_on_the_same_profile_brings_the_first_to_the_front(
    qtbot: QtBot, first: SingleInstance
) -> None:
    assert first.claim(FORUM) is Claim.FIRST
    with qtbot.waitSignal(first.show_requested, timeout=5000):
        answers = _tell_from_another_thread(server_name("https://FORUM.example:443/"))
    qtbot.waitUntil(lambda: answers == [True], timeout=30_000)


def test_a_start_on_another_profile_opens_normally(qtbot: QtBot, first: SingleInstance) -> None:
    assert first.claim(FORUM) is Claim.FIRST
    assert server_name(OTHER) != server_name(FORUM)
    second = SingleInstance()
    try:
        assert second.claim(OTHER) is Claim.FIRST
    finally:
        second.release()


def test_the_socket_is_in_the_users_runtime_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a name in the shared /tmp another local user could listen on first."""
    runtime = tmp_path / "run-user"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    name = server_name(FORUM)
    assert Path(name).parent == runtime and len(os.fsencode(name)) <= 100
    assert name != server_name(OTHER)


def test_without_a_runtime_folder_the_socket_is_in_a_private_run_folder_of_the_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    short = Path(tempfile.mkdtemp(prefix="bd-"))
    try:
        monkeypatch.setenv("BADGEDESK_DATA_DIR", str(short))
        name = Path(server_name(FORUM))
        assert name.parent == short / "run"
        assert stat.S_IMODE(name.parent.stat().st_mode) == 0o700
        # A data folder too deep for a socket path: a private folder of this user's in the temp folder.
        monkeypatch.setenv("BADGEDESK_DATA_DIR", str(short / ("deep-folder" * 12)))
        deep = server_name("https://" + "long-host." * 30 + "example:8443/and/a/long/path")
        assert len(os.fsencode(deep)) <= 100
        assert Path(deep).parent == Path(tempfile.gettempdir()) / f"badgedesk-{os.getuid()}"
        assert stat.S_IMODE(Path(deep).parent.stat().st_mode) == 0o700
    finally:
        shutil.rmtree(short)


def test_a_socket_folder_someone_else_made_open_to_all_is_closed_to_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    run = paths.data_dir() / "run"
    run.mkdir(parents=True, mode=0o777)
    run.chmod(0o777)
    server_name(FORUM)
    assert stat.S_IMODE(run.stat().st_mode) == 0o700


def test_a_socket_left_by_a_crash_is_removed_and_listened_on(qtbot: QtBot, first: SingleInstance) -> None:
    stale = Path(server_name(FORUM))
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(str(stale))
    dead.close()  # the file stays, nobody listens: what a killed process leaves
    try:
        assert first.claim(FORUM) is Claim.FIRST
        with qtbot.waitSignal(first.show_requested, timeout=5000):
            answers = _tell_from_another_thread(server_name(FORUM))
        qtbot.waitUntil(lambda: answers == [True], timeout=30_000)
    finally:
        first.release()
        stale.unlink(missing_ok=True)


def test_a_cache_held_by_a_process_that_does_not_answer_is_not_opened_twice(first: SingleInstance) -> None:
    with held(paths.profile_dir(FORUM) / LOCK_NAME):
        assert first.claim(FORUM) is Claim.BUSY
    assert first.claim(FORUM) is Claim.FIRST


def test_switching_releases_the_old_profile(qtbot: QtBot, first: SingleInstance) -> None:
    assert first.claim(FORUM) is Claim.FIRST
    assert first.claim(OTHER) is Claim.FIRST
    assert first.profile == OTHER
    again = SingleInstance()
    try:
        assert again.claim(FORUM) is Claim.FIRST
    finally:
        again.release()


def test_starting_the_app_again_on_an_open_community_shows_its_window_and_exits(
    qtbot: QtBot, first: SingleInstance
) -> None:
    """``badgedesk`` twice on the demo: the second process asks the first to show its window."""
    assert first.claim("demo") is Claim.FIRST
    results: list[subprocess.CompletedProcess[str]] = []

    def second_start() -> None:
        results.append(
            subprocess.run(
                [sys.executable, "-m", "ui.app"], cwd=ROOT, capture_output=True, text=True, timeout=120
            )
        )

    thread = threading.Thread(target=second_start)
    with qtbot.waitSignal(first.show_requested, timeout=60_000):
        thread.start()
    qtbot.waitUntil(lambda: bool(results), timeout=60_000)
    thread.join()
    [done] = results
    assert done.returncode == 0, done.stderr
    assert "Demo is already open in BadgeDesk: its window was brought to the front." in done.stderr
    # It only focused the other one: nothing in the log file (the first one's), nothing rotated.
    assert not (paths.log_dir() / "badgedesk.log").exists()


def test_the_app_does_not_open_a_cache_another_process_holds() -> None:
    """The lock file held, nobody answering on the socket: one line, status 1, the cache untouched."""
    with held(paths.profile_dir("demo") / LOCK_NAME):
        done = subprocess.run(
            [sys.executable, "-m", "ui.app"], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 1, done.stderr
    assert "Another BadgeDesk has the community Demo open and did not answer." in done.stderr
    assert "Traceback" not in done.stderr
    assert not (paths.profile_dir("demo") / WORK_NAME).exists()


def test_a_data_folder_that_cannot_be_used_stops_the_start_in_one_line(tmp_path: Path) -> None:
    """BADGEDESK_DATA_DIR under a file (or read-only, or a full disk): no traceback, status 1."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env = {**os.environ, "BADGEDESK_DATA_DIR": str(blocker / "data"), "BADGEDESK_LOG_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "ui.app"], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    # The console's log lines (INFO) before it; the message is the last line.
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith("BadgeDesk cannot open the community Demo: its folder ")
    assert str(blocker / "data") in line and "Not a directory" in line


def test_a_second_start_while_the_first_is_not_listening_yet_waits_for_it(first: SingleInstance) -> None:
    """A double-click on the launcher: the first start holds the lock and listens half a second later;
    the second waits for it (up to about 2 s) and brings it to the front instead of saying it is busy."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.late_listener", FORUM, "0.5"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        assert first.claim(FORUM) is Claim.FOCUSED_OTHER
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        process.wait()


def test_a_process_that_holds_the_lock_and_never_answers_costs_about_two_seconds(
    first: SingleInstance,
) -> None:
    """Switching runs the claim on the GUI thread: a hung holder freezes it at most about 2 s."""
    import time

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(server_name(FORUM))  # connects (the kernel's backlog), never answers
    listener.listen(8)
    try:
        with held(paths.profile_dir(FORUM) / LOCK_NAME):
            started = time.monotonic()
            assert first.claim(FORUM) is Claim.BUSY
            assert time.monotonic() - started < 2.6
    finally:
        listener.close()
        os.unlink(server_name(FORUM))
