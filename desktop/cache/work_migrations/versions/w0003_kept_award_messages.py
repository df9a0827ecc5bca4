"""Award messages BadgeDesk keeps itself, for servers whose badges carry none (Discourse).

One row per server badge: the template the moderator wrote in the designer.
It lives in the work file because the mirror is rebuilt from the server,
and a server that keeps no award message would set it back to "" at every
sync. Nothing else changes.

Revision ID: w0003
Revises: w0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "w0003"
down_revision = "w0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_award_messages",
        sa.Column("badge_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("template", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kept_award_messages")
