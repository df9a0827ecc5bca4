"""A hostile or broken server: sync stops with one clear error and stores nothing of a bad answer.

Each case breaks one thing in an otherwise honest fake server (see
``fake_community_server``) and runs a real ``SyncService`` on a real cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.net.errors import ApiError, MalformedResponse
from desktop.sync import KEY_FULL_CURSOR, KEY_FULL_PHASE
from tests.core.fake_community_server import (
    MIRROR_TABLES,
    FakeCommunityServer,
    JsonObject,
    dump_cache,
    interrupt_full_sync,
    json_response,
    path_of,
    sync,
)


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    yield cache
    cache.close()


def mirror(cache: Cache) -> dict[str, Any]:
    dump = dump_cache(cache)
    return {table: dump[f"mirror.{table}"] for table in MIRROR_TABLES}


def assert_one_clear_sentence(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert len(message) < 300, message


# --- paging that never ends ---------------------------------------------------


def test_a_repeated_cursor_stops_the_full_sync(cache: Cache) -> None:
    def same_page_again(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        if path_of(request) == "/members":
            return json_response({"items": server.rows["members"][:2], "next_cursor": "2"})
        return None

    server = FakeCommunityServer(same_page_again, trip_after=200)
    with pytest.raises(MalformedResponse, match="The server keeps sending pages of members") as caught:
        sync(cache, server)
    assert_one_clear_sentence(str(caught.value))
    # The first page was good and is kept (the sync resumes from it); the repeat was not stored.
    assert cache.counts().members == 2
    state = cache.sync_state()
    assert (state[KEY_FULL_PHASE], state[KEY_FULL_CURSOR]) == ("members", "2")
    assert server.requests["/members"] == 2


def test_fresh_cursors_for_ever_stop_the_full_sync_past_the_announced_total(cache: Cache) -> None:
    """The server announces 5 members and keeps sending them again under new cursors."""
    cursors = count(1)

    def endless(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        if path_of(request) == "/members":
            return json_response({"items": server.rows["members"][:2], "next_cursor": f"m{next(cursors)}"})
        return None

    server = FakeCommunityServer(endless, trip_after=500)
    with pytest.raises(MalformedResponse, match="The server keeps sending pages of members") as caught:
        sync(cache, server)
    assert_one_clear_sentence(str(caught.value))
    assert cache.counts().members == 2
    assert server.requests["/members"] < 50


def _endless_feed(kind: str) -> Callable[[httpx.Request, FakeCommunityServer], httpx.Response | None]:
    cursors = count(101)

    def answer(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        if path_of(request) != "/changes":
            return None
        page: JsonObject = {**server.changes(request.url.params["since"]), "has_more": True}
        if kind == "empty pages":
            page["next_cursor"] = f"c{next(cursors)}"
        elif kind == "the same member again":
            page["members"] = server.rows["members"][:1]
            page["next_cursor"] = f"c{next(cursors)}"
        else:  # two cursors taking turns
            page["next_cursor"] = "c201" if request.url.params["since"] != "c201" else "c202"
        return json_response(page)

    return answer


@pytest.mark.parametrize("kind", ["empty pages", "the same member again", "alternating cursors"])
def test_has_more_for_ever_stops_the_incremental_sync(cache: Cache, kind: str) -> None:
    sync(cache, FakeCommunityServer())
    before = mirror(cache)
    server = FakeCommunityServer(_endless_feed(kind), trip_after=500)
    with pytest.raises(MalformedResponse, match="The server keeps sending pages of changes") as caught:
        sync(cache, server)
    assert_one_clear_sentence(str(caught.value))
    # Every endless page repeated what the cache holds: the mirror is as it was.
    assert mirror(cache) == before
    assert server.requests["/changes"] <= 150


def test_has_more_with_an_unchanged_cursor_is_an_error(cache: Cache) -> None:
    """Asking for "more" at the same position gets nowhere; ending quietly would hide a broken server."""
    sync(cache, FakeCommunityServer())

    def stuck(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        if path_of(request) == "/changes":
            return json_response({**server.changes(request.url.params["since"]), "has_more": True})
        return None

    with pytest.raises(MalformedResponse, match="The server keeps sending pages of changes"):
        sync(cache, FakeCommunityServer(stuck, trip_after=50))


# --- malformed values ---------------------------------------------------------

BAD_MEMBERS: list[tuple[str, str, Any, str]] = [
    ("an id beyond SQLite's 64 bits", "id", 2**70, "id"),
    ("a negative id", "id", -3, "id"),
    ("id 0", "id", 0, "id"),
    ("a float id", "id", float("nan"), "id"),
    ("a join date in year 1", "joined_at", "0001-01-01T00:00:00+23:59", "joined_at"),
    ("a join date in year 9999", "joined_at", "9999-12-31T23:59:59-23:59", "joined_at"),
    ("a 2 MB display name", "display_name", "Ada " * 500_000, "display_name"),
    ("an unknown status", "status", "banned", "status"),
    ("groups as a string", "groups", "staff", "groups"),
]


def _tamper_member(field: str, value: Any, endpoint: str) -> Any:
    def answer(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        if path_of(request) != endpoint:
            return None
        page = server.honest(request)
        bad = {**server.rows["members"][2], field: value}
        if endpoint == "/changes":
            page["members"] = [bad]
        else:
            page["items"] = [page["items"][0], bad]
        return json_response(page)

    return answer


@pytest.mark.parametrize("path", ["full", "incremental"])
@pytest.mark.parametrize(("what", "field", "value", "named"), BAD_MEMBERS, ids=[b[0] for b in BAD_MEMBERS])
def test_a_malformed_member_is_refused_and_nothing_is_stored(
    cache: Cache, path: str, what: str, field: str, value: Any, named: str
) -> None:
    if path == "full":
        interrupt_full_sync(cache, "members")
    else:
        sync(cache, FakeCommunityServer())
    before = dump_cache(cache)
    endpoint = "/members" if path == "full" else "/changes"
    with pytest.raises(MalformedResponse) as caught:
        sync(cache, FakeCommunityServer(_tamper_member(field, value, endpoint)))
    message = str(caught.value)
    assert_one_clear_sentence(message)
    assert named in message
    assert "grace@example.org" not in message and "Ada Ada" not in message
    assert dump_cache(cache) == before


def test_an_overlong_cursor_is_refused(cache: Cache) -> None:
    interrupt_full_sync(cache, "members")
    before = dump_cache(cache)

    def long_cursor(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        if path_of(request) == "/members":
            return json_response({**server.honest(request), "next_cursor": "9" * 5000})
        return None

    with pytest.raises(MalformedResponse, match="next_cursor"):
        sync(cache, FakeCommunityServer(long_cursor))
    assert dump_cache(cache) == before


def test_a_badge_version_beyond_64_bits_is_refused(cache: Cache) -> None:
    def huge_version(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        if path_of(request) == "/badges":
            page = server.honest(request)
            page["items"][0] = {**page["items"][0], "version": 2**64}
            return json_response(page)
        return None

    with pytest.raises(MalformedResponse, match="version"):
        sync(cache, FakeCommunityServer(huge_version))
    assert cache.counts().badges == 0


@pytest.mark.parametrize("batch_cap", [0, -1, 10**12])
def test_an_unusable_batch_cap_is_refused(batch_cap: int) -> None:
    def odd_cap(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        info = server.community()
        info["capabilities"]["batch_cap"] = batch_cap
        return json_response(info)

    with (
        FakeCommunityServer(odd_cap).connector() as connector,
        pytest.raises(MalformedResponse, match="batch_cap"),
    ):
        connector.community()


# --- not JSON at all ------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/html", "text/plain; charset=utf-8", "application/xml"])
def test_json_under_another_content_type_is_refused(cache: Cache, content_type: str) -> None:
    """A proxy's or login page's answer is not the API's, even when it happens to parse."""
    interrupt_full_sync(cache, "members")
    before = dump_cache(cache)

    def wrong_type(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        if path_of(request) == "/members":
            return json_response(server.honest(request), content_type=content_type)
        return None

    with pytest.raises(MalformedResponse, match="not JSON") as caught:
        sync(cache, FakeCommunityServer(wrong_type))
    assert_one_clear_sentence(str(caught.value))
    assert dump_cache(cache) == before


@pytest.mark.parametrize(
    "body",
    [b"<html><body>Sign in</body></html>", b'{"items": [{"id": 1, "usern', b"", b"\xff\xfe\x00garbage"],
)
def test_a_body_that_is_not_json_is_refused(cache: Cache, body: bytes) -> None:
    interrupt_full_sync(cache, "members")
    before = dump_cache(cache)

    def garbage(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        return json_response(body) if path_of(request) == "/members" else None

    with pytest.raises(MalformedResponse, match="not valid JSON") as caught:
        sync(cache, FakeCommunityServer(garbage))
    assert_one_clear_sentence(str(caught.value))
    assert dump_cache(cache) == before


def test_the_error_names_the_field_without_the_payload(cache: Cache) -> None:
    """One sentence: which answer, which field, what to do; no member data, no pydantic dump."""
    interrupt_full_sync(cache, "members")
    with pytest.raises(ApiError) as caught:
        sync(cache, FakeCommunityServer(_tamper_member("id", 2**70, "/members")))
    message = str(caught.value)
    assert message.startswith("Malformed response from GET /members")
    assert "items[1].id" in message
    assert str(2**70) not in message
    assert "administrator" in message
    assert "pydantic" not in message and "input_value" not in message


# --- error answers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("what", "body"),
    [
        ("a message of a megabyte over many lines", {"error": "nope", "message": "Grace Hopper\n" * 80_000}),
        ("JSON nested beyond any parser's depth", b"[" * 200_000 + b"]" * 200_000),
        ("a message that is not a string", {"error": ["x"], "message": {"grace": "hopper"}}),
    ],
)
def test_an_error_answer_becomes_one_short_line(cache: Cache, what: str, body: Any) -> None:
    def refuse(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        return json_response(body, status=404) if path_of(request) == "/members" else None

    with pytest.raises(ApiError) as caught:
        sync(cache, FakeCommunityServer(refuse))
    message = str(caught.value)
    assert_one_clear_sentence(message)
    assert "HTTP 404" in message
    assert cache.counts().members == 0
