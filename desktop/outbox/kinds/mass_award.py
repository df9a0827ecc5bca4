"""A batch's mass award: one upload, then the badge's holders read back to settle each member.

Queued with its batch as one MASS_AWARD action ahead of the batch's awards,
each award naming it (``after_mass``): they are not sent one by one while
it is unsettled. Sending it, exactly once and crash-safe like any action:

1. The batch's awards still pending (and not held for a change since they
   were queued) whose member has a username are claimed, in flight, and
   the list is written to the action's result, in one commit *before* the
   upload goes out.
2. The upload (:meth:`MassAwarder.mass_award`). A refusal (a key that may
   not mass award, a disabled badge) settles the action and the awards go
   one by one. An upload whose answer was lost, or a crash after step 1,
   is never sent again: the holders tell what happened.
3. Verification: the badge's grants since the upload are read (newest
   first, stopping at what an earlier look saw), again while new ones keep
   appearing, until every member the server matched is found, nothing new
   has come for a while (``VerifyPolicy.settle``), or ``longest`` has passed.
   Each member found ends as *awarded* with that grant, as one by one would
   (results CSV, audit log, award message queued); the others stay in flight
   and the sender sends them one by one, asking the writer first whether
   each is in effect (a background job that ran late).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.cancellation import CancelToken
from desktop.dialects.base import ItemResult, MassAwarder
from desktop.domain import Action, ActionKind, ActionState, Award, AwardOutcome, ChangeSet, utc_now
from desktop.i18n import _
from desktop.net.errors import ApiError, ServerUnreachable
from desktop.outbox import holds
from desktop.outbox.kinds.awards import store_answers
from desktop.outbox.store import actions as rows
from desktop.outbox.store import claims, queries
from desktop.outbox.types import Tally
from desktop.sync import KEY_LAST_SYNC

#: Members claimed per statement (well under SQLite's limit on bound values).
_SLICE = 500


@dataclass(frozen=True, slots=True)
class VerifyPolicy:
    """How long the verification waits for the server's background jobs."""

    #: First pause between looks at the holders; it doubles up to ``poll``.
    first_poll: float = 1.0
    poll: float = 10.0
    #: Stop waiting when no new grant of the batch has appeared for this long.
    settle: float = 60.0
    #: Stop waiting after this long in any case.
    longest: float = 1800.0
    #: Grants dated this much before the upload still count: the forum's clock may differ from ours.
    clock_slack: timedelta = timedelta(minutes=5)


DEFAULT_POLICY = VerifyPolicy()


def payload(batch_id: str, badge_id: int) -> dict[str, Any]:
    return {"batch_id": batch_id, "badge_id": badge_id}


def describe(payload: dict[str, Any]) -> str:
    return _("mass award of batch {batch}").format(batch=str(payload.get("batch_id", ""))[:6])


def summary(outcome: str | None, result: dict[str, Any]) -> str:
    """What the upload came to, for the audit log."""
    if outcome == "uploaded":
        return _(
            "{matched} members matched by the server; {verified} found among the holders,"
            " {missing} left to send one by one"
        ).format(
            matched=result.get("matched", "?"),
            verified=result.get("verified", 0),
            missing=result.get("missing", 0),
        )
    if outcome == "refused":
        return _("the server refused the upload ({error}); the batch goes one by one").format(
            error=result.get("error", "")
        )
    if outcome == "one-by-one":
        return _("this server has no mass award; the batch goes one by one")
    return ""


def waiting(cache: Cache, chunk: Sequence[Action]) -> list[Action]:
    """The chunk without the awards whose batch's mass award is not settled yet."""
    after = {a.id: a.payload["after_mass"] for a in chunk if "after_mass" in a.payload}
    if not after:
        return list(chunk)
    with cache.read() as connection:
        unsettled = {
            row["id"]
            for row in rows.rows_by_ids(connection, set(after.values()))
            if ActionState(row["state"]).unsent
        }
    return [a for a in chunk if after.get(a.id) not in unsettled]


def send(
    cache: Cache,
    mass: MassAwarder | None,
    action: Action,
    tally: Tally,
    *,
    owner: str,
    maybe_applied: bool,
    messages: bool,
    cancel: CancelToken,
    policy: VerifyPolicy = DEFAULT_POLICY,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Upload (unless it may have gone already), verify, and settle the action."""
    if mass is None:
        _finish(cache, action, tally, "one-by-one", {"note": "this server has no mass award"})
        return
    badge_id = int(action.payload["badge_id"])
    with cache.read() as connection:
        # What an earlier attempt of this run committed (the chunk was read before it).
        [current] = rows.by_ids(connection, [action.id])
    progress: dict[str, Any] = dict(current.result or {})
    # An upload whose answer may have been lost is never sent again. It cannot have
    # gone before its list was committed ("expected"), nor after an answer was stored.
    if "matched" not in progress and (not maybe_applied or "expected" not in progress):
        chosen = _claim_members(cache, action, owner, tally)
        if not chosen:
            _finish(cache, action, tally, "nothing-to-upload", {})
            return
        progress = {
            "expected": {str(member_id): [action_id, name] for action_id, member_id, name in chosen},
            "since": (utc_now() - policy.clock_slack).isoformat(),
        }
        _note(cache, action, progress)
        try:
            receipt = mass.mass_award(badge_id, [name for _a, _m, name in chosen])
        except ApiError as error:
            unsent = isinstance(error, ServerUnreachable) and not error.request_sent
            if not (_refused(error) or unsent):
                _release(cache, chosen, owner)
                raise  # the sender retries; the holders will tell whether it landed
            # Nothing went: the awards are as they were queued.
            _release(cache, chosen, owner, unsent=True)
            if unsent:
                raise
            # Refused as a whole (e.g. a moderator's key, a disabled badge): one by one instead.
            _finish(cache, action, tally, "refused", {"error": str(error)})
            return
        except BaseException:
            _release(cache, chosen, owner)  # whoever sends next resumes them, after the verification
            raise
        progress["matched"] = receipt.matched
        progress["unmatched"] = list(receipt.unmatched)
        _note(cache, action, progress)
    try:
        found = _verify(cache, mass, badge_id, progress, tally, messages, cancel, policy, clock)
    except BaseException:
        # Cancelled, or the server went away: whoever sends next verifies again (never uploads).
        entries = [
            (int(entry[0]), int(m), str(entry[1])) for m, entry in progress.get("expected", {}).items()
        ]
        _release(cache, entries, owner)
        raise
    expected = len(progress.get("expected", {}))
    _finish(
        cache,
        action,
        tally,
        "uploaded",
        {
            "matched": progress.get("matched"),
            "unmatched": len(progress.get("unmatched", [])),
            "verified": found,
            "missing": expected - found,
        },
    )


def _claim_members(cache: Cache, action: Action, owner: str, tally: Tally) -> list[tuple[int, int, str]]:
    """Claim the batch's awards to upload; (action id, member id, username) of each."""
    batch_id = str(action.payload["batch_id"])
    with cache.read() as connection:
        pending = [
            a
            for a in rows.pending_of_batch(connection, batch_id, ActionKind.AWARD)
            if a.payload.get("after_mass") == action.id and not a.payload.get("force")
        ]
    if not pending:
        return []
    with cache.read() as connection:
        facts = queries.send_facts(connection, [a.id for a in pending])
    if KEY_LAST_SYNC in cache.sync_state():
        # Held ones (member suspended, badge disabled since queued) wait for the user, as one by one.
        pending = holds.hold_changed(cache, pending, tally, facts)
    named = [
        (a.id, int(a.payload["member_id"]), facts[a.id].username)
        for a in pending
        if a.id in facts and facts[a.id].username
    ]
    held: set[int] = set()
    now = to_epoch(utc_now())
    with cache.write() as connection:
        for start in range(0, len(named), _SLICE):
            part = [action_id for action_id, _m, _n in named[start : start + _SLICE]]
            held |= claims.claim(connection, part, owner, (), now)
    return [entry for entry in named if entry[0] in held]


def _release(
    cache: Cache, chosen: Sequence[tuple[int, int, str]], owner: str, *, unsent: bool = False
) -> None:
    """Give up the claims on the awards (``unsent``: and make them pending: nothing was uploaded)."""
    ids = [action_id for action_id, _m, _n in chosen]
    with cache.write() as connection:
        for start in range(0, len(ids), _SLICE):
            part = ids[start : start + _SLICE]
            if unsent:
                claims.unsend(connection, part, owner)
            else:
                claims.release(connection, part, owner)


def _verify(
    cache: Cache,
    mass: MassAwarder,
    badge_id: int,
    progress: dict[str, Any],
    tally: Tally,
    messages: bool,
    cancel: CancelToken,
    policy: VerifyPolicy,
    clock: Callable[[], float],
) -> int:
    """Read the holders until the server's jobs are done (or waiting is pointless); members found."""
    expected: dict[int, int] = {int(m): int(entry[0]) for m, entry in progress.get("expected", {}).items()}
    unmatched = {str(u).casefold() for u in progress.get("unmatched", [])}
    # Members the server did not match get no grant from the upload: not waited for.
    awaited = {
        int(m)
        for m, entry in progress.get("expected", {}).items()
        if str(entry[1]).casefold() not in unmatched
    }
    since = datetime.fromisoformat(progress["since"])
    known: set[int] = set()
    found: set[int] = set()
    started = last_new = clock()
    pause = policy.first_poll
    while True:
        cancel.raise_if_cancelled()
        new: list[Award] = []
        for grant in mass.granted_since(badge_id, since, frozenset(known)):
            known.add(grant.id)
            if grant.member_id in expected and grant.member_id not in found:
                found.add(grant.member_id)
                new.append(grant)
        if new:
            _settle(cache, [(expected[g.member_id], g) for g in new], tally, messages)
            last_new = clock()
        now = clock()
        if awaited <= found or now - last_new >= policy.settle or now - started >= policy.longest:
            return len(found)
        cancel.sleep(pause)
        pause = min(policy.poll, pause * 2)


def _settle(cache: Cache, found: Sequence[tuple[int, Award]], tally: Tally, messages: bool) -> None:
    """The awards the upload applied end as one by one would end them (awarded, that grant)."""
    grants = dict(found)
    with cache.read() as connection:
        # Still in flight: an undo or a skip since then settled the others.
        chunk = [a for a in rows.by_ids(connection, grants) if a.state is ActionState.SENDING]
    results = [
        ItemResult(a.idempotency_key, AwardOutcome.AWARDED, grants[a.id], replayed=False) for a in chunk
    ]
    if chunk:
        store_answers(cache, chunk, results, tally, messages=messages)


def _note(cache: Cache, action: Action, progress: dict[str, Any]) -> None:
    with cache.write() as connection:
        rows.note_progress(connection, action.id, progress, to_epoch(utc_now()))


def _finish(cache: Cache, action: Action, tally: Tally, outcome: str, detail: dict[str, Any]) -> None:
    with cache.write() as connection:
        rows.store_result(connection, action.id, ActionState.DONE, outcome, None, detail, to_epoch(utc_now()))
    tally.changed(ChangeSet(outbox=True))


def _refused(error: ApiError) -> bool:
    """The server refused the upload itself (not the token: that pauses sending)."""
    return (
        error.status is not None
        and 400 <= error.status < 500
        and error.status not in (401, 408, 409, 425, 429)
    )
