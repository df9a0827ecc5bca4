"""A hand-over whose revoke the server refuses: never a silent DONE, the mirror untouched."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.cache.database import Cache
from desktop.dialects.base import ItemResult, RevokeItem
from desktop.domain import ActionState, AwardOutcome, Drift
from desktop.outbox import Outbox
from desktop.outbox.kinds.handover import GRANT, step_of
from desktop.programs.titles import queue_handover
from tests.core.test_handover import FORMER, HERO, Forum, cache

__all__ = ["cache"]  # the fixture


class Refusing(Forum):
    """Refuses every revoke (as a server that will not take a grant away), or says it is gone."""

    def __init__(
        self, grants: dict[int, tuple[int, int]], outcome: AwardOutcome, drift: Drift | None
    ) -> None:
        super().__init__(grants)
        self.outcome = outcome
        self.drift = drift
        self.refuse = True

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
        if not self.refuse:
            return super().revoke_batch(items)
        [item] = items
        self.calls.append(f"revoke {item.award_id}")
        return [ItemResult(item.idempotency_key, self.outcome, None, False, self.drift)]


def _holders(cache: Cache) -> list[int]:
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT member_id FROM awards WHERE badge_id = ? ORDER BY member_id", (HERO,)
        ).fetchall()
    return [r[0] for r in rows]


def test_a_refused_revoke_fails_the_hand_over_with_the_servers_words(cache: Cache) -> None:
    outbox = Outbox(cache)
    queue_handover(outbox, HERO, 2)
    forum = Refusing({7: (1, HERO)}, AwardOutcome.MEMBER_SUSPENDED, Drift.MEMBER_SUSPENDED)
    report = outbox.send_pending(forum)
    assert report.applied == 0 and report.failed == 1
    [action] = outbox.actions()
    assert action.state is ActionState.FAILED
    assert step_of(action) == GRANT  # the alumni badge and the new grant stay confirmed
    assert action.last_error == (
        "The server did not revoke @m1's grant (member suspended): both @m1 and @m2 hold it now."
    )
    # Two holders on the server, and the mirror says so (nothing cleared).
    assert forum.holders(HERO) == [1, 2]
    assert _holders(cache) == [1, 2]
    # Sent again once the server takes it: only the revoke is left, and it is done.
    forum.refuse = False
    outbox.retry_failed([action.id])
    calls = len(forum.calls)
    assert outbox.send_pending(forum).applied == 1
    assert forum.calls[calls:] == ["read", "revoke 7"]
    assert forum.holders(HERO) == [2] and forum.holders(FORMER) == [1]
    assert _holders(cache) == [2]


def test_a_grant_already_gone_is_done(cache: Cache) -> None:
    # Discourse's 404 on the DELETE: the grant is no more, which is what the step wanted.
    outbox = Outbox(cache)
    queue_handover(outbox, HERO, 2)
    forum = Refusing({7: (1, HERO)}, AwardOutcome.NOT_HELD, Drift.NOT_HELD)
    assert outbox.send_pending(forum).applied == 1
    [action] = outbox.actions()
    assert action.state is ActionState.DONE
    assert _holders(cache) == [2]
