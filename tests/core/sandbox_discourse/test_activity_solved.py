"""The Solved plugin's directory column on the Discourse face: off by default (no ``solutions`` in an
item, ``order=solutions`` sorts nothing, as for any unknown column), on with ``solved=True`` (every
item has it, and it ranks). Accepted answers are computed here by hand from the activity tables;
every answer is checked against the published description (with its one correction)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

import pytest

from desktop.sandbox.discourse.data import DiscourseData
from desktop.sandbox.discourse.data.directory import period_span
from tests.core.sandbox_discourse.conftest import CheckedClient, MakeForum


@pytest.fixture()
def now(data: DiscourseData) -> int:
    epoch = data.seeded_epoch()
    assert epoch is not None
    return epoch + 10 * 3600


def _solutions_by_hand(data: DiscourseData, start: int, end: int) -> Counter[int]:
    """A solved question: a topic (not the outage one) whose ``id * 2654435761 % 1000`` is below
    450; its solution: the most liked reply by another member, the earliest of those tied."""
    conn = sqlite3.connect(data.path)
    try:
        topics = {
            topic_id: author
            for topic_id, author, kind in conn.execute("SELECT id, member_id, kind FROM activity_topics")
            if kind != "outage" and topic_id * 2654435761 % 1000 < 450
        }
        best: dict[int, tuple[int, int, int, int]] = {}
        for topic_id, number, member, at, likes in conn.execute(
            "SELECT topic_id, post_number, member_id, created_at, like_count FROM activity_posts"
        ):
            if topic_id not in topics or number == 1 or member == topics[topic_id]:
                continue
            held = best.get(topic_id)
            if held is None or (likes, -number) > (held[0], -held[1]):
                best[topic_id] = (likes, number, member, at)
        live = {r[0] for r in conn.execute("SELECT id FROM members WHERE status != 'deleted'")}
        return Counter(m for _likes, _n, m, at in best.values() if start <= at < end and m in live)
    finally:
        conn.close()


def _items(client: CheckedClient, **params: Any) -> list[dict[str, Any]]:
    answer = client.get("/directory_items.json", params={"limit": 50, **params})
    assert answer.status_code == 200
    items: list[dict[str, Any]] = answer.json()["directory_items"]
    return items


def test_with_the_column_on_solutions_rank_the_period(
    make_forum: MakeForum, data: DiscourseData, now: int
) -> None:
    forum = make_forum(clock=lambda: float(now), solved=True)
    start, refreshed = period_span("yearly", now)
    counts = _solutions_by_hand(data, start, refreshed)
    assert sum(counts.values()) >= 10 and max(counts.values()) >= 2  # enough to rank
    client = forum.moderator
    items = _items(client, period="yearly", order="solutions", page=0)
    caller = client.get("/session/current.json").json()["current_user"]["id"]
    assert all("solutions" in item for item in items)
    if items[0]["id"] == caller and counts[caller] < items[1]["solutions"]:
        items = items[1:]  # the caller's own row, put first
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    assert [(i["id"], i["solutions"]) for i in items[:10]] == ranked[:10]
    # The other columns stay as they were.
    assert {"likes_received", "post_count", "days_visited"} <= set(items[0])
    assert "listUsersPublic" in client.operations


def test_without_the_column_solutions_are_an_unknown_column(make_forum: MakeForum, now: int) -> None:
    forum = make_forum(clock=lambda: float(now))
    items = _items(forum.moderator, period="yearly", order="solutions", page=1)
    assert items and not any("solutions" in item for item in items)
    ids = [item["id"] for item in items]
    assert ids == sorted(ids)  # sorted by nothing: user id order
    on = make_forum(clock=lambda: float(now), solved=True)
    ranked = [item["solutions"] for item in _items(on.moderator, period="yearly", order="solutions", page=1)]
    assert ranked == sorted(ranked, reverse=True)
