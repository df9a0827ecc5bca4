from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine

from desktop.cache import schema
from desktop.cache.database import Cache
from desktop.cache.storage import mirror_head, work_head
from desktop.domain import Award, Badge, BadgeRequest, BadgeState, Member, MemberStatus, RequestState

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def member(i: int, name: str = "Ann Example", status: MemberStatus = MemberStatus.ACTIVE) -> Member:
    return Member(i, f"user{i}", name, f"user{i}@example.org", T0, None, status, ("staff",))


def badge(i: int, state: BadgeState = BadgeState.PUBLISHED) -> Badge:
    return Badge(
        i, f"b{i}", f"Badge {i}", "desc", "", "", "", state, "Hi {member}", 1, b"<svg/>", "image/svg+xml"
    )


def test_new_cache_is_two_files_at_their_head_revisions(tmp_path: Path) -> None:
    """The work file keeps committed work in itself (rollback journal, full sync); the mirror uses WAL."""
    cache = Cache(tmp_path / "c")
    with cache.read() as connection:
        work_revision = connection.exec_driver_sql("SELECT version_num FROM main.alembic_version").scalar()
        mirror_revision = connection.exec_driver_sql(
            "SELECT version_num FROM mirror.alembic_version"
        ).scalar()
        work_journal = connection.exec_driver_sql("PRAGMA main.journal_mode").scalar()
        work_sync = connection.exec_driver_sql("PRAGMA main.synchronous").scalar()
        mirror_journal = connection.exec_driver_sql("PRAGMA mirror.journal_mode").scalar()
        work_tables = {r[0] for r in connection.exec_driver_sql("SELECT name FROM main.sqlite_master")}
        mirror_tables = {r[0] for r in connection.exec_driver_sql("SELECT name FROM mirror.sqlite_master")}
    assert (work_revision, mirror_revision) == (work_head(), mirror_head())
    assert (work_journal, work_sync, mirror_journal) == ("delete", 2, "wal")  # 2: FULL
    assert {"actions", "batches", "batch_rows", "badge_drafts", "preferences"} <= work_tables
    assert not {"members", "badges", "awards", "requests", "sync_state"} & work_tables
    assert {"members", "badges", "awards", "requests", "sync_state"} <= mirror_tables
    assert not {"actions", "batches", "batch_rows", "badge_drafts", "preferences"} & mirror_tables
    assert sorted(p.name for p in (tmp_path / "c").glob("*.sqlite3")) == ["mirror.sqlite3", "work.sqlite3"]
    cache.close()


def _differences(path: Path, metadata: MetaData) -> list[object]:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                # The FTS5 index and its shadow tables are raw SQL by design.
                "include_name": lambda name, kind, _parent: (
                    not (kind == "table" and (name or "").startswith("members_fts"))
                ),
            },
        )
        differences = compare_metadata(context, metadata)
    engine.dispose()
    return list(differences)


def test_migrations_create_the_schema_the_code_queries(tmp_path: Path) -> None:
    """Columns, types, nullability, indexes and constraints: Alembic finds no difference, in either file."""
    cache = Cache(tmp_path / "c")
    cache.close()
    assert _differences(cache.work_path, schema.work_metadata) == []
    assert _differences(cache.mirror_path, schema.mirror_metadata) == []


def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "c"
    cache = Cache(path)
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1), member(2)])
    cache.close()
    cache = Cache(path)
    assert cache.counts().members == 2
    cache.close()


def test_upsert_replaces_by_id_and_round_trips_fields(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1, "José Müller")])
        Cache.upsert_members(connection, [member(1, "José Müller-Łukasz", MemberStatus.SUSPENDED)])
    got = cache.member(1)
    assert got == member(1, "José Müller-Łukasz", MemberStatus.SUSPENDED)
    cache.close()


def test_reaward_after_revoke_replaces_the_old_award(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    with cache.write() as connection:
        Cache.upsert_awards(connection, [Award(10, 1, 5, T0, "Alice", "first")])
        Cache.upsert_awards(connection, [Award(11, 1, 5, T0, "Bob", "again")])
    assert [a.id for a in cache.awards_of_member(1)] == [11]
    with cache.write() as connection:
        Cache.delete_awards(connection, [11])
    assert cache.awards_of_member(1) == []
    cache.close()


def test_a_failed_write_transaction_leaves_the_cache_as_it_was(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1)])
    try:
        with cache.write() as connection:
            Cache.upsert_members(connection, [member(2)])
            Cache.set_sync_state(connection, {"changes.cursor": "99"})
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert cache.counts().members == 1
    assert cache.sync_state() == {}
    cache.close()


def test_queries(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1, "Zoë"), member(2, "Ann")])
        Cache.upsert_badges(connection, [badge(1), badge(2, BadgeState.DISCONTINUED)])
        Cache.upsert_awards(connection, [Award(1, 1, 1, T0, "A", ""), Award(2, 2, 1, T0, "A", "")])
        Cache.upsert_requests(
            connection,
            [
                BadgeRequest(1, 1, 2, "note", None, T0, RequestState.PENDING, 1),
                BadgeRequest(2, 2, 2, "note", "https://x", T0, RequestState.DENIED, 2, "Bob", T0, "no"),
            ],
        )
    assert cache.member_ids() == [2, 1]
    assert cache.badge_holder_counts() == {1: 2}
    assert [r.id for r in cache.requests()] == [1]
    assert len(cache.requests(None)) == 2
    counts = cache.counts()
    assert (counts.members, counts.badges, counts.awards, counts.requests, counts.pending_requests) == (
        2,
        2,
        2,
        2,
        1,
    )
    assert cache.badges()[0].image == b"<svg/>"
    cache.close()


def test_groups_are_those_members_carry_and_the_servers_once_each_sorted(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    with cache.write() as connection:
        Cache.upsert_members(
            connection,
            [
                replace(member(1), groups=("staff", "admins")),
                replace(member(2), groups=()),
                replace(member(3), groups=("staff",)),
            ],
        )
        connection.exec_driver_sql(
            "INSERT INTO member_groups (id, name, title, user_count) VALUES (7, 'mentors', '', 0)"
        )
    assert cache.groups() == ["admins", "mentors", "staff"]
    cache.close()


def test_upgrade_from_the_first_revision_keeps_and_indexes_members(tmp_path: Path) -> None:
    from alembic import command

    from desktop.cache.storage import _MIRROR_MIGRATIONS, _alembic_config
    from desktop.member_search import MemberQuery, MemberSearch

    path = tmp_path / "old" / "cache.sqlite3"
    path.parent.mkdir()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(_alembic_config(_MIRROR_MIGRATIONS, connection), "0001")
        connection.exec_driver_sql(
            "INSERT INTO members (id, username, display_name, email, joined_at, status, groups)"
            " VALUES (1, 'emile', 'Émile Zola', 'emile@example.org', 0, 'active', '[]'),"
            " (2, 'zoe', 'Zoe Adams', 'zoe@example.org', 0, 'active', '[]')"
        )
    engine.dispose()
    cache = Cache(path.parent)  # upgrades to head
    assert MemberSearch(cache).ids(MemberQuery(text="emile")) == [1]
    assert cache.member_ids() == [1, 2]  # "Émile" sorts with E, not after Z
    cache.close()
