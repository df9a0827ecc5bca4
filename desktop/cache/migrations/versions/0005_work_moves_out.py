"""The user's work moves out of the mirror into the profile's work file.

Actions, batches, batch rows, badge drafts and the community's preferences
(kept until now among the sync state) are copied into the work file and
committed there, durably, first; only then are they dropped here. A crash in
between repeats the copy, which adds nothing twice (``INSERT OR IGNORE``).
Rows that cannot be read stop it before anything is dropped (``WorkNotMoved``).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from pathlib import Path

from alembic import context, op

from desktop.cache.storage import PREFERENCE_KEYS, WorkNotMoved, copy_work

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    work_path = context.config.attributes.get("work_path")
    if work_path is None:
        raise RuntimeError("Moving the user's work out needs the work file's path")
    source = op.get_bind().connection.driver_connection
    assert source is not None
    moved = copy_work(source, Path(work_path))
    if moved.lost or moved.unreadable:
        # Never drop what could not be copied: the caller keeps the old file aside.
        raise WorkNotMoved(f"{sum(moved.lost.values())} rows could not be read")
    for table in ("actions", "batch_rows", "batches", "badge_drafts"):
        op.drop_table(table)
    marks = ", ".join(f"'{key}'" for key in PREFERENCE_KEYS)
    op.execute(f"DELETE FROM sync_state WHERE key IN ({marks})")


def downgrade() -> None:
    raise NotImplementedError("The work file cannot be merged back into the mirror")
