"""A server without a changes feed: after the first full sync, each sync is a snapshot pass
over the live mirror that marks what it sees and sweeps the unseen after a kind's last page.

Runs a real ``SyncService`` on a real cache against ``FeedlessServer`` (in memory),
with pages of two items so every kind takes several pages.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.domain import ChangeSet, RequestState
from desktop.net.errors import MalformedResponse, ServerUnreachable
from desktop.sync import (
    KEY_CHANGES_CURSOR,
    KEY_SNAPSHOT_CURSOR,
    KEY_SNAPSHOT_PASS,
    KEY_SNAPSHOT_PHASE,
    NEXT_MIRROR_NAME,
    ProgressCallback,
    SyncProgress,
    SyncResult,
    SyncService,
)
from tests.core.fake_community_server import dump_cache
from tests.core.feedless_server import KINDS, FeedlessServer, award, member, request

PAGE = 2


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    yield cache
    cache.close()


@pytest.fixture()
def server() -> FeedlessServer:
    return FeedlessServer()


def sync(
    cache: Cache,
    server: FeedlessServer,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> SyncResult:
    return SyncService(cache, server, page_size=PAGE).run(progress=progress, cancel=cancel)


def shown(cache: Cache) -> dict[str, list[tuple[Any, ...]]]:
    """What the views read of each kind: every row and column but the pass mark."""
    with cache.read() as connection:
        result = {}
        for table in KINDS:
            columns = [
                str(row[1])
                for row in connection.exec_driver_sql(f"PRAGMA mirror.table_info({table})")
                if row[1] != "seen_pass"
            ]
            statement = f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"
            result[table] = [tuple(row) for row in connection.exec_driver_sql(statement)]
        return result


def member_ids(cache: Cache) -> set[int]:
    return set(cache.member_ids())


def marks(cache: Cache, table: str) -> dict[int, int | None]:
    with cache.read() as connection:
        return dict(connection.exec_driver_sql(f"SELECT id, seen_pass FROM {table}").fetchall())


def synced(cache: Cache, server: FeedlessServer) -> None:
    """The first sync: full, as for any server."""
    result = sync(cache, server)
    assert result.full and not result.snapshot and result.changes.reset
    server.calls.clear()


def fresh_copy(server: FeedlessServer, tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What a first sync of the server as it is now would store."""
    other = Cache(tmp_path / "fresh")
    try:
        sync(other, server)
        return shown(other)
    finally:
        other.close()


# --- the pass ---------------------------------------------------------------------------


def test_the_next_sync_is_a_snapshot_pass_over_the_live_mirror(cache: Cache, server: FeedlessServer) -> None:
    synced(cache, server)
    before = shown(cache)
    mirror_file = os.stat(cache.mirror_path).st_ino
    beside: list[bool] = []

    result = sync(cache, server, lambda _p: beside.append((cache.directory / NEXT_MIRROR_NAME).exists()))

    assert result.snapshot and result.full
    assert not result.changes  # nothing changed on the server: nothing to refresh
    assert result.items == sum(len(rows) for rows in server.rows.values())
    assert shown(cache) == before
    # Written in place: no new mirror beside it, none swapped in.
    assert not any(beside) and os.stat(cache.mirror_path).st_ino == mirror_file
    # Every kind listed from its start, every row marked with the first pass.
    assert [kind for kind, _ in server.calls if _ is None] == list(KINDS)
    assert all(set(marks(cache, table).values()) == {1} for table in KINDS)
    state = cache.sync_state()
    assert state[KEY_SNAPSHOT_PASS] == "1" and KEY_SNAPSHOT_PHASE not in state
    assert KEY_CHANGES_CURSOR in state

    # The next pass has the next number, and marks every row with it.
    assert not sync(cache, server).changes
    assert cache.sync_state()[KEY_SNAPSHOT_PASS] == "2"
    assert all(set(marks(cache, table).values()) == {2} for table in KINDS)


def test_a_pass_brings_what_changed_and_says_what(
    cache: Cache, server: FeedlessServer, tmp_path: Path
) -> None:
    synced(cache, server)
    rows = server.rows
    rows["members"][3] = member(3, "Grace Hopper")
    rows["members"][20] = member(20)
    del rows["members"][5]
    rows["badges"][2] = replace(rows["badges"][2], title="Certified Admin")
    del rows["awards"][4]  # revoked
    rows["awards"][30] = award(30, 20, 1)
    rows["requests"][2] = replace(rows["requests"][2], state=RequestState.DENIED, version=2)
    del rows["requests"][4]
    rows["requests"][9] = request(9, 20, 3)

    result = sync(cache, server)

    assert result.changes == ChangeSet(
        members=frozenset({3, 5, 20}), badges=frozenset({2}), awards=True, requests=frozenset({2, 4, 9})
    )
    assert not result.changes.reset
    # Exactly what a first sync of the server as it is now stores.
    assert shown(cache) == fresh_copy(server, tmp_path)
    assert cache.member(3).display_name == "Grace Hopper"  # type: ignore[union-attr]


def test_a_deleted_member_disappears_with_the_last_page_of_the_pass_and_not_before(
    cache: Cache, server: FeedlessServer
) -> None:
    synced(cache, server)
    del server.rows["members"][2]  # on the first page
    present: list[tuple[str, bool]] = []

    def look(progress: SyncProgress) -> None:  # after each page is stored
        present.append((progress.phase, 2 in member_ids(cache)))

    result = sync(cache, server, look)

    # Only a complete pass deletes: the sweep comes with the last page of the last kind.
    assert [seen for _phase, seen in present] == [True] * (len(present) - 1) + [False]
    assert present[-1][0] == KINDS[-1]
    assert 2 not in member_ids(cache) and result.changes.members == {2}


# --- interrupted and refused --------------------------------------------------------------


@pytest.mark.parametrize("how", ["server gone", "cancelled"])
def test_an_interrupted_pass_keeps_every_old_row_and_the_next_sync_resumes_it(
    cache: Cache, server: FeedlessServer, how: str
) -> None:
    synced(cache, server)
    old = shown(cache)
    server.rows["members"][1] = member(1, "Ada Lovelace")  # on the first page
    del server.rows["members"][7]  # on the last page
    cancel = CancelToken()

    def gone_at_the_third_page(kind: str, cursor: str | None) -> None:
        if how == "server gone" and (kind, cursor) == ("members", "4"):
            raise ServerUnreachable("The server is unreachable")

    def stop_after_two_pages(progress: SyncProgress) -> None:
        if how == "cancelled" and progress.phase == "members" and progress.done >= 3 + 4:
            cancel.cancel()

    server.trap = gone_at_the_third_page
    with pytest.raises((ServerUnreachable, Cancelled)):
        sync(cache, server, stop_after_two_pages, cancel)

    # Every old row is there; the pages stored so far are, too.
    now = shown(cache)
    assert {m[0] for m in now["members"]} == {m[0] for m in old["members"]}
    assert cache.member(1).display_name == "Ada Lovelace"  # type: ignore[union-attr]
    assert {k: v for k, v in now.items() if k != "members"} == {
        k: v for k, v in old.items() if k != "members"
    }
    state = cache.sync_state()
    assert (state[KEY_SNAPSHOT_PASS], state[KEY_SNAPSHOT_PHASE], state[KEY_SNAPSHOT_CURSOR]) == (
        "1",
        "members",
        "4",
    )

    server.trap = None
    server.calls.clear()
    result = sync(cache, server)

    # Resumed from the stored cursor: badges and the first members were not read again.
    assert server.calls_of("badges") == []
    assert server.calls_of("members") == ["4"]
    # Members 1–4 were seen only by the interrupted run, and count as seen.
    assert member_ids(cache) == {1, 2, 3, 4, 5, 6}
    assert set(marks(cache, "members").values()) == {1}
    assert result.snapshot and result.changes.reset  # what the first run changed was never reported
    state = cache.sync_state()
    assert state[KEY_SNAPSHOT_PASS] == "1" and KEY_SNAPSHOT_PHASE not in state


@pytest.mark.parametrize("where", [("badges", None), ("members", "4")])
def test_a_page_refused_as_malformed_leaves_the_cache_untouched(
    cache: Cache, server: FeedlessServer, where: tuple[str, str | None]
) -> None:
    synced(cache, server)
    before, shown_before = dump_cache(cache), shown(cache)
    del server.rows["members"][7]  # would be swept after the refused page
    server.rows["members"][6] = member(6, "Barbara Liskov")  # on the refused page

    def malformed(kind: str, cursor: str | None) -> None:
        if (kind, cursor) == where:
            raise MalformedResponse("The server sent a malformed page")

    server.trap = malformed
    with pytest.raises(MalformedResponse):
        sync(cache, server)

    assert shown(cache) == shown_before
    if where[1] is None:
        # Refused at the first page of the pass: nothing at all changed, not even a mark.
        assert dump_cache(cache) == before
        return
    # Refused later: the good pages before it are stored with their marks and position;
    # nothing of the refused page is, and nothing was swept.
    assert marks(cache, "members") == {1: 1, 2: 1, 3: 1, 4: 1, 5: None, 6: None, 7: None}
    assert cache.sync_state()[KEY_SNAPSHOT_CURSOR] == "4"


def test_the_views_read_the_old_rows_while_a_pass_runs(cache: Cache, server: FeedlessServer) -> None:
    synced(cache, server)
    server.rows["members"][3] = member(3, "Grace Hopper")  # on the second page
    del server.rows["members"][7]  # on the last page
    reads: list[tuple[str, set[int], str]] = []

    def read(where: str) -> None:
        # What the member list and a member's card show right now.
        name = cache.member(3).display_name  # type: ignore[union-attr]
        reads.append((where, member_ids(cache), name))

    # On the fetch thread, beside the writer, and on the writer's thread between pages.
    server.trap = lambda kind, _cursor: read(f"fetching {kind}")
    sync(cache, server, lambda p: read(f"stored {p.phase}"))

    # Never emptied: every read shows the old members, until the last page of members is
    # stored with the sweep; from then on, the server's.
    old, new = {1, 2, 3, 4, 5, 6, 7}, {1, 2, 3, 4, 5, 6}
    seen = [ids for _w, ids, _n in reads]
    swept = seen.index(new)
    assert seen[:swept] == [old] * swept and seen[swept:] == [new] * (len(seen) - swept)
    assert swept >= 5 and [w for w, _i, _n in reads].count("stored members") == 3
    # Until its page is stored, member 3's card shows the old name.
    assert all(name == "Member 3" for where, _i, name in reads if "badges" in where)
    assert reads[-1][2] == "Grace Hopper"


def test_the_sweep_commits_with_the_position_that_says_the_pass_is_complete_or_not_at_all(
    cache: Cache, server: FeedlessServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced(cache, server)
    del server.rows["members"][7]
    set_sync_state = Cache.set_sync_state

    def fail_when_the_pass_is_complete(connection: Any, values: Any) -> None:
        if KEY_SNAPSHOT_PHASE in values and values[KEY_SNAPSHOT_PHASE] is None:
            raise OSError("disk I/O error")
        set_sync_state(connection, values)

    monkeypatch.setattr(Cache, "set_sync_state", staticmethod(fail_when_the_pass_is_complete))
    with pytest.raises(OSError):
        sync(cache, server)
    # The sweep went with the failed transaction: member 7 is still there, the pass not complete.
    assert 7 in member_ids(cache)
    state = cache.sync_state()
    last_kind, cursor = state[KEY_SNAPSHOT_PHASE], state.get(KEY_SNAPSHOT_CURSOR)
    assert last_kind == KINDS[-1]

    monkeypatch.setattr(Cache, "set_sync_state", staticmethod(set_sync_state))
    server.calls.clear()
    sync(cache, server)
    assert server.calls_of("members") == [] and server.calls_of(last_kind) == [cursor]
    assert 7 not in member_ids(cache)
