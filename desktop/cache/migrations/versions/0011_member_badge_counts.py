"""Each member's badge count, kept by triggers, indexed for sorting by it.

Sorting a million members by badges held counted every member's awards (3 s).
Members now carry the count as the member list shows it: ``badge_count``
(badges held: a badge granted several times counts once), then
``grant_count`` (every grant), with an index in that order. Triggers on
awards keep them, so every writer (full, incremental and snapshot syncs, sent
actions, a rebuilt mirror) keeps them right; a member row that arrives after
its awards counts them when inserted. Existing caches are counted here.

A full sync's awards are millions of rows: counting each one costs more than
counting them all once. While ``sync_state`` holds ``counts.deferred`` (a
member id), the triggers on awards leave the members from that id on alone;
the full sync then counts them again in short transactions
(``Cache.recount_badges``), moving the id on, and removes the key.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_TRIGGERS = ("awards_count_insert", "awards_count_delete", "awards_count_update", "members_count_insert")


def _counting(row: str) -> str:
    """Whether the count of ``row``'s member is kept now (not left for a full sync's recount)."""
    return (
        "NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'counts.deferred'"
        f" AND CAST(value AS INTEGER) <= {row}.member_id)"
    )


def _added(row: str) -> str:
    """Counts one more grant of ``row``'s badge (one more badge when it is its first)."""
    return (
        "UPDATE members SET grant_count = grant_count + 1, badge_count = badge_count + NOT EXISTS"
        f" (SELECT 1 FROM awards a WHERE a.member_id = {row}.member_id AND a.badge_id = {row}.badge_id"
        f" AND a.id != {row}.id) WHERE id = {row}.member_id AND {_counting(row)};"
    )


def _removed(row: str) -> str:
    """Counts one grant of ``row``'s badge less (one badge less when it was the last)."""
    return (
        "UPDATE members SET grant_count = grant_count - 1, badge_count = badge_count - NOT EXISTS"
        f" (SELECT 1 FROM awards a WHERE a.member_id = {row}.member_id AND a.badge_id = {row}.badge_id"
        f" AND a.id != {row}.id) WHERE id = {row}.member_id AND {_counting(row)};"
    )


def upgrade() -> None:
    op.add_column("members", sa.Column("badge_count", sa.Integer, nullable=False, server_default="0"))
    op.add_column("members", sa.Column("grant_count", sa.Integer, nullable=False, server_default="0"))
    # The WHEN clauses spare a full sync's bulk load the member's lookup; the update trigger's
    # two members may be on either side of the deferred id.
    op.execute(
        f"CREATE TRIGGER awards_count_insert AFTER INSERT ON awards WHEN {_counting('new')}"
        f" BEGIN {_added('new')} END"
    )
    op.execute(
        f"CREATE TRIGGER awards_count_delete AFTER DELETE ON awards WHEN {_counting('old')}"
        f" BEGIN {_removed('old')} END"
    )
    op.execute(
        "CREATE TRIGGER awards_count_update AFTER UPDATE OF member_id, badge_id ON awards"
        " WHEN old.member_id != new.member_id OR old.badge_id != new.badge_id"
        f" BEGIN {_removed('old')} {_added('new')} END"
    )
    # Rows of different kinds arrive in any order within a sync.
    op.execute(
        "CREATE TRIGGER members_count_insert AFTER INSERT ON members"
        " WHEN EXISTS (SELECT 1 FROM awards WHERE member_id = new.id) BEGIN"
        " UPDATE members SET"
        " badge_count = (SELECT count(DISTINCT badge_id) FROM awards WHERE member_id = new.id),"
        " grant_count = (SELECT count(*) FROM awards WHERE member_id = new.id)"
        " WHERE id = new.id; END"
    )
    # One pass over the (member, badge) index.
    op.execute(
        "UPDATE members SET badge_count = c.badges, grant_count = c.grants FROM"
        " (SELECT member_id, count(DISTINCT badge_id) AS badges, count(*) AS grants FROM awards"
        " GROUP BY member_id) AS c WHERE c.member_id = members.id"
    )
    op.create_index("ix_members_badges", "members", ["badge_count", "grant_count", "id"])


def downgrade() -> None:
    op.drop_index("ix_members_badges", "members")
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER {trigger}")
    op.drop_column("members", "grant_count")
    op.drop_column("members", "badge_count")
