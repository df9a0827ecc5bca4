"""Badges a member may hold several times: one award row per grant.

Discourse's ``multiple_grant`` badges can be granted to one member again and
again, each grant its own row with its own id. The awards table loses its
uniqueness per (member, badge), keeping an index on the pair for lookups;
``Cache.upsert_awards`` still keeps one row per (member, badge) for every
other badge. Badges note the flag (0 for every badge cached so far).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("badges", sa.Column("multiple_grant", sa.Integer, nullable=False, server_default="0"))
    # SQLite cannot drop a constraint in place: the table is copied without it.
    with op.batch_alter_table("awards", recreate="always") as batch:
        batch.drop_constraint("uq_awards_member_badge", type_="unique")
    op.create_index("ix_awards_member_badge", "awards", ["member_id", "badge_id"])


def downgrade() -> None:
    op.drop_index("ix_awards_member_badge", table_name="awards")
    with op.batch_alter_table("awards", recreate="always") as batch:
        batch.create_unique_constraint("uq_awards_member_badge", ["member_id", "badge_id"])
    op.drop_column("badges", "multiple_grant")
