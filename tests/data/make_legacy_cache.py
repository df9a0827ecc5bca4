"""Makes ``legacy_cache_0004.sqlite3``: a one-file cache as BadgeDesk wrote it before the
mirror/work split (commit 54a3319, schema revision 0004), with the user's work in it.

Run with that commit's code on the path (``git worktree add /tmp/old 54a3319``, then
``PYTHONPATH=/tmp/old python tests/data/make_legacy_cache.py OUT``). The split migration's
test opens the result and counts every action, batch, draft and preference.

Contents: 20 members, 2 badges, 300 pending awards (batch "b-pending"), 7 held awards,
5 failed awards, 3 done awards, one draft with its unsent save, the community's default
award message, the moderator's name and the outbox paused.
"""

from __future__ import annotations

import dataclasses
import sys
from datetime import UTC, datetime
from pathlib import Path

from desktop.cache.database import Cache
from desktop.domain import ActionKind, Award, Badge, BadgeState, Member, MemberStatus
from desktop.outbox import Outbox

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def main(out: Path) -> None:
    cache = Cache(out)
    with cache.write() as connection:
        Cache.upsert_members(
            connection,
            [
                Member(
                    i, f"user{i}", f"Member {i}", f"user{i}@example.org", T0, None, MemberStatus.ACTIVE, ()
                )
                for i in range(1, 401)
            ],
        )
        Cache.upsert_badges(
            connection,
            [
                Badge(
                    b,
                    f"b{b}",
                    f"Badge {b}",
                    "d",
                    "",
                    "",
                    "",
                    BadgeState.PUBLISHED,
                    "Hi",
                    1,
                    b"<svg/>",
                    "image/svg+xml",
                )
                for b in (1, 2)
            ],
        )
        Cache.upsert_awards(connection, [Award(1, 1, 2, T0, "Alice Moderator", "")])
        Cache.set_sync_state(
            connection,
            {
                "last_sync_at": "2024-05-01T12:00:00Z",
                "changes.cursor": "42",
                "me.name": "Alice Moderator",
                "award_message_default": "Well done {member}!",
                "community_name": "Legacy community",
            },
        )
    outbox = Outbox(cache)
    outbox.queue_batch(ActionKind.AWARD, 1, list(range(1, 301)), reason="pending", source="pasted list")
    held = outbox.queue(
        ActionKind.AWARD, [{"member_id": i, "badge_id": 2, "reason": "h"} for i in range(301, 308)]
    )
    failed = outbox.queue(
        ActionKind.AWARD, [{"member_id": i, "badge_id": 2, "reason": "f"} for i in range(308, 313)]
    )
    done = outbox.queue(
        ActionKind.AWARD, [{"member_id": i, "badge_id": 2, "reason": "d"} for i in range(313, 316)]
    )
    with cache.write() as connection:
        for action in held:
            connection.exec_driver_sql(
                "UPDATE actions SET state='held', hold_reason='member_suspended' WHERE id=?", (action.id,)
            )
        for action in failed:
            connection.exec_driver_sql(
                "UPDATE actions SET state='failed', outcome='refused', last_error='HTTP 422' WHERE id=?",
                (action.id,),
            )
        for action in done:
            connection.exec_driver_sql(
                "UPDATE actions SET state='done', outcome='awarded', result='{}' WHERE id=?", (action.id,)
            )
    outbox.set_paused(True)
    from desktop.designer.drafts import BadgeDrafts

    drafts = BadgeDrafts(cache, outbox)
    draft = drafts.new()
    draft = dataclasses.replace(
        draft, meta=dataclasses.replace(draft.meta, title="Legacy draft", description="Kept across the split")
    )
    drafts.save(draft)
    with cache.write() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    cache.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
