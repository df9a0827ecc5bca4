from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop.cache import schema
from desktop.cache.database import Cache, head_revision
from desktop.domain import Award, Badge, BadgeRequest, BadgeState, Member, MemberStatus, RequestState

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def member(i: int, name: str = "Ann Example", status: MemberStatus = MemberStatus.ACTIVE) -> Member:
    return Member(i, f"user{i}", name, f"user{i}@example.org", T0, None, status, ("staff",))


def badge(i: int, state: BadgeState = BadgeState.PUBLISHED) -> Badge:
    return Badge(
        i, f"b{i}", f"Badge {i}", "desc", "", "", "", state, "Hi {member}", 1, b"<svg/>", "image/svg+xml"
    )


def test_new_cache_is_at_head_revision_with_wal(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3")
    with cache.read() as connection:
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert revision == head_revision()
    assert journal == "wal"
    cache.close()


def test_migrations_create_the_schema_the_code_queries(tmp_path: Path) -> None:
    """Columns, types, nullability, indexes and constraints: Alembic finds no difference."""
    cache = Cache(tmp_path / "c.sqlite3")
    with cache.engine.connect() as connection:
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
        differences = compare_metadata(context, schema.metadata)
    cache.close()
    assert differences == []


def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = Cache(path)
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1), member(2)])
    cache.close()
    cache = Cache(path)
    assert cache.counts().members == 2
    cache.close()


def test_upsert_replaces_by_id_and_round_trips_fields(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(1, "José Müller")])
        Cache.upsert_members(connection, [member(1, "José Müller-Łukasz", MemberStatus.SUSPENDED)])
    got = cache.member(1)
    assert got == member(1, "José Müller-Łukasz", MemberStatus.SUSPENDED)
    cache.close()


def test_reaward_after_revoke_replaces_the_old_award(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3")
    with cache.write() as connection:
        Cache.upsert_awards(connection, [Award(10, 1, 5, T0, "Alice", "first")])
        Cache.upsert_awards(connection, [Award(11, 1, 5, T0, "Bob", "again")])
    assert [a.id for a in cache.awards_of_member(1)] == [11]
    with cache.write() as connection:
        Cache.delete_awards(connection, [11])
    assert cache.awards_of_member(1) == []
    cache.close()


def test_a_failed_write_transaction_leaves_the_cache_as_it_was(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3")
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
    cache = Cache(tmp_path / "c.sqlite3")
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


def test_upgrade_from_the_first_revision_keeps_and_indexes_members(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from desktop.cache.database import _alembic_config
    from desktop.member_search import MemberQuery, MemberSearch

    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0001")
        connection.exec_driver_sql(
            "INSERT INTO members (id, username, display_name, email, joined_at, status, groups)"
            " VALUES (1, 'emile', 'Émile Zola', 'emile@example.org', 0, 'active', '[]'),"
            " (2, 'zoe', 'Zoe Adams', 'zoe@example.org', 0, 'active', '[]')"
        )
    engine.dispose()
    cache = Cache(path)  # upgrades to head
    assert MemberSearch(cache).ids(MemberQuery(text="emile")) == [1]
    assert cache.member_ids() == [1, 2]  # "Émile" sorts with E, not after Z
    cache.close()
