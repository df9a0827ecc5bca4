"""The snapshot pass that last saw each mirrored row, for servers without a changes feed.

A sync of such a server reads everything again and marks each row it
writes with the number of its pass; after the last page of a kind, the rows
of that kind the pass did not see are gone from the server and are swept
(see :mod:`desktop.sync.snapshot`). Rows cached before, or written by another
path, have none (NULL): the next pass marks or sweeps them.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TABLES = ("members", "badges", "awards", "requests")


def upgrade() -> None:
    # A nullable column without a default: SQLite adds it without rewriting the table.
    for table in _TABLES:
        op.add_column(table, sa.Column("seen_pass", sa.Integer))


def downgrade() -> None:
    for table in _TABLES:
        op.drop_column(table, "seen_pass")
