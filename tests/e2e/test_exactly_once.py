"""Every award reaches the server exactly once: across SIGKILLs of the sender, and through faults.

Both tests run once per dialect (:mod:`tests.contract.dialects`): the v1
connector against the sandbox, the memory dialect, and the Discourse
connector against the sandbox's Discourse face.

The crash test runs the real sender (``send_worker.py``) in a subprocess and
kills it at random points of a batch, then lets it finish: ten trials of 1,000
awards, killed two to four times each, where a request carries a batch; where
the server takes one member per request (Discourse, which keeps no
idempotency keys), a 2,000-award batch killed at 20 points, once for a badge
that cannot be held twice and once for a ``multiple_grant`` badge (which
Discourse grants again when asked again: only reading first keeps it once).
The server's own tables are the witness: the awards it holds, how many award
rows each member got, and the idempotency keys it saw (where it keeps any).
The memory server runs inside the sender's process and dies with it; its
state file logs each write before the answer goes back, so what survives a
kill is what a real server's database would hold: the request applied with
its answer lost, or not applied at all.

The fault test sends 2,000 awards (for each kind of badge the server has)
through 25% injected faults: errors before anything is done, and requests
applied whose answer is lost (for Discourse, half of them drawn by the
sandbox, half by the harness's transport, which also answers 429s of both
Discourse shapes).
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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cache.database import Cache
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionState, BadgeState, MemberStatus
from desktop.net.ratecontrol import RateControl
from desktop.outbox import Outbox, RetryPolicy
from desktop.sync import SyncService

# Other tests read the sandbox's database through these names.
from tests.e2e.server_witness import active_holders, award_rows, idempotency_keys, server_db  # noqa: F401

if TYPE_CHECKING:
    from tests.contract.dialects import Harness

#: ``start_dialect``: each test runs once per dialect.
pytest_plugins = ("tests.contract.per_dialect",)

WORKER = Path(__file__).with_name("send_worker.py")
#: On the worker's path first, so it runs this checkout's code (and finds the memory dialect).
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class CrashPlan:
    """How the crash test treats a server: trials, their size, kills, and where they fall."""

    trials: int
    batch: int
    #: Kills per trial (lowest, highest).
    kills: tuple[int, int]
    #: A kill comes after a random number of answered chunks up to this.
    chunks: int
    #: Whether each trial takes a badge of another kind (held once, held several times) in turn.
    both_kinds: bool


#: Batches of up to 50 awards a request (v1, memory).
BATCHED = CrashPlan(trials=10, batch=1000, kills=(2, 4), chunks=1000 // 50 - 1, both_kinds=False)
#: One award a request and no idempotency keys (Discourse): 20 kills spread over each 2,000-award batch.
ONE_BY_ONE = CrashPlan(trials=2, batch=2000, kills=(20, 20), chunks=80, both_kinds=True)
#: The crash test's community: 2,000 active members must lack each badge of a one-by-one trial.
CRASH_MEMBERS = 2600


def crash_plan(capabilities: Capabilities) -> CrashPlan:
    return BATCHED if capabilities.batch_cap > 1 else ONE_BY_ONE


def plan_trials(
    cache: Cache, trials: int, size: int, *, both_kinds: bool = False
) -> Iterator[tuple[int, list[int]]]:
    """A published badge per trial and ``size`` active members who lack it; ``both_kinds``: a badge
    held once and a ``multiple_grant`` badge by turns."""
    active = [
        m.id for m in cache.members_by_ids(cache.member_ids()).values() if m.status is MemberStatus.ACTIVE
    ]
    badges = [b for b in cache.badges() if b.state is BadgeState.PUBLISHED]
    with cache.read() as connection:
        holders = {
            b.id: {
                r[0]
                for r in connection.exec_driver_sql(
                    "SELECT member_id FROM awards WHERE badge_id = ?", (b.id,)
                )
            }
            for b in badges
        }
    if both_kinds:
        # The least held of each kind, so a batch of 2,000 fits a community of a few thousand.
        by_holders = sorted(badges, key=lambda b: len(holders[b.id]))
        once = [b for b in by_holders if not b.multiple_grant]
        several = [b for b in by_holders if b.multiple_grant]
        assert once and several, "the server needs badges of both kinds"
        badges = [b for pair in zip(once, several, strict=False) for b in pair]
    assert len(badges) >= trials
    for badge in badges[:trials]:
        members = [m for m in active if m not in holders[badge.id]]
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
    server = start_dialect(members=CRASH_MEMBERS, seed=7, persistent=True)
    cache_path = tmp_path / "client"
    cache = Cache(cache_path)
    with closing(server.open()) as connector:
        SyncService(cache, connector).run()
        capabilities = Capabilities.of(connector)
    plan = crash_plan(capabilities)
    keyed = capabilities.delivery is Delivery.IDEMPOTENT
    outbox = Outbox(cache)
    rng = random.Random(20261123)
    kills = replayed = 0
    trials = plan_trials(cache, plan.trials, plan.batch, both_kinds=plan.both_kinds)
    for trial, (badge_id, members) in enumerate(trials):
        before = server.active_holders(badge_id)
        rows_before = server.award_rows(badge_id)
        keys_before = server.idempotency_keys()
        queued = outbox.queue_awards(members, badge_id, reason=f"trial {trial}", notify=False)
        keys = {a.idempotency_key for a in queued}
        for _ in range(rng.randint(*plan.kills)):
            Worker(cache_path, server).kill_after(rng.randint(0, plan.chunks), rng)
            kills += 1
        Worker(cache_path, server).finish()

        rows = server.award_rows(badge_id)
        assert server.active_holders(badge_id) == before | set(members)
        # The seed has revoked awards too: count only the rows this trial made.
        assert all(rows[m] - rows_before.get(m, 0) == 1 for m in members), "an award was applied twice"
        if keyed:
            new_keys = server.idempotency_keys() - keys_before
            assert new_keys == keys, "the sender made up a new key, or lost one"
        actions = outbox.actions(batch_id=None)
        mine = [a for a in actions if a.idempotency_key in keys]
        assert len(mine) == plan.batch
        assert {a.state for a in mine} == {ActionState.DONE}
        assert {a.outcome for a in mine} == {"awarded"}
        replayed += sum(bool(a.result and a.result.get("replayed")) for a in mine)
    cache.close()
    print(
        f"\n{server.kind}: {plan.trials} trials x {plan.batch} awards, {kills} kills,"
        f" {replayed} items answered by replay or confirmed by reading"
    )


def test_a_batch_through_faults_and_a_rate_limit_lands_exactly_once(
    start_dialect: Callable[..., Harness], tmp_path: Path
) -> None:
    server = start_dialect(fail_rate=0.25, fault_seed=5, rate=4, members=3200)
    cache = Cache(tmp_path / "client")
    # A first back-off of milliseconds, not a quarter second: a one-by-one writer meets
    # thousands of faults. Retry-After still rules (up to the usual two minutes).
    pacing = RateControl(first_backoff=0.005)
    # Sync through the same faults: the connector retries.
    with closing(server.open(rate_control=pacing)) as connector:
        SyncService(cache, connector).run()
        capabilities = Capabilities.of(connector)
    both_kinds = crash_plan(capabilities).both_kinds
    trials = list(plan_trials(cache, 2 if both_kinds else 1, 2000, both_kinds=both_kinds))
    outbox = Outbox(cache)
    # What the server answered while sending (the sync's answers left out).
    answered_before = Counter(server.hooks.statuses)
    batches_before = server.hooks.requests["award_batch"]
    lost_before = server.hooks.lost
    rounds = 0
    with closing(server.open(max_attempts=3, rate_control=pacing)) as connector:
        for trial, (badge_id, members) in enumerate(trials):
            before = server.active_holders(badge_id)
            rows_before = server.award_rows(badge_id)
            queued = outbox.queue_awards(members, badge_id, reason=f"faults {trial}", notify=False)
            while outbox.pending_count():
                rounds += 1
                assert rounds < 50, "the outbox does not drain"
                try:
                    outbox.send_pending(
                        connector,
                        batch_cap=min(50, capabilities.batch_cap),
                        retry=RetryPolicy(attempts=3, first_delay=0.05),
                    )
                except Exception as error:
                    print("round", rounds, type(error).__name__)
            rows = server.award_rows(badge_id)
            assert server.active_holders(badge_id) == before | set(members)
            assert all(rows[m] - rows_before.get(m, 0) == 1 for m in members), "an award was applied twice"
            if capabilities.delivery is Delivery.IDEMPOTENT:
                assert {a.idempotency_key for a in queued} <= server.idempotency_keys()
    assert {a.state for a in outbox.actions()} == {ActionState.DONE}
    # The faults really happened: refusals for the rate, and injected errors.
    statuses = Counter(server.hooks.statuses)
    statuses.subtract(answered_before)
    assert statuses[429] > 0 and statuses[503] > 0
    lost = server.hooks.lost - lost_before
    print(
        f"\n{len(trials)} x 2,000 awards through 25% faults ({server.kind}):"
        f" {server.hooks.requests['award_batch'] - batches_before} grant requests,"
        f" statuses {dict(+statuses)}, {lost} answers lost by the transport, {rounds} rounds"
    )
    cache.close()
