"""What the user chose to connect a profile is kept (kind, username, request category); never the key."""

from __future__ import annotations

import json

from desktop import settings
from desktop.settings import ConnectionChoice


def test_a_connection_choice_survives_a_save_and_a_load() -> None:
    s = settings.Settings()
    choice = ConnectionChoice("discourse", username="mod_alice", request_category="badge-requests")
    s.remember_connection("https://forum.example.org", choice)
    settings.save(s)
    loaded = settings.load()
    assert loaded.connection("https://forum.example.org") == choice
    assert loaded.connection("https://other.example.org") is None


def test_remembering_again_replaces_the_profiles_choice_only() -> None:
    s = settings.Settings()
    s.remember_connection("a", ConnectionChoice("discourse", "alice", "requests"))
    s.remember_connection("b", ConnectionChoice("badgedesk-v1"))
    s.remember_connection("a", ConnectionChoice("discourse", "alice", ""))
    assert s.connection("a") == ConnectionChoice("discourse", "alice", "")
    assert s.connection("b") == ConnectionChoice("badgedesk-v1")


def test_a_damaged_entry_is_not_used() -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "connections": {
                    "no-kind": {"username": "x"},
                    "not-a-dict": "discourse",
                    "wrong-type": {"kind": "discourse", "username": 7},
                    "fine": {"kind": "discourse", "username": "bob"},
                }
            }
        )
    )
    loaded = settings.load()
    for profile in ("no-kind", "not-a-dict", "wrong-type"):
        assert loaded.connection(profile) is None
    assert loaded.connection("fine") == ConnectionChoice("discourse", "bob", "")


def test_a_connection_choice_has_no_place_for_the_key() -> None:
    assert set(ConnectionChoice.__dataclass_fields__) == {"kind", "username", "request_category"}
