"""The Discourse face's full-page search for the most liked posts of a date range:
``GET /search.json?q=order:likes after:… before:…``, pages 1–10, page 11+ answering page 1."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from desktop.sandbox.discourse.data.activity_topics import ACTIVITY_ID_OFFSET
from tests.core.sandbox_discourse.conftest import Forum

DAY = 86_400


def _window(forum: Forum) -> tuple[str, str, int, int]:
    """A range of 400 days ending yesterday: ``after:`` the first day, ``before:`` the last."""
    epoch = forum.data.seeded_epoch()
    assert epoch is not None
    first = datetime.fromtimestamp(epoch, UTC) - timedelta(days=400)
    last = datetime.fromtimestamp(epoch, UTC) - timedelta(days=1)
    return first.date().isoformat(), last.date().isoformat(), int(first.timestamp()), int(last.timestamp())


def _expected(forum: Forum, after: int, before: int) -> list[tuple[int, int]]:
    conn = sqlite3.connect(forum.data.path)
    try:
        rows = conn.execute(
            "SELECT p.id, p.like_count, p.created_at FROM activity_posts p"
            " JOIN members m ON m.id = p.member_id"
            " WHERE m.status != 'deleted' AND p.created_at > ? AND p.created_at < ?",
            (after, before),
        ).fetchall()
    finally:
        conn.close()
    ordered = sorted(rows, key=lambda r: (-r[1], -r[2], -r[0]))
    return [(post_id + ACTIVITY_ID_OFFSET, likes) for post_id, likes, _ in ordered]


def test_most_liked_posts_of_a_range_page_by_page(forum: Forum) -> None:
    client = forum.moderator
    first, last, after, before = _window(forum)
    expected = _expected(forum, after, before)
    assert len(expected) > 100
    q = f"order:likes after:{first} before:{last}"
    seen: list[tuple[int, int]] = []
    for page in (1, 2):
        answer = client.get("/search.json", params={"q": q, "page": page})
        assert answer.status_code == 200
        body = answer.json()
        seen += [(p["id"], p["like_count"]) for p in body["posts"]]
        assert body["grouped_search_result"]["post_ids"] == [p["id"] for p in body["posts"]]
        assert body["grouped_search_result"]["more_full_page_results"] is (len(expected) > 50 * page or None)
        topics = {t["id"]: t for t in body["topics"]}
        for post in body["posts"]:
            assert topics[post["topic_id"]]["title"]
            assert first <= post["created_at"][:10] < last
    assert seen == expected[:100]
    assert client.operations == ["search", "search"]
    assert set(body["posts"][0]) >= {
        "id",
        "username",
        "like_count",
        "post_number",
        "topic_id",
        "created_at",
        "blurb",
    }


def test_pages_beyond_ten_answer_page_one(forum: Forum) -> None:
    client = forum.moderator
    first, last, _, _ = _window(forum)
    q = f"order:likes after:{first} before:{last}"
    one = client.get("/search.json", params={"q": q, "page": 1}).json()["posts"]
    ten = client.get("/search.json", params={"q": q, "page": 10})
    assert ten.status_code == 200
    for page in (11, 50, 0):
        again = client.get("/search.json", params={"q": q, "page": page})
        assert again.status_code == 200 and again.json()["posts"] == one


def test_filters_alone_and_words(forum: Forum) -> None:
    client = forum.moderator
    outage = client.get("/search.json", params={"q": "great OUTAGE order:latest"}).json()
    assert outage["posts"] and {t["title"][:20] for t in outage["topics"]} == {"The great outage of "}
    dates = [p["created_at"] for p in outage["posts"]]
    assert dates == sorted(dates, reverse=True)
    empty = client.get("/search.json", params={"q": ""}).json()
    assert empty["posts"] == [] and empty["grouped_search_result"]["error"]
    none = client.get("/search.json", params={"q": "after:2100-01-01"}).json()
    assert none["posts"] == [] and none["grouped_search_result"]["more_full_page_results"] is None
