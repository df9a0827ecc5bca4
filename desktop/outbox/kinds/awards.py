"""Awards and revokes: what they carry, how they are sent, how an answer ends them.

Sent in runs of up to the writer's batch cap. Each answer is read with the
drift table (:mod:`desktop.drift`): applied, a no-op, or held for the user.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.dialects.base import AwardItem, AwardWriter, ItemResult, RevokeItem
from desktop.domain import Action, ActionKind, ActionState, Award, AwardOutcome, ChangeSet, Drift, utc_now
from desktop.drift import Category, Verdict, read_answer
from desktop.outbox.kinds.common import mirror
from desktop.outbox.kinds.messages import award_messages
from desktop.outbox.kinds.messages import queue as queue_messages
from desktop.outbox.store import actions as rows
from desktop.outbox.store import queries
from desktop.outbox.types import Tally

KINDS = frozenset({ActionKind.AWARD, ActionKind.REVOKE})


def award_payloads(
    member_ids: Iterable[int],
    badge_id: int,
    reason: str,
    notify: bool,
    message: str | None,
    reasons: Mapping[int, str] | None = None,
) -> list[dict[str, Any]]:
    """``reasons``: member id → that member's own reason (a program's: why each was picked)."""
    own = reasons or {}
    return [
        {
            "member_id": m,
            "badge_id": badge_id,
            "reason": own.get(m, reason),
            "notify": notify,
            "message": message,
        }
        for m in member_ids
    ]


def revoke_payloads(
    member_ids: Iterable[int],
    badge_id: int,
    reason: str,
    grants: Mapping[int, Award] | None = None,
    *,
    notify: bool = False,
) -> list[dict[str, Any]]:
    """``grants``: member id → the grant its revoke removes (a badge held several times: desktop.grants).

    ``notify``: tell each member, where the server can (kept only when set: a revoke
    queued without it, or before it existed, tells no one).
    """
    named = grants or {}
    told = {"notify": True} if notify else {}
    return [
        {"member_id": m, "badge_id": badge_id, "reason": reason, **told, **grant_payload(named[m])}
        if m in named
        else {"member_id": m, "badge_id": badge_id, "reason": reason, **told}
        for m in member_ids
    ]


def grant_payload(award: Award) -> dict[str, Any]:
    """What a revoke keeps of the grant it names: its id (sent), date (audit) and reason (undo)."""
    return {"award_id": award.id, "granted_at": award.granted_at.isoformat(), "grant_reason": award.reason}


def items(
    cache: Cache, chunk: Sequence[Action], facts: Mapping[int, queries.SendFacts] | None = None
) -> list[AwardItem | RevokeItem]:
    """What the writer is given for each action, with what the mirror knows of its member and grant
    (``facts``: the chunk's, already read; read here when not given)."""
    if facts is None:
        with cache.read() as connection:
            facts = queries.send_facts(connection, [a.id for a in chunk])
    given = []
    for action in chunk:
        fact = facts.get(action.id)
        given.append(item(action) if fact is None else item(action, fact.username, fact.grant))
    return given


def item(action: Action, username: str = "", award_id: int | None = None) -> AwardItem | RevokeItem:
    """What the writer is given for one action."""
    p = action.payload
    if action.kind is ActionKind.AWARD:
        return AwardItem(
            idempotency_key=action.idempotency_key,
            member_id=p["member_id"],
            badge_id=p["badge_id"],
            reason=p.get("reason", ""),
            notify=p.get("notify", True),
            message=p.get("message"),
            force=bool(p.get("force", False)),
            username=username,
        )
    return RevokeItem(
        idempotency_key=action.idempotency_key,
        member_id=p["member_id"],
        badge_id=p["badge_id"],
        reason=p.get("reason", ""),
        username=username,
        award_id=p.get("award_id", award_id),
        notify=bool(p.get("notify", False)),
    )


def send(
    cache: Cache, writer: AwardWriter, chunk: Sequence[Action], tally: Tally, *, messages: bool = False
) -> None:
    """Send a run of awards or of revokes (one kind) and store every answer.

    ``messages``: the server sends no message with an award, so the outbox queues one
    for each award applied (see :mod:`desktop.outbox.kinds.messages`).
    """
    given = items(cache, chunk)
    store_answers(cache, chunk, post(writer, given), tally, given, messages=messages)


def post(writer: AwardWriter, given: Sequence[AwardItem | RevokeItem]) -> list[ItemResult]:
    """One batch request for a run of awards or of revokes (one kind); no cache is touched."""
    if isinstance(given[0], AwardItem):
        return writer.award_batch([i for i in given if isinstance(i, AwardItem)])
    return writer.revoke_batch([i for i in given if isinstance(i, RevokeItem)])


def store_answers(
    cache: Cache,
    chunk: Sequence[Action],
    results: Sequence[ItemResult],
    tally: Tally,
    given: Sequence[AwardItem | RevokeItem] = (),
    *,
    messages: bool = False,
) -> None:
    """End each action as its answer says: in the work file first, then the mirror.

    ``given``: what the writer was told; a revoke of a known grant removes that grant
    from the mirror (a badge held several times keeps the others).
    """
    store_many(cache, [(chunk, results, given)], tally, messages=messages)


def store_many(
    cache: Cache,
    answered: Sequence[tuple[Sequence[Action], Sequence[ItemResult], Sequence[AwardItem | RevokeItem]]],
    tally: Tally,
    *,
    messages: bool = False,
) -> None:
    """:func:`store_answers` for several chunks and their answers, in one transaction of each file."""
    members: set[int] = set()
    now = to_epoch(utc_now())
    stored: list[tuple[str, str | None, str | None, str, int, int, int]] = []
    awarded: list[Award] = []
    removed: list[tuple[int, int]] = []
    removed_grants: list[tuple[int]] = []
    due: list[tuple[str, list[dict[str, Any]]]] = []
    # An answer's verdict depends only on these three: judged once per combination.
    verdicts: dict[tuple[ActionKind, AwardOutcome, Drift | None], tuple[Verdict, str, str | None]] = {}
    for chunk, results, given in answered:
        by_key = {a.idempotency_key: a for a in chunk}
        grants = {i.idempotency_key: i.award_id for i in given if isinstance(i, RevokeItem)}
        for result in results:
            action = by_key[result.idempotency_key]
            case = (action.kind, result.outcome, result.condition)
            if case not in verdicts:
                verdict = read_answer(*case)
                ends = ActionState.HELD if verdict.category is Category.HELD else ActionState.DONE
                verdicts[case] = (verdict, ends.value, None if verdict.hold is None else verdict.hold.value)
            verdict, state, hold = verdicts[case]
            if verdict.category is Category.HELD:
                tally.held += 1
            elif verdict.category is Category.NOOP:
                tally.noop += 1
            else:
                tally.applied += 1
            stored.append((state, verdict.outcome, hold, _detail(action, result), now, now, action.id))
            if result.outcome is AwardOutcome.AWARDED and result.award is not None:
                awarded.append(result.award)
                members.add(action.payload["member_id"])
            elif result.outcome in (AwardOutcome.REVOKED, AwardOutcome.NOT_HELD):
                grant = grants.get(result.idempotency_key)
                if grant is not None:
                    removed_grants.append((grant,))
                else:
                    removed.append((action.payload["member_id"], action.payload["badge_id"]))
                members.add(action.payload["member_id"])
        if messages:
            applied = [by_key[r.idempotency_key] for r in results if r.outcome is AwardOutcome.AWARDED]
            for actor in sorted({a.actor for a in applied}):
                due.append((actor, award_messages(cache, [a for a in applied if a.actor == actor])))
    # One statement per kind of write for all the chunks: the sender's CPU
    # time is mostly these writes. Messages are queued with the answers:
    # each applied award gets its message once.
    with cache.write() as connection:
        rows.store_results(connection, stored)
        for actor, texts in due:
            queue_messages(connection, texts, actor)
    if awarded or removed or removed_grants:

        def write_mirror(connection: Any) -> None:
            if awarded:
                Cache.upsert_awards(connection, awarded)
            if removed:
                connection.exec_driver_sql("DELETE FROM awards WHERE member_id = ? AND badge_id = ?", removed)
            if removed_grants:
                connection.exec_driver_sql("DELETE FROM awards WHERE id = ?", removed_grants)

        mirror(cache, write_mirror)
    tally.changed(ChangeSet(members=frozenset(members), awards=bool(members), outbox=True))


#: The start of an answer's stored result, by outcome and replay: the same text
#: ``json.dumps`` writes, made once instead of for every action.
_DETAIL_START = {
    (outcome, replayed): json.dumps({"outcome": outcome.value, "replayed": replayed})[:-1]
    for outcome in AwardOutcome
    for replayed in (False, True)
}


def _detail(action: Action, result: ItemResult) -> str:
    """What the action keeps of its answer (JSON): the outcome, whether replayed, the grant."""
    overridden = action.result is not None and "overridden" in action.result
    if result.outcome is AwardOutcome.ALREADY_HELD or overridden:
        detail: dict[str, Any] = {"outcome": result.outcome.value, "replayed": result.replayed}
        if result.award is not None:
            detail["award_id"] = result.award.id
            if result.outcome is AwardOutcome.ALREADY_HELD:
                # Who granted the badge the member holds, and when: the user is told.
                detail["granted_by"] = result.award.granted_by
                detail["granted_at"] = result.award.granted_at.isoformat()
        if overridden and action.result is not None:
            # Kept: undo must know an "apply anyway" over a badge already held.
            detail["overridden"] = action.result["overridden"]
        return json.dumps(detail)
    start = _DETAIL_START[result.outcome, result.replayed]
    return start + "}" if result.award is None else f'{start}, "award_id": {int(result.award.id)}}}'


def describe(kind: ActionKind, payload: dict[str, Any]) -> str:
    """The reason the moderator gave, for the audit log."""
    return str(payload.get("reason") or "")
