"""Groups of members and who is in them, for servers whose directory lists groups (Discourse).

Two mirror tables: ``member_groups`` (one row per group, marked by the
snapshot pass that saw it, like every other kind) and ``group_memberships``
(group, member), replaced group by group when a sync reads a group's members.
Named so as not to read as SQL's ``GROUPS`` keyword. The members' own
``groups`` column (a JSON list of names, filled by servers that send a
member's groups with the member) stays: the search reads both.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_groups",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("user_count", sa.Integer, nullable=False),
        sa.Column("seen_pass", sa.Integer),
    )
    op.create_index("ix_member_groups_name", "member_groups", ["name"])
    op.create_table(
        "group_memberships",
        sa.Column("group_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("member_id", sa.Integer, primary_key=True, autoincrement=False),
    )
    op.create_index("ix_group_memberships_member", "group_memberships", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_group_memberships_member", table_name="group_memberships")
    op.drop_table("group_memberships")
    op.drop_index("ix_member_groups_name", table_name="member_groups")
    op.drop_table("member_groups")
