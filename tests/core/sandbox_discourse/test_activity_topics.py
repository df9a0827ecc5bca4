"""Everyone who posted in a topic and between two times, through the Discourse face: ``GET /t/{id}.json``
(24 participants at most, none from 10,000 posts; ``print=true`` 1,000 posts a page) and
``GET /posts.json?before=`` (50 a page, newest first)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime

from desktop.sandbox.discourse.data.activity_topics import ACTIVITY_ID_OFFSET
from tests.core.sandbox_discourse.conftest import Forum


def _outage(forum: Forum) -> int:
    found = forum.moderator.get("/search.json", params={"q": "great outage order:latest"}).json()
    [topic_id] = {t["id"] for t in found["topics"]}
    return int(topic_id)


def _big_topic(forum: Forum, posts: int) -> int:
    """A topic of ``posts`` posts by members 20…79 in turn (written straight into the activity tables)."""
    conn = sqlite3.connect(forum.data.path)
    with conn:
        local = conn.execute("SELECT MAX(id) + 1 FROM activity_topics").fetchone()[0]
        first = conn.execute("SELECT MAX(id) + 1 FROM activity_posts").fetchone()[0]
        when = conn.execute("SELECT MAX(created_at) FROM activity_posts").fetchone()[0]
        conn.execute(
            "INSERT INTO activity_topics VALUES (?, 'A very long thread', 20, ?, 'discussion')", (local, when)
        )
        conn.executemany(
            "INSERT INTO activity_posts VALUES (?, ?, ?, ?, ?, 0, 'Me too.')",
            [(first + n, local, n + 1, 20 + n % 60, when) for n in range(posts)],
        )
    conn.close()
    return int(local) + ACTIVITY_ID_OFFSET


def test_a_topic_shows_24_participants_and_every_posts_id(forum: Forum) -> None:
    client = forum.moderator
    topic_id = _outage(forum)
    conn = sqlite3.connect(forum.data.path)
    counts = Counter(
        r[0]
        for r in conn.execute(
            "SELECT member_id FROM activity_posts WHERE topic_id = ?", (topic_id - ACTIVITY_ID_OFFSET,)
        )
    )
    conn.close()
    answer = client.get(f"/t/{topic_id}.json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["participant_count"] == len(counts) >= 30
    participants = body["details"]["participants"]
    assert len(participants) == 24
    shown = [p["post_count"] for p in participants]
    assert shown == sorted(counts.values(), reverse=True)[:24]
    assert all(counts[p["id"]] == p["post_count"] for p in participants)
    assert len(body["post_stream"]["stream"]) == sum(counts.values()) == body["posts_count"]
    assert len(body["post_stream"]["posts"]) == 20
    assert body["post_stream"]["posts"][0]["post_number"] == 1
    assert client.operations == ["getTopic"]


def test_print_pages_carry_1000_posts_each(forum: Forum) -> None:
    topic_id = _big_topic(forum, 2_500)
    client = forum.admin
    posters: Counter[str] = Counter()
    sizes = []
    for page in (1, 2, 3):
        answer = client.get(f"/t/{topic_id}.json", params={"print": "true", "page": page})
        assert answer.status_code == 200
        posts = answer.json()["post_stream"]["posts"]
        sizes.append(len(posts))
        posters.update(p["username"] for p in posts)
        assert posts[0]["post_number"] == (page - 1) * 1000 + 1
    assert sizes == [1000, 1000, 500]
    assert len(posters) == 60 and sum(posters.values()) == 2_500
    assert answer.json()["participant_count"] == 60
    assert len(answer.json()["details"]["participants"]) == 24


def test_a_topic_of_10000_posts_lists_no_participants(forum: Forum) -> None:
    topic_id = _big_topic(forum, 10_000)
    body = forum.admin.get(f"/t/{topic_id}.json").json()
    assert "participants" not in body["details"] and body["participant_count"] == 60


def test_posters_between_two_times_walking_back_the_latest_posts(forum: Forum) -> None:
    client = forum.moderator
    epoch = forum.data.seeded_epoch()
    assert epoch is not None
    start, end = epoch - 90 * 86_400, epoch - 30 * 86_400
    seen: Counter[str] = Counter()
    before = None
    pages = 0
    while True:
        params: dict[str, int] = {"before": before} if before is not None else {}
        posts = client.get("/posts.json", params=params).json()["latest_posts"]
        pages += 1
        assert len(posts) <= 50
        ids = [p["id"] for p in posts]
        assert ids == sorted(ids, reverse=True) and (before is None or ids[0] <= before)
        for post in posts:
            at = post["created_at"]
            if forum_iso(start) <= at < forum_iso(end):
                seen[post["username"]] += 1
        if not posts or posts[-1]["created_at"] < forum_iso(start):
            break
        before = ids[-1] - 1
    conn = sqlite3.connect(forum.data.path)
    expected = Counter(
        r[0]
        for r in conn.execute(
            "SELECT m.username FROM activity_posts p JOIN members m ON m.id = p.member_id"
            " WHERE p.created_at >= ? AND p.created_at < ?",
            (start, end),
        )
    )
    conn.close()
    assert seen == expected and len(expected) > 5
    assert pages >= 2 and set(client.operations) == {"listPosts"}


def forum_iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
