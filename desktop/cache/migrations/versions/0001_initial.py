"""Initial cache schema: members, badges, awards, requests, outbox, sync state.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("joined_at", sa.Integer, nullable=False),
        sa.Column("last_seen_at", sa.Integer),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("groups", sa.Text, nullable=False, server_default="[]"),
    )
    op.create_index("ix_members_name", "members", [sa.text("display_name COLLATE NOCASE"), "id"])
    op.create_table(
        "badges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("slug", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("criteria", sa.Text, nullable=False, server_default=""),
        sa.Column("tier", sa.Text, nullable=False, server_default=""),
        sa.Column("category", sa.Text, nullable=False, server_default=""),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("award_message", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("image", sa.LargeBinary),
        sa.Column("image_media_type", sa.Text),
        sa.Column("updated_at", sa.Integer),
    )
    op.create_table(
        "awards",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("member_id", sa.Integer, nullable=False),
        sa.Column("badge_id", sa.Integer, nullable=False),
        sa.Column("granted_at", sa.Integer, nullable=False),
        sa.Column("granted_by", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("member_id", "badge_id", name="uq_awards_member_badge"),
    )
    op.create_index("ix_awards_badge", "awards", ["badge_id"])
    op.create_table(
        "requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("member_id", sa.Integer, nullable=False),
        sa.Column("badge_id", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("evidence_url", sa.Text),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("decided_by", sa.Text),
        sa.Column("decided_at", sa.Integer),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_requests_state_created", "requests", ["state", "created_at"])
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
    )
    op.create_index("ix_actions_state", "actions", ["state"])
    op.create_table(
        "sync_state",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("sync_state", "actions", "requests", "awards", "badges", "members"):
        op.drop_table(table)
