"""Members found by external (single sign-on) id, as the server answered: one request each.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "external_ids",
        sa.Column("external_id", sa.Text, primary_key=True),
        sa.Column("member_id", sa.Integer, nullable=False),
        sa.Column("found_at", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("external_ids")
