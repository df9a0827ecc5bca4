"""A full sync's members and awards go from the v1 body straight to rows (``RowListing``).

The quick check must accept nothing the wire models refuse, and what it
accepts must become the same rows the wire models would give; what it leaves
to them still arrives (e.g. a timestamp with an offset), or is refused with
the usual message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from desktop.cache.database import Cache
from desktop.dialects.badgedesk_v1 import rows, wire
from desktop.net.errors import MalformedResponse
from tests.core.fake_community_server import FakeCommunityServer, json_response, path_of, sync

MEMBER: dict[str, Any] = {
    "id": 7,
    "username": "ada",
    "display_name": "Ada Lovelace",
    "email": "ada@example.org",
    "joined_at": "2024-01-02T10:00:00Z",
    "last_seen_at": None,
    "status": "active",
    "groups": ["staff"],
}
AWARD: dict[str, Any] = {
    "id": 11,
    "member_id": 7,
    "badge_id": 3,
    "granted_at": "2024-01-02T10:00:05Z",
    "granted_by": "Bob Moderator",
    "reason": "",
}

#: Values a field may be broken into: wrong types, out of range, overlong, odd timestamps.
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**65), max_value=2**65),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.sampled_from(
        [
            "x" * (wire.MAX_NAME + 1),
            "1969-12-31T23:59:59Z",
            "2200-01-01T00:00:00Z",
            "2199-12-31T23:59:59Z",
            "1970-01-01T00:00:00Z",
            "2024-02-30T10:00:00Z",
            "2024-01-02T10:00:00+02:00",
            "2024-01-02 10:00:00Z",
            "2024-01-02T10:00:00",
            "２０２４-01-02T10:00:00Z",
            "suspended",
            "deleted",
            "retired",
        ]
    ),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def wire_rows(kind: str, body: bytes) -> list[Any] | None:
    """The rows the wire models make of ``body``, or None when they refuse it."""
    try:
        if kind == "members":
            return [rows.member_row_of(m) for m in wire.MemberPage.model_validate_json(body).items]
        return [rows.award_row_of(a) for a in wire.AwardPage.model_validate_json(body).items]
    except ValidationError:
        return None


def quick_rows(kind: str, body: bytes) -> list[Any] | None:
    page = rows.member_rows(body) if kind == "members" else rows.award_rows(body)
    return None if page is None else page.items


@settings(max_examples=400, deadline=None)
@given(
    kind=st.sampled_from(["members", "awards"]),
    field=st.sampled_from(sorted(set(MEMBER) | set(AWARD) | {"revoked_at"})),
    value=ODD_VALUES,
    drop=st.booleans(),
)
def test_the_quick_check_accepts_only_what_the_wire_models_accept(
    kind: str, field: str, value: Any, drop: bool
) -> None:
    item = dict(MEMBER if kind == "members" else AWARD)
    if drop:
        item.pop(field, None)
    else:
        item[field] = value
    body = json.dumps({"items": [AWARD if kind == "awards" else MEMBER, item], "next_cursor": "2"}).encode()
    quick = quick_rows(kind, body)
    if quick is not None:
        assert quick == wire_rows(kind, body)


def test_honest_pages_become_the_rows_the_cache_stores() -> None:
    body = json.dumps({"items": [MEMBER, {**MEMBER, "id": 8, "groups": []}], "next_cursor": None}).encode()
    page = rows.member_rows(body)
    assert page is not None and page.next_cursor is None
    joined = 1704189600  # 2024-01-02 10:00:00 UTC
    assert page.items == [
        (7, "ada", "Ada Lovelace", "ada@example.org", joined, None, "active", '["staff"]', None, None),
        (8, "ada", "Ada Lovelace", "ada@example.org", joined, None, "active", "[]", None, None),
    ]
    awards = rows.award_rows(json.dumps({"items": [AWARD], "next_cursor": "a1"}).encode())
    assert awards is not None and awards.next_cursor == "a1"
    assert awards.items == [(11, 7, 3, joined + 5, "Bob Moderator", "")]


@pytest.mark.parametrize(
    "body",
    [
        # A lone surrogate: json.loads takes it, the wire models do not.
        b'{"items": [{"id": 11, "member_id": 7, "badge_id": 3, "granted_at": "2024-01-02T10:00:05Z",'
        b' "granted_by": "\\ud800", "reason": ""}], "next_cursor": null}',
        json.dumps({"items": [AWARD], "next_cursor": None}).encode("utf-16"),
        json.dumps({"items": [AWARD], "next_cursor": ""}).encode(),
        json.dumps({"items": [AWARD]}).encode(),
        json.dumps([AWARD]).encode(),
        json.dumps({"items": [[11, 7, 3]], "next_cursor": None}).encode(),
    ],
)
def test_a_body_the_wire_models_refuse_is_left_to_them(body: bytes) -> None:
    assert rows.award_rows(body) is None
    assert wire_rows("awards", body) is None


def _offset_times(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
    # Valid for the wire models, outside the quick check: the rows must arrive all the same.
    kind = path_of(request).strip("/")
    if kind not in ("members", "awards"):
        return None
    page = server.page(kind, request.url.params.get("cursor"), int(request.url.params["limit"]))
    for item in page["items"]:
        for key in ("joined_at", "granted_at"):
            if key in item:
                item[key] = item[key].replace("T10:00:00Z", "T12:00:00+02:00")
    return json_response(page)


def test_a_page_left_to_the_wire_models_is_stored_the_same(tmp_path: Path) -> None:
    quick, slow = Cache(tmp_path / "quick"), Cache(tmp_path / "slow")
    try:
        sync(quick, FakeCommunityServer())
        sync(slow, FakeCommunityServer(_offset_times))
        for table in ("members", "awards"):
            with quick.read() as a, slow.read() as b:
                statement = f"SELECT * FROM {table} ORDER BY id"
                assert [tuple(r) for r in a.exec_driver_sql(statement)] == [
                    tuple(r) for r in b.exec_driver_sql(statement)
                ]
        assert quick.counts().awards == len(FakeCommunityServer().rows["awards"])
    finally:
        quick.close()
        slow.close()


def test_a_malformed_award_is_refused_naming_the_field(tmp_path: Path) -> None:
    def bad_award(request: httpx.Request, server: FakeCommunityServer) -> httpx.Response | None:
        if path_of(request) != "/awards":
            return None
        return json_response({"items": [{**server.rows["awards"][0], "badge_id": 0}], "next_cursor": None})

    cache = Cache(tmp_path / "cache")
    try:
        with pytest.raises(MalformedResponse, match=r"GET /awards: items\[0\]\.badge_id"):
            sync(cache, FakeCommunityServer(bad_award))
        assert cache.counts().awards == 0
    finally:
        cache.close()


def test_a_full_sync_keeps_only_the_newest_grant_of_a_badge_held_once(tmp_path: Path) -> None:
    # Revoked and granted again while the sync read the awards: both are listed.
    server = FakeCommunityServer()
    again = {**server.rows["awards"][0], "id": 99}
    server.rows["awards"].append(again)
    cache = Cache(tmp_path / "cache")
    try:
        sync(cache, server)
        with cache.read() as connection:
            held = connection.exec_driver_sql(
                "SELECT id FROM awards WHERE member_id = ? AND badge_id = ?",
                (again["member_id"], again["badge_id"]),
            )
            assert [row[0] for row in held] == [99]
            count = connection.exec_driver_sql(
                "SELECT grant_count FROM members WHERE id = ?", (again["member_id"],)
            ).scalar()
        assert count == 2  # member 1 holds badges 1 and 2 once each
    finally:
        cache.close()
