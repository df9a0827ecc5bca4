"""Senders' claims on actions: who is sending an action, until when.

Several senders may work on one profile (two windows, two processes): an
action is *claimed* in the same atomic ``UPDATE … RETURNING`` that marks it
in flight, with the sender's name and a lease. No sender sends an action
another one holds a live claim on, so no two ever send the same action. A
claim of a sender that died (its process is gone, or its lease ran out) is
taken over, with the same keys.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, case

from desktop.cache import schema
from desktop.domain import ActionState

_TABLE = schema.actions
_UNSENT = [state.value for state in ActionState if state.unsent]
_HOST = socket.gethostname()
#: How long a claim holds without being renewed (each attempt renews it). Longer
#: than one attempt can take (the HTTP session's own retries and Retry-After waits).
CLAIM_LEASE = 900


def new_owner() -> str:
    """A sender's name in its claims: the machine, the process, and this sender."""
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_alive(owner: str) -> bool:
    """Whether the sender named ``owner`` may still be running (see :func:`new_owner`)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != _HOST or not pid_text.isdigit():
        return True  # another machine's sender: only its lease tells
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: Ids per statement: well under SQLite's limit on bound values, however many runs are claimed.
_SLICE = 500
# Plain SQL: SQLAlchemy rendered the expanding list of ids anew for every claim,
# which cost more CPU than storing the answers.
_CLAIM = (
    "UPDATE actions SET state = ?, attempts = attempts + 1, sent_at = COALESCE(sent_at, ?),"
    " updated_at = ?, claimed_by = ?, lease_until = ?"
    " WHERE id IN ({ids}) AND state IN ({unsent})"
    # A claim counts only while its action is in flight: one made pending
    # again (retry, apply anyway) is free; so is one of a sender found dead.
    " AND (state != ? OR claimed_by IS NULL OR claimed_by = ? OR lease_until < ? OR claimed_by IN ({dead}))"
    " RETURNING id"
)


def claim(
    connection: Connection, action_ids: Sequence[int], owner: str, dead_owners: Iterable[str], now: int
) -> set[int]:
    """Claim actions and mark them in flight; returns those now held.

    An action is claimed only while it is unsent and nobody else holds a live
    claim on it: the user may have discarded some since they were read, or
    another sender claimed them. Each statement is atomic (``UPDATE … RETURNING``).
    """
    ids = list(action_ids)
    dead = sorted(dead_owners)
    sending = ActionState.SENDING.value
    held: set[int] = set()
    for start in range(0, len(ids), _SLICE):
        part = ids[start : start + _SLICE]
        statement = _CLAIM.format(ids=_marks(len(part)), unsent=_marks(len(_UNSENT)), dead=_marks(len(dead)))
        marked = connection.exec_driver_sql(
            statement,
            (sending, now, now, owner, now + CLAIM_LEASE, *part, *_UNSENT, sending, owner, now, *dead),
        )
        held.update(row[0] for row in marked.fetchall())
    return held


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def renew(connection: Connection, action_ids: Sequence[int], owner: str, now: int) -> bool:
    """Extend ``owner``'s lease before another attempt; False when it lost any of them."""
    renewed = connection.execute(
        _TABLE.update()
        .where(_TABLE.c.id.in_(list(action_ids)), _TABLE.c.claimed_by == owner)
        .values(lease_until=now + CLAIM_LEASE)
    ).rowcount
    return bool(renewed) and renewed == len(action_ids)


def release(connection: Connection, action_ids: Sequence[int], owner: str) -> None:
    """Give up the claim on actions whose answer is unknown: any sender may resume them."""
    connection.execute(
        _TABLE.update()
        .where(_TABLE.c.id.in_(list(action_ids)), _TABLE.c.claimed_by == owner)
        .values(claimed_by=None, lease_until=None)
    )


def unsend(connection: Connection, action_ids: Sequence[int], owner: str) -> None:
    """Make claimed actions pending again: only when the request is known not to have gone (refused,
    or never sent), so that they are sent later without asking the server first."""
    connection.execute(
        _TABLE.update()
        .where(
            _TABLE.c.id.in_(list(action_ids)),
            _TABLE.c.claimed_by == owner,
            _TABLE.c.state == ActionState.SENDING.value,
        )
        .values(state=ActionState.PENDING.value, claimed_by=None, lease_until=None)
    )


def take_back(connection: Connection, action_ids: Sequence[int], owner: str) -> None:
    """Undo claims whose request never left (queued behind others when the run stopped):
    pending again as before the claim, so they count as never sent (checked for drift first)."""
    connection.execute(
        _TABLE.update()
        .where(
            _TABLE.c.id.in_(list(action_ids)),
            _TABLE.c.claimed_by == owner,
            _TABLE.c.state == ActionState.SENDING.value,
        )
        .values(
            state=ActionState.PENDING.value,
            claimed_by=None,
            lease_until=None,
            attempts=_TABLE.c.attempts - 1,
            sent_at=case((_TABLE.c.attempts == 1, None), else_=_TABLE.c.sent_at),
        )
    )
