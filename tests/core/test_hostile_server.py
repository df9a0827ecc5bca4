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

from desktop.api.errors import MalformedResponse
from desktop.cache.database import Cache
from desktop.sync import KEY_FULL_CURSOR, KEY_FULL_PHASE
from tests.core.fake_community_server import (
    MIRROR_TABLES,
    FakeCommunityServer,
    JsonObject,
    dump_cache,
    json_response,
    path_of,
    sync,
)


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache.sqlite3")
    yield cache
    cache.close()


def mirror(cache: Cache) -> dict[str, Any]:
    dump = dump_cache(cache)
    return {table: dump[table] for table in MIRROR_TABLES}


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
