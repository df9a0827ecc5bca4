"""The batch a batch corrects: a revoke or another award for some of its members, started from its history.

One nullable column on ``batches``; older batches correct nothing.

Revision ID: w0005
Revises: w0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "w0005"
down_revision = "w0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batches", recreate="never") as batch:
        batch.add_column(sa.Column("corrects", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("batches") as batch:
        batch.drop_column("corrects")
