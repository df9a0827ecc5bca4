"""A title handed over exactly once across a SIGKILL at each of 20 points, on every dialect.

A one-holder badge moves down a chain of members, one hand-over per point: the
real sender (``handover_worker.py``) is killed at the point (before or after
each request of the hand-over, after each committed write: between steps and
after the last), then a sender runs it to the end. The server's own tables are
the witness: the badge has exactly one holder (the new one), the previous
holder got the alumni badge once and the new one the badge once. The alumni
badge is one that can be held several times where the server has such badges
(Discourse grants those again when asked again: only reading first keeps it once).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cache.database import Cache
from desktop.dialects.base import AwardItem, RevokeItem
from desktop.domain import ActionKind, ActionState, BadgeState, MemberStatus
from desktop.outbox import Outbox
from desktop.programs.titles import OneHolderBadges, queue_handover
from desktop.sync import SyncService
from tests.contract.conftest import key

if TYPE_CHECKING:
    from tests.contract.dialects import Harness

pytest_plugins = ("tests.contract.per_dialect",)

WORKER = Path(__file__).with_name("handover_worker.py")
ROOT = Path(__file__).resolve().parents[2]
POINTS = 20


def _run(cache_path: Path, server: Harness, point: int) -> subprocess.CompletedProcess[str]:
    address, extra = server.worker_args()
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, str(WORKER), str(cache_path), address, str(point)],
        capture_output=True,
        text=True,
        env={**os.environ, **extra, "PYTHONPATH": path},
        timeout=120,
    )


def test_a_hand_over_killed_at_each_of_20_points_moves_the_title_exactly_once(
    start_dialect: Callable[..., Harness], tmp_path: Path
) -> None:
    server = start_dialect(members=300, seed=3, persistent=True)
    cache_path = tmp_path / "client"
    cache = Cache(cache_path)
    with closing(server.open()) as session:
        SyncService(cache, session).run()
        badges = [b for b in cache.badges() if b.state is BadgeState.PUBLISHED]
        with cache.read() as connection:
            held = {
                b.id: {
                    r[0]
                    for r in connection.exec_driver_sql(
                        "SELECT member_id FROM awards WHERE badge_id = ?", (b.id,)
                    )
                }
                for b in badges
            }
        by_holders = sorted(badges, key=lambda b: len(held[b.id]))
        title = next(b for b in by_holders if not b.multiple_grant)
        alumni = next((b for b in by_holders if b.multiple_grant), None) or next(
            b for b in by_holders if b.id != title.id
        )
        members = cache.members_by_ids(cache.member_ids())
        chain = [
            m
            for m in sorted(members)
            if members[m].status is MemberStatus.ACTIVE and m not in held[title.id] | held[alumni.id]
        ][: POINTS + 1]
        # The title starts with one holder, the chain's first: the others' grants revoked.
        with cache.read() as connection:
            grants = connection.exec_driver_sql(
                "SELECT id, member_id FROM awards WHERE badge_id = ?", (title.id,)
            ).fetchall()
        for grant_id, member_id in grants:
            username = members[member_id].username if member_id in members else ""
            session.writer.revoke_batch(
                [RevokeItem(key(), member_id, title.id, username=username, award_id=grant_id)]
            )
        session.writer.award_batch(
            [AwardItem(key(), chain[0], title.id, username=members[chain[0]].username)]
        )
        SyncService(cache, session).run()
    assert server.active_holders(title.id) == {chain[0]}
    OneHolderBadges(cache).mark(title.id, alumni.id)
    outbox = Outbox(cache)
    killed = 0
    for point in range(POINTS):
        previous, new = chain[point], chain[point + 1]
        alumni_rows = server.award_rows(alumni.id).get(previous, 0)
        title_rows = server.award_rows(title.id).get(new, 0)
        action = queue_handover(outbox, title.id, new)
        first = _run(cache_path, server, point)
        if first.returncode == -signal.SIGKILL:
            killed += 1
        else:
            assert first.returncode == 0, first.stderr[-2000:]
        second = _run(cache_path, server, -1)
        assert second.returncode == 0, second.stderr[-2000:]
        [done] = [a for a in outbox.actions() if a.id == action.id]
        where = f"point {point}: {done.state} {done.last_error or ''}"
        assert (done.kind, done.state) == (ActionKind.HANDOVER, ActionState.DONE), where
        assert server.active_holders(title.id) == {new}, where
        assert server.award_rows(alumni.id).get(previous, 0) - alumni_rows == 1, where
        assert server.award_rows(title.id).get(new, 0) - title_rows == 1, where
    # Every point fell inside a hand-over (none ran to the end before its kill).
    assert killed == POINTS
    cache.close()
