"""Where a member's profile is: the dialects say, Capabilities keeps it, the sandbox shows it."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.dialects.capabilities import Capabilities
from desktop.dialects.discourse.session import DiscourseSession
from desktop.domain import Member, MemberStatus
from desktop.sandbox.app import create_app
from desktop.sandbox.seed import seed_database
from desktop.sandbox.store import SandboxStore
from tests.ports import SelfPorts

with warnings.catch_warnings():
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient


def member(username: str = "ann", status: MemberStatus = MemberStatus.ACTIVE, id_: int = 7) -> Member:
    return Member(id_, username, "Ann Lee", "ann@example.org", datetime(2020, 1, 2, tzinfo=UTC), None, status)


class WithPages(SelfPorts):
    profile_url = "https://forum.example.org/u/{username}"


class WithBadPages(SelfPorts):
    #: Not an http(s) address: a link the browser must not be handed.
    profile_url = "javascript:alert(1)//{username}"


def test_the_dialects_say_where_profiles_are() -> None:
    forum = DiscourseSession("https://forum.example.org/", "key", username="alice")
    v1 = CommunityApiConnector("https://community.example.org", "token")
    try:
        assert forum.profile_url == "https://forum.example.org/u/{username}"
        assert v1.profile_url == "https://community.example.org/members/{member_id}"
    finally:
        forum.close()
        v1.close()


def test_capabilities_carry_the_profile_address_and_fill_it_in() -> None:
    caps = Capabilities.of(WithPages())
    assert caps.profile_url == "https://forum.example.org/u/{username}"
    assert caps.member_profile(member()) == "https://forum.example.org/u/ann"
    # A username is one path segment, whatever it holds.
    assert caps.member_profile(member("a b/c?d")) == "https://forum.example.org/u/a%20b%2Fc%3Fd"
    assert caps.member_profile(member("zoë")) == "https://forum.example.org/u/zo%C3%AB"
    # A deleted member has no profile left; a suspended one still has one.
    assert caps.member_profile(member(status=MemberStatus.DELETED)) is None
    assert caps.member_profile(member(status=MemberStatus.SUSPENDED)) is not None
    by_id = Capabilities.of(WithPages())
    object.__setattr__(by_id, "profile_url", "https://c.example.org/members/{member_id}")
    assert by_id.member_profile(member(id_=42)) == "https://c.example.org/members/42"


def test_a_server_without_profiles_or_with_an_unusable_address_has_none() -> None:
    assert Capabilities.of(SelfPorts()).profile_url == ""
    assert Capabilities.of(SelfPorts()).member_profile(member()) is None
    assert Capabilities.of(WithBadPages()).profile_url == ""


def test_the_profile_address_is_kept_and_older_stored_capabilities_read_without_it() -> None:
    caps = Capabilities.of(WithPages())
    assert Capabilities.from_json(caps.to_json()) == caps
    older = json.loads(caps.to_json())
    del older["profile_url"]
    read = Capabilities.from_json(json.dumps(older))
    assert read is not None and read.profile_url == "" and read.member_profile(member()) is None


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("profiles") / "sandbox.sqlite3"
    seed_database(path, members=30, seed=5)
    return path


@pytest.fixture()
def client(seeded: Path, tmp_path: Path) -> Iterator[tuple[TestClient, SandboxStore]]:
    path = tmp_path / "sandbox.sqlite3"
    shutil.copy(seeded, path)
    store = SandboxStore(path)
    with TestClient(create_app(store, community_name="Test <Community>")) as test_client:
        yield test_client, store
    store.close()


def test_the_sandbox_shows_a_profile_page_without_a_token(client: tuple[TestClient, SandboxStore]) -> None:
    test_client, store = client
    shown = store.member(3)
    assert shown is not None
    answer = test_client.get("/members/3")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert f"@{shown.username}" in answer.text
    assert "Test &lt;Community&gt;" in answer.text
    # A public page: no email on it.
    assert shown.email not in answer.text
    assert test_client.get("/members/999999").status_code == 404
    assert test_client.get("/members/0").status_code in (404, 422)
    # The API's member is still JSON behind a token.
    assert test_client.get("/api/v1/members/3").status_code == 401


def test_a_profile_page_escapes_what_the_member_wrote(client: tuple[TestClient, SandboxStore]) -> None:
    test_client, store = client
    with contextlib.closing(sqlite3.connect(store.path)) as connection, connection:
        connection.execute("UPDATE members SET display_name = ? WHERE id = 3", ("<b>Mallory</b>",))
    answer = test_client.get("/members/3")
    assert "<b>Mallory</b>" not in answer.text and "&lt;b&gt;Mallory&lt;/b&gt;" in answer.text
