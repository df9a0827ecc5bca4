"""Full-text index of members for search as you type; lookups by username and email.

An FTS5 index over username, display name and email, kept in step with the
members table by triggers (so every sync path updates it). ``unicode61
remove_diacritics 2`` folds case and accents ("jose" finds "José"); prefix
indexes make one- to three-letter prefixes cheap.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.cache.rows import name_sort_key

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLUMNS = "username, display_name, email"


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE members_fts USING fts5("
        f"{_COLUMNS}, content='members', content_rowid='id',"
        " tokenize=\"unicode61 remove_diacritics 2\", prefix='1 2 3')"
    )
    op.execute(
        "CREATE TRIGGER members_fts_insert AFTER INSERT ON members BEGIN"
        f" INSERT INTO members_fts(rowid, {_COLUMNS})"
        " VALUES (new.id, new.username, new.display_name, new.email); END"
    )
    op.execute(
        "CREATE TRIGGER members_fts_delete AFTER DELETE ON members BEGIN"
        f" INSERT INTO members_fts(members_fts, rowid, {_COLUMNS})"
        " VALUES ('delete', old.id, old.username, old.display_name, old.email); END"
    )
    op.execute(
        "CREATE TRIGGER members_fts_update AFTER UPDATE OF username, display_name, email ON members"
        " WHEN old.username IS NOT new.username OR old.display_name IS NOT new.display_name"
        " OR old.email IS NOT new.email BEGIN"
        f" INSERT INTO members_fts(members_fts, rowid, {_COLUMNS})"
        " VALUES ('delete', old.id, old.username, old.display_name, old.email);"
        f" INSERT INTO members_fts(rowid, {_COLUMNS})"
        " VALUES (new.id, new.username, new.display_name, new.email); END"
    )
    # Members cached before this revision.
    op.execute("INSERT INTO members_fts(members_fts) VALUES ('rebuild')")
    # "Paste a list": look members up by username or email, in any case.
    op.execute("CREATE INDEX ix_members_username ON members (username COLLATE NOCASE)")
    op.execute("CREATE INDEX ix_members_email ON members (email COLLATE NOCASE)")
    # Name order that folds case and accents in every script ("Émile" beside
    # "Emil", not after "Zoe" as SQLite's ASCII-only NOCASE would have it).
    op.add_column("members", sa.Column("sort_name", sa.Text, nullable=False, server_default=""))
    connection = op.get_bind()
    rows = connection.exec_driver_sql("SELECT id, display_name FROM members").fetchall()
    if rows:
        connection.exec_driver_sql(
            "UPDATE members SET sort_name = ? WHERE id = ?", [(name_sort_key(name), i) for i, name in rows]
        )
    op.drop_index("ix_members_name", "members")
    op.create_index("ix_members_sort", "members", ["sort_name", "id"])
    # Sorting a million members by join date or last visit without a full sort.
    op.create_index("ix_members_joined", "members", ["joined_at", "id"])
    op.create_index("ix_members_seen", "members", ["last_seen_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_members_sort", "members")
    op.create_index("ix_members_name", "members", [sa.text("display_name COLLATE NOCASE"), "id"])
    op.drop_column("members", "sort_name")
    op.drop_index("ix_members_seen", "members")
    op.drop_index("ix_members_joined", "members")
    op.execute("DROP INDEX ix_members_email")
    op.execute("DROP INDEX ix_members_username")
    for trigger in ("members_fts_insert", "members_fts_delete", "members_fts_update"):
        op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP TABLE members_fts")
