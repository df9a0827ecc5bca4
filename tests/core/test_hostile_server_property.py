"""Generated malformed answers never reach the cache: a property test over a real sync.

Hypothesis breaks one answer of the honest fake server (``fake_community_server``)
in one way: a value of the wrong type or out of range (ids beyond SQLite's
64 bits or below 1, NaN, insane timestamps, unknown enum values, overlong
strings and cursors), a missing field, a body that is not JSON or is cut short,
JSON under another content type, or paging that never ends (a repeated cursor,
``has_more`` / ``next_cursor`` for ever). A real ``SyncService`` on a real cache
must stop with one clear :class:`MalformedResponse`, and nothing may change.

How "nothing changed" is made meaningful: the sync writes each page in its
own transaction, so a broken page after good ones legitimately leaves the good
ones stored. Each example therefore starts from a cache whose *next* request is
the broken one: for the full sync, a first sync interrupted right after the
first page of a phase (so the resumed sync's first page is the broken one); for
the incremental sync, a completed first sync (so the changes feed's first page
is). Every table is dumped before and after and must be equal, the sync
position included. Endless paging is the one exception: its pages are each
well-formed and are stored until the guard sees the paging cannot end, so the
endless pages here repeat rows the cache already holds; every table but
``sync_state`` must then be identical, and ``sync_state`` may only have moved
its position.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desktop.cache.database import Cache
from desktop.dialects.badgedesk_v1 import wire
from desktop.domain import BadgeState, MemberStatus, RequestState
from desktop.net.errors import ApiError, MalformedResponse
from tests.core.fake_community_server import (
    FakeCommunityServer,
    JsonObject,
    dump_cache,
    interrupt_full_sync,
    json_response,
    path_of,
    sync,
)

PHASES = ("badges", "members", "awards", "requests")
#: About 2–5 s per test on the shared 2-core development machine.
EXAMPLES = 100

ID_KEYS = {"id", "member_id", "badge_id", "award_id"}
TIME_KEYS = {
    "joined_at",
    "last_seen_at",
    "updated_at",
    "granted_at",
    "revoked_at",
    "created_at",
    "decided_at",
    "server_time",
}
ENUM_KEYS = {"status", "state", "media_type"}
CURSOR_KEYS = {"next_cursor", "changes_cursor"}
#: Fields that may be null (in some model): null is never the broken value for them.
NULLABLE_KEYS = {"last_seen_at", "evidence_url", "decided_by", "decided_at", "reason", "image"} | {
    "next_cursor",
    "revoked_at",
}
#: Fields with a default: leaving them out is not a fault.
OPTIONAL_KEYS = {"revoked_at"}
ENUM_VALUES = {str(v) for enum in (BadgeState, MemberStatus, RequestState) for v in enum} | {
    "image/png",
    "image/svg+xml",
}
NOT_JSON_TYPES = ["text/html", "text/plain", "application/xml", "application/octet-stream", "image/png"]


# --- the honest first answer each broken example replaces -----------------------


def busy_changes() -> JsonObject:
    """A changes page that carries some of everything, all of it as the cache holds it."""
    rows = FakeCommunityServer().rows
    return {
        "members": rows["members"][:2],
        "badges": rows["badges"][:1],
        "awards": rows["awards"][:2],
        "requests": rows["requests"][:1],
        "next_cursor": "c101",
        "has_more": False,
    }


def first_answer(endpoint: str) -> JsonObject:
    """The honest answer to the first request the sync sends to ``endpoint`` in these examples."""
    server = FakeCommunityServer()
    if endpoint == "/community":
        return server.community()
    if endpoint == "/changes":
        return busy_changes()
    # The resumed full sync asks for the second page of its phase.
    return server.page(endpoint.strip("/"), "2", 2)


# --- where a document can be broken -------------------------------------------

Path_ = tuple[str | int, ...]


def leaves(document: Any, at: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every value in the document with its path, containers included (not the root)."""
    if at:
        yield at, document
    if isinstance(document, dict):
        for key, value in document.items():
            yield from leaves(value, (*at, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from leaves(value, (*at, index))


def kind_of(path: Path_, value: Any) -> str:
    key = path[-1]
    if isinstance(key, int):
        return "object" if isinstance(value, dict) else "text"
    by_key = {"batch_cap": "batch_cap", "image": "object"}
    by_key |= dict.fromkeys(ID_KEYS, "id") | dict.fromkeys(TIME_KEYS, "time")
    by_key |= dict.fromkeys(ENUM_KEYS, "enum") | dict.fromkeys(CURSOR_KEYS, "cursor")
    if key in by_key:
        return by_key[key]
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, int):
        return "count"
    # Strings, and the nullable texts (evidence_url, decided_by, reason) when null.
    return "text"


JSON_TYPES: dict[str, st.SearchStrategy[Any]] = {
    "int": st.one_of(st.integers(-(2**80), 2**80), st.just(2**70)),
    "float": st.floats(allow_nan=True, allow_infinity=True),
    "bool": st.booleans(),
    "str": st.text(max_size=8),
    "list": st.lists(st.integers(), max_size=2),
    "object": st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    "null": st.none(),
}
ACCEPTED: dict[str, set[str]] = {
    "id": {"int"},
    "count": {"int"},
    "batch_cap": {"int"},
    "bool": {"bool"},
    "list": {"list"},
    "object": {"object"},
    "time": {"str"},
    "enum": {"str"},
    "cursor": {"str"},
    "text": {"str"},
}
OUT_OF_RANGE: dict[str, st.SearchStrategy[Any]] = {
    "id": st.one_of(st.integers(max_value=0), st.integers(min_value=2**63), st.just(2**70)),
    "count": st.one_of(st.integers(max_value=-1), st.integers(min_value=2**63)),
    "batch_cap": st.one_of(st.integers(max_value=0), st.integers(min_value=wire.MAX_BATCH_CAP + 1)),
    "time": st.one_of(
        st.sampled_from(["", "yesterday", "2024-13-01T00:00:00Z", "2024-01-01T25:00:00Z"]),
        # Naive: no offset says which moment it is.
        st.datetimes().map(lambda d: d.replace(microsecond=0).isoformat()),
        st.integers(1, 1969).map(lambda y: f"{y:04d}-06-01T00:00:00Z"),
        st.integers(2200, 9999).map(lambda y: f"{y:04d}-06-01T00:00:00+01:00"),
        st.sampled_from(["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"]),
    ),
    "enum": st.text(max_size=12).filter(lambda s: s not in ENUM_VALUES),
    "cursor": st.one_of(st.just(""), st.integers(1, 100).map(lambda n: "7" * (wire.MAX_CURSOR + n))),
    "text": st.integers(1, 100).map(lambda n: "é" * (wire.MAX_TEXT + n)),
}


def bad_values(kind: str, nullable: bool) -> st.SearchStrategy[Any]:
    wrong = [
        strategy
        for name, strategy in JSON_TYPES.items()
        if name not in ACCEPTED[kind] and not (name == "null" and nullable)
    ]
    if kind in OUT_OF_RANGE:
        wrong.append(OUT_OF_RANGE[kind])
    return st.one_of(wrong)


def replaced(document: Any, path: Path_, value: Any, *, remove: bool = False) -> Any:
    copy = json.loads(json.dumps(document))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    if remove:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copy


# --- broken answers -------------------------------------------------------------


@dataclass
class Broken:
    """One broken answer to ``endpoint``; ``bad`` is what was planted, for the message check."""

    endpoint: str
    #: The kind of fault, for hypothesis' statistics ("wrong value: id", "truncated", …).
    category: str
    what: str
    body: bytes = b""
    content_type: str = "application/json"
    bad: Any = None
    #: For endless paging: the next page to send, given the request.
    pages: Callable[[httpx.Request, FakeCommunityServer], JsonObject] | None = field(default=None, repr=False)

    @property
    def endless(self) -> bool:
        return self.pages is not None

    def answer(self, request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        if path_of(request) != self.endpoint:
            return None
        if self.pages is not None:
            return json_response(self.pages(request, server))
        return json_response(self.body, content_type=self.content_type)


@st.composite
def broken_value(draw: st.DrawFn, endpoint: str) -> Broken:
    document = first_answer(endpoint)
    # Kind first, then a place of that kind: otherwise the many text fields crowd out the rest.
    by_kind: dict[str, list[Path_]] = {}
    for place, value in leaves(document):
        by_kind.setdefault(kind_of(place, value), []).append(place)
    kind = draw(st.sampled_from(sorted(by_kind)))
    path = draw(st.sampled_from(by_kind[kind]))
    key = path[-1]
    if isinstance(key, str) and key not in OPTIONAL_KEYS and draw(st.integers(0, 3)) == 0:
        body = json.dumps(replaced(document, path, None, remove=True)).encode()
        return Broken(endpoint, "missing field", f"{key} missing", body)
    bad = draw(bad_values(kind, nullable=key in NULLABLE_KEYS))
    body = json.dumps(replaced(document, path, bad), allow_nan=True).encode()
    where = ".".join(map(str, path))
    return Broken(endpoint, f"bad value: {kind}", f"{where} = {str(bad)[:40]!r}", body, bad=bad)


@st.composite
def broken_body(draw: st.DrawFn, endpoint: str) -> Broken:
    honest = json.dumps(first_answer(endpoint)).encode()
    how = draw(st.sampled_from(["not json", "truncated", "content type", "top level"]))
    if how == "not json":
        junk = draw(st.binary(max_size=64))
        return Broken(endpoint, how, how, b"<" + junk)
    if how == "truncated":
        return Broken(endpoint, how, how, honest[: draw(st.integers(0, len(honest) - 1))])
    if how == "content type":
        return Broken(endpoint, how, how, honest, content_type=draw(st.sampled_from(NOT_JSON_TYPES)))
    top = draw(st.one_of(st.lists(st.integers(), max_size=3), st.integers(), st.text(max_size=5), st.none()))
    return Broken(endpoint, how, how, json.dumps(top).encode())


@st.composite
def endless_paging(draw: st.DrawFn, endpoint: str) -> Broken:
    """Well-formed pages that never end; each repeats rows the cache already holds."""
    cursors = draw(st.sampled_from(["fresh", "same as asked", "taking turns"]))
    with_items = draw(st.booleans())
    fresh = count(1)

    def next_cursor(request: httpx.Request) -> str:
        asked = request.url.params.get("since") or request.url.params.get("cursor") or ""
        if cursors == "fresh":
            return f"x{next(fresh)}"
        if cursors == "same as asked":
            return asked
        return "x1" if asked != "x1" else "x2"

    def pages(request: httpx.Request, server: FakeCommunityServer) -> JsonObject:
        if endpoint == "/changes":
            page = {**busy_changes(), "has_more": True, "next_cursor": next_cursor(request)}
            if not with_items:
                page.update(members=[], badges=[], awards=[], requests=[])
            return page
        # The interrupted sync stored the first page of its phase: send it again and again.
        rows = server.rows[endpoint.strip("/")][:2] if with_items else []
        return {"items": rows, "next_cursor": next_cursor(request)}

    detail = f"{cursors} cursors, {'with' if with_items else 'no'} items"
    return Broken(endpoint, "endless paging", detail, pages=pages)


def broken_answers(endpoints: list[str]) -> st.SearchStrategy[Broken]:
    paged = [e for e in endpoints if e != "/community"]
    return st.one_of(
        # Twice: the wrong values are the widest family.
        st.sampled_from(endpoints).flatmap(broken_value),
        st.sampled_from(endpoints).flatmap(broken_value),
        st.sampled_from(endpoints).flatmap(broken_body),
        st.sampled_from(paged).flatmap(endless_paging),
    )


# --- the property -------------------------------------------------------------------


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Caches made once by real syncs: interrupted after each full-sync phase's first page, and complete."""
    root = tmp_path_factory.mktemp("templates")
    made: dict[str, Path] = {}
    for name in (*PHASES, "complete"):
        path = root / name / "cache"
        cache = Cache(path)
        if name == "complete":
            sync(cache, FakeCommunityServer())
        else:
            interrupt_full_sync(cache, name)
        cache.close()
        made[name] = path
    return made


def check_refused(template: Path, broken: Broken) -> None:
    event(broken.category)
    workdir = Path(tempfile.mkdtemp(prefix="hostile-")) / "profile"
    try:
        # The whole directory: whatever files the cache keeps beside its main one come along.
        shutil.copytree(template.parent, workdir)
        cache = Cache(workdir / template.name)
        try:
            before = dump_cache(cache)
            server = FakeCommunityServer(broken.answer, trip_after=400)
            with pytest.raises(ApiError) as caught:
                sync(cache, server)
            after = dump_cache(cache)
        finally:
            cache.close()
    finally:
        shutil.rmtree(workdir.parent)
    error = caught.value
    assert isinstance(error, MalformedResponse), f"{type(error).__name__}: {error}"
    message = str(error)
    assert "\n" not in message and "Traceback" not in message and len(message) < 300, message
    planted = broken.bad
    long_text = isinstance(planted, str) and len(planted) >= 8
    if long_text or (isinstance(planted, int) and abs(planted) >= 10**6):
        assert str(planted) not in message, "the message repeats the payload"
    if broken.endless:
        assert "keeps sending pages" in message
        assert {k: v for k, v in after.items() if k != "mirror.sync_state"} == {
            k: v for k, v in before.items() if k != "mirror.sync_state"
        }
        assert {row[0] for row in after["mirror.sync_state"]} == {
            row[0] for row in before["mirror.sync_state"]
        }
    else:
        assert after == before


HOSTILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The autouse fixtures (fresh dirs, keyring, no leftover threads) are per test,
    # which is right here: each example copies its own cache from the module's templates.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@HOSTILE
@given(data=st.data())
def test_full_sync_refuses_any_malformed_page_and_stores_nothing(
    templates: dict[str, Path], data: st.DataObject
) -> None:
    phase = data.draw(st.sampled_from(PHASES), label="phase")
    broken = data.draw(broken_answers(["/community", f"/{phase}"]), label="broken")
    check_refused(templates[phase], broken)


@HOSTILE
@given(broken=broken_answers(["/community", "/changes"]))
def test_incremental_sync_refuses_any_malformed_page_and_stores_nothing(
    templates: dict[str, Path], broken: Broken
) -> None:
    check_refused(templates["complete"], broken)
