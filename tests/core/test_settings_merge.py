"""Several BadgeDesk processes share the settings file: each save keeps what the others saved meanwhile."""

from __future__ import annotations

import json
import os
import threading

from desktop import profiles, settings
from desktop.settings import ConnectionChoice, Settings

V1 = ConnectionChoice("badgedesk-v1")


def _start_with_one_profile() -> None:
    first = Settings()
    profiles.add(first, "North", "https://north.example", V1)
    settings.save(first)


def test_two_processes_changing_different_things_lose_nothing() -> None:
    _start_with_one_profile()
    one, two = settings.load(), settings.load()
    one.use_profile("https://north.example")
    profiles.add(one, "South", "https://south.example", V1)
    one.saved_searches["mods"] = {"text": "mod"}
    one.sync_interval_s = 600
    profiles.add(two, "East", "https://east.example", V1)
    profiles.rename(two, "https_north.example", "North forum")
    two.saved_rules["old"] = {"kind": "rule"}
    two.window_geometry = "abc"
    settings.save(one)
    settings.save(two)
    merged = settings.load()
    assert [p.name for p in profiles.all_profiles(merged)] == ["Demo", "East", "North forum", "South"]
    assert merged.sync_interval_s == 600 and merged.window_geometry == "abc"
    north = merged.profiles["https_north.example"]["settings"]
    assert north["saved_searches"] == {"mods": {"text": "mod"}}
    assert merged.profiles["demo"]["settings"]["saved_rules"] == {"old": {"kind": "rule"}}
    # The process that saved last now lists what the other one added too.
    assert "https_south.example" in two.profiles


def test_a_removal_elsewhere_is_not_undone_by_a_later_save() -> None:
    _start_with_one_profile()
    one, two = settings.load(), settings.load()
    profiles.forget(one, profiles.find(one, "North") or profiles.demo(one))
    settings.save(one)
    two.sync_interval_s = 30
    settings.save(two)
    merged = settings.load()
    assert profiles.find(merged, "North") is None
    assert merged.sync_interval_s == 30
    # Saved twice by the same process: still not back.
    settings.save(two)
    assert profiles.find(settings.load(), "North") is None


def test_each_save_writes_its_own_temporary_file() -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    # Another process's temporary file, half written (here: in the way).
    (path.parent / "settings.json.tmp").mkdir()
    s = Settings()
    s.language = "de"
    settings.save(s)
    assert json.loads(path.read_text())["language"] == "de"
    assert sorted(os.listdir(path.parent)) == ["settings.json", "settings.json.lock", "settings.json.tmp"]


def test_a_save_waits_for_another_process_saving() -> None:
    import fcntl

    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    fd = os.open(path.with_name("settings.json.lock"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    saving = threading.Thread(target=settings.save, args=(Settings(),))
    saving.start()
    saving.join(0.3)
    assert saving.is_alive() and not path.exists()
    os.close(fd)
    saving.join(5)
    assert not saving.is_alive() and path.exists()


def test_a_profile_removed_elsewhere_stays_removed_when_a_window_that_visited_it_saves() -> None:
    first = Settings()
    profiles.add(first, "R", "https://r.example", V1)
    profiles.add(first, "Q", "https://q.example", V1)
    settings.save(first)
    visitor, remover = settings.load(), settings.load()
    visitor.use_profile("https://r.example")
    visitor.saved_searches["mine"] = {"text": "mod"}
    visitor.use_profile("https://q.example")
    removed = profiles.find(remover, "R")
    assert removed is not None
    profiles.forget(remover, removed)
    settings.save(remover)
    settings.save(visitor)
    assert [p.name for p in profiles.all_profiles(settings.load())] == ["Demo", "Q"]
    assert "https_r.example" not in visitor.profiles


def test_a_profile_only_visited_stays_removed_too() -> None:
    first = Settings()
    profiles.add(first, "R", "https://r.example", V1)
    settings.save(first)
    visitor, remover = settings.load(), settings.load()
    visitor.use_profile("https://r.example")
    visitor.use_profile("demo")
    removed = profiles.find(remover, "R")
    assert removed is not None
    profiles.forget(remover, removed)
    settings.save(remover)
    settings.save(visitor)
    assert [p.name for p in profiles.all_profiles(settings.load())] == ["Demo"]
