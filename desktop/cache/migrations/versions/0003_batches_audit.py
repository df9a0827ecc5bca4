"""Batches, per-row batch results, and the audit columns of the outbox.

Every action now names its member, badge or request in columns (not only in
the JSON payload), who queued it, when it was first sent and confirmed, and
its outcome, so the audit log can filter a hundred thousand actions with
indexes. ``hold_reason`` says why an action waits for the user's decision.

``batches`` describes a batch (kind, badge, reason, notify, source);
``batch_rows`` keeps every input row of a batch built from a file or a list,
with what the dry run made of it, so the results CSV can report each row.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_NEW_ACTION_COLUMNS = (
    ("member_id", sa.Integer),
    ("badge_id", sa.Integer),
    ("request_id", sa.Integer),
    ("actor", sa.Text),
    ("outcome", sa.Text),
    ("hold_reason", sa.Text),
    ("sent_at", sa.Integer),
    ("confirmed_at", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("actions") as table:
        for name, kind in _NEW_ACTION_COLUMNS:
            table.add_column(sa.Column(name, kind))
    op.execute(
        "UPDATE actions SET member_id = json_extract(payload, '$.member_id'),"
        " badge_id = json_extract(payload, '$.badge_id'),"
        " request_id = json_extract(payload, '$.request_id'),"
        " outcome = json_extract(result, '$.outcome')"
    )
    op.create_index("ix_actions_batch", "actions", ["batch_id", "id"])
    op.create_index("ix_actions_created", "actions", ["created_at", "id"])
    op.create_index("ix_actions_member", "actions", ["member_id"])
    op.create_table(
        "batches",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("badge_id", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("notify", sa.Integer, nullable=False, server_default="1"),
        sa.Column("message", sa.Text),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.Column("actor", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("undo_of", sa.Text),
        sa.Column("undone_by", sa.Text),
    )
    op.create_table(
        "batch_rows",
        sa.Column("batch_id", sa.Text, primary_key=True),
        sa.Column("row", sa.Integer, primary_key=True),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("member_id", sa.Integer),
    )


def downgrade() -> None:
    op.drop_table("batch_rows")
    op.drop_table("batches")
    op.drop_index("ix_actions_member", "actions")
    op.drop_index("ix_actions_created", "actions")
    op.drop_index("ix_actions_batch", "actions")
    with op.batch_alter_table("actions") as table:
        for name, _kind in reversed(_NEW_ACTION_COLUMNS):
            table.drop_column(name)
