"""Members' trust level and post count, where the server lists them (Discourse).

Two nullable columns on ``members``: NULL is "the server does not say"
(BadgeDesk's own server, and every member cached before this revision until
the next sync that reads them again). Rules compare them only where known.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("members", sa.Column("trust_level", sa.Integer))
    op.add_column("members", sa.Column("post_count", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("post_count")
        batch.drop_column("trust_level")
