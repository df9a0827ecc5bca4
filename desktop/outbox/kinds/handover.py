"""A one-holder badge handed over: one action, three steps, each settled by reading first.

The payload (:func:`payload`) names the badge, its alumni badge (or none), the
previous holder as the cache knew them (or none) and the new holder. The steps
go in the order that can never leave the badge with nobody:

1. the previous holder gets the alumni badge (no step without either);
2. the new holder gets the badge;
3. the previous holder's grant is revoked (a grant already gone is done).

**Exactly once.** Before each step the server is read: the badge's holders,
and for step 1 whether the previous holder has the alumni badge already (the
writer's :meth:`~desktop.dialects.base.AwardWriter.confirm`). A step in effect
is recorded without a request; otherwise it is sent with a key made from the
action's (v1 answers a repeated key with its first result; Discourse has no
keys, but the read before the request finds what an interrupted try applied).
After each step the action's result keeps ``step`` (committed before the next
one starts), so a restart resumes where it stopped. Interrupted, the worst
state is two holders, never none.

**Never blindly.** A holder the cache did not know (someone handed the badge
over elsewhere) stops the action before any further request, as a conflict
the outbox shows ("Held by X on the server, not Y: nothing revoked"); so does
a new holder who lost the badge before the revoke (that revoke would leave
nobody). The user decides: skip it, or queue the hand-over again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.dialects.base import AwardItem, ItemResult, RevokeItem, ServerSession
from desktop.domain import Action, ActionState, Award, AwardOutcome, ChangeSet, utc_now
from desktop.drift import HoldReason
from desktop.i18n import _
from desktop.outbox.kinds.common import mirror
from desktop.outbox.store import actions as rows
from desktop.outbox.types import Tally

#: The steps, as kept in the action's result (``step``: the last one confirmed).
ALUMNI, GRANT, REVOKE = 1, 2, 3
#: How many holders one read asks for (a one-holder badge has one or two).
_PAGE = 50
#: Outcomes that mean the member holds the badge after an award.
_HELD = frozenset({AwardOutcome.AWARDED, AwardOutcome.ALREADY_HELD})
#: Outcomes that mean the grant is no more after a revoke (a grant already gone included).
_GONE = frozenset({AwardOutcome.REVOKED, AwardOutcome.NOT_HELD})


def payload(
    badge_id: int,
    alumni_badge_id: int | None,
    previous: tuple[int, str, int | None] | None,
    new: tuple[int, str],
    reason: str = "",
) -> dict[str, Any]:
    """What one hand-over carries. ``previous``: (member id, username, grant id) as the cache
    knows them, None when the badge has no holder; ``new``: (member id, username)."""
    if previous is not None and previous[0] == new[0]:
        raise ValueError("The new holder already holds the badge")
    return {
        "badge_id": badge_id,
        "alumni_badge_id": alumni_badge_id,
        "previous_id": None if previous is None else previous[0],
        "previous_username": "" if previous is None else previous[1],
        "previous_award_id": None if previous is None else previous[2],
        "member_id": new[0],
        "username": new[1],
        "reason": reason,
    }


def step_of(action: Action) -> int:
    """The last step the server confirmed (0: none yet)."""
    return int((action.result or {}).get("step", 0))


def send(cache: Cache, session: ServerSession, action: Action, tally: Tally) -> None:
    """Carry out the steps not yet confirmed, each after reading the server; store how it ended."""
    p = action.payload
    badge_id = int(p["badge_id"])
    new_id = int(p["member_id"])
    previous: int | None = None if p.get("previous_id") is None else int(p["previous_id"])
    alumni = p.get("alumni_badge_id")
    step = step_of(action)
    result: dict[str, Any] = dict(action.result or {})
    writer = session.writer
    key = action.idempotency_key
    while step < REVOKE:
        holders = read_holders(session, badge_id)
        stop = _stranger(cache, holders, previous, new_id, step)
        if stop is not None:
            _conflict(cache, action, result, stop, tally)
            return
        if step < ALUMNI:
            if alumni is not None and previous is not None:
                item = AwardItem(
                    f"{key}:alumni",
                    previous,
                    int(alumni),
                    reason=str(p.get("reason", "")),
                    username=str(p.get("previous_username", "")),
                )
                answer = writer.confirm(item) or writer.award_batch([item])[0]
                if answer.outcome not in _HELD:
                    _fail(cache, action, result, _refused(answer, "alumni"), tally)
                    return
                result["alumni_award_id"] = None if answer.award is None else answer.award.id
                _mirror_award(cache, answer.award)
            step = ALUMNI
        elif step < GRANT:
            if new_id not in holders:
                item = AwardItem(
                    f"{key}:grant",
                    new_id,
                    badge_id,
                    reason=str(p.get("reason", "")),
                    username=str(p.get("username", "")),
                )
                answer = writer.award_batch([item])[0]
                if answer.outcome not in _HELD:
                    _fail(cache, action, result, _refused(answer, "grant"), tally)
                    return
                _mirror_award(cache, answer.award)
                if answer.award is not None:
                    result["award_id"] = answer.award.id
            else:
                # Granted by an earlier try whose answer was lost (or elsewhere): the mirror learns it.
                result["award_id"] = holders[new_id][0].id
                _mirror_award(cache, holders[new_id][0])
            step = GRANT
        else:
            grants = [] if previous is None else holders.get(previous, [])
            for grant in grants:
                gone = RevokeItem(
                    f"{key}:revoke:{grant.id}",
                    grant.member_id,
                    badge_id,
                    reason=str(p.get("reason", "")),
                    username=str(p.get("previous_username", "")),
                    award_id=grant.id,
                )
                [answer] = writer.revoke_batch([gone])
                # Revoked, or already gone (Discourse's 404): either way the grant is no more.
                if answer.outcome not in _GONE:
                    # Refused: two members hold it; the mirror says so until the step is done.
                    why = _revoke_refused(cache, answer, grant.member_id, new_id)
                    _fail(cache, action, result, why, tally)
                    return
            if previous is not None:
                _mirror_revoke(cache, previous, badge_id)
            step = REVOKE
        result["step"] = step
        if step < REVOKE:
            with cache.write() as connection:
                rows.note_progress(connection, action.id, result, to_epoch(utc_now()))
    now = to_epoch(utc_now())
    with cache.write() as connection:
        rows.store_result(connection, action.id, ActionState.DONE, "handed_over", None, result, now)
    tally.applied += 1
    members = {new_id} if previous is None else {new_id, previous}
    tally.changed(ChangeSet(members=frozenset(members), awards=True, outbox=True))


def read_holders(session: ServerSession, badge_id: int) -> dict[int, list[Award]]:
    """Every grant of the badge on the server now, by member (newest grant first)."""
    found: dict[int, list[Award]] = {}
    cursor: str | None = None
    while True:
        page = session.directory.awards(cursor, _PAGE, badge_id=badge_id)
        for award in page.items:
            if award.badge_id == badge_id:
                found.setdefault(award.member_id, []).append(award)
        cursor = page.next_cursor
        if not cursor or not page.items:
            break
    for grants in found.values():
        grants.sort(key=lambda a: (a.granted_at, a.id), reverse=True)
    return found


def _stranger(
    cache: Cache, holders: dict[int, list[Award]], previous: int | None, new_id: int, step: int
) -> str | None:
    """Why the hand-over must stop before its next step (None: go on), in words for the user."""
    expected = {new_id} if previous is None else {new_id, previous}
    others = sorted(set(holders) - expected)
    if others:
        names = ", ".join(_names(cache, others))
        if previous is None:
            return _(
                "Held by {holders} on the server, though the cache showed no holder: nothing sent."
            ).format(holders=names)
        return _("Held by {holders} on the server, not {previous}: nothing revoked.").format(
            holders=names, previous=_names(cache, [previous])[0]
        )
    if previous is not None and step < GRANT and not holders:
        # Taken away elsewhere: handing over what nobody holds is the user's call.
        return _("Nobody holds it on the server, not {previous}: nothing revoked.").format(
            previous=_names(cache, [previous])[0]
        )
    if step >= GRANT and new_id not in holders:
        # Revoking now would leave nobody.
        return _("{member} no longer holds it on the server: nothing revoked.").format(
            member=_names(cache, [new_id])[0]
        )
    return None


def _names(cache: Cache, member_ids: Iterable[int]) -> list[str]:
    """How the cache names each member ("@name"), or by number where it does not know them."""
    ids = list(member_ids)
    with cache.read() as connection:
        known: dict[int, str] = dict(
            connection.exec_driver_sql(
                f"SELECT id, username FROM members WHERE id IN ({','.join('?' * len(ids))})", tuple(ids)
            ).fetchall()
        )
    return [f"@{known[m]}" if known.get(m) else _("member #{id}").format(id=m) for m in ids]


def _refused(answer: ItemResult, which: str) -> str:
    outcome = answer.outcome.value.replace("_", " ")
    if which == "alumni":
        return _(
            "The server did not give the previous holder the alumni badge ({outcome}): nothing revoked."
        ).format(outcome=outcome)
    return _("The server did not give the new holder the badge ({outcome}): nothing revoked.").format(
        outcome=outcome
    )


def _revoke_refused(cache: Cache, answer: ItemResult, previous: int, new_id: int) -> str:
    outcome = answer.outcome.value.replace("_", " ")
    if answer.condition is not None and answer.condition.value != answer.outcome.value:
        outcome = f"{outcome}, {answer.condition.value.replace('_', ' ')}"
    old, new = _names(cache, [previous, new_id])
    return _(
        "The server did not revoke {previous}'s grant ({outcome}): both {previous} and {member} hold it now."
    ).format(previous=old, outcome=outcome, member=new)


def _conflict(cache: Cache, action: Action, result: dict[str, Any], why: str, tally: Tally) -> None:
    now = to_epoch(utc_now())
    with cache.write() as connection:
        rows.store_result(
            connection,
            action.id,
            ActionState.CONFLICT,
            "conflict",
            HoldReason.TITLE_HELD_ELSEWHERE,
            result,
            now,
        )
        connection.exec_driver_sql("UPDATE actions SET last_error = ? WHERE id = ?", (why, action.id))
    tally.conflicts += 1
    tally.changed(ChangeSet(outbox=True))


def _fail(cache: Cache, action: Action, result: dict[str, Any], why: str, tally: Tally) -> None:
    with cache.write() as connection:
        rows.note_progress(connection, action.id, result, to_epoch(utc_now()))
        rows.mark_failed(connection, [action.id], why)
    tally.failed += 1
    tally.changed(ChangeSet(outbox=True))


def _mirror_award(cache: Cache, award: Award | None) -> None:
    if award is not None:
        mirror(cache, lambda connection: Cache.upsert_awards(connection, [award]))


def _mirror_revoke(cache: Cache, member_id: int, badge_id: int) -> None:
    def write(connection: Any) -> None:
        connection.exec_driver_sql(
            "DELETE FROM awards WHERE member_id = ? AND badge_id = ?", (member_id, badge_id)
        )

    mirror(cache, write)


def describe(p: dict[str, Any]) -> str:
    """One line for the audit log."""
    new = f"@{p.get('username')}" if p.get("username") else _("member #{id}").format(id=p.get("member_id"))
    if p.get("previous_id") is None:
        return _("handed to {member}, who had no predecessor").format(member=new)
    old = (
        f"@{p.get('previous_username')}"
        if p.get("previous_username")
        else _("member #{id}").format(id=p.get("previous_id"))
    )
    return _("handed over from {previous} to {member}").format(previous=old, member=new)


__all__ = ["ALUMNI", "GRANT", "REVOKE", "describe", "payload", "read_holders", "send", "step_of"]
