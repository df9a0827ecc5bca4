"""Bringing a sandbox database seeded by an older version up to today's schema, in place.

A data directory outlives upgrades of the sandbox (the app's demo community is
seeded once), so opening a database first adds what newer code expects. Each
step checks before it changes anything, so opening an up-to-date database
costs three catalogue reads.
"""

from __future__ import annotations

import sqlite3

from desktop.sandbox import names
from desktop.sandbox.store.activity_seed import has_activity, seed_activity
from desktop.sandbox.store.group_index import GROUP_TABLES_SQL, index_groups


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")}


def _indexes(conn: sqlite3.Connection, table: str) -> set[str]:
    return {str(row[1]) for row in conn.execute(f"PRAGMA index_list({table})")}


def upgrade_schema(conn: sqlite3.Connection) -> None:
    """Add the ``multiple_grant`` flag and let a member hold such a badge more than once; give
    groups ids; add the activity (topics, posts, likes).

    Databases seeded before the flag existed get it for the demo badges that
    have it today; a badge created since keeps the default (held once).
    """
    if not _columns(conn, "badges"):
        return  # not a sandbox database (yet); the caller reports what is wrong
    _upgrade_awards(conn)
    if not _columns(conn, "member_groups"):
        _add_group_ids(conn)
    if not has_activity(conn):
        _add_activity(conn)


def _add_activity(conn: sqlite3.Connection) -> None:
    """A database seeded before the sandbox had activity gets the activity a seed makes today
    (the same rows: it follows the members, the seed and the seeded date alone)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not has_activity(conn):  # another process may have added it meanwhile
            seed_activity(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _add_group_ids(conn: sqlite3.Connection) -> None:
    """Groups get ids and their members an index, from the group names the members' rows carry
    (a database seeded before v1 had a group API)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in GROUP_TABLES_SQL.split(";"):
            if statement.strip():
                conn.execute(statement)
        index_groups(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _upgrade_awards(conn: sqlite3.Connection) -> None:
    steps: list[str] = []
    if "multiple_grant" not in _columns(conn, "badges"):
        steps.append("ALTER TABLE badges ADD COLUMN multiple_grant INTEGER NOT NULL DEFAULT 0")
    indexes = _indexes(conn, "awards")
    if "awards_active" in indexes:
        # It made a second active row for one member and badge impossible,
        # which a multiple_grant badge needs.
        steps.append("DROP INDEX awards_active")
    if "awards_held" not in indexes:
        steps.append("CREATE INDEX awards_held ON awards (member_id, badge_id) WHERE revoked_at IS NULL")
    if not steps:
        return
    multiple = [spec.slug for spec in names.BADGES if spec.multiple_grant]
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in steps:
            conn.execute(step)
        if steps[0].startswith("ALTER TABLE badges"):
            conn.executemany("UPDATE badges SET multiple_grant = 1 WHERE slug = ?", [(s,) for s in multiple])
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
