"""Badge drafts: designs and metadata edited here, and what the server confirmed.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
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


def downgrade() -> None:
    op.drop_table("badge_drafts")
