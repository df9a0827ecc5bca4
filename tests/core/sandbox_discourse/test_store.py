"""What the Discourse face needs of the shared store, and what the v1 face keeps: the
``multiple_grant`` flag (added to older databases), several grants per member of such a badge,
system badges the v1 API never shows, and v1's own behaviour unchanged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.dialects.badgedesk_v1.wire import BatchRevokeItem
from desktop.sandbox import names
from desktop.sandbox.discourse.data import DiscourseData
from desktop.sandbox.store import SandboxStore
from tests.core.sandbox_discourse.conftest import Forum, member_without

MULTIPLE = 110


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _indexes(conn: sqlite3.Connection, table: str) -> dict[str, bool]:
    return {row[1]: bool(row[2]) for row in conn.execute(f"PRAGMA index_list({table})")}


def test_a_database_seeded_before_the_flag_is_upgraded_when_opened(database: Path) -> None:
    conn = sqlite3.connect(database)
    try:
        # What an older sandbox seeded: no multiple_grant, one active award per member and badge.
        conn.execute("ALTER TABLE badges DROP COLUMN multiple_grant")
        conn.execute("DROP INDEX awards_held")
        conn.execute(
            "CREATE UNIQUE INDEX awards_active ON awards (member_id, badge_id) WHERE revoked_at IS NULL"
        )
        conn.commit()
    finally:
        conn.close()
    SandboxStore(database).close()
    conn = sqlite3.connect(database)
    try:
        assert "multiple_grant" in _columns(conn, "badges")
        flagged = {row[0] for row in conn.execute("SELECT slug FROM badges WHERE multiple_grant = 1")}
        assert flagged == {spec.slug for spec in names.BADGES if spec.multiple_grant}
        indexes = _indexes(conn, "awards")
        assert "awards_active" not in indexes and indexes["awards_held"] is False
    finally:
        conn.close()


def test_a_fresh_seed_has_the_flag_and_no_unique_holding(database: Path) -> None:
    conn = sqlite3.connect(database)
    try:
        flagged = {row[0] for row in conn.execute("SELECT slug FROM badges WHERE multiple_grant = 1")}
        assert flagged == {spec.slug for spec in names.BADGES if spec.multiple_grant}
        assert _indexes(conn, "awards").get("awards_held") is False
    finally:
        conn.close()


def test_the_v1_face_revokes_every_grant_of_a_badge_held_several_times(forum: Forum, database: Path) -> None:
    username = next(row["username"] for row in forum.admin.get("/admin/users/list/basic.json").json())
    for _ in range(3):
        assert (
            forum.admin.post(
                "/user_badges.json", data={"username": username, "badge_id": MULTIPLE}
            ).status_code
            == 200
        )
    member = forum.data.user_by_username(username)
    assert member is not None
    store = SandboxStore(database)
    try:
        before, _ = store.counts()
        results = store.revoke_batch(
            [
                BatchRevokeItem(
                    member_id=member.id,
                    badge_id=MULTIPLE - 99,
                    idempotency_key="revoke-all-grants",
                    reason="no",
                )
            ],
            revoked_by="Alice Moderator",
        )
        assert results[0].outcome.value == "revoked"
        after, _ = store.counts()
        assert before.awards - after.awards >= 3
    finally:
        store.close()
    assert not [
        b
        for b in forum.admin.get(f"/user-badges/{username}.json").json()["user_badges"]
        if b["badge_id"] == MULTIPLE
    ]


def test_the_v1_face_never_shows_system_badges_or_their_grants(forum: Forum, database: Path) -> None:
    username = forum.admin.get("/admin/users/list/basic.json").json()[0]["username"]
    assert (
        forum.admin.post("/user_badges.json", data={"username": username, "badge_id": 2}).status_code == 200
    )
    store = SandboxStore(database)
    try:
        everything = 10**9
        badge_ids = {b.id for b in store.badges_page(cursor=None, limit=everything).items}
        assert badge_ids and min(badge_ids) >= 1
        assert store.badge(2 - 99) is None
        awards = store.awards_page(badge_id=None, member_id=None, cursor=None, limit=everything).items
        assert all(a.badge_id > 0 for a in awards)
        feed = store.changes(since=None, limit=everything)
        assert all(b.id > 0 for b in feed.badges) and all(a.badge_id > 0 for a in feed.awards)
        counts, _ = store.counts()
        assert counts.badges == len(names.BADGES)
    finally:
        store.close()


def test_discourse_writes_move_the_v1_feed(forum: Forum, database: Path) -> None:
    store = SandboxStore(database)
    try:
        _, position = store.counts()
        username = member_without(forum, 101)
        forum.admin.post("/user_badges.json", data={"username": username, "badge_id": 101})
        forum.admin.put("/admin/badges/102.json", json={"description": "Changed on Discourse."})
        feed = store.changes(since=str(position), limit=100)
        assert [b.id for b in feed.badges] == [3]
        assert feed.badges[0].description == "Changed on Discourse."
        assert [a.badge_id for a in feed.awards] == [2]
    finally:
        store.close()


def test_opening_the_discourse_face_twice_adds_nothing_twice(database: Path) -> None:
    for _ in range(2):
        DiscourseData(database).close()
    conn = sqlite3.connect(database)
    try:
        assert conn.execute("SELECT COUNT(*) FROM badges WHERE id <= 0").fetchone()[0] == 11
        assert (
            conn.execute("SELECT COUNT(*) FROM dc_topics").fetchone()[0]
            == conn.execute("SELECT COUNT(*) FROM requests").fetchone()[0]
        )
        groupings = [row[0] for row in conn.execute("SELECT lower(name) FROM dc_badge_groupings")]
        assert len(groupings) == len(set(groupings))
    finally:
        conn.close()
