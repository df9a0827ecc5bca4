"""Badges held by one member at a time (issue 22, "a title that moves"): the user's marking.

One row per badge the user marked "one holder at a time", with the badge its
previous holder keeps when it is handed over (``alumni_badge_id``, NULL: none).
The mirror is rebuilt from the server and knows nothing of it. Nothing else changes.

Revision ID: w0007
Revises: w0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "w0007"
down_revision = "w0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "one_holder_badges",
        sa.Column("badge_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("alumni_badge_id", sa.Integer),
        sa.Column("updated_at", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("one_holder_badges")
