"""Recognition programs (issue 22): the programs, their runs, and the actions each queued per period.

``programs``: one row per program the user saved; a deleted one keeps its row
(``deleted_at`` set, ``name_key`` cleared so the name may be used again) so its
runs stay readable. ``program_runs``: each run, the period it ran for and the
batches it queued (its awards, its revokes). ``program_actions``: the actions a program queued, one per
program, period, member and kind: the unique key that makes a second run for the
same period award nothing. Nothing else changes.

Revision ID: w0006
Revises: w0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "w0006"
down_revision = "w0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, unique=True),
        sa.Column("source_kind", sa.Text, nullable=False),
        sa.Column("source_version", sa.Integer, nullable=False),
        sa.Column("source_params", sa.Text, nullable=False),
        sa.Column("rule", sa.Text),
        sa.Column("badge_id", sa.Integer, nullable=False),
        sa.Column("alumni_badge_id", sa.Integer),
        sa.Column("message", sa.Text, nullable=False, server_default=""),
        sa.Column("cadence", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.Integer, nullable=False),
        sa.Column("deleted_at", sa.Integer),
    )
    op.create_table(
        "program_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("program_id", sa.Integer, nullable=False),
        sa.Column("period_key", sa.Text, nullable=False),
        sa.Column("ran_at", sa.Integer, nullable=False),
        sa.Column("batch_id", sa.Text),
        sa.Column("revoke_batch_id", sa.Text),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("kept", sa.Text),
        sa.Column("actor", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_program_runs_program", "program_runs", ["program_id", "period_key"])
    op.create_index("ix_program_runs_batch", "program_runs", ["batch_id"])
    op.create_index("ix_program_runs_revoke_batch", "program_runs", ["revoke_batch_id"])
    op.create_table(
        "program_actions",
        sa.Column("program_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("period_key", sa.Text, primary_key=True),
        sa.Column("member_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("action_id", sa.Integer),
    )


def downgrade() -> None:
    for table in ("program_actions", "program_runs", "programs"):
        op.drop_table(table)
