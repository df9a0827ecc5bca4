"""A full disk while syncing and while sending, on a small tmpfs of the test's own.

What is promised: the failure is one sentence saying how much to free, no
traceback and no member data reach the user or the log, a sync resumes where
it stopped, and the outbox loses nothing (each award reaches the server once).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from desktop import cli, failures
from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.dialects.base import AwardItem, AwardWriter, ItemResult, RevokeItem
from desktop.domain import ActionKind, ActionState
from desktop.failures import FailureKind
from desktop.outbox import NO_RETRY, SendProgress
from desktop.outbox.kinds import awards
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.server import DATABASE_NAME
from desktop.secrets import TokenStore
from desktop.sync import WRITE_SLICE, SyncProgress
from tests.diskfull import SmallDisk, small_disk_at
from tests.e2e.conftest import SMALL
from tests.e2e.server_witness import award_rows, server_db
from tests.e2e.test_exactly_once import plan_trials

DISK = 32 * 1024 * 1024

#: A page of 2,000 items is written in slices (short transactions): the second page starts here.
SLICES = 2000 // WRITE_SLICE


@pytest.fixture()
def small_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmallDisk]:
    """BadgeDesk's data directory on a 32 MB tmpfs (whatever files the cache is made of)."""
    for disk in small_disk_at(tmp_path / "disk", DISK):
        monkeypatch.setenv("BADGEDESK_DATA_DIR", str(disk.path / "data"))
        yield disk


def member_texts(process: SandboxProcess) -> list[str]:
    """Every member's name and email, as the server has them.

    Usernames are left out: some are common words ("cli") that any log line may hold.
    """
    database = sqlite3.connect(f"file:{process.data_dir / DATABASE_NAME}?mode=ro", uri=True)
    with database:
        rows = database.execute("SELECT display_name, email FROM members").fetchall()
    database.close()
    return [text for row in rows for text in row if text]


def fill_when_written(
    disk: SmallDisk, monkeypatch: pytest.MonkeyPatch, what: str = "members", *, after_pages: int = 0
) -> list[int]:
    """Fill the disk just before a page of ``what`` is written; returns the sizes of the pages."""
    # The rows' upserts: what a full sync writes, and what the upserts of domain objects call.
    name = f"upsert_{what.removesuffix('s')}_rows"
    original: Callable[..., Any] = getattr(Cache, name)
    written: list[int] = []

    def upsert(connection: Any, items: Any, *args: Any, **kwargs: Any) -> None:
        items = list(items)
        if len(written) == after_pages:
            disk.fill()
        written.append(len(items))
        original(connection, items, *args, **kwargs)

    monkeypatch.setattr(Cache, name, staticmethod(upsert))
    return written


def test_sync_command_on_a_full_disk_says_one_sentence_without_member_data(
    sandbox: SandboxProcess,
    small_disk: SmallDisk,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    TokenStore().set(sandbox.url, sandbox.tokens["moderator"])
    fill_when_written(small_disk, monkeypatch)
    caplog.set_level(logging.DEBUG)

    code = cli.main(["sync", "--server", sandbox.url])

    out, err = capsys.readouterr()
    assert code != 0
    assert "Traceback" not in err and "Traceback" not in caplog.text
    # Progress lines end in "\r"; what is left after the last one is the verdict.
    lines = [line for line in err.split("\n") if line.strip() and "\r" not in line]
    assert len(lines) == 1, err
    assert lines[0].startswith("The disk is full: free about ")
    assert "resumes where it stopped" in lines[0]
    for text in (out, err, caplog.text):
        assert "INSERT" not in text and "[SQL" not in text
        leaked = [t for t in member_texts(sandbox) if t in text]
        assert not leaked, leaked[:5]


def test_a_sync_that_fills_the_disk_resumes_where_it_stopped_once_there_is_room(
    sandbox: SandboxProcess, small_disk: SmallDisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Members come in one page here; awards in several.
    pages = fill_when_written(small_disk, monkeypatch, "awards", after_pages=SLICES)
    community = Community(sandbox.url, Endpoint(sandbox.url, sandbox.tokens["moderator"]))
    reached: list[SyncProgress] = []
    try:
        with pytest.raises(Exception) as raised:
            community.sync(progress=reached.append)
        folder = community.cache.directory
        needed = failures.space_for_sync(folder, reached[-1].done, reached[-1].total)
        failure = failures.describe(raised.value, failures.SYNC, folder=folder, space_needed=needed)
        assert failure.kind is FailureKind.DISK_FULL, failure
        assert failure.message.startswith("The disk is full: free about ")
        assert failure.message.endswith(" MB and BadgeDesk resumes the sync where it stopped.")
        # One page of awards was stored before the disk filled; it stays. The next page's
        # transaction (its slices, or some of them) failed whole.
        assert len(pages) > SLICES
        stored = community.cache.counts()
        assert stored.members == SMALL and stored.awards == sum(pages[:SLICES])

        small_disk.free()
        resumed: list[SyncProgress] = []
        result = community.sync(progress=resumed.append)
        # It went on from the page after the one stored, not from the start.
        assert resumed[0].phase == "awards" and resumed[0].done == reached[-1].done > 0
        assert result.full
        counts = community.cache.counts()
        with server_db(sandbox) as db:
            awards = db.execute("SELECT count(*) FROM awards WHERE revoked_at IS NULL").fetchone()[0]
        assert counts.members == SMALL and counts.awards == awards
        assert community.sync().items == 0  # nothing left over
    finally:
        community.close()


def plan_awards(community: Community, size: int) -> tuple[int, list[int]]:
    """A published badge and ``size`` active members who lack it."""
    [(badge_id, members)] = plan_trials(community.cache, 1, size)
    return badge_id, members


def test_sending_on_a_full_disk_stops_and_then_sends_everything_exactly_once(
    sandbox: SandboxProcess, small_disk: SmallDisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    community = Community(sandbox.url, Endpoint(sandbox.url, sandbox.tokens["moderator"]))
    try:
        community.sync()
        badge_id, members = plan_awards(community, 400)
        community.outbox.queue_batch(ActionKind.AWARD, badge_id, members, reason="disk full test")
        # As after a restart: the write-ahead log starts empty, so sending must grow it.
        community.close()
        community = Community(sandbox.url, Endpoint(sandbox.url, sandbox.tokens["moderator"]))
        confirmed: list[int] = []
        filled = threading.Event()
        requests: list[int] = []
        post = awards.post

        def held_post(writer: AwardWriter, given: Sequence[AwardItem | RevokeItem]) -> list[ItemResult]:
            # Batches go several at once and their answers are stored together: all but the
            # first two wait for the fill, so that answers are left to store on a full disk.
            requests.append(len(given))
            if len(requests) > 2:
                filled.wait(timeout=60)
            return post(writer, given)

        def progress(p: SendProgress) -> None:
            confirmed.append(p.done)
            if p.done and not filled.is_set():  # the first answers stored: the disk fills up
                small_disk.fill()
                filled.set()

        monkeypatch.setattr(awards, "post", held_post)
        with pytest.raises(Exception) as raised:
            community.send_outbox(retry=NO_RETRY, progress=progress)
        assert failures.classify(raised.value) is FailureKind.DISK_FULL
        # It stopped part of the way; nothing is lost: what was not confirmed is still unsent.
        assert 0 < max(confirmed) < 400, confirmed
        counts = community.outbox.counts()
        assert counts.get(ActionState.FAILED, 0) == 0
        assert counts[ActionState.DONE] == max(confirmed)
        assert sum(counts.values()) == 400

        small_disk.free()
        report = community.send_outbox(retry=NO_RETRY)
        assert report.failed == 0
        assert community.outbox.counts() == {ActionState.DONE: 400}
        rows = award_rows(sandbox, badge_id)
        assert set(rows) >= set(members)
        assert all(rows[m] == 1 for m in members)
    finally:
        community.close()


def test_sync_command_on_a_disk_too_full_for_a_cache_says_one_sentence(
    sandbox: SandboxProcess, small_disk: SmallDisk, capsys: pytest.CaptureFixture[str]
) -> None:
    TokenStore().set(sandbox.url, sandbox.tokens["moderator"])
    small_disk.fill()
    assert cli.main(["sync", "--server", sandbox.url]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        "The disk is full: free about 16 MB and run the sync again: it resumes where it stopped."
    ]
