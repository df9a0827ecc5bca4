"""Actions name their draft in a column: no more searching the payload's JSON.

The outbox's store finds a draft's saves by ``draft_id`` (it was a ``LIKE`` on
the payload text). Existing saves get it from their payload; nothing else
changes, so every action keeps its state, key and history.

Revision ID: w0002
Revises: w0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "w0002"
down_revision = "w0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("actions", recreate="never") as batch:
        batch.add_column(sa.Column("draft_id", sa.Integer))
    op.execute(
        "UPDATE actions SET draft_id = json_extract(payload, '$.draft_id')"
        " WHERE kind = 'badge-save' AND json_valid(payload)"
    )
    op.create_index("ix_actions_draft", "actions", ["draft_id"])


def downgrade() -> None:
    op.drop_index("ix_actions_draft", table_name="actions")
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("draft_id")
