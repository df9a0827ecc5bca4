"""The Discourse face's leaderboard, ``GET /directory_items.json``: rolling periods, the caller's own
row, pages 0–10, ``limit`` ≤ 50, every answer checked against the published description."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from desktop.sandbox.discourse.data import DiscourseData
from tests.core.sandbox_discourse.conftest import Forum, MakeForum
from tests.core.sandbox_discourse.test_rate_limit import FakeClock

DAY = 86_400


@pytest.fixture()
def now(data: DiscourseData) -> int:
    """Ten and a half hours into the seeded day: daily rows date from 10:00, the others from 00:00."""
    epoch = data.seeded_epoch()
    assert epoch is not None
    return epoch + 10 * 3600 + 1800


@pytest.fixture()
def board(make_forum: MakeForum, now: int) -> Forum:
    return make_forum(clock=lambda: float(now))


def _likes_received(data: DiscourseData, start: int, end: int) -> Counter[int]:
    conn = sqlite3.connect(data.path)
    try:
        author = dict(conn.execute("SELECT id, member_id FROM activity_posts").fetchall())
        live = {r[0] for r in conn.execute("SELECT id FROM members WHERE status != 'deleted'")}
        counts: Counter[int] = Counter({member: 0 for member in live})
        for post_id, at in conn.execute("SELECT post_id, created_at FROM activity_likes"):
            if start <= at < end and author[post_id] in live:
                counts[author[post_id]] += 1
        return counts
    finally:
        conn.close()


def _rows(answer: Any) -> list[tuple[int, int]]:
    return [(item["id"], item["likes_received"]) for item in answer["directory_items"]]


def test_a_yearly_ranking_counts_the_year_before_the_last_refresh(board: Forum, now: int) -> None:
    client = board.moderator
    caller = client.get("/session/current.json").json()["current_user"]["id"]
    refreshed = now - now % DAY
    day = datetime.fromtimestamp(refreshed, UTC)
    try:
        year_before = int(day.replace(year=day.year - 1).timestamp())
    except ValueError:  # 29 February: a year before is the 28th
        year_before = int(day.replace(year=day.year - 1, day=28).timestamp())
    counts = _likes_received(board.data, year_before, refreshed)
    expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    seen: list[tuple[int, int]] = []
    for page in range(3):
        answer = client.get(
            "/directory_items.json", params={"period": "yearly", "order": "likes_received", "page": page}
        )
        assert answer.status_code == 200
        body = answer.json()
        rows = _rows(body)
        if page == 0:
            # The caller's own row first, as they are not among the first ten: a client drops it.
            assert caller not in [r[0] for r in expected[:10]]
            assert rows[0] == (caller, counts[caller])
            rows = rows[1:]
        seen += rows
        assert body["meta"]["last_updated_at"] == datetime.fromtimestamp(refreshed, UTC).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z"
        )
        assert body["meta"]["total_rows_directory_items"] == len(counts)
        assert f"page={page + 1}" in body["meta"]["load_more_directory_items"]
    assert seen == expected[:150]
    assert sum(1 for _, likes in expected if likes > 0) > 30
    assert (
        set(client.operations) == {"listUsersPublic", "getSession"} or "listUsersPublic" in client.operations
    )
    user = body["directory_items"][0]["user"]
    assert set(user) == {"id", "username", "name", "avatar_template", "title"}


def test_the_daily_period_is_refreshed_every_hour(board: Forum, now: int) -> None:
    answer = board.moderator.get("/directory_items.json", params={"period": "daily", "order": "days_visited"})
    assert answer.status_code == 200
    top_of_hour = now - now % 3600
    assert answer.json()["meta"]["last_updated_at"] == datetime.fromtimestamp(top_of_hour, UTC).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    values = [item["days_visited"] for item in answer.json()["directory_items"][1:]]
    assert values == sorted(values, reverse=True) and all(v <= 2 for v in values)


def test_periods_pages_and_limits(board: Forum) -> None:
    client = board.moderator
    for period in ("daily", "weekly", "monthly", "quarterly", "yearly", "all"):
        assert (
            client.get("/directory_items.json", params={"period": period, "order": "post_count"}).status_code
            == 200
        )
    refused = client.get("/directory_items.json", params={"period": "fortnightly", "order": "likes_received"})
    assert refused.status_code == 403 and refused.json()["error_type"] == "invalid_access"
    assert client.get("/directory_items.json", params={"order": "likes_received"}).status_code == 400
    last = client.get(
        "/directory_items.json", params={"period": "all", "order": "likes_received", "page": 10}
    )
    assert last.status_code == 200
    beyond = client.get(
        "/directory_items.json", params={"period": "all", "order": "likes_received", "page": 11}
    )
    assert beyond.status_code == 400 and beyond.json()["error_type"] == "invalid_parameters"
    small = client.get(
        "/directory_items.json", params={"period": "all", "order": "topic_count", "limit": 5, "page": 1}
    )
    assert len(small.json()["directory_items"]) == 5
    too_many = client.get(
        "/directory_items.json", params={"period": "all", "order": "topic_count", "limit": 51}
    )
    assert too_many.status_code == 400
    default = client.get("/directory_items.json", params={"period": "all", "order": "topic_count", "page": 1})
    assert len(default.json()["directory_items"]) == 50


def test_order_asc_unknown_columns_and_filters(board: Forum) -> None:
    client = board.moderator
    me = client.get("/session/current.json").json()["current_user"]["id"]

    def ids(**params: Any) -> list[int]:
        answer = client.get(
            "/directory_items.json", params={"period": "yearly", "limit": 50, "page": 1, **params}
        )
        assert answer.status_code == 200
        return [item["id"] for item in answer.json()["directory_items"]]

    # Unknown columns sort nothing and raise nothing: by user id.
    unsorted = ids(order="karma")
    assert unsorted == sorted(unsorted)
    rising = client.get(
        "/directory_items.json",
        params={"period": "yearly", "order": "replies_given", "asc": "yes", "page": 1},
    )
    assert rising.status_code == 200
    ascending = client.get(
        "/directory_items.json", params={"period": "yearly", "order": "likes_given", "asc": "true", "page": 1}
    ).json()["directory_items"]
    values = [item["likes_given"] for item in ascending]
    assert values == sorted(values)
    staff = {1, 2, 3, 4, 5, 6}
    assert staff & set(ids(order="username", page=0))
    without = client.get(
        "/directory_items.json",
        params={"period": "yearly", "order": "username", "asc": "1", "exclude_groups": "staff|nope"},
    ).json()["directory_items"]
    # The caller is staff, so excluded: no own row either.
    assert not staff & {item["id"] for item in without} and me in staff
    names = [item["user"]["username"].lower() for item in without]
    assert names == sorted(names)
    # Without asc, descending; the system user (the admin key's) has no row, so none of its own.
    falling = board.admin.get("/directory_items.json", params={"period": "yearly", "order": "username"})
    names = [item["user"]["username"].lower() for item in falling.json()["directory_items"]]
    assert names == sorted(names, reverse=True)
    only = client.get(
        "/directory_items.json", params={"period": "yearly", "order": "username", "group": "staff"}
    )
    assert {item["id"] for item in only.json()["directory_items"]} == staff
    assert (
        client.get("/directory_items.json", params={"period": "yearly", "group": "nope"}).status_code == 400
    )
    one = client.get(
        "/directory_items.json",
        params={"period": "all", "username": only.json()["directory_items"][0]["user"]["username"].upper()},
    )
    assert len(one.json()["directory_items"]) >= 1


def test_every_activity_request_spends_the_admin_bucket(make_forum: MakeForum, now: int) -> None:
    forum = make_forum(clock=lambda: float(now), rate_per_minute=3, limiter_clock=FakeClock())
    assert forum.admin.get("/directory_items.json", params={"period": "weekly"}).status_code == 200
    assert (
        forum.moderator.get("/search.json", params={"q": "order:likes after:2020-01-01"}).status_code == 200
    )
    assert forum.admin.get("/posts.json").status_code == 200
    for path in ("/directory_items.json?period=weekly", "/search.json?q=outage", "/posts.json"):
        assert forum.moderator.get(path).status_code == 429
