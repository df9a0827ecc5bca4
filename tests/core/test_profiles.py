"""Community profiles: ids, the move from the old slugs, per-profile settings, add/rename/remove."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop import paths, profiles, settings
from desktop.secrets import SERVICE, TokenStore
from desktop.settings import ConnectionChoice, Settings
from tests.conftest import MemoryKeyring


@pytest.mark.parametrize(
    ("url", "ident"),
    [
        ("https://x.org:8443", "https_x.org_8443"),
        ("http://x.org:8443", "http_x.org_8443"),
        ("HTTPS://Community.X.org:443/", "https_community.x.org"),
        ("http://X.org:80", "http_x.org"),
        ("https://x.org/forum/", "https_x.org~forum"),
        ("http://127.0.0.1:8000", "http_127.0.0.1_8000"),
        ("demo", "demo"),
        ("demo-discourse", "demo-discourse"),
    ],
)
def test_profile_ids_keep_the_scheme_and_fold_ports_and_case(url: str, ident: str) -> None:
    assert paths.profile_id(url) == ident


def test_http_and_https_of_one_host_have_their_own_caches() -> None:
    assert paths.profile_dir("http://x.org:8443") != paths.profile_dir("https://x.org:8443")
    assert paths.profile_dir("https://x.org") == paths.profile_dir("https://X.ORG:443/")


def test_an_old_cache_folder_is_moved_to_the_profile_id_nothing_lost() -> None:
    old = paths.data_dir() / "profiles" / "x.org-8443"
    old.mkdir(parents=True)
    (old / "work.sqlite").write_text("queued actions")
    folder = paths.open_profile_dir("https://x.org:8443", ["https://x.org:8443"])
    assert folder.name == "https_x.org_8443"
    assert (folder / "work.sqlite").read_text() == "queued actions"
    assert not old.exists()
    # The other scheme of the same host starts its own (the shared folder went to the first opened).
    assert not paths.profile_dir("http://x.org:8443").exists()


def test_an_old_keyring_entry_is_moved_to_the_profile_id(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.passwords[(SERVICE, "https://X.org:8443")] = "old-token"
    store = TokenStore()
    assert store.get("https://X.org:8443/") == "old-token"
    assert memory_keyring.passwords == {(SERVICE, "https_x.org_8443"): "old-token"}
    store.delete("https://x.org:8443")
    assert memory_keyring.passwords == {}


def test_tokens_of_http_and_https_are_apart() -> None:
    store = TokenStore()
    store.set("https://x.org", "secure")
    assert store.get("http://x.org") is None
    assert store.get("https://X.org:443") == "secure"


def _write(data: dict[str, object]) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def test_a_version_1_file_becomes_profiles_and_keeps_everything() -> None:
    _write(
        {
            "schema_version": 1,
            "servers": ["https://a.example", "https://b.example:8443"],
            "connections": {
                "https://a.example": {"kind": "discourse", "username": "mod", "request_category": "req"}
            },
            "saved_searches": {"new": {"text": "x"}},
            "saved_rules": {"old": {"all": []}},
            "language": "de",
            "from_the_future": [1, 2],
        }
    )
    loaded = settings.load()
    assert loaded.schema_version == 2
    assert loaded.language == "de"
    assert loaded.connection("https://a.example") == ConnectionChoice("discourse", "mod", "req")
    names = [(p.name, p.url) for p in profiles.all_profiles(loaded)]
    assert names == [
        ("Demo", ""),
        ("a.example", "https://a.example"),
        ("b.example:8443", "https://b.example:8443"),
    ]
    # Shared until now: every profile keeps a copy.
    for profile in ("https://a.example", "https://b.example:8443", "demo"):
        loaded.use_profile(profile)
        assert loaded.saved_searches == {"new": {"text": "x"}}
        assert loaded.saved_rules == {"old": {"all": []}}
    settings.save(loaded)
    raw = json.loads(settings.settings_path().read_text())
    assert raw["from_the_future"] == [1, 2]
    assert "connections" not in raw
    assert raw["schema_version"] == 2


def test_each_profile_keeps_its_own_searches_and_rules() -> None:
    s = Settings()
    s.use_profile("https://a.example")
    s.saved_searches["only a"] = {"text": "a"}
    s.use_profile("https://b.example")
    assert s.saved_searches == {}
    s.saved_rules["only b"] = {"all": []}
    settings.save(s)
    loaded = settings.load()
    assert loaded.active_profile == "https_b.example"
    assert loaded.saved_rules == {"only b": {"all": []}}
    loaded.use_profile("https://a.example")
    assert loaded.saved_searches == {"only a": {"text": "a"}}
    assert loaded.saved_rules == {}
    # Global settings stay global.
    loaded.language = "fr"
    loaded.use_profile("demo")
    assert loaded.language == "fr"


def test_add_rename_find_and_remove() -> None:
    s = Settings()
    forum = profiles.add(s, "Forum", "https://Forum.example/", ConnectionChoice("discourse", "mod", ""))
    assert forum.id == "https_forum.example"
    assert (forum.kind, forum.username) == ("discourse", "mod")
    with pytest.raises(profiles.ProfileError, match="already"):
        profiles.add(s, "Other", "https://forum.example:443", ConnectionChoice("discourse", "mod"))
    with pytest.raises(profiles.ProfileError, match="already a community called"):
        profiles.add(s, "demo", "https://c.example", ConnectionChoice("badgedesk-v1"))
    renamed = profiles.rename(s, forum.id, "  The   forum ")
    assert renamed.name == "The forum"
    assert profiles.find(s, "the FORUM") == renamed
    assert profiles.find(s, "https://forum.example") == renamed
    assert profiles.find(s, "nowhere") is None
    profiles.forget(s, renamed)
    assert [p.id for p in profiles.all_profiles(s)] == ["demo"]
    with pytest.raises(profiles.ProfileError):
        profiles.forget(s, profiles.demo(s))


def test_removing_deletes_the_cache_and_the_keyring_entry(memory_keyring: MemoryKeyring) -> None:
    s = Settings()
    forum = profiles.add(s, "Forum", "https://forum.example", ConnectionChoice("badgedesk-v1"))
    kept = profiles.add(s, "Kept", "http://forum.example", ConnectionChoice("badgedesk-v1"))
    store = TokenStore()
    store.set(forum.url, "t1")
    store.set(kept.url, "t2")
    for profile in (forum, kept):
        folder: Path = paths.profile_dir(profile.url)
        folder.mkdir(parents=True)
        (folder / "work.sqlite").write_text("x")
    profiles.delete_data(forum, store)
    assert not paths.profile_dir(forum.url).exists()
    assert store.get(forum.url) is None
    assert (paths.profile_dir(kept.url) / "work.sqlite").exists()
    assert store.get(kept.url) == "t2"


def test_a_cache_that_cannot_be_deleted_says_where_and_why_and_keeps_the_key(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = Settings()
    forum = profiles.add(s, "Forum", "https://forum.example", ConnectionChoice("badgedesk-v1"))
    store = TokenStore()
    store.set(forum.url, "t1")
    folder = paths.profile_dir(forum.url)
    folder.mkdir(parents=True)
    (folder / "work.sqlite").write_text("x")

    def refuse(path: Path, *_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    with monkeypatch.context() as patched:
        # The folder's files go one by one (its lock files last).
        patched.setattr(Path, "unlink", refuse)
        with pytest.raises(profiles.ProfileError) as raised:
            profiles.delete_data(forum, store)
    message = str(raised.value)
    assert str(folder) in message and "Permission denied" in message
    assert str(folder / "work.sqlite") in message
    # The key stays with what is left of the cache: removing it again finishes the job.
    assert store.get(forum.url) == "t1"
    profiles.delete_data(forum, store)
    assert not folder.exists() and store.get(forum.url) is None


def test_without_a_keyring_removing_deletes_the_cache() -> None:
    import keyring

    from tests.core.test_settings_and_secrets import FailingKeyring

    s = Settings()
    forum = profiles.add(s, "Forum", "https://forum.example", ConnectionChoice("badgedesk-v1"))
    paths.profile_dir(forum.url).mkdir(parents=True)
    keyring.set_keyring(FailingKeyring())
    # No keyring: nothing was stored there (the key was asked for each session).
    profiles.delete_data(forum, TokenStore())
    assert not paths.profile_dir(forum.url).exists()


def test_a_second_community_for_one_address_as_another_user_is_refused_saying_how() -> None:
    """One profile per address: its id names the cache and the keyring entry, whoever the key acts as."""
    s = Settings()
    profiles.add(s, "Forum", "https://forum.example", ConnectionChoice("discourse", "mod_alice"))
    with pytest.raises(profiles.ProfileError) as raised:
        profiles.add(
            s, "Forum as Bob", "https://FORUM.example:443/", ConnectionChoice("discourse", "mod_bob")
        )
    assert str(raised.value) == (
        "https://FORUM.example:443 is already the community 'Forum', acting as 'mod_alice'. BadgeDesk keeps"
        " one community per server address, with one cache and one API key: to act as 'mod_bob' there,"
        " open 'Forum' and change its user in File ▸ Connect to a server…."
    )
    # The same user: the plain message.
    with pytest.raises(
        profiles.ProfileError, match=r"^https://forum.example is already the community 'Forum'\.$"
    ):
        profiles.add(s, "Again", "https://forum.example", ConnectionChoice("discourse", "mod_alice"))
    assert [p.name for p in profiles.all_profiles(s)] == ["Demo", "Forum"]
    assert s.connection("https://forum.example") == ConnectionChoice("discourse", "mod_alice")
