"""The review queue against the sandbox: grouping, decisions through the outbox, 409s, undo."""

from __future__ import annotations

from dataclasses import asdict

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.domain import ActionState, Decision, RequestState
from desktop.outbox import DecisionSpec, Outbox, OutboxError
from desktop.review import QueueOrder, RequestGroup, load_queue
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.scenarios import ReviewScenario
from desktop.sync import SyncService
from tests.e2e.conftest import connector_for
from tests.e2e.server_witness import server_db


def sync(sandbox: SandboxProcess, cache: Cache) -> None:
    with connector_for(sandbox) as connector:
        SyncService(cache, connector).run()


def send(sandbox: SandboxProcess, cache: Cache, outbox: Outbox) -> None:
    with connector_for(sandbox) as connector:
        outbox.send_pending(connector, batch_cap=50)


def server_requests(sandbox: SandboxProcess, ids: list[int]) -> dict[int, tuple[str, str | None]]:
    marks = ", ".join("?" * len(ids))
    with server_db(sandbox) as db:
        rows = db.execute(f"SELECT id, state, decided_by FROM requests WHERE id IN ({marks})", ids)
        return {r[0]: (r[1], r[2]) for r in rows}


def award_rows(sandbox: SandboxProcess, member_id: int, badge_id: int) -> list[tuple[str, str | None]]:
    with server_db(sandbox) as db:
        rows = db.execute(
            "SELECT granted_by, revoke_reason FROM awards WHERE member_id = ? AND badge_id = ? ORDER BY id",
            (member_id, badge_id),
        )
        return [(r[0], r[1]) for r in rows]


def messages(sandbox: SandboxProcess, member_id: int) -> list[str]:
    with server_db(sandbox) as db:
        return [
            r[0]
            for r in db.execute("SELECT body FROM messages WHERE member_id = ? ORDER BY id", (member_id,))
        ]


def bob_decides(sandbox: SandboxProcess, request_id: int, decision: str, message: str) -> None:
    response = httpx.post(
        f"{sandbox.url}/api/v1/requests/{request_id}/decision",
        json={"decision": decision, "reason": "Bob's call", "message": message},
        headers={"Authorization": f"Bearer {sandbox.tokens['moderator2']}", "If-Match": "1"},
    )
    assert response.status_code == 200, response.text


def plain_groups(cache: Cache) -> list[RequestGroup]:
    """Pending single requests of active members, in queue order."""
    return [g for g in load_queue(cache).groups if not g.duplicates and not g.suspended]


def group_of(cache: Cache, request_id: int) -> RequestGroup:
    return next(g for g in load_queue(cache).groups if request_id in {r.id for r in g.requests})


def test_the_scenario_queue_is_grouped_counted_and_scored(
    review_sandbox: tuple[SandboxProcess, ReviewScenario], cache: Cache
) -> None:
    sandbox, scenario = review_sandbox
    sync(sandbox, cache)
    snapshot = load_queue(cache)
    assert snapshot.pending_requests == 87
    assert [c.count for c in snapshot.badge_counts] == [31, 24, 18, 9, 5]
    assert [c.badge_id for c in snapshot.badge_counts] == list(scenario.badge_ids)
    assert len(snapshot.groups) == snapshot.pending_groups == 87 - 9
    groups = {g.id: g for g in snapshot.groups}
    assert sorted([r.id for r in g.requests] for g in snapshot.groups if g.duplicates) == sorted(
        scenario.duplicate_groups
    )
    assert {g.id for g in snapshot.groups if g.suspended} == set(scenario.suspended_requests)
    assert all(groups[i].approval_problem() for i in scenario.suspended_requests)
    no_evidence = {g.id for g in snapshot.groups if g.evidence_url is None}
    assert no_evidence == set(scenario.without_evidence)
    assert all(groups[i].score.parts[0].points == 0 for i in no_evidence)
    # Oldest first, then by score with the parts adding up.
    created = [g.created_at for g in snapshot.groups]
    assert created == sorted(created)
    by_score = load_queue(cache, order=QueueOrder.SCORE).groups
    totals = [g.score.total for g in by_score]
    assert totals == sorted(totals, reverse=True) and totals[0] > totals[-1]
    # Filtered by a badge: only its groups; the counts stay those of the whole queue.
    smallest = scenario.badge_ids[-1]
    filtered = load_queue(cache, badge_id=smallest)
    assert {g.badge_id for g in filtered.groups} == {smallest}
    assert sum(len(g.requests) for g in filtered.groups) == 5
    assert filtered.badge_counts == snapshot.badge_counts


def test_a_request_decided_elsewhere_conflicts_and_nothing_is_sent_twice(
    review_sandbox: tuple[SandboxProcess, ReviewScenario], cache: Cache
) -> None:
    sandbox, _scenario = review_sandbox
    sync(sandbox, cache)
    outbox = Outbox(cache)
    single = plain_groups(cache)[0]
    before = messages(sandbox, single.member_id)
    # Offline: Alice approves. Meanwhile Bob denies the same request on the server.
    outbox.queue_decisions([single.decision_spec(Decision.APPROVE)])
    assert load_queue(cache).pending_groups == 78 - 1
    bob_decides(sandbox, single.id, "deny", "Sorry, not this time.")
    send(sandbox, cache, outbox)

    decided = group_of(cache, single.id)
    assert decided.decision is not None and decided.decision.state is ActionState.CONFLICT
    assert decided.decision.decided_by == "Bob Moderator"
    assert decided.decision.their_decision == "denied"
    assert decided.decision.status_text.startswith("Decided by Bob Moderator at ")
    assert award_rows(sandbox, single.member_id, single.badge_id) == []
    assert messages(sandbox, single.member_id) == [*before, "Sorry, not this time."]
    assert server_requests(sandbox, [single.id]) == {single.id: ("denied", "Bob Moderator")}
    # The conflict is not pending again; the cache knows Bob's decision.
    assert single.id not in {g.id for g in load_queue(cache).groups if g.pending}


def test_duplicates_are_settled_by_one_decision_or_come_back_when_one_was_decided_elsewhere(
    review_sandbox: tuple[SandboxProcess, ReviewScenario], cache: Cache
) -> None:
    sandbox, _scenario = review_sandbox
    sync(sandbox, cache)
    outbox = Outbox(cache)
    first, second = (g for g in load_queue(cache).groups if len(g.requests) == 3)
    before = messages(sandbox, first.member_id)
    outbox.queue_decisions([first.decision_spec(Decision.APPROVE)])
    send(sandbox, cache, outbox)
    ids = [r.id for r in first.requests]
    assert {s for s, _by in server_requests(sandbox, ids).values()} == {"approved"}
    assert award_rows(sandbox, first.member_id, first.badge_id) == [("Alice Moderator", None)]
    assert len(messages(sandbox, first.member_id)) == len(before) + 1
    decided = group_of(cache, first.id).decision
    assert decided is not None and decided.state is ActionState.DONE

    # Bob denies the middle one of the other group before Alice's deny is sent.
    outbox.queue_decisions([second.decision_spec(Decision.DENY, reason="no", message="No.")])
    bob_decides(sandbox, second.requests[1].id, "deny", "Bob says no.")
    send(sandbox, cache, outbox)
    states = server_requests(sandbox, [r.id for r in second.requests])
    assert states == {
        second.requests[0].id: ("pending", None),
        second.requests[1].id: ("denied", "Bob Moderator"),
        second.requests[2].id: ("pending", None),
    }
    assert messages(sandbox, second.member_id)[-1] == "Bob says no."
    # The two Bob did not decide stay on the conflict card, never as a fresh group:
    # only Bob's decision may settle them, and it sends no second message.
    [card] = [g for g in load_queue(cache).groups if g.id == second.id]
    assert card.decision is not None and card.decision.decided_by == "Bob Moderator"
    assert card.decision.conflicting_request == second.requests[1].id
    assert [r.id for r in card.undecided] == [second.requests[0].id, second.requests[2].id]
    assert card.follow_up() == (Decision.DENY, None)
    assert not any(g.pending and g.member_id == second.member_id for g in load_queue(cache).groups)
    outbox.queue_decisions([card.decision_spec(Decision.DENY, reason="Same as Bob")])
    send(sandbox, cache, outbox)
    states = server_requests(sandbox, [r.id for r in second.requests])
    assert {s for s, _by in states.values()} == {"denied"}
    assert messages(sandbox, second.member_id)[-1] == "Bob says no."
    assert len(messages(sandbox, second.member_id)) == 1
    settled = [g for g in load_queue(cache).groups if g.id == second.id]
    assert settled[0].follow_up() == (
        None,
        "Nothing is left to decide here: every request of this group is decided.",
    )


def test_a_changed_version_is_not_shown_as_someone_elses_decision(
    review_sandbox: tuple[SandboxProcess, ReviewScenario], cache: Cache
) -> None:
    sandbox, _scenario = review_sandbox
    sync(sandbox, cache)
    outbox = Outbox(cache)
    single = plain_groups(cache)[0]
    stale = single.decision_spec(Decision.APPROVE)
    outbox.queue_decisions([DecisionSpec(**{**asdict(stale), "version": stale.version - 1})])
    send(sandbox, cache, outbox)
    [card] = [g for g in load_queue(cache).groups if g.id == single.id and g.decision is not None]
    assert card.decision is not None
    assert card.decision.status_text == (
        f"Request #{single.id} changed on the server since you saw it; nothing sent. Decide again."
    )
    assert card.follow_up() == (None, None)
    outbox.queue_decisions([card.decision_spec(Decision.APPROVE)])
    send(sandbox, cache, outbox)
    assert server_requests(sandbox, [single.id]) == {single.id: ("approved", "Alice Moderator")}


def test_undo_before_and_after_sending(
    review_sandbox: tuple[SandboxProcess, ReviewScenario], cache: Cache
) -> None:
    sandbox, _scenario = review_sandbox
    sync(sandbox, cache)
    outbox = Outbox(cache)
    a, b = plain_groups(cache)[:2]
    # Before sending: the decision is dropped and the card is pending again.
    [action] = outbox.queue_decisions([a.decision_spec(Decision.APPROVE)])
    undo = outbox.undo_decision(action.id)
    assert (undo.dropped, undo.reversal) == (True, None)
    assert group_of(cache, a.id).pending
    send(sandbox, cache, outbox)
    assert server_requests(sandbox, [a.id]) == {a.id: ("pending", None)}

    # After sending: the award is revoked with the reason "undo".
    [action] = outbox.queue_decisions([b.decision_spec(Decision.APPROVE)])
    send(sandbox, cache, outbox)
    assert award_rows(sandbox, b.member_id, b.badge_id) == [("Alice Moderator", None)]
    undo = outbox.undo_decision(action.id)
    assert not undo.dropped and undo.reversal is not None
    send(sandbox, cache, outbox)
    assert award_rows(sandbox, b.member_id, b.badge_id) == [("Alice Moderator", "undo")]
    shown = group_of(cache, b.id)
    assert shown.decision is not None and shown.decision.undone
    assert shown.decision.status_text.startswith("Approval reverted: the award is revoked")
    # Twice is refused, and a sent denial cannot be taken back.
    with pytest.raises(OutboxError, match="already undone"):
        outbox.undo_decision(action.id)
    [denial] = outbox.queue_decisions([a.decision_spec(Decision.DENY, reason="no", message="No.")])
    send(sandbox, cache, outbox)
    with pytest.raises(OutboxError, match="cannot be taken back"):
        outbox.undo_decision(denial.id)
    assert server_requests(sandbox, [a.id]) == {a.id: (RequestState.DENIED.value, "Alice Moderator")}
