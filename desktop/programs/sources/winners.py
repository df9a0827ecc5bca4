"""Who a program awarded in its last periods: the winners a ranking source may leave out.

Read from the work file's ``program_actions`` (an award queued for a member in a
period, and not discarded before it was sent), so "not the last K winners" counts
what the program really handed out, whatever the server holds.

Thread safety: a worker's (it reads the cache), never the GUI thread.
"""

from __future__ import annotations

from desktop.cache.database import Cache
from desktop.domain import ActionKind, ActionState

_RECENT = (
    "SELECT pa.member_id FROM program_actions pa LEFT JOIN actions a ON a.id = pa.action_id"
    " WHERE pa.program_id = ? AND pa.kind = ? AND (a.id IS NULL OR a.state != ?) AND pa.period_key IN ("
    "  SELECT DISTINCT period_key FROM program_actions"
    "  WHERE program_id = ? AND kind = ? AND period_key < ? ORDER BY period_key DESC LIMIT ?)"
)


def recent_winners(cache: Cache, program_id: int, period_key: str, periods: int) -> frozenset[int]:
    """The members the program awarded in its ``periods`` last periods before ``period_key``
    (period keys of one cadence sort as the calendar: "2026-W48" < "2026-W49")."""
    if periods <= 0:
        return frozenset()
    award = ActionKind.AWARD.value
    params = (program_id, award, ActionState.DISCARDED.value, program_id, award, period_key, periods)
    with cache.read() as connection:
        return frozenset(row[0] for row in connection.exec_driver_sql(_RECENT, params))


_SETTLED = (
    "SELECT DISTINCT pa.member_id FROM program_actions pa LEFT JOIN actions a ON a.id = pa.action_id"
    " WHERE pa.program_id = ? AND pa.kind = ? AND (a.id IS NULL OR a.state NOT IN (?, ?))"
)


def settled_members(cache: Cache, program_id: int) -> frozenset[int]:
    """The members the program has awarded in any period: queued, sending, sent, or waiting on
    the moderator; not those whose award was undone before it was sent, nor failed."""
    params = (program_id, ActionKind.AWARD.value, ActionState.DISCARDED.value, ActionState.FAILED.value)
    with cache.read() as connection:
        return frozenset(int(row[0]) for row in connection.exec_driver_sql(_SETTLED, params))
