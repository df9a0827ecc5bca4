"""Taking back: a decision (dropped unsent, or its award revoked), and reversals the sender resolves.

A reversal names the action it reverses (``undo_of_action``). It waits while
that action has no answer yet, and is dropped when that action turned out to
change nothing: an undo never takes away what the user did not give.

An approval reverted (its award's revoke confirmed) can be approved again.
The request stays decided on the server, which cannot take a second decision
on it, so what is sent is what the server allows: the award, linked to the
approval (``again_by``) so the queue shows it on the card and undo takes it
back like the approval's own. The chain stays two links long: the approval's
latest revoke (``undone_by``) and, after it, its latest award (``again_by``).
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, RowMapping

from desktop.cache.database import Cache
from desktop.domain import Action, ActionKind, ActionState, Decision
from desktop.i18n import _
from desktop.outbox import holds
from desktop.outbox.store import actions as rows
from desktop.outbox.types import APPLIED_OUTCOMES, WAITING, DecisionUndo, OutboxError, Tally


def undo_decision(connection: Connection, action_id: int, actor: str) -> DecisionUndo:
    """Inside a write: drop the decision while unsent, or queue the revoke of what an approval awarded.

    A denial or a return the server has (or may have) seen cannot be taken
    back: the member was told. Undoing twice is refused.
    """
    found = list(rows.rows_by_ids(connection, [action_id]))
    if not found or found[0]["kind"] != ActionKind.DECIDE.value:
        raise OutboxError(_("There is no such decision to undo."))
    row = found[0]
    state = ActionState(row["state"])
    decision = Decision(json.loads(row["payload"])["decision"])
    result = json.loads(row["result"] or "{}")
    if isinstance(result.get("again_by"), int):
        return _undo_again(connection, action_id, result, actor)
    if state is ActionState.DISCARDED or result.get("undone_by"):
        raise OutboxError(_("This decision was already undone."))
    if state in (ActionState.PENDING, *WAITING):
        holds.settle_in(connection, [action_id], (ActionState.PENDING, *WAITING), "undone")
        return DecisionUndo(action_id, dropped=True, reversal=None)
    if decision is not Decision.APPROVE:
        raise OutboxError(_already_told(decision))
    if state is ActionState.DONE and result.get("award_id") is None:
        # The member already held the badge: the approval gave nothing.
        rows.set_result(connection, action_id, {**result, "undone_by": "nothing"})
        return DecisionUndo(action_id, dropped=False, reversal=None)
    member_id, badge_id = row["member_id"], row["badge_id"]
    if member_id is None or badge_id is None:
        raise OutboxError(_("This decision does not say whom it concerned; revoke the badge by hand."))
    revoke = {"member_id": member_id, "badge_id": badge_id, "reason": "undo", "undo_of_action": action_id}
    if result.get("award_id") is not None:
        # The grant the approval gave: a member may hold the badge several times (multiple_grant).
        revoke["award_id"] = result["award_id"]
    keys = rows.insert(connection, ActionKind.REVOKE, [revoke], None, actor)
    reversal = rows.by_keys(connection, keys)[0]
    rows.set_result(connection, action_id, {**result, "undone_by": reversal.id})
    return DecisionUndo(action_id, dropped=False, reversal=reversal)


def approve_again(connection: Connection, action_id: int, actor: str) -> Action:
    """Inside a write: queue the award of an approval whose award was revoked (``again_by``).

    Not announced again (the member was told when it was approved first); the
    reason names the request, as the server's own approval does.
    """
    found = list(rows.rows_by_ids(connection, [action_id]))
    if not found or found[0]["kind"] != ActionKind.DECIDE.value:
        raise OutboxError(_("There is no such decision to approve again."))
    row = found[0]
    result = json.loads(row["result"] or "{}")
    reversal = result.get("undone_by")
    revokes = list(rows.rows_by_ids(connection, [reversal])) if isinstance(reversal, int) else []
    if result.get("again_by") is not None or not revokes:
        raise OutboxError(_("Only an approval whose award was revoked can be approved again."))
    if ActionState(revokes[0]["state"]) is not ActionState.DONE:
        raise OutboxError(
            _("The award's revoke is not confirmed by the server yet; approve again once it is.")
        )
    payload = json.loads(row["payload"])
    award = {
        "member_id": row["member_id"],
        "badge_id": row["badge_id"],
        "reason": f"Request #{payload['request_id']} approved again.",
        "notify": False,
        "again_of_action": action_id,
    }
    keys = rows.insert(connection, ActionKind.AWARD, [award], None, actor)
    again = rows.by_keys(connection, keys)[0]
    rows.set_result(connection, action_id, {**result, "again_by": again.id})
    return again


def _undo_again(
    connection: Connection, action_id: int, result: dict[str, object], actor: str
) -> DecisionUndo:
    """Take back an approval's award given again: dropped unsent, else revoked like the first."""
    again = result["again_by"]
    assert isinstance(again, int)
    found = list(rows.rows_by_ids(connection, [again]))
    rest = {k: v for k, v in result.items() if k != "again_by"}
    if not found:
        rows.set_result(connection, action_id, rest)
        return DecisionUndo(action_id, dropped=True, reversal=None)
    award = found[0]
    if ActionState(award["state"]) in (ActionState.PENDING, ActionState.DISCARDED, *WAITING):
        holds.settle_in(connection, [again], (ActionState.PENDING, *WAITING), "undone")
        rows.set_result(connection, action_id, rest)
        return DecisionUndo(action_id, dropped=True, reversal=None)
    revoke = {
        "member_id": award["member_id"],
        "badge_id": award["badge_id"],
        "reason": "undo",
        "undo_of_action": again,
    }
    given = json.loads(award["result"] or "{}")
    if award["outcome"] == "awarded" and given.get("award_id") is not None:
        revoke["award_id"] = given["award_id"]
    keys = rows.insert(connection, ActionKind.REVOKE, [revoke], None, actor)
    reversal = rows.by_keys(connection, keys)[0]
    rows.set_result(connection, action_id, {**rest, "undone_by": reversal.id})
    return DecisionUndo(action_id, dropped=False, reversal=reversal)


def _already_told(decision: Decision) -> str:
    """Why a denial or a return the server has (or may have) seen cannot be undone."""
    if decision is Decision.DENY:
        return _("The deny was already sent and the member was told; it cannot be taken back.")
    return _("The return was already sent and the member was told; it cannot be taken back.")


def _effective_outcome(row: RowMapping) -> str | None:
    """The outcome, except that an approval which granted nothing (the badge was held) changed nothing."""
    outcome: str | None = row["outcome"]
    granted = json.loads(row["result"] or "{}").get("award_id") is not None
    if row["kind"] == ActionKind.DECIDE.value and outcome == "approved" and not granted:
        return "approved (already held)"
    return outcome


def resolve(cache: Cache, chunk: list[Action], tally: Tally) -> tuple[list[Action], bool]:
    """Skip reversals of actions that changed nothing; wait (True) while one is unresolved."""
    targets = {a.id: a.payload["undo_of_action"] for a in chunk if "undo_of_action" in a.payload}
    if not targets:
        return chunk, False
    with cache.read() as connection:
        found = {
            row["id"]: (ActionState(row["state"]), _effective_outcome(row))
            for row in rows.rows_by_ids(connection, set(targets.values()))
        }
    needless: list[int] = []
    orphans: list[int] = []
    for action_id, target in targets.items():
        state, outcome = found.get(target, (ActionState.DISCARDED, None))
        if state.unsent:
            # The action it reverses has no answer yet: try again next run.
            return [], True
        if state.needs_user:
            # It ended held, in conflict or failed: its batch was undone, so it
            # must not be applied later either.
            orphans.append(target)
        if state is not ActionState.DONE or outcome not in APPLIED_OUTCOMES:
            needless.append(action_id)
    if needless:
        with cache.write() as connection:
            holds.settle_in(connection, orphans, WAITING, "undone")
            tally.skipped += holds.settle_in(
                connection, needless, (ActionState.PENDING, ActionState.SENDING), "nothing to undo"
            )
    return [a for a in chunk if a.id not in needless], False
