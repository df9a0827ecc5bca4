from __future__ import annotations

import json
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest

from desktop import paths, settings
from desktop.secrets import NoKeyring, TokenStore


def test_defaults_when_there_is_no_file() -> None:
    assert settings.load() == settings.Settings()


def test_round_trip_keeps_unknown_keys_from_newer_versions(isolated_dirs: Path) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"demo_members": 500, "future_option": [1, 2]}))
    loaded = settings.load()
    assert loaded.demo_members == 500
    loaded.remember_server("https://a.example")
    settings.save(loaded)
    raw = json.loads(path.read_text())
    assert raw["future_option"] == [1, 2]
    assert raw["servers"] == ["https://a.example"]
    assert raw["schema_version"] == settings.SCHEMA_VERSION


def test_wrong_types_fall_back_to_defaults() -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"demo_members": "many", "sync_interval_s": True}))
    loaded = settings.load()
    assert loaded.demo_members == 20_000
    assert loaded.sync_interval_s == 120


def test_unreadable_file_is_moved_aside_not_lost() -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert settings.load() == settings.Settings()
    assert path.with_name("settings.json.unreadable").read_text() == "{not json"


def test_settings_never_hold_a_token(memory_keyring: object) -> None:
    s = settings.Settings()
    TokenStore().set("https://a.example", "s3cret-token-value")
    s.remember_server("https://a.example")
    settings.save(s)
    assert "s3cret" not in settings.settings_path().read_text()


def test_token_store_uses_the_keyring() -> None:
    store = TokenStore()
    assert store.get("https://a.example") is None
    store.set("https://a.example", "tok")
    assert store.get("https://a.example") == "tok"
    store.delete("https://a.example")
    store.delete("https://a.example")  # deleting twice is fine
    assert store.get("https://a.example") is None


class FailingKeyring(keyring.backend.KeyringBackend):
    priority = 0

    def __init__(self) -> None:
        # Typed here so that making one is a typed call; keyring's own __init__ has no annotations.
        super().__init__()  # type: ignore[no-untyped-call]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.NoKeyringError("no backend")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.NoKeyringError("no backend")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.NoKeyringError("no backend")


def test_headless_without_keyring_says_so_clearly() -> None:
    keyring.set_keyring(FailingKeyring())
    with pytest.raises(NoKeyring, match="No system keyring"):
        TokenStore().get("https://a.example")
    with pytest.raises(NoKeyring, match="asked for it each time"):
        TokenStore().set("https://a.example", "tok")


def test_profile_paths_are_safe_and_isolated(isolated_dirs: Path) -> None:
    assert paths.profile_slug("https://Community.Example.org:8443/") == "community.example.org-8443"
    assert paths.profile_dir("demo").is_relative_to(isolated_dirs)
