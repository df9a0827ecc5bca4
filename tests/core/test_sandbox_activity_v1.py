"""The sandbox's v1 activity endpoints over loopback HTTP, against counts computed here from the raw rows."""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from pydantic import BaseModel

from desktop.dialects.badgedesk_v1.wire import CommunityInfo
from desktop.dialects.badgedesk_v1.wire_activity import (
    ActivityPostPage,
    ActivityTopicOut,
    ActivityTopicPage,
    LeaderboardPage,
    PosterPage,
)
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.seed_common import day_start
from desktop.sandbox.server import DATABASE_NAME

TODAY = date(2026, 3, 15)
EPOCH = day_start(TODAY)
DAY = 86_400
M = TypeVar("M", bound=BaseModel)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    data = tmp_path_factory.mktemp("activity-v1")
    with SandboxProcess(data_dir=data, members=2000, seed=7, today=TODAY) as process:
        yield process


@pytest.fixture(scope="module")
def db(sandbox: SandboxProcess) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{Path(sandbox.data_dir) / DATABASE_NAME}?mode=ro", uri=True)
    yield conn
    conn.close()


def _client(sandbox: SandboxProcess, role: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {sandbox.tokens[role]}"} if role else {}
    return httpx.Client(base_url=sandbox.url, headers=headers, timeout=30)


@pytest.fixture(scope="module")
def mod(sandbox: SandboxProcess) -> Iterator[httpx.Client]:
    with _client(sandbox, "moderator") as client:
        yield client


@pytest.fixture(scope="module")
def member(sandbox: SandboxProcess) -> Iterator[httpx.Client]:
    with _client(sandbox, "member") as client:
        yield client


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def _window(days: int) -> dict[str, str]:
    return {"from": _iso(EPOCH - days * DAY), "to": _iso(EPOCH)}


def _pages(client: httpx.Client, path: str, model: type[M], **params: Any) -> list[M]:
    pages: list[M] = []
    cursor = None
    while True:
        answer = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert answer.status_code == 200, answer.text
        page = model.model_validate_json(answer.text)
        pages.append(page)
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            return pages


def _live(db: sqlite3.Connection) -> set[int]:
    return {r[0] for r in db.execute("SELECT id FROM members WHERE status != 'deleted'")}


def _expected_likes(db: sqlite3.Connection, lo: int, hi: int) -> Counter[int]:
    author = dict(db.execute("SELECT id, member_id FROM activity_posts").fetchall())
    live = _live(db)
    counts: Counter[int] = Counter()
    for post_id, at in db.execute("SELECT post_id, created_at FROM activity_likes"):
        if lo <= at < hi and author[post_id] in live:
            counts[author[post_id]] += 1
    return counts


def _ranked(counts: Counter[int]) -> list[tuple[int, int, int]]:
    """(rank, member, value), ranks shared by equal values (1, 1, 3)."""
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ranked: list[tuple[int, int, int]] = []
    for index, (member_id, value) in enumerate(order):
        rank = ranked[-1][0] if ranked and ranked[-1][2] == value else index + 1
        ranked.append((rank, member_id, value))
    return ranked


def test_the_community_advertises_activity(mod: httpx.Client) -> None:
    info = CommunityInfo.model_validate_json(mod.get("/api/v1/community").text)
    assert info.capabilities.activity is True


def test_openapi_describes_the_activity_endpoints(sandbox: SandboxProcess) -> None:
    spec = httpx.get(sandbox.url + "/openapi.json", timeout=30).json()
    for path in (
        "/api/v1/activity/leaderboard",
        "/api/v1/activity/top-posts",
        "/api/v1/activity/topics",
        "/api/v1/activity/topics/{topic_id}",
        "/api/v1/activity/topics/{topic_id}/posters",
        "/api/v1/activity/posters",
    ):
        assert path in spec["paths"]
    board = spec["paths"]["/api/v1/activity/leaderboard"]["get"]
    assert {"measure", "from", "to", "exclude_group", "cursor", "limit"} <= {
        p["name"] for p in board["parameters"]
    }
    assert {"400", "401", "403", "404", "422"} <= set(board["responses"])


def test_leaderboard_of_likes_received_pages_through_the_ranking_with_ties(
    member: httpx.Client, db: sqlite3.Connection
) -> None:
    pages = _pages(
        member,
        "/api/v1/activity/leaderboard",
        LeaderboardPage,
        measure="likes_received",
        limit=7,
        **_window(30),
    )
    rows = [(r.rank, r.member_id, r.value) for page in pages for r in page.items]
    expected = _ranked(_expected_likes(db, EPOCH - 30 * DAY, EPOCH))
    assert len(expected) > 20
    assert rows == expected
    assert any(a[0] == b[0] for a, b in itertools.pairwise(rows))  # a tie, shared rank
    assert pages[0].measure == "likes_received"
    assert pages[0].starts_at == datetime.fromtimestamp(EPOCH - 30 * DAY, UTC)


@pytest.mark.parametrize("measure", ["replies", "topics", "days_visited"])
def test_leaderboard_measures(measure: str, mod: httpx.Client, db: sqlite3.Connection) -> None:
    lo, hi = EPOCH - 90 * DAY, EPOCH
    live = _live(db)
    counts: Counter[int] = Counter()
    if measure == "replies":
        for who, at, number in db.execute("SELECT member_id, created_at, post_number FROM activity_posts"):
            counts[who] += lo <= at < hi and number > 1
    elif measure == "topics":
        for who, at in db.execute("SELECT member_id, created_at FROM activity_topics"):
            counts[who] += lo <= at < hi
    else:
        days: set[tuple[int, int]] = set()
        for query in (
            "SELECT member_id, created_at FROM activity_posts",
            "SELECT member_id, created_at FROM activity_likes",
            "SELECT id, last_seen_at FROM members WHERE last_seen_at IS NOT NULL",
        ):
            days |= {(who, at // DAY) for who, at in db.execute(query) if lo <= at < hi}
        counts.update(who for who, _day in days)
    counts = Counter({k: v for k, v in counts.items() if v > 0 and k in live})
    pages = _pages(
        mod, "/api/v1/activity/leaderboard", LeaderboardPage, measure=measure, limit=500, **_window(90)
    )
    assert [(r.rank, r.member_id, r.value) for p in pages for r in p.items] == _ranked(counts)


def test_leaving_groups_out_is_for_moderators(
    mod: httpx.Client, member: httpx.Client, db: sqlite3.Connection
) -> None:
    staff_id = db.execute("SELECT id FROM member_groups WHERE name = 'staff'").fetchone()[0]
    staff = {
        r[0] for r in db.execute("SELECT member_id FROM group_memberships WHERE group_id = ?", (staff_id,))
    }
    params: dict[str, Any] = {
        "measure": "days_visited",
        "limit": 500,
        "exclude_group": [staff_id],
        **_window(365),
    }
    refused = member.get("/api/v1/activity/leaderboard", params=params)
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    everyone = LeaderboardPage.model_validate_json(
        mod.get("/api/v1/activity/leaderboard", params={**params, "exclude_group": []}).text
    )
    assert staff & {r.member_id for r in everyone.items}
    without = LeaderboardPage.model_validate_json(mod.get("/api/v1/activity/leaderboard", params=params).text)
    assert not staff & {r.member_id for r in without.items}
    assert without.items[0].rank == 1
    unknown = mod.get("/api/v1/activity/leaderboard", params={**params, "exclude_group": [999_999]})
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"


def test_bad_requests_get_error_bodies(sandbox: SandboxProcess, mod: httpx.Client) -> None:
    path = "/api/v1/activity/leaderboard"
    week = _window(7)
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"measure": "solutions", **week}, 422, "invalid"),
        ({"measure": "topics", "from": week["to"], "to": week["from"]}, 422, "invalid"),
        ({"measure": "topics", "from": "2026-03-01T00:00:00", "to": week["to"]}, 422, "invalid"),
        ({"measure": "topics", "to": week["to"]}, 422, "invalid"),
        ({"measure": "topics", "limit": 501, **week}, 422, "invalid"),
        ({"measure": "topics", "cursor": "12", **week}, 400, "bad_cursor"),
    ]
    for params, status, error in cases:
        answer = mod.get(path, params=params)
        assert (answer.status_code, answer.json()["error"]) == (status, error), params
        assert answer.json()["message"]
    with _client(sandbox, None) as anonymous:
        assert anonymous.get(path, params={"measure": "topics", **week}).status_code == 401
    assert mod.get("/api/v1/activity/topics/999999").status_code == 404
    assert mod.get("/api/v1/activity/topics/999999/posters").status_code == 404
    assert mod.get("/api/v1/activity/posters", params={"cursor": "x", **week}).status_code == 400


def test_most_liked_posts_of_a_range_with_links(member: httpx.Client, db: sqlite3.Connection) -> None:
    lo, hi = EPOCH - 60 * DAY, EPOCH - 30 * DAY
    live = _live(db)
    expected = sorted(
        (
            (-likes, post_id)
            for post_id, who, at, likes in db.execute(
                "SELECT id, member_id, created_at, like_count FROM activity_posts"
            )
            if lo <= at < hi and likes > 0 and who in live
        ),
    )
    pages = _pages(
        member, "/api/v1/activity/top-posts", ActivityPostPage, limit=9, **{"from": _iso(lo), "to": _iso(hi)}
    )
    posts = [p for page in pages for p in page.items]
    assert [(-p.like_count, p.id) for p in posts] == expected
    best = posts[0]
    title = db.execute(
        "SELECT t.title FROM activity_posts p JOIN activity_topics t ON t.id = p.topic_id WHERE p.id = ?",
        (best.id,),
    ).fetchone()[0]
    assert best.title == title
    assert best.link.endswith(f"/t/{best.topic_id}/{best.post_number}")
    page = httpx.get(best.link, timeout=30)
    assert page.status_code == 200 and f"@{best.username}" in page.text
    assert httpx.get(best.link + "9999", timeout=30).status_code == 404


def test_everyone_who_posted_in_the_outage_topic(mod: httpx.Client, db: sqlite3.Connection) -> None:
    found = ActivityTopicPage.model_validate_json(
        mod.get("/api/v1/activity/topics", params={"q": "OUTAGE"}).text
    )
    [outage] = found.items
    assert outage == ActivityTopicOut.model_validate_json(
        mod.get(f"/api/v1/activity/topics/{outage.id}").text
    )
    pages = _pages(mod, f"/api/v1/activity/topics/{outage.id}/posters", PosterPage, limit=100)
    posters = [p for page in pages for p in page.items]
    live = _live(db)
    expected = Counter(
        who
        for (who,) in db.execute("SELECT member_id FROM activity_posts WHERE topic_id = ?", (outage.id,))
        if who in live
    )
    assert len(posters) >= 300 and len(pages) >= 4
    assert {p.member_id: p.post_count for p in posters} == dict(expected)
    assert [p.member_id for p in posters] == sorted(expected)
    assert outage.posters_count == len(posters) and outage.posts_count == sum(expected.values())
    assert all(p.first_post_at >= outage.created_at for p in posters)


def test_posters_between_two_times(member: httpx.Client, db: sqlite3.Connection) -> None:
    lo = EPOCH - 10 * DAY - 3600
    hi = lo + 2 * DAY
    live = _live(db)
    expected = Counter(
        who for who, at in db.execute("SELECT member_id, created_at FROM activity_posts") if lo <= at < hi
    )
    pages = _pages(
        member, "/api/v1/activity/posters", PosterPage, limit=5, **{"from": _iso(lo), "to": _iso(hi)}
    )
    got = {p.member_id: p.post_count for page in pages for p in page.items}
    assert got == {k: v for k, v in expected.items() if k in live}
    assert len(got) > 5
    start = datetime.fromtimestamp(lo, UTC)
    assert all(
        start <= p.first_post_at <= p.last_post_at < start + timedelta(days=2)
        for pg in pages
        for p in pg.items
    )
