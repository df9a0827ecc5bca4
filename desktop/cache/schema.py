"""Tables of the local cache.

The cache of a profile is two SQLite files with opposite needs:

- the **mirror** (``mirror_metadata``): the server's community as last synced:
  members and their search index, badges, awards, requests and the sync
  position. Large, rewritten by every sync, rebuildable from the server at
  any time, so it may be set aside and synced again when it is damaged.
- the **work** file (``work_metadata``): what the user made here and the
  server does not have: queued actions (the outbox and audit log), batches
  and their input rows, badge drafts, award messages kept for a server whose
  badges carry none, the community's preferences. Small,
  precious, written with ``synchronous=FULL`` and a rollback journal, so a
  committed action lives in the file itself.

A connection opens the work file and attaches the mirror as ``mirror``;
table names are unique across both, so queries name tables unqualified.

This module describes the *current* schema for queries. The schemas are
created and changed only by the Alembic migrations (``migrations/`` for the
mirror, ``work_migrations/`` for the work file); a test checks that they agree.

Timestamps are stored as whole seconds since the Unix epoch (UTC): compact,
cheap to write in bulk, and range filters ("joined before", "seen within N
days") are plain integer comparisons. ``datetime(x, 'unixepoch')`` reads them
in a SQL shell.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
)

# No foreign keys: the cache mirrors the server, which owns integrity, and rows
# of different kinds arrive in any order within a sync.
mirror_metadata = MetaData()
work_metadata = MetaData()

members = Table(
    "members",
    mirror_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("username", Text, nullable=False),
    Column("display_name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("joined_at", Integer, nullable=False),
    Column("last_seen_at", Integer),
    Column("status", Text, nullable=False),
    # JSON list of group names.
    Column("groups", Text, nullable=False, server_default="[]"),
    # display_name folded for ordering (see database.name_sort_key).
    Column("sort_name", Text, nullable=False, server_default=""),
    # The snapshot pass that last saw this row (desktop.sync.snapshot); NULL: none yet.
    Column("seen_pass", Integer),
    # Trust level (0-4) and posts as the server last listed them; NULL: the server does not say.
    Column("trust_level", Integer),
    Column("post_count", Integer),
    # Badges held (a badge granted several times counts once) and grants, as the member list
    # shows them: kept by triggers on awards (migration 0011), so every writer keeps them.
    Column("badge_count", Integer, nullable=False, server_default="0"),
    Column("grant_count", Integer, nullable=False, server_default="0"),
)
# The member list's order.
Index("ix_members_sort", members.c.sort_name, members.c.id)
Index("ix_members_username", members.c.username.collate("NOCASE"))
Index("ix_members_email", members.c.email.collate("NOCASE"))
Index("ix_members_joined", members.c.joined_at, members.c.id)
Index("ix_members_seen", members.c.last_seen_at, members.c.id)
Index("ix_members_badges", members.c.badge_count, members.c.grant_count, members.c.id)

badges = Table(
    "badges",
    mirror_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("slug", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("criteria", Text, nullable=False, server_default=""),
    Column("tier", Text, nullable=False, server_default=""),
    Column("category", Text, nullable=False, server_default=""),
    Column("state", Text, nullable=False),
    Column("award_message", Text, nullable=False, server_default=""),
    Column("version", Integer, nullable=False),
    Column("image", LargeBinary),
    Column("image_media_type", Text),
    Column("updated_at", Integer),
    # The snapshot pass that last saw this row (desktop.sync.snapshot); NULL: none yet.
    Column("seen_pass", Integer),
    # A member may hold it several times (Discourse's multiple_grant).
    Column("multiple_grant", Integer, nullable=False, server_default="0"),
)

awards = Table(
    "awards",
    mirror_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("member_id", Integer, nullable=False),
    Column("badge_id", Integer, nullable=False),
    Column("granted_at", Integer, nullable=False),
    Column("granted_by", Text, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    # The snapshot pass that last saw this row (desktop.sync.snapshot); NULL: none yet.
    Column("seen_pass", Integer),
    # A member holds a badge once (a re-award replaces the old row), except a badge with
    # multiple_grant: one row per grant. Cache.upsert_awards keeps to this.
    Index("ix_awards_member_badge", "member_id", "badge_id"),
    Index("ix_awards_badge", "badge_id"),
)

requests = Table(
    "requests",
    mirror_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("member_id", Integer, nullable=False),
    Column("badge_id", Integer, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("evidence_url", Text),
    Column("created_at", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("decided_by", Text),
    Column("decided_at", Integer),
    Column("reason", Text),
    # The snapshot pass that last saw this row (desktop.sync.snapshot); NULL: none yet.
    Column("seen_pass", Integer),
    Index("ix_requests_state_created", "state", "created_at"),
)

#: Groups of members (servers whose directory lists groups: desktop.dialects.groups).
member_groups = Table(
    "member_groups",
    mirror_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("title", Text, nullable=False),
    # The member count the server gave when the group was last listed: a later sync reads
    # the group's members again only when it changed.
    Column("user_count", Integer, nullable=False),
    # The snapshot pass that last saw this row (desktop.sync.snapshot); NULL: none yet.
    Column("seen_pass", Integer),
    Index("ix_member_groups_name", "name"),
)

#: Who is in which group: replaced group by group when a sync reads a group's members.
group_memberships = Table(
    "group_memberships",
    mirror_metadata,
    Column("group_id", Integer, primary_key=True, autoincrement=False),
    Column("member_id", Integer, primary_key=True, autoincrement=False),
    Index("ix_group_memberships_member", "member_id"),
)

actions = Table(
    "actions",
    work_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("idempotency_key", Text, nullable=False, unique=True),
    Column("state", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("result", Text),
    Column("batch_id", Text),
    Column("created_at", Integer, nullable=False),
    Column("updated_at", Integer, nullable=False),
    # What the action is about, who queued it and what became of it (audit).
    Column("member_id", Integer),
    Column("badge_id", Integer),
    Column("request_id", Integer),
    # The badge draft a save comes from (badge-save actions).
    Column("draft_id", Integer),
    Column("actor", Text),
    Column("outcome", Text),
    # Why a held or conflicting action waits for the user (outbox.HoldReason).
    Column("hold_reason", Text),
    Column("sent_at", Integer),
    Column("confirmed_at", Integer),
    # Who is sending it (one process of one machine) and until when: no two
    # senders on one profile ever send the same action (outbox claims).
    Column("claimed_by", Text),
    Column("lease_until", Integer),
    Index("ix_actions_state", "state"),
    Index("ix_actions_batch", "batch_id", "id"),
    Index("ix_actions_created", "created_at", "id"),
    Index("ix_actions_member", "member_id"),
    Index("ix_actions_draft", "draft_id"),
)

batches = Table(
    "batches",
    work_metadata,
    Column("id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("badge_id", Integer, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Column("notify", Integer, nullable=False, server_default="1"),
    Column("message", Text),
    # Where the members came from: "selection", "pasted list", a file name.
    Column("source", Text, nullable=False, server_default=""),
    Column("actor", Text, nullable=False, server_default=""),
    Column("created_at", Integer, nullable=False),
    # The batch this one undoes, and the batch that undid this one.
    Column("undo_of", Text),
    Column("undone_by", Text),
    # The batch this one corrects (a revoke or another award for some of its members).
    Column("corrects", Text),
)

# Every input row of a batch and what the dry run made of it (results CSV).
batch_rows = Table(
    "batch_rows",
    work_metadata,
    Column("batch_id", Text, primary_key=True),
    Column("row", Integer, primary_key=True),
    Column("input", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("detail", Text),
    Column("member_id", Integer),
)

#: Members found by the id another system signs them in with (single sign-on), as the server
#: answered (:mod:`desktop.programs.sources.external_ids` owns it): each answer cost a request.
#: Only members found are kept (an id nobody has today may be somebody's tomorrow); a full
#: resync starts it again.
external_ids = Table(
    "external_ids",
    mirror_metadata,
    Column("external_id", Text, primary_key=True),
    Column("member_id", Integer, nullable=False),
    Column("found_at", Integer, nullable=False),
)

#: Where the sync stands (cursors, the last sync): mirror state, reset with it.
sync_state = Table(
    "sync_state",
    mirror_metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

#: Badges being designed here: the layered design and the metadata as last
#: saved, the server version the edit started from, and a digest of what the
#: server confirmed (equal digests: nothing to send).
badge_drafts = Table(
    "badge_drafts",
    work_metadata,
    Column("id", Integer, primary_key=True),
    Column("badge_id", Integer, unique=True),
    Column("slug", Text, nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("criteria", Text, nullable=False, server_default=""),
    Column("category", Text, nullable=False, server_default=""),
    Column("tier", Text, nullable=False, server_default=""),
    Column("award_message", Text, nullable=False, server_default=""),
    Column("design", Text, nullable=False),
    Column("base_version", Integer),
    Column("synced_digest", Text),
    Column("updated_at", Integer, nullable=False),
)

#: Award messages BadgeDesk keeps for a server whose badges carry none (see
#: :mod:`desktop.cache.kept_messages`), by the server's badge id: never
#: touched by a sync, which writes only the mirror.
kept_award_messages = Table(
    "kept_award_messages",
    work_metadata,
    Column("badge_id", Integer, primary_key=True, autoincrement=False),
    Column("template", Text, nullable=False),
    Column("updated_at", Integer, nullable=False),
)

#: The group each badge goes with, as the user set it (:mod:`desktop.group_check`), by the
#: server's badge id and the group's name; a NULL group: the user said "no group" (no
#: suggestion either). The user's own choice, so the work file's, never touched by a sync.
badge_groups = Table(
    "badge_groups",
    work_metadata,
    Column("badge_id", Integer, primary_key=True, autoincrement=False),
    Column("group_name", Text),
    Column("updated_at", Integer, nullable=False),
)

#: Badges held by one member at a time (:mod:`desktop.programs.titles`), and the badge a
#: previous holder keeps (NULL: none): the user's marking.
one_holder_badges = Table(
    "one_holder_badges",
    work_metadata,
    Column("badge_id", Integer, primary_key=True, autoincrement=False),
    Column("alumni_badge_id", Integer),
    Column("updated_at", Integer, nullable=False),
)

#: Recognition programs (:mod:`desktop.programs.store`): the user's own, never touched by a
#: sync. A deleted program keeps its row (``deleted_at``; ``name_key`` NULL frees its name)
#: so its runs stay readable.
programs = Table(
    "programs",
    work_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    # The name folded (casefold, spaces trimmed): two live programs never share one.
    Column("name_key", Text, unique=True),
    # The source: its kind, the version of its parameters, the parameters (JSON), opaque here.
    Column("source_kind", Text, nullable=False),
    Column("source_version", Integer, nullable=False),
    Column("source_params", Text, nullable=False),
    # The rule conditions on top (desktop.rules.rule_to_dict as JSON), or NULL.
    Column("rule", Text),
    Column("badge_id", Integer, nullable=False),
    Column("alumni_badge_id", Integer),
    Column("message", Text, nullable=False, server_default=""),
    Column("cadence", Text, nullable=False),
    # One more at each edit: a dry run made before an edit is not queued (desktop.programs.runs).
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", Integer, nullable=False),
    Column("updated_at", Integer, nullable=False),
    Column("deleted_at", Integer),
)

#: Each run of a program: the period it ran for, the batches it queued (NULL: nothing new),
#: its counts (JSON) and what its source asked to keep for the next run (JSON, opaque).
program_runs = Table(
    "program_runs",
    work_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("program_id", Integer, nullable=False),
    Column("period_key", Text, nullable=False),
    Column("ran_at", Integer, nullable=False),
    Column("batch_id", Text),
    # The batch of revokes of members gone from a list source, or NULL.
    Column("revoke_batch_id", Text),
    Column("counts", Text, nullable=False),
    Column("kept", Text),
    Column("actor", Text, nullable=False, server_default=""),
    Index("ix_program_runs_program", "program_id", "period_key"),
    Index("ix_program_runs_batch", "batch_id"),
    Index("ix_program_runs_revoke_batch", "revoke_batch_id"),
)

#: The action a program queued for a member in a period: the key is the run's identity, so a
#: second run for the same period cannot queue the member again (the database refuses it).
#: An action discarded unsent gives its place back (desktop.programs.runs).
program_actions = Table(
    "program_actions",
    work_metadata,
    Column("program_id", Integer, primary_key=True, autoincrement=False),
    Column("period_key", Text, primary_key=True),
    Column("member_id", Integer, primary_key=True, autoincrement=False),
    Column("kind", Text, primary_key=True),
    Column("action_id", Integer),
)

#: The community's preferences set here (the default award message, the
#: outbox paused, who the token belongs to): never reset by a resync.
preferences = Table(
    "preferences",
    work_metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)
