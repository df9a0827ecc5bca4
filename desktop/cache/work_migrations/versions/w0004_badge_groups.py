"""The group each badge goes with (the group check): the user's setting, kept in the work file.

One row per badge the user paired with a group (or said "no group" for); the
mirror is rebuilt from the server and knows nothing of it. Nothing else changes.

Revision ID: w0004
Revises: w0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "w0004"
down_revision = "w0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "badge_groups",
        sa.Column("badge_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("group_name", sa.Text),
        sa.Column("updated_at", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("badge_groups")
