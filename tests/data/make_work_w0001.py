"""Makes ``work_w0001.sqlite3``: a profile's work file as BadgeDesk wrote it at work
revision w0001 (commit 8deaaa7, before actions had a typed draft column), with every
kind of action in every state a user can leave behind.

Run with that commit's code on the path (``git worktree add /tmp/w1 8deaaa7``, then
``PYTHONPATH=/tmp/w1 python tests/data/make_work_w0001.py OUT_DIR``); it writes
``OUT_DIR/work.sqlite3``. The migration test upgrades a copy and checks every action.

Contents: a batch of 40 pending awards, 6 held awards, 4 failed awards, 3 awards in flight
(sending, claimed by a sender that is gone), 2 pending revokes, 2 done awards, a pending
decision, a decision in conflict, two drafts (one saved twice: its unsent save was
replaced), a badge state change, the moderator's name and the default award message.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from desktop.cache.database import Cache
from desktop.designer.drafts import BadgeDrafts
from desktop.domain import ActionKind, BadgeState, Decision
from desktop.outbox import Outbox

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def main(out: Path) -> None:
    profile = Path(tempfile.mkdtemp()) / "profile"
    cache = Cache(profile)
    outbox = Outbox(cache, actor="Alice Moderator")
    outbox.remember_actor("Alice Moderator")
    outbox.queue_batch(ActionKind.AWARD, 1, list(range(1, 41)), reason="speakers", source="pasted list")
    held = outbox.queue_awards(range(41, 47), 2, reason="held")
    failed = outbox.queue_awards(range(47, 51), 2, reason="failed")
    sending = outbox.queue_awards(range(51, 54), 2, reason="in flight")
    outbox.queue_revokes([54, 55], 2, reason="left")
    done = outbox.queue_awards([56, 57], 2, reason="done")
    outbox.queue_decision(7, 1, Decision.APPROVE, member_id=58, badge_id=3)
    conflict = outbox.queue_decision(8, 2, Decision.DENY, reason="Criteria not met", member_id=59, badge_id=3)
    outbox.queue(ActionKind.BADGE_STATE, [{"badge_id": 2, "state": BadgeState.DISABLED.value, "version": 3}])
    drafts = BadgeDrafts(cache, outbox)
    drafts.set_default_message("Well done {member}!")
    for title in ("First draft", "Second draft"):
        draft = drafts.new()
        draft = dataclasses.replace(
            draft, meta=dataclasses.replace(draft.meta, title=title, description=f"{title} kept")
        )
        draft = drafts.save(draft).draft
    # Saved again: the unsent save is replaced, not queued twice.
    drafts.save(dataclasses.replace(draft, meta=dataclasses.replace(draft.meta, description="Edited")))
    with cache.write() as connection:
        run = connection.exec_driver_sql
        for action in held:
            run("UPDATE actions SET state='held', hold_reason='member_suspended' WHERE id=?", (action.id,))
        for action in failed:
            run(
                "UPDATE actions SET state='failed', outcome='refused', last_error='HTTP 422' WHERE id=?",
                (action.id,),
            )
        for action in sending:
            run(
                "UPDATE actions SET state='sending', attempts=1, claimed_by='gone:1:dead', lease_until=1"
                " WHERE id=?",
                (action.id,),
            )
        for action in done:
            run("UPDATE actions SET state='done', outcome='awarded', result='{}' WHERE id=?", (action.id,))
        run(
            "UPDATE actions SET state='conflict', outcome='conflict', hold_reason='decided_elsewhere'"
            " WHERE id=?",
            (conflict.id,),
        )
    cache.close()
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(profile / "work.sqlite3", out / "work_w0001.sqlite3")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
