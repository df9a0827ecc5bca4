"""Profile folders: naming one moves nothing; an old slug folder moves only when its cache opens,
and only when it can be nobody else's (removing ``http://x.org`` deleted ``https://x.org``'s cache)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from desktop import paths, profiles, settings
from desktop.community import Community
from desktop.secrets import TokenStore
from desktop.settings import ConnectionChoice, Settings


def _old_folder(name: str) -> Path:
    old = paths.data_dir() / "profiles" / name
    old.mkdir(parents=True)
    (old / "outbox.txt").write_text("unsent queued awards")
    return old


def test_naming_a_profile_folder_moves_nothing() -> None:
    old = _old_folder("x.org")
    assert paths.profile_dir("http://x.org") == paths.data_dir() / "profiles" / "http_x.org"
    assert (old / "outbox.txt").read_text() == "unsent queued awards"
    assert not paths.profile_dir("http://x.org").exists()


def test_removing_a_profile_never_opened_keeps_the_old_shared_folder() -> None:
    s = Settings()
    secure = profiles.add(s, "Secure", "https://x.org", ConnectionChoice("badgedesk-v1"))
    plain = profiles.add(s, "Plain", "http://x.org", ConnectionChoice("badgedesk-v1"))
    old = _old_folder("x.org")
    profiles.delete_data(plain, TokenStore())
    assert (old / "outbox.txt").read_text() == "unsent queued awards"
    assert not paths.profile_dir(secure.url).exists()


@pytest.mark.parametrize("demo", ["demo", "demo-discourse"])
def test_a_server_named_like_the_demo_never_takes_the_demos_folder(demo: str) -> None:
    old = _old_folder(demo)
    community = Community(f"http://{demo}", None, listed=[])
    try:
        assert community.cache.directory == paths.data_dir() / "profiles" / f"http_{demo}"
    finally:
        community.close()
    assert (old / "outbox.txt").read_text() == "unsent queued awards"
    assert paths.open_profile_dir(demo) == old


def test_an_old_folder_two_listed_profiles_shared_stays_for_neither(caplog: pytest.LogCaptureFixture) -> None:
    old = _old_folder("x.org")
    listed = ["demo", "https://x.org", "http://x.org"]
    with caplog.at_level(logging.WARNING, logger="desktop.paths"):
        folder = paths.open_profile_dir("https://x.org", listed)
    assert not folder.exists()
    assert (old / "outbox.txt").read_text() == "unsent queued awards"
    assert str(old) in caplog.text and "left where it is" in caplog.text


def test_opening_the_only_listed_profile_of_an_old_folder_moves_it() -> None:
    s = Settings()
    profiles.add(s, "Secure", "https://x.org", ConnectionChoice("badgedesk-v1"))
    settings.save(s)
    old = _old_folder("x.org")
    # listed=None: the listed profiles are read from the settings file (as the commands open it).
    community = Community("https://x.org", None)
    try:
        assert community.cache.directory == paths.profile_dir("https://x.org")
    finally:
        community.close()
    assert (paths.profile_dir("https://x.org") / "outbox.txt").read_text() == "unsent queued awards"
    assert not old.exists()


def test_opening_a_cache_leaves_a_settings_file_it_cannot_read_where_it_is() -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    Community("https://x.org", None).close()
    assert path.read_text() == "{not json"


def test_an_old_folder_moves_in_when_the_app_claimed_the_profile_first() -> None:
    from desktop.cache.locks import held

    old = _old_folder("x.org-8443")
    (old / "work.sqlite").write_text("queued actions")
    folder = paths.profile_dir("https://x.org:8443")
    # The app's single-instance claim holds app.lock in the new folder before the cache opens.
    with held(folder / "app.lock"):
        assert paths.open_profile_dir("https://x.org:8443", ["https://x.org:8443"]) == folder
        assert (folder / "work.sqlite").read_text() == "queued actions"
        assert (folder / "outbox.txt").read_text() == "unsent queued awards"
        assert (folder / "app.lock").exists()
    assert not old.exists()


def test_an_old_folder_never_moves_into_a_folder_with_a_cache() -> None:
    old = _old_folder("x.org")
    folder = paths.profile_dir("https://x.org")
    folder.mkdir(parents=True)
    (folder / "app.lock").write_text("")
    (folder / "work.sqlite").write_text("newer cache")
    paths.open_profile_dir("https://x.org", ["https://x.org"])
    assert (folder / "work.sqlite").read_text() == "newer cache"
    assert (old / "outbox.txt").read_text() == "unsent queued awards"
