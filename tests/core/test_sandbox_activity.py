"""The sandbox's activity data: topics, posts and likes, consistent with the members and deterministic."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from desktop.sandbox.seed import seed_database
from desktop.sandbox.seed_common import day_start
from desktop.sandbox.store.activity_seed import OUTAGE_KIND, OUTAGE_POSTERS
from desktop.sandbox.store.database import StoreDatabase
from desktop.sandbox.store.schema import table_digest

TODAY = date(2026, 3, 15)
ACTIVITY_TABLES = ("activity_topics", "activity_posts", "activity_likes")

# The seed (2,000 members, seed 7, 2026-03-15) as it was before the sandbox had activity.
BEFORE_ACTIVITY = {
    "members": "ac3eb5c9613ac456998d54361127c3aac0c9829337eace198cdf57e0e95f2b4c",
    "badges": "90cc37b74d84d40666f4460982eb4f9c77464b355842920fc62bbb7184b46d1c",
    "awards": "71ba2a723173d5344a6466dad0322a5458f6869a278cb6a8cf7bbe15445e17d1",
    "requests": "16039068ea905a09df302b75098acd3b15126c5e7ae1d739dc29555e71883943",
    "member_groups": "8ebbf899e22dc929f4642b7742efe7e92ff67e7bec4eefc3c7ba88bbca0d7951",
}
BEFORE_ORDERED = {
    ("meta", "key"): "00acf6fa48fe470a1a1838dc24ff4576326494ca771961e86a7e8eb7e1e20bd3",
    ("group_memberships", "group_id, member_id"): (
        "2dfe0df279658b4116a9f422653c189479ba6860d09c1b2f98f8f9e70590ac9f"
    ),
}


def _digest(path: Path, table: str, order: str) -> str:
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
            digest.update(json.dumps(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def _activity_digests(path: Path) -> dict[str, str]:
    return {
        "activity_topics": table_digest(path, "activity_topics"),
        "activity_posts": table_digest(path, "activity_posts"),
        "activity_likes": _digest(path, "activity_likes", "post_id, member_id"),
    }


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("activity") / "sandbox.db"
    seed_database(path, members=2000, seed=7, today=TODAY)
    return path


def test_the_existing_tables_are_what_they_were_before_activity(seeded: Path) -> None:
    for table, digest in BEFORE_ACTIVITY.items():
        assert table_digest(seeded, table) == digest, table
    for (table, order), digest in BEFORE_ORDERED.items():
        assert _digest(seeded, table, order) == digest, table


def test_activity_is_deterministic_for_a_date_and_seed(seeded: Path, tmp_path: Path) -> None:
    again, other_day, other_seed = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    seed_database(again, members=2000, seed=7, today=TODAY)
    seed_database(other_day, members=2000, seed=7, today=date(2026, 3, 16))
    seed_database(other_seed, members=2000, seed=8, today=TODAY)
    assert _activity_digests(again) == _activity_digests(seeded)
    assert _activity_digests(other_day)["activity_posts"] != _activity_digests(seeded)["activity_posts"]
    assert _activity_digests(other_seed)["activity_posts"] != _activity_digests(seeded)["activity_posts"]


def test_posts_and_likes_agree_with_the_members(seeded: Path) -> None:
    conn = sqlite3.connect(seeded)
    epoch = day_start(TODAY)
    three_years = day_start(date(2023, 3, 15))
    members = {
        row[0]: row[1:] for row in conn.execute("SELECT id, joined_at, last_seen_at, status FROM members")
    }
    posts = conn.execute(
        "SELECT id, topic_id, member_id, created_at, like_count FROM activity_posts"
    ).fetchall()
    assert len(posts) > 1000
    for _post_id, _topic, author, created, _likes in posts:
        joined, last_seen, status = members[author]
        assert status != "deleted" and last_seen is not None
        assert max(joined, three_years) <= created <= last_seen < epoch
    created_by_id = {p[0]: (p[2], p[3]) for p in posts}
    likes = conn.execute("SELECT post_id, member_id, created_at FROM activity_likes").fetchall()
    assert len(likes) > len(posts)
    suspended_likes = 0
    for post_id, liker, at in likes:
        author, created = created_by_id[post_id]
        joined, last_seen, status = members[liker]
        assert liker != author and status != "deleted" and last_seen is not None
        # A suspended member was suspended at their last visit: nothing after it.
        assert max(created, joined) <= at <= last_seen < epoch
        suspended_likes += status == "suspended"
    assert suspended_likes > 0  # the rule above was exercised
    counted = dict(conn.execute("SELECT post_id, COUNT(*) FROM activity_likes GROUP BY post_id").fetchall())
    assert all(counted.get(p[0], 0) == p[4] for p in posts)
    assert max(p[4] for p in posts) >= 50  # some posts stand out


def test_topics_are_numbered_in_time_and_open_with_their_author(seeded: Path) -> None:
    conn = sqlite3.connect(seeded)
    rows = conn.execute(
        "SELECT t.id, t.member_id, t.created_at, p.post_number, p.member_id, p.created_at"
        " FROM activity_topics t JOIN activity_posts p ON p.topic_id = t.id ORDER BY t.id, p.post_number"
    ).fetchall()
    expected: dict[int, int] = {}
    for topic_id, opener, opened, number, author, created in rows:
        expected[topic_id] = expected.get(topic_id, 0) + 1
        assert number == expected[topic_id]
        if number == 1:
            assert (author, created) == (opener, opened)
        else:
            assert created >= opened
    ids = [r[0] for r in conn.execute("SELECT id FROM activity_posts ORDER BY created_at, id")]
    assert ids == sorted(ids)


def test_the_outage_topic_has_everyone_who_was_there(seeded: Path) -> None:
    conn = sqlite3.connect(seeded)
    [(topic_id, title, opened)] = conn.execute(
        "SELECT id, title, created_at FROM activity_topics WHERE kind = ?", (OUTAGE_KIND,)
    ).fetchall()
    assert title.startswith("The great outage of ")
    posters, posts = conn.execute(
        "SELECT COUNT(DISTINCT member_id), COUNT(*) FROM activity_posts WHERE topic_id = ?", (topic_id,)
    ).fetchone()
    assert posters >= OUTAGE_POSTERS
    assert posts > posters
    assert day_start(TODAY) - 300 * 86_400 < opened < day_start(TODAY) - 149 * 86_400


def test_an_existing_database_gets_the_same_activity_when_opened(seeded: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    old.write_bytes(seeded.read_bytes())
    conn = sqlite3.connect(old)
    for table in ACTIVITY_TABLES:
        conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    StoreDatabase(old).close()
    assert _activity_digests(old) == _activity_digests(seeded)
    for table, digest in BEFORE_ACTIVITY.items():
        assert table_digest(old, table) == digest, table
    # Opening it again adds nothing.
    StoreDatabase(old).close()
    assert _activity_digests(old) == _activity_digests(seeded)
