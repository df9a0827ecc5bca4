"""The user's work and the mirror under failure, against the real sandbox over loopback:
a failed resync, two syncs and two senders on one profile."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.cancellation import Cancelled, CancelToken
from desktop.designer.drafts import KEY_DEFAULT_MESSAGE
from desktop.domain import ActionState
from desktop.net.errors import ApiError
from desktop.outbox import Outbox
from desktop.sandbox.process import SandboxProcess
from desktop.sync import KEY_CHANGES_CURSOR, NEXT_MIRROR_NAME, SyncBusy, SyncProgress, SyncService
from tests.e2e.conftest import SMALL, CountingTransport, connector_for
from tests.e2e.test_exactly_once import WORKER, plan_trials
from tests.e2e.test_sync import snapshot


def synced_with_a_refused_position(sandbox: SandboxProcess, cache: Cache) -> dict[str, Any]:
    """A fully synced cache whose position the server will refuse (as after a server restore)."""
    with connector_for(sandbox) as connector:
        SyncService(cache, connector).run()
    with cache.write() as connection:
        Cache.set_sync_state(connection, {KEY_CHANGES_CURSOR: "999999999"})
        Cache.set_preferences(connection, {KEY_DEFAULT_MESSAGE: "Well done {member}"})
    return snapshot(cache)


class FailingAfter(CountingTransport):
    """Real HTTP until ``pages`` member pages were served, then the server is gone."""

    def __init__(self, pages: int) -> None:
        super().__init__()
        self.pages = pages

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/members" and self.paths["/api/v1/members"] >= self.pages:
            raise httpx.ConnectError("the server went away", request=request)
        return super().handle_request(request)


@pytest.mark.parametrize("how", ["server gone", "cancelled"])
def test_a_failed_resync_leaves_the_mirror_exactly_as_it_was(
    sandbox: SandboxProcess, cache: Cache, how: str
) -> None:
    before = synced_with_a_refused_position(sandbox, cache)
    assert len(before["members"]) == SMALL
    cancel = CancelToken()

    def stop_in_members(progress: SyncProgress) -> None:
        if progress.phase == "members" and progress.done > 600 and how == "cancelled":
            cancel.cancel()

    transport = FailingAfter(3 if how == "server gone" else 10**6)
    with (
        connector_for(sandbox, transport=transport, max_attempts=1) as connector,
        pytest.raises((ApiError, Cancelled)),
    ):
        SyncService(cache, connector, page_size=200).run(progress=stop_in_members, cancel=cancel)
    assert transport.paths["/api/v1/members"] >= 3  # the resync really got under way
    assert snapshot(cache) == before  # every row, and the sync position
    assert cache.preferences()[KEY_DEFAULT_MESSAGE] == "Well done {member}"

    # The next sync goes on from where the resync stopped, then swaps the new mirror in.
    again = CountingTransport()
    with connector_for(sandbox, transport=again) as connector:
        result = SyncService(cache, connector, page_size=200).run()
    assert result.full and result.changes.reset
    assert again.paths["/api/v1/badges"] == 0  # badges were done before the failure
    assert not (cache.directory / NEXT_MIRROR_NAME).exists()
    assert cache.counts().members == SMALL
    assert cache.sync_state()[KEY_CHANGES_CURSOR] != "999999999"
    assert cache.preferences()[KEY_DEFAULT_MESSAGE] == "Well done {member}"
    # And it is a working position: an incremental sync follows.
    with connector_for(sandbox) as connector:
        assert not SyncService(cache, connector).run().full


def test_two_syncs_at_once_do_the_work_once(sandbox: SandboxProcess, tmp_path: Path) -> None:
    first_cache = Cache(tmp_path / "profile")
    second_cache = Cache(tmp_path / "profile")  # another window on the same profile
    tried: list[BaseException | None] = []
    started = threading.Event()

    def try_second_during_first(progress: SyncProgress) -> None:
        if progress.phase == "members" and not started.is_set():
            started.set()
            with connector_for(sandbox) as connector:
                try:
                    SyncService(second_cache, connector).run()
                    tried.append(None)
                except SyncBusy as error:
                    tried.append(error)

    first = CountingTransport()
    with connector_for(sandbox, transport=first) as connector:
        SyncService(first_cache, connector, page_size=500).run(progress=try_second_during_first)
    [error] = tried
    assert isinstance(error, SyncBusy)
    assert "Another BadgeDesk" in str(error)
    assert first_cache.counts().members == SMALL
    # Once the first is done, the second window syncs normally (incrementally).
    with connector_for(sandbox) as connector:
        assert not SyncService(second_cache, connector).run().full
    first_cache.close()
    second_cache.close()


def test_two_senders_on_one_profile_send_each_action_once(sandbox: SandboxProcess, tmp_path: Path) -> None:
    """Two processes send one outbox at the same time: each action is claimed by one of them,
    each reports only its own, and the server never sees a key twice."""
    profile = tmp_path / "profile"
    cache = Cache(profile)
    with connector_for(sandbox) as connector:
        SyncService(cache, connector).run()
    [(badge_id, members)] = plan_trials(cache, 1, 1000)
    outbox = Outbox(cache)
    queued = outbox.queue_awards(members, badge_id, reason="two senders", notify=False)
    env = {"SEND_WORKER_TOKEN": sandbox.tokens["moderator"], "PATH": ""}
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(profile), sandbox.url, "--cap", "10", "--wait"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**env, "PYTHONPATH": str(Path(__file__).parents[2])},
        )
        for _ in range(2)
    ]
    reports = []
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        # Both are ready: they start sending at the same moment.
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        for worker in workers:
            out, _ = worker.communicate(timeout=240)
            # 1: the outbox was not empty when it stopped (the other sender still held a chunk).
            assert worker.returncode in (0, 1), out
            [done] = [line for line in out.splitlines() if line.startswith("done ")]
            reports.append([int(n) for n in done.split()[1:]])
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    applied = [r[0] for r in reports]
    assert sum(applied) == len(queued), f"applied per sender: {applied}"
    assert min(applied) > 0, f"the senders did not overlap: {applied}"
    assert all(r[1:] == [0, 0, 0] for r in reports)
    actions = {a.id: a for a in outbox.actions()}
    mine = [actions[a.id] for a in queued]
    assert {a.state for a in mine} == {ActionState.DONE}
    # No answer was a replay: no key reached the server twice.
    assert not any(a.result and a.result.get("replayed") for a in mine)
    print(f"\n1,000 awards by two senders at once: {applied[0]} + {applied[1]}")
    cache.close()


def test_a_mirror_replaced_during_a_sync_is_not_written_by_it(
    sandbox: SandboxProcess, cache: Cache, tmp_path: Path
) -> None:
    """A damaged mirror set aside while a sync runs (another thread repaired it): the sync stops
    instead of marking a near-empty mirror as synced, and the next sync fills it whole."""
    from desktop.cache.storage import upgrade_mirror
    from desktop.sync import MirrorReplaced

    replaced: list[bool] = []

    def replace_in_members(progress: SyncProgress) -> None:
        if progress.phase == "members" and not replaced:
            replaced.append(True)
            fresh = tmp_path / "fresh.sqlite3"
            upgrade_mirror(fresh, cache.work_path)
            cache.replace_mirror(fresh)

    with connector_for(sandbox) as connector, pytest.raises(MirrorReplaced):
        SyncService(cache, connector, page_size=200).run(progress=replace_in_members)
    assert cache.sync_state() == {} and cache.counts().members == 0
    with connector_for(sandbox) as connector:
        assert SyncService(cache, connector).run().full
    assert cache.counts().members == SMALL


def test_a_resync_waits_to_swap_while_another_window_has_the_profile_open(
    sandbox: SandboxProcess, tmp_path: Path
) -> None:
    """Replacing the mirror under another open window would leave it writing to a deleted file:
    the complete copy waits, and the next sync with the profile to itself swaps it in at once."""
    from desktop.cache.database import ProfileInUse

    profile = tmp_path / "profile"
    cache = Cache(profile)
    before = synced_with_a_refused_position(sandbox, cache)
    other = Cache(profile)  # another window
    with connector_for(sandbox) as connector, pytest.raises(ProfileInUse):
        SyncService(cache, connector).run()
    assert snapshot(cache) == before and snapshot(other) == before
    other.close()
    again = CountingTransport()
    with connector_for(sandbox, transport=again) as connector:
        SyncService(cache, connector).run()
    assert again.paths["/api/v1/members"] == 0  # the complete copy was swapped in, not fetched again
    assert cache.counts().members == SMALL
    assert cache.sync_state()[KEY_CHANGES_CURSOR] != "999999999"
    cache.close()
