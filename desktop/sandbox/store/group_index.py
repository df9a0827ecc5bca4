"""The group tables of the sandbox database and the two writes that keep them with the members' rows.

Apart from :mod:`desktop.sandbox.store.groups` (the reads and the API's changes) so that the
seed, the upgrade of an older database and the Discourse face can use them without the store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from desktop.sandbox import names

GROUP_TABLES_SQL = """
CREATE TABLE member_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT
);
CREATE TABLE group_memberships (
    group_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    PRIMARY KEY (group_id, member_id)
) WITHOUT ROWID;
CREATE INDEX group_memberships_member ON group_memberships (member_id);
"""


def index_groups(conn: sqlite3.Connection) -> None:
    """Give every group the members name an id and index its members (the seed, and the upgrade of
    a database seeded before groups had ids). The demo's groups come first, in their fixed order,
    so the same seed gives the same ids. Runs inside the caller's transaction."""
    rows = conn.execute("SELECT id, groups FROM members WHERE groups != ''").fetchall()
    found = dict.fromkeys(names.GROUPS)
    for _member_id, text in rows:
        found.update(dict.fromkeys(n for n in str(text).split(",") if n))
    ids: dict[str, int] = {}
    for name in found:
        row = conn.execute("SELECT id FROM member_groups WHERE name = ?", (name,)).fetchone()
        if row is None:
            row = conn.execute(
                "INSERT INTO member_groups (name, title) VALUES (?, ?) RETURNING id",
                (name, name.capitalize()),
            ).fetchone()
        ids[name] = int(row[0])
    conn.executemany(
        "INSERT OR IGNORE INTO group_memberships (group_id, member_id) VALUES (?, ?)",
        [(ids[n], member_id) for member_id, text in rows for n in str(text).split(",") if n],
    )


def write_member_groups(conn: sqlite3.Connection, member_id: int, groups: Sequence[str], seq: int) -> None:
    """Within a write transaction: the member is in exactly ``groups`` now (each an existing group's
    name), at feed position ``seq``: the member's row and the membership index both."""
    conn.execute("UPDATE members SET groups = ?, seq = ? WHERE id = ?", (",".join(groups), seq, member_id))
    conn.execute("DELETE FROM group_memberships WHERE member_id = ?", (member_id,))
    conn.execute(
        "INSERT OR IGNORE INTO group_memberships (group_id, member_id)"
        " SELECT id, ? FROM member_groups WHERE name IN (SELECT value FROM json_each(?))",
        (member_id, json.dumps(list(groups))),
    )
