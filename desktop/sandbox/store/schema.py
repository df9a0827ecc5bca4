"""The sandbox database's tables, indexes and column lists, and a digest to compare two databases.

Every row of members, badges, awards and requests carries ``seq``, a position in
one global change sequence. Each write takes the next number, so the changes
feed is simply "rows with ``seq`` greater than the cursor". Awards are never
deleted; revoking one stamps ``revoked_at`` and moves it forward in the
sequence, which is how the feed reports revocations. A member may hold a
``multiple_grant`` badge several times (one active row per grant, as Discourse
keeps them); every other badge at most once, which the award rules ensure.

Timestamps are stored as integer Unix seconds (UTC): cheap to generate for a
million seeded members, and the API only promises seconds precision anyway.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

TABLES_SQL = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    last_seen_at INTEGER,
    status TEXT NOT NULL,
    groups TEXT NOT NULL,
    username_fold TEXT NOT NULL,
    display_fold TEXT NOT NULL,
    email_fold TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE TABLE badges (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    criteria TEXT NOT NULL,
    tier TEXT NOT NULL,
    category TEXT NOT NULL,
    state TEXT NOT NULL,
    award_message TEXT NOT NULL,
    version INTEGER NOT NULL,
    image BLOB,
    image_media_type TEXT,
    updated_at INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    multiple_grant INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE awards (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL,
    badge_id INTEGER NOT NULL,
    granted_at INTEGER NOT NULL,
    granted_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    revoked_at INTEGER,
    revoked_by TEXT,
    revoke_reason TEXT,
    seq INTEGER NOT NULL
);
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL,
    badge_id INTEGER NOT NULL,
    note TEXT NOT NULL,
    evidence_url TEXT,
    created_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    decided_by TEXT,
    decided_at INTEGER,
    reason TEXT,
    seq INTEGER NOT NULL
);
CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE tokens (
    token_sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('moderator', 'member')),
    member_id INTEGER
);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
"""

# Built after the bulk insert of the seed: one sort per index beats
# maintaining them row by row.
INDEXES_SQL = """
CREATE INDEX members_seq ON members (seq);
CREATE INDEX members_username_fold ON members (username_fold);
CREATE INDEX members_display_fold ON members (display_fold);
CREATE INDEX members_email_fold ON members (email_fold);
CREATE UNIQUE INDEX badges_slug ON badges (slug);
CREATE INDEX badges_seq ON badges (seq);
CREATE INDEX awards_held ON awards (member_id, badge_id) WHERE revoked_at IS NULL;
CREATE INDEX awards_badge ON awards (badge_id, id) WHERE revoked_at IS NULL;
CREATE INDEX awards_seq ON awards (seq);
CREATE INDEX requests_state ON requests (state, id);
CREATE INDEX requests_seq ON requests (seq);
"""

MEMBER_COLUMNS = "id, username, display_name, email, joined_at, last_seen_at, status, groups"
BADGE_COLUMNS = (
    "id, slug, title, description, criteria, tier, category, state, award_message, version, "
    "image, image_media_type, updated_at"
)
AWARD_COLUMNS = "id, member_id, badge_id, granted_at, granted_by, reason, revoked_at"
REQUEST_COLUMNS = (
    "id, member_id, badge_id, note, evidence_url, created_at, state, version, decided_by, decided_at, reason"
)


def table_digest(path: Path, table: str) -> str:
    """SHA-256 over a table's rows in id order, to compare two seeded databases."""
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
            digest.update(json.dumps(row, default=lambda b: b.hex(), ensure_ascii=False).encode())
        return digest.hexdigest()
    finally:
        conn.close()
