"""Every award reaches the server exactly once: across SIGKILLs of the sender, and through faults.

Both tests run once per dialect (:mod:`tests.contract.dialects`): the v1
connector against the sandbox, and the memory dialect.

The crash test runs the real sender (``send_worker.py``) in a subprocess and
kills it at random points of a 1,000-award batch, several times per trial,
then lets it finish. The server's own tables are the witness: the awards it
holds, how many award rows each member got, and how many idempotency keys it
saw. The memory server runs inside the sender's process and dies with it; its
state file logs each write before the answer goes back, so what survives a
kill is what a real server's database would hold: the request applied with
its answer lost, or not applied at all.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cache.database import Cache
from desktop.domain import ActionState, BadgeState, MemberStatus
from desktop.outbox import Outbox, RetryPolicy
from desktop.sync import SyncService
from tests.e2e.conftest import SMALL

# Other tests read the sandbox's database through these names.
from tests.e2e.server_witness import active_holders, award_rows, idempotency_keys, server_db  # noqa: F401

if TYPE_CHECKING:
    from tests.contract.dialects import Harness

#: ``start_dialect``: each test runs once per dialect.
pytest_plugins = ("tests.contract.per_dialect",)

WORKER = Path(__file__).with_name("send_worker.py")
#: On the worker's path first, so it runs this checkout's code (and finds the memory dialect).
ROOT = Path(__file__).resolve().parents[2]
TRIALS = 10
BATCH = 1000


def plan_trials(cache: Cache, trials: int, size: int) -> Iterator[tuple[int, list[int]]]:
    """A published badge per trial and ``size`` active members who lack it."""
    active = [
        m.id for m in cache.members_by_ids(cache.member_ids()).values() if m.status is MemberStatus.ACTIVE
    ]
    badges = [b for b in cache.badges() if b.state is BadgeState.PUBLISHED]
    assert len(badges) >= trials
    with cache.read() as connection:
        for badge in badges[:trials]:
            holders = {
                r[0]
                for r in connection.exec_driver_sql(
                    "SELECT member_id FROM awards WHERE badge_id = ?", (badge.id,)
                )
            }
            members = [m for m in active if m not in holders]
            assert len(members) >= size
            yield badge.id, members[:size]


class Worker:
    def __init__(self, cache_path: Path, server: Harness) -> None:
        address, extra = server.worker_args()
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
        env = {**os.environ, **extra, "PYTHONPATH": path}
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(cache_path), address],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.proc.stdout is not None
        self.stdout = self.proc.stdout

    def kill_after(self, chunks: int, rng: random.Random) -> int:
        """SIGKILL after ``chunks`` answered chunks and a random few milliseconds (mid-request)."""
        answered = -1  # the first progress line comes before any request
        for line in self.stdout:
            if line.startswith("progress"):
                answered += 1
                if answered >= chunks:
                    break
            elif line.startswith("done"):
                break
        time.sleep(rng.uniform(0, 0.03))
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.stdout.close()
        assert self.proc.stderr is not None
        self.proc.stderr.close()
        return answered

    def finish(self) -> str:
        out, err = self.proc.communicate(timeout=120)
        assert self.proc.returncode == 0, err[-2000:]
        return out


def test_kill_the_sender_at_random_points_every_award_lands_once(
    start_dialect: Callable[..., Harness], tmp_path: Path
) -> None:
    server = start_dialect(members=SMALL, seed=7, persistent=True)
    cache_path = tmp_path / "client"
    cache = Cache(cache_path)
    with closing(server.open()) as connector:
        SyncService(cache, connector).run()
    outbox = Outbox(cache)
    rng = random.Random(20261123)
    kills = replayed = 0
    for trial, (badge_id, members) in enumerate(plan_trials(cache, TRIALS, BATCH)):
        before = server.active_holders(badge_id)
        rows_before = server.award_rows(badge_id)
        keys_before = server.idempotency_keys()
        queued = outbox.queue_awards(members, badge_id, reason=f"trial {trial}", notify=False)
        keys = {a.idempotency_key for a in queued}
        for _ in range(rng.randint(2, 4)):
            Worker(cache_path, server).kill_after(rng.randint(0, BATCH // 50 - 1), rng)
            kills += 1
        Worker(cache_path, server).finish()

        rows = server.award_rows(badge_id)
        assert server.active_holders(badge_id) == before | set(members)
        # The seed has revoked awards too: count only the rows this trial made.
        assert all(rows[m] - rows_before.get(m, 0) == 1 for m in members), "an award was applied twice"
        new_keys = server.idempotency_keys() - keys_before
        assert new_keys == keys, "the sender made up a new key, or lost one"
        actions = outbox.actions(batch_id=None)
        mine = [a for a in actions if a.idempotency_key in keys]
        assert len(mine) == BATCH
        assert {a.state for a in mine} == {ActionState.DONE}
        assert {a.outcome for a in mine} == {"awarded"}
        replayed += sum(bool(a.result and a.result.get("replayed")) for a in mine)
    cache.close()
    print(f"\n{TRIALS} trials x {BATCH} awards, {kills} kills, {replayed} items answered by replay")


def test_a_batch_through_faults_and_a_rate_limit_lands_exactly_once(
    start_dialect: Callable[..., Harness], tmp_path: Path
) -> None:
    server = start_dialect(fail_rate=0.25, fault_seed=5, rate=4, members=3200)
    cache = Cache(tmp_path / "client")
    # Sync through the same faults: the connector retries.
    with closing(server.open()) as connector:
        SyncService(cache, connector).run()
    [(badge_id, members)] = plan_trials(cache, 1, 2000)
    before = server.active_holders(badge_id)
    rows_before = server.award_rows(badge_id)
    outbox = Outbox(cache)
    queued = outbox.queue_awards(members, badge_id, reason="faults", notify=False)
    # What the server answered while sending (the sync's answers left out).
    answered_before = Counter(server.hooks.statuses)
    batches_before = server.hooks.requests["award_batch"]
    rounds = 0
    with closing(server.open(max_attempts=3)) as connector:
        while outbox.pending_count():
            rounds += 1
            assert rounds < 50, "the outbox does not drain"
            try:
                outbox.send_pending(connector, batch_cap=50, retry=RetryPolicy(attempts=3, first_delay=0.05))
            except Exception as error:
                print("round", rounds, type(error).__name__)
    rows = server.award_rows(badge_id)
    assert server.active_holders(badge_id) == before | set(members)
    assert all(rows[m] - rows_before.get(m, 0) == 1 for m in members)
    assert {a.state for a in outbox.actions()} == {ActionState.DONE}
    keys = {a.idempotency_key for a in queued}
    assert keys <= server.idempotency_keys()
    # The faults really happened: refusals for the rate, and injected errors.
    statuses = Counter(server.hooks.statuses)
    statuses.subtract(answered_before)
    assert statuses[429] > 0 and statuses[503] > 0
    print(
        f"\n2,000 awards through 25% faults ({server.kind}):"
        f" {server.hooks.requests['award_batch'] - batches_before} batch requests,"
        f" statuses {dict(+statuses)}, {rounds} rounds"
    )
    cache.close()
