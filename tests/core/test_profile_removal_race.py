"""Removing a profile while a cache of it is being opened: the opener waited on the deleted lock
file; it must not rebuild a cache in a new folder (an orphan, with a profile.lock of its own)."""

from __future__ import annotations

import os
import threading
import time

import pytest

from desktop import paths, profiles
from desktop.cache.database import PROFILE_LOCK_NAME, Cache
from desktop.cache.locks import LockBusy, ProfileRemoved, held
from desktop.secrets import TokenStore
from desktop.settings import ConnectionChoice, Settings

URL = "https://r.example"


def test_a_cache_opened_during_the_removal_fails_and_makes_no_new_folder() -> None:
    profile = profiles.add(Settings(), "R", URL, ConnectionChoice("badgedesk-v1"))
    folder = paths.profile_dir(URL)
    Cache(folder).close()
    outcome: list[BaseException | None] = []

    def opener() -> None:
        try:
            Cache(folder).close()
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=opener)
    # As the profiles dialog removes one: its app.lock and profile.lock held alone.
    with held(folder / "app.lock"), held(folder / PROFILE_LOCK_NAME):
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive()  # waiting on the shared profile.lock
        profiles.delete_data(profile, TokenStore())
    thread.join(20)
    [error] = outcome
    assert isinstance(error, ProfileRemoved)
    assert "removed while it was being opened" in str(error)
    assert not folder.exists()


def test_holding_a_lock_whose_file_was_deleted_under_it_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    path = paths.data_dir() / "x" / "app.lock"
    with held(path):
        pass
    real_open = os.open

    def open_then_delete(name: str, flags: int, mode: int = 0o777) -> int:
        fd = real_open(name, flags, mode)
        os.unlink(name)
        return fd

    monkeypatch.setattr(os, "open", open_then_delete)
    with pytest.raises(LockBusy), held(path):
        pass
