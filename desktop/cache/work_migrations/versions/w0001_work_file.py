"""The work file: the user's own work, apart from the mirror of the server.

Actions (the outbox and the audit log, now with a sender's claim and lease),
batches and their input rows, badge drafts and the community's preferences.
An old one-file cache moves its rows here in the mirror's revision 0005.

Revision ID: w0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "w0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("idempotency_key", sa.Text, nullable=False, unique=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("result", sa.Text),
        sa.Column("batch_id", sa.Text),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.Integer, nullable=False),
        sa.Column("member_id", sa.Integer),
        sa.Column("badge_id", sa.Integer),
        sa.Column("request_id", sa.Integer),
        sa.Column("actor", sa.Text),
        sa.Column("outcome", sa.Text),
        sa.Column("hold_reason", sa.Text),
        sa.Column("sent_at", sa.Integer),
        sa.Column("confirmed_at", sa.Integer),
        sa.Column("claimed_by", sa.Text),
        sa.Column("lease_until", sa.Integer),
    )
    op.create_index("ix_actions_state", "actions", ["state"])
    op.create_index("ix_actions_batch", "actions", ["batch_id", "id"])
    op.create_index("ix_actions_created", "actions", ["created_at", "id"])
    op.create_index("ix_actions_member", "actions", ["member_id"])
    op.create_table(
        "batches",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("badge_id", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("notify", sa.Integer, nullable=False, server_default="1"),
        sa.Column("message", sa.Text),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.Column("actor", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("undo_of", sa.Text),
        sa.Column("undone_by", sa.Text),
    )
    op.create_table(
        "batch_rows",
        sa.Column("batch_id", sa.Text, primary_key=True),
        sa.Column("row", sa.Integer, primary_key=True),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("member_id", sa.Integer),
    )
    op.create_table(
        "badge_drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("badge_id", sa.Integer, unique=True),
        sa.Column("slug", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("criteria", sa.Text, nullable=False, server_default=""),
        sa.Column("category", sa.Text, nullable=False, server_default=""),
        sa.Column("tier", sa.Text, nullable=False, server_default=""),
        sa.Column("award_message", sa.Text, nullable=False, server_default=""),
        sa.Column("design", sa.Text, nullable=False),
        sa.Column("base_version", sa.Integer),
        sa.Column("synced_digest", sa.Text),
        sa.Column("updated_at", sa.Integer, nullable=False),
    )
    op.create_table(
        "preferences",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("preferences", "badge_drafts", "batch_rows", "batches", "actions"):
        op.drop_table(table)
