"""Shared fixtures: every test gets fresh data and config dirs, an in-memory
keyring, and fails if it leaves a thread running."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The demo's data is relative to "today": fixed for the whole session (and the sandboxes it
# starts), so what the tests see of the demo does not change from one day to the next.
os.environ.update(BADGEDESK_DEMO_TODAY="2026-12-01")

import keyring
import keyring.backend
import keyring.errors
import pytest

from desktop import logs

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's __init__ has no annotations
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never the user's data: each test has its own data and config dirs."""
    monkeypatch.setenv("BADGEDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BADGEDESK_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_log_file_left_open() -> Iterator[None]:
    """A test that ran ``main`` (which sets up the log file) does not log into the next one's."""
    yield
    logs.stop_logging()


@pytest.fixture(autouse=True)
def no_leftover_threads() -> Iterator[None]:
    """A test that leaves a thread of its own running fails."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while True:
        # Dummy threads are Qt pool threads that ran Python code; the pools are
        # checked by the UI fixtures instead.
        left = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
        ]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not left, f"threads left running: {[t.name for t in left]}"


@pytest.fixture()
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
